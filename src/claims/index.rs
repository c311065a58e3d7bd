//! The phrase index: every lexicon word and rule phrase compiled into one Aho-Corasick automaton,
//! so one pass over a document's normalised text finds every concept at once, however many
//! rules there are.

use aho_corasick::{AhoCorasick, MatchKind};

/// Index of a concept (a lexicon class, a grammar token kind, or one rule phrase).
pub type ConceptId = u32;

/// A literal phrase of a rule or an evidence topic: one concept per part (parts are separated by
/// ` ... ` gaps in the file).
#[derive(Clone, Debug)]
pub struct Phrase {
    /// The phrase as written.
    pub text: String,
    /// Concepts of its parts, in order.
    pub parts: Vec<ConceptId>,
}

/// One compiled pattern.
#[derive(Debug)]
struct Pattern {
    /// Ends in `*`: the match extends to the end of the word.
    prefix: bool,
    /// Starts with `*` (word formation, `*itis`): the match extends back to the start of the
    /// word, which must have at least [`MIN_STEM`] characters before the ending.
    suffix: bool,
    /// First and last bytes are word characters, so word boundaries are checked there.
    bounded_start: bool,
    bounded_end: bool,
    /// Concepts this pattern stands for.
    concepts: Vec<ConceptId>,
}

/// A concept found in normalised text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawHit {
    /// Which concept.
    pub concept: ConceptId,
    /// Byte range in the normalised text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}

/// Characters a word needs before a word-formation ending (`*itis`) for the ending to count.
const MIN_STEM: usize = 2;

/// Builds a [`PhraseIndex`].
#[derive(Default)]
pub struct PhraseIndexBuilder {
    literals: Vec<String>,
    patterns: Vec<Pattern>,
    by_literal: std::collections::HashMap<(String, bool, bool), usize>,
    exceptions: std::collections::HashMap<ConceptId, std::collections::HashSet<String>>,
}

impl PhraseIndexBuilder {
    /// Adds a pattern for `concept`. The pattern must already be normalised (see
    /// [`normalise_pattern`]); a trailing `*` makes it a prefix, a leading `*` a word ending
    /// (`*itis`: any word of at least two more letters that ends so).
    pub fn add(&mut self, pattern: &str, concept: ConceptId) {
        let (pattern, suffix) = match pattern.strip_prefix('*') {
            Some(ending) => (ending, true),
            None => (pattern, false),
        };
        let (literal, prefix) = match pattern.strip_suffix('*') {
            Some(stem) => (stem.to_string(), true),
            None => (pattern.to_string(), false),
        };
        if literal.is_empty() {
            return;
        }
        let key = (literal.clone(), prefix, suffix);
        let index = *self.by_literal.entry(key).or_insert_with(|| {
            let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            self.patterns.push(Pattern {
                prefix,
                suffix,
                bounded_start: !suffix && word(literal.chars().next()),
                bounded_end: word(literal.chars().last()),
                concepts: Vec::new(),
            });
            self.literals.push(literal);
            self.patterns.len() - 1
        });
        let concepts = &mut self.patterns[index].concepts;
        if !concepts.contains(&concept) {
            concepts.push(concept);
        }
    }

    /// A whole word that a word-ending pattern of `concept` must not match (`aroma` for
    /// `*oma`); normalised like a pattern.
    pub fn except(&mut self, word: &str, concept: ConceptId) {
        self.exceptions
            .entry(concept)
            .or_default()
            .insert(word.to_string());
    }

    /// Compiles the automaton.
    pub fn build(self) -> Result<PhraseIndex, String> {
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&self.literals)
            .map_err(|e| e.to_string())?;
        Ok(PhraseIndex {
            automaton,
            patterns: self.patterns,
            exceptions: self.exceptions,
        })
    }
}

/// All patterns of all concepts in one automaton.
#[derive(Debug)]
pub struct PhraseIndex {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    /// Words each concept's word-ending patterns must not match.
    exceptions: std::collections::HashMap<ConceptId, std::collections::HashSet<String>>,
}

impl PhraseIndex {
    /// Finds every concept in `text` (already normalised) in one pass, checking word boundaries.
    pub fn find(&self, text: &str, hits: &mut Vec<RawHit>) {
        let bytes = text.as_bytes();
        for m in self.automaton.find_overlapping_iter(text) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            if pattern.bounded_start && ends_in_word_char(&text[..m.start()]) {
                continue;
            }
            // A word ending must end its word; find that before walking back to its start.
            if pattern.suffix && starts_with_word_char(&text[m.end()..]) {
                continue;
            }
            let mut start = m.start();
            if pattern.suffix {
                let stem = text[..start]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_alphanumeric())
                    .count();
                if stem < MIN_STEM {
                    continue;
                }
                start = text[..start]
                    .char_indices()
                    .rev()
                    .nth(stem - 1)
                    .map_or(start, |(i, _)| i);
            }
            let mut end = m.end();
            if pattern.prefix {
                end += text[end..]
                    .find(|c: char| !c.is_alphanumeric())
                    .unwrap_or(bytes.len() - end);
            } else if pattern.bounded_end && starts_with_word_char(&text[end..]) {
                continue;
            }
            for &concept in &pattern.concepts {
                let excepted = pattern.suffix
                    && self
                        .exceptions
                        .get(&concept)
                        .is_some_and(|words| words.contains(&text[start..end]));
                if !excepted {
                    hits.push(RawHit {
                        concept,
                        start,
                        end,
                    });
                }
            }
        }
    }
}

