//! Stage 4, `claims`: one claim frame per sentence.
//!
//! The document's text is normalised once and every lexicon word and rule phrase is found in one
//! pass of the [`PhraseIndex`]; grammar tokens (percentages, citations, …) add their own
//! concepts. Each sentence's hits then become a [`ClaimFrame`] that knows the sentence's claim
//! strength, its clauses, its citations and the cues of every frame property (negations,
//! appearance framings, attributions, disclosures, …). The stage sees only the [`Vocabulary`].

mod document;
mod index;
mod vocabulary;

pub use document::{DocumentFacts, facts};
pub use index::{ConceptId, Phrase, PhraseIndexBuilder, normalise_pattern};
pub use vocabulary::{
    CLAUSE_BREAK_CLASS, ConceptRole, FrameProperty, GENERIC_WORD_CLASS, PropertySource,
    STRENGTH_CUES, Vocabulary, reserved_classes,
};

use crate::diagnostic::Span;
use crate::parse::{Parsed, TokenKind};
use index::{RawHit, normalise};

/// Words a negation may stand before what it negates.
const NEGATION_REACH: usize = 4;
/// Words an appearance framing may stand before its target.
const FRAMING_REACH: usize = 3;

/// Claim strength, weakest to strongest (design.md, "Two ladders").
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// "may", "is being studied for".
    Speculative,
    /// "helps", "early studies suggest".
    Hedged,
    /// "reduces", "improves".
    Plain,
    /// A figure or study size.
    Tested,
    /// "clinically proven".
    Proven,
    /// "guaranteed", "permanent", "100%".
    Absolute,
}

impl Strength {
    /// The lowercase name used in files and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Speculative => "speculative",
            Strength::Hedged => "hedged",
            Strength::Plain => "plain",
            Strength::Tested => "tested",
            Strength::Proven => "proven",
            Strength::Absolute => "absolute",
        }
    }
}

/// One concept found in a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Which concept.
    pub concept: ConceptId,
    /// Where, in the extracted text.
    pub span: Span,
    /// First token (index into [`Parsed::tokens`]).
    pub first: usize,
    /// Last token.
    pub last: usize,
}

/// What one sentence claims, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimFrame {
    /// Index into [`Parsed::sentences`].
    pub sentence: usize,
    /// Every concept found, in text order.
    pub hits: Vec<Hit>,
    /// The sentence's claim strength.
    pub strength: Strength,
    /// The words that set the strength (none for plain claims).
    pub strength_cue: Option<Span>,
    /// Tokens where a new clause starts (sorted; the sentence's first token is implied).
    pub clause_starts: Vec<usize>,
    /// Cue words of the frame properties read from the lexicon, in text order.
    pub cues: Vec<(FrameProperty, Hit)>,
    /// Whether the sentence or its block carries a real citation.
    pub cited: bool,
}

/// All frames of a document plus what they share.
#[derive(Debug, Default)]
pub struct Claims {
    /// One frame per sentence, in order.
    pub frames: Vec<ClaimFrame>,
    /// For each token, how many word-like tokens come before it (to measure windows in words).
    pub word_rank: Vec<u32>,
    /// Ingredient list, references and citations of the whole document.
    pub facts: DocumentFacts,
}

impl Claims {
    /// Distance in words from token `a` to token `b` (`a <= b`).
    pub fn words_between(&self, a: usize, b: usize) -> usize {
        (self.word_rank[b] - self.word_rank[a]) as usize
    }
}

impl ClaimFrame {
    /// The clause of a token (0 for the first clause).
    pub fn clause_of(&self, token: usize) -> usize {
        self.clause_starts.partition_point(|&s| s <= token)
    }

    /// The cues of one property.
    pub fn cues(&self, property: FrameProperty) -> impl Iterator<Item = &Hit> {
        self.cues
            .iter()
            .filter(move |(p, _)| *p == property)
            .map(|(_, hit)| hit)
    }

    /// Whether the sentence holds a cue of the property anywhere.
    pub fn has(&self, property: FrameProperty) -> bool {
        self.cues(property).next().is_some()
    }

    /// Whether a negation cue stands in the clause of `first`, at most a few words before it.
    pub fn is_negated(&self, first: usize, claims: &Claims) -> bool {
        self.cues(FrameProperty::Negated).any(|n| {
            n.last < first
                && self.clause_of(n.first) == self.clause_of(first)
                && claims.words_between(n.last, first) <= NEGATION_REACH
        })
    }

