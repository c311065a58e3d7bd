//! `--format github`: GitHub Actions workflow commands, one annotation per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`).

use super::{Audited, Report, Reporter};
use crate::diagnostic::{
    Finding, Jurisdiction, Rewording, Severity, SourceSpan, by_level, severities_differ,
};
use std::io::Write;

/// Streams one workflow command per finding.
pub struct GithubReporter<W: Write> {
    out: W,
}

impl<W: Write> GithubReporter<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        GithubReporter { out }
    }
}

impl<W: Write> Reporter for GithubReporter<W> {
    fn document(&mut self, audited: &Audited<'_>) -> std::io::Result<()> {
        write_commands(&mut self.out, audited.findings)
    }

    fn finish(&mut self, _report: &Report) -> std::io::Result<()> {
        self.out.flush()
    }
}

fn write_commands(out: &mut impl Write, findings: &[Finding]) -> std::io::Result<()> {
    for f in findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let record = f
            .record
            .iter()
            .chain(&f.part)
            .map(|r| format!("({r}) "))
            .collect::<String>();
        // An annotation is all a reviewer sees in the pull request: the claim's other rules
        // and places go into it too.
        // Severities per jurisdiction where they differ, else the jurisdictions.
        let markets = |severities: &[(Jurisdiction, Severity)], jurisdictions: &[Jurisdiction]| {
            if severities_differ(severities) {
                by_level(severities)
            } else {
                codes(jurisdictions)
            }
        };
        let mut message = format!(
            "{record}{} [{}]",
            f.message,
            markets(&f.severities, &f.jurisdictions)
        );
        let lines = |spans: &[SourceSpan]| {
            let lines: Vec<String> = spans.iter().map(|s| s.line.to_string()).collect();
            lines.join(", ")
        };
        for related in &f.related {
            message += &format!(
                " Also {} [{}]: {}",
                related.rule,
                markets(&related.severities, &related.jurisdictions),
                related.message
            );
            if !related.also_at.is_empty() {
                message += &format!(" (also on lines {})", lines(&related.also_at));
            }
        }
        if !f.also_at.is_empty() {
            message += &format!(" Also on lines {}.", lines(&f.also_at));
        }
        message += &match f.rewording() {
            Rewording::Try(words) => format!(" Try: {words}"),
            Rewording::Instead(what) => format!(" Instead: {what}"),
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&f.path),
            f.span.line,
            f.span.column,
            f.span.end_line,
            f.span.end_column,
            property(&f.rule),
            data(&message),
        )?;
    }
    Ok(())
}

fn codes(jurisdictions: &[Jurisdiction]) -> String {
    let codes: Vec<&str> = jurisdictions.iter().map(|j| j.as_str()).collect();
    codes.join(", ")
}

/// Escapes a command's message (GitHub's `escapeData`).
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value (GitHub's `escapeProperty`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_escaped() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a,b:c"), "a%2Cb%3Ac");
    }
}
