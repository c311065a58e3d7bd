//! The embeddable entry point: an [`Engine`] holds the compiled vocabulary, rule book and
//! knowledge, turns files into [`Document`]s and judges them.

use crate::claims::Vocabulary;
use crate::diagnostic::{Finding, LineStarts, Skipped};
use crate::document::Document;
use crate::error::RunError;
use crate::extract::{self, Container};
use crate::judge::{self, AuditOptions, Judged, Product, RuleBook};
use crate::knowledge::Knowledge;
use crate::rules::{self, Compiled, LoadError, RuleSource};
use crate::source::SourceFile;
use rayon::prelude::*;
use std::sync::Arc;

/// Records of a container analysed at once, in parallel: enough to keep the cores busy, few
/// enough that the parsed records held at a time stay a small, fixed number.
const ANALYSE_BATCH: usize = 64;

/// Compiled rules and what they weigh claims against; cheap to share between threads.
#[derive(Debug)]
pub struct Engine {
    /// What the claims stage reads.
    pub(crate) vocabulary: Vocabulary,
    /// What the judge tries.
    pub(crate) book: RuleBook,
    /// Evidence, positions and jurisdictions.
    pub(crate) knowledge: Knowledge,
}

impl Engine {
    /// The engine with the built-in rules, lexicon, evidence and positions.
    pub fn builtin() -> Result<Engine, RunError> {
        Engine::from_sources(&rules::embedded_sources()).map_err(RunError::Config)
    }

    /// The engine a run with these settings uses for the current folder: the built-in rules
    /// (or not, with `no_default_rules`), the folders and evidence of the config that applies
    /// here (or `config`), then `rule_dirs`; every name the config uses is checked.
    pub fn for_settings(settings: &crate::RunSettings) -> Result<std::sync::Arc<Engine>, RunError> {
        crate::run::engine_here(settings)
    }

    /// The engine of these rule files.
    pub(crate) fn from_sources(sources: &[RuleSource]) -> Result<Engine, Vec<LoadError>> {
        rules::load(sources).map(Engine::from_compiled)
    }

    pub(crate) fn from_compiled(compiled: Compiled) -> Engine {
        Engine {
            vocabulary: compiled.vocabulary,
            book: compiled.book,
            knowledge: compiled.knowledge,
        }
    }

    /// The default options: a cosmetic, judged under every jurisdiction of the registry.
    pub fn options(&self) -> AuditOptions {
        AuditOptions::for_jurisdictions(self.knowledge.all_jurisdictions())
    }

    /// Analyses a file as one document: extract → parse → claims.
    pub fn analyse(&self, file: SourceFile) -> Document {
        let lines = Arc::new(LineStarts::of(&file.text));
        let copy = extract::extract_file(&file);
        Document::analyse(Arc::new(file), lines, copy, &self.vocabulary)
    }

