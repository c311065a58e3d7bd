//! Free-from and vegan claims read as labels write them, and checked against the document's
//! own ingredient list.
//!
//! A family (`rules/families/*.yaml`) says how a claim names it in each language and which INCI
//! names are members, look-alikes or disputed members. One automaton finds every family word
//! of every family in a sentence; words joined by list separators ("parabens, sulfates and
//! silicones", "paraben & sulfate") form one list, and a list is claimed free when a cue stands
//! before it ("free from", "no", "without", "0%", "sans", "sin", "ohne", "senza") or after it
//! ("-free", " free", "frei"). Words such as "vegan" are claims on their own.

use super::IngredientPattern;
use crate::diagnostic::Span;
use aho_corasick::{AhoCorasick, MatchKind};

/// An ingredient family.
#[derive(Clone, Debug)]
pub struct Family {
    /// Id (`sulfates`).
    pub id: String,
    /// Title for messages ("Sulfate surfactants").
    pub title: String,
    /// Where the membership comes from.
    pub source: String,
    /// The file it was defined in.
    pub file: String,
    /// Lowercase words a free-from claim names it by, every language together.
    pub claim_words: Vec<String>,
    /// Lowercase words that are a claim about the family on their own ("vegan").
    pub standalone: Vec<String>,
    /// Member patterns.
    pub members: Vec<IngredientPattern>,
    /// Look-alikes that are not members, checked first.
    pub not: Vec<IngredientPattern>,
    /// Disputed members.
    pub disputed: Vec<Disputed>,
    /// Example labels: contradicted, true, disputed.
    pub examples: (Vec<String>, Vec<String>, Vec<String>),
}

/// A member whose status depends on origin or grade.
#[derive(Clone, Debug)]
pub struct Disputed {
    /// Its INCI pattern.
    pub pattern: IngredientPattern,
    /// What to check with the supplier.
    pub check: String,
}

/// What a listed ingredient is to a family.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Membership<'a> {
    /// A member: the claim is contradicted.
    Member,
    /// A disputed member, with what to check.
    Disputed(&'a str),
}

impl Family {
    /// Adds a user file's entries to a built-in family of the same id: the user's members and
    /// look-alikes win over the built-in look-alikes and members they name again.
    pub(crate) fn extend(
        &mut self,
        words: Vec<String>,
        standalone: Vec<String>,
        members: Vec<IngredientPattern>,
        not: Vec<IngredientPattern>,
        disputed: Vec<Disputed>,
    ) {
        self.claim_words.extend(words);
        self.standalone.extend(standalone);
        self.not.retain(|n| !members.contains(n));
        self.members.retain(|m| !not.contains(m));
        self.members.extend(members);
        self.not.extend(not);
        self.disputed.extend(disputed);
    }

    /// What a listed ingredient (a lowercased INCI name) is to the family: each of its names
    /// ("parfum (fragrance)", "parfum/fragrance") is tried, look-alikes first.
    pub(crate) fn membership(&self, ingredient: &str) -> Option<Membership<'_>> {
        let names = std::iter::once(ingredient.trim()).chain(
            ingredient
                .split(['/', '(', ')'])
                .map(str::trim)
                .filter(|n| !n.is_empty()),
        );
        let mut found = None;
        for name in names {
            if self.not.iter().any(|p| p.matches(name)) {
                continue;
            }
            if let Some(d) = self.disputed.iter().find(|d| d.pattern.matches(name)) {
                found = found.or(Some(Membership::Disputed(&d.check)));
            } else if self.members.iter().any(|p| p.matches(name)) {
                return Some(Membership::Member);
            }
        }
        found
    }
}

/// Every family and the automaton of their claim words.
#[derive(Clone, Debug, Default)]
pub struct Families {
    /// The families, in load order.
    pub list: Vec<Family>,
    /// For each automaton pattern, the families it names and whether it is a claim on its own.
    names: Vec<(Vec<usize>, bool)>,
    automaton: Option<AhoCorasick>,
}

/// A free-from claim found in the copy.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct FreeFromClaim {
    /// The claim's words, cue included.
    pub span: Span,
    /// The families it claims the product is free of.
    pub families: Vec<usize>,
}

