//! What the claims stage knows of words: the one automaton of every lexicon word and rule
//! phrase, the concept table, the concepts of grammar tokens, and the frame-property registry.
//!
//! A frame property is named once, in [`FrameProperty`]: the name is at once the lexicon class
//! (`frame.<name>`) that holds its cue words, the value a rule lists under `unless`, and the name
//! reports use. The classes the claims stage reads are reserved: a rule set without one of them
//! does not load.

use super::Strength;
use super::index::{ConceptId, PhraseIndex};
use crate::parse::TokenKind;
use std::collections::HashSet;

/// A property of a claim frame that can turn a rule's match off (`unless`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    serde::Deserialize,
    serde::Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FrameProperty {
    /// A negation cue stands shortly before a matched word, in its clause.
    Negated,
    /// An appearance framing ("the look of") scopes over a matched target or condition.
    AppearanceFraming,
    /// The claim is put in a third party's mouth that the copy does not endorse ("some brands
    /// claim").
    Attributed,
    /// The sentence is hedged ("helps") or speculative: its strength is at most `hedged`.
    Hedged,
    /// The sentence is speculative ("may", "is being studied for").
    Speculative,
    /// The sentence carries a disclosure ("is not FDA-approved").
    Disclosed,
    /// The sentence states a limitation, a risk or an open question.
    Limitation,
    /// The sentence reports what research has or has not shown, or what is being studied, rather
    /// than asserting an effect ("human studies are needed").
    ResearchContext,
    /// The sentence describes how a study was done: its method ("consumer study",
    /// "corneometer"), its length ("4 weeks") or its limits ("no control group"), so a reader
    /// can weigh it without the reference.
    StudyDesign,
    /// The sentence describes a tolerance or safety test ("dermatologist-tested on 50
    /// volunteers", "under dermatological control"): it shows how safety was checked, not that
    /// the product works.
    ToleranceTest,
    /// The sentence or its block carries a real citation.
    Cited,
    /// The sentence is about an evidence topic (its `about` phrases) whose evidence supports the
    /// sentence's claim strength.
    Supported,
    /// The sentence only names something (a term such as "stem cells"): it asserts no benefit
    /// (no effect verb, no visible result) and does not speak of a product ("our", "contains",
    /// "serum", `frame.product-voice`). Rules that fire on a term list it.
    BareMention,
    /// The sentence (not a fragment) speaks of no product at all: no `frame.product-voice` and
    /// no `frame.product-noun` word, whatever it asserts ("Stem cells in the skin sit in the hair
    /// follicle"). Rules about what a product is said to contain list it.
    NoProduct,
}

/// Where a frame property's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropertySource {
    /// Cue words of the lexicon class `frame.<name>`, found in the sentence.
    Cues,
    /// The sentence's claim strength (whose cue classes are `frame.<strength>`).
    Strength,
    /// Citation tokens of the sentence's block.
    Citations,
    /// The evidence base (judged with the rule's knowledge, not by the claims stage).
    Evidence,
    /// The sentence's concepts as a whole: whether any asserts a benefit or names a product
    /// (`frame.product-voice`).
    Concepts,
}

impl FrameProperty {
    /// Every property, in the order reports list them.
    pub const ALL: [FrameProperty; 14] = [
        FrameProperty::Negated,
        FrameProperty::AppearanceFraming,
        FrameProperty::Attributed,
        FrameProperty::Hedged,
        FrameProperty::Speculative,
        FrameProperty::Disclosed,
        FrameProperty::Limitation,
        FrameProperty::ResearchContext,
        FrameProperty::StudyDesign,
        FrameProperty::ToleranceTest,
        FrameProperty::Cited,
        FrameProperty::Supported,
        FrameProperty::BareMention,
        FrameProperty::NoProduct,
    ];

    /// The kebab-case name: `unless` value, report name, and `frame.<name>` class.
    pub fn name(self) -> &'static str {
        match self {
            FrameProperty::Negated => "negated",
            FrameProperty::AppearanceFraming => "appearance-framing",
            FrameProperty::Attributed => "attributed",
            FrameProperty::Hedged => "hedged",
            FrameProperty::Speculative => "speculative",
            FrameProperty::Disclosed => "disclosed",
            FrameProperty::Limitation => "limitation",
            FrameProperty::ResearchContext => "research-context",
            FrameProperty::StudyDesign => "study-design",
            FrameProperty::ToleranceTest => "tolerance-test",
            FrameProperty::Cited => "cited",
            FrameProperty::Supported => "supported",
            FrameProperty::BareMention => "bare-mention",
            FrameProperty::NoProduct => "no-product",
        }
    }

    /// Where its value comes from.
    pub fn source(self) -> PropertySource {
        match self {
            FrameProperty::Hedged | FrameProperty::Speculative => PropertySource::Strength,
            FrameProperty::Cited => PropertySource::Citations,
            FrameProperty::Supported => PropertySource::Evidence,
            FrameProperty::BareMention | FrameProperty::NoProduct => PropertySource::Concepts,
            _ => PropertySource::Cues,
        }
    }
}

