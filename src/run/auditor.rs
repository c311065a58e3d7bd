//! An engine held for auditing many texts in memory: what a Python worker, a Spark task or
//! any other embedder calls once per record, with the rules compiled once.
//!
//! A text is judged as `overclaim audit - --stdin-filename NAME` judges it: the config that
//! applies to the current folder (or the one named) gives the rules, jurisdictions, product,
//! disabled rules and severity overrides; the command-line settings beat it. Waivers are not
//! applied: they belong to files, and an in-memory text has none.

use super::{RuleChoice, RunSettings, cli_jurisdictions, engine_here, options_for};
use crate::Engine;
use crate::config::{Config, Policy};
use crate::diagnostic::Finding;
use crate::error::RunError;
use crate::judge::AuditOptions;
use crate::source::{Format, SourceFile};
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// Compiled rules with the options of one config, ready to judge texts.
pub struct Auditor {
    engine: Arc<Engine>,
    options: AuditOptions,
}

impl Auditor {
    /// The auditor of these settings (`config`, `rule_dirs`, `no_default_rules`,
    /// `jurisdictions`, `product`, `select`, `ignore`; the rest is not read). A broken config
    /// or rule file, an unknown jurisdiction or a selector that names no rule is an error.
    pub fn new(settings: &RunSettings) -> Result<Auditor, RunError> {
        let engine = engine_here(settings)?;
        let choice = RuleChoice::of(settings);
        choice.check(std::slice::from_ref(&engine))?;
        let config_path = settings
            .config
            .clone()
            .or_else(|| Config::find(Path::new(".")));
        let policy = match config_path {
            Some(path) => {
                let mut config = Config::load(&path)?;
                // Checked already by `engine_here`; this resolves the aliases (GB → UK).
                let _ = config.resolve_jurisdictions(&engine.knowledge);
                config.policy_for(Path::new("."))
            }
            None => Policy::default(),
        };
        let chosen = cli_jurisdictions(settings, &engine)?;
        let options = options_for(&engine, chosen.as_ref(), settings, &choice, policy, true);
        Ok(Auditor { engine, options })
    }

    /// The codes of the jurisdictions texts are judged under, in report order.
    pub fn jurisdictions(&self) -> Vec<String> {
        self.options
            .jurisdictions
            .iter()
            .map(|j| j.as_str().to_string())
            .collect()
    }

    /// Judges one text read as `format`; findings name `name` as their path (and spans are
    /// offsets, lines and columns of the text), one per claim, in text order.
    pub fn audit_text(&self, text: &str, format: Format, name: &str) -> Vec<Finding> {
        let file = SourceFile {
            display: name.to_string(),
            format,
            text: text.to_string(),
            warning: None,
            parts: Vec::new(),
        };
        let document = self.engine.analyse(file);
        let findings = self.engine.judge(&document, &self.options).findings;
        crate::judge::merge_claims(findings, &self.engine.book, &self.options.jurisdictions)
    }

    /// Judges many texts on the thread pool; the answer is in the order of `texts`.
    pub fn audit_batch(&self, texts: &[(&str, Format, &str)]) -> Vec<Vec<Finding>> {
        texts
            .par_iter()
            .map(|(text, format, name)| self.audit_text(text, *format, name))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Audited, Report, Reporter};

    #[derive(Default)]
    struct Kept(Vec<String>);

    impl Reporter for Kept {
        fn document(&mut self, audited: &Audited<'_>) -> std::io::Result<()> {
            self.0
                .extend(audited.findings.iter().map(crate::report::finding_json));
            Ok(())
        }

        fn finish(&mut self, _report: &Report) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_text_gets_the_findings_the_command_line_gives_it() {
        let html = "<h1>Exosome Serum</h1><p>Cures eczema and erases wrinkles overnight.</p>\
                    <p>Clinically proven. No side effects.</p>";
        let settings = RunSettings {
            jurisdictions: Some(vec!["EU".into(), "UK".into()]),
            ..RunSettings::for_copy("page.html".into(), Arc::from(html.as_bytes()))
        };
        let mut kept = Kept::default();
        super::super::run(&settings, &mut kept, &super::super::Silent).unwrap();
        assert!(kept.0.len() >= 3, "{:?}", kept.0);

        let auditor = Auditor::new(&settings).unwrap();
        assert_eq!(auditor.jurisdictions(), ["EU", "UK"]);
        let alone: Vec<String> = auditor
            .audit_text(html, Format::Html, "page.html")
            .iter()
            .map(crate::report::finding_json)
            .collect();
        assert_eq!(alone, kept.0);
        let batch = auditor.audit_batch(&[
            (html, Format::Html, "page.html"),
            ("Gentle.", Format::Text, "b"),
        ]);
        assert_eq!(batch[0].len(), kept.0.len());
        assert!(batch[1].is_empty());
    }

    #[test]
    fn an_unknown_jurisdiction_is_an_error() {
        let settings = RunSettings {
            jurisdictions: Some(vec!["XX".into()]),
            ..RunSettings::default()
        };
        assert!(matches!(Auditor::new(&settings), Err(RunError::Usage(_))));
    }
}
