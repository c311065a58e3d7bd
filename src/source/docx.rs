//! Word documents (`.docx`): the copy a reader of the document sees, one block per paragraph,
//! read with a zip reader and an XML parser.
//!
//! Paragraphs, headings, list items, table cells, text boxes, footnotes, endnotes, headers and
//! footers are copy; comments, deleted text of tracked changes (and text moved away) and field
//! instructions are not; inserted text is. Each block is named the way a Word user finds it
//! ("paragraph 4, under “Why it works”", "table 1, row 2, cell 3", "footnote 2"). The package
//! reader, the block writer and the names are shared with the OpenDocument reader (`odt`).

use crate::extract::BlockKind;
use quick_xml::events::{BytesStart, Event};
use std::io::Read;

/// A block of a word-processor document: where its text starts in the document's text, what it
/// is, and its name in words a reader of the document understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// Byte offset of its text in [`SourceFile::text`](crate::SourceFile::text).
    pub start: usize,
    /// What the block is.
    pub kind: BlockKind,
    /// "paragraph 4, under “Why it works”", "table 1, row 2, cell 3", "footnote 2".
    pub name: String,
}

/// A document's text (blocks separated by blank lines, each on one line) and its parts.
#[derive(Debug, Default)]
pub struct WordText {
    pub text: String,
    pub parts: Vec<Part>,
}

/// Characters of a heading quoted in the names of the paragraphs under it.
const HEADING_IN_NAME: usize = 60;

/// A zip package of XML parts (a `.docx` or `.odt` file), read part by part. Parts are read no
/// further than `max_part` bytes once decompressed, so a small file cannot expand without bound.
pub(super) struct Package<'b> {
    archive: zip::ZipArchive<std::io::Cursor<&'b [u8]>>,
    /// Its parts' names, sorted.
    pub(super) names: Vec<String>,
    max_part: u64,
    /// "Word document", "OpenDocument text": what errors call it.
    what: &'static str,
}

impl<'b> Package<'b> {
    pub(super) fn open(
        bytes: &'b [u8],
        max_part: u64,
        what: &'static str,
        extension: &str,
    ) -> Result<Self, String> {
        let article = if what.starts_with(['A', 'E', 'I', 'O', 'U']) {
            "an"
        } else {
            "a"
        };
        if !bytes.starts_with(b"PK") {
            return Err(format!(
                "not {article} {what} (a .{extension} file is a zip package; this one is not)"
            ));
        }
        let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| format!("not {article} {what} (not a readable zip package: {e})"))?;
        let mut names: Vec<String> = archive
            .file_names()
            .map(|name| name.map(std::borrow::Cow::into_owned))
            .collect::<Result<_, _>>()
            .map_err(|e| format!("not {article} {what} (unreadable zip package: {e})"))?;
        names.sort();
        Ok(Package {
            archive,
            names,
            max_part,
            what,
        })
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// The text of one XML part.
    pub(super) fn part(&mut self, name: &str) -> Result<String, String> {
        let (what, max_part) = (self.what, self.max_part);
        let entry = self
            .archive
            .by_name(name)
            .map_err(|e| format!("cannot read {name} in the {what}: {e}"))?;
        let mut xml = String::new();
        entry
            .take(max_part + 1)
            .read_to_string(&mut xml)
            .map_err(|e| format!("cannot read {name} in the {what}: {e}"))?;
        if xml.len() as u64 > max_part {
            return Err(format!(
                "{name} in the {what} expands beyond {max_part} bytes"
            ));
        }
        Ok(xml)
    }
}

/// Reads a `.docx` file's copy (see [`Package`] for `max_part`).
pub fn read(bytes: &[u8], max_part: u64) -> Result<WordText, String> {
    let mut package = Package::open(bytes, max_part, "Word document", "docx")?;
    if !package.has("word/document.xml") {
        return Err("not a Word document (no word/document.xml in the package)".to_string());
    }
    let mut out = Writer::default();
    walk(&package.part("word/document.xml")?, Region::Body, &mut out)?;
    for (file, region) in [
        ("word/footnotes.xml", Region::Footnotes),
        ("word/endnotes.xml", Region::Endnotes),
    ] {
        if package.has(file) {
            walk(&package.part(file)?, region, &mut out)?;
        }
    }
    for (prefix, region) in [
        ("word/header", Region::Header),
        ("word/footer", Region::Footer),
    ] {
        let names: Vec<String> = package
            .names
            .iter()
            .filter(|n| n.starts_with(prefix) && n.ends_with(".xml"))
            .cloned()
            .collect();
        for name in names {
            walk(&package.part(&name)?, region, &mut out)?;
        }
    }
    Ok(out.finish())
}

/// Which part of the package is being read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Region {
    Body,
    Footnotes,
    Endnotes,
    Header,
    Footer,
}

