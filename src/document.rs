//! A document, analysed once: its source file, its visible copy with the map back to the
//! source bytes, its parsed structure and its claim frames. Every later step (judging, waivers,
//! reports) reads this one value instead of re-deriving any of it.

use crate::claims::{self, Claims, Vocabulary};
use crate::diagnostic::{LineIndex, LineStarts, Skipped};
use crate::extract::Extracted;
use crate::parse::{self, Parsed};
use crate::source::SourceFile;
use std::sync::Arc;

/// One audited unit of copy: a whole file, or one record (a CSV row's cell, a JSON Lines
/// record) of a file that holds many. Spans of a record point into its container's bytes.
#[derive(Debug)]
pub struct Document {
    /// The file the copy is in (shared by the records of one container).
    pub(crate) source: Arc<SourceFile>,
    /// Where the file's lines start (shared likewise).
    pub(crate) line_starts: Arc<LineStarts>,
    /// The record's name inside its container (`row 2, column Body (HTML)`), if it is one.
    pub(crate) record: Option<String>,
    /// The visible copy and its source map.
    pub(crate) copy: Extracted,
    /// Blocks, sentences and tokens of the copy.
    pub(crate) parsed: Parsed,
    /// One claim frame per sentence, and the document's facts.
    pub(crate) claims: Claims,
}

impl Document {
    /// Parses the extracted copy and builds its claim frames. Parsing never fails as a whole:
    /// blocks the grammar gives up on are kept in [`Document::unparsed`].
    pub(crate) fn analyse(
        source: Arc<SourceFile>,
        line_starts: Arc<LineStarts>,
        copy: Extracted,
        vocabulary: &Vocabulary,
    ) -> Document {
        use crate::profile::{Stage, time};
        let parsed = time(Stage::Grammar, || parse::parse(&copy.text, &copy.hints));
        let claims = time(Stage::Claims, || {
            claims::frames(&copy.text, &parsed, vocabulary)
        });
        Document {
            source,
            line_starts,
            record: copy.record.clone(),
            copy,
            parsed,
            claims,
        }
    }

    /// The path as shown in reports.
    pub fn path(&self) -> &str {
        &self.source.display
    }

    /// The visible copy (extracted text) that findings' `copy_span`s point into.
    pub fn copy(&self) -> &str {
        &self.copy.text
    }

    /// The record's name inside its container, if the document is one record of many.
    pub fn record(&self) -> Option<&str> {
        self.record.as_deref()
    }

    /// Lines and columns of the source file.
    pub(crate) fn lines(&self) -> LineIndex<'_> {
        self.line_starts.index(&self.source.text)
    }

    /// The blocks the grammar gave up on, as skips naming their line in the source file (after
    /// `lines_before` lines, for a chunk of a stream): the rest of the document was audited,
    /// but these parts were not.
    pub(crate) fn unparsed(&self, lines_before: usize) -> Vec<Skipped> {
        let lines = self.lines();
        self.parsed
            .unparsed
            .iter()
            .map(|(span, reason)| {
                let source = self.copy.map.to_source(span.start..span.end);
                let line = lines.line_column(source.start).0 + lines_before;
                let mut skipped = Skipped::file(
                    self.path(),
                    format!("block at line {line} not parsed ({reason}); the rest was audited"),
                );
                skipped.record = self.record.clone();
                skipped.line = Some(line);
                skipped
            })
            .collect()
    }
}
