//! Entry points for the fuzz targets (`fuzz/`) into stages the public facade does not expose.
//! Compiled only with the `fuzzing` feature.

use crate::source::Format;

/// The byte spans of every token the copy grammar finds in `text`.
/// `Err` when the grammar gave up on a block of it (it should accept any text).
pub fn token_spans(text: &str) -> Result<Vec<(usize, usize)>, String> {
    let parsed = crate::parse::parse(text, &[]);
    if let Some((_, reason)) = parsed.unparsed.first() {
        return Err(reason.clone());
    }
    Ok(parsed
        .tokens
        .iter()
        .map(|t| (t.span.start, t.span.end))
        .collect())
}

/// Where the whole extracted copy of `text` maps back to in `text`.
pub fn extracted_source(format: Format, text: &str) -> std::ops::Range<usize> {
    let extracted = crate::extract::extract(format, text);
    extracted.map.to_source(0..extracted.text.len())
}

/// Loads the built-in rules plus `text` as a user's rule pack.
pub fn load_user_pack(text: &str) -> Result<(), Vec<crate::LoadError>> {
    let mut sources = crate::rules::embedded_sources();
    sources.push(crate::rules::RuleSource {
        path: "fuzz.yaml".to_string(),
        kind: crate::rules::SourceKind::Rules,
        text: text.to_string(),
        layer: 1,
    });
    crate::rules::load(&sources).map(|_| ())
}

/// The records of `text` read as CSV with the copy in column `column` (keyed by `key`), with
/// each audited cell's text and where its pieces sit in `text`.
pub fn csv_cells(
    text: &str,
    column: &str,
    key: Option<&str>,
) -> Result<Vec<Result<(String, Vec<std::ops::Range<usize>>), String>>, String> {
    let records = crate::extract::records::csv_records(text, &[column.to_string()], key)?;
    Ok(records.into_iter().map(cell_of).collect())
}

/// The records of `text` read as JSON Lines, with each record's copy and where its pieces sit.
pub fn jsonl_cells(text: &str) -> Vec<Result<(String, Vec<std::ops::Range<usize>>), String>> {
    crate::extract::records::jsonl_records(text, None, 1)
        .into_iter()
        .map(cell_of)
        .collect()
}

/// Panics unless every piece is inside `text`, on character boundaries, and after the one
/// before it: what both record adapters promise of the pieces of a record they audit.
pub fn assert_pieces_map_into(text: &str, pieces: &[std::ops::Range<usize>]) {
    let mut last = 0;
    for piece in pieces {
        assert!(piece.start <= piece.end && piece.end <= text.len());
        assert!(text.is_char_boundary(piece.start) && text.is_char_boundary(piece.end));
        assert!(piece.start >= last);
        last = piece.end;
    }
}

fn cell_of(
    record: Result<crate::extract::records::Record, crate::extract::records::RecordError>,
) -> Result<(String, Vec<std::ops::Range<usize>>), String> {
    record
        .map(|r| (r.text, r.segments.into_iter().map(|s| s.source).collect()))
        .map_err(|e| e.reason)
}

/// Checks `text` as a waivers file.
pub fn load_waivers(text: &str) -> Result<(), Vec<crate::LoadError>> {
    crate::waivers::WaiverFile::parse(std::path::Path::new("fuzz-waivers.yaml"), text.to_string())
        .map(|_| ())
}

/// Checks `text` as a config file.
pub fn load_config(text: &str) -> Result<(), Vec<crate::LoadError>> {
    crate::config::Config::parse(
        std::path::Path::new("fuzz/.overclaim.yaml"),
        text.to_string(),
    )
    .map(|_| ())
}

/// A Word document's text and where each of its parts starts, or why it is not one.
pub fn word_parts(bytes: &[u8]) -> Result<(String, Vec<usize>), String> {
    let word = crate::source::docx::read(bytes, 1 << 24)?;
    Ok((word.text, word.parts.iter().map(|p| p.start).collect()))
}

/// [`word_parts`] of a package whose document part is `xml`.
pub fn word_parts_of_body(xml: &str) -> Result<(String, Vec<usize>), String> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let written = zip
        .start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .map_err(|e| e.to_string())
        .and_then(|()| zip.write_all(xml.as_bytes()).map_err(|e| e.to_string()))
        .and_then(|()| zip.finish().map_err(|e| e.to_string()))?;
    word_parts(&written.into_inner())
}
