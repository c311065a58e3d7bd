//! Stage 6, `report`: every output format is a [`Reporter`]. A run hands it each audited
//! document's findings in path order, each skipped file or record as it comes, then the
//! finished [`Report`] (files, totals, rule metadata). Streaming formats (human, JSON, GitHub,
//! JSON Lines) write as they go, so memory stays flat; SARIF and HTML, which need everything at
//! once, keep the findings inside their reporter until `finish`.
//!
//! Every string a reporter receives was made safe where it was built (see
//! the judge's `FindingBuilder`); reporters only escape for their format.

mod github;
mod html;
mod human;
mod json;
mod jsonl;
mod sarif;

pub use github::GithubReporter;
pub use html::HtmlReporter;
pub use human::HumanReporter;
pub use json::{JsonReporter, finding_json};
pub use jsonl::JsonLinesReporter;
pub use sarif::SarifReporter;

use crate::diagnostic::{Finding, Jurisdiction, Severity, Skipped};
use serde::Serialize;
use std::io::Write;

/// The report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// rustc-style diagnostics and a summary (colour on a terminal).
    Human,
    /// The JSON report contract (schema overclaim/report@2).
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
    /// One self-contained HTML page for reviewers.
    Html,
    /// One JSON result line per audited document (per record of a JSON Lines feed).
    JsonLines,
}

/// The reporter of a format, writing to `out`; `color` styles human output.
pub fn reporter<'a>(
    format: ReportFormat,
    out: Box<dyn Write + 'a>,
    color: bool,
) -> Box<dyn Reporter + 'a> {
    match format {
        ReportFormat::Human => Box::new(HumanReporter::new(out, color)),
        ReportFormat::Json => Box::new(JsonReporter::new(out)),
        ReportFormat::Sarif => Box::new(SarifReporter::new(out)),
        ReportFormat::Github => Box::new(GithubReporter::new(out)),
        ReportFormat::Html => Box::new(HtmlReporter::new(out)),
        ReportFormat::JsonLines => Box::new(JsonLinesReporter::new(out)),
    }
}

/// Renders a collected report (its `findings`, grouped by path in order) in a format: the same
/// reporter a run uses, fed from memory.
pub fn render(format: ReportFormat, report: &Report, color: bool) -> String {
    let mut out = Vec::new();
    {
        let mut reporter = reporter(format, Box::new(&mut out), color);
        let written = feed(reporter.as_mut(), report);
        written.expect("writing to memory cannot fail");
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Hands a collected report to a reporter as a run would.
fn feed(reporter: &mut dyn Reporter, report: &Report) -> std::io::Result<()> {
    for skipped in &report.skipped {
        reporter.skipped(skipped)?;
    }
    let mut rest = &report.findings[..];
    while let Some(first) = rest.first() {
        let same = rest
            .iter()
            .take_while(|f| f.path == first.path && f.record == first.record)
            .count();
        let copy = report
            .files
            .iter()
            .find(|f| f.path == first.path)
            .and_then(|f| f.copy.as_deref());
        reporter.document(&Audited {
            path: &first.path,
            record: first.record.as_deref(),
            findings: &rest[..same],
            counts: severity_counts(&rest[..same]),
            copy,
        })?;
        rest = &rest[same..];
    }
    reporter.finish(report)
}

/// How many of `findings` are info, warning and error.
pub(crate) fn severity_counts(findings: &[Finding]) -> [usize; 3] {
    let mut counts = [0; 3];
    for f in findings {
        counts[f.severity as usize] += 1;
    }
    counts
}

/// One audited document as a reporter receives it.
#[derive(Clone, Copy, Debug)]
pub struct Audited<'a> {
    /// Path of its file.
    pub path: &'a str,
    /// Its record inside the file, for a CSV row or a JSON Lines record.
    pub record: Option<&'a str>,
    /// Its findings, sorted by offset.
    pub findings: &'a [Finding],
    /// Findings by severity (info, warning, error), those not shown (`--min-severity`,
    /// `--quiet`) included.
    pub counts: [usize; 3],
    /// Its visible copy, which the findings' `copy_span`s point into.
    pub copy: Option<&'a str>,
}

/// One audited file.
#[derive(Clone, Debug, Serialize)]
pub struct FileEntry {
    /// Path as given.
    pub path: String,
    /// Its format (`html`, `markdown`, `text`, `label`).
    pub format: String,
    /// Number of findings in it.
    pub findings: usize,
    /// A problem that did not stop the audit (invalid UTF-8 replaced, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// Its visible copy (extracted text), kept only for reports that show it.
    #[serde(skip)]
    pub copy: Option<String>,
}

/// What a report says about a rule that produced findings: its documentation and legal basis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleMeta {
    /// Rule id.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Category.
    pub category: String,
    /// What a finding of it says (before a finding fills in its own words).
    pub message: String,
    /// Why it is a problem (`why` in the rule file).
    pub why: String,
    /// Compliant rewording.
    pub suggest: String,
    /// Legal positions in every jurisdiction the rule covers.
    pub positions: Vec<std::sync::Arc<crate::diagnostic::PositionSummary>>,
}

