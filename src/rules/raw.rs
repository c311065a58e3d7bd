//! The YAML schema of rule, lexicon and position files, exactly as written by users.
//!
//! Every struct is flat and denies unknown fields, so serde_yaml reports a misspelt key with its
//! line and column; cross-references (concepts, positions, topics) are checked in `compile`.

use crate::diagnostic::{Jurisdiction, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The kinds of overclaim (design.md, "What counts as an overclaim").
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, schemars::JsonSchema,
)]
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
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, clap::ValueEnum, schemars::JsonSchema,
)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, schemars::JsonSchema)]
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
    /// The sentence states a limitation, risk or open question (`frame.limitation`).
    Limitation,
    /// The sentence or its block carries a real citation.
    Cited,
    /// The sentence is about an evidence topic (its `about` phrases) that supports the
    /// sentence's claim strength.
    Supported,
}

/// One rule document.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
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
    /// What to look for in sentences (required unless `check` is set).
    #[serde(rename = "match", default)]
    pub matcher: Option<RawMatch>,
    /// A document-level check instead of (or before) sentence matching.
    #[serde(default)]
    pub check: Option<Check>,
    /// Which blocks the rule reads; default `copy` (everything but ingredient lists, warnings,
    /// net quantity and reference entries).
    #[serde(default)]
    pub scope: Scope,
    /// A condition on the page's ingredient list.
    #[serde(default)]
    pub ingredients: Option<RawIngredients>,
    /// Fire only when the sentence's claim strength exceeds what the `evidence` topic supports.
    #[serde(default)]
    pub exceeds_evidence: bool,
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

/// Document-level checks a rule can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// The same work listed twice in the reference list.
    DuplicateReference,
    /// An in-text citation to a number the reference list lacks.
    MissingReference,
    /// A cited reference that shares no subject word with the sentence citing it.
    UnrelatedReference,
    /// An inline suppression comment that suppressed nothing.
    UnusedSuppression,
    /// A waiver (`.overclaim-waivers.yaml`) that matched no finding.
    UnusedWaiver,
    /// A waiver past its expiry date.
    ExpiredWaiver,
}

/// Which blocks a rule reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Marketing copy: every block except ingredient lists, warnings, net quantity, references.
    #[default]
    Copy,
    /// Ingredient lists only.
    Ingredients,
    /// Every block.
    All,
}

/// A condition on the page's ingredient list; patterns are INCI names, `*` at either end.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawIngredients {
    /// Fire only if some listed ingredient matches one of these.
    #[serde(default)]
    pub present: Vec<String>,
    /// Fire only if the page lists ingredients and none matches any of these.
    #[serde(default)]
    pub absent: Vec<String>,
}

/// The `match` block of a rule.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawJurisdiction {
    /// How serious a match is there.
    pub severity: Severity,
    /// Ids of legal positions (rules/regulatory).
    #[serde(default)]
    pub positions: Vec<String>,
}

/// Examples every rule carries; the test suite runs them.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExamples {
    /// Sentences that must produce this rule.
    pub flag: Vec<String>,
    /// Sentences that must not.
    pub pass: Vec<String>,
    /// The format the examples are written in (default `text`; `html` and `markdown` let
    /// examples use comments).
    #[serde(default)]
    pub format: crate::source::Format,
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

/// An evidence file: studies, topics, and errors found in published reviews.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvidence {
    /// Studies.
    #[serde(default)]
    pub studies: Vec<Study>,
    /// Topics grouping studies.
    #[serde(default)]
    pub topics: Vec<Topic>,
    /// Citation and description errors in the source reviews.
    #[serde(default)]
    pub errors: Vec<ReviewError>,
}

/// Evidence level, weakest to strongest (design.md, "Two ladders").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// No study.
    None,
    /// Cell culture.
    InVitro,
    /// Animal models.
    Animal,
    /// A single case.
    CaseReport,
    /// Case series or open-label single arm.
    CaseSeries,
    /// Controlled but not randomised.
    NonRandomisedControlled,
    /// One or few small randomised trials.
    RctSmall,
    /// Several consistent randomised trials or a systematic review of them.
    RctMultiple,
    /// Approved by a regulator for the indication.
    RegulatoryApproval,
}

