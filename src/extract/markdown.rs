//! Markdown: text of paragraphs, headings, list items, tables and image alt text, through
//! pulldown-cmark's offset iterator. Code blocks and raw HTML are skipped.

use super::{BlockKind, Builder, Extracted};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Extracts the prose of a Markdown document.
pub fn extract(markdown: &str) -> Extracted {
    let mut out = Builder::default();
    let mut in_code_block = false;
    // The next item number of each open list (None for bulleted lists).
    let mut lists: Vec<Option<u64>> = Vec::new();
    // Where the last comment found in raw HTML ends: lines before it are inside that comment.
    let mut comment_end = 0usize;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::List(first)) => lists.push(first),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                let number = lists.last_mut().and_then(|next| {
                    let n = next.as_mut()?;
                    *n += 1;
                    u32::try_from(*n - 1).ok()
                });
                out.start_numbered_block(BlockKind::ListItem, number, range.start);
            }
            Event::Start(tag) => {
                if let Some(kind) = block_kind(&tag) {
                    out.start_block(kind, range.start);
                }
            }
            Event::End(end) if ends_block(&end) => {
                out.start_block(BlockKind::Paragraph, range.end);
            }
            Event::Text(text) if !in_code_block => out.push_source(&text, range),
            Event::Code(code) => push_code(&mut out, markdown, &code, range),
            Event::SoftBreak | Event::HardBreak => out.push_char(' ', range),
            Event::InlineHtml(_) => {
                comment_end = push_comments(&mut out, markdown, range, comment_end);
            }
            // A raw HTML block is read as a browser reads it: its visible text is copy, except
            // the rest of a comment an earlier line opened.
            Event::Html(_) => {
                let visible = range.start.max(comment_end).min(range.end);
                comment_end = push_comments(&mut out, markdown, range.clone(), comment_end);
                push_html_text(&mut out, &markdown[visible..range.end], visible);
            }
            _ => {}
        }
    }
    out.finish()
}

/// Appends the visible text of one raw HTML block line (through the HTML extractor), each
/// character mapped to its bytes in the Markdown file.
fn push_html_text(out: &mut Builder, raw: &str, base: usize) {
    let html = super::html::extract(raw);
    for (at, c) in html.text.char_indices() {
        let src = html.map.to_source(at..at + c.len_utf8());
        out.push_char(c, base + src.start..base + src.end);
    }
}

/// Records the `<!-- … -->` comments that open in a raw HTML event's source `range` (at or
/// after `comment_end`, where the last recorded comment ended). As in CommonMark, a comment runs
/// to the first `-->` after it opens, so one spread over several lines (several events) is one
/// comment, and one never closed runs to the end of the file. Returns where the last one ends.
fn push_comments(
    out: &mut Builder,
    markdown: &str,
    range: std::ops::Range<usize>,
    comment_end: usize,
) -> usize {
    let mut at = range.start.max(comment_end);
    let mut last_end = comment_end;
    while at < range.end {
        let Some(open) = markdown[at..range.end].find("<!--") else {
            break;
        };
        let start = at + open;
        let body = start + 4;
        let (text_end, end) = match markdown[body..].find("-->") {
            Some(close) => (body + close, body + close + 3),
            None => (markdown.len(), markdown.len()),
        };
        out.out.comments.push(super::Comment {
            text: markdown[body..text_end].to_string(),
            span: start..end,
        });
        last_end = end;
        at = end;
    }
    last_end
}

/// Appends inline code, mapped to the code inside its backticks.
fn push_code(out: &mut Builder, markdown: &str, text: &str, range: std::ops::Range<usize>) {
    let raw = &markdown[range.clone()];
    match raw.find(text) {
        Some(at) => out.push_source(text, range.start + at..range.start + at + text.len()),
        None => out.push_source(text, range),
    }
}

fn block_kind(tag: &Tag<'_>) -> Option<BlockKind> {
    Some(match tag {
        Tag::Paragraph | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) => BlockKind::Paragraph,
        Tag::Heading { .. } => BlockKind::Heading,
        Tag::TableCell => BlockKind::TableCell,
        _ => return None,
    })
}

fn ends_block(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::TableCell
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_blocks_are_read_as_html() {
        let md = "# Serum\n\n<div class=\"claim\">\n<p>Heals <b>eczema</b>.</p>\n<script>x()</script>\n</div>\n";
        let x = extract(md);
        assert!(x.text.contains("Heals eczema."), "{:?}", x.text);
        assert!(!x.text.contains("x()"));
        let at = x.text.find("eczema").unwrap();
        assert_eq!(&md[x.map.to_source(at..at + 6)], "eczema");
    }

    #[test]
    fn hard_wrapped_paragraphs_join_and_map_back() {
        let md = "# Title\n\nOur serum boosts\ncollagen fast.\n\n```\nboosts collagen\n```\n";
        let x = extract(md);
        assert_eq!(x.text, "Title\n\nOur serum boosts collagen fast.\n\n");
        let start = x.text.find("collagen").unwrap();
        let src = x.map.to_source(start..start + 8);
        assert_eq!(&md[src], "collagen");
        let boosts = x.text.find("boosts collagen").unwrap();
        let src = x.map.to_source(boosts..boosts + "boosts collagen".len());
        assert_eq!(&md[src], "boosts\ncollagen");
    }

    #[test]
    fn ordered_items_keep_their_numbers() {
        let x = extract("References\n\n3. First.\n4. Second.\n\n- bullet\n");
        let numbers: Vec<Option<u32>> = x
            .hints
            .iter()
            .filter(|h| h.kind == BlockKind::ListItem)
            .map(|h| h.number)
            .collect();
        assert_eq!(numbers, vec![Some(3), Some(4), None]);
    }

    #[test]
    fn html_comments_are_kept() {
        let md = "Intro.\n\n<!-- overclaim-disable absolute. -->\n\nText <!-- overclaim-enable --> end.\n";
        let x = extract(md);
        let spans: Vec<&str> = x.comments.iter().map(|c| &md[c.span.clone()]).collect();
        assert_eq!(
            spans,
            vec![
                "<!-- overclaim-disable absolute. -->",
                "<!-- overclaim-enable -->"
            ]
        );
    }

    #[test]
    fn entities_and_escapes_map_to_their_source() {
        let md = "Skin \\*feels\\* soft &amp; smooth.";
        let x = extract(md);
        assert!(
            x.text.starts_with("Skin *feels* soft & smooth."),
            "{:?}",
            x.text
        );
        let at = x.text.find('&').unwrap();
        assert_eq!(&md[x.map.to_source(at..at + 1)], "&amp;");
    }
}
