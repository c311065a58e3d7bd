//! Stage 2, `extract`: turn a file of some format into plain text plus a [`SourceMap`] back to the
//! original bytes.
//!
//! The extracted text separates blocks (paragraphs, headings, list items, table cells, alt text,
//! the page title, the meta description) with a blank line, so the grammar sees one block per
//! paragraph whatever the input format; [`BlockHint`]s carry what the format knew about each block.

mod html;
mod markdown;
pub(crate) mod records;
mod source_map;

pub use source_map::SourceMap;

use crate::diagnostic::{Skipped, make_safe_line};
use crate::source::{Format, SourceFile};
use records::{Record, RecordFormat};

/// What a format adapter knew about a block that starts at some offset of the extracted text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// Running text.
    Paragraph,
    /// A heading (`<h1>`…`<h6>`, `#`).
    Heading,
    /// An item of a bulleted or numbered list.
    ListItem,
    /// A table cell or row.
    TableCell,
    /// An image's alternative text.
    AltText,
    /// The page `<title>`.
    Title,
    /// `<meta name="description">`.
    MetaDescription,
    /// A label's ingredient list.
    Ingredients,
    /// A label's directions for use.
    Directions,
    /// A label's warnings or cautions.
    Warnings,
    /// A label's net quantity.
    NetQuantity,
    /// An entry of a numbered reference list.
    Reference,
}

impl BlockKind {
    /// The block kinds that are not marketing copy: rules skip them unless they ask for them.
    pub fn is_apparatus(self) -> bool {
        matches!(
            self,
            BlockKind::Ingredients
                | BlockKind::Warnings
                | BlockKind::NetQuantity
                | BlockKind::Reference
        )
    }
}

/// A block kind and where its text starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockHint {
    /// Offset in the extracted text.
    pub start: usize,
    /// What the block is.
    pub kind: BlockKind,
    /// The item number, for items of numbered lists.
    pub number: Option<u32>,
}

/// A comment in the source (HTML or Markdown `<!-- … -->`), where suppressions live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The comment's text, without its markers.
    pub text: String,
    /// Byte range of the whole comment in the original file.
    pub span: std::ops::Range<usize>,
}

/// A document's text with its map back to the original file.
#[derive(Debug, Default)]
pub struct Extracted {
    /// The visible text, blocks separated by blank lines.
    pub text: String,
    /// Extracted-text offsets → original-file offsets.
    pub map: SourceMap,
    /// Block kinds known from the format, sorted by start.
    pub hints: Vec<BlockHint>,
    /// Comments, in order.
    pub comments: Vec<Comment>,
    /// The record's name inside its container (a CSV row and column, a JSON Lines record's
    /// id), when the text is one record of many.
    pub record: Option<String>,
    /// A record's own text (the unescaped cell or field) and its map into the container, when
    /// the text is one record of many. Comments point into this text: a suppression's "next
    /// line" is the record's next line, which a JSON string writes as `\n`.
    pub record_source: Option<RecordSource>,
}

/// A record's unescaped text and where each of its bytes is in the container file.
#[derive(Debug)]
pub struct RecordSource {
    /// The cell's or field's value.
    pub text: String,
    /// Offsets of `text` → offsets of the container file.
    pub map: SourceMap,
}

/// How a file holds its copy: as one document, or as records that are each a document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Container {
    /// The whole file is one document in its format.
    #[default]
    Whole,
    /// A CSV file: one document per row and column, the cell of each of `columns`, named by
    /// the row's cell in `key` when given.
    CsvColumns {
        /// The headers of the audited columns (`Body (HTML)`; `Description`, `Short
        /// description`).
        columns: Vec<String>,
        /// The header of the column that names each row (`Handle`, `SKU`).
        key: Option<String>,
    },
    /// JSON Lines: one record per line, its `text`, `html` or `markdown` field, named by its
    /// `key` field (`id` by default). The file may be one chunk of a longer stream whose first
    /// line has the number `first_line`.
    JsonLines {
        /// The stream's number for the file's first line.
        first_line: usize,
        /// The field that names each record.
        key: Option<String>,
    },
}

/// The documents of a file: one for a whole file, one per record for a container (a record
/// that cannot be read is a skip naming it). `Err` when the container itself is unusable (not
/// CSV, no such column). Spans of every document map into the file's own bytes.
pub fn documents(
    file: &SourceFile,
    container: &Container,
) -> Result<Vec<Result<Extracted, Skipped>>, String> {
    let records = match container {
        Container::Whole => return Ok(vec![Ok(extract_file(file))]),
        Container::CsvColumns { columns, key } => {
            records::csv_records(&file.text, columns, key.as_deref())?
        }
        Container::JsonLines { first_line, key } => {
            records::jsonl_records(&file.text, key.as_deref(), *first_line)
        }
    };
    Ok(records
        .into_iter()
        .map(|record| match record {
            Ok(record) => Ok(extract_record(record)),
            Err(e) => {
                let mut skipped = Skipped::file(&file.display, e.reason);
                skipped.record = Some(make_safe_line(&e.key).into_owned());
                skipped.line = Some(e.line);
                Err(skipped)
            }
        })
        .collect())
}