    /// Whether an appearance framing scopes over the hit (stands just before it, or "looking"
    /// follows it).
    pub fn is_framed(&self, hit: &Hit, claims: &Claims) -> bool {
        self.cues(FrameProperty::AppearanceFraming).any(|f| {
            (f.last < hit.first
                && self.clause_of(f.first) == self.clause_of(hit.first)
                && claims.words_between(f.last, hit.first) <= FRAMING_REACH)
                || f.first == hit.last + 1
                || (f.first == hit.first && f.span.start > hit.span.start)
        })
    }

    /// The first token of a third-party attribution, if the sentence has one.
    pub fn attribution(&self) -> Option<usize> {
        self.cues(FrameProperty::Attributed).next().map(|h| h.first)
    }
}

/// Builds the claim frames of a parsed document.
pub fn frames(text: &str, parsed: &Parsed, vocabulary: &Vocabulary) -> Claims {
    let mut word_rank = Vec::with_capacity(parsed.tokens.len() + 1);
    let mut rank = 0u32;
    for token in &parsed.tokens {
        word_rank.push(rank);
        rank += u32::from(token.kind.is_wordlike());
    }
    word_rank.push(rank);

    let mut per_sentence: Vec<Vec<Hit>> = vec![Vec::new(); parsed.sentences.len()];
    for hit in concept_hits(text, parsed, vocabulary) {
        let sentence = parsed
            .sentences
            .partition_point(|s| s.tokens.end <= hit.first);
        if let Some(s) = parsed.sentences.get(sentence)
            && s.tokens.contains(&hit.last)
        {
            per_sentence[sentence].push(hit);
        }
    }

    let block_cited: Vec<bool> = parsed
        .blocks
        .iter()
        .map(|b| {
            parsed.sentences[b.sentences.clone()].iter().any(|s| {
                parsed.tokens[s.tokens.clone()].iter().any(|t| {
                    matches!(
                        t.kind,
                        TokenKind::Citation | TokenKind::Doi | TokenKind::Url
                    )
                })
            })
        })
        .collect();

    let mut claims = Claims {
        frames: Vec::with_capacity(parsed.sentences.len()),
        word_rank,
        facts: DocumentFacts::default(),
    };
    for (i, mut hits) in per_sentence.into_iter().enumerate() {
        hits.sort_by_key(|h| (h.first, h.span.start, h.span.end));
        let frame = build_frame(text, parsed, vocabulary, i, hits, &claims, &block_cited);
        claims.frames.push(frame);
    }
    claims.facts = facts(text, parsed, &claims.frames, vocabulary);
    claims
}

/// Every lexicon, phrase and token concept in the document, with token positions.
fn concept_hits(text: &str, parsed: &Parsed, vocabulary: &Vocabulary) -> Vec<Hit> {
    let (norm, origin) = normalise(text);
    let mut raw: Vec<RawHit> = Vec::new();
    vocabulary.index.find(&norm, &mut raw);
    let tokens = &parsed.tokens;
    let mut hits = Vec::with_capacity(raw.len() + tokens.len() / 4);
    for h in raw {
        let start = origin[h.start] as usize;
        let last_char = origin[h.end - 1] as usize;
        let end = last_char + text[last_char..].chars().next().map_or(0, char::len_utf8);
        let first = tokens.partition_point(|t| t.span.end <= start);
        let after = tokens.partition_point(|t| t.span.start < end);
        if first >= tokens.len() || after == 0 || after <= first {
            continue;
        }
        hits.push(Hit {
            concept: h.concept,
            span: Span::new(start, end),
            first,
            last: after - 1,
        });
    }
    for (i, token) in tokens.iter().enumerate() {
        if let Some(concept) = vocabulary.token_concept(token.kind) {
            hits.push(Hit {
                concept,
                span: token.span,
                first: i,
                last: i,
            });
        }
    }
    hits
}

