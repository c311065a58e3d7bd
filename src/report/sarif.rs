//! `--format sarif`: SARIF 2.1.0 through the serde-sarif crate's types. Rule metadata carries
//! the rule's explanation, the suggested wording and the legal references.
//!
//! The log is streamed like the JSON report: each result is written as its document is
//! audited, one per line, and the run's `tool` (with the rules behind the results, known only
//! at the end) follows the results. Results name their rule by `ruleId`; a `ruleIndex` would
//! need the rule list before the first result.

use super::{Audited, Report, Reporter, RuleMeta};
use crate::diagnostic::{Finding, Severity, SourceSpan};
use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, SCHEMA_URL, Tool, ToolComponent, Version,
};
use std::collections::BTreeMap;
use std::io::Write;

/// Writes one SARIF 2.1.0 log with one run, a result at a time.
pub struct SarifReporter<W: Write> {
    out: W,
    started: bool,
    first: bool,
}

impl<W: Write> SarifReporter<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        SarifReporter {
            out,
            started: false,
            first: true,
        }
    }

    /// The log's opening, up to the run's first result.
    fn start(&mut self) -> std::io::Result<()> {
        if !self.started {
            self.started = true;
            write!(
                self.out,
                "{{\"$schema\":{},\"version\":{},\"runs\":[{{\"results\":[",
                Value::from(SCHEMA_URL),
                Value::from(Version::V2_1_0.to_string())
            )?;
        }
        Ok(())
    }
}

impl<W: Write> Reporter for SarifReporter<W> {
    fn document(&mut self, audited: &Audited<'_>) -> std::io::Result<()> {
        self.start()?;
        for finding in audited.findings {
            self.out
                .write_all(if self.first { b"\n" } else { b",\n" })?;
            self.first = false;
            serde_json::to_writer(&mut self.out, &result(finding))?;
        }
        Ok(())
    }

    fn finish(&mut self, report: &Report) -> std::io::Result<()> {
        self.start()?;
        let driver = ToolComponent::builder()
            .name("overclaim")
            .version(env!("CARGO_PKG_VERSION"))
            .rules(report.rules.iter().map(descriptor).collect::<Vec<_>>())
            .build();
        write!(self.out, "\n],\n\"tool\":")?;
        serde_json::to_writer(&mut self.out, &Tool::builder().driver(driver).build())?;
        // A run that skipped files or records did not audit everything it was given: code
        // scanning must not read its results as the whole story.
        if !report.skipped.is_empty() {
            write!(self.out, ",\n\"invocations\":")?;
            serde_json::to_writer(&mut self.out, &[incomplete_invocation(report)])?;
        }
        writeln!(self.out, "}}]}}")?;
        self.out.flush()
    }
}