    /// The documents of a file held the way `container` says: one for a whole file, one per
    /// record of a CSV or JSON Lines file. Records are analysed as the iterator reaches them, a
    /// batch of [`ANALYSE_BATCH`] at a time in parallel (so a large container never holds many
    /// parsed records at once). A record that cannot be read is a skip; `Err` when the file
    /// cannot be split at all.
    pub(crate) fn documents(
        &self,
        file: SourceFile,
        container: &Container,
    ) -> Result<impl Iterator<Item = Result<Document, Skipped>> + '_, Skipped> {
        let parts = extract::documents(&file, container)
            .map_err(|reason| Skipped::file(&file.display, reason))?;
        let lines = Arc::new(LineStarts::of(&file.text));
        let file = Arc::new(file);
        let analyse =
            move |copy| Document::analyse(file.clone(), lines.clone(), copy, &self.vocabulary);
        let mut parts = parts.into_iter();
        let batches = std::iter::from_fn(move || {
            let batch: Vec<_> = parts.by_ref().take(ANALYSE_BATCH).collect();
            // A whole file is one part: it is already analysed beside the other files.
            match batch.len() {
                0 => None,
                1 => Some(batch.into_iter().map(|part| part.map(&analyse)).collect()),
                _ => Some(
                    batch
                        .into_par_iter()
                        .map(|part| part.map(&analyse))
                        .collect::<Vec<_>>(),
                ),
            }
        });
        Ok(batches.flatten())
    }

    /// Judges a document: its findings, one per claim (see [`Finding::related`]), sorted by
    /// position.
    pub fn audit(&self, doc: &Document, options: &AuditOptions) -> Vec<Finding> {
        let findings = self.judge(doc, options).findings;
        judge::merge_claims(findings, &self.book, &options.jurisdictions)
    }

    /// Judges a document: findings and the number removed by inline suppressions.
    pub(crate) fn judge(&self, doc: &Document, options: &AuditOptions) -> Judged {
        crate::profile::time(crate::profile::Stage::Judge, || {
            judge::judge(doc, &self.book, &self.knowledge, options)
        })
    }

    /// Ids of every rule in force, in load order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.book.rules.iter().map(|r| r.id.as_str())
    }

    /// Ids of every ingredient family, in load order.
    pub fn family_ids(&self) -> Vec<&str> {
        let families = &self.knowledge.families.list;
        families.iter().map(|f| f.id.as_str()).collect()
    }

    /// Ids of every evidence topic, sorted.
    pub fn topic_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.knowledge.topics.keys().map(String::as_str).collect();
        ids.sort_unstable();
        ids
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
    /// Runs the `examples.flag` and `examples.pass` of every rule `select` picks (given the
    /// rule's id and file), each as a document in the examples' format through the whole
    /// pipeline (all jurisdictions; product cosmetic, or the first product type of a rule that
    /// does not apply to cosmetics). A pinned flag example must report exactly its words.
    pub fn check_examples(&self, select: impl Fn(&str, &str) -> bool) -> ExampleReport {
        use crate::judge::Check;
        let cosmetic = self.options();
        let mut report = ExampleReport::default();
        // Waiver checks judge a whole run, not a document: their examples are descriptive, and the
        // CLI tests exercise them.
        let per_document = |r: &&crate::judge::Rule| {
            !matches!(r.check, Some(Check::UnusedWaiver | Check::ExpiredWaiver))
        };
        for rule in self
            .book
            .rules
            .iter()
            .filter(per_document)
            .filter(|r| select(&r.id, &r.file))
        {
            let options = match rule.products.first() {
                Some(&product) if !rule.applies_to(Product::Cosmetic) => AuditOptions {
                    product,
                    ..cosmetic.clone()
                },
                _ => cosmetic.clone(),
            };
            let cases = rule
                .flag_examples
                .iter()
                .map(|e| (&e.text, Some(e.matches.as_deref())))
                .chain(rule.pass_examples.iter().map(|e| (e, None)));
            for (example, flag) in cases {
                let fail = |why: String| ExampleFailure {
                    rule: rule.id.clone(),
                    file: rule.file.clone(),
                    example: example.clone(),
                    why,
                };
                let file = SourceFile {
                    display: "example".to_string(),
                    format: rule.example_format,
                    text: example.clone(),
                    warning: None,
                    parts: Vec::new(),
                };
                // Each rule is tested on its own, before findings of one claim are merged.
                let findings = self.judge(&self.analyse(file), &options).findings;
                let own: Vec<&Finding> = findings.iter().filter(|f| f.rule == rule.id).collect();
                let why = match (flag, own.first()) {
                    (Some(_), None) => {
                        let fired: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
                        Some(if fired.is_empty() {
                            "should flag, but nothing fired".to_string()
                        } else {
                            format!("should flag, but only {} fired", fired.join(", "))
                        })
                    }
                    (Some(Some(words)), Some(_)) if !own.iter().any(|f| f.text == words) => {
                        let matched: Vec<String> =
                            own.iter().map(|f| format!("`{}`", f.text)).collect();
                        Some(format!(
                            "should flag `{words}`, but matched {}",
                            matched.join(", ")
                        ))
                    }
                    (None, Some(f)) => Some(format!("should pass, but matched `{}`", f.text)),
                    _ => None,
                };
                match why {
                    Some(why) => report.failures.push(fail(why)),
                    None => report.passed += 1,
                }
            }
        }
        self.check_family_examples(&select, &cosmetic, &mut report);
        report
    }

    /// Runs the example labels of every ingredient family `select` picks (given
    /// `family:<id>` and its file): a `flag` label must get a contradicted-claim finding that
    /// names the family, a `pass` label none, a `disputed` label a review finding.
    fn check_family_examples(
        &self,
        select: &impl Fn(&str, &str) -> bool,
        options: &AuditOptions,
        report: &mut ExampleReport,
    ) {
        use crate::judge::Check;
        let families = &self.knowledge.families.list;
        for family in families
            .iter()
            .filter(|f| select(&format!("family:{}", f.id), &f.file))
        {
            let (flag, pass, disputed) = &family.examples;
            let cases = flag
                .iter()
                .map(|e| (e, Some(Check::FreeFromContradicted)))
                .chain(pass.iter().map(|e| (e, None)))
                .chain(disputed.iter().map(|e| (e, Some(Check::FreeFromDisputed))));
            for (example, expected) in cases {
                let file = SourceFile {
                    display: "example".to_string(),
                    format: crate::source::Format::Text,
                    text: example.clone(),
                    warning: None,
                    parts: Vec::new(),
                };
                let findings = self.judge(&self.analyse(file), options).findings;
                let of = |check: Check| {
                    let rule = self.book.check(check).map(|r| r.id.as_str());
                    findings
                        .iter()
                        .filter(|f| {
                            Some(f.rule.as_str()) == rule && f.message.contains(&family.title)
                        })
                        .count()
                };
                let why = match expected {
                    Some(check) if of(check) == 0 => Some(format!(
                        "should get a {check:?} finding for {}",
                        family.title
                    )),
                    None if of(Check::FreeFromContradicted) > 0 => Some(format!(
                        "should pass, but {} was found contradicted",
                        family.title
                    )),
                    _ => None,
                };
                match why {
                    Some(why) => report.failures.push(ExampleFailure {
                        rule: format!("family:{}", family.id),
                        file: family.file.clone(),
                        example: example.clone(),
                        why,
                    }),
                    None => report.passed += 1,
                }
            }
        }
    }
}
