//! HTML: visible text, alt text, `<title>` and `<meta name="description">`, through the
//! html5tokenizer crate, whose tokens carry the byte offsets of every character (entities
//! included), so each extracted character maps to its exact source bytes.

use super::{BlockKind, Builder, Extracted};
use html5tokenizer::offset::PosTrackingReader;
use html5tokenizer::trace::{StartTagTrace, Trace};
use html5tokenizer::{NaiveParser, StartTag, Token, TracingEmitter};

/// Elements whose content is never shown as text. `<head>` is not one: a browser shows text
/// there, and a page that omits `</head>` (valid HTML) would otherwise hide its whole body;
/// `<svg>` is not one either, since its `<text>` and `<title>` are read as copy.
const HIDDEN: &[&str] = &[
    "script", "style", "template", "noscript", "desc", "metadata",
];

/// Elements that start a new block of text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "button",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "label",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "text",
    "ul",
];

/// Extracts the text a reader of the page would see, plus the claim-bearing attributes.
pub fn extract(html: &str) -> Extracted {
    let mut out = Builder::default();
    // Depth inside hidden elements; `<title>` lives in `<head>` but is visible as the tab title.
    let mut hidden: Vec<String> = Vec::new();
    let mut in_title = false;
    let parser =
        NaiveParser::new_with_emitter(PosTrackingReader::new(html), TracingEmitter::default());
    for item in parser {
        let Ok((token, trace)) = item;
        match (token, trace) {
            (Token::Char(c), Trace::Char(span)) if hidden.is_empty() || in_title => {
                out.push_char(c, span);
            }
            (Token::StartTag(tag), Trace::StartTag(trace)) => {
                let name = tag.name.as_str();
                if name == "title" {
                    in_title = true;
                    out.start_block(BlockKind::Title, trace.span.start);
                    continue;
                }
                if HIDDEN.contains(&name) && !tag.self_closing {
                    hidden.push(tag.name.clone());
                }
                if name == "meta" {
                    meta_description(&mut out, html, &tag, &trace);
                } else if name == "img"
                    || (name == "input" && tag.attributes.get("type") == Some("image"))
                {
                    attribute_block(&mut out, html, &tag, &trace, "alt", BlockKind::AltText);
                } else if BLOCKS.contains(&name) && hidden.is_empty() {
                    out.start_block(block_kind(name), trace.span.end);
                }
            }
            (Token::EndTag(tag), Trace::EndTag(trace)) => {
                let name = tag.name.as_str();
                if name == "title" {
                    in_title = false;
                    out.start_block(BlockKind::Paragraph, trace.span.start);
                } else if let Some(pos) = hidden.iter().rposition(|h| h == name) {
                    hidden.truncate(pos);
                } else if BLOCKS.contains(&name) && hidden.is_empty() {
                    out.start_block(BlockKind::Paragraph, trace.span.start);
                }
            }
            (Token::Comment(text), Trace::Comment(trace)) => {
                // `<!--` and `-->` surround the data; the span covers the whole comment.
                let start = trace.data_span.start.saturating_sub(4);
                let end = (trace.data_span.end + 3).min(html.len());
                out.out.comments.push(super::Comment {
                    text,
                    span: start..end,
                });
            }
            _ => {}
        }
    }
    out.finish()
}

fn block_kind(name: &str) -> BlockKind {
    match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "summary" | "dt" => BlockKind::Heading,
        "li" => BlockKind::ListItem,
        "td" | "th" => BlockKind::TableCell,
        _ => BlockKind::Paragraph,
    }
}

fn meta_description(out: &mut Builder, html: &str, tag: &StartTag, trace: &StartTagTrace) {
    let name = tag
        .attributes
        .get("name")
        .or_else(|| tag.attributes.get("property"));
    let is_description = name.is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        n == "description" || n == "og:description" || n == "twitter:description"
    });
    if is_description {
        attribute_block(out, html, tag, trace, "content", BlockKind::MetaDescription);
    }
}

/// Emits an attribute's value as a block of its own, mapped to the value's source bytes.
fn attribute_block(
    out: &mut Builder,
    html: &str,
    tag: &StartTag,
    trace: &StartTagTrace,
    attribute: &str,
    kind: BlockKind,
) {
    let Some((value, Some(idx))) = tag.attributes.value_and_trace_idx(attribute) else {
        return;
    };
    let Some(span) = trace.attribute_traces[idx].value_span() else {
        return;
    };
    if value.trim().is_empty() {
        return;
    }
    // The tokenizer's value span can be empty or reversed for malformed tags (found by fuzzing);
    // then the value maps to the whole tag.
    let valid = span.start <= span.end
        && span.end <= html.len()
        && html.is_char_boundary(span.start)
        && html.is_char_boundary(span.end);
    out.start_block(kind, span.start.min(trace.span.start));
    if valid {
        push_aligned(out, value, html, span);
    } else {
        out.push_source(value, trace.span.clone());
    }
    out.start_block(BlockKind::Paragraph, trace.span.end);
}