/// Whether a sentence asserts an effect of the product, an ingredient or a treatment, and if it
/// does not, why: most rules fire on asserted claims only. The names are at once the value in
/// reports (`frame.assertion`) and, for those read from cue words, the lexicon class
/// `frame.<name>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Assertion {
    /// The copy says it: the product's voice, including marketing questions and imperatives
    /// addressed to the reader ("Ready to say goodbye to eczema?").
    Asserted,
    /// A question about whether something is so, not addressed to the reader ("Is exosome
    /// therapy FDA approved?").
    Question,
    /// A definition or a description of what something is, and no more ("… no more, no less").
    Definition,
    /// What research has or has not shown, or how it was done (`frame.research-report`,
    /// `frame.research-context`).
    ResearchStatement,
    /// What the law or a regulator says ("Under EU law, …").
    LawStatement,
    /// A negated existence or universal: "No product contains …", "Nobody has shown …".
    NegatedExistence,
    /// A warning or precaution ("Stop use if irritation occurs").
    Precaution,
    /// What someone else says, which the copy goes on to reject ("The label says it 'repairs
    /// DNA'; we found no evidence of that.").
    ThirdPartyClaim,
}

impl Assertion {
    /// Every reason a sentence is not asserted that lexicon cue words give, in the order they
    /// are tried. A negated existence comes last: it covers only its own stretch of the
    /// sentence, so a reason that covers all of it wins ("… won't treat an outbreak, so ask a
    /// pharmacist about antiviral treatment" is advice throughout).
    pub const FROM_CUES: [Assertion; 6] = [
        Assertion::LawStatement,
        Assertion::Definition,
        Assertion::Precaution,
        Assertion::ResearchStatement,
        Assertion::ThirdPartyClaim,
        Assertion::NegatedExistence,
    ];

    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Assertion::Asserted => "asserted",
            Assertion::Question => "question",
            Assertion::Definition => "definition",
            Assertion::ResearchStatement => "research-statement",
            Assertion::LawStatement => "law-statement",
            Assertion::NegatedExistence => "negated-existence",
            Assertion::Precaution => "precaution",
            Assertion::ThirdPartyClaim => "third-party-claim",
        }
    }

    /// The lexicon class of its cue words (a research statement is also made by the
    /// `research-context` property's words).
    pub fn cue_class(self) -> Option<&'static str> {
        match self {
            Assertion::Definition => Some("frame.definition"),
            Assertion::ResearchStatement => Some("frame.research-report"),
            Assertion::LawStatement => Some("frame.law-context"),
            Assertion::NegatedExistence => Some("frame.negated-existence"),
            Assertion::Precaution => Some("frame.precaution"),
            Assertion::ThirdPartyClaim => Some("frame.reported-speech"),
            Assertion::Asserted | Assertion::Question => None,
        }
    }
}

/// Claim strengths that lexicon cue words set, each from its class `frame.<strength>`, strongest
/// first (a figure sets `tested` from the grammar's tokens, between `proven` and `speculative`).
pub const STRENGTH_CUES: [Strength; 4] = [
    Strength::Absolute,
    Strength::Proven,
    Strength::Speculative,
    Strength::Hedged,
];

/// The class of words that show the sentence speaks of a product ("our", "contains", "serum").
pub const PRODUCT_VOICE_CLASS: &str = "frame.product-voice";
/// The class of product nouns ("serum", "cream"): a sentence with one is no bare mention, though
/// it may speak of products in general rather than of the copy's own.
pub const PRODUCT_NOUN_CLASS: &str = "frame.product-noun";
/// The class of words that show the sentence talks about wording ("words like", "a phrase").
pub const WORDING_CLASS: &str = "frame.wording";
/// The class of ingredient names ("niacinamide", "PDRN"): a percent beside one, or beside a
/// product noun ("a 10% serum"), is a concentration, not a result.
pub const INGREDIENT_CLASS: &str = "frame.ingredient";
/// Prefixes of the classes whose words assert a benefit (effect verbs, visible results and
/// outcomes).
pub const BENEFIT_PREFIXES: [&str; 5] = [
    "verb.",
    "target.visible-sign",
    "claim.outcome",
    "claim.results",
    "claim.resolved",
];

