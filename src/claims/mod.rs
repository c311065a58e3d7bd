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

pub use document::{DocumentFacts, Reference, facts};
pub use index::{ConceptId, Phrase, PhraseIndexBuilder, normalise_pattern};
pub use vocabulary::{
    Assertion, BENEFIT_PREFIXES, CLAUSE_BREAK_CLASS, ConceptRole, FOLLOWUP_CLASS, FrameProperty,
    GENERIC_WORD_CLASS, INGREDIENT_CLASS, PROCEDURE_CLASS, PRODUCT_NOUN_CLASS, PRODUCT_VOICE_CLASS,
    ProcedureContext, PropertySource, RECOVERY_CLASS, STRENGTH_CUES, Vocabulary, WORDING_CLASS,
    reserved_classes,
};

use crate::diagnostic::Span;
use crate::extract::BlockKind;
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
    /// The first kind of product the sentence names for itself ("serum", not "stem cell
    /// creams" in general), or else its section's heading names: what a suggested rewording
    /// calls the product.
    pub product_noun: Option<Span>,
    /// Cue words of the frame properties read from the lexicon, in text order.
    pub cues: Vec<(FrameProperty, Hit)>,
    /// Whether the sentence or its block carries a real citation.
    pub cited: bool,
    /// Whether the sentence only names things: no benefit asserted, no product spoken of.
    pub bare_mention: bool,
    /// Whether the sentence speaks of no product at all (no product voice, no product noun).
    pub no_product: bool,
    /// Whether the sentence asserts an effect, and if not, why.
    pub assertion: Assertion,
    /// Short quoted phrases the sentence talks about rather than asserts ("words like "cures"",
    /// "if you see "FDA approved""): byte spans of the copy, quotes excluded.
    pub quoted: Vec<Span>,
    /// The cue words that made the sentence not asserted, if cue words did: a match that
    /// contains them claims what they say ("approved by regulators") and stays asserted.
    pub assertion_cue: Option<Span>,
    /// The tokens a negated existence covers ("there is no blood draw" in "…, there is no
    /// blood draw, and it outperforms PRP"); the other reasons cover the whole sentence.
    pub assertion_scope: Option<std::ops::Range<usize>>,
    /// Whether the sentence reports research (a `frame.research-report` cue such as "in vitro")
    /// without weighing it: the next sentence of its block may weigh it instead ("Researchers
    /// saw more collagen in cultured cells. Whether that happens in skin is unknown.").
    pub unweighed_report: bool,
    /// Whether the sentence before, in the same block, describes a study's method ("Consumer
    /// panel: 110 volunteers used the serum for 8 weeks. 68% agreed …"); the sentence then holds
    /// the `study-design` property too.
    pub design_before: bool,
    /// The `frame.reported-speech` cue of someone else's words the sentence reports ("the brand
    /// says"), found once for the assertion, the quoted phrases and the next sentence's
    /// rejection (see [`reported_speech`]).
    pub reported_speech: Option<Hit>,
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

    /// The assertion of a match made of the words at `spans`: one whose own words take the cue
    /// words claims what they say ("approved by regulators") and is asserted; any other has the
    /// sentence's. Advice stays advice even when the match takes its words ("eczema should be
    /// diagnosed and managed with a doctor").
    pub fn assertion_of(&self, spans: impl IntoIterator<Item = Span>) -> Assertion {
        match self.assertion_cue {
            Some(cue)
                if self.assertion != Assertion::Precaution
                    && spans
                        .into_iter()
                        .any(|s| s.start < cue.end && cue.start < s.end) =>
            {
                Assertion::Asserted
            }
            _ => self.assertion,
        }
    }

    /// Whether the next sentence weighs the research this one reports (a report it did not weigh
    /// itself that became a research statement); the frame then holds `limitation` too.
    pub fn weighed_by_next(&self) -> bool {
        self.unweighed_report && self.assertion == Assertion::ResearchStatement
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

    if let Some(context) = vocabulary.procedure_context {
        carry_procedure(parsed, context, &mut per_sentence);
    }

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
    products_of_sections(parsed, &mut claims.frames);
    follow_up_definitions(parsed, &mut claims.frames);
    answered_questions(text, parsed, &mut claims.frames);
    reports_weighed_next(parsed, &mut claims.frames);
    reports_rejected_next(text, parsed, &mut claims.frames);
    designs_described_before(parsed, &mut claims.frames);
    claims.facts = facts(text, parsed, &claims.frames, vocabulary);
    claims
}

/// Words a quoted phrase has at most to be a term talked about (a longer quote is a testimonial).
const QUOTED_WORDS: usize = 4;
/// Words a quoted phrase has at most in a sentence that says it talks about wording ("the
/// headline "exosomes heal wounds twice as fast"").
const QUOTED_WORDING_WORDS: usize = 10;

