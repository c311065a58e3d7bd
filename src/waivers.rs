//! Waivers: reviewers' decisions kept outside the copy, in `.overclaim-waivers.yaml` (found by
//! walking up from each audited file), so nobody has to edit marketing HTML to accept a finding.
//!
//! ```yaml
//! waivers:
//!   - path: "pages/serum-*.html"      # glob, relative to the waivers file
//!     rule: absolute.miracle-claim    # id or prefix (`absolute.`)
//!     excerpt: Miracle Mist           # optional: the finding's text or sentence must contain it
//!     reviewer: J. Doe (Regulatory)
//!     reason: Product name registered as a trademark; claim reviewed 2026-10-01
//!     expires: 2027-03-31
//! ```
//!
//! A waived finding is left out of the report and counted in the summary; an expired waiver
//! waives nothing and is reported, and so is a waiver that matched no finding.

use crate::diagnostic::{Finding, LineIndex, Span};
use crate::judge::{AuditOptions, Check, FindingBuilder, Place, RuleBook, RuleSelector, Vars};
use crate::knowledge::Knowledge;
use crate::rules::LoadError;
use chrono::NaiveDate;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file name looked for in each folder.
pub const WAIVERS_FILE: &str = ".overclaim-waivers.yaml";

/// The waivers file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaivers {
    waivers: Vec<RawWaiver>,
}

/// One waiver as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    path: String,
    rule: String,
    #[serde(default)]
    excerpt: Option<String>,
    reviewer: String,
    reason: String,
    expires: NaiveDate,
}

/// One waiver, compiled.
#[derive(Debug)]
struct Waiver {
    path: GlobSet,
    rule: RuleSelector,
    excerpt: Option<String>,
    expires: NaiveDate,
    reviewer: String,
    reason: String,
    /// Byte span of the entry in the waivers file.
    span: Span,
    used: bool,
    /// Whether its path matched a file this run audited: only then can it be unused.
    covers_a_file: bool,
}

/// Where each of the `count` entries of the `waivers:` list sits in the file: from its `-` to
/// the end of its last line, found by the indentation of the list's items in one pass. A list
/// written another way (flow style) gives each entry the `waivers:` line, never the whole file.
fn entry_spans(text: &str, count: usize) -> Vec<Span> {
    let mut starts = Vec::new();
    let mut key = Span::new(0, 0);
    let mut indent = None;
    let mut in_list = false;
    let mut list_end = text.len();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let depth = line.len() - trimmed.len();
        let blank = trimmed.trim().is_empty() || trimmed.starts_with('#');
        if depth == 0 && !blank {
            if in_list {
                list_end = offset;
            }
            in_list = trimmed.starts_with("waivers:");
            if in_list {
                key = Span::new(offset, offset + line.trim_end().len());
                list_end = text.len();
            }
        } else if in_list
            && (trimmed.starts_with("- ") || trimmed.trim_end() == "-")
            && *indent.get_or_insert(depth) == depth
        {
            starts.push(offset + depth);
        }
        offset += line.len();
    }
    if starts.len() != count {
        return vec![key; count];
    }
    let ends = starts
        .iter()
        .skip(1)
        .copied()
        .chain(std::iter::once(list_end));
    starts
        .iter()
        .zip(ends)
        .map(|(&start, end)| Span::new(start, start + text[start..end].trim_end().len()))
        .collect()
}

/// A loaded waivers file.
#[derive(Debug)]
pub struct WaiverFile {
    path: PathBuf,
    dir: PathBuf,
    text: String,
    waivers: Vec<Waiver>,
}

impl WaiverFile {
    /// Reads and checks a waivers file.
    pub fn load(path: &Path) -> Result<WaiverFile, Vec<LoadError>> {
        let text = crate::rules::read_capped(path).map_err(|e| {
            vec![LoadError {
                path: path.display().to_string(),
                line: None,
                column: None,
                id: None,
                message: format!("cannot read waivers: {e}"),
            }]
        })?;
        WaiverFile::parse(path, text)
    }

