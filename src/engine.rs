//! The embeddable entry point: an [`Engine`] holds a compiled rule set and audits documents.

use crate::claims;
use crate::diagnostic::Finding;
use crate::extract;
use crate::judge::{self, AuditOptions};
use crate::parse;
use crate::rules::RuleSet;
use crate::source::SourceFile;

/// A compiled rule set plus audit options; cheap to share between threads.
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

    /// Runs extract → parse → claims → judge on one document.
    pub fn audit(&self, file: &SourceFile) -> Result<Vec<Finding>, String> {
        let extracted = extract::extract(file);
        let parsed = parse::parse(&extracted.text, &extracted.hints)?;
        let claims = claims::frames(&extracted.text, &parsed, &self.rules);
        Ok(judge::judge(
            file,
            &extracted,
            &parsed,
            &claims,
            &self.rules,
            &self.options,
        ))
    }
}
