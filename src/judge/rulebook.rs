//! The rule book: compiled rules, the concept → rules index the judge looks candidates up in,
//! and the selectors users name rules with (`disable`, `severity`, suppressions, waivers).

use crate::claims::{ConceptId, FrameProperty, Phrase};
use crate::diagnostic::{Jurisdiction, Severity};
use crate::source::Format;
use serde::Deserialize;
use std::path::Path;

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
    /// The tool's own housekeeping (unused suppressions, stale waivers): no legal position.
    Tool,
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
            Category::Tool => "tool",
        }
    }
}

/// What the audited product is, which decides which claims are drug claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, schemars::JsonSchema)]
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

impl Product {
    /// Every product type, by its kebab-case name.
    pub const NAMES: [(&'static str, Product); 4] = [
        ("cosmetic", Product::Cosmetic),
        ("drug", Product::Drug),
        ("device", Product::Device),
        ("supplement", Product::Supplement),
    ];

    /// Its kebab-case name.
    pub fn name(self) -> &'static str {
        Product::NAMES
            .iter()
            .find(|(_, p)| *p == self)
            .map_or("cosmetic", |(n, _)| n)
    }

    /// The product type with this name.
    pub fn from_name(name: &str) -> Option<Product> {
        Product::NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, p)| *p)
    }
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
    /// A free-from or vegan claim that a member of the family in the ingredient list
    /// contradicts.
    FreeFromContradicted,
    /// A free-from or vegan claim next to a disputed member of the family.
    FreeFromDisputed,
    /// A free-from or vegan claim in a document with no ingredient list to check it against.
    FreeFromUnchecked,
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

/// An INCI-name pattern: lowercase, `*` at the start and/or end for "anything".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngredientPattern {
    core: String,
    any_before: bool,
    any_after: bool,
}

impl IngredientPattern {
    /// Parses `*paraben`, `parfum*`, `*exosome*`, `aqua`.
    pub fn new(pattern: &str) -> IngredientPattern {
        let p = pattern.trim().to_lowercase();
        IngredientPattern {
            any_before: p.starts_with('*'),
            any_after: p.ends_with('*') && p.len() > 1,
            core: p.trim_matches('*').to_string(),
        }
    }

    /// Whether a normalised ingredient name matches.
    pub fn matches(&self, name: &str) -> bool {
        match (self.any_before, self.any_after) {
            (true, true) => name.contains(&self.core),
            (true, false) => name.ends_with(&self.core),
            (false, true) => name.starts_with(&self.core),
            (false, false) => name == self.core,
        }
    }
}

/// Severity and legal positions of a rule in one jurisdiction, resolved from the rule, its
/// pack's defaults and the jurisdiction's defaults for the rule's category.
#[derive(Clone, Debug)]
pub struct RuleJurisdiction {
    /// The jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// How serious a match is there.
    pub severity: Severity,
    /// Position ids.
    pub positions: Vec<String>,
}

/// A flag example and, when pinned, the words its finding must report.
#[derive(Clone, Debug)]
pub struct FlagExample {
    /// The copy.
    pub text: String,
    /// The matched text the rule's finding must report, when the example pins it.
    pub matches: Option<String>,
}

/// A compiled rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Unique id.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Kind of overclaim.
    pub category: Category,
    /// Product types it applies to; empty means all.
    pub products: Vec<Product>,
    /// Concepts that must all fire in one clause.
    pub concepts: Vec<ConceptId>,
    /// Window for concepts and phrase gaps, in words.
    pub within: usize,
    /// Literal phrases, any of which matches.
    pub phrases: Vec<Phrase>,
    /// Phrases that cancel a match.
    pub exclude: Vec<Phrase>,
    /// Phrases that, said anywhere in the document, cancel every match.
    pub unless_page_says: Vec<Phrase>,
    /// Frame properties that cancel a match.
    pub unless: Vec<FrameProperty>,
    /// Fires on sentences that do not assert a claim too (questions, law statements, …).
    pub mentions: bool,
    /// Reported once per document, with its other places listed.
    pub once_per_page: bool,
    /// Document-level check.
    pub check: Option<Check>,
    /// Which blocks it reads.
    pub scope: Scope,
    /// Ingredients that must be listed for the rule to fire.
    pub ingredients_present: Vec<IngredientPattern>,
    /// Ingredients whose absence (from a listed ingredient list) makes the rule fire.
    pub ingredients_absent: Vec<IngredientPattern>,
    /// Fire only when the claim is stronger than the topic's evidence supports.
    pub exceeds_evidence: bool,
    /// Evidence topics, in order of preference (the first one is what `exceeds_evidence`
    /// compares with).
    pub evidence: Vec<String>,
    /// Per-jurisdiction severity and positions, in report order.
    pub jurisdictions: Vec<RuleJurisdiction>,
    /// One-sentence reason.
    pub message: String,
    /// Longer explanation.
    pub why: String,
    /// Compliant rewording.
    pub suggest: String,
    /// Copy that must produce the rule.
    pub flag_examples: Vec<FlagExample>,
    /// Copy that must not.
    pub pass_examples: Vec<String>,
    /// The format of the examples.
    pub example_format: Format,
    /// File the rule came from.
    pub file: String,
}

