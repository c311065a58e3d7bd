//! Every report format rendered from one shared, fixed set of findings, snapshot-tested; SARIF is
//! also validated against the official SARIF 2.1.0 JSON Schema (tests/fixtures, as shipped with
//! the serde-sarif crate), and every format is checked for escaping of hostile copy.

use overclaim::diagnostic::{
    EvidenceSummary, Finding, FrameSummary, Jurisdiction, LineIndex, PositionSummary, Related,
    Severity, Skipped, Span,
};
use overclaim::report::{FileEntry, Report, ReportFormat, RuleMeta, render};

const PAGE: &str = "<p>Our serum boosts collagen & is \"clinically proven\".</p>\n<p><script>alert('x')</script> No side effects.</p>\n";
const COPY: &str = "Our serum boosts collagen & is \"clinically proven\".\n\n<script>alert('x')</script> No side effects.\n\n";

fn position(id: &str, jurisdiction: Jurisdiction) -> std::sync::Arc<PositionSummary> {
    std::sync::Arc::new(PositionSummary {
        id: id.to_string(),
        jurisdiction,
        instrument: format!("Instrument of {id}"),
        url: format!("https://example.org/{id}"),
        status: "verified".to_string(),
    })
}

fn finding(rule: &str, severity: Severity, needle: &str, copy_needle: &str) -> Finding {
    let lines = LineIndex::new(PAGE);
    let start = PAGE.find(needle).expect("needle in page");
    let span = Span::new(start, start + needle.len());
    let copy_start = COPY.find(copy_needle).expect("needle in copy");
    Finding {
        path: "pages/serum.html".to_string(),
        rule: rule.to_string(),
        category: rule.split('.').next().unwrap().to_string(),
        severity,
        // Never more than a warning in the EU: the reports show severities that differ.
        severities: vec![
            (Jurisdiction::new("US"), severity),
            (Jurisdiction::new("EU"), severity.min(Severity::Warning)),
        ],
        jurisdictions: vec![Jurisdiction::new("US"), Jurisdiction::new("EU")],
        message: format!("Message of {rule}, with <b>markup</b> & \"quotes\"."),
        span: lines.source_span(span),
        text: copy_needle.to_string(),
        claim: "Our serum boosts collagen & is \"clinically proven\".".to_string(),
        evidence: rule.starts_with("drug").then(|| {
            std::sync::Arc::new(EvidenceSummary {
                topic: "exosomes.collagen".to_string(),
                best_level: "animal".to_string(),
                supports: "speculative".to_string(),
                studies: vec!["Wang X, et al. 2019.".to_string()],
            })
        }),
        positions: vec![
            position("us-fda.drug-definition", Jurisdiction::new("US")),
            position("eu.common-criteria", Jurisdiction::new("EU")),
        ],
        suggestion: "helps improve the look of firmness".to_string(),
        frame: Some(FrameSummary {
            assertion: "asserted".to_string(),
        }),
        record: None,
        part: None,
        related: Vec::new(),
        also_at: Vec::new(),
        context: lines.context(span),
        copy_span: Some(Span::new(copy_start, copy_start + copy_needle.len())),
    }
}

fn report() -> Report {
    let findings = vec![
        finding(
            "drug-claim.collagen-stimulation",
            Severity::Error,
            "boosts collagen",
            "boosts collagen",
        ),
        finding(
            "evidence-strength.proven-claim",
            Severity::Warning,
            "clinically proven",
            "clinically proven",
        ),
        finding(
            "absolute.no-side-effects",
            Severity::Info,
            "No side effects",
            "No side effects",
        ),
    ];
    // The first claim carries a related rule and a second place, as merged findings do.
    let mut findings = findings;
    let lines = LineIndex::new(PAGE);
    let related_at = PAGE.find("collagen").expect("related words in page");
    findings[0].related.push(Related {
        rule: "evidence-strength.collagen-beyond-evidence".to_string(),
        category: "evidence-strength".to_string(),
        severity: Severity::Warning,
        severities: vec![(Jurisdiction::new("US"), Severity::Warning)],
        jurisdictions: vec![Jurisdiction::new("US")],
        message: "Stronger than the <evidence>.".to_string(),
        span: lines.source_span(Span::new(related_at, related_at + "collagen".len())),
        text: "collagen".to_string(),
        also_at: Vec::new(),
    });
    let elsewhere = findings[2].span;
    findings[0].also_at.push(elsewhere);
    let rules = findings
        .iter()
        .map(|f| RuleMeta {
            id: f.rule.clone(),
            title: format!("Title of {}", f.rule),
            category: f.category.clone(),
            message: f.message.clone(),
            why: "Why it matters.".to_string(),
            suggest: f.suggestion.clone(),
            positions: f.positions.clone(),
        })
        .collect();
    let mut report = Report {
        jurisdictions: ["US", "EU", "UK"].map(Jurisdiction::new).to_vec(),
        files: vec![FileEntry {
            path: "pages/serum.html".to_string(),
            format: "html".to_string(),
            findings: 3,
            warning: None,
            copy: Some(COPY.to_string()),
        }],
        skipped: vec![Skipped::file("logo.png", "binary file".to_string())],
        suppressed: 1,
        waived: 2,
        rules,
        ..Report::default()
    };
    report.add(findings);
    report
}

#[test]
fn human() {
    insta::assert_snapshot!(render(ReportFormat::Human, &report(), false));
}

#[test]
fn json() {
    let rendered = render(ReportFormat::Json, &report(), false);
    let value: serde_json::Value = serde_json::from_str(&rendered).unwrap();
    assert_eq!(
        value["findings"][0]["claim"],
        "Our serum boosts collagen & is \"clinically proven\"."
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let rendered = render(ReportFormat::Sarif, &report(), false)
        .replace(env!("CARGO_PKG_VERSION"), "[version]");
    let log: serde_json::Value = serde_json::from_str(&rendered).unwrap();
    // The official schema's `language` pattern has a stray `]` that the validator's strict regex
    // check of the schema rejects; it is replaced by the pattern the text of the standard means
    // (a two-letter language, optionally with a region). Nothing else is changed.
    let schema_text = include_str!("fixtures/sarif-2.1.0.schema.json").replace(
        r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        r"^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
    );
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
    assert!(
        rule["help"]["text"]
            .as_str()
            .unwrap()
            .contains("Instrument of us-fda.drug-definition")
    );
    assert_eq!(log["runs"][0]["results"][2]["level"], "note");
    // The skipped file makes the run incomplete, and says which file it was.
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["message"]["text"],
        "skipped logo.png: binary file"
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn github() {
    let rendered = render(ReportFormat::Github, &report(), false);
    let first = rendered.lines().next().unwrap();
    assert!(first.starts_with("::error file=pages/serum.html,line=1,col=14,endLine=1,endColumn=29,title=drug-claim.collagen-stimulation::"), "{first}");
    insta::assert_snapshot!(rendered);
}

#[test]
fn html_is_self_contained_and_escapes_the_copy() {
    let rendered = render(ReportFormat::Html, &report(), false);
    assert!(!rendered.contains("<script>alert"), "copy must be escaped");
    assert!(rendered.contains("&lt;script&gt;alert"));
    assert!(!rendered.contains(" src="), "no external resources");
    insta::assert_snapshot!(rendered);
}
