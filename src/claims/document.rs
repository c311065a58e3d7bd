//! What a document says as a whole, beyond single sentences: its ingredient list, its numbered
//! reference list, and where it cites which reference numbers.

use super::{ClaimFrame, Vocabulary};
use crate::diagnostic::Span;
use crate::extract::BlockKind;
use crate::parse::{Parsed, TokenKind};
use std::collections::HashSet;
use std::sync::Arc;

/// One ingredient of an ingredient list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ingredient {
    /// Lowercased INCI name, inner whitespace folded.
    pub name: String,
    /// Where it is in the extracted text.
    pub span: Span,
}

/// One entry of a numbered reference list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// Its number.
    pub number: u32,
    /// The entry, without its number.
    pub span: Span,
    /// The entry's title as best it can be told.
    pub title: String,
    /// The whole entry without its number.
    pub text: String,
    /// Its subject words (see [`subject_words`]).
    pub subject: HashSet<String>,
}

/// An in-text citation of reference numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitationUse {
    /// The numbers cited (ranges expanded).
    pub numbers: Vec<u32>,
    /// The citation token.
    pub span: Span,
    /// Index of the citing sentence.
    pub sentence: usize,
    /// The citing sentence's subject words, when it claims something (finds any concept other
    /// than a grammar token: not an author line with affiliation marks).
    pub claim_subject: Option<Arc<HashSet<String>>>,
}

/// Document-level facts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentFacts {
    /// Every ingredient of every ingredient list, in order.
    pub ingredients: Vec<Ingredient>,
    /// Whether the document has an ingredient list at all.
    pub has_ingredient_list: bool,
    /// Numbered reference entries, in order.
    pub references: Vec<Reference>,
    /// Numeric in-text citations outside the reference list.
    pub citations: Vec<CitationUse>,
}

/// Collects the document-level facts of a parsed text with its claim frames.
pub fn facts(
    text: &str,
    parsed: &Parsed,
    frames: &[ClaimFrame],
    vocabulary: &Vocabulary,
) -> DocumentFacts {
    let generic = &vocabulary.generic_words;
    let mut facts = DocumentFacts::default();
    for block in &parsed.blocks {
        match block.kind {
            BlockKind::Ingredients => {
                facts.has_ingredient_list = true;
                let body = ingredient_body(text, block.span);
                facts.ingredients.extend(split_ingredients(text, body));
            }
            BlockKind::Reference => {
                if let Some(number) = block.number {
                    let entry = without_number(&text[block.span.start..block.span.end]);
                    facts.references.push(Reference {
                        number,
                        span: block.span,
                        title: title_of(entry),
                        text: entry.to_string(),
                        subject: subject_words(entry, generic),
                    });
                }
            }
            _ => {
                for sentence in block.sentences.clone() {
                    let s = &parsed.sentences[sentence];
                    // Worked out once per sentence and shared by its citations, so a sentence
                    // with thousands of them costs no more than one.
                    let mut claim_subject: Option<Option<Arc<HashSet<String>>>> = None;
                    for token in &parsed.tokens[s.tokens.clone()] {
                        if token.kind != TokenKind::Citation {
                            continue;
                        }
                        let numbers = citation_numbers(&text[token.span.start..token.span.end]);
                        if numbers.is_empty() {
                            continue;
                        }
                        let claim_subject = claim_subject.get_or_insert_with(|| {
                            let makes_claim = frames[sentence].hits.iter().any(|h| {
                                vocabulary
                                    .token_concepts
                                    .iter()
                                    .all(|(_, c)| *c != h.concept)
                            });
                            makes_claim.then(|| {
                                Arc::new(subject_words(&text[s.span.start..s.span.end], generic))
                            })
                        });
                        facts.citations.push(CitationUse {
                            numbers,
                            span: token.span,
                            sentence,
                            claim_subject: claim_subject.clone(),
                        });
                    }
                }
            }
        }
    }
    facts
}

/// The part of an ingredient block after its header (`INGREDIENTS:`), if it has one.
fn ingredient_body(text: &str, block: Span) -> Span {
    let raw = &text[block.start..block.end];
    let header_end = raw
        .find(':')
        .filter(|&at| {
            raw[..at].split_whitespace().count() <= 3
                && raw[..at].to_ascii_lowercase().contains("ingredient")
                || raw[..at].eq_ignore_ascii_case("inci")
        })
        .map_or(0, |at| at + 1);
    Span::new(block.start + header_end, block.end)
}