/// A paragraph being read (paragraphs nest: a text box's paragraphs sit inside a run of the
/// paragraph that anchors it).
#[derive(Default)]
pub(super) struct Paragraph {
    pub(super) text: String,
    /// Its style's id; a heading's (`Heading1`, `Title`) makes it a heading.
    pub(super) style: Option<String>,
    pub(super) listed: bool,
}

/// Blocks written so far, and how to name the next.
#[derive(Default)]
pub(super) struct Writer {
    out: WordText,
    /// Body paragraphs outside tables and text boxes, numbered as a reader counts them.
    paragraphs: usize,
    heading: Option<String>,
    /// Tables at the top level (a table inside a cell is named by its cell).
    tables: usize,
    pub(super) text_boxes: usize,
    pub(super) footnotes: usize,
    pub(super) endnotes: usize,
}

impl Writer {
    fn block(&mut self, text: &str, kind: BlockKind, name: String) {
        if !self.out.text.is_empty() {
            self.out.text.push_str("\n\n");
        }
        self.out.parts.push(Part {
            start: self.out.text.len(),
            kind,
            name,
        });
        self.out.text.push_str(text);
    }

    pub(super) fn finish(mut self) -> WordText {
        if !self.out.text.is_empty() {
            self.out.text.push('\n');
        }
        self.out
    }
}

/// Where the reader is inside tables, text boxes and skipped elements.
#[derive(Default)]
pub(super) struct Position {
    /// (table number, row, cell) of each table the reader is in, innermost last; a nested
    /// table's number counts the tables of its cell.
    tables: Vec<(usize, usize, usize)>,
    /// Tables begun so far in the cell of each table the reader is in.
    nested_tables: Vec<usize>,
    pub(super) text_boxes: usize,
    /// Depth inside elements whose text is not copy (deletions, field instructions, fallback
    /// copies of drawings, comments' ranges do not count: they hold no text).
    pub(super) skipped: usize,
    /// Inside a footnote or endnote that is only a separator line.
    separator: bool,
}

impl Position {
    /// A table starts: top-level tables are numbered in the document, nested ones in their
    /// cell.
    pub(super) fn start_table(&mut self, out: &mut Writer) {
        let number = match self.nested_tables.last_mut() {
            Some(in_cell) => {
                *in_cell += 1;
                *in_cell
            }
            None => {
                out.tables += 1;
                out.tables
            }
        };
        self.tables.push((number, 0, 0));
        self.nested_tables.push(0);
    }

    pub(super) fn start_row(&mut self) {
        if let Some(table) = self.tables.last_mut() {
            table.1 += 1;
            table.2 = 0;
        }
    }

    pub(super) fn start_cell(&mut self) {
        if let Some(table) = self.tables.last_mut() {
            table.2 += 1;
        }
        if let Some(in_cell) = self.nested_tables.last_mut() {
            *in_cell = 0;
        }
    }

    pub(super) fn end_table(&mut self) {
        self.tables.pop();
        self.nested_tables.pop();
    }

    pub(super) fn start_text_box(&mut self, out: &mut Writer) {
        if self.text_boxes == 0 {
            out.text_boxes += 1;
        }
        self.text_boxes += 1;
    }
}