    /// Checks the text of a waivers file read from `path`.
    pub(crate) fn parse(path: &Path, text: String) -> Result<WaiverFile, Vec<LoadError>> {
        let raw: RawWaivers = crate::rules::parse_yaml(path, &text).map_err(|e| vec![e])?;
        WaiverFile::compile(path, text, raw)
    }

    /// Checks and compiles the entries of a waivers file already read as YAML.
    fn compile(path: &Path, text: String, raw: RawWaivers) -> Result<WaiverFile, Vec<LoadError>> {
        let fail = |line: Option<usize>, column: Option<usize>, message: String| LoadError {
            path: path.display().to_string(),
            line,
            column,
            id: None,
            message,
        };
        let entries = entry_spans(&text, raw.waivers.len());
        let lines = LineIndex::new(&text);
        let mut errors = Vec::new();
        let mut waivers = Vec::new();
        for (w, span) in raw.waivers.into_iter().zip(entries) {
            // Built as a set: a glob too large for the matcher is an error here, never a panic.
            let compiled = Glob::new(&w.path).and_then(|g| GlobSetBuilder::new().add(g).build());
            match compiled {
                Ok(glob) => waivers.push(Waiver {
                    path: glob,
                    rule: RuleSelector::parse(&w.rule),
                    excerpt: w.excerpt.map(|e| e.to_lowercase()),
                    expires: w.expires,
                    reviewer: w.reviewer,
                    reason: w.reason,
                    span,
                    used: false,
                    covers_a_file: false,
                }),
                Err(e) => {
                    let line = lines.line_column(span.start).0;
                    errors.push(fail(
                        Some(line),
                        None,
                        format!("bad glob `{}`: {e}", w.path),
                    ));
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let dir = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Ok(WaiverFile {
            dir: std::path::absolute(&dir).unwrap_or(dir),
            path: path.to_path_buf(),
            text,
            waivers,
        })
    }

    /// Where it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The nearest waivers file in `start` or a folder above it, within the project.
    pub fn find(start: &Path) -> Option<PathBuf> {
        crate::config::find_in_project(start, WAIVERS_FILE)
    }

    /// Notes that `file` was audited in this run: the waivers whose path matches it can be
    /// reported unused; those for files outside the run cannot.
    pub fn note_audited(&mut self, file: &Path) {
        let Some(relative) = self.relative(file) else {
            return;
        };
        for w in &mut self.waivers {
            if !w.covers_a_file && w.path.is_match(&relative) {
                w.covers_a_file = true;
            }
        }
    }

    /// `file` as the waivers' globs see it: relative to the waivers file's folder when below it.
    fn relative(&self, file: &Path) -> Option<PathBuf> {
        let absolute = std::path::absolute(file).ok()?;
        Some(
            absolute
                .strip_prefix(&self.dir)
                .map_or_else(|_| absolute.clone(), Path::to_path_buf),
        )
    }

    /// Whether an unexpired waiver covers the finding (marking it used).
    pub fn waives(
        &mut self,
        finding: &Finding,
        file: &Path,
        today: NaiveDate,
        book: &RuleBook,
    ) -> bool {
        let Some(relative) = self.relative(file) else {
            return false;
        };
        let Some(rule) = book.rule(&finding.rule) else {
            return false;
        };
        let text = finding.text.to_lowercase();
        let claim = finding.claim.to_lowercase();
        let waiver = self.waivers.iter_mut().find(|w| {
            w.expires >= today
                && w.path.is_match(&relative)
                && w.rule.selects(rule)
                && w.excerpt
                    .as_ref()
                    .is_none_or(|e| text.contains(e) || claim.contains(e))
        });
        match waiver {
            Some(w) => {
                w.used = true;
                true
            }
            None => false,
        }
    }

    /// Findings for expired and unused waivers, from the rules with those checks.
    pub fn problems(
        &self,
        today: NaiveDate,
        book: &RuleBook,
        knowledge: &Knowledge,
        options: &AuditOptions,
    ) -> Vec<Finding> {
        let builder = FindingBuilder::new(knowledge, options);
        let lines = LineIndex::new(&self.text);
        // Shown relative to the working folder when it is below it, like the audited paths.
        let cwd = std::env::current_dir().ok();
        let shown = cwd
            .as_deref()
            .and_then(|c| self.path.strip_prefix(c).ok())
            .unwrap_or(&self.path);
        let display = shown.display().to_string();
        let mut out = Vec::new();
        for w in &self.waivers {
            let (check, vars): (Check, Vars) = if w.expires < today {
                (
                    Check::ExpiredWaiver,
                    vec![("expires", w.expires.to_string())],
                )
            } else if !w.used && w.covers_a_file {
                // A misspelt rule id is the likeliest reason: name the nearest real one.
                let unknown = book
                    .unmatched(&w.rule)
                    .map_or_else(String::new, |why| format!(" ({why})"));
                (Check::UnusedWaiver, vec![("unknown", unknown)])
            } else {
                continue;
            };
            let Some(rule) = book.check(check) else {
                continue;
            };
            let Some(severity) = options.severity_of(rule) else {
                continue;
            };
            let mut vars = vars;
            vars.push(("reviewer", w.reviewer.clone()));
            vars.push(("reason", w.reason.clone()));
            let text = self.text[w.span.start..w.span.end]
                .lines()
                .next()
                .unwrap_or("")
                .trim();
            let claim = format!("waiver by {}: {}", w.reviewer, w.reason);
            let place = Place {
                path: &display,
                lines: &lines,
                span: w.span,
                text,
                claim: &claim,
                copy_span: None,
                record: None,
                part: None,
                assertion: None,
                topic: None,
            };
            out.push(builder.build(rule, severity, place, vars));
        }
        out
    }
}

/// A waiver to record, as the review page asks for it. Its fields are written in this order.
#[derive(Debug, serde::Serialize)]
pub(crate) struct NewWaiver {
    /// A glob for the file, relative to the waivers file's folder.
    pub path: String,
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    pub reviewer: String,
    pub reason: String,
    pub expires: NaiveDate,
}

/// The text of the waivers file at `path` with `waiver` added as the last entry of its list:
/// what is there (comments, order, quoting) is kept byte for byte, and the result is loaded
/// as the audit would load it before it is offered. `existing` is the file's text, `None`
/// when there is no file yet.
pub(crate) fn with_waiver(
    path: &Path,
    existing: Option<&str>,
    waiver: &NewWaiver,
) -> Result<String, String> {
    let entry = serde_yaml::to_string(waiver).map_err(|e| e.to_string())?;
    let does_not_load = |errors: Vec<LoadError>| {
        let first = errors.first().map(ToString::to_string).unwrap_or_default();
        format!("{} does not load: {first}", path.display())
    };
    let (mut text, indent, before) = match existing {
        None => (String::from("waivers:\n"), 2, 0),
        Some(text) => {
            let raw: RawWaivers =
                crate::rules::parse_yaml(path, text).map_err(|e| does_not_load(vec![e]))?;
            if raw.waivers.iter().any(|w| {
                w.path == waiver.path && w.rule == waiver.rule && w.excerpt == waiver.excerpt
            }) {
                return Err(format!(
                    "{} already has a waiver of {} for {} with this excerpt; change its \
                     expiry there instead",
                    path.display(),
                    waiver.rule,
                    waiver.path
                ));
            }
            let before = raw.waivers.len();
            WaiverFile::compile(path, text.to_string(), raw).map_err(does_not_load)?;
            let indent = list_indent(text).ok_or_else(|| {
                format!(
                    "{} does not write its list as `waivers:` followed by `- ` items, so \
                     it is left as it is; add this entry by hand:\n{entry}",
                    path.display()
                )
            })?;
            (text.to_string(), indent, before)
        }
    };
    // Lines end as the file's already do.
    let end = if text.contains("\r\n") { "\r\n" } else { "\n" };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push_str(end);
    }
    let pad = " ".repeat(indent);
    for (i, line) in entry.lines().enumerate() {
        let lead = if i == 0 { "- " } else { "  " };
        text.push_str(&format!("{pad}{lead}{line}{end}"));
    }
    let after = WaiverFile::parse(path, text.clone()).map_err(does_not_load)?;
    if after.waivers.len() != before + 1 {
        return Err(format!(
            "the entry would not be read as one more waiver of {}; add it by hand:\n{entry}",
            path.display()
        ));
    }
    Ok(text)
}

/// How far the items of the `waivers:` list are indented, when it is written as a block (the
/// key alone on its line, then `- ` items, or none yet); `None` for a flow list
/// (`waivers: []`).
fn list_indent(text: &str) -> Option<usize> {
    let mut lines = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let key = lines.find(|l| l.starts_with("waivers:"))?;
    let rest = key["waivers:".len()..].trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    // A key with no items yet (`waivers:` alone) takes the usual indentation.
    let Some(item) = lines.next() else {
        return Some(2);
    };
    let trimmed = item.trim_start_matches(' ');
    trimmed
        .starts_with('-')
        .then_some(item.len() - trimmed.len())
}

/// A finding of `rule` on `text` at the start of a one-line file, for unit tests.
#[cfg(test)]
pub(crate) fn test_finding(rule: &str, text: &str) -> Finding {
    Finding {
        path: "p".into(),
        rule: rule.into(),
        category: "absolute".into(),
        severity: crate::diagnostic::Severity::Warning,
        severities: vec![],
        jurisdictions: vec![],
        message: String::new(),
        span: LineIndex::new("x").source_span(Span::new(0, 1)),
        text: text.into(),
        claim: text.into(),
        evidence: None,
        positions: vec![],
        suggestion: String::new(),
        context: Default::default(),
        record: None,
        part: None,
        related: Vec::new(),
        also_at: Vec::new(),
        frame: None,
        copy_span: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_waiver(path: &str) -> NewWaiver {
        NewWaiver {
            path: path.into(),
            rule: "absolute.miracle-claim".into(),
            excerpt: Some("Miracle: Mist".into()),
            reviewer: "J. Doe".into(),
            reason: "trademark # registered".into(),
            expires: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
        }
    }

    #[test]
    fn a_recorded_waiver_is_appended_and_what_was_there_is_kept() {
        let path = Path::new("/p/.overclaim-waivers.yaml");
        let existing = "# decisions\nwaivers:\n    - path: a.md   # first\n      rule: x.\n      reviewer: R\n      reason: why\n      expires: 2027-01-01\n";
        let text = with_waiver(path, Some(existing), &new_waiver("pages/[new].md")).unwrap();
        assert!(text.starts_with(existing), "{text}");
        let file = WaiverFile::parse(path, text.clone()).unwrap();
        assert_eq!(file.waivers.len(), 2);
        let added = &file.waivers[1];
        assert_eq!(added.reason, "trademark # registered");
        assert_eq!(added.excerpt.as_deref(), Some("miracle: mist"));
        assert!(
            text.contains("\n    - path: "),
            "the list's own indentation: {text}"
        );
    }

    #[test]
    fn a_waiver_already_there_is_not_added_twice_and_line_ends_are_kept() {
        let path = Path::new(".overclaim-waivers.yaml");
        let first = with_waiver(path, None, &new_waiver("a.md")).unwrap();
        let again = with_waiver(path, Some(&first), &new_waiver("a.md")).unwrap_err();
        assert!(again.contains("already has a waiver"), "{again}");
        let crlf = first.replace('\n', "\r\n");
        let added = with_waiver(path, Some(&crlf), &new_waiver("b.md")).unwrap();
        assert_eq!(
            added.matches('\n').count(),
            added.matches("\r\n").count(),
            "{added:?}"
        );
    }

    #[test]
    fn a_first_waiver_starts_the_file_and_a_flow_list_is_left_to_the_reviewer() {
        let path = Path::new(".overclaim-waivers.yaml");
        let text = with_waiver(path, None, &new_waiver("a.md")).unwrap();
        assert!(text.starts_with("waivers:\n  - path: a.md\n"), "{text}");
        assert_eq!(WaiverFile::parse(path, text).unwrap().waivers.len(), 1);
        let flow = "waivers: []\n";
        let refused = with_waiver(path, Some(flow), &new_waiver("a.md")).unwrap_err();
        assert!(refused.contains("by hand"), "{refused}");
        let broken = with_waiver(path, Some("waivers:\n  - path: a\n"), &new_waiver("a.md"));
        assert!(broken.unwrap_err().contains("does not load"));
    }

    #[test]
    fn entries_are_located_however_their_keys_are_ordered() {
        let text = "# reviewed\nwaivers:\n  - rule: a\n    path: x\n\n  -   path: y\n    rule: b\nother: 1\n";
        let spans = entry_spans(text, 2);
        let entries: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(
            entries,
            vec!["- rule: a\n    path: x", "-   path: y\n    rule: b"]
        );
        let flow = "waivers: [{path: x, rule: a}]\n";
        let spans = entry_spans(flow, 1);
        assert_eq!(
            &flow[spans[0].start..spans[0].end],
            "waivers: [{path: x, rule: a}]"
        );
    }

    fn finding(rule: &str, text: &str) -> Finding {
        test_finding(rule, text)
    }

    #[test]
    fn waivers_match_path_rule_excerpt_and_date() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(WAIVERS_FILE);
        std::fs::write(
            &path,
            "waivers:\n  - path: 'pages/*.html'\n    rule: absolute.\n    excerpt: Miracle Mist\n    reviewer: J\n    reason: trademark\n    expires: 2999-12-31\n  - path: '**'\n    rule: drug-claim.collagen-stimulation\n    reviewer: K\n    reason: old\n    expires: 2000-01-01\n",
        )
        .unwrap();
        let mut file = WaiverFile::load(&path).unwrap();
        let engine = crate::Engine::builtin().unwrap();
        let book = &engine.book;
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let page = dir.path().join("pages/a.html");
        assert!(file.waives(
            &finding("absolute.miracle-claim", "Miracle Mist"),
            &page,
            today,
            book
        ));
        assert!(
            !file.waives(
                &finding("absolute.miracle-claim", "miracle cream"),
                &page,
                today,
                book
            ),
            "excerpt differs"
        );
        assert!(!file.waives(
            &finding("absolute.miracle-claim", "Miracle Mist"),
            &dir.path().join("a.html"),
            today,
            book
        ));
        assert!(
            !file.waives(
                &finding("drug-claim.collagen-stimulation", "x"),
                &page,
                today,
                book
            ),
            "expired"
        );
        assert_eq!(
            &file.text[file.waivers[1].span.start..file.waivers[1].span.end]
                .lines()
                .next()
                .unwrap(),
            &"- path: '**'"
        );
    }

    #[test]
    fn pack_selectors_waive_the_rules_of_their_pack() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(WAIVERS_FILE);
        std::fs::write(
            &path,
            "waivers:\n  - path: '**'\n    rule: pack:absolutes\n    reviewer: J\n    reason: r\n    expires: 2999-12-31\n",
        )
        .unwrap();
        let mut file = WaiverFile::load(&path).unwrap();
        let engine = crate::Engine::builtin().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let page = dir.path().join("a.html");
        assert!(file.waives(
            &finding("absolute.miracle-claim", "miracle"),
            &page,
            today,
            &engine.book
        ));
        assert!(!file.waives(
            &finding("drug-claim.collagen-stimulation", "boosts collagen"),
            &page,
            today,
            &engine.book
        ));
    }

    #[test]
    fn bad_dates_are_errors_with_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(WAIVERS_FILE);
        std::fs::write(&path, "waivers:\n  - path: a\n    rule: b\n    reviewer: c\n    reason: d\n    expires: next year\n").unwrap();
        let e = WaiverFile::load(&path).unwrap_err()[0].to_string();
        assert!(e.contains(":6:14:"), "{e}");
    }
}
