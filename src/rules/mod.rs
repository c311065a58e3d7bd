//! The loader: rule packs, lexicon, legal positions, evidence and the jurisdiction registry,
//! read from YAML (embedded and user files), checked, and compiled into the parts of an
//! [`Engine`](crate::Engine): the vocabulary, the rule book and the knowledge. This is the only
//! module that knows YAML.
//!
//! Loading follows two layers: `raw` is the YAML schema as written; `compile` resolves every
//! reference (concepts, positions, topics, jurisdictions, pack defaults) and reports every
//! broken one with file, line, column and rule id, so a user sees all their mistakes in one run.

mod compile;
mod files;
mod load;
pub mod raw;

pub use compile::{Compiled, did_you_mean};
pub use files::{
    LoadError, RuleSource, SourceKind, embedded_sources, evidence_file, sources_from_dir,
};
pub use load::{load, parse_yaml, read_capped};

/// The lexicon classes and jurisdictions every unit-test rule set stands on: each reserved
/// class with a few words, two content classes, and US, EU and UK without defaults.
#[cfg(test)]
pub(crate) fn test_base() -> Vec<RuleSource> {
    let lexicon = r#"
classes:
  - { id: frame.negated, words: [not, no, never, without, "doesn't", cannot] }
  - { id: frame.appearance-framing, words: [the look of, the appearance of, visibly, looking] }
  - { id: frame.hedged, words: [helps, help, can help] }
  - { id: frame.speculative, words: [may, might, could] }
  - { id: frame.attributed, words: [some brands claim, it is claimed] }
  - { id: frame.proven, words: [clinically proven] }
  - { id: frame.absolute, words: [guaranteed, permanent*] }
  - { id: frame.disclosed, words: [not fda-approved] }
  - { id: frame.limitation, words: [no trials yet, downsides] }
  - { id: frame.research-context, words: [human studies are needed] }
  - { id: frame.research-report, words: [in vitro] }
  - { id: frame.study-design, words: [consumer study] }
  - { id: frame.tolerance-test, words: [dermatologist tested] }
  - { id: frame.clause-break, words: [but, whereas] }
  - { id: frame.generic-word, words: [skin] }
  - { id: frame.law-context, words: [under eu law] }
  - { id: frame.negated-existence, words: [there is no] }
  - { id: frame.definition, words: [nothing more, nothing else] }
  - { id: frame.precaution, words: [stop use] }
  - { id: frame.reported-speech, words: [says, claims, claim] }
  - { id: frame.product-voice, words: [our, contains] }
  - { id: frame.product-noun, words: [serum, cream] }
  - { id: frame.wording, words: [words like] }
  - { id: frame.ingredient, words: [niacinamide] }
  - { id: verb.stimulate, words: [stimulat*, boost*] }
  - { id: target.dermal-structure, words: [collagen, elastin] }
  - { id: claim.exosome, words: [exosome*] }
"#;
    let jurisdiction = |code: &str, name: &str, order: u32| RuleSource {
        path: format!("jurisdictions/{}.yaml", code.to_lowercase()),
        kind: SourceKind::Jurisdiction,
        text: format!("id: {code}\nname: {name}\norder: {order}\n"),
        layer: 0,
    };
    vec![
        RuleSource {
            path: "lexicon/test.yaml".into(),
            kind: SourceKind::Lexicon,
            text: lexicon.into(),
            layer: 0,
        },
        jurisdiction("US", "United States", 1),
        jurisdiction("EU", "European Union", 2),
        jurisdiction("UK", "United Kingdom", 3),
    ]
}

/// A small rule set for unit tests: [`test_base`] plus the given rule pack.
#[cfg(test)]
pub(crate) fn test_engine(pack: &str) -> crate::Engine {
    test_engine_with_evidence(pack, "")
}

/// Like [`test_engine`], with an evidence file.
#[cfg(test)]
pub(crate) fn test_engine_with_evidence(pack: &str, evidence: &str) -> crate::Engine {
    let positions = r#"
positions:
  - { id: us.test, jurisdiction: US, authority: FDA, instrument: Test Act, summary: Test., url: "https://example.org", status: verified }
"#;
    let mut sources = test_base();
    sources.extend([
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
    ]);
    let compiled = load(&sources).unwrap_or_else(|e| panic!("test rules load: {e:?}"));
    crate::Engine::from_compiled(compiled)
}
