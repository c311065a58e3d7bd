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
        let fail = |line: Option<usize>, column: Option<usize>, message: String| LoadError {
            path: path.display().to_string(),
            line,
            column,
            id: None,
            message,
        };
        let raw: RawWaivers = crate::rules::parse_yaml(path, &text).map_err(|e| vec![e])?;
        let starts: Vec<usize> = text
            .match_indices("- path:")
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        let mut errors = Vec::new();
        let mut waivers = Vec::new();
        for (i, w) in raw.waivers.into_iter().enumerate() {
            let start = starts.get(i).copied().unwrap_or(0);
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let entry = text[start..end].trim_end();
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
                    span: Span::new(start, start + entry.len()),
                    used: false,
                }),
                Err(e) => {
                    let line = text[..start].matches('\n').count() + 1;
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
        Ok(WaiverFile {
            dir: path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
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

    /// Whether an unexpired waiver covers the finding (marking it used).
    pub fn waives(
        &mut self,
        finding: &Finding,
        file: &Path,
        today: NaiveDate,
        book: &RuleBook,
    ) -> bool {
        let Ok(absolute) = std::path::absolute(file) else {
            return false;
        };
        let dir = std::path::absolute(&self.dir).unwrap_or_else(|_| self.dir.clone());
        let relative = absolute.strip_prefix(&dir).unwrap_or(&absolute);
        let Some(rule) = book.rule(&finding.rule) else {
            return false;
        };
        let text = finding.text.to_lowercase();
        let claim = finding.claim.to_lowercase();
        let waiver = self.waivers.iter_mut().find(|w| {
            w.expires >= today
                && w.path.is_match(relative)
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
            } else if !w.used {
                (Check::UnusedWaiver, Vars::new())
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
                assertion: None,
            };
            out.push(builder.build(rule, severity, place, vars));
        }
        out
    }
}

/// A finding of `rule` on `text` at the start of a one-line file, for unit tests.
#[cfg(test)]
pub(crate) fn test_finding(rule: &str, text: &str) -> Finding {
    Finding {
        path: "p".into(),
        rule: rule.into(),
        category: "absolute".into(),
        severity: crate::diagnostic::Severity::Warning,
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
        frame: None,
        copy_span: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