impl Level {
    /// The kebab-case name used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::InVitro => "in-vitro",
            Level::Animal => "animal",
            Level::CaseReport => "case-report",
            Level::CaseSeries => "case-series",
            Level::NonRandomisedControlled => "non-randomised-controlled",
            Level::RctSmall => "rct-small",
            Level::RctMultiple => "rct-multiple",
            Level::RegulatoryApproval => "regulatory-approval",
        }
    }
}

/// Study design.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Design {
    /// Cell culture.
    InVitro,
    /// Animal study.
    Animal,
    /// Case report.
    CaseReport,
    /// Case series.
    CaseSeries,
    /// Open-label single arm.
    OpenLabel,
    /// Controlled, not randomised.
    NonRandomisedControlled,
    /// Randomised controlled trial.
    Rct,
    /// Systematic review.
    SystematicReview,
    /// Regulatory or professional guidance.
    Guidance,
}

/// How a study applied the product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StudyRoute {
    /// Intact skin.
    Topical,
    /// Skin opened by a procedure.
    PostProcedure,
    /// Injection.
    Injection,
    /// Systemic.
    Systemic,
    /// Cell culture.
    InVitro,
    /// Animal model.
    Animal,
}

/// What a trial set out to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrialType {
    /// Better than the comparator.
    Superiority,
    /// Not worse than the comparator by more than a margin.
    NonInferiority,
    /// No comparison.
    None,
}

/// One study.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    /// `<first author>-<year>-<subject>`.
    pub id: String,
    /// Bibliographic citation.
    pub citation: String,
    /// DOI.
    #[serde(default)]
    pub doi: Option<String>,
    /// URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Design.
    pub design: Design,
    /// Evidence level.
    pub level: Level,
    /// Participants.
    #[serde(default)]
    pub n: Option<u32>,
    /// Follow-up.
    #[serde(default)]
    pub duration: Option<String>,
    /// Who was studied.
    #[serde(default)]
    pub population: Option<String>,
    /// How the product was applied.
    pub route: StudyRoute,
    /// Comparator.
    #[serde(default)]
    pub comparator: Option<String>,
    /// Superiority or non-inferiority.
    pub trial_type: TrialType,
    /// What it found, in the project's words.
    pub outcomes: String,
    /// Where reviews cite it.
    #[serde(default)]
    pub reported_in: Vec<RawReportedIn>,
}

/// `reported_in` as written (`ref` is a Rust keyword).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReportedIn {
    /// Review id.
    pub source: String,
    /// Reference number in that review.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Remarks.
    #[serde(default)]
    pub note: Option<String>,
}

/// A topic: the studies behind one kind of claim and what they support.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// Dotted id (`exosomes.collagen`).
    pub id: String,
    /// Title.
    pub title: String,
    /// Study ids.
    pub studies: Vec<String>,
    /// Best evidence level.
    pub best_level: Level,
    /// Strongest claim strength supported.
    pub supports: crate::claims::Strength,
    /// What the evidence shows, in the project's words.
    pub summary: String,
    /// Phrases (with ` ... ` gaps) that mark a sentence as a claim about this topic; such a
    /// claim is `supported` when its strength is at most `supports`.
    #[serde(default)]
    pub about: Vec<String>,
}

/// An error in how a published review cites or describes a study.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewError {
    /// Id.
    pub id: String,
    /// Review id.
    pub source: String,
    /// Kind of error.
    pub kind: String,
    /// Reference numbers involved.
    #[serde(default)]
    pub refs: Vec<String>,
    /// What is wrong.
    pub detail: String,
    /// A short fragment of the review's sentence.
    #[serde(default)]
    pub quote_hint: Option<String>,
}