/// Short quoted phrases a sentence talks about: inside double quotes, at most [`QUOTED_WORDS`]
/// words, in a sentence that either speaks of no product or talks about wording
/// (`frame.wording`: "a phrase", "words like"; then up to [`QUOTED_WORDING_WORDS`]). "Our cream
/// is "clinically proven"" keeps its quotes as emphasis.
fn quoted_mentions(
    text: &str,
    parsed: &Parsed,
    sentence: Span,
    hits: &[Hit],
    vocabulary: &Vocabulary,
    reported: Option<usize>,
) -> Vec<Span> {
    // The sentence may start just after its opening quote.
    let from = if text[..sentence.start].ends_with(['"', '\u{201C}']) {
        sentence.start - 1
    } else {
        sentence.start
    };
    let body = &text[from..sentence.end];
    if !body.contains(['"', '\'', '\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}']) {
        return Vec::new();
    }
    let about_wording = hits
        .iter()
        .any(|h| vocabulary.roles[h.concept as usize] == ConceptRole::Wording);
    let limit = if about_wording {
        QUOTED_WORDING_WORDS
    } else {
        QUOTED_WORDS
    };
    let asks = body.trim_end().ends_with('?');
    let mut out = Vec::new();
    let mut keep = |start: usize, end: usize| {
        let inner = &body[start..end];
        let words = inner.split_whitespace().count();
        let outside = body.len() - inner.len();
        // A quote that is the whole sentence is a testimonial, unless it is asked about
        // (""Clinically proven"?").
        let asked_about = asks
            && body[end..]
                .trim_start_matches(['"', '\'', '\u{201D}', '\u{2019}'])
                .trim()
                == "?";
        if (1..=limit).contains(&words) && (outside > inner.len() || asked_about) {
            out.push(Span::new(from + start, from + end));
        }
    };
    // Single quotes are told from apostrophes by where they stand: an opening one after a space
    // and before a letter, a closing one after a letter and before no letter ("the words
    // 'stem cell' on a label", not "customers' skin" or "it's").
    let letter = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let (mut double, mut single): (Option<usize>, Option<usize>) = (None, None);
    for (at, c) in body.char_indices() {
        let next = at + c.len_utf8();
        match c {
            '"' | '\u{201C}' | '\u{201D}' => match double {
                Some(start) if c != '\u{201C}' => {
                    keep(start, at);
                    double = None;
                }
                None if c != '\u{201D}' => double = Some(next),
                _ => {}
            },
            '\'' | '\u{2018}' | '\u{2019}' => {
                let before = body[..at].chars().next_back();
                let after = body[next..].chars().next();
                match single {
                    None if !letter(before) && letter(after) && c != '\u{2019}' => {
                        single = Some(next);
                    }
                    Some(start) if letter(before) && !letter(after) => {
                        keep(start, at);
                        single = None;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    // A product word inside a quoted term is part of the term ("\"stem cell serum\" usually
    // means …"); one outside it makes the quotes the product's emphasis, unless it names products
    // in general, a question asks about the term ("What does 'clinically proven' mean on a
    // jar of cream?"), or it is the product of someone the sentence reports ("a brand says its
    // cream is 'better than Botox'").
    let names_product = hits.iter().any(|h| {
        let role = vocabulary.roles[h.concept as usize];
        (role == ConceptRole::ProductVoice
            || role == ConceptRole::ProductNoun
                && !asks
                && !names_products_in_general(text, parsed, h)
                && !reported.is_some_and(|cue| speakers_product(text, parsed, cue, h)))
            && !out
                .iter()
                .any(|q| q.start <= h.span.start && h.span.end <= q.end)
    });
    if names_product && !about_wording {
        return Vec::new();
    }
    out
}

/// Words before a product noun among which a possessive may make it the speaker's
/// ("its growth factor serum").
const POSSESSIVE_REACH: usize = 3;

/// Whether a product noun after a reported speech verb (its last token `cue`) is the speaker's
/// own product: "its" or "their" stands just before it.
fn speakers_product(text: &str, parsed: &Parsed, cue: usize, hit: &Hit) -> bool {
    hit.first > cue
        && parsed.tokens[cue + 1..hit.first]
            .iter()
            .rev()
            .filter(|t| t.kind == TokenKind::Word)
            .take(POSSESSIVE_REACH)
            .any(|t| is_one_of(&text[t.span.start..t.span.end], &["its", "their"]))
}

/// Imperatives that open a direction for use, whose unsaid object is the product.
const DIRECTIONS: [&str; 12] = [
    "apply", "use", "press", "pat", "massage", "smooth", "spread", "layer", "dispense", "mist",
    "spray", "pump",
];

/// Words a fragment (heading, label line, product name) has at most.
const FRAGMENT_WORDS: usize = 4;

/// The number of word tokens of a sentence.
fn word_count(parsed: &Parsed, s: &crate::parse::Sentence) -> usize {
    parsed.tokens[s.tokens.clone()]
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .count()
}

/// Words a sentence may have and still be only a qualifier of the sentence before it.
const QUALIFIER_WORDS: usize = 4;

/// Calls `read` with each sentence's frame and the next one's, for sentences of one block: how
/// one sentence is read may depend on its neighbour ("No more, no less." after a definition).
fn neighbours_in_block(
    parsed: &Parsed,
    frames: &mut [ClaimFrame],
    mut read: impl FnMut(&mut ClaimFrame, &mut ClaimFrame),
) {
    for i in 1..frames.len() {
        let (before, after) = frames.split_at_mut(i);
        let (first, second) = (&mut before[i - 1], &mut after[0]);
        if parsed.sentences[first.sentence].block == parsed.sentences[second.sentence].block {
            read(first, second);
        }
    }
}

/// A short sentence that is only a definition cue ("No more, no less.") qualifies the sentence
/// before it in its block, which becomes a definition too.
fn follow_up_definitions(parsed: &Parsed, frames: &mut [ClaimFrame]) {
    neighbours_in_block(parsed, frames, |previous, frame| {
        let only_a_qualifier = frame.assertion == Assertion::Definition
            && word_count(parsed, &parsed.sentences[frame.sentence]) <= QUALIFIER_WORDS;
        if only_a_qualifier && previous.assertion == Assertion::Asserted {
            previous.assertion = Assertion::Definition;
            previous.assertion_scope = None;
        }
    });
}

/// A research report the next sentence of its block weighs (a limitation, a disclosure, a
/// research caveat: "… in cultured cells. Whether it happens in skin is unknown.") is a research
/// statement.
fn reports_weighed_next(parsed: &Parsed, frames: &mut [ClaimFrame]) {
    neighbours_in_block(parsed, frames, |report, next| {
        let weighs = next.has(FrameProperty::Limitation)
            || next.has(FrameProperty::Disclosed)
            || next.has(FrameProperty::ResearchContext)
            || next.assertion == Assertion::ResearchStatement;
        if weighs && report.unweighed_report && report.assertion == Assertion::Asserted {
            report.assertion = Assertion::ResearchStatement;
            report.assertion_scope = None;
        }
    });
}

/// A figure after a sentence that describes a study's method, in the same block, reports that
/// study.
fn designs_described_before(parsed: &Parsed, frames: &mut [ClaimFrame]) {
    neighbours_in_block(parsed, frames, |method, frame| {
        // Only a figure reports the study; a claim beside it ("Clinically proven to …") does not.
        frame.design_before =
            frame.strength == Strength::Tested && method.has(FrameProperty::StudyDesign);
    });
}

/// Words that answer a yes-or-no question in its favour ("Is it as good as Botox? Better.").
const AFFIRMATIVES: [&str; 8] = [
    "yes",
    "yep",
    "absolutely",
    "definitely",
    "certainly",
    "better",
    "sure",
    "indeed",
];

/// A question the copy answers itself with a yes ("Does it cure acne? Absolutely.") asserts
/// what it asked.
fn answered_questions(text: &str, parsed: &Parsed, frames: &mut [ClaimFrame]) {
    neighbours_in_block(parsed, frames, |question, answer| {
        if question.assertion != Assertion::Question {
            return;
        }
        let s = &parsed.sentences[answer.sentence];
        let first = parsed.tokens[s.tokens.clone()]
            .iter()
            .find(|t| t.kind == TokenKind::Word)
            .map(|t| &text[t.span.start..t.span.end]);
        let of_course = text[s.span.start..s.span.end]
            .get(..9)
            .is_some_and(|w| w.eq_ignore_ascii_case("of course"));
        if of_course || first.is_some_and(|w| is_one_of(w, &AFFIRMATIVES)) {
            question.assertion = Assertion::Asserted;
            question.assertion_scope = None;
        }
    });
}

/// Every lexicon, phrase and token concept in the document, with token positions.
///
/// The text is matched block by block: a hit must lie within one sentence, so none crosses a
/// block, and a block's normalised text (with its map back to the source) is all that is held
/// at once, however large the document.
fn concept_hits(text: &str, parsed: &Parsed, vocabulary: &Vocabulary) -> Vec<Hit> {
    let tokens = &parsed.tokens;
    let mut hits = Vec::with_capacity(tokens.len() / 4);
    let mut raw: Vec<RawHit> = Vec::new();
    for block in &parsed.blocks {
        let Some(block_tokens) = block_tokens(parsed, block) else {
            continue;
        };
        let (norm, origin) = normalise(&text[block.span.start..block.span.end]);
        raw.clear();
        vocabulary.index.find(&norm, &mut raw);
        let tokens = &tokens[block_tokens.clone()];
        for h in &raw {
            let start = block.span.start + origin[h.start] as usize;
            let last_char = block.span.start + origin[h.end - 1] as usize;
            let end = last_char + text[last_char..].chars().next().map_or(0, char::len_utf8);
            let first = tokens.partition_point(|t| t.span.end <= start);
            let after = tokens.partition_point(|t| t.span.start < end);
            if first >= tokens.len() || after == 0 || after <= first {
                continue;
            }
            hits.push(Hit {
                concept: h.concept,
                span: Span::new(start, end),
                first: block_tokens.start + first,
                last: block_tokens.start + after - 1,
            });
        }
    }
    let tokens = &parsed.tokens;
    // A percent beside an ingredient or a product noun ("Retinol 0.3%", "15% L-ascorbic acid",
    // "niacinamide (4%)", "a 10% serum") names a concentration: it is no figure.
    // Marked only in documents that have a percent at all.
    let mut names_ingredient = Vec::new();
    if tokens.iter().any(|t| t.kind == TokenKind::Percent) {
        names_ingredient = vec![false; tokens.len()];
        for h in &hits {
            let role = vocabulary.roles[h.concept as usize];
            if matches!(role, ConceptRole::Ingredient | ConceptRole::ProductNoun) {
                names_ingredient[h.first..=h.last].fill(true);
            }
        }
    }
    // Beside means on the same line with at most a bracket between ("niacinamide (4%)"), not
    // across a heading's end.
    let beside_ingredient = |i: usize| {
        let joined = |a: usize, b: usize| {
            text[tokens[a].span.end..tokens[b].span.start]
                .chars()
                .all(|c| c == '(' || c == ')' || c == ' ' || c == '\t')
        };
        let bracket = |t: &crate::parse::Token| {
            t.kind == TokenKind::Punct && matches!(&text[t.span.start..t.span.end], "(" | ")")
        };
        let before = (0..i)
            .rev()
            .find(|&j| !bracket(&tokens[j]))
            .filter(|&j| joined(j, i));
        let after = (i + 1..tokens.len())
            .find(|&j| !bracket(&tokens[j]))
            .filter(|&j| joined(i, j));
        before.is_some_and(|j| names_ingredient[j]) || after.is_some_and(|j| names_ingredient[j])
    };
    for (i, token) in tokens.iter().enumerate() {
        if token.kind == TokenKind::Percent && beside_ingredient(i) {
            continue;
        }
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

/// A heading's kind of product carries to the sentences of its section that name none ("Night
/// Cream" over "Rebuilds collagen while you sleep").
fn products_of_sections(parsed: &Parsed, frames: &mut [ClaimFrame]) {
    let mut heading_product = None;
    for block in &parsed.blocks {
        let sentences = block.sentences.clone();
        if block.kind == BlockKind::Heading {
            heading_product = sentences.clone().find_map(|i| frames[i].product_noun);
            continue;
        }
        for frame in &mut frames[sentences] {
            frame.product_noun = frame.product_noun.or(heading_product);
        }
    }
}

/// Gives a later "after your session" the procedure an earlier sentence of its block, or its
/// section's heading, named ("Had microneedling? Apply it straight after your session …"): the
/// reference gets a hit of procedure recovery. Each sentence is read once, in order.
fn carry_procedure(parsed: &Parsed, context: ProcedureContext, per_sentence: &mut [Vec<Hit>]) {
    let names = |hits: &[Hit]| hits.iter().any(|h| h.concept == context.procedure);
    let mut heading_names = false;
    for block in &parsed.blocks {
        let sentences = block.sentences.clone();
        if block.kind == BlockKind::Heading {
            heading_names = sentences.clone().any(|i| names(&per_sentence[i]));
            continue;
        }
        let mut named = heading_names;
        for i in sentences {
            let hits = &mut per_sentence[i];
            let first_procedure = hits
                .iter()
                .filter(|h| h.concept == context.procedure)
                .map(|h| h.first)
                .min();
            let resolved: Vec<Hit> = hits
                .iter()
                .filter(|h| h.concept == context.followup)
                .filter(|h| named || first_procedure.is_some_and(|p| p < h.first))
                .map(|h| Hit {
                    concept: context.recovery,
                    ..*h
                })
                .collect();
            hits.extend(resolved);
            named |= first_procedure.is_some();
        }
    }
}

/// The tokens of a block's sentences; `None` for a block without any.
fn block_tokens(parsed: &Parsed, block: &crate::parse::Block) -> Option<std::ops::Range<usize>> {
    let sentences = &parsed.sentences[block.sentences.clone()];
    Some(sentences.first()?.tokens.start..sentences.last()?.tokens.end)
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
    let words = sentence_words(text, parsed, sentence);
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
        // A fragment (a heading, a label line, a product name) presents what it names as the
        // product or its ingredient: only a sentence can merely mention it.
        bare_mention: words.len() > FRAGMENT_WORDS
            && !hits
                .iter()
                .any(|h| role(h) == ConceptRole::Benefit || product_word(role(h))),
        // A sentence that opens with an effect verb has the product as its unsaid subject
        // ("Delivers growth-factor-rich exosomes …"), and one that opens with a direction for
        // use its unsaid object ("Apply straight after microneedling"); products in general
        // ("stem cell creams", "skincare", "no cream") are no product of the copy's.
        no_product: words.len() > FRAGMENT_WORDS
            && !words
                .first()
                .is_some_and(|(_, w)| is_one_of(w, &DIRECTIONS))
            && !hits.iter().any(|h| {
                role(h) == ConceptRole::ProductVoice
                    || role(h) == ConceptRole::ProductNoun
                        && !names_products_in_general(text, parsed, h)
                    || role(h) == ConceptRole::Benefit
                        && Some(&h.first) == words.first().map(|(t, _)| t)
            }),
        assertion: Assertion::Asserted,
        quoted: Vec::new(),
        assertion_cue: None,
        assertion_scope: None,
        unweighed_report: false,
        design_before: false,
        reported_speech: None,
        strength: Strength::Plain,
        strength_cue: None,
        clause_starts,
        product_noun: hits
            .iter()
            .find(|h| {
                role(h) == ConceptRole::ProductNoun && !names_products_in_general(text, parsed, h)
            })
            .map(|h| h.span),
        hits: Vec::new(),
    };

    // "With no downsides", "without complications": a denied limitation promises a benefit.
    let denied: Vec<usize> = frame
        .cues
        .iter()
        .enumerate()
        .filter(|(_, (p, h))| *p == FrameProperty::Limitation && frame.is_negated(h.first, claims))
        .map(|(i, _)| i)
        .collect();
    for i in denied.into_iter().rev() {
        frame.cues.remove(i);
    }

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
    frame.reported_speech = reported_speech(&words, &hits, vocabulary, &frame).copied();
    let found = assertion(text, parsed, claims, &words, &hits, vocabulary, &frame);
    frame.assertion = found.assertion;
    frame.assertion_cue = found.cue;
    frame.assertion_scope = found.scope;
    frame.unweighed_report = found.unweighed_report;
    let reported = frame.reported_speech.map(|c| c.last);
    frame.quoted = quoted_mentions(text, parsed, s.span, &hits, vocabulary, reported);
    frame.hits = hits;
    frame
}

/// Words a "What is …?" question has at most to ask what a term is ("What are plant exosomes?").
const TERM_QUESTION_WORDS: usize = 5;

/// Words that open a yes-or-no question about whether something is so ("Is exosome therapy
/// FDA approved?"). Questions opened by "why", "what" or "how" are left asserted: in marketing
/// they are rhetorical ("Why book another round of fillers?").
const INTERROGATIVES: [&str; 14] = [
    "do", "does", "did", "is", "are", "was", "were", "can", "could", "will", "would", "should",
    "has", "have",
];
/// Words that address the reader: a question with one of them is marketing ("Do you want …?"),
/// and asserts. "your" is one too, unless the question names a product ("Does your serum
/// contain stem cells?" is a customer's question to the brand).
const READER: [&str; 5] = ["you", "you're", "you'll", "you've", "you'd"];
/// Words that deny a product a claim when they follow its product-voice word ("contains no",
/// "we don't").
const DENIALS: [&str; 8] = [
    "no", "not", "never", "don't", "doesn't", "dont", "doesnt", "won't",
];
/// Words that open a negated existence or universal ("no product …", "nobody …").
const NOBODY: [&str; 6] = ["no", "none", "nobody", "nothing", "neither", "noone"];
/// Verbs that make "no X …" a statement about what exists or holds, not a claim-free list
/// ("no parabens, no sulfates").
const STATEMENT_VERBS: [&str; 36] = [
    "is",
    "holds",
    "hold",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "can",
    "could",
    "does",
    "do",
    "did",
    "will",
    "would",
    "contains",
    "contain",
    "contained",
    "shows",
    "show",
    "showed",
    "shown",
    "exists",
    "exist",
    "survives",
    "survive",
    "reaches",
    "reach",
    "works",
    "work",
    "proves",
    "prove",
    "proved",
    "means",
    "makes",
];
/// Words that may follow "is" or "are" in a definition ("Exosomes are tiny vesicles …").
const DEFINING: [&str; 27] = [
    "a",
    "an",
    "nanosized",
    "nano-sized",
    "extracellular",
    "large",
    "fragile",
    "tiny",
    "small",
    "microscopic",
    "particles",
    "vesicles",
    "molecules",
    "proteins",
    "substances",
    "compounds",
    "extracts",
    "one",
    "licensed",
    "medicines",
    "medicine",
    "drugs",
    "chronic",
    "condition",
    "conditions",
    "procedure",
    "procedures",
];
/// Words after "is" or "are" among which a defining word may stand ("are signalling proteins").
const DEFINING_REACH: usize = 2;
/// Words a definition's subject has at most ("Plant stem cell extracts are …").
const SUBJECT_WORDS: usize = 6;
/// Words a scene-setting phrase before a definition's subject has at most ("In the body, …").
const SETTING_WORDS: usize = 3;

/// Whether a word is one of a list of lowercase words, ignoring case and the curly apostrophe.
fn is_one_of(word: &str, list: &[&str]) -> bool {
    if word.contains('\u{2019}') {
        let word = word.replace('\u{2019}', "'");
        return list.iter().any(|w| w.eq_ignore_ascii_case(&word));
    }
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Whether a question addresses the reader (marketing) rather than the brand (a customer's).
fn addresses_reader(words: &[(usize, &str)], hits: &[Hit], vocabulary: &Vocabulary) -> bool {
    let names_product = hits
        .iter()
        .any(|h| product_word(vocabulary.roles[h.concept as usize]));
    words
        .iter()
        .any(|(_, w)| is_one_of(w, &READER) || (!names_product && is_one_of(w, &["your", "yours"])))
}

/// Words before a product noun that make it mean products in general ("no cream has …").
const GENERAL_DETERMINERS: [&str; 7] = ["no", "any", "every", "most", "many", "some", "all"];

/// Whether a product noun means products in general rather than one product: a plural ("stem
/// cell creams"), a mass noun ("skincare"), or one after "no", "any", "most" and the like.
fn names_products_in_general(text: &str, parsed: &Parsed, hit: &Hit) -> bool {
    let word = &text[hit.span.start..hit.span.end];
    let ending = |e: &str| {
        word.get(word.len().saturating_sub(e.len())..)
            .is_some_and(|w| w.eq_ignore_ascii_case(e))
    };
    let plural = ending("s") && !ending("ss");
    let mass = is_one_of(word, &["skincare", "skin care", "ingredients"]);
    let after_general = (0..hit.first)
        .rev()
        .find(|&i| parsed.tokens[i].kind == TokenKind::Word)
        .is_some_and(|i| {
            let span = parsed.tokens[i].span;
            is_one_of(&text[span.start..span.end], &GENERAL_DETERMINERS)
        });
    plural || mass || after_general
}

/// Whether a concept names a product: the copy's voice ("our", "contains") or a product noun
/// ("serum").
fn product_word(role: ConceptRole) -> bool {
    matches!(role, ConceptRole::ProductVoice | ConceptRole::ProductNoun)
}

/// Whether the sentence speaks of a product (`frame.product-voice`).
fn product_voice(hits: &[Hit], vocabulary: &Vocabulary) -> bool {
    hits.iter()
        .any(|h| vocabulary.roles[h.concept as usize] == ConceptRole::ProductVoice)
}

/// Words after a product-voice word in which a negation denies the product the claim.
const DENIAL_REACH: usize = 3;

/// Verbs after "we" that make it the writer speaking, not the brand's product ("as far as we
/// know", "we'd suggest").
const WRITER_VERBS: [&str; 12] = [
    "know",
    "think",
    "believe",
    "suggest",
    "recommend",
    "explain",
    "expect",
    "hope",
    "find",
    "found",
    "understand",
    "advise",
];

/// Words that, after a negation, make it reject what was reported ("no published evidence",
/// "not true", "isn't supported").
const REJECTION_WORDS: [&str; 16] = [
    "evidence",
    "proof",
    "data",
    "study",
    "studies",
    "trial",
    "trials",
    "research",
    "true",
    "support",
    "supports",
    "supported",
    "shown",
    "proven",
    "backed",
    "case",
];
/// Words after a negation among which a rejection word may stand ("no published evidence").
const REJECTION_REACH: usize = 3;
/// Words a sentence has at most to be a bare rejection of the one before ("They don't.").
const REJOINDER_WORDS: usize = 4;

/// The `frame.reported-speech` cue of a sentence that reports what someone else says ("the
/// brand says", "influencers claim"): a speech verb with a speaker before it in its clause that
/// is not the copy's own voice ("we claim", "our label says" report nothing).
fn reported_speech<'h>(
    words: &[(usize, &str)],
    hits: &'h [Hit],
    vocabulary: &Vocabulary,
    frame: &ClaimFrame,
) -> Option<&'h Hit> {
    let cue = hits.iter().find(|h| {
        vocabulary.roles[h.concept as usize]
            == ConceptRole::AssertionCue(Assertion::ThirdPartyClaim)
    })?;
    let clause = frame.clause_of(cue.first);
    let speaker = words
        .iter()
        .any(|(t, _)| *t < cue.first && frame.clause_of(*t) == clause);
    let own_voice = hits.iter().any(|h| {
        vocabulary.roles[h.concept as usize] == ConceptRole::ProductVoice
            && h.first < cue.first
            && frame.clause_of(h.first) == clause
    });
    let first_word = words.first().map(|(_, w)| *w).unwrap_or_default();
    (speaker && !own_voice && !is_one_of(first_word, &["we", "i"])).then_some(cue)
}

/// Whether the tokens `within` a frame reject what was said: a limit, a research statement, or
/// a negation with a word of evidence or truth after it ("we found no published evidence",
/// "that isn't true").
fn rejects(
    text: &str,
    parsed: &Parsed,
    frame: &ClaimFrame,
    within: std::ops::Range<usize>,
) -> bool {
    let weighed = frame.cues.iter().any(|(p, h)| {
        within.contains(&h.first)
            && matches!(
                p,
                FrameProperty::Limitation | FrameProperty::ResearchContext
            )
    });
    weighed
        || frame.cues(FrameProperty::Negated).any(|n| {
            within.contains(&n.first)
                && parsed.tokens[n.last + 1..within.end.max(n.last + 1)]
                    .iter()
                    .filter(|t| t.kind == TokenKind::Word)
                    .take(REJECTION_REACH)
                    .any(|t| is_one_of(&text[t.span.start..t.span.end], &REJECTION_WORDS))
        })
}

/// The stretch of a reported claim that a later clause of the same sentence rejects: from the
/// sentence's start to that clause.
fn rejected_later(
    text: &str,
    parsed: &Parsed,
    frame: &ClaimFrame,
    cue: &Hit,
) -> Option<std::ops::Range<usize>> {
    let s = &parsed.sentences[frame.sentence];
    let starts = &frame.clause_starts;
    let rejecting = starts
        .iter()
        .enumerate()
        .filter(|(_, start)| **start > cue.last)
        .find(|(i, start)| {
            let end = starts.get(i + 1).copied().unwrap_or(s.tokens.end);
            rejects(text, parsed, frame, **start..end)
        })?;
    Some(s.tokens.start..*rejecting.1)
}

/// A sentence that reports what someone else says and is rejected by the next sentence of its
/// block ("Influencers say it regrows hair. It doesn't.") is a third party's claim throughout.
fn reports_rejected_next(text: &str, parsed: &Parsed, frames: &mut [ClaimFrame]) {
    neighbours_in_block(parsed, frames, |report, next| {
        if report.assertion != Assertion::Asserted || report.reported_speech.is_none() {
            return;
        }
        let sentence = &parsed.sentences[next.sentence];
        let rejoinder =
            word_count(parsed, sentence) <= REJOINDER_WORDS && next.has(FrameProperty::Negated);
        let rejected = rejoinder
            || rejects(text, parsed, next, sentence.tokens.clone())
            || matches!(
                next.assertion,
                Assertion::ResearchStatement | Assertion::NegatedExistence
            );
        if rejected {
            report.assertion = Assertion::ThirdPartyClaim;
            report.assertion_scope = None;
        }
    });
}

/// The text of a hit's first token.
fn first_word_of<'t>(text: &'t str, parsed: &Parsed, hit: &Hit) -> &'t str {
    let span = parsed.tokens[hit.first].span;
    &text[span.start..span.end]
}

/// The word tokens of a sentence with their text.
fn sentence_words<'t>(text: &'t str, parsed: &Parsed, sentence: usize) -> Vec<(usize, &'t str)> {
    parsed.sentences[sentence]
        .tokens
        .clone()
        .filter(|&i| parsed.tokens[i].kind == TokenKind::Word)
        .map(|i| {
            let span = parsed.tokens[i].span;
            (i, &text[span.start..span.end])
        })
        .collect()
}

/// Whether the copy's own product takes the sentence's claim: a product-voice word that is not
/// denied and not the writer's "we know" ("our formula contains no human-derived exosomes",
/// "we don't stock them", "as far as we know" leave a statement about the law a statement about
/// the law). Given the `cue` words of the statement, only a product-voice word in their clause
/// takes it: "… is a prescription-only medicine; this page describes our consultation service"
/// still states the law.
fn owns_claim(
    text: &str,
    parsed: &Parsed,
    hits: &[Hit],
    vocabulary: &Vocabulary,
    frame: &ClaimFrame,
    cue: Option<&Hit>,
) -> bool {
    let s = &parsed.sentences[frame.sentence];
    hits.iter()
        .filter(|h| vocabulary.roles[h.concept as usize] == ConceptRole::ProductVoice)
        .filter(|h| cue.is_none_or(|c| frame.clause_of(c.first) == frame.clause_of(h.first)))
        .any(|h| {
            let mut after = (h.last + 1..s.tokens.end)
                .filter(|&i| parsed.tokens[i].kind == TokenKind::Word)
                .take(DENIAL_REACH)
                .map(|i| {
                    let span = parsed.tokens[i].span;
                    &text[span.start..span.end]
                })
                .peekable();
            let writer = after.peek().is_some_and(|w| is_one_of(w, &WRITER_VERBS));
            !writer && !after.any(|w| is_one_of(w, &DENIALS))
        })
}

/// Whether a sentence defines what something is: a short subject, then "is" or "are" and a
/// defining predicate, said of no product of the copy's own (no `frame.product-voice` word, no
/// capitalised name in the subject such as "Tidal Recovery Mist").
fn defines(
    text: &str,
    parsed: &Parsed,
    words: &[(usize, &str)],
    hits: &[Hit],
    vocabulary: &Vocabulary,
) -> bool {
    if glossary_entry(text, parsed, words, hits, vocabulary) {
        return true;
    }
    // A short scene-setting phrase before a comma ("In the body, …") is no part of the subject.
    let subject = words
        .iter()
        .take(SETTING_WORDS + 1)
        .skip(1)
        .position(|(token, _)| {
            let before = &parsed.tokens[token - 1];
            before.kind == TokenKind::Punct && &text[before.span.start..before.span.end] == ","
        })
        .map_or(0, |at| at + 1);
    let copula = words[subject..]
        .iter()
        .take(SUBJECT_WORDS + 1)
        .position(|(_, w)| is_one_of(w, &["is", "are"]))
        .map(|at| at + subject);
    let Some(at) = copula.filter(|&at| at > subject) else {
        return false;
    };
    // An acronym ("EGF", "PRP") is a term, not a name.
    let named = words[subject + 1..at].iter().any(|(token, _)| {
        let span = parsed.tokens[*token].span;
        let word = &text[span.start..span.end];
        word.chars().next().is_some_and(char::is_uppercase)
            && !word
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    });
    // "… are not living cells": a denial of what something is defines it too.
    !named
        && !product_voice(hits, vocabulary)
        && words[at + 1..]
            .iter()
            .take(DEFINING_REACH)
            .any(|(_, w)| is_one_of(w, &DEFINING) || is_one_of(w, &["not"]))
}

/// Words a label before a colon has at most ("Customer Q&A:").
const LABEL_WORDS: usize = 3;

/// How many words open the sentence as a label: up to [`LABEL_WORDS`] words and a colon, then
/// a capitalised word or a quote ("Clinic FAQ: Is it safe?", "Dermatologist: "I would …"").
fn label_words(text: &str, parsed: &Parsed, words: &[(usize, &str)]) -> usize {
    match words_before_colon(text, parsed, words, LABEL_WORDS) {
        Some(label)
            if words[label]
                .1
                .chars()
                .next()
                .is_some_and(char::is_uppercase) =>
        {
            label
        }
        _ => 0,
    }
}

/// How many of the first `most` words stand before a colon, if one follows them and another
/// word follows it ("Clinic FAQ: …" is 2, "Stem cell: a …" is 2).
fn words_before_colon(
    text: &str,
    parsed: &Parsed,
    words: &[(usize, &str)],
    most: usize,
) -> Option<usize> {
    words
        .iter()
        .take(most)
        .zip(words.iter().skip(1))
        .position(|(a, b)| {
            parsed.tokens[a.0 + 1..b.0]
                .iter()
                .any(|t| t.kind == TokenKind::Punct && &text[t.span.start..t.span.end] == ":")
        })
        .map(|at| at + 1)
}

/// Words a glossary entry's term has at most ("Stem cell: a cell that …").
const GLOSSARY_TERM_WORDS: usize = 3;
/// Words that make a "…:" opening a phrase, not a term.
const DETERMINERS: [&str; 11] = [
    "the", "this", "that", "these", "our", "your", "my", "why", "how", "what", "skip",
];
/// Words that make a "…:" opening a label of copy, not a term ("Result: a 40% smoother …").
const LABELS: [&str; 12] = [
    "result", "results", "benefit", "benefits", "claim", "claims", "outcome", "effect", "effects",
    "proof", "verdict", "promise",
];

/// Whether a sentence is a glossary entry: a short term, a colon, then "a", "an" or "to" opening
/// the definition ("Growth factor: a signalling protein that …"), naming no product ("Exosome
/// serum: a secret to …" is a headline) and no label of copy ("Result: a …").
fn glossary_entry(
    text: &str,
    parsed: &Parsed,
    words: &[(usize, &str)],
    hits: &[Hit],
    vocabulary: &Vocabulary,
) -> bool {
    let Some(term) = words_before_colon(text, parsed, words, GLOSSARY_TERM_WORDS) else {
        return false;
    };
    // A term is a bare noun ("Stem cell"), not a phrase with a determiner ("Skip the surgeon: a
    // facelift in a jar").
    let labelled = words[..term]
        .iter()
        .any(|(_, w)| is_one_of(w, &LABELS) || is_one_of(w, &DETERMINERS));
    // A noun's definition opens with "a" or "an", a verb's with "to" ("Heal: to restore …").
    let opens_definition = words
        .get(term)
        .is_some_and(|(_, w)| is_one_of(w, &["a", "an", "to"]));
    let names_product = hits
        .iter()
        .any(|h| product_word(vocabulary.roles[h.concept as usize]));
    opens_definition && !labelled && !names_product
}

/// Words that start a new clause after a comma.
const CLAUSE_OPENERS: [&str; 20] = [
    "and", "but", "so", "yet", "or", "while", "which", "who", "it", "its", "it's", "they", "we",
    "you", "this", "that", "there", "our", "your", "although",
];

/// Words after a "no" that a negated-existence statement may take before its verb.
const NOBODY_REACH: usize = 6;
/// Words after a "no" among which a product noun makes it deny every product ("no skincare
/// product").
const PRODUCT_NOUN_REACH: usize = 2;

/// What [`assertion`] finds of a sentence.
struct Found {
    assertion: Assertion,
    /// A research report the sentence does not weigh ([`ClaimFrame::unweighed_report`]).
    unweighed_report: bool,
    /// The cue words that gave the reason, when cue words did.
    cue: Option<Span>,
    /// The tokens a negated existence covers.
    scope: Option<std::ops::Range<usize>>,
}

impl Found {
    fn because(assertion: Assertion) -> Found {
        Found {
            assertion,
            unweighed_report: false,
            cue: None,
            scope: None,
        }
    }
}

/// Whether a sentence asserts an effect, and if not, why (and over which tokens, for a negated
/// existence): cue words first, then the shape of a question or of a negated existence.
fn assertion(
    text: &str,
    parsed: &Parsed,
    claims: &Claims,
    words: &[(usize, &str)],
    hits: &[Hit],
    vocabulary: &Vocabulary,
    frame: &ClaimFrame,
) -> Found {
    let s = &parsed.sentences[frame.sentence];
    let mut unweighed_report = false;
    // A negated existence covers its own stretch of the sentence: from the comma, colon,
    // semicolon, dash or clause break before it to the next one.
    let boundary = |i: usize| {
        let t = &parsed.tokens[i];
        frame.clause_starts.contains(&i)
            || t.kind == TokenKind::Punct
                && matches!(&text[t.span.start..t.span.end], "," | ";" | ":" | "–" | "—")
    };
    // Forward, a comma ends the stretch only where a new clause starts after it ("…, and it
    // boosts collagen"), not inside a list of adjectives ("in large, controlled trials").
    let opens_after = |i: usize| {
        parsed.tokens[i + 1..s.tokens.end]
            .iter()
            .find(|t| t.kind == TokenKind::Word)
            .is_some_and(|t| is_one_of(&text[t.span.start..t.span.end], &CLAUSE_OPENERS))
    };
    let comma = |i: usize| {
        let t = &parsed.tokens[i];
        t.kind == TokenKind::Punct && &text[t.span.start..t.span.end] == ","
    };
    // A denial that takes a clause ("we don't claim that it heals, regenerates or repairs …")
    // covers all of it, `across_commas`.
    let stretch = |at: usize, across_commas: bool| {
        let start = (s.tokens.start..at)
            .rev()
            .find(|&i| boundary(i))
            .map_or(s.tokens.start, |i| i + 1);
        let end = (at..s.tokens.end)
            .find(|&i| boundary(i) && !(comma(i) && (across_commas || !opens_after(i))))
            .unwrap_or(s.tokens.end);
        Some(start..end.max(at + 1))
    };
    for reason in Assertion::FROM_CUES {
        let cue = hits
            .iter()
            .find(|h| vocabulary.roles[h.concept as usize] == ConceptRole::AssertionCue(reason));
        // What research shows or the law says of the copy's own product is a claim ("lab tests
        // show our peptide …", "the only serum approved by regulators"), not a statement about
        // research or the law.
        let owned = |at: Option<&Hit>| owns_claim(text, parsed, hits, vocabulary, frame, at);
        if reason == Assertion::ResearchStatement {
            // A study's model or method alone ("in animal models") may still sell its finding;
            // with a limit, a hedge, a denial or a contrast beside it the sentence weighs it.
            let weighed = || {
                frame.has(FrameProperty::Limitation)
                    || frame.has(FrameProperty::Disclosed)
                    || frame.strength <= Strength::Hedged
                    || frame.cues(FrameProperty::Negated).next().is_some()
                    || hits
                        .iter()
                        .any(|h| vocabulary.roles[h.concept as usize] == ConceptRole::ClauseBreak)
            };
            if cue.is_some() || frame.has(FrameProperty::ResearchContext) {
                if owned(None) {
                    continue;
                }
                if frame.has(FrameProperty::ResearchContext) || weighed() {
                    return Found::because(reason);
                }
                unweighed_report = true;
            }
            continue;
        }
        if reason == Assertion::LawStatement && owned(cue) {
            continue;
        }
        if reason == Assertion::ThirdPartyClaim {
            if let Some(reported) = frame.reported_speech
                && let Some(scope) = rejected_later(text, parsed, frame, &reported)
            {
                return Found {
                    assertion: reason,
                    unweighed_report: false,
                    cue: Some(reported.span),
                    scope: Some(scope),
                };
            }
            continue;
        }
        // "You never need to patch test" denies the precaution it names.
        let cue =
            cue.filter(|c| reason != Assertion::Precaution || !frame.is_negated(c.first, claims));
        // "…, nothing more." closes what it qualifies; "when nothing else worked" goes on with a
        // verb and compares instead.
        let cue = cue.filter(|c| {
            reason != Assertion::Definition
                || !is_one_of(first_word_of(text, parsed, c), &NOBODY)
                || !parsed.tokens[c.last + 1..s.tokens.end]
                    .first()
                    .is_some_and(|t| t.kind == TokenKind::Word)
        });
        if let Some(cue) = cue {
            let takes_clause = parsed.tokens[cue.last + 1..s.tokens.end]
                .iter()
                .find(|t| t.kind == TokenKind::Word)
                .is_some_and(|t| is_one_of(&text[t.span.start..t.span.end], &["that"]));
            let scope = match reason {
                Assertion::NegatedExistence => stretch(cue.first, takes_clause),
                _ => None,
            };
            return Found {
                assertion: reason,
                unweighed_report: false,
                cue: Some(cue.span),
                scope,
            };
        }
    }
    // A label ("Q:", "Clinic FAQ:", "Dermatologist:") is not the sentence's first word.
    let opening = label_words(text, parsed, words);
    let words = &words[opening..];
    let Some((_, first)) = words.first() else {
        return Found {
            unweighed_report,
            ..Found::because(Assertion::Asserted)
        };
    };
    // A quoted question ends in its quote: `"Will this cure my scars?"`.
    let asks = text[s.span.start..s.span.end]
        .trim_end()
        .trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')'])
        .ends_with('?');
    if asks && is_one_of(first, &INTERROGATIVES) && !addresses_reader(words, hits, vocabulary) {
        return Found::because(Assertion::Question);
    }
    // "What is EGF?", "What are exosomes?": a question that asks what a term is.
    let asks_what_a_term_is = words.len() <= TERM_QUESTION_WORDS
        && is_one_of(first, &["what"])
        && words
            .get(1)
            .is_some_and(|(_, w)| is_one_of(w, &["is", "are"]));
    if asks && asks_what_a_term_is {
        return Found::because(Assertion::Question);
    }
    if defines(text, parsed, words, hits, vocabulary) {
        return Found::because(Assertion::Definition);
    }
    for (at, (token, word)) in words.iter().enumerate() {
        if !is_one_of(word, &NOBODY) {
            continue;
        }
        // "… and that no particular result is promised", "but no cream …": a conjunction opens
        // a clause too.
        let opens_clause = at == 0
            || frame.clause_starts.contains(token)
            || is_one_of(
                words[at - 1].1,
                &["that", "but", "and", "so", "yet", "while"],
            )
            || {
                let before = &parsed.tokens[token - 1];
                before.kind == TokenKind::Punct
                    && matches!(&text[before.span.start..before.span.end], "," | ":" | ";")
            };
        let stated = || {
            words[at + 1..]
                .iter()
                .take(NOBODY_REACH)
                .any(|(_, w)| is_one_of(w, &STATEMENT_VERBS))
        };
        // "No skincare product delivers stem cells": no product at all, whatever the verb; "no
        // other serum" compares instead.
        let no_product = || {
            let next = words.get(at + 1).map(|(_, w)| *w);
            !next.is_some_and(|w| is_one_of(w, &["other", "else"]))
                && hits.iter().any(|h| {
                    vocabulary.roles[h.concept as usize] == ConceptRole::ProductNoun
                        && h.first > *token
                        && words[at + 1..]
                            .iter()
                            .take(PRODUCT_NOUN_REACH)
                            .any(|(t, _)| *t == h.first)
                })
        };
        if opens_clause && (stated() || no_product()) {
            return Found {
                assertion: Assertion::NegatedExistence,
                unweighed_report: false,
                cue: None,
                scope: stretch(*token, false),
            };
        }
    }
    Found {
        unweighed_report,
        ..Found::because(Assertion::Asserted)
    }
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
        let parsed = parse(text, &[]);
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
    fn a_percent_beside_an_ingredient_or_a_product_noun_is_a_concentration() {
        for text in [
            "Niacinamide (4%) boosts collagen.",
            "With 5% niacinamide to boost collagen.",
            "A 10% serum that boosts collagen.",
        ] {
            assert_eq!(frame(text).0.strength, Strength::Plain, "{text}");
        }
        assert_eq!(
            frame("Niacinamide 4% boosts collagen by 28%.").0.strength,
            Strength::Tested,
            "the result beside the concentration is a figure"
        );
        let (_, claims, _) = frame("Our serum\n\n51% saw more collagen.");
        assert_eq!(
            claims.frames[1].strength,
            Strength::Tested,
            "a heading's last word is not beside the figure that follows it"
        );
    }

    #[test]
    fn a_method_described_in_the_sentence_before_covers_the_figure() {
        let engine = test_engine(NO_RULES);
        let text = "Consumer study: 30 women used it for a month. 80% saw firmer skin.\n\n80% saw firmer skin.";
        let parsed = parse(text, &[]);
        let claims = frames(text, &parsed, &engine.vocabulary);
        let designed: Vec<bool> = claims.frames.iter().map(|f| f.design_before).collect();
        assert_eq!(designed, [false, true, false], "not across blocks");
        let text = "Consumer study: 30 women used it for a month. Clinically proven to lift.";
        let parsed = parse(text, &[]);
        let claims = frames(text, &parsed, &engine.vocabulary);
        assert!(
            !claims.frames[1].design_before,
            "only a figure reports the study"
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

    fn assertion_of(text: &str, sentence: usize) -> (Assertion, Option<std::ops::Range<usize>>) {
        let engine = test_engine(NO_RULES);
        let parsed = parse(text, &[]);
        let claims = frames(text, &parsed, &engine.vocabulary);
        let f = &claims.frames[sentence];
        (f.assertion, f.assertion_scope.clone())
    }

    /// Checks the assertion of each case's first sentence: `(text, expected, why)`.
    fn assert_reads(cases: &[(&str, Assertion, &str)]) {
        for (text, expected, why) in cases {
            assert_eq!(assertion_of(text, 0).0, *expected, "{why}: {text}");
        }
    }

    /// The short quoted phrases the frame of a text's first sentence talks about.
    fn quoted(text: &str) -> Vec<String> {
        frame(text)
            .0
            .quoted
            .iter()
            .map(|q| text[q.start..q.end].to_string())
            .collect()
    }

    #[test]
    fn yes_or_no_questions_are_not_assertions_but_marketing_questions_are() {
        assert_reads(&[
            (
                "Is exosome therapy approved?",
                Assertion::Question,
                "a question",
            ),
            (
                "Do you want collagen-rich skin?",
                Assertion::Asserted,
                "addressed to the reader",
            ),
            (
                "Why book another filler?",
                Assertion::Asserted,
                "rhetorical",
            ),
        ]);
    }

    #[test]
    fn law_statements_definitions_and_precautions_come_from_cue_words() {
        assert_reads(&[
            (
                "Under EU law, human stem cells are banned.",
                Assertion::LawStatement,
                "law",
            ),
            (
                "Our serum is approved under EU law.",
                Assertion::Asserted,
                "what the law says of the copy's own product is a claim",
            ),
            (
                "Stop use if redness appears.",
                Assertion::Precaution,
                "a precaution",
            ),
            (
                "Exosomes are tiny vesicles that cells release.",
                Assertion::Definition,
                "a definition",
            ),
            (
                "Lumi Glow is a collagen booster.",
                Assertion::Asserted,
                "a product's name is not a definition",
            ),
            (
                "Plant cells are a source of actives. Nothing more.",
                Assertion::Definition,
                "a short qualifier defines the sentence before it",
            ),
        ]);
    }

    #[test]
    fn a_denied_limitation_is_no_limitation() {
        let limits = |text: &str| frame(text).0.has(FrameProperty::Limitation);
        assert!(limits("The downsides of the serum are still unknown."));
        assert!(!limits("It smooths like a filler, without downsides."));
    }

    #[test]
    fn a_glossary_entry_is_a_definition_unless_its_term_names_a_product() {
        assert_reads(&[
            (
                "Growth factor: a protein that tells cells to grow.",
                Assertion::Definition,
                "a glossary entry",
            ),
            (
                "Collagen serum: an answer to tired skin.",
                Assertion::Asserted,
                "a product",
            ),
            (
                "Result: a smoother look in a week.",
                Assertion::Asserted,
                "a label of copy",
            ),
            (
                "Skip the clinic: a facelift in a jar.",
                Assertion::Asserted,
                "a phrase, not a term",
            ),
            (
                "Regenerate: to grow back lost tissue.",
                Assertion::Definition,
                "a verb's entry",
            ),
            (
                "PRP is a procedure that uses the patient's own plasma.",
                Assertion::Definition,
                "an acronym is a term, not a product name",
            ),
            (
                "In the body, EGF is one of the signals that close a wound.",
                Assertion::Definition,
                "a scene-setting phrase before the subject",
            ),
        ]);
    }

    #[test]
    fn a_research_report_the_next_sentence_weighs_is_a_research_statement() {
        assert_eq!(
            assertion_of(
                "In vitro the extract raised collagen. In skin there are no trials yet.",
                0
            )
            .0,
            Assertion::ResearchStatement
        );
        assert_eq!(
            assertion_of(
                "In vitro the extract raised collagen. Skin looks firmer in a week.",
                0
            )
            .0,
            Assertion::Asserted,
            "a next sentence that does not weigh it"
        );
    }

    #[test]
    fn a_question_the_copy_answers_with_a_yes_asserts() {
        assert_reads(&[
            (
                "Is it as good as a filler? Absolutely.",
                Assertion::Asserted,
                "answered yes",
            ),
            (
                "Is it as good as a filler? No.",
                Assertion::Question,
                "answered no",
            ),
            (
                "What are growth factors?",
                Assertion::Question,
                "asks what a term is",
            ),
            (
                "What is the secret to collagen-rich skin after fifty?",
                Assertion::Asserted,
                "a rhetorical question",
            ),
        ]);
    }

    #[test]
    fn a_law_statement_stays_one_when_the_copy_denies_its_product_the_claim() {
        assert_reads(&[
            (
                "Under EU law, human cells are banned, so our serum contains none.",
                Assertion::Asserted,
                "`contains none` is no denial right after the product-voice word `our`",
            ),
            (
                "Under EU law, human cells are banned; our formula contains no such cells.",
                Assertion::LawStatement,
                "denied",
            ),
        ]);
    }

    #[test]
    fn a_law_statement_is_owned_only_by_a_product_word_in_its_clause() {
        assert_reads(&[(
            "Under EU law, human cells are banned; this page describes our service.",
            Assertion::LawStatement,
            "`our` stands in the clause after the semicolon",
        )]);
    }

    #[test]
    fn a_qualifier_that_goes_on_with_a_verb_is_no_definition() {
        assert_reads(&[
            (
                "It boosts collagen when nothing else worked.",
                Assertion::Asserted,
                "`nothing else` takes a verb and compares",
            ),
            (
                "It boosts collagen. Nothing else worked.",
                Assertion::Asserted,
                "the next sentence is a testimonial's comparison, not a qualifier",
            ),
            (
                "It is a moisturising cream, nothing else.",
                Assertion::Definition,
                "`nothing else` closes the clause",
            ),
        ]);
    }

    #[test]
    fn a_reason_that_covers_the_sentence_wins_over_a_negated_existence() {
        assert_reads(&[(
            "There is no cure here; stop use if it stings.",
            Assertion::Precaution,
            "the precaution covers the whole sentence",
        )]);
    }

    #[test]
    fn a_claim_someone_else_makes_is_theirs_when_the_copy_rejects_it() {
        let text = "The label claims it boosts collagen; there is no evidence of that.";
        let parsed = parse(text, &[]);
        let semicolon = parsed
            .tokens
            .iter()
            .position(|t| &text[t.span.start..t.span.end] == ";")
            .expect("a semicolon token");
        assert_eq!(
            assertion_of(text, 0),
            (Assertion::ThirdPartyClaim, Some(0..semicolon + 1)),
            "up to the rejecting clause"
        );
        assert_reads(&[
            (
                "An influencer claims it boosts collagen. It does not.",
                Assertion::ThirdPartyClaim,
                "rejected by a short next sentence",
            ),
            (
                "Reviewers say it boosts collagen, and we agree.",
                Assertion::Asserted,
                "nothing rejects it",
            ),
            (
                "Our label says it boosts collagen; no trials yet.",
                Assertion::Asserted,
                "the copy's own voice reports nothing",
            ),
            (
                "We claim it boosts collagen. It does not.",
                Assertion::Asserted,
                "the writer's own claim",
            ),
        ]);
    }

    #[test]
    fn a_study_model_is_a_research_statement_only_when_the_sentence_weighs_it() {
        assert_reads(&[
            (
                "In vitro, the extract raised collagen, but skin is not a dish.",
                Assertion::ResearchStatement,
                "weighed",
            ),
            (
                "In vitro, the extract raised collagen threefold.",
                Assertion::Asserted,
                "the model alone may still sell the finding",
            ),
            (
                "In vitro, our extract raised collagen, but skin is not a dish.",
                Assertion::Asserted,
                "said of the copy's own product",
            ),
        ]);
    }

    #[test]
    fn a_sentence_names_no_product_unless_it_has_a_product_word_or_opens_with_an_effect() {
        for (text, expected) in [
            ("Collagen in the skin falls with every decade of age.", true),
            ("Our cream is rich in plant collagen for the skin.", false),
            ("A collagen cream for the skin of the face and neck.", false),
            (
                "Most collagen creams sit on the skin of the face and neck.",
                true,
            ),
            ("No cream has been shown to add collagen to the skin.", true),
            ("Boosts collagen in the skin of the face and neck.", false),
            ("Apply after microneedling to the face and neck.", false),
            ("Collagen.", false),
        ] {
            assert_eq!(frame(text).0.no_product, expected, "{text}");
        }
    }

    #[test]
    fn a_negated_existence_covers_its_own_stretch() {
        let text = "Unlike fillers, there is no needle, and it boosts collagen.";
        let (assertion, scope) = assertion_of(text, 0);
        assert_eq!(assertion, Assertion::NegatedExistence);
        let scope = scope.unwrap();
        assert!(scope.len() <= 4, "only `there is no needle`: {scope:?}");
        assert_reads(&[
            (
                "No cream contains living cells.",
                Assertion::NegatedExistence,
                "no + a verb",
            ),
            (
                "No parabens, no sulfates.",
                Assertion::Asserted,
                "a free-from list has no verb",
            ),
            (
                "Research is lively, but no serum regenerates the dermis.",
                Assertion::NegatedExistence,
                "no + a product noun, after a conjunction",
            ),
            (
                "No other serum regenerates the dermis.",
                Assertion::Asserted,
                "a comparison",
            ),
        ]);
    }

    #[test]
    fn single_quotes_are_told_from_apostrophes() {
        assert_eq!(
            quoted("The words 'stem cell' on labels rarely mean what readers think."),
            ["stem cell"]
        );
        assert!(quoted("Customers' skin felt soft and it's gentle on everyone.").is_empty());
    }

    #[test]
    fn short_quoted_phrases_are_talked_about_unless_the_product_says_them() {
        assert_eq!(
            quoted("Words like \"boosts collagen\" have no place on a label."),
            vec!["boosts collagen"]
        );
        assert!(
            quoted("Our cream \"boosts collagen\" fast.").is_empty(),
            "the product's own words in quotes are emphasis"
        );
        assert_eq!(
            quoted("When a brand says its cream \"boosts collagen\", ask for the study."),
            vec!["boosts collagen"],
            "the cream is the reported speaker's"
        );
        assert!(
            quoted("A friend says this cream \"boosts collagen\" fast.").is_empty(),
            "`this cream` is the copy's product, whoever speaks of it"
        );
        assert!(
            quoted("\"This cream boosted my collagen and my mood all week!\" said Ann.").is_empty(),
            "a long quote is a testimonial"
        );
        assert_eq!(
            quoted("\"Collagen-boosting\"?"),
            ["Collagen-boosting"],
            "asked about"
        );
        assert!(
            quoted("\"Collagen-boosting!\"").is_empty(),
            "a whole-sentence quote"
        );
        assert_eq!(
            quoted("What does 'repairing' mean on a tube of cream?"),
            ["repairing"],
            "a question about the term"
        );
    }

    #[test]
    fn a_bare_mention_names_without_a_benefit_or_a_product() {
        let bare = |text: &str| frame(text).0.bare_mention;
        assert!(bare(
            "Collagen is the protein that holds the dermis together."
        ));
        assert!(
            !bare("Our cream contains collagen from fish skin."),
            "product voice"
        );
        assert!(!bare("It boosts collagen in a week."), "a benefit");
        assert!(
            !bare("Marine collagen serum"),
            "a fragment names the product"
        );
    }
}
