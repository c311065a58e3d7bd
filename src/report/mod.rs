//! Stage 6, `report`: one [`Report`] of findings and skipped files, rendered by one renderer per
//! output format.

mod github;
mod sarif;

pub use github::{GithubReporter, render_github};
pub use sarif::render_sarif;

mod html;
mod human;
mod json;

pub use html::render_html;
pub use human::{HumanReporter, render_human};
pub use json::{JsonReporter, render_json};

use crate::diagnostic::Finding;
use crate::source::{Format, Skipped};
use serde::Serialize;

/// One audited file.
#[derive(Clone, Debug, Serialize)]
pub struct FileEntry {
    /// Path as given.
    pub path: String,
    /// Its format.
    pub format: Format,
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
    /// Why it is a problem (`why` in the rule file).
    pub why: String,
    /// Compliant rewording.
    pub suggest: String,
    /// Legal positions in every jurisdiction the rule covers.
    pub positions: Vec<crate::diagnostic::PositionSummary>,
}

/// Counts for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files audited.
    pub files: usize,
    /// Findings in all.
    pub findings: usize,
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
}

/// Everything a run found, in path then offset order.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Audited files.
    pub files: Vec<FileEntry>,
    /// Findings.
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
}

impl Report {
    /// Counts findings (streamed to a reporter, or kept in [`Report::findings`]).
    pub fn tally(&mut self, findings: &[Finding]) {
        for f in findings {
            self.counts[f.severity as usize] += 1;
        }
    }

    /// Counts and keeps findings.
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
            error,
            warning,
            info,
            suppressed: self.suppressed,
            waived: self.waived,
        }
    }
}

/// Receives a run's findings file by file, in order, as they are produced, then the finished
/// report (files, skipped, totals). Streaming reporters write each finding at once, so memory
/// does not grow with the corpus; the others keep findings until `finish`.
pub trait Reporter {
    /// Findings of one file (or of a waivers file), sorted by offset.
    fn findings(&mut self, findings: &[Finding]) -> std::io::Result<()>;
    /// Everything else; called once at the end.
    fn finish(&mut self, report: &Report) -> std::io::Result<()>;
}