/// The invocation of a run that skipped something: not successful, one warning notification
/// per file or record skipped, at its file (and line, for a record).
fn incomplete_invocation(report: &Report) -> Invocation {
    let notifications: Vec<Notification> = report
        .skipped
        .iter()
        .map(|skipped| {
            let text = match &skipped.record {
                Some(record) => format!("skipped {} ({record}): {}", skipped.path, skipped.reason),
                None => format!("skipped {}: {}", skipped.path, skipped.reason),
            };
            let artifact = ArtifactLocation::builder()
                .uri(artifact_uri(&skipped.path))
                .build();
            let physical = match skipped.line {
                Some(line) => PhysicalLocation::builder()
                    .artifact_location(artifact)
                    .region(Region::builder().start_line(line as i64).build())
                    .build(),
                None => PhysicalLocation::builder()
                    .artifact_location(artifact)
                    .build(),
            };
            Notification::builder()
                .level(json!("warning"))
                .message(Message::builder().text(text).build())
                .locations(vec![
                    Location::builder().physical_location(physical).build(),
                ])
                .build()
        })
        .collect();
    Invocation::builder()
        .execution_successful(false)
        .tool_execution_notifications(notifications)
        .build()
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn bag(properties: BTreeMap<String, Value>) -> PropertyBag {
    PropertyBag::builder()
        .additional_properties(properties)
        .build()
}

/// A rule's metadata: title, explanation, help with the suggestion and the legal references.
fn descriptor(rule: &RuleMeta) -> ReportingDescriptor {
    let references: Vec<String> = rule
        .positions
        .iter()
        .map(|p| format!("{}: {} ({}) {}", p.jurisdiction, p.instrument, p.id, p.url))
        .collect();
    let help_text = format!(
        "{}\n\nTry: {}\n\nLegal basis:\n{}",
        rule.why,
        rule.suggest,
        references.join("\n")
    );
    let help_markdown = format!(
        "{}\n\n**Try:** {}\n\n**Legal basis:**\n{}",
        rule.why,
        rule.suggest,
        rule.positions
            .iter()
            .map(|p| format!(
                "- {}: [{}]({}) (`{}`)",
                p.jurisdiction, p.instrument, p.url, p.id
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let positions: Vec<Value> = rule
        .positions
        .iter()
        .map(|p| json!({ "id": p.id, "jurisdiction": p.jurisdiction, "instrument": p.instrument, "url": p.url, "status": p.status }))
        .collect();
    ReportingDescriptor::builder()
        .id(&rule.id)
        .name(&rule.title)
        .short_description(
            MultiformatMessageString::builder()
                .text(&rule.title)
                .build(),
        )
        .full_description(MultiformatMessageString::builder().text(&rule.why).build())
        .help(
            MultiformatMessageString::builder()
                .text(help_text)
                .markdown(help_markdown)
                .build(),
        )
        .default_configuration(ReportingConfiguration::builder().enabled(true).build())
        .properties(bag(BTreeMap::from([
            ("category".to_string(), json!(rule.category)),
            ("positions".to_string(), Value::Array(positions)),
            ("tags".to_string(), json!(["overclaim", rule.category])),
        ])))
        .build()
}

/// A place in the finding's file, with what is found there for a related location.
fn place(path: &str, span: &SourceSpan, message: Option<String>) -> Location {
    let region = Region::builder()
        .start_line(span.line as i64)
        .start_column(span.column as i64)
        .end_line(span.end_line as i64)
        .end_column(span.end_column as i64)
        .byte_offset(span.start as i64)
        .byte_length((span.end - span.start) as i64)
        .build();
    let physical = PhysicalLocation::builder()
        .artifact_location(ArtifactLocation::builder().uri(artifact_uri(path)).build())
        .region(region)
        .build();
    match message {
        Some(text) => Location::builder()
            .physical_location(physical)
            .message(Message::builder().text(text).build())
            .build(),
        None => Location::builder().physical_location(physical).build(),
    }
}

fn result(finding: &Finding) -> SarifResult {
    let location = place(&finding.path, &finding.span, None);
    // The claim's other rules, then the rule's other places on the page.
    let related: Vec<Location> = finding
        .related
        .iter()
        .map(|r| {
            let text = format!("{}: {}", r.rule, r.message);
            place(&finding.path, &r.span, Some(text))
        })
        .chain(finding.also_at.iter().map(|span| {
            let text = format!("{} again", finding.rule);
            place(&finding.path, span, Some(text))
        }))
        .chain(finding.related.iter().flat_map(|r| {
            r.also_at.iter().map(|span| {
                let text = format!("{} again", r.rule);
                place(&finding.path, span, Some(text))
            })
        }))
        .collect();
    let mut properties = BTreeMap::from([
        ("category".to_string(), json!(finding.category)),
        ("jurisdictions".to_string(), json!(finding.jurisdictions)),
        ("text".to_string(), json!(finding.text)),
        ("claim".to_string(), json!(finding.claim)),
        ("suggestion".to_string(), json!(finding.suggestion)),
    ]);
    let severities: serde_json::Map<String, Value> = finding
        .severities
        .iter()
        .map(|(j, s)| (j.as_str().to_string(), json!(s)))
        .collect();
    properties.insert("severities".to_string(), Value::Object(severities));
    if !finding.related.is_empty() {
        properties.insert("related".to_string(), json!(finding.related));
    }
    if let Some(evidence) = &finding.evidence {
        properties.insert("evidence".to_string(), json!(evidence));
    }
    if let Some(record) = &finding.record {
        properties.insert("record".to_string(), json!(record));
    }
    if let Some(part) = &finding.part {
        properties.insert("part".to_string(), json!(part));
    }
    let mut result: SarifResult = SarifResult::builder()
        .rule_id(&finding.rule)
        .level(level(finding.severity))
        .message(Message::builder().text(&finding.message).build())
        .locations(vec![location])
        .properties(bag(properties))
        .build();
    result.related_locations = (!related.is_empty()).then_some(related);
    result
}

/// Characters a relative URI path keeps as they are: RFC 3986 unreserved characters and `/`.
const PATH_KEEPS: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The SARIF `artifactLocation.uri` of a reported path: a `file://` URI for an absolute path, a
/// percent-encoded relative reference otherwise ("my page.html" is "my%20page.html"; a newline
/// or `#` cannot end or forge the reference).
fn artifact_uri(path: &str) -> String {
    let absolute = std::path::Path::new(path);
    if absolute.is_absolute()
        && let Ok(url) = url::Url::from_file_path(absolute)
    {
        return url.to_string();
    }
    percent_encoding::utf8_percent_encode(&path.replace('\\', "/"), PATH_KEEPS).to_string()
}

#[cfg(test)]
mod uri_tests {
    use super::artifact_uri;

    #[test]
    fn artifact_uris_are_uris() {
        assert_eq!(artifact_uri("samples/a.html"), "samples/a.html");
        assert_eq!(
            artifact_uri("pages/my page#1.html"),
            "pages/my%20page%231.html"
        );
        assert_eq!(artifact_uri("odd\nname.txt"), "odd%0Aname.txt");
        assert_eq!(
            artifact_uri("/tmp/caf\u{e9}.txt"),
            "file:///tmp/caf%C3%A9.txt"
        );
        assert_eq!(artifact_uri("<stdin>"), "%3Cstdin%3E");
    }
}