fn build_frame(
    text: &str,
    parsed: &Parsed,
    vocabulary: &Vocabulary,
    sentence: usize,
    hits: Vec<Hit>,
    claims: &Claims,
    block_cited: &[bool],
) -> ClaimFrame {
    let s = &parsed.sentences[sentence];
    let role = |hit: &Hit| vocabulary.roles[hit.concept as usize];
    let mut clause_starts: Vec<usize> = s
        .tokens
        .clone()
        .filter(|&i| {
            let t = &parsed.tokens[i];
            t.kind == TokenKind::Punct
                && matches!(&text[t.span.start..t.span.end], ";" | ":" | "–" | "—" | "-")
        })
        .map(|i| i + 1)
        .collect();
    clause_starts.extend(
        hits.iter()
            .filter(|h| role(h) == ConceptRole::ClauseBreak)
            .map(|h| h.first),
    );
    clause_starts.sort_unstable();
    clause_starts.dedup();

    let cues = hits
        .iter()
        .filter_map(|h| match role(h) {
            ConceptRole::Cue(property) => Some((property, *h)),
            _ => None,
        })
        .collect();
    let mut frame = ClaimFrame {
        sentence,
        cues,
        cited: block_cited[s.block],
        strength: Strength::Plain,
        strength_cue: None,
        clause_starts,
        hits: Vec::new(),
    };

    let live = |strength: Strength| {
        hits.iter()
            .find(|h| {
                role(h) == ConceptRole::StrengthCue(strength) && !frame.is_negated(h.first, claims)
            })
            .map(|h| h.span)
    };
    let figure = hits
        .iter()
        .find(|h| {
            matches!(
                parsed.tokens[h.first].kind,
                TokenKind::Percent | TokenKind::FoldChange
            ) && h.first == h.last
        })
        .map(|h| h.span);
    let (strength, cue) = [
        (live(Strength::Absolute), Strength::Absolute),
        (live(Strength::Proven), Strength::Proven),
        (figure, Strength::Tested),
        (live(Strength::Speculative), Strength::Speculative),
        (live(Strength::Hedged), Strength::Hedged),
    ]
    .into_iter()
    .find_map(|(cue, strength)| cue.map(|c| (strength, Some(c))))
    .unwrap_or((Strength::Plain, None));
    frame.strength = strength;
    frame.strength_cue = cue;
    frame.hits = hits;
    frame
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;
    use crate::parse::parse;
    use crate::rules::test_engine;

    const NO_RULES: &str = "";

    /// Frames of a one-sentence text, with the engine used.
    fn frame(text: &str) -> (ClaimFrame, Claims, Engine) {
        let engine = test_engine(NO_RULES);
        let parsed = parse(text, &[]).unwrap();
        let claims = frames(text, &parsed, &engine.vocabulary);
        (claims.frames[0].clone(), claims, engine)
    }

    fn hit<'a>(frame: &'a ClaimFrame, engine: &Engine, concept: &str) -> &'a Hit {
        let id = engine.vocabulary.concept(concept).unwrap();
        frame.hits.iter().find(|h| h.concept == id).unwrap()
    }

    #[test]
    fn negation_scopes_over_a_following_claim_in_its_clause() {
        let (f, c, r) = frame("This serum does not stimulate collagen.");
        assert!(f.is_negated(hit(&f, &r, "verb.stimulate").first, &c));
        let (f, c, r) = frame("Not a miracle, but it boosts collagen.");
        assert!(
            !f.is_negated(hit(&f, &r, "verb.stimulate").first, &c),
            "the clause break ends the scope"
        );
        let (f, c, r) = frame("Without parabens or fillers or dyes or scents, it boosts collagen.");
        assert!(
            !f.is_negated(hit(&f, &r, "verb.stimulate").first, &c),
            "too far away"
        );
    }

    #[test]
    fn appearance_framing_scopes_over_the_target_only() {
        let (f, c, r) = frame("Improves the look of collagen-rich skin.");
        assert!(f.is_framed(hit(&f, &r, "target.dermal-structure"), &c));
        let (f, c, r) = frame("Boosts collagen for firmer-looking skin.");
        assert!(!f.is_framed(hit(&f, &r, "target.dermal-structure"), &c));
    }

    #[test]
    fn hedges_and_proofs_set_the_strength() {
        assert_eq!(frame("Helps boost collagen.").0.strength, Strength::Hedged);
        assert_eq!(
            frame("It may boost collagen.").0.strength,
            Strength::Speculative
        );
        assert_eq!(frame("Boosts collagen.").0.strength, Strength::Plain);
        assert_eq!(
            frame("Boosts collagen by 28%.").0.strength,
            Strength::Tested
        );
        assert_eq!(
            frame("Clinically proven to boost collagen.").0.strength,
            Strength::Proven
        );
        assert_eq!(
            frame("Permanent collagen gains, guaranteed.").0.strength,
            Strength::Absolute
        );
        assert_eq!(
            frame("Results are not permanent.").0.strength,
            Strength::Plain,
            "a negated absolute is no absolute"
        );
    }

    #[test]
    fn attribution_disclosure_and_citations_are_recorded() {
        let (f, ..) = frame("Some brands claim exosomes boost collagen.");
        assert_eq!(f.attribution(), Some(0));
        assert!(
            frame("This product is not FDA-approved.")
                .0
                .has(FrameProperty::Disclosed)
        );
        assert!(
            frame("Human studies are needed to confirm this.")
                .0
                .has(FrameProperty::ResearchContext)
        );
        assert!(frame("Collagen rose 20% [2].").0.cited);
        assert!(!frame("Collagen rose 20% [citation needed].").0.cited);
    }
}
