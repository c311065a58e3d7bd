//! Stage 3, `parse`: the pest grammar `grammar/copy.pest` turns extracted text into blocks,
//! sentences and tokens.
//!
//! The result is stored flat (three arenas indexed by position) so later stages walk it without
//! pointer chasing; every span is a byte range of the extracted text.

use crate::diagnostic::Span;
use crate::extract::{BlockHint, BlockKind};
use pest::Parser;
use pest::iterators::Pair;

#[allow(missing_docs)]
mod grammar {
    /// The generated parser for `grammar/copy.pest`.
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar/copy.pest"]
    pub struct CopyParser;
}

pub use grammar::{CopyParser, Rule};

/// What kind of token a word or figure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A word, including inner hyphens and apostrophes.
    Word,
    /// A plain number.
    Number,
    /// A percentage, signed or not.
    Percent,
    /// A fold change (`2.3-fold`, `3x`).
    FoldChange,
    /// A duration (`7 days`, `4–6 weeks`).
    Duration,
    /// A numeric range.
    Range,
    /// A real citation (`[3]`, `(Cho et al., 2023)`, superscript marks).
    Citation,
    /// A placeholder where a citation should be (`[source needed]`).
    PlaceholderCitation,
    /// A DOI.
    Doi,
    /// A URL.
    Url,
    /// An abbreviation with its full stop (`e.g.`, `Dr.`).
    Abbreviation,
    /// Punctuation and other symbols.
    Punct,
}

impl TokenKind {
    /// The concept id rules use for tokens of this kind, if rules can use it.
    pub fn concept_id(self) -> Option<&'static str> {
        Some(match self {
            TokenKind::Number => "token.number",
            TokenKind::Percent => "token.percent",
            TokenKind::FoldChange => "token.fold-change",
            TokenKind::Duration => "token.duration",
            TokenKind::Range => "token.range",
            TokenKind::Citation => "token.citation",
            TokenKind::PlaceholderCitation => "token.placeholder-citation",
            TokenKind::Doi => "token.doi",
            TokenKind::Url => "token.url",
            TokenKind::Word | TokenKind::Abbreviation | TokenKind::Punct => return None,
        })
    }

    /// Whether the token counts as a word for rule windows (punctuation does not).
    pub fn is_wordlike(self) -> bool {
        !matches!(self, TokenKind::Punct)
    }
}

/// One token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Its kind.
    pub kind: TokenKind,
    /// Where it is in the extracted text.
    pub span: Span,
}

/// One sentence: a range of [`Parsed::tokens`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Where it is, trimmed of surrounding whitespace.
    pub span: Span,
    /// Index of its block in [`Document::blocks`].
    pub block: usize,
    /// Its tokens.
    pub tokens: std::ops::Range<usize>,
}

/// One block: a range of [`Parsed::sentences`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Where it is.
    pub span: Span,
    /// Its sentences.
    pub sentences: std::ops::Range<usize>,
    /// The item number of a numbered list item (`3.`, `[3]`).
    pub number: Option<u32>,
}

/// The parsed structure of one extracted text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Blocks in text order.
    pub blocks: Vec<Block>,
    /// Sentences in text order.
    pub sentences: Vec<Sentence>,
    /// Tokens in text order.
    pub tokens: Vec<Token>,
    /// Stretches of text (whole blocks) the grammar gave up on, and why: they are left out of
    /// the blocks above, and the run reports them, while the rest of the text is audited.
    pub unparsed: Vec<(Span, String)>,
}

/// Upper bound on grammar calls per parse of a piece of text, so no block makes parsing run
/// away (ordinary copy takes well under a hundred calls a byte).
const CALL_LIMIT: usize = 200_000_000;

/// Text handed to the grammar at once: whole blocks, up to about this many bytes.
const PIECE_BYTES: usize = 64 * 1024;

