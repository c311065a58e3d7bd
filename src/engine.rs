//! The embeddable entry point: an [`Engine`] holds a compiled rule set and audits documents.

use crate::claims;
use crate::diagnostic::Finding;
use crate::extract;
use crate::judge::{self, AuditOptions, Judged};
use crate::parse;
use crate::rules::{Check, RuleSet};
use crate::source::SourceFile;

/// A compiled rule set plus default audit options; cheap to share between threads.
#[derive(Debug)]
pub struct Engine {
    rules: RuleSet,
    options: AuditOptions,
}

impl Engine {
    /// An engine with the given rules and options.
    pub fn new(rules: RuleSet, options: AuditOptions) -> Engine {
        Engine { rules, options }
    }

    /// The rules it judges with.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Runs extract → parse → claims → judge on one document with the engine's options.
    pub fn audit(&self, file: &SourceFile) -> Result<Vec<Finding>, String> {
        self.audit_with(file, &self.options)
    }

    /// Like [`Engine::audit`], with options for this document (per-path settings).
    pub fn audit_with(
        &self,
        file: &SourceFile,
        options: &AuditOptions,
    ) -> Result<Vec<Finding>, String> {
        self.judge(file, options).map(|judged| judged.findings)
    }

    /// The whole result for one document: findings and the number of suppressed ones.
    pub fn judge(&self, file: &SourceFile, options: &AuditOptions) -> Result<Judged, String> {
        let extracted = extract::extract(file);
        let parsed = parse::parse(&extracted.text, &extracted.hints)?;
        let claims = claims::frames(&extracted.text, &parsed, &self.rules);
        let mut judged = judge::judge(file, &extracted, &parsed, &claims, &self.rules, options);
        judged.copy = extracted.text;
        Ok(judged)
    }
}

/// A rule example that did not behave as documented.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    /// Rule id.
    pub rule: String,
    /// Rule file.
    pub file: String,
    /// The example text.
    pub example: String,
    /// Why it failed.
    pub why: String,
}

/// Outcome of running rule examples.
#[derive(Clone, Debug, Default)]
pub struct ExampleReport {
    /// Examples that behaved as documented.
    pub passed: usize,
    /// Examples that did not.
    pub failures: Vec<ExampleFailure>,
}

impl Engine {
    /// Runs the `examples.flag` and `examples.pass` of every rule `select` picks, each as a
    /// plain-text document through the whole pipeline (product cosmetic, all jurisdictions).
    pub fn check_examples(&self, select: impl Fn(&crate::rules::Rule) -> bool) -> ExampleReport {
        let options = AuditOptions::default();
        let mut report = ExampleReport::default();
        // Waiver checks judge a whole run, not a document: their examples are descriptive, and the
        // CLI tests exercise them.
        let per_document = |r: &&crate::rules::Rule| {
            !matches!(r.check, Some(Check::UnusedWaiver | Check::ExpiredWaiver))
        };
        for rule in self
            .rules
            .rules
            .iter()
            .filter(per_document)
            .filter(|r| select(r))
        {
            let cases = rule
                .flag_examples
                .iter()
                .map(|e| (e, true))
                .chain(rule.pass_examples.iter().map(|e| (e, false)));
            for (example, should_flag) in cases {
                let file = SourceFile {
                    display: "example".to_string(),
                    format: rule.example_format,
                    text: example.clone(),
                    warning: None,
                };
                let findings = match self.audit_with(&file, &options) {
                    Ok(findings) => findings,
                    Err(e) => {
                        report.failures.push(ExampleFailure {
                            rule: rule.id.clone(),
                            file: rule.file.clone(),
                            example: example.clone(),
                            why: format!("the example does not parse: {e}"),
                        });
                        continue;
                    }
                };
                let own = findings.iter().find(|f| f.rule == rule.id);
                let why = match (should_flag, own) {
                    (true, None) => {
                        let fired: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
                        Some(if fired.is_empty() {
                            "should flag, but nothing fired".to_string()
                        } else {
                            format!("should flag, but only {} fired", fired.join(", "))
                        })
                    }
                    (false, Some(f)) => Some(format!("should pass, but matched `{}`", f.text)),
                    _ => None,
                };
                match why {
                    Some(why) => report.failures.push(ExampleFailure {
                        rule: rule.id.clone(),
                        file: rule.file.clone(),
                        example: example.clone(),
                        why,
                    }),
                    None => report.passed += 1,
                }
            }
        }
        report
    }
}
