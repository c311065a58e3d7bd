//! OpenDocument text (`.odt`, LibreOffice and others): the same copy as a Word draft's, read
//! from `content.xml` (paragraphs, headings, list items, table cells, text boxes, footnotes and
//! endnotes) and `styles.xml` (headers and footers), named the same way. Comments
//! (`office:annotation`), the deleted text of tracked changes (kept apart in
//! `text:tracked-changes`) and note citation marks are not copy.

use super::docx::{
    Package, Paragraph, Position, Region, WordText, Writer, attribute, paragraph, referenced,
};
use quick_xml::events::Event;

/// Reads a `.odt` file's copy (see [`Package`] for `max_part`).
pub fn read(bytes: &[u8], max_part: u64) -> Result<WordText, String> {
    let mut package = Package::open(bytes, max_part, "OpenDocument text", "odt")?;
    if !package.has("content.xml") {
        return Err("not an OpenDocument text (no content.xml in the package)".to_string());
    }
    let mut out = Writer::default();
    walk(&package.part("content.xml")?, &mut out)?;
    if package.has("styles.xml") {
        walk(&package.part("styles.xml")?, &mut out)?;
    }
    Ok(out.finish())
}

/// Elements whose text is not copy: comments, tracked deletions, a note's citation mark.
fn is_skipped(name: &str) -> bool {
    matches!(name, "annotation" | "tracked-changes" | "note-citation")
}

fn walk(xml: &str, out: &mut Writer) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut open: Vec<Paragraph> = Vec::new();
    let mut at = Position::default();
    // Body, or the note, header or footer the reader is in, innermost last.
    let mut regions = vec![Region::Body];
    let mut lists = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("the OpenDocument text's XML is malformed: {e}"))?;
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                let name = e.local_name();
                end(
                    name.as_ref(),
                    &mut at,
                    &mut open,
                    &mut regions,
                    &mut lists,
                    out,
                );
                continue;
            }
            Event::Text(t) if at.skipped == 0 => {
                if let Some(p) = open.last_mut() {
                    p.text.push_str(&t.xml10_content());
                }
                continue;
            }
            Event::GeneralRef(r) if at.skipped == 0 => {
                if let (Some(p), Some(text)) = (open.last_mut(), referenced(&r)) {
                    p.text.push_str(&text);
                }
                continue;
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        let local = e.local_name();
        let name = local.as_ref();
        if is_skipped(name) {
            at.skipped += 1;
        } else {
            match name {
                "p" | "h" => open.push(Paragraph {
                    style: (name == "h").then(|| "heading".to_string()),
                    listed: lists > 0,
                    ..Paragraph::default()
                }),
                "s" | "tab" | "line-break" if at.skipped == 0 => {
                    if let Some(p) = open.last_mut() {
                        p.text.push(' ');
                    }
                }
                "list-item" => lists += 1,
                "table" => at.start_table(out),
                "table-row" => at.start_row(),
                "table-cell" | "covered-table-cell" => at.start_cell(),
                "text-box" => at.start_text_box(out),
                "note" => {
                    let region = match attribute(&e, "note-class").as_deref() {
                        Some("endnote") => Region::Endnotes,
                        _ => Region::Footnotes,
                    };
                    match region {
                        Region::Endnotes => out.endnotes += 1,
                        _ => out.footnotes += 1,
                    }
                    regions.push(region);
                }
                "header" | "header-left" | "header-first" => regions.push(Region::Header),
                "footer" | "footer-left" | "footer-first" => regions.push(Region::Footer),
                _ => {}
            }
        }
        if empty {
            end(name, &mut at, &mut open, &mut regions, &mut lists, out);
        }
    }
}

fn end(
    name: &str,
    at: &mut Position,
    open: &mut Vec<Paragraph>,
    regions: &mut Vec<Region>,
    lists: &mut usize,
    out: &mut Writer,
) {
    if is_skipped(name) {
        at.skipped = at.skipped.saturating_sub(1);
        return;
    }
    match name {
        "p" | "h" => {
            if let Some(p) = open.pop() {
                let region = regions.last().copied().unwrap_or(Region::Body);
                paragraph(p, region, at, out);
            }
        }
        "list-item" => *lists = lists.saturating_sub(1),
        "table" => at.end_table(),
        "text-box" => at.text_boxes = at.text_boxes.saturating_sub(1),
        "note" | "header" | "header-left" | "header-first" | "footer" | "footer-left"
        | "footer-first"
            if regions.len() > 1 =>
        {
            regions.pop();
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/""#;

    fn package(content: &str, styles: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("content.xml", options).unwrap();
        write!(zip, r#"<office:document-content {NS}><office:body><office:text>{content}</office:text></office:body></office:document-content>"#).unwrap();
        zip.start_file("styles.xml", options).unwrap();
        write!(zip, r#"<office:document-styles {NS}><office:master-styles><style:master-page>{styles}</style:master-page></office:master-styles></office:document-styles>"#).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn an_odt_reads_like_a_word_draft() {
        let content = concat!(
            r#"<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info><dc:creator>R</dc:creator></office:change-info><text:p>Cures rosacea.</text:p></text:deletion></text:changed-region></text:tracked-changes>"#,
            r#"<text:h text:outline-level="1">Why it works</text:h>"#,
            r#"<text:p>Boosts <text:span>collagen</text:span>&amp;<text:s/>glow.<text:change text:change-id="c1"/><office:annotation><dc:creator>Legal</dc:creator><text:p>Heals acne?</text:p></office:annotation></text:p>"#,
            r#"<text:list><text:list-item><text:p>No side effects<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Data on file.</text:p></text:note-body></text:note></text:p></text:list-item></text:list>"#,
            r#"<table:table><table:table-row><table:table-cell><text:p>Claim</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>Erases wrinkles</text:p></table:table-cell></table:table-row></table:table>"#,
            r#"<text:p><draw:frame><draw:text-box><text:p>FDA approved</text:p></draw:text-box></draw:frame></text:p>"#,
        );
        let styles = r#"<style:header><text:p>Draft for review</text:p></style:header><style:footer><text:p>Aurelle Labs</text:p></style:footer>"#;
        let doc = read(&package(content, styles), 1 << 20).unwrap();
        let parts: Vec<(&str, &str)> = doc
            .parts
            .iter()
            .map(|p| (p.name.as_str(), doc.text[p.start..].lines().next().unwrap()))
            .collect();
        assert_eq!(
            parts,
            vec![
                ("heading “Why it works”", "Why it works"),
                (
                    "paragraph 2, under “Why it works”",
                    "Boosts collagen& glow."
                ),
                ("footnote 1", "Data on file."),
                ("paragraph 3, under “Why it works”", "No side effects"),
                ("table 1, row 1, cell 1", "Claim"),
                ("table 1, row 1, cell 3", "Erases wrinkles"),
                ("text box 1", "FDA approved"),
                ("the page header", "Draft for review"),
                ("the page footer", "Aurelle Labs"),
            ]
        );
        assert_eq!(doc.parts[3].kind, crate::extract::BlockKind::ListItem);
    }

    #[test]
    fn what_is_not_an_odt_says_so() {
        let err = read(b"plain words", 1 << 20).unwrap_err();
        assert!(err.starts_with("not an OpenDocument text"), "{err}");
    }
}