fn walk(xml: &str, region: Region, out: &mut Writer) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut open: Vec<Paragraph> = Vec::new();
    let mut at = Position::default();
    let mut in_text = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("the Word document's XML is malformed: {e}"))?;
        match event {
            Event::Start(e) => {
                start(&e, region, &mut at, &mut open, out);
                in_text = e.local_name().as_ref() == "t";
            }
            Event::Empty(e) => {
                start(&e, region, &mut at, &mut open, out);
                end(e.local_name().as_ref(), region, &mut at, &mut open, out);
            }
            Event::End(e) => {
                end(e.local_name().as_ref(), region, &mut at, &mut open, out);
                in_text = false;
            }
            Event::Text(t) if in_text && at.skipped == 0 => {
                if let Some(p) = open.last_mut() {
                    p.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_text && at.skipped == 0 => {
                if let (Some(p), Some(text)) = (open.last_mut(), referenced(&r)) {
                    p.text.push_str(&text);
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// The character an entity or character reference (`&amp;`, `&#8217;`) stands for.
pub(super) fn referenced(r: &quick_xml::events::BytesRef<'_>) -> Option<String> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Some(c.to_string()),
        _ => quick_xml::escape::resolve_predefined_entity(&r.xml10_content()).map(str::to_string),
    }
}

/// Elements whose text is not copy: deleted and moved-away text, field instructions, the
/// fallback copy of a drawing (its text box is read once, in the preferred choice).
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "del" | "moveFrom" | "delText" | "instrText" | "delInstrText" | "Fallback"
    )
}

fn start(
    e: &BytesStart<'_>,
    region: Region,
    at: &mut Position,
    open: &mut Vec<Paragraph>,
    out: &mut Writer,
) {
    let name = e.local_name();
    let name = name.as_ref();
    if is_skipped(name) {
        at.skipped += 1;
        return;
    }
    match name {
        "p" => open.push(Paragraph::default()),
        "pStyle" => {
            if let Some(p) = open.last_mut() {
                p.style = attribute(e, "val");
            }
        }
        "numPr" => {
            if let Some(p) = open.last_mut() {
                p.listed = true;
            }
        }
        "tab" | "br" | "cr" if at.skipped == 0 => {
            if let Some(p) = open.last_mut() {
                p.text.push(' ');
            }
        }
        "noBreakHyphen" if at.skipped == 0 => {
            if let Some(p) = open.last_mut() {
                p.text.push('-');
            }
        }
        "tbl" => at.start_table(out),
        "tr" => at.start_row(),
        "tc" => at.start_cell(),
        "txbxContent" => at.start_text_box(out),
        "footnote" | "endnote" if matches!(region, Region::Footnotes | Region::Endnotes) => {
            at.separator = attribute(e, "type").is_some_and(|t| t != "normal");
            match (at.separator, region) {
                (true, _) => {}
                (false, Region::Endnotes) => out.endnotes += 1,
                (false, _) => out.footnotes += 1,
            }
        }
        _ => {}
    }
}

fn end(name: &str, region: Region, at: &mut Position, open: &mut Vec<Paragraph>, out: &mut Writer) {
    if is_skipped(name) {
        at.skipped = at.skipped.saturating_sub(1);
        return;
    }
    match name {
        "p" => {
            if let Some(p) = open.pop() {
                paragraph(p, region, at, out);
            }
        }
        "tbl" => at.end_table(),
        "txbxContent" => at.text_boxes = at.text_boxes.saturating_sub(1),
        _ => {}
    }
}

/// Writes a finished paragraph as a block, named for where it stands.
pub(super) fn paragraph(p: Paragraph, region: Region, at: &Position, out: &mut Writer) {
    let text = p.text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() || at.separator {
        return;
    }
    let style = p.style.as_deref().unwrap_or("").to_ascii_lowercase();
    let heading = style.starts_with("heading") || style == "title" || style == "subtitle";
    let kind = if !at.tables.is_empty() {
        BlockKind::TableCell
    } else if heading {
        BlockKind::Heading
    } else if p.listed || style.starts_with("list") {
        BlockKind::ListItem
    } else {
        BlockKind::Paragraph
    };
    let name = match region {
        Region::Footnotes => format!("footnote {}", out.footnotes),
        Region::Endnotes => format!("endnote {}", out.endnotes),
        Region::Header => "the page header".to_string(),
        Region::Footer => "the page footer".to_string(),
        Region::Body => match at.tables.last() {
            Some(_) => {
                // "table 1, row 2, cell 3", or for a table inside that cell "table 1, row 2,
                // cell 3, its table 1, row 1, cell 1".
                let cells: Vec<String> = at
                    .tables
                    .iter()
                    .map(|(table, row, cell)| format!("table {table}, row {row}, cell {cell}"))
                    .collect();
                cells.join(", its ")
            }
            None if at.text_boxes > 0 => format!("text box {}", out.text_boxes),
            None if heading => {
                out.paragraphs += 1;
                out.heading = Some(quoted(&text));
                format!("heading {}", quoted(&text))
            }
            None => {
                out.paragraphs += 1;
                match &out.heading {
                    Some(h) => format!("paragraph {}, under {h}", out.paragraphs),
                    None => format!("paragraph {}", out.paragraphs),
                }
            }
        },
    };
    out.block(&text, kind, name);
}

/// A heading in curly quotes, cut to [`HEADING_IN_NAME`] characters.
fn quoted(text: &str) -> String {
    let mut cut: String = text.chars().take(HEADING_IN_NAME).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    format!("“{cut}”")
}

/// An attribute's value by its local name (`w:val` → `val`).
pub(super) fn attribute(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    /// A `.docx` package of the given parts (name, XML body inside the root element).
    fn package(parts: &[(&str, &str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (name, root, body) in parts {
            zip.start_file(*name, options).unwrap();
            write!(
                zip,
                r#"<?xml version="1.0"?><w:{root} {W}>{body}</w:{root}>"#
            )
            .unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn para(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn read_body(body: &str) -> WordText {
        let body = format!("<w:body>{body}</w:body>");
        read(
            &package(&[("word/document.xml", "document", &body)]),
            1 << 20,
        )
        .unwrap()
    }

    #[test]
    fn paragraphs_are_blocks_named_by_number_and_heading() {
        let doc = read_body(&format!(
            r#"{}<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Why it works</w:t></w:r></w:p>{}<w:p><w:pPr><w:numPr/></w:pPr><w:r><w:t>Heals acne</w:t></w:r></w:p>"#,
            para("Meet the serum."),
            para("It &amp; you.")
        ));
        assert_eq!(
            doc.text,
            "Meet the serum.\n\nWhy it works\n\nIt & you.\n\nHeals acne\n"
        );
        let names: Vec<(&str, BlockKind)> = doc
            .parts
            .iter()
            .map(|p| (p.name.as_str(), p.kind))
            .collect();
        assert_eq!(
            names,
            vec![
                ("paragraph 1", BlockKind::Paragraph),
                ("heading “Why it works”", BlockKind::Heading),
                ("paragraph 3, under “Why it works”", BlockKind::Paragraph),
                ("paragraph 4, under “Why it works”", BlockKind::ListItem),
            ]
        );
        assert_eq!(&doc.text[doc.parts[2].start..][..9], "It & you.");
    }

    #[test]
    fn tracked_deletions_comments_and_field_codes_are_not_copy_but_insertions_are() {
        let doc = read_body(concat!(
            "<w:p><w:r><w:t xml:space=\"preserve\">Clinically </w:t></w:r>",
            "<w:del w:id=\"1\"><w:r><w:delText>proven to </w:delText></w:r></w:del>",
            "<w:ins w:id=\"2\"><w:r><w:t>shown to help </w:t></w:r></w:ins>",
            "<w:commentRangeStart w:id=\"3\"/><w:r><w:t>smooth skin</w:t></w:r>",
            "<w:commentRangeEnd w:id=\"3\"/><w:r><w:commentReference w:id=\"3\"/></w:r>",
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>HYPERLINK \"x\"</w:instrText></w:r>",
            "<w:r><w:t>.</w:t></w:r></w:p>"
        ));
        assert_eq!(doc.text, "Clinically shown to help smooth skin.\n");
    }

    #[test]
    fn tables_text_boxes_notes_headers_and_footers_are_copy() {
        let body = format!(
            "<w:body>{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>\
             <w:p><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent>{}</w:txbxContent></w:drawing></mc:Choice>\
             <mc:Fallback><w:pict><w:txbxContent>{}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p></w:body>",
            para("Intro."),
            para("Claim"),
            para("Result"),
            para("Cures eczema"),
            para("No side effects"),
            para("No side effects"),
        );
        let notes = format!(
            "<w:footnote w:type=\"separator\" w:id=\"-1\">{}</w:footnote><w:footnote w:id=\"1\">{}</w:footnote>",
            para("----"),
            para("Data on file.")
        );
        let doc = read(
            &package(&[
                ("word/document.xml", "document", &body),
                ("word/footnotes.xml", "footnotes", &notes),
                ("word/header1.xml", "hdr", &para("FDA approved")),
                ("word/comments.xml", "comments", &para("Legal: is this ok?")),
            ]),
            1 << 20,
        )
        .unwrap();
        let names: Vec<(&str, &str)> = doc
            .parts
            .iter()
            .map(|p| (p.name.as_str(), doc.text[p.start..].lines().next().unwrap()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("paragraph 1", "Intro."),
                ("table 1, row 1, cell 1", "Claim"),
                ("table 1, row 1, cell 2", "Result"),
                ("table 1, row 2, cell 1", "Cures eczema"),
                ("text box 1", "No side effects"),
                ("footnote 1", "Data on file."),
                ("the page header", "FDA approved"),
            ]
        );
    }

    #[test]
    fn a_table_in_a_cell_is_named_by_its_cell() {
        let inner = format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>",
            para("Cures acne")
        );
        let doc = read_body(&format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{inner}</w:tc></w:tr></w:tbl><w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>",
            para("Claim"),
            para("Later")
        ));
        let names: Vec<&str> = doc.parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "table 1, row 1, cell 1",
                "table 1, row 1, cell 2, its table 1, row 1, cell 1",
                "table 2, row 1, cell 1",
            ]
        );
    }

    #[test]
    fn what_is_not_a_word_document_says_so() {
        let not_zip = read(b"Heals acne.", 1 << 20).unwrap_err();
        assert!(not_zip.contains("this one is not"), "{not_zip}");
        let truncated = read(b"PK\x03\x04 cut short", 1 << 20).unwrap_err();
        assert!(truncated.starts_with("not a Word document"), "{truncated}");
        let no_body = read(&package(&[("content.xml", "x", "")]), 1 << 20).unwrap_err();
        assert!(no_body.contains("no word/document.xml"), "{no_body}");
        let body = format!("<w:body>{}</w:body>", para(&"a".repeat(2000)));
        let big = read(&package(&[("word/document.xml", "document", &body)]), 1000).unwrap_err();
        assert!(big.contains("expands beyond 1000 bytes"), "{big}");
    }
}
