//! Entry points for the fuzz targets (`fuzz/`) into stages the public facade does not expose.
//! Compiled only with the `fuzzing` feature.

use crate::source::Format;

/// The byte spans of every token the copy grammar finds in `text`.
pub fn token_spans(text: &str) -> Result<Vec<(usize, usize)>, String> {
    let parsed = crate::parse::parse(text, &[])?;
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
