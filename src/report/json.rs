//! `--format json`: the report contract of design.md (schema `overclaim/report@1`).

use super::{FileEntry, Report, Summary};
use crate::diagnostic::Finding;
use crate::source::Skipped;
use serde::Serialize;

/// The JSON document, field for field as in the contract.
#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    files: &'a [FileEntry],
    findings: &'a [Finding],
    summary: Summary,
    skipped: &'a [Skipped],
}

/// Renders the report as pretty-printed JSON.
pub fn render_json(report: &Report) -> String {
    let doc = JsonReport {
        schema: "overclaim/report@1",
        files: &report.files,
        findings: &report.findings,
        summary: report.summary(),
        skipped: &report.skipped,
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("report types always serialise");
    out.push('\n');
    out
}
