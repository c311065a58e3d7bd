//! Rules, lexicon and legal positions: loaded from YAML (embedded and user files), checked, and
//! compiled into a [`RuleSet`] with one [`PhraseIndex`] for all of them.
//!
//! Loading follows two layers: `raw` is the YAML schema as written; `compile` resolves every
//! reference (concepts, positions) and reports every broken one with file, line, column and
//! rule id, so a user sees all their mistakes in one run.

mod compile;
pub mod index;
mod load;
pub mod raw;

pub use compile::{IngredientPattern, Phrase, Rule, RuleSet, did_you_mean};
pub use index::{ConceptId, PhraseIndex};
pub use load::{
    LoadError, RuleSource, SourceKind, embedded_sources, evidence_file, load, parse_yaml,
    sources_from_dir,
};
pub use raw::{Category, Check, Position, Product, Scope, Study, Topic, Unless};

/// A small rule set for unit tests: a fixed lexicon plus the given rule pack.
#[cfg(test)]
pub(crate) fn test_rules(pack: &str) -> RuleSet {
    test_rules_with_evidence(pack, "")
}

/// Like [`test_rules`], with an evidence file.
#[cfg(test)]
pub(crate) fn test_rules_with_evidence(pack: &str, evidence: &str) -> RuleSet {
    let lexicon = r#"
classes:
  - { id: frame.negation, words: [not, no, never, without, "doesn't", cannot] }
  - { id: frame.appearance, words: [the look of, the appearance of, visibly, looking] }
  - { id: frame.hedge, words: [helps, help, can help] }
  - { id: frame.speculative, words: [may, might, could] }
  - { id: frame.distancing, words: [some brands claim, it is claimed] }
  - { id: frame.proven, words: [clinically proven] }
  - { id: frame.absolute, words: [guaranteed, permanent*] }
  - { id: frame.disclosure, words: [not fda-approved] }
  - { id: frame.clause-break, words: [but, whereas] }
  - { id: frame.route-injection, words: [inject*, intradermal] }
  - { id: frame.route-topical, words: [apply to clean skin] }
  - { id: frame.comparison, words: [better than, alternative to] }
  - { id: frame.time-promise, words: [overnight] }
  - { id: verb.stimulate, words: [stimulat*, boost*] }
  - { id: target.dermal-structure, words: [collagen, elastin] }
"#;
    let positions = r#"
positions:
  - { id: us.test, jurisdiction: US, authority: FDA, instrument: Test Act, summary: Test., url: "https://example.org", status: verified }
"#;
    let sources = [
        RuleSource {
            path: "lexicon/test.yaml".into(),
            kind: SourceKind::Lexicon,
            text: lexicon.into(),
            layer: 0,
        },
        RuleSource {
            path: "regulatory/test.yaml".into(),
            kind: SourceKind::Positions,
            text: positions.into(),
            layer: 0,
        },
        RuleSource {
            path: "test.yaml".into(),
            kind: SourceKind::Rules,
            text: pack.into(),
            layer: 0,
        },
        RuleSource {
            path: "evidence/test.yaml".into(),
            kind: SourceKind::Evidence,
            text: evidence.into(),
            layer: 0,
        },
    ];
    load(&sources).unwrap_or_else(|e| panic!("test rules load: {e:?}"))
}
