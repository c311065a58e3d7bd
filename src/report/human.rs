//! The default terminal output: rustc-style diagnostics through annotate-snippets, then a
//! summary line.

use super::{Audited, Report, Reporter};
use crate::diagnostic::{Finding, Rewording, Severity, SourceSpan, by_level, severities_differ};
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use colored::Colorize;
use std::fmt::Write as _;
use std::io::Write;

/// Writes each finding as it comes, then the summary line.
pub struct HumanReporter<W: Write> {
    out: W,
    renderer: Renderer,
}

impl<W: Write> HumanReporter<W> {
    /// A reporter writing to `out`; `color` switches ANSI styling on.
    pub fn new(out: W, color: bool) -> Self {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        HumanReporter { out, renderer }
    }
}

impl<W: Write> Reporter for HumanReporter<W> {
    fn document(&mut self, audited: &Audited<'_>) -> std::io::Result<()> {
        for finding in audited.findings {
            writeln!(self.out, "{}\n", self.renderer.render(&diagnostic(finding)))?;
        }
        Ok(())
    }

    fn quotes_lines(&self) -> bool {
        true
    }

    fn finish(&mut self, report: &Report) -> std::io::Result<()> {
        writeln!(self.out, "{}", summary_line(report))?;
        self.out.flush()
    }
}

fn diagnostic(finding: &Finding) -> Vec<Group<'_>> {
    let level = match finding.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let context = &finding.context;
    // A byte-order mark is no column (as in JSON and SARIF) and is not shown.
    let (text, offset) = match context.text.strip_prefix('\u{feff}') {
        Some(rest) if context.offset == 0 => (rest, '\u{feff}'.len_utf8()),
        _ => (context.text.as_str(), 0),
    };
    let start = finding
        .span
        .start
        .saturating_sub(context.offset + offset)
        .min(text.len());
    let end = finding
        .span
        .end
        .saturating_sub(context.offset + offset)
        .clamp(start, text.len());
    let jurisdictions: Vec<&str> = finding.jurisdictions.iter().map(|j| j.as_str()).collect();
    let label = format!("{} ({})", finding.category, jurisdictions.join(", "));
    let title = level
        .primary_title(finding.message.as_str())
        .id(finding.rule.as_str());
    let mut snippet = Snippet::source(text)
        .line_start(context.first_line)
        .annotation(AnnotationKind::Primary.span(start..end).label(label));
    // Related rules underline their own words where those are on one of the lines shown and
    // are not the primary words again.
    for related in &finding.related {
        let one_line = related.span.line == related.span.end_line;
        let same = related.span.start == finding.span.start && related.span.end == finding.span.end;
        if !one_line || same {
            continue;
        }
        let base = context.offset + offset;
        let (Some(start), Some(end)) = (
            related.span.start.checked_sub(base),
            related.span.end.checked_sub(base),
        ) else {
            continue;
        };
        if end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end) {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(start..end)
                    .label(related.rule.as_str()),
            );
        }
    }
    // A window of a long line starts after the line does: the location is then given whole, as
    // the snippet cannot count the column.
    let mut group = if context.cut {
        title
            .element(
                Origin::path(finding.path.as_str())
                    .line(finding.span.line)
                    .char_column(finding.span.column),
            )
            .element(snippet)
    } else {
        title.element(snippet.path(finding.path.as_str()))
    };
    if let Some(record) = &finding.record {
        group = group.element(Level::NOTE.message(format!("in record {record}")));
    }
    if let Some(part) = &finding.part {
        group = group.element(Level::NOTE.message(format!("in {part}")));
    }
    if let Some(evidence) = &finding.evidence {
        group = group.element(Level::NOTE.message(format!(
            "evidence: {} (best level {}; supports at most {} claims)",
            evidence.topic, evidence.best_level, evidence.supports
        )));
    }
    // The other rules of the same claim, each with why it objects.
    for related in &finding.related {
        let jurisdictions: Vec<&str> = related.jurisdictions.iter().map(|j| j.as_str()).collect();
        let more = match related.also_at.len() {
            0 => String::new(),
            n => format!(
                " (and {n} more {} on this page: {})",
                if n == 1 { "place" } else { "places" },
                places(&related.also_at)
            ),
        };
        // Its severity in each jurisdiction where that differs, else once with the codes.
        let severity = if severities_differ(&related.severities) {
            by_level(&related.severities)
        } else {
            format!(
                "{}; {}",
                related.severity.as_str(),
                jurisdictions.join(", ")
            )
        };
        group = group.element(Level::NOTE.message(format!(
            "also {} ({severity}): {}{more}",
            related.rule, related.message
        )));
    }
    if !finding.also_at.is_empty() {
        let n = finding.also_at.len();
        group = group.element(Level::NOTE.message(format!(
            "and {n} more {} on this page: {}",
            if n == 1 { "place" } else { "places" },
            places(&finding.also_at)
        )));
    }
    if finding.severity_differs() {
        group = group
            .element(Level::NOTE.message(format!("severity: {}", by_level(&finding.severities))));
    }
    // The legal basis in each selected jurisdiction, not the first one alone.
    for (jurisdiction, _) in &finding.severities {
        if let Some(position) = finding
            .positions
            .iter()
            .find(|p| &p.jurisdiction == jurisdiction)
        {
            // A position not checked against the official text says so.
            let checked = if position.status == "verified" {
                String::new()
            } else {
                format!(", {}", position.status)
            };
            group = group.element(Level::NOTE.message(format!(
                "{}: {} ({}{checked})",
                position.jurisdiction, position.instrument, position.id
            )));
        }
    }
    let help = match finding.rewording() {
        Rewording::Try(words) => format!("try: \"{words}\""),
        Rewording::Instead(what) => what.to_string(),
    };
    vec![group.element(Level::HELP.message(help))]
}