/// Parses extracted text; `hints` (from the format adapter) name the kinds of blocks the grammar
/// sees as paragraphs.
///
/// Every block ends at a blank line, so the text is parsed piece by piece, each piece a run of
/// whole blocks cut at blank lines: the call limit applies to a piece, not the document, and
/// the pieces of a large text are parsed in parallel. A piece the grammar gives up on is parsed
/// again block by block, and only the blocks that still fail are left out (in
/// [`Parsed::unparsed`]).
pub fn parse(text: &str, hints: &[BlockHint]) -> Parsed {
    // pest keeps one limit for the process; it is set once, so a test can lower it after.
    static LIMIT: std::sync::Once = std::sync::Once::new();
    LIMIT.call_once(|| pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT)));
    let pieces = pieces(text, PIECE_BYTES);
    let mut parsed = match pieces.len() {
        1 => parse_whole_blocks(text, pieces[0].clone(), hints),
        // A large text's pieces are parsed on every thread, then joined in text order.
        _ => {
            use rayon::prelude::*;
            let parts: Vec<Parsed> = pieces
                .into_par_iter()
                .map(|piece| parse_whole_blocks(text, piece, hints))
                .collect();
            // Sized once: growing by doubling would hold up to twice the tokens while copying.
            let mut parsed = Parsed {
                blocks: Vec::with_capacity(parts.iter().map(|p| p.blocks.len()).sum()),
                sentences: Vec::with_capacity(parts.iter().map(|p| p.sentences.len()).sum()),
                tokens: Vec::with_capacity(parts.iter().map(|p| p.tokens.len()).sum()),
                unparsed: Vec::new(),
            };
            for part in parts {
                parsed.append(part, 0);
            }
            parsed
        }
    };
    classify_sections(&mut parsed, text);
    parsed
}

/// Parses one piece of `text`; if the grammar gives up on it, parses it again block by
/// block, leaving out (in [`Parsed::unparsed`]) only the blocks that still fail.
fn parse_whole_blocks(text: &str, piece: std::ops::Range<usize>, hints: &[BlockHint]) -> Parsed {
    let mut parsed = Parsed::default();
    let Err(reason) = parse_piece(&mut parsed, text, piece.clone(), hints) else {
        return parsed;
    };
    let blocks = pieces(&text[piece.clone()], 0);
    if blocks.len() == 1 {
        parsed
            .unparsed
            .push((trim(text, Span::new(piece.start, piece.end)), reason));
        return parsed;
    }
    for block in blocks {
        let block = piece.start + block.start..piece.start + block.end;
        if let Err(reason) = parse_piece(&mut parsed, text, block.clone(), hints) {
            let span = trim(text, Span::new(block.start, block.end));
            parsed.unparsed.push((span, reason));
        }
    }
    parsed
}

/// Consecutive ranges covering `text`, cut after blank lines (lines of only spaces and tabs),
/// each as long as `at_least` bytes allows: with 0, one block (or run of blank lines) each.
/// Never cut after a section header standing alone, which the grammar joins to its body over
/// a blank line.
fn pieces(text: &str, at_least: usize) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut line_start = 0;
    let mut last_line = 0..0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != b'\n' && b != b'\r' {
            i += 1;
            continue;
        }
        let line = line_start..i;
        i += if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            2
        } else {
            1
        };
        line_start = i;
        let blank = bytes[line.clone()].iter().all(|&c| c == b' ' || c == b'\t');
        if !blank {
            last_line = line;
            continue;
        }
        if last_line.start >= start
            && last_line.end > last_line.start
            && i - start >= at_least
            && CopyParser::parse(Rule::header_line, &text[last_line.clone()]).is_err()
        {
            out.push(start..i);
            start = i;
        }
    }
    if start < bytes.len() || out.is_empty() {
        out.push(start..bytes.len());
    }
    out
}

/// Parses `text[range]` and appends its blocks, sentences and tokens (at their places in the
/// whole text); on failure appends nothing and says why, briefly (never the text itself).
fn parse_piece(
    parsed: &mut Parsed,
    text: &str,
    range: std::ops::Range<usize>,
    hints: &[BlockHint],
) -> Result<(), String> {
    let piece = &text[range.clone()];
    let mut pairs = CopyParser::parse(Rule::document, piece).map_err(|e| match e.variant {
        pest::error::ErrorVariant::CustomError { message } => message,
        pest::error::ErrorVariant::ParsingError { .. } => "the copy grammar does not match".into(),
    })?;
    let document = pairs.next().ok_or("empty parse")?;
    let mut own = Parsed::default();
    for block in document.into_inner() {
        let kind = match block.as_rule() {
            Rule::heading => BlockKind::Heading,
            Rule::list_item => BlockKind::ListItem,
            Rule::table_row => BlockKind::TableCell,
            Rule::paragraph => BlockKind::Paragraph,
            Rule::net_quantity => BlockKind::NetQuantity,
            Rule::label_section => section_kind(&block),
            _ => continue,
        };
        let start = range.start + block.as_span().start();
        let hint = hints
            .binary_search_by_key(&start, |h| h.start)
            .ok()
            .map(|i| hints[i]);
        add_block(&mut own, block, kind, hint, piece);
    }
    parsed.append(own, range.start);
    Ok(())
}