/// The class of words that start a new clause.
pub const CLAUSE_BREAK_CLASS: &str = "frame.clause-break";
/// The class of words too generic to show that a reference and a claim share a subject.
pub const GENERIC_WORD_CLASS: &str = "frame.generic-word";

/// The classes that let a procedure named earlier in a block give meaning to a later "after
/// your session" (`frame.procedure-followup`): in a block (or a section whose heading) that
/// named a procedure (`claim.medical-procedure`), such words count as procedure recovery
/// (`condition.procedure-recovery`). Optional: without all three, nothing is carried.
pub const PROCEDURE_CLASS: &str = "claim.medical-procedure";
/// See [`PROCEDURE_CLASS`].
pub const FOLLOWUP_CLASS: &str = "frame.procedure-followup";
/// See [`PROCEDURE_CLASS`].
pub const RECOVERY_CLASS: &str = "condition.procedure-recovery";

/// The concepts of [`PROCEDURE_CLASS`], [`FOLLOWUP_CLASS`] and [`RECOVERY_CLASS`].
#[derive(Clone, Copy, Debug)]
pub struct ProcedureContext {
    /// Names a procedure.
    pub procedure: ConceptId,
    /// Refers back to one ("after your session").
    pub followup: ConceptId,
    /// What a resolved reference counts as.
    pub recovery: ConceptId,
}

/// Every lexicon class the claims stage reads; each must be defined.
pub fn reserved_classes() -> Vec<String> {
    let properties = FrameProperty::ALL
        .into_iter()
        .filter(|p| p.source() == PropertySource::Cues)
        .map(|p| format!("frame.{}", p.name()));
    let strengths = STRENGTH_CUES
        .into_iter()
        .map(|s| format!("frame.{}", s.as_str()));
    let assertions = Assertion::FROM_CUES
        .into_iter()
        .filter_map(Assertion::cue_class)
        .map(str::to_string);
    let mut classes: Vec<String> = properties
        .chain(strengths)
        .chain(assertions)
        .chain([
            CLAUSE_BREAK_CLASS.to_string(),
            GENERIC_WORD_CLASS.to_string(),
            PRODUCT_VOICE_CLASS.to_string(),
            PRODUCT_NOUN_CLASS.to_string(),
            WORDING_CLASS.to_string(),
            INGREDIENT_CLASS.to_string(),
        ])
        .collect();
    classes.sort();
    classes.dedup();
    classes
}

/// What a concept means to the claims stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConceptRole {
    /// A cue of a frame property.
    Cue(FrameProperty),
    /// A cue that sets the claim strength.
    StrengthCue(Strength),
    /// A cue that the sentence is not asserted, and why.
    AssertionCue(Assertion),
    /// Starts a new clause.
    ClauseBreak,
    /// Shows the sentence speaks of the copy's own product.
    ProductVoice,
    /// Names a kind of product.
    ProductNoun,
    /// Shows the sentence talks about wording.
    Wording,
    /// Names an ingredient, whose percent is a concentration.
    Ingredient,
    /// Asserts a benefit (an effect verb, a visible result); rules match it like any content.
    Benefit,
    /// Anything a rule matches on.
    Content,
}

/// Everything the claims stage needs from the rule files, compiled once and shared.
#[derive(Debug)]
pub struct Vocabulary {
    /// The one automaton for every pattern.
    pub index: PhraseIndex,
    /// Concept names by id (lexicon classes, token kinds, `phrase:` patterns), for tests that
    /// look concepts up by name.
    #[cfg(test)]
    pub concept_names: Vec<String>,
    /// What each concept means to the frame builder.
    pub roles: Vec<ConceptRole>,
    /// Concepts of grammar token kinds.
    pub token_concepts: Vec<(TokenKind, ConceptId)>,
    /// Words too generic to show a shared subject (`frame.generic-word`).
    pub generic_words: HashSet<String>,
    /// How a procedure named earlier resolves a later reference to it, when the lexicon has
    /// the classes.
    pub procedure_context: Option<ProcedureContext>,
}

impl Vocabulary {
    /// The concept of a token kind, if rules can use it.
    pub fn token_concept(&self, kind: TokenKind) -> Option<ConceptId> {
        self.token_concepts
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, c)| *c)
    }

    /// The concept with this name.
    #[cfg(test)]
    pub fn concept(&self, name: &str) -> Option<ConceptId> {
        self.concept_names
            .iter()
            .position(|n| n == name)
            .map(|i| i as ConceptId)
    }
}
