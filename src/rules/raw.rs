//! The YAML schema of rule, lexicon and position files, exactly as written by users.
//!
//! Every struct is flat and denies unknown fields, so serde_yaml reports a misspelt key with its
//! line and column; cross-references (concepts, positions, topics) are checked in `compile`.

use crate::diagnostic::{Jurisdiction, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The kinds of overclaim (design.md, "What counts as an overclaim").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Drug or medicinal claims on a cosmetic.
    DrugClaim,
    /// Approval, registration and legal-status claims.
    RegulatoryStatus,
    /// Claims stronger than the evidence.
    EvidenceStrength,
    /// Figures with no support.
    UnsubstantiatedFigure,
    /// Absolutes and superlatives.
    Absolute,
    /// Citation problems.
    Citation,
}

impl Category {
    /// The kebab-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::DrugClaim => "drug-claim",
            Category::RegulatoryStatus => "regulatory-status",
            Category::EvidenceStrength => "evidence-strength",
            Category::UnsubstantiatedFigure => "unsubstantiated-figure",
            Category::Absolute => "absolute",
            Category::Citation => "citation",
        }
    }
}

/// What the audited product is, which decides which claims are drug claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Product {
    /// A cosmetic (the default).
    Cosmetic,
    /// A medicine.
    Drug,
    /// A medical device.
    Device,
    /// A food supplement.
    Supplement,
}

/// Frame properties that turn a rule's match off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unless {
    /// A negation scopes over the match.
    Negated,
    /// Appearance framing scopes over a target or condition of the match.
    AppearanceFraming,
    /// The claim is attributed to a third party the copy does not endorse.
    Attributed,
    /// The sentence is hedged or speculative.
    Hedged,
    /// The sentence is speculative.
    Speculative,
    /// The sentence carries a disclosure.
    Disclosed,
    /// The sentence or its block carries a real citation.
    Cited,
}

/// One rule document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Unique id, `<category>.<problem>`.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Kind of overclaim.
    pub category: Category,
    /// Product types the rule applies to; empty means all.
    #[serde(default)]
    pub products: Vec<Product>,
    /// What to look for.
    #[serde(rename = "match")]
    pub matcher: RawMatch,
    /// Frame properties that turn the match off.
    #[serde(default)]
    pub unless: Vec<Unless>,
    /// Evidence topic to compare the claim with.
    #[serde(default)]
    pub evidence: Option<String>,
    /// Severity and legal positions per jurisdiction.
    pub jurisdictions: BTreeMap<Jurisdiction, RawJurisdiction>,
    /// Why a match is an overclaim, in one sentence.
    pub message: String,
    /// Longer explanation for `overclaim explain`.
    #[serde(default)]
    pub why: String,
    /// A compliant rewording.
    pub suggest: String,
    /// Sentences that must and must not match.
    pub examples: RawExamples,
}

/// The `match` block of a rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMatch {
    /// Lexicon classes that must all fire in one clause.
    #[serde(default)]
    pub concepts: Vec<String>,
    /// Window, in words, for `concepts` and phrase gaps.
    #[serde(default)]
    pub within: Option<usize>,
    /// Literal phrases, any of which matches alone.
    #[serde(default)]
    pub any: Vec<String>,
    /// Phrases that cancel the match when present in the sentence.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// Severity and positions of a rule in one jurisdiction.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawJurisdiction {
    /// How serious a match is there.
    pub severity: Severity,
    /// Ids of legal positions (rules/regulatory).
    #[serde(default)]
    pub positions: Vec<String>,
}

/// Examples every rule carries; the test suite runs them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExamples {
    /// Sentences that must produce this rule.
    pub flag: Vec<String>,
    /// Sentences that must not.
    pub pass: Vec<String>,
}

/// A lexicon file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLexicon {
    /// Word classes.
    pub classes: Vec<RawClass>,
}

/// One word class.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClass {
    /// Dotted id; its prefix says the kind.
    pub id: String,
    /// What the class means.
    #[serde(default)]
    pub doc: String,
    /// Patterns (see rules/FORMAT.md).
    pub words: Vec<String>,
}

/// A positions file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPositions {
    /// Legal positions.
    pub positions: Vec<Position>,
}

/// How far a position's wording was verified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verification {
    /// Seen in the official text.
    Verified,
    /// Seen in a reputable secondary source.
    Secondary,
    /// Not confirmed.
    Unverified,
}

/// A legal position: what an instrument says about a kind of claim.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// `<jurisdiction>.<topic>`.
    pub id: String,
    /// Where it applies.
    pub jurisdiction: Jurisdiction,
    /// Who enforces it.
    pub authority: String,
    /// Instrument and provision.
    pub instrument: String,
    /// One line in the project's words.
    pub summary: String,
    /// Official source.
    pub url: String,
    /// How far it was verified.
    pub status: Verification,
    /// What part is unverified, or other remarks.
    #[serde(default)]
    pub note: Option<String>,
}