impl Parsed {
    /// Appends the structure of a piece that starts at byte `offset` of the text.
    fn append(&mut self, piece: Parsed, offset: usize) {
        let shift = |s: Span| Span::new(s.start + offset, s.end + offset);
        let (blocks, sentences, tokens) =
            (self.blocks.len(), self.sentences.len(), self.tokens.len());
        self.tokens.extend(piece.tokens.into_iter().map(|t| Token {
            span: shift(t.span),
            ..t
        }));
        self.sentences
            .extend(piece.sentences.into_iter().map(|s| Sentence {
                span: shift(s.span),
                block: s.block + blocks,
                tokens: s.tokens.start + tokens..s.tokens.end + tokens,
            }));
        self.blocks.extend(piece.blocks.into_iter().map(|b| Block {
            span: shift(b.span),
            sentences: b.sentences.start + sentences..b.sentences.end + sentences,
            ..b
        }));
        let unparsed = piece.unparsed.into_iter();
        self.unparsed
            .extend(unparsed.map(|(span, reason)| (shift(span), reason)));
    }
}

/// The kind of a label section, from its header.
fn section_kind(section: &Pair<'_, Rule>) -> BlockKind {
    let header = section
        .clone()
        .into_inner()
        .find(|p| p.as_rule() == Rule::section_header)
        .map(|p| p.as_str().to_ascii_lowercase())
        .unwrap_or_default();
    if header.contains("ingredient") || header == "inci" {
        BlockKind::Ingredients
    } else if header.contains("warning") || header.contains("caution") {
        BlockKind::Warnings
    } else {
        BlockKind::Directions
    }
}

fn add_block(
    parsed: &mut Parsed,
    block: Pair<'_, Rule>,
    kind: BlockKind,
    hint: Option<BlockHint>,
    text: &str,
) {
    let index = parsed.blocks.len();
    let first_sentence = parsed.sentences.len();
    let span = block.as_span();
    let mut number = None;
    for pair in block.into_inner().flatten() {
        match pair.as_rule() {
            Rule::sentence | Rule::line_sentence => add_sentence(parsed, pair, index, text),
            Rule::list_number if number.is_none() => number = pair.as_str().parse().ok(),
            _ => {}
        }
    }
    // A format's own knowledge (an `<li>`, alt text) wins over what the plain text looks like,
    // but a label section stays one even inside a paragraph tag.
    let kind = match hint {
        Some(h) if !kind.is_apparatus() && kind != BlockKind::Directions => h.kind,
        _ => kind,
    };
    parsed.blocks.push(Block {
        kind,
        span: trim(text, Span::new(span.start(), span.end())),
        sentences: first_sentence..parsed.sentences.len(),
        number: number.or(hint.and_then(|h| h.number)),
    });
}

/// Headers standing alone ("Ingredients", "References") give their kind to the blocks after them.
fn classify_sections(parsed: &mut Parsed, text: &str) {
    let mut pending: Option<BlockKind> = None;
    let mut in_references = false;
    for block in &mut parsed.blocks {
        let label = text[block.span.start..block.span.end]
            .trim()
            .trim_end_matches(':')
            .to_ascii_lowercase();
        let is_section = matches!(
            block.kind,
            BlockKind::Ingredients | BlockKind::Directions | BlockKind::Warnings
        );
        if is_section && block.sentences.is_empty() {
            pending = Some(block.kind);
            continue;
        }
        if let Some(kind) = pending.take()
            && matches!(block.kind, BlockKind::Paragraph | BlockKind::ListItem)
        {
            block.kind = kind;
        }
        if matches!(
            label.as_str(),
            "references"
                | "reference list"
                | "bibliography"
                | "literature cited"
                | "works cited"
                | "sources"
        ) {
            in_references = true;
        } else if in_references {
            if block.number.is_some() {
                block.kind = BlockKind::Reference;
            } else if block.kind == BlockKind::Heading {
                in_references = false;
            }
        }
    }
}