impl Rule {
    /// Whether the rule applies to this product type.
    pub fn applies_to(&self, product: Product) -> bool {
        self.products.is_empty() || self.products.contains(&product)
    }

    /// The pack it belongs to: its file's stem (`drug-claims` for `rules/drug-claims.yaml`).
    pub fn pack(&self) -> &str {
        Path::new(&self.file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
    }
}

/// Every rule in force, and which to try when a concept fires.
#[derive(Debug, Default)]
pub struct RuleBook {
    /// Rules, in load order.
    pub rules: Vec<Rule>,
    /// For each concept, the rules its hit can trigger.
    pub by_concept: Vec<Vec<u32>>,
    /// For each concept, whether it names a target, a condition or a rule phrase: what an
    /// appearance framing ("the look of") scopes over.
    pub framable: Vec<bool>,
}

impl RuleBook {
    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Why `selector` selects no rule (`unknown rule `x`; did you mean `y`?`), or `None` when it
    /// selects one: for a config's and a suppression comment's rule names alike.
    pub(crate) fn unmatched(&self, selector: &RuleSelector) -> Option<String> {
        if self.rules.iter().any(|r| selector.selects(r)) {
            return None;
        }
        Some(match selector {
            RuleSelector::Id(id) => {
                let near = crate::rules::did_you_mean(id, self.rules.iter().map(|r| &r.id));
                format!("unknown rule `{id}`{near}")
            }
            RuleSelector::Prefix(p) => format!("no rule id starts with `{p}`"),
            RuleSelector::Pack(p) => format!("no rule pack named `{p}`"),
        })
    }

    /// The rule running a document- or run-level check.
    pub fn check(&self, check: Check) -> Option<&Rule> {
        self.rules.iter().find(|r| r.check == Some(check))
    }
}

/// Which rules a `disable` or `severity` entry, a suppression or a waiver means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleSelector {
    /// One rule.
    Id(String),
    /// Every rule whose id starts with this.
    Prefix(String),
    /// Every rule of a pack (file stem).
    Pack(String),
}

impl std::fmt::Display for RuleSelector {
    /// As a user writes it: `id`, `prefix.` (a `prefix*` as `prefix*` unless it ends in `.`),
    /// `pack:NAME`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RuleSelector::Id(id) => f.write_str(id),
            RuleSelector::Prefix(p) if p.ends_with('.') => f.write_str(p),
            RuleSelector::Prefix(p) => write!(f, "{p}*"),
            RuleSelector::Pack(pack) => write!(f, "pack:{pack}"),
        }
    }
}

impl RuleSelector {
    /// Parses `id`, `prefix.`, `prefix*`, `pack:NAME`.
    pub fn parse(text: &str) -> RuleSelector {
        if let Some(pack) = text.strip_prefix("pack:") {
            RuleSelector::Pack(pack.trim().to_string())
        } else if let Some(prefix) = text.strip_suffix('*') {
            RuleSelector::Prefix(prefix.to_string())
        } else if text.ends_with('.') {
            RuleSelector::Prefix(text.to_string())
        } else {
            RuleSelector::Id(text.to_string())
        }
    }

    /// Whether it selects a rule.
    pub fn selects(&self, rule: &Rule) -> bool {
        match self {
            RuleSelector::Id(x) => *x == rule.id,
            RuleSelector::Prefix(p) => rule.id.starts_with(p.as_str()),
            RuleSelector::Pack(pack) => rule.pack() == pack,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str, file: &str) -> Rule {
        let engine = crate::Engine::builtin().unwrap();
        let mut rule = engine.book.rules[0].clone();
        rule.id = id.to_string();
        rule.file = file.to_string();
        rule
    }

    #[test]
    fn selectors_take_ids_prefixes_and_packs() {
        let miracle = rule("absolute.miracle-claim", "rules/absolutes.yaml");
        assert!(RuleSelector::parse("absolute.").selects(&miracle));
        assert!(RuleSelector::parse("absolute*").selects(&miracle));
        assert!(RuleSelector::parse("pack:absolutes").selects(&miracle));
        assert!(!RuleSelector::parse("pack:drug-claims").selects(&miracle));
        assert!(!RuleSelector::parse("absolute.miracle").selects(&miracle));
        assert_eq!(miracle.pack(), "absolutes");
    }
}