/// Splits an ingredient list at commas (and bullets) outside parentheses.
fn split_ingredients(text: &str, body: Span) -> Vec<Ingredient> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = body.start;
    let mut push = |from: usize, to: usize| {
        let raw = &text[from..to];
        let trimmed = raw.trim().trim_end_matches(['.', '*', '†', ';']).trim();
        if trimmed.is_empty() {
            return;
        }
        let offset = from + raw.find(trimmed).unwrap_or(0);
        out.push(Ingredient {
            name: trimmed
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
            span: Span::new(offset, offset + trimmed.len()),
        });
    };
    let bytes = text.as_bytes();
    // A comma between digits is part of a chemical name ("1,2-hexanediol"), not a separator.
    let in_number = |at: usize| {
        at > 0
            && bytes[at - 1].is_ascii_digit()
            && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)
    };
    for (i, c) in text[body.start..body.end].char_indices() {
        let at = body.start + i;
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ',' if in_number(at) => {}
            ',' | '•' | '·' if depth == 0 => {
                push(start, at);
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    push(start, body.end);
    out
}

/// A reference entry without its leading `12.`, `12)` or `[12]`.
fn without_number(entry: &str) -> &str {
    let rest = entry.trim_start().trim_start_matches('[');
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return entry.trim();
    }
    rest[digits..].trim_start_matches(['.', ')', ']']).trim()
}

/// The segment of a reference entry most likely to be its title: the longest `. `-separated
/// segment, counting against segments that look like author lists (commas, "et al").
fn title_of(entry: &str) -> String {
    let score = |s: &&str| {
        let authors = s.contains("et al") || s.contains(" & ");
        s.len() as i64 - 40 * s.matches(',').count() as i64 - if authors { 1000 } else { 0 }
    };
    entry
        .split(". ")
        .map(|s| s.trim().trim_matches('*'))
        .max_by_key(score)
        .unwrap_or("")
        .to_string()
}

/// Reference numbers in a citation token: `[3]`, `[1, 2]`, `[4–6]`, `²³`, `¹⁻³`.
fn citation_numbers(token: &str) -> Vec<u32> {
    let digits: String = token
        .chars()
        .map(|c| match c {
            '⁰' => '0',
            '¹' => '1',
            '²' => '2',
            '³' => '3',
            '⁴'..='⁹' => char::from_digit(c as u32 - '⁴' as u32 + 4, 10).unwrap_or(c),
            '⁻' | '–' | '—' => '-',
            '˒' | ';' => ',',
            c => c,
        })
        .collect();
    if !digits.starts_with('[') && digits.chars().any(|c| c.is_ascii_alphabetic()) {
        return Vec::new();
    }
    let inner = digits.trim_matches(['[', ']', '(', ')']);
    let mut numbers = Vec::new();
    for part in inner.split(',') {
        let part = part.trim();
        if let Some((a, b)) = part.split_once('-') {
            if let (Ok(a), Ok(b)) = (a.trim().parse::<u32>(), b.trim().parse::<u32>())
                && a <= b
                && b - a < 50
            {
                numbers.extend(a..=b);
            }
        } else if let Ok(n) = part.parse() {
            numbers.push(n);
        }
    }
    numbers
}

/// Subject words of a text: lowercase words of four letters or more that are not generic,
/// cut to their first six letters so that plural and singular meet.
fn subject_words(text: &str, generic: &HashSet<String>) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .flat_map(|w| w.split('-'))
        .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
        .map(str::to_lowercase)
        .filter(|w| !generic.contains(w))
        .map(|w| w.chars().take(6).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn facts_of(text: &str) -> DocumentFacts {
        let engine = crate::rules::test_engine("");
        let parsed = parse(text, &[]);
        crate::claims::frames(text, &parsed, &engine.vocabulary).facts
    }

    #[test]
    fn ingredient_lists_split_outside_parentheses() {
        let text = "INGREDIENTS: Aqua (Water), Glycerin, Parfum (Fragrance, Perfume), Methylparaben, 1,2-Hexanediol.\n\nCopy.";
        let f = facts_of(text);
        let names: Vec<&str> = f.ingredients.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "aqua (water)",
                "glycerin",
                "parfum (fragrance, perfume)",
                "methylparaben",
                "1,2-hexanediol"
            ]
        );
        assert_eq!(
            &text[f.ingredients[3].span.start..f.ingredients[3].span.end],
            "Methylparaben"
        );
    }

    #[test]
    fn citations_and_references_are_collected() {
        let text = "Rose [2,3]. Fell [4–6]. Grew ².\n\nReferences\n\n1. Lee A. A long title about skin. J. 2020.\n2. Kim B. Another title here. J. 2021.";
        let f = facts_of(text);
        let cited: Vec<Vec<u32>> = f.citations.iter().map(|c| c.numbers.clone()).collect();
        assert_eq!(cited, vec![vec![2, 3], vec![4, 5, 6], vec![2]]);
        assert_eq!(
            f.references.iter().map(|r| r.number).collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert_eq!(f.references[0].title, "A long title about skin");
        assert_eq!(f.references[1].text, "Kim B. Another title here. J. 2021.");
    }

    #[test]
    fn titles_avoid_author_lists() {
        let entry = "Yi K, Winayanuwattikun W, Kim S, Wan J, Putri AI, et al. Skin boosters: definitions. Skin Res Technol. 2024.";
        assert_eq!(
            title_of(without_number(entry)),
            "Skin boosters: definitions"
        );
        assert_eq!(without_number("[12] Lee A. T."), "Lee A. T.");
    }

    #[test]
    fn author_year_citations_carry_no_numbers() {
        assert!(citation_numbers("(Cho et al., 2023)").is_empty());
        assert_eq!(citation_numbers("¹⁻³"), vec![1, 2, 3]);
    }
}