/// Counts for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files audited.
    pub files: usize,
    /// Findings in all: one per claim.
    pub findings: usize,
    /// Rule matches the findings carry (their own, their related rules', their other places).
    pub rule_matches: usize,
    /// Findings of severity error.
    pub error: usize,
    /// Findings of severity warning.
    pub warning: usize,
    /// Findings of severity info.
    pub info: usize,
    /// Findings removed by inline suppressions.
    pub suppressed: usize,
    /// Findings removed by waivers.
    pub waived: usize,
    /// Findings left out because the baseline holds them.
    pub baselined: usize,
    /// Findings left out because none of their lines changed (`--changed-lines`).
    pub unchanged_lines: usize,
}

/// Whether `text` is a report or baseline overclaim wrote (HTML, JSON, SARIF): found in an audited
/// folder it is passed over, not audited as copy, and `--output` may replace it.
pub(crate) fn is_own_report(text: &str) -> bool {
    let head = text.get(..text.len().min(4096)).unwrap_or(text);
    head.trim_start()
        .starts_with("{\"schema\":\"overclaim/report@")
        || head
            .trim_start()
            .starts_with("{\"schema\":\"overclaim/baseline@")
        || head.contains("<meta name=\"generator\" content=\"overclaim ")
        || (head.contains("sarif-2.1.0")
            && (text.contains("\"name\":\"overclaim\"")
                || text.contains("\"name\": \"overclaim\"")))
}

/// Everything a run found, in path then offset order.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The jurisdictions the run judged under, in report order.
    pub jurisdictions: Vec<Jurisdiction>,
    /// Audited files.
    pub files: Vec<FileEntry>,
    /// Findings, when the report is collected in memory (a run streams them to its reporter
    /// instead, and leaves this empty).
    pub findings: Vec<Finding>,
    /// Files not audited, with reasons.
    pub skipped: Vec<Skipped>,
    /// Findings removed by inline suppressions.
    pub suppressed: usize,
    /// Findings removed by waivers.
    pub waived: usize,
    /// The rules behind the findings, by id.
    pub rules: Vec<RuleMeta>,
    /// Findings counted so far, by severity (info, warning, error).
    pub counts: [usize; 3],
    /// Rule matches the findings counted so far carry (a finding is one claim; it may carry
    /// related rules and repeated places).
    pub rule_matches: usize,
    /// Reports of overclaim's own found in audited folders and passed over (not copy).
    pub passed_over: Vec<String>,
    /// Findings left out because the baseline holds them.
    pub baselined: usize,
    /// Findings left out because none of their lines changed (`--changed-lines`).
    pub unchanged_lines: usize,
    /// Files not audited because they did not change since `--changed-since`'s ref.
    pub unchanged_files: usize,
    /// The baseline the run used, when it used one.
    pub baseline: Option<BaselineUse>,
}

