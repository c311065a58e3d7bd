//! The YAML schema of rule, lexicon, position, evidence and jurisdiction files, exactly as
//! written by users.
//!
//! Every struct is flat and denies unknown fields, so serde_yaml reports a misspelt key with its
//! line and column; cross-references (concepts, positions, topics, jurisdictions) are checked in
//! `compile`.

use crate::claims::FrameProperty;
use crate::diagnostic::Severity;
use crate::judge::{Category, Check, Product, Scope};
use crate::knowledge::{Position, Study, Topic};
use crate::source::Format;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One rule document.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Unique id, `<category>.<problem>`.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Kind of overclaim (`tool` for the tool's own housekeeping messages).
    pub category: Category,
    /// Product types the rule applies to; empty means all (default: the pack's).
    #[serde(default)]
    pub products: Option<Vec<Product>>,
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
    /// Frame properties that turn the match off; replaces the pack's default list.
    #[serde(default)]
    pub unless: Option<Vec<FrameProperty>>,
    /// Fire on every sentence that matches, asserted or not (a question, a law statement, …).
    /// By default a rule fires on asserted claims only.
    #[serde(default)]
    pub mentions: bool,
    /// Report the rule once per document, listing its other places: for a term or a status
    /// (an "exosome therapy" label) that one fix removes everywhere.
    #[serde(default)]
    pub once_per_page: bool,
    /// Evidence topic to compare the claim with, or topics in order of preference: a finding
    /// shows the first whose subject its sentence names, else the first its page names.
    #[serde(default)]
    pub evidence: Option<OneOrMany>,
    /// Severity and legal positions per jurisdiction code, over the pack's defaults and the
    /// jurisdiction's defaults for the rule's category; `off` where the rule does not apply.
    #[serde(default)]
    pub jurisdictions: BTreeMap<String, RawJurisdiction>,
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

/// The defaults document a pack file may start with.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPackDefaults {
    /// What every rule of the pack gets unless it says otherwise.
    pub defaults: RawDefaults,
}

/// Pack-level defaults.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDefaults {
    /// Rules of the pack apply in every jurisdiction of the registry that has a default for
    /// their category, with that default's severity and positions, unless the rule (or these
    /// defaults) say otherwise or set the jurisdiction `off`. Without it a rule applies only in
    /// the jurisdictions it or these defaults list.
    #[serde(default)]
    pub category_defaults: bool,
    /// Default `unless` list.
    #[serde(default)]
    pub unless: Option<Vec<FrameProperty>>,
    /// Default product types.
    #[serde(default)]
    pub products: Option<Vec<Product>>,
    /// Default entries per jurisdiction.
    #[serde(default)]
    pub jurisdictions: BTreeMap<String, RawJurisdiction>,
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
    /// Phrases any of which, anywhere in the document, cancels every match: a statement the
    /// claim requires on its page (a disclaimer, a clearance number).
    #[serde(default)]
    pub unless_page_says: Vec<String>,
}

/// A rule's (or a pack's, or a jurisdiction's) entry for one jurisdiction.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum RawJurisdiction {
    /// `off`: the rule does not apply there.
    Off(Off),
    /// Severity and positions; a missing field comes from the next level of defaults.
    Entry(RawEntry),
}

/// The word `off`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Off {
    /// The rule does not apply in this jurisdiction.
    Off,
}

/// Severity and positions in one jurisdiction.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    /// How serious a match is there.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// Ids of legal positions (`rules/regulatory/`).
    #[serde(default)]
    pub positions: Option<Vec<String>>,
}

/// Examples every rule carries; the test suite runs them, one test per rule.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExamples {
    /// Copy that must produce this rule.
    pub flag: Vec<RawFlagExample>,
    /// Copy that must not.
    pub pass: Vec<String>,
    /// The format the examples are written in (default `text`; `html` and `markdown` let
    /// examples use comments).
    #[serde(default)]
    pub format: Format,
}

/// A flag example: the copy alone, or the copy with the words the finding must cover.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum RawFlagExample {
    /// Copy in which the rule must fire somewhere.
    Text(String),
    /// Copy in which the rule's finding must be exactly `matches`.
    Pinned {
        /// The copy.
        text: String,
        /// The matched text the finding must report.
        matches: String,
    },
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
    /// What the class means (read by people; the loader ignores it).
    #[serde(default, rename = "doc")]
    pub _doc: serde::de::IgnoredAny,
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
    /// Citation and description errors in the source reviews: recorded for people, and read by
    /// the test suite, not by the loader.
    #[serde(default, rename = "errors")]
    pub _errors: serde::de::IgnoredAny,
}

/// A jurisdiction registry file (`rules/jurisdictions/<code>.yaml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawJurisdictionFile {
    /// The code rules, the command line, config files and reports use.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Other codes accepted for it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Report order (lowest first).
    pub order: u32,
    /// The entry a rule of each category gets when neither it nor its pack says otherwise.
    #[serde(default)]
    pub defaults: BTreeMap<Category, RawEntry>,
}

/// A single value or a list of them.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One value.
    One(String),
    /// Several, in order.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The values, in order.
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// One ingredient family file (`rules/families/<id>.yaml`).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFamily {
    /// Family id (`sulfates`).
    pub id: String,
    /// Title for reports.
    pub title: String,
    /// Where the membership comes from (CosIng, an annex, a named guideline).
    pub source: String,
    /// How a free-from claim names the family, by language code (`en`, `fr`, ...): words used
    /// in "X-free", "free from X", "sans X", "X-frei".
    #[serde(default)]
    pub claim_words: BTreeMap<String, Vec<String>>,
    /// Words that are a free-from claim on their own ("vegan", "unscented").
    #[serde(default)]
    pub standalone_claims: Vec<String>,
    /// INCI names or patterns (`*paraben`, `peg-*`) of members.
    pub members: Vec<String>,
    /// Look-alikes that are not members, checked first.
    #[serde(default)]
    pub not: Vec<String>,
    /// Members whose status depends on origin or grade, with what to check.
    #[serde(default)]
    pub disputed: Vec<RawDisputed>,
    /// Labels that must and must not contradict a claim of the family.
    pub examples: RawFamilyExamples,
}

/// A disputed member of a family.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDisputed {
    /// INCI name or pattern.
    pub name: String,
    /// What to ask the supplier.
    pub check: String,
}

/// A family's example labels.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFamilyExamples {
    /// Labels whose ingredient list contradicts their claim.
    pub flag: Vec<String>,
    /// Labels whose claim is true (some with a look-alike listed).
    pub pass: Vec<String>,
    /// Labels with a disputed member next to the claim.
    #[serde(default)]
    pub disputed: Vec<String>,
}