/// A record's document: its text extracted in its format, then mapped through the record's
/// own map into the container's bytes.
fn extract_record(record: Record) -> Extracted {
    let format = match record.format {
        RecordFormat::Html => Format::Html,
        RecordFormat::Markdown => Format::Markdown,
        RecordFormat::Text => Format::Text,
    };
    let mut extracted = extract(format, &record.text);
    let mut outer = SourceMap::default();
    for segment in &record.segments {
        outer.push(segment.text_start, segment.len, segment.source.clone());
    }
    extracted.map = extracted.map.through(&outer);
    extracted.record = Some(make_safe_line(&record.key).into_owned());
    extracted.record_source = Some(RecordSource {
        text: record.text,
        map: outer,
    });
    extracted
}

/// Extracts the visible text of a text in some format.
pub fn extract(format: Format, text: &str) -> Extracted {
    use crate::profile::{Stage, time};
    match format {
        Format::Html => time(Stage::ExtractHtml, || html::extract(text)),
        Format::Markdown => time(Stage::ExtractMarkdown, || markdown::extract(text)),
        // A word-processor document's text was written a block per line when it was read.
        Format::Text | Format::Label | Format::Docx | Format::Odt => {
            time(Stage::ExtractText, || plain(text))
        }
    }
}

/// Extracts the visible text of a whole file: a word-processor document's blocks keep the kinds
/// (heading, list item, table cell) its parts have.
pub fn extract_file(file: &SourceFile) -> Extracted {
    use crate::profile::{Stage, time};
    match file.format {
        Format::Docx | Format::Odt => time(Stage::ExtractText, || word(&file.text, &file.parts)),
        format => extract(format, &file.text),
    }
}

/// A word-processor document's text is its own extraction, a block per part.
fn word(text: &str, parts: &[crate::source::Part]) -> Extracted {
    let mut out = Builder::default();
    for part in parts {
        let end = text[part.start..]
            .find('\n')
            .map_or(text.len(), |n| part.start + n);
        out.start_block(part.kind, part.start);
        out.push_source(&text[part.start..end], part.start..end);
    }
    out.finish()
}

/// Plain text is its own extraction: the map is the identity.
fn plain(text: &str) -> Extracted {
    let mut out = Builder::default();
    out.push_source(text, 0..text.len());
    out.finish()
}

/// Builds extracted text and its map together, folding whitespace the way a browser shows it.
#[derive(Default)]
struct Builder {
    out: Extracted,
    /// Whether the text ends in a block separator (or is empty).
    at_block_start: bool,
}

impl Builder {
    /// Appends text that stands in the source at `src` (same text, or decoded from it).
    fn push_source(&mut self, text: &str, src: std::ops::Range<usize>) {
        if text.is_empty() {
            return;
        }
        self.out.map.push(self.out.text.len(), text.len(), src);
        self.out.text.push_str(text);
        self.at_block_start = false;
    }

    /// Appends one visible character; runs of whitespace fold to one space.
    fn push_char(&mut self, c: char, src: std::ops::Range<usize>) {
        if c.is_whitespace() {
            if self.at_block_start || self.out.text.ends_with(' ') || self.out.text.is_empty() {
                return;
            }
            self.push_source(" ", src);
        } else {
            let mut buf = [0u8; 4];
            self.push_source(c.encode_utf8(&mut buf), src);
        }
    }

    /// Ends the current block (if any text was written) and records the next block's kind.
    fn start_block(&mut self, kind: BlockKind, src_at: usize) {
        self.start_numbered_block(kind, None, src_at);
    }

    /// Like [`Builder::start_block`], for an item of a numbered list.
    fn start_numbered_block(&mut self, kind: BlockKind, number: Option<u32>, src_at: usize) {
        self.end_block(src_at);
        let start = self.out.text.len();
        let hint = BlockHint {
            start,
            kind,
            number,
        };
        match self.out.hints.last_mut() {
            Some(last) if last.start == start => *last = hint,
            _ => self.out.hints.push(hint),
        }
    }

    /// Writes a block separator unless the text is empty or already ends in one.
    fn end_block(&mut self, src_at: usize) {
        if self.out.text.is_empty() || self.at_block_start {
            return;
        }
        while self.out.text.ends_with(' ') {
            self.out.text.pop();
            self.out.map.truncate(self.out.text.len());
        }
        self.push_source("\n\n", src_at..src_at);
        self.at_block_start = true;
    }

    fn finish(mut self) -> Extracted {
        let end = self.out.map.source_end();
        self.end_block(end);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_maps_to_itself() {
        let x = plain("Boosts collagen.\n\nSecond.");
        assert_eq!(x.text, "Boosts collagen.\n\nSecond.\n\n");
        assert_eq!(x.map.to_source(7..15), 7..15);
    }
}