/// The baseline a run compared its findings with.
#[derive(Clone, Debug, Serialize)]
pub struct BaselineUse {
    /// The baseline file as named.
    pub file: String,
    /// Its entries that no finding met any more: of audited files (fixed or reworded claims),
    /// or of files that no longer exist.
    pub stale: Vec<crate::baseline::Entry>,
    /// How many entries it has.
    #[serde(skip)]
    pub entries: usize,
    /// How many of them are for files this run audited (none: the baseline is for other files,
    /// or was moved away from the folder its paths are relative to).
    #[serde(skip)]
    pub entries_for_audited: usize,
}

impl Report {
    /// Counts findings (streamed to a reporter, or kept in [`Report::findings`]).
    pub fn tally(&mut self, findings: &[Finding]) {
        for f in findings {
            self.counts[f.severity as usize] += 1;
            self.rule_matches += f.rule_matches();
        }
    }

    /// Counts and keeps findings (for a report collected in memory).
    pub fn add(&mut self, findings: Vec<Finding>) {
        self.tally(&findings);
        self.findings.extend(findings);
    }

    /// Totals by severity.
    pub fn summary(&self) -> Summary {
        let [info, warning, error] = self.counts;
        Summary {
            files: self.files.len(),
            findings: info + warning + error,
            rule_matches: self.rule_matches,
            error,
            warning,
            info,
            suppressed: self.suppressed,
            waived: self.waived,
            baselined: self.baselined,
            unchanged_lines: self.unchanged_lines,
        }
    }
}

/// An output format: receives a run's documents in path order as they are audited, skipped
/// files and records as they come, then the finished report (files, skipped, totals, rules).
pub trait Reporter {
    /// The findings of one audited document (or of a waivers file), sorted by offset.
    fn document(&mut self, audited: &Audited<'_>) -> std::io::Result<()>;
    /// Whether it shows each page's visible copy ([`Audited::copy`]); only then does a run
    /// keep the copy of every page it audits until the page is reported.
    fn shows_copy(&self) -> bool {
        false
    }
    /// Whether it quotes the source lines of each finding ([`Finding::context`]); only then
    /// does the judge copy them into findings.
    fn quotes_lines(&self) -> bool {
        false
    }
    /// A file or record that was not audited.
    fn skipped(&mut self, _skipped: &Skipped) -> std::io::Result<()> {
        Ok(())
    }
    /// Everything else; called once at the end.
    fn finish(&mut self, report: &Report) -> std::io::Result<()>;
}

/// A reporter shown only the findings at or above a severity (`--min-severity`), or none
/// (`--quiet`, `least` = `None`); the report it is given at the end still counts them all.
pub struct Showing<'a> {
    inner: Box<dyn Reporter + 'a>,
    least: Option<Severity>,
}

impl<'a> Showing<'a> {
    /// `inner`, shown the findings of at least `least` (none for `None`).
    pub fn new(inner: Box<dyn Reporter + 'a>, least: Option<Severity>) -> Showing<'a> {
        Showing { inner, least }
    }
}

impl Reporter for Showing<'_> {
    fn document(&mut self, audited: &Audited<'_>) -> std::io::Result<()> {
        let shown: Vec<Finding> = match self.least {
            None => Vec::new(),
            Some(least) => audited
                .findings
                .iter()
                .filter(|f| f.severity >= least)
                .cloned()
                .collect(),
        };
        self.inner.document(&Audited {
            findings: &shown,
            ..*audited
        })
    }

    fn shows_copy(&self) -> bool {
        self.inner.shows_copy()
    }

    fn quotes_lines(&self) -> bool {
        self.inner.quotes_lines()
    }

    fn skipped(&mut self, skipped: &Skipped) -> std::io::Result<()> {
        self.inner.skipped(skipped)
    }

    fn finish(&mut self, report: &Report) -> std::io::Result<()> {
        self.inner.finish(report)
    }
}