/// Cues before a list: the text before it ends with one of these (after an optional colon).
const CUES_BEFORE: [&str; 20] = [
    "free of",
    "free from",
    "no",
    "without",
    "0%",
    "0 %",
    "zero",
    "contains no",
    "no added",
    "sans",
    "sans ajout de",
    "sin",
    "libre de",
    "libres de",
    "ohne",
    "frei von",
    "senza",
    "privo di",
    "priva di",
    "zéro",
];
/// Cues right after a list.
const CUES_AFTER: [&str; 4] = ["free", "frei", "-free", "-frei"];
/// What may stand between two words of one list.
const SEPARATORS: [&str; 14] = [
    "", ",", "&", "and", "or", "/", "et", "ou", "y", "o", "und", "oder", "e", "+",
];

impl Families {
    /// Compiles the families' claim words into one automaton.
    pub(crate) fn new(list: Vec<Family>) -> Result<Families, String> {
        let mut patterns: Vec<String> = Vec::new();
        let mut names: Vec<(Vec<usize>, bool)> = Vec::new();
        for (i, family) in list.iter().enumerate() {
            let words = family.claim_words.iter().map(|w| (w, false));
            for (word, alone) in words.chain(family.standalone.iter().map(|w| (w, true))) {
                match patterns.iter().position(|p| p == word) {
                    Some(at) => {
                        if !names[at].0.contains(&i) {
                            names[at].0.push(i);
                        }
                        names[at].1 |= alone;
                    }
                    None => {
                        patterns.push(word.clone());
                        names.push((vec![i], alone));
                    }
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&patterns)
            .map_err(|e| format!("cannot compile the family words: {e}"))?;
        Ok(Families {
            list,
            names,
            automaton: Some(automaton),
        })
    }

    /// The free-from claims of a sentence, with spans relative to it.
    pub(crate) fn claims_in(&self, sentence: &str) -> Vec<FreeFromClaim> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        // Most sentences name no family: an ASCII one the automaton finds nothing in is done.
        if sentence.is_ascii() && !automaton.is_match(sentence) {
            return Vec::new();
        }
        // Lowercased letter by letter where that keeps the byte length ("SANS PARABÈNES"), so
        // offsets stay those of the sentence.
        let lower: String = sentence
            .chars()
            .map(|c| {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                    _ => c,
                }
            })
            .collect();
        // Family words standing as words: a letter may follow only as a glued cue ("parabenfrei").
        let words: Vec<(Span, usize)> = automaton
            .find_iter(&lower)
            .filter(|m| {
                let before = lower[..m.start()].chars().next_back();
                let rest = &lower[m.end()..];
                !before.is_some_and(char::is_alphanumeric)
                    && (!rest.chars().next().is_some_and(char::is_alphanumeric)
                        || rest.starts_with("frei")
                        || rest.starts_with("free"))
            })
            .map(|m| (Span::new(m.start(), m.end()), m.pattern().as_usize()))
            .collect();
        let mut claims = Vec::new();
        let mut i = 0;
        while i < words.len() {
            // A run of words joined by separators is one list.
            let mut j = i;
            while j + 1 < words.len() {
                let gap = lower[words[j].0.end..words[j + 1].0.start].trim();
                let gap = gap.trim_start_matches(',').trim();
                if !SEPARATORS.contains(&gap) {
                    break;
                }
                j += 1;
            }
            let (start, end) = (words[i].0.start, words[j].0.end);
            let before = lower[..start].trim_end().trim_end_matches(':').trim_end();
            // The longest cue the text before the list ends with, standing as words.
            let cue_before = CUES_BEFORE
                .iter()
                .filter(|c| {
                    before.ends_with(*c)
                        && !before[..before.len() - c.len()]
                            .chars()
                            .next_back()
                            .is_some_and(char::is_alphanumeric)
                })
                .max_by_key(|c| c.len());
            // Where a cue right after the list ends ("-free", " free", glued "frei").
            let after = &lower[end..];
            let pad = after.len() - after.trim_start().len();
            let cue_after_end = CUES_AFTER.iter().find_map(|c| {
                let at = if after.starts_with(*c) {
                    0
                } else if after[pad..].starts_with(*c) {
                    pad
                } else {
                    return None;
                };
                let rest = &after[at + c.len()..];
                (!rest.chars().next().is_some_and(char::is_alphanumeric))
                    .then_some(end + at + c.len())
            });
            let run = &words[i..=j];
            let mut families: Vec<usize> = Vec::new();
            let mut span = Span::new(start, end);
            if cue_before.is_some() || cue_after_end.is_some() {
                for (_, pattern) in run {
                    families.extend(&self.names[*pattern].0);
                }
                if let Some(c) = cue_before {
                    span.start = before.len() - c.len();
                }
                if let Some(cue_end) = cue_after_end {
                    span.end = cue_end;
                }
            } else {
                // Words that claim on their own ("vegan"), unless denied ("not vegan", "non-vegan").
                for (word, pattern) in run {
                    let denied = lower[..word.start].trim_end().ends_with("not")
                        || lower[..word.start].ends_with("non-");
                    if self.names[*pattern].1 && !denied {
                        families.extend(&self.names[*pattern].0);
                        span = *word;
                    }
                }
            }
            families.sort_unstable();
            families.dedup();
            if !families.is_empty() {
                claims.push(FreeFromClaim { span, families });
            }
            i = j + 1;
        }
        claims
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family(id: &str, words: &[&str], standalone: &[&str]) -> Family {
        Family {
            id: id.to_string(),
            title: id.to_string(),
            source: String::new(),
            file: String::new(),
            claim_words: words.iter().map(|w| w.to_string()).collect(),
            standalone: standalone.iter().map(|w| w.to_string()).collect(),
            members: vec![IngredientPattern::new("*paraben")],
            not: vec![IngredientPattern::new("paraben-like")],
            disputed: vec![Disputed {
                pattern: IngredientPattern::new("glycerin"),
                check: "ask".to_string(),
            }],
            examples: Default::default(),
        }
    }

    fn claimed(text: &str) -> Vec<(String, Vec<usize>)> {
        let families = Families::new(vec![
            family(
                "parabens",
                &["paraben", "parabens", "parabène", "parabenos"],
                &[],
            ),
            family("sulfates", &["sulfate", "sulfates", "sls"], &[]),
            family("animal", &[], &["vegan"]),
        ])
        .unwrap();
        families
            .claims_in(text)
            .into_iter()
            .map(|c| (text[c.span.start..c.span.end].to_string(), c.families))
            .collect()
    }

    #[test]
    fn free_from_claims_are_read_as_labels_write_them() {
        assert_eq!(claimed("Paraben-free."), [("Paraben-free".into(), vec![0])]);
        assert_eq!(
            claimed("Free from parabens."),
            [("Free from parabens".into(), vec![0])]
        );
        assert_eq!(
            claimed("Free from: parabens, sulfates and SLS."),
            [("Free from: parabens, sulfates and SLS".into(), vec![0, 1])]
        );
        assert_eq!(
            claimed("Paraben & sulfate free"),
            [("Paraben & sulfate free".into(), vec![0, 1])]
        );
        assert_eq!(
            claimed("Sans parabène."),
            [("Sans parabène".into(), vec![0])]
        );
        assert_eq!(claimed("Parabenfrei!")[0].1, vec![0]);
        assert_eq!(claimed("0% parabens")[0].1, vec![0]);
        assert_eq!(claimed("A vegan balm.")[0], ("vegan".into(), vec![2]));
        assert!(claimed("Not vegan: contains beeswax.").is_empty());
        assert!(
            claimed("Contains parabens.").is_empty(),
            "naming is no claim"
        );
        assert!(claimed("Nosulfate").is_empty());
    }

    #[test]
    fn look_alikes_come_before_members_and_every_name_of_an_entry_is_tried() {
        let f = family("parabens", &[], &[]);
        assert_eq!(f.membership("methylparaben"), Some(Membership::Member));
        assert_eq!(f.membership("paraben-like"), None);
        assert_eq!(f.membership("aqua/methylparaben"), Some(Membership::Member));
        assert_eq!(f.membership("glycerin"), Some(Membership::Disputed("ask")));
        assert_eq!(f.membership("aqua (water)"), None);
    }
}