fn add_sentence(parsed: &mut Parsed, sentence: Pair<'_, Rule>, block: usize, text: &str) {
    let first_token = parsed.tokens.len();
    let span = sentence.as_span();
    for pair in sentence.into_inner() {
        let kind = match pair.as_rule() {
            Rule::word => TokenKind::Word,
            Rule::number => TokenKind::Number,
            Rule::percent => TokenKind::Percent,
            Rule::fold_change => TokenKind::FoldChange,
            Rule::duration => TokenKind::Duration,
            Rule::range => TokenKind::Range,
            Rule::citation | Rule::superscript => TokenKind::Citation,
            Rule::placeholder_citation => TokenKind::PlaceholderCitation,
            Rule::doi => TokenKind::Doi,
            Rule::url => TokenKind::Url,
            Rule::abbreviation => TokenKind::Abbreviation,
            Rule::punct => TokenKind::Punct,
            Rule::terminator => {
                add_terminator(parsed, pair);
                continue;
            }
            _ => continue,
        };
        let s = pair.as_span();
        parsed.tokens.push(Token {
            kind,
            span: Span::new(s.start(), s.end()),
        });
    }
    if parsed.tokens.len() == first_token {
        return;
    }
    parsed.sentences.push(Sentence {
        span: trim(text, Span::new(span.start(), span.end())),
        block,
        tokens: first_token..parsed.tokens.len(),
    });
}

/// A terminator is punctuation plus any citations that follow it.
fn add_terminator(parsed: &mut Parsed, terminator: Pair<'_, Rule>) {
    let s = terminator.as_span();
    let mut punct_end = s.end();
    let mut citations = Vec::new();
    for pair in terminator.into_inner() {
        let c = pair.as_span();
        punct_end = punct_end.min(c.start());
        citations.push(Token {
            kind: TokenKind::Citation,
            span: Span::new(c.start(), c.end()),
        });
    }
    parsed.tokens.push(Token {
        kind: TokenKind::Punct,
        span: Span::new(s.start(), punct_end),
    });
    parsed.tokens.extend(citations);
}