fn ends_in_word_char(text: &str) -> bool {
    text.chars().next_back().is_some_and(char::is_alphanumeric)
}

fn starts_with_word_char(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_alphanumeric)
}

/// Normalises text the way patterns and documents are compared: lowercase, curly quotes and
/// dashes folded, whitespace runs folded to one space. Returns the text and, for each of its
/// bytes, the offset of the source byte it came from.
pub fn normalise(text: &str) -> (String, Vec<u32>) {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    let mut last_space = false;
    for (at, c) in text.char_indices() {
        // Invisible characters cannot split a claim ("He\u{AD}als ec\u{200B}zema"): they are
        // left out, and the spans of what matches still cover them.
        if !c.is_ascii() && INVISIBLE.contains(&c) {
            continue;
        }
        let folded = match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '\u{00B4}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{00AB}' | '\u{00BB}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            c if c.is_whitespace() => ' ',
            // Fullwidth forms ("ＦＤＡ") are their ASCII letters.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c if c.is_ascii() => c,
            c => look_alike(c).unwrap_or(c),
        };
        if folded == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        let before = out.len();
        if folded.is_ascii() {
            out.push(folded.to_ascii_lowercase());
        } else {
            out.extend(folded.to_lowercase());
        }
        origin.extend(std::iter::repeat_n(at as u32, out.len() - before));
    }
    (out, origin)
}

/// Characters that show nothing: soft hyphen, zero-width space, non-joiner and joiner, word
/// joiner, zero-width no-break space (a byte-order mark).
const INVISIBLE: [char; 6] = [
    '\u{00AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}',
];

/// The Latin letter a Cyrillic or Greek letter looks like ("FDА" with a Cyrillic А), so a
/// look-alike cannot hide a claim from English rules.
fn look_alike(c: char) -> Option<char> {
    Some(match c {
        'а' | 'А' | 'α' | 'Α' => 'a',
        'В' | 'Β' => 'b',
        'с' | 'С' => 'c',
        'ԁ' => 'd',
        'е' | 'Е' | 'Ε' => 'e',
        'Н' | 'Η' => 'h',
        'і' | 'І' | 'ι' | 'Ι' => 'i',
        'ј' | 'Ј' => 'j',
        'К' | 'Κ' => 'k',
        'М' | 'Μ' => 'm',
        'Ν' => 'n',
        'о' | 'О' | 'ο' | 'Ο' => 'o',
        'р' | 'Р' | 'ρ' | 'Ρ' => 'p',
        'ѕ' | 'Ѕ' => 's',
        'Т' | 'Τ' => 't',
        'ν' => 'v',
        'х' | 'Х' | 'Χ' => 'x',
        'у' | 'У' | 'Υ' => 'y',
        'Ζ' => 'z',
        _ => return None,
    })
}

/// Normalises a pattern written in a rule or lexicon file.
pub fn normalise_pattern(pattern: &str) -> String {
    normalise(pattern.trim()).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concepts(patterns: &[(&str, ConceptId)], text: &str) -> Vec<(ConceptId, String)> {
        let mut builder = PhraseIndexBuilder::default();
        for (p, c) in patterns {
            builder.add(&normalise_pattern(p), *c);
        }
        let index = builder.build().unwrap();
        let (norm, _) = normalise(text);
        let mut hits = Vec::new();
        index.find(&norm, &mut hits);
        hits.iter()
            .map(|h| (h.concept, norm[h.start..h.end].to_string()))
            .collect()
    }

    #[test]
    fn invisible_fullwidth_and_look_alike_letters_cannot_hide_a_word() {
        let (norm, origin) =
            normalise("He\u{AD}als ec\u{200B}zema, \u{FF26}\u{FF24}\u{FF21} \u{0430}pproved");
        assert_eq!(norm, "heals eczema, fda approved");
        assert_eq!(
            origin[2], 4,
            "the letter after the soft hyphen keeps its own offset"
        );
    }

    #[test]
    fn words_match_whole_words_and_prefixes_extend() {
        let found = concepts(
            &[("collagen", 1), ("boost*", 2), ("cell", 3)],
            "Collagen-boosting cells",
        );
        assert_eq!(found, vec![(1, "collagen".into()), (2, "boosting".into())]);
    }

    #[test]
    fn word_endings_match_whole_words_but_their_exceptions() {
        let mut builder = PhraseIndexBuilder::default();
        builder.add("*itis", 1);
        builder.add("*oma", 1);
        builder.except("aroma", 1);
        let index = builder.build().unwrap();
        let (norm, _) = normalise("Dermatitis, a soft aroma, melanoma, itis and otitis.");
        let mut hits = Vec::new();
        index.find(&norm, &mut hits);
        let words: Vec<&str> = hits.iter().map(|h| &norm[h.start..h.end]).collect();
        assert_eq!(words, vec!["dermatitis", "melanoma", "otitis"]);
    }

    #[test]
    fn quotes_dashes_and_spaces_fold() {
        let found = concepts(
            &[("crow's feet", 1), ("anti-ageing", 2)],
            "Crow’s\n  feet and anti–ageing",
        );
        assert_eq!(
            found,
            vec![(1, "crow's feet".into()), (2, "anti-ageing".into())]
        );
    }

    #[test]
    fn normalised_offsets_point_back() {
        let (norm, origin) = normalise("A  É b");
        assert_eq!(norm, "a é b");
        assert_eq!(origin[2], 3);
        assert_eq!(origin[norm.len() - 1], 6);
    }
}