/// Appends a decoded attribute value, aligning it with its raw source so that every verbatim
/// character maps to its own byte and each character reference (`&amp;`) to its whole reference.
/// If the two cannot be aligned, the rest of the value maps to the rest of the source as a whole.
fn push_aligned(out: &mut Builder, value: &str, html: &str, span: std::ops::Range<usize>) {
    let raw = &html[span.clone()];
    let (mut i, mut j) = (0, 0);
    while j < value.len() {
        let c = value[j..].chars().next().expect("j is a char boundary");
        let len = c.len_utf8();
        if let Some(end) = character_reference_len(&raw[i..]) {
            out.push_source(&value[j..j + len], span.start + i..span.start + i + end);
            i += end;
        } else if raw[i..].starts_with(c) {
            out.push_source(&value[j..j + len], span.start + i..span.start + i + len);
            i += len;
        } else {
            out.push_source(&value[j..], span.start + i..span.end);
            return;
        }
        j += len;
    }
}

/// Length of a character reference (`&amp;`, `&#8217;`, `&#x2019;`) at the start of `raw`.
fn character_reference_len(raw: &str) -> Option<usize> {
    let body = raw.strip_prefix('&')?;
    let end = body.find(';').filter(|&e| e > 0 && e <= 32)?;
    body[..end]
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '#')
        .then_some(end + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source_of<'a>(html: &'a str, x: &Extracted, needle: &str) -> &'a str {
        let start = x.text.find(needle).expect("needle in text");
        &html[x.map.to_source(start..start + needle.len())]
    }

    #[test]
    fn scripts_and_styles_are_skipped() {
        let x = extract(
            "<p>Visible.</p><script>var a = 'boosts collagen';</script><style>.p{}</style>",
        );
        assert_eq!(x.text.trim(), "Visible.");
    }

    #[test]
    fn a_missing_head_end_tag_hides_nothing_and_svg_text_is_copy() {
        let x = extract("<html><head><title>Serum</title><body><p>Heals eczema.</p>");
        assert!(x.text.contains("Heals eczema."), "{:?}", x.text);
        let x =
            extract("<svg><desc>icon</desc><text x=\"1\">Cures acne</text><path d=\"M0\"/></svg>");
        assert_eq!(x.text.trim(), "Cures acne");
    }

    #[test]
    fn entities_map_back_to_their_source() {
        let html = "<p>Don&rsquo;t miss our collagen&nbsp;booster</p>";
        let x = extract(html);
        assert!(x.text.contains("Don’t miss"), "{:?}", x.text);
        assert_eq!(source_of(html, &x, "Don’t"), "Don&rsquo;t");
        assert_eq!(source_of(html, &x, "collagen"), "collagen");
    }

    #[test]
    fn alt_title_and_meta_description_are_blocks() {
        let html = r#"<html><head><title>Glow Serum</title>
<meta name="description" content="Repairs damaged cells"></head>
<body><img src="a.png" alt="Heals scars fast"><p>Text</p></body></html>"#;
        let x = extract(html);
        for needle in [
            "Glow Serum",
            "Repairs damaged cells",
            "Heals scars fast",
            "Text",
        ] {
            assert_eq!(source_of(html, &x, needle), needle);
        }
        assert!(x.hints.iter().any(|h| h.kind == BlockKind::AltText));
        assert!(x.hints.iter().any(|h| h.kind == BlockKind::MetaDescription));
    }

    #[test]
    fn attribute_entities_map_one_by_one() {
        let html = r#"<meta name="description" content="Firm &amp; smooth, boosts collagen">"#;
        let x = extract(html);
        assert_eq!(source_of(html, &x, "boosts collagen"), "boosts collagen");
        assert_eq!(source_of(html, &x, "Firm & smooth"), "Firm &amp; smooth");
    }

    #[test]
    fn comments_are_kept_with_their_spans() {
        let html = "<p>a</p>\n<!-- overclaim-disable-next-line absolute. -->\n<p>b</p>";
        let x = extract(html);
        assert_eq!(x.comments.len(), 1);
        assert_eq!(
            x.comments[0].text.trim(),
            "overclaim-disable-next-line absolute."
        );
        assert_eq!(
            &html[x.comments[0].span.clone()],
            "<!-- overclaim-disable-next-line absolute. -->"
        );
    }

    #[test]
    fn whitespace_folds_and_blocks_separate() {
        let x = extract("<h1>Hero\n   title</h1><p>One   two.</p>");
        assert_eq!(x.text, "Hero title\n\nOne two.\n\n");
    }
}