/// Shrinks a span to exclude leading and trailing whitespace.
fn trim(text: &str, span: Span) -> Span {
    let slice = &text[span.start..span.end];
    let start = span.start + (slice.len() - slice.trim_start().len());
    let end = span.end - (slice.len() - slice.trim_end().len());
    Span::new(start, end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cut_after_blank_lines_only() {
        let text = "a\nb\n \nc\r\n\r\nd\n\n\ne";
        let cut: Vec<&str> = pieces(text, 0).into_iter().map(|r| &text[r]).collect();
        assert_eq!(cut, vec!["a\nb\n \n", "c\r\n\r\n", "d\n\n", "\ne"]);
        assert_eq!(pieces(text, 1 << 20), vec![0..text.len()]);
    }

    #[test]
    fn a_text_of_many_pieces_parses_as_its_blocks_do() {
        let block = "Heals eczema [1]. Boosts collagen by 30%.\n- Soothes\n\n";
        let text = block.repeat(3 * PIECE_BYTES / block.len());
        assert!(
            pieces(&text, PIECE_BYTES).len() > 2,
            "parsed in several pieces"
        );
        let alone = parse(block, &[]);
        let whole = parse(&text, &[]);
        let copies = text.len() / block.len();
        assert_eq!(whole.blocks.len(), alone.blocks.len() * copies);
        assert_eq!(whole.tokens.len(), alone.tokens.len() * copies);
        for (i, sentence) in whole.sentences.iter().enumerate() {
            let first = &alone.sentences[i % alone.sentences.len()];
            let at = (i / alone.sentences.len()) * block.len();
            assert_eq!(
                &text[sentence.span.start..sentence.span.end],
                &block[first.span.start..first.span.end]
            );
            assert_eq!(sentence.span.start, first.span.start + at);
            let tokens = &whole.tokens[sentence.tokens.clone()];
            assert_eq!(tokens.len(), first.tokens.len());
            assert!(whole.blocks[sentence.block].sentences.contains(&i));
        }
    }

    fn sentences(text: &str) -> Vec<&str> {
        let parsed = parse(text, &[]);
        parsed
            .sentences
            .iter()
            .map(|s| &text[s.span.start..s.span.end])
            .collect()
    }

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        let parsed = parse(text, &[]);
        parsed
            .tokens
            .iter()
            .filter(|t| t.kind != TokenKind::Word)
            .map(|t| (t.kind, &text[t.span.start..t.span.end]))
            .collect()
    }

    /// pest runs without its native stack probe (no `std` feature), which is safe only while
    /// no rule can reach itself: then the grammar's nesting depth is fixed by the grammar,
    /// whatever the text. (pest_meta would read the grammar for this, but as a dev-dependency
    /// it turns pest's `std` feature back on in test and bench builds.)
    #[test]
    fn no_grammar_rule_reaches_itself() {
        use std::collections::HashMap;
        let calls = grammar_calls(include_str!("../../grammar/copy.pest"));
        assert!(
            calls.len() > 40 && calls["token"].contains(&"word"),
            "{calls:?}"
        );
        fn reaches<'g>(
            from: &'g str,
            to: &str,
            calls: &HashMap<&'g str, Vec<&'g str>>,
            seen: &mut Vec<&'g str>,
        ) -> bool {
            calls[from].iter().any(|&next| {
                next == to
                    || (!seen.contains(&next) && {
                        seen.push(next);
                        reaches(next, to, calls, seen)
                    })
            })
        }
        // The reader sees a cycle through a silent rule, past a brace in a string.
        let toy =
            grammar_calls("// a { comment\na = { \"}\" ~ b }\nb = _{ a | \"x\" }\nc = @{ \"y\" }");
        assert!(reaches("a", "a", &toy, &mut Vec::new()));
        assert!(!reaches("c", "c", &toy, &mut Vec::new()));
        for rule in calls.keys() {
            assert!(
                !reaches(rule, rule, &calls, &mut Vec::new()),
                "`{rule}` reaches itself: restore pest's `std` feature (its stack probe) or break the cycle"
            );
        }
    }

    /// The rules of a pest grammar and the rules each one names, read past comments and
    /// string literals.
    fn grammar_calls(grammar: &str) -> std::collections::HashMap<&str, Vec<&str>> {
        let mut rules: Vec<(&str, Vec<&str>)> = Vec::new();
        let mut depth = 0;
        let mut last_word = "";
        let bytes = grammar.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i = grammar[i..].find('\n').map_or(bytes.len(), |n| i + n);
                }
                quote @ (b'"' | b'\'') => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != quote {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b'{' => {
                    if depth == 0 {
                        rules.push((last_word, Vec::new()));
                    }
                    depth += 1;
                    i += 1;
                }
                b'}' => {
                    depth -= 1;
                    i += 1;
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let end = grammar[i..]
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .map_or(bytes.len(), |n| i + n);
                    let word = &grammar[i..end];
                    // `_{` marks a silent rule; it is no name.
                    if depth == 0 && word != "_" {
                        last_word = word;
                    } else if depth == 0 {
                    } else if let Some((_, called)) = rules.last_mut() {
                        called.push(word);
                    }
                    i = end;
                }
                _ => i += 1,
            }
        }
        let names: Vec<&str> = rules.iter().map(|(name, _)| *name).collect();
        rules
            .into_iter()
            .map(|(name, called)| {
                (
                    name,
                    called.into_iter().filter(|c| names.contains(c)).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            sentences(
                "Actives, e.g. retinol, i.e. vitamin A. Dr. Lee agrees vs. placebo. No. 1 serum."
            ),
            vec![
                "Actives, e.g. retinol, i.e. vitamin A.",
                "Dr. Lee agrees vs. placebo.",
                "No. 1 serum."
            ]
        );
        assert_eq!(
            sentences("Cho et al. found more. Then less."),
            vec!["Cho et al. found more.", "Then less."]
        );
        // Six letters before the full stop: the longest abbreviation the grammar knows.
        assert_eq!(
            sentences("Approx. 30 adults took part. Then fewer."),
            vec!["Approx. 30 adults took part.", "Then fewer."]
        );
    }

    #[test]
    fn decimals_percentages_and_ranges_stay_whole() {
        assert_eq!(
            sentences("A 2.3-fold rise in 4–6 weeks. Then +28% and −31% later."),
            vec!["A 2.3-fold rise in 4–6 weeks.", "Then +28% and −31% later."]
        );
        assert_eq!(
            kinds("A 2.3-fold rise in 4–6 weeks, +28% and −31 %, 3x more, 30 women, 10-20%."),
            vec![
                (TokenKind::FoldChange, "2.3-fold"),
                (TokenKind::Duration, "4–6 weeks"),
                (TokenKind::Punct, ","),
                (TokenKind::Percent, "+28%"),
                (TokenKind::Percent, "−31 %"),
                (TokenKind::Punct, ","),
                (TokenKind::FoldChange, "3x"),
                (TokenKind::Punct, ","),
                (TokenKind::Number, "30"),
                (TokenKind::Punct, ","),
                (TokenKind::Range, "10-20%"),
                (TokenKind::Punct, "."),
            ]
        );
    }

    #[test]
    fn citations_stay_with_their_sentence() {
        assert_eq!(
            sentences(
                "Collagen rose [3]. It fell.[1,2] Others agree (Cho et al., 2023). See ¹ too.² End"
            ),
            vec![
                "Collagen rose [3].",
                "It fell.[1,2]",
                "Others agree (Cho et al., 2023).",
                "See ¹ too.²",
                "End"
            ]
        );
        assert_eq!(
            kinds("Rose 20% (Cho et al., 2023) and (Lee 2021a)."),
            vec![
                (TokenKind::Percent, "20%"),
                (TokenKind::Citation, "(Cho et al., 2023)"),
                (TokenKind::Citation, "(Lee 2021a)"),
                (TokenKind::Punct, "."),
            ]
        );
        assert_eq!(
            kinds("Shown [source needed] and [citation needed]."),
            vec![
                (TokenKind::PlaceholderCitation, "[source needed]"),
                (TokenKind::PlaceholderCitation, "[citation needed]"),
                (TokenKind::Punct, "."),
            ]
        );
    }

    #[test]
    fn dois_and_urls_are_tokens() {
        assert_eq!(
            kinds("See doi:10.2340/00015555-3666. Or https://example.org/a.b?c=1."),
            vec![
                (TokenKind::Doi, "doi:10.2340/00015555-3666"),
                (TokenKind::Punct, "."),
                (TokenKind::Url, "https://example.org/a.b?c=1"),
                (TokenKind::Punct, "."),
            ]
        );
    }

    #[test]
    fn lists_tables_and_headings_are_blocks_without_final_punctuation() {
        let text = "# Exosome Glow Serum\nBoosts radiance\n- Firms skin\n• No side effects\n| Step | Apply twice daily |\n\nLast para\nwrapped here.";
        let parsed = parse(text, &[]);
        let kinds: Vec<BlockKind> = parsed.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Heading,
                BlockKind::Paragraph,
                BlockKind::ListItem,
                BlockKind::ListItem,
                BlockKind::TableCell,
                BlockKind::Paragraph
            ]
        );
        assert_eq!(
            sentences(text),
            vec![
                "Exosome Glow Serum",
                "Boosts radiance",
                "Firms skin",
                "No side effects",
                "Step",
                "Apply twice daily",
                "Last para\nwrapped here."
            ]
        );
    }

    #[test]
    fn label_sections_and_net_quantity_are_blocks() {
        let text = "GLOW SERUM\nBrightens.\n\nINGREDIENTS: Aqua, Glycerin,\nMethylparaben.\nDIRECTIONS\nApply daily.\nWARNINGS: For external use only.\n30 mL / 1.0 fl oz\n\nIngredients like retinol help.";
        let parsed = parse(text, &[]);
        let kinds: Vec<BlockKind> = parsed.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Paragraph,
                BlockKind::Ingredients,
                BlockKind::Directions,
                BlockKind::Warnings,
                BlockKind::NetQuantity,
                BlockKind::Paragraph
            ]
        );
    }

    #[test]
    fn numbered_entries_after_a_references_heading_are_references() {
        let text = "Collagen rose [2].\n\nReferences\n\n1. Lee A. Title one. J. 2020.\n2. Kim B. Title two. J. 2021.\n[3] Cho C. Title three. 2022.";
        let parsed = parse(text, &[]);
        let refs: Vec<(BlockKind, Option<u32>)> =
            parsed.blocks.iter().map(|b| (b.kind, b.number)).collect();
        assert_eq!(
            refs,
            vec![
                (BlockKind::Paragraph, None),
                (BlockKind::Paragraph, None),
                (BlockKind::Reference, Some(1)),
                (BlockKind::Reference, Some(2)),
                (BlockKind::Reference, Some(3))
            ]
        );
    }

    #[test]
    fn anything_parses() {
        for text in [
            "",
            "...",
            " . ",
            "!!! ??",
            "[",
            "(",
            "|",
            "# ",
            "- ",
            "1.",
            "\r\n\r\n",
            "a\u{2028}b",
            "½ ¼ → ✓",
        ] {
            assert!(parse(text, &[]).unparsed.is_empty(), "{text:?}");
        }
    }
}