/// `12:4, 30:1`: places by line and column.
fn places(spans: &[SourceSpan]) -> String {
    let places: Vec<String> = spans
        .iter()
        .map(|s| format!("{}:{}", s.line, s.column))
        .collect();
    places.join(", ")
}

fn summary_line(report: &Report) -> String {
    let s = report.summary();
    let mut line = String::new();
    let files = plural(s.files, "file");
    if s.files == 0 && report.unchanged_files > 0 {
        let unchanged = plural(report.unchanged_files, "file");
        let _ = write!(
            line,
            "{} ({unchanged} unchanged)",
            "no copy changed".green().bold()
        );
    } else if s.files == 0 {
        let _ = write!(line, "{}", "nothing to audit".yellow().bold());
    } else if s.findings == 0 {
        let _ = write!(line, "{} in {files}", "no overclaims found".green().bold());
    } else {
        let _ = write!(
            line,
            "{} ({}, {}, {})",
            plural(s.findings, "finding").bold(),
            plural(s.error, "error").red(),
            plural(s.warning, "warning").yellow(),
            format!("{} info", s.info).cyan(),
        );
        // A finding is one claim; say so when claims carry more than one rule match.
        if s.rule_matches > s.findings {
            let _ = write!(line, " from {} rule matches", s.rule_matches);
        }
        let _ = write!(line, " in {files}");
    }
    for (n, what) in [
        (s.suppressed, "suppressed"),
        (s.waived, "waived"),
        (s.baselined, "baselined"),
        (s.unchanged_lines, "on unchanged lines"),
    ] {
        if n > 0 {
            let _ = write!(line, "; {n} {what}");
        }
    }
    let records = report.skipped.iter().filter(|s| s.record.is_some()).count();
    let files = report.skipped.len() - records;
    for (n, what) in [(files, "file"), (records, "record")] {
        if n > 0 {
            let _ = write!(line, "; {} skipped", plural(n, what));
        }
    }
    line
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
