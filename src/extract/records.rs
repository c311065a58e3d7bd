//! Splits a CSV or JSON Lines container into records, one per row or line,
//! whose text keeps a byte-exact map back into the container.
//!
//! A finding at `text[a..b]` of a record is reported at the container bytes
//! its segments map `a..b` to (through the document's source map), so line
//! and column are those of the file the user opened, not of the record's
//! unescaped text.
//!
//! Both formats are parsed by their crates (`csv`, `serde_json`); this module
//! only aligns the values those crates return against the raw bytes they came
//! from. When an alignment cannot be established (it should not happen for
//! input the crates accept), the record still gets a single coarse segment
//! covering the raw cell or line, so a finding is at least reported on the
//! right row.

use std::ops::Range;

/// One piece of a record's text and where it came from in the container.
///
/// A segment whose `len` equals `source.len()` is verbatim: the text bytes are
/// the container bytes. Any other segment is an escape (CSV `""`, a JSON
/// `\n`, `\u00e9`, surrogate pair, ...) or the coarse fallback, and its text
/// stands for the whole of `source`; no escape can be as long as the text it
/// decodes to, so the two kinds cannot be confused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Byte offset in `Record::text`.
    pub text_start: usize,
    /// Bytes of `Record::text` covered.
    pub len: usize,
    /// Bytes of the container file they stand for.
    pub source: Range<usize>,
}

#[cfg(test)]
impl Segment {
    fn is_verbatim(&self) -> bool {
        self.len == self.source.len()
    }

    fn text_end(&self) -> usize {
        self.text_start + self.len
    }
}

/// How a record's text is to be read by the auditor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordFormat {
    Html,
    Markdown,
    Text,
}

/// One document cut out of a container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Shown to the user in place of a file name, e.g. `row 2, column Body (HTML)`,
    /// `Handle serum, column Body (HTML)` or a JSON Lines record's id.
    pub key: String,
    /// 1-based container line where the record's first byte is (blank lines
    /// and the previous row's line ending are not part of the record).
    pub line: usize,
    pub format: RecordFormat,
    /// The value with CSV quoting or JSON escapes removed.
    pub text: String,
    /// Sorted, contiguous cover of `text` starting at 0; empty when `text` is.
    pub segments: Vec<Segment>,
}

/// A record that could not be read; the rest of the container still can.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordError {
    pub key: String,
    pub line: usize,
    pub reason: String,
}

/// Maps a byte range of a record's text to the container bytes it came from.
///
/// Offsets inside a verbatim segment map exactly; an offset inside an escape
/// widens to the escape's whole raw range (the start to its first byte, the
/// end past its last byte). A range beyond the text is clamped to it; with no
/// segments (empty text) the answer is `0..0`.
#[cfg(test)]
pub fn to_source(segments: &[Segment], text: Range<usize>) -> Range<usize> {
    let Some(last) = segments.last() else {
        return 0..0;
    };
    let text_len = last.text_end();
    let start = text.start.min(text_len);
    let end = text.end.clamp(start, text_len);
    let source_start = match segments.get(segments.partition_point(|s| s.text_end() <= start)) {
        Some(s) if s.is_verbatim() => s.source.start + (start - s.text_start),
        Some(s) => s.source.start,
        None => last.source.end,
    };
    if end == start {
        return source_start..source_start;
    }
    // The segment holding the range's last byte, `end - 1`.
    let source_end = match segments.get(segments.partition_point(|s| s.text_end() < end)) {
        Some(s) if s.is_verbatim() => s.source.start + (end - s.text_start),
        Some(s) => s.source.end,
        None => last.source.end,
    };
    source_start..source_end.max(source_start)
}

/// Accumulates segments while a value is walked against its raw bytes,
/// merging adjacent verbatim characters into one run.
#[derive(Default)]
struct SegmentBuilder {
    segments: Vec<Segment>,
    text_len: usize,
    last_verbatim: bool,
}

impl SegmentBuilder {
    fn verbatim(&mut self, source_start: usize, len: usize) {
        if self.last_verbatim
            && let Some(last) = self.segments.last_mut()
            && last.source.end == source_start
        {
            last.len += len;
            last.source.end += len;
        } else {
            self.segments.push(Segment {
                text_start: self.text_len,
                len,
                source: source_start..source_start + len,
            });
        }
        self.text_len += len;
        self.last_verbatim = true;
    }

    fn escape(&mut self, len: usize, source: Range<usize>) {
        self.segments.push(Segment {
            text_start: self.text_len,
            len,
            source,
        });
        self.text_len += len;
        self.last_verbatim = false;
    }

    fn finish(self) -> Vec<Segment> {
        self.segments
    }
}

/// The whole text standing for `source`, used when alignment failed.
fn coarse_segments(text: &str, source: Range<usize>) -> Vec<Segment> {
    if text.is_empty() {
        return Vec::new();
    }
    vec![Segment {
        text_start: 0,
        len: text.len(),
        source,
    }]
}

fn html_or_text(text: &str) -> RecordFormat {
    if text.contains('<') && text.contains('>') {
        RecordFormat::Html
    } else {
        RecordFormat::Text
    }
}

/// Splits a CSV container into one record per data row and audited column,
/// holding the cell of that column (a row's cells in the order of `columns`).
///
/// The first row is the header; names match exactly (a UTF-8 BOM before it
/// is ignored, and offsets still count its bytes). Rows may have any number
/// of cells; a row too short to have an audited cell yields an error for it.
///
/// A record's key is `row {n}, column {column}`, `n` counting data rows from
/// 1 (blank lines are not rows). With `key_column`, a row whose cell there is
/// non-empty is keyed `{key_column} {value}, column {column}` instead.
///
/// The format is HTML when the cell has both `<` and `>`, otherwise text.
///
/// Fails as a whole when there is no header row, or when a column or
/// `key_column` is not one of its names.
pub fn csv_records(
    container: &str,
    columns: &[String],
    key_column: Option<&str>,
) -> Result<Vec<Result<Record, RecordError>>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(container.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("not CSV: {e}"))?
        .clone();
    if headers.is_empty() {
        return Err("not CSV: no header row".to_string());
    }
    let find = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            let names: Vec<&str> = headers.iter().collect();
            format!("no column `{name}` (columns: {})", names.join(", "))
        })
    };
    let cells = columns
        .iter()
        .map(|column| find(column).map(|cell| (column.as_str(), cell)))
        .collect::<Result<Vec<_>, String>>()?;
    let key_cell = key_column.map(|k| find(k).map(|i| (k, i))).transpose()?;

    let mut out = Vec::new();
    let mut row = csv::StringRecord::new();
    let mut n = 0usize;
    loop {
        let before = reader.position().clone();
        let read = reader.read_record(&mut row);
        let after = clamp_offset(reader.position().byte(), container.len());
        match read {
            Ok(false) => break,
            Ok(true) => {
                n += 1;
                let (start, line) = record_start(container, row.position().unwrap_or(&before));
                // A quote that never closes runs to the end of the file: every row after it was
                // read as part of this cell. It is audited, and reported.
                if after == container.len() && opens_unclosed_quote(&container[start..]) {
                    out.push(Err(RecordError {
                        key: format!("row {n}"),
                        line,
                        reason: "a quote opened in this row never closes; the rest of the file \
                                 was read as one cell"
                            .to_string(),
                    }));
                }
                for &(column, cell) in &cells {
                    let Some(value) = row.get(cell) else {
                        out.push(Err(RecordError {
                            key: format!("row {n}"),
                            line,
                            reason: format!(
                                "the row has {} field(s), none in column `{column}`",
                                row.len()
                            ),
                        }));
                        continue;
                    };
                    let key = match key_cell.and_then(|(k, i)| Some((k, row.get(i)?))) {
                        Some((k, id)) if !id.is_empty() => format!("{k} {id}, column {column}"),
                        _ => format!("row {n}, column {column}"),
                    };
                    let segments =
                        align_csv_cell(container, start, &row, cell).unwrap_or_else(|cell_start| {
                            let end = trim_line_end(container, cell_start, after);
                            coarse_segments(value, cell_start..end)
                        });
                    out.push(Ok(Record {
                        key,
                        line,
                        format: html_or_text(value),
                        text: value.to_string(),
                        segments,
                    }));
                }
            }
            Err(e) => {
                n += 1;
                let (_, line) = record_start(container, e.position().unwrap_or(&before));
                out.push(Err(bad_csv_row(n, line, &e)));
                // A reader that cannot move past the bad row would repeat it forever.
                if clamp_offset(before.byte(), container.len()) >= after || reader.is_done() {
                    break;
                }
            }
        }
    }
    Ok(out)
}

/// Whether a CSV record's text (to the end of the file) leaves a quoted field open: an odd
/// number of `"` once the doubled `""` inside fields are taken away.
fn opens_unclosed_quote(record: &str) -> bool {
    record.replace("\"\"", "").matches('"').count() % 2 == 1
}

fn bad_csv_row(n: usize, line: usize, error: &csv::Error) -> RecordError {
    RecordError {
        key: format!("row {n}"),
        line,
        reason: format!("bad CSV row {n}: {error}"),
    }
}

fn clamp_offset(byte: u64, len: usize) -> usize {
    usize::try_from(byte).map_or(len, |b| b.min(len))
}

/// The first byte and line of the record csv reported at `pos`.
///
/// csv's position is where its previous read stopped: right after the
/// previous row's `\n`, or after the `\r` of its `\r\n` (so still on the
/// previous line), and before any blank lines. csv skips those line-ending
/// bytes before a record starts; so does this, counting the lines it passes.
fn record_start(container: &str, pos: &csv::Position) -> (usize, usize) {
    let bytes = container.as_bytes();
    let mut start = clamp_offset(pos.byte(), container.len());
    let mut line = usize::try_from(pos.line()).unwrap_or(usize::MAX);
    while let Some(&b) = bytes.get(start) {
        match b {
            b'\n' => line = line.saturating_add(1),
            b'\r' => {}
            _ => break,
        }
        start += 1;
    }
    (start, line.max(1))
}

/// `end` moved back over the line ending csv consumed with the row.
fn trim_line_end(container: &str, start: usize, end: usize) -> usize {
    let bytes = container.as_bytes();
    let mut end = end.max(start);
    while end > start && matches!(bytes.get(end - 1), Some(b'\r' | b'\n')) {
        end -= 1;
    }
    end
}

/// Segments of cell `cell` of `row`, whose raw text starts at `start`.
///
/// The cells before it are consumed using the values csv already produced.
/// On failure returns where the raw cell is believed to start (the row start
/// when an earlier cell already failed to align).
fn align_csv_cell(
    container: &str,
    start: usize,
    row: &csv::StringRecord,
    cell: usize,
) -> Result<Vec<Segment>, usize> {
    let mut at = start;
    for (i, value) in row.iter().enumerate() {
        let mut builder = SegmentBuilder::default();
        let Some(end) = walk_csv_field(container, at, value, &mut builder) else {
            return Err(if i == cell { at } else { start });
        };
        if i == cell {
            return Ok(builder.finish());
        }
        if container.as_bytes().get(end) != Some(&b',') {
            return Err(start);
        }
        at = end + 1;
    }
    Err(start)
}

/// Consumes one raw field starting at `start` whose unescaped value is
/// `value`, recording its segments; returns the offset just past it.
///
/// Follows what csv-core accepts: a field opening with `"` is quoted until a
/// lone `"`, with `""` standing for one quote; anything after that closing
/// quote, and every unquoted field, is literal up to `,` or a line ending.
/// An unterminated quote runs to the end of the file.
fn walk_csv_field(
    container: &str,
    start: usize,
    value: &str,
    out: &mut SegmentBuilder,
) -> Option<usize> {
    let bytes = container.as_bytes();
    let mut at = start;
    let mut quoted = bytes.get(at) == Some(&b'"');
    if quoted {
        at += 1;
    }
    let mut chars = value.chars().peekable();
    while let Some(&c) = chars.peek() {
        if quoted && bytes.get(at) == Some(&b'"') {
            if bytes.get(at + 1) == Some(&b'"') {
                if c != '"' {
                    return None;
                }
                out.escape(1, at..at + 2);
                at += 2;
                chars.next();
            } else {
                quoted = false;
                at += 1;
            }
            continue;
        }
        let raw = container.get(at..)?.chars().next()?;
        if raw != c || (!quoted && matches!(raw, ',' | '\r' | '\n')) {
            return None;
        }
        out.verbatim(at, c.len_utf8());
        at += c.len_utf8();
        chars.next();
    }
    if quoted {
        match bytes.get(at) {
            Some(b'"') => at += 1,
            None => {}
            Some(_) => return None,
        }
    }
    match bytes.get(at) {
        None | Some(b',' | b'\r' | b'\n') => Some(at),
        Some(_) => None,
    }
}

const TEXT_FIELDS: [(&str, RecordFormat); 3] = [
    ("text", RecordFormat::Text),
    ("html", RecordFormat::Html),
    ("markdown", RecordFormat::Markdown),
];

const NO_TEXT_FIELD: &str = "a record needs a string field `text`, `html` or `markdown`";

/// Splits a JSON Lines container into one record per non-blank line.
///
/// Each line is a JSON object (a `\r` before the `\n`, and a UTF-8 BOM before
/// the first line, are not part of it). The text is the first of the fields
/// `text`, `html`, `markdown` holding a string, and sets the format.
///
/// The key is the top-level field `key_field` (default `id`): a string as is,
/// any other JSON value as written by serde_json; missing, `null` or `""`
/// gives `line {n}`. A line that is not JSON, or has no such text field, is
/// an error entry and the next lines are still read.
///
/// `first_line` is the number of the container's first line: a stream read in chunks numbers
/// every chunk's lines as lines of the whole stream.
pub fn jsonl_records(
    container: &str,
    key_field: Option<&str>,
    first_line: usize,
) -> Vec<Result<Record, RecordError>> {
    let key_field = key_field.unwrap_or("id");
    let mut out = Vec::new();
    let mut line_start = 0usize;
    for (i, raw_line) in container.split('\n').enumerate() {
        let n = i + first_line;
        let mut start = line_start;
        line_start += raw_line.len() + 1;
        let mut line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        if n == 1
            && let Some(rest) = line.strip_prefix('\u{feff}')
        {
            line = rest;
            start += '\u{feff}'.len_utf8();
        }
        if line.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            continue;
        }
        out.push(jsonl_record(line, start, n, key_field));
    }
    out
}

fn jsonl_record(
    line: &str,
    start: usize,
    n: usize,
    key_field: &str,
) -> Result<Record, RecordError> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| RecordError {
        key: format!("line {n}"),
        line: n,
        reason: format!("not JSON: {e}"),
    })?;
    let key = match value.get(key_field) {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()).filter(|s| !s.is_empty()),
        Some(other) => Some(other.to_string()),
    }
    .unwrap_or_else(|| format!("line {n}"));
    let Some((field, format, text)) = TEXT_FIELDS
        .iter()
        .find_map(|&(field, format)| Some((field, format, value.get(field)?.as_str()?)))
    else {
        return Err(RecordError {
            key,
            line: n,
            reason: NO_TEXT_FIELD.to_string(),
        });
    };
    // Copy in a second text field, or under a repeated key, would pass unread.
    let fields: Vec<&str> = TEXT_FIELDS
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| value.get(*f).is_some_and(serde_json::Value::is_string))
        .collect();
    let repeated = top_level_members(line)
        .iter()
        .filter(|(key, _)| {
            line.get(key.clone())
                .and_then(|token| serde_json::from_str::<String>(token).ok())
                .is_some_and(|k| k == field)
        })
        .count()
        > 1;
    if fields.len() > 1 || repeated {
        let reason = if repeated {
            format!("the field `{field}` appears more than once; give the copy once")
        } else {
            format!(
                "the record has copy in `{}`; give it in one field",
                fields.join("` and `")
            )
        };
        return Err(RecordError {
            key,
            line: n,
            reason,
        });
    }
    let segments = locate_json_string(line, start, field, text)
        .unwrap_or_else(|| coarse_segments(text, start..start + line.len()));
    Ok(Record {
        key,
        line: n,
        format,
        text: text.to_string(),
        segments,
    })
}

/// Segments for the string `value` of the top-level member `field` of the
/// JSON object `line` (which starts at container offset `base`).
///
/// Only keys directly inside the outer object are candidates, so a key token
/// inside another string or a nested object is never taken; a candidate is
/// accepted only when its raw string walks to exactly `value`. Candidates are
/// tried last first because serde_json keeps the last of duplicate keys.
fn locate_json_string(line: &str, base: usize, field: &str, value: &str) -> Option<Vec<Segment>> {
    top_level_members(line)
        .into_iter()
        .rev()
        .filter(|(key, _)| {
            line.get(key.clone())
                .and_then(|token| serde_json::from_str::<String>(token).ok())
                .is_some_and(|k| k == field)
        })
        .find_map(|(_, value_at)| align_json_string(line, base, value_at, value))
}

/// Raw key token and value start of each member of the outermost object.
///
/// A lexical pass over already-validated JSON: it only tells string bytes
/// from structure and counts bracket depth; serde_json did the parsing.
fn top_level_members(line: &str) -> Vec<(Range<usize>, usize)> {
    let bytes = line.as_bytes();
    let skip_ws = |mut at: usize| {
        while matches!(bytes.get(at), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            at += 1;
        }
        at
    };
    let mut members = Vec::new();
    let mut depth = 0usize;
    let mut at = 0usize;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'"' => {
                let end = json_string_end(bytes, at);
                if depth == 1 {
                    let colon = skip_ws(end);
                    if bytes.get(colon) == Some(&b':') {
                        members.push((at..end, skip_ws(colon + 1)));
                    }
                }
                at = end;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        at += 1;
    }
    members
}

/// Offset just past the closing quote of the string opening at `open`.
fn json_string_end(bytes: &[u8], open: usize) -> usize {
    let mut at = open + 1;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// Walks the raw JSON string opening at `open` against its decoded `value`.
fn align_json_string(line: &str, base: usize, open: usize, value: &str) -> Option<Vec<Segment>> {
    let bytes = line.as_bytes();
    if bytes.get(open) != Some(&b'"') {
        return None;
    }
    let mut at = open + 1;
    let mut out = SegmentBuilder::default();
    for c in value.chars() {
        if bytes.get(at) == Some(&b'\\') {
            let (decoded, raw_len) = json_escape(bytes, at)?;
            if decoded != c {
                return None;
            }
            out.escape(c.len_utf8(), base + at..base + at + raw_len);
            at += raw_len;
        } else {
            let raw = line.get(at..)?.chars().next()?;
            if raw != c || raw == '"' {
                return None;
            }
            out.verbatim(base + at, c.len_utf8());
            at += c.len_utf8();
        }
    }
    (bytes.get(at) == Some(&b'"')).then(|| out.finish())
}

/// The character a JSON escape at `at` (its backslash) stands for, and the
/// escape's raw length: 2, 6 for `\uXXXX`, 12 for a surrogate pair.
fn json_escape(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    let simple = match bytes.get(at + 1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let unit = hex4(bytes, at + 2)?;
            if !(0xD800..0xDC00).contains(&unit) {
                return Some((char::from_u32(unit)?, 6));
            }
            if bytes.get(at + 6..at + 8)? != b"\\u" {
                return None;
            }
            let low = hex4(bytes, at + 8)?;
            if !(0xDC00..0xE000).contains(&low) {
                return None;
            }
            let c = char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?;
            return Some((c, 12));
        }
        _ => return None,
    };
    Some((simple, 2))
}

fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at + 4)?
        .iter()
        .try_fold(0u32, |acc, &b| Some(acc * 16 + char::from(b).to_digit(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(name: &str) -> Vec<String> {
        vec![name.to_string()]
    }

    /// Checks the cover invariants and that decoding every segment's raw
    /// bytes (verbatim, or by `decode` for escapes) rebuilds the text.
    fn assert_mapping(container: &str, record: &Record, decode: &dyn Fn(&str) -> String) {
        let mut expected_start = 0;
        let mut rebuilt = String::new();
        for seg in &record.segments {
            assert_eq!(
                seg.text_start, expected_start,
                "gap/overlap in {:?}",
                record.segments
            );
            assert!(seg.len > 0, "empty segment in {:?}", record.segments);
            let text = &record.text[seg.text_start..seg.text_end()];
            let raw = &container[seg.source.clone()];
            if seg.is_verbatim() {
                assert_eq!(raw, text, "verbatim segment {seg:?}");
                rebuilt.push_str(raw);
            } else {
                assert_eq!(decode(raw), text, "escape segment {seg:?}");
                rebuilt.push_str(&decode(raw));
            }
            expected_start = seg.text_end();
        }
        assert_eq!(expected_start, record.text.len());
        assert_eq!(rebuilt, record.text);
        let sources: Vec<_> = record.segments.iter().map(|s| s.source.clone()).collect();
        assert!(
            sources.windows(2).all(|w| w[0].end <= w[1].start),
            "{sources:?}"
        );
    }

    fn csv_decode(raw: &str) -> String {
        assert_eq!(raw, "\"\"");
        "\"".to_string()
    }

    fn json_decode(raw: &str) -> String {
        serde_json::from_str::<String>(&format!("\"{raw}\"")).expect("escape decodes")
    }

    /// Container bytes the first `needle` of the record's text maps to.
    fn source_of<'a>(container: &'a str, record: &Record, needle: &str) -> &'a str {
        let at = record.text.find(needle).expect("needle in text");
        &container[to_source(&record.segments, at..at + needle.len())]
    }

    fn ok(records: &[Result<Record, RecordError>]) -> Vec<&Record> {
        records
            .iter()
            .map(|r| r.as_ref().expect("record ok"))
            .collect()
    }

    /// 1-based line of a container offset, counted independently.
    fn line_of(container: &str, offset: usize) -> usize {
        container[..offset].matches('\n').count() + 1
    }

    // ---- to_source ----

    #[test]
    fn to_source_maps_verbatim_exactly_and_widens_escapes() {
        // text `a"b` from raw `x"a""b"` at offsets 2.., the `""` at 3..5
        let segs = vec![
            Segment {
                text_start: 0,
                len: 1,
                source: 2..3,
            },
            Segment {
                text_start: 1,
                len: 1,
                source: 3..5,
            },
            Segment {
                text_start: 2,
                len: 1,
                source: 5..6,
            },
        ];
        assert_eq!(to_source(&segs, 0..1), 2..3);
        assert_eq!(to_source(&segs, 0..2), 2..5);
        assert_eq!(to_source(&segs, 1..2), 3..5);
        assert_eq!(to_source(&segs, 1..3), 3..6);
        assert_eq!(to_source(&segs, 2..3), 5..6);
        assert_eq!(to_source(&segs, 3..3), 6..6);
        assert_eq!(to_source(&segs, 0..0), 2..2);
        assert_eq!(to_source(&segs, 1..99), 3..6);
        assert_eq!(to_source(&[], 0..4), 0..0);
    }

    #[test]
    fn to_source_inside_a_multibyte_escape_covers_the_escape() {
        // `é` (2 bytes) written as `\u00e9` at 10..16
        let segs = vec![
            Segment {
                text_start: 0,
                len: 2,
                source: 10..16,
            },
            Segment {
                text_start: 2,
                len: 3,
                source: 16..19,
            },
        ];
        assert_eq!(to_source(&segs, 1..2), 10..16);
        assert_eq!(to_source(&segs, 0..3), 10..17);
        assert_eq!(to_source(&segs, 2..5), 16..19);
    }

    // ---- CSV ----

    const SHOP: &str = "Handle,Title,Body (HTML),Vendor\n\
        serum,\"Serum, 30ml\",\"<p>FDA approved, \"\"clinically\"\" proven</p>\",Acme\n\
        cream,Cream,\"<p>Line one\nFDA approved\nline three</p>\",Acme\n\
        toner,Toner,Plain FDA approved text,Acme\n";

    #[test]
    fn csv_quoted_commas_doubled_quotes_and_newlines() {
        let records = csv_records(SHOP, &cols("Body (HTML)"), None).expect("usable");
        let records = ok(&records);
        assert_eq!(records.len(), 3);

        let serum = records[0];
        assert_eq!(serum.key, "row 1, column Body (HTML)");
        assert_eq!(serum.line, 2);
        assert_eq!(serum.format, RecordFormat::Html);
        assert_eq!(serum.text, "<p>FDA approved, \"clinically\" proven</p>");
        assert_eq!(source_of(SHOP, serum, "FDA approved"), "FDA approved");
        assert_eq!(
            source_of(SHOP, serum, "\"clinically\""),
            "\"\"clinically\"\""
        );
        assert_eq!(
            serum.segments.iter().filter(|s| !s.is_verbatim()).count(),
            2
        );
        assert_mapping(SHOP, serum, &csv_decode);

        let cream = records[1];
        assert_eq!(cream.key, "row 2, column Body (HTML)");
        assert_eq!(cream.line, 3);
        assert_eq!(cream.segments.len(), 1);
        let at = to_source(&cream.segments, 0..cream.text.len());
        assert_eq!(&SHOP[at.clone()], cream.text);
        let fda = source_of(SHOP, cream, "FDA approved");
        assert_eq!(fda, "FDA approved");
        let fda_at = SHOP.find("FDA approved\nline").expect("in container");
        assert_eq!(line_of(SHOP, fda_at), 4);
        assert_mapping(SHOP, cream, &csv_decode);

        let toner = records[2];
        assert_eq!(
            toner.line, 6,
            "line after a cell with two embedded newlines"
        );
        assert_eq!(toner.format, RecordFormat::Text);
        assert_eq!(source_of(SHOP, toner, "FDA approved"), "FDA approved");
        assert_mapping(SHOP, toner, &csv_decode);
    }

    #[test]
    fn csv_key_column() {
        let records = csv_records(SHOP, &cols("Body (HTML)"), Some("Handle")).expect("usable");
        let keys: Vec<_> = ok(&records).iter().map(|r| r.key.clone()).collect();
        assert_eq!(
            keys,
            [
                "Handle serum, column Body (HTML)",
                "Handle cream, column Body (HTML)",
                "Handle toner, column Body (HTML)"
            ]
        );
    }

    #[test]
    fn csv_two_columns_give_two_records_per_row_in_column_order() {
        let data = "SKU,Short description,Description\nS1,Cures acne.,<p>Gentle care.</p>\n";
        let columns = ["Description".to_string(), "Short description".to_string()];
        let records = csv_records(data, &columns, Some("SKU")).expect("usable");
        let records = ok(&records);
        let keys: Vec<&str> = records.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "SKU S1, column Description",
                "SKU S1, column Short description"
            ]
        );
        assert_eq!(records[0].format, RecordFormat::Html);
        assert_eq!(source_of(data, records[1], "Cures acne."), "Cures acne.");
    }

    #[test]
    fn csv_key_column_empty_or_missing_cell_falls_back_to_row_number() {
        let data = "body,sku\nFDA approved,\nsecond\nthird,S-3\n";
        let records = csv_records(data, &cols("body"), Some("sku")).expect("usable");
        let keys: Vec<_> = ok(&records).iter().map(|r| r.key.clone()).collect();
        assert_eq!(
            keys,
            [
                "row 1, column body",
                "row 2, column body",
                "sku S-3, column body"
            ]
        );
    }

    #[test]
    fn csv_missing_column_message() {
        let err = csv_records(SHOP, &cols("Body"), None).expect_err("no such column");
        assert_eq!(
            err,
            "no column `Body` (columns: Handle, Title, Body (HTML), Vendor)"
        );
        let err =
            csv_records(SHOP, &cols("Body (HTML)"), Some("handle")).expect_err("no key column");
        assert_eq!(
            err,
            "no column `handle` (columns: Handle, Title, Body (HTML), Vendor)"
        );
    }

    #[test]
    fn csv_without_header_is_unusable() {
        assert_eq!(
            csv_records("", &cols("a"), None),
            Err("not CSV: no header row".to_string())
        );
        assert_eq!(
            csv_records("\n\r\n", &cols("a"), None),
            Err("not CSV: no header row".to_string())
        );
    }

    #[test]
    fn csv_bom_header_matches_and_offsets_count_the_bom() {
        let data = "\u{feff}body,id\n\"FDA approved, really\",1\nno claim,2\n";
        let records = csv_records(data, &cols("body"), Some("id")).expect("usable");
        let records = ok(&records);
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].key, "id 1, column body");
        assert_eq!(records[0].line, 2);
        assert_eq!(records[0].segments[0].source.start, 3 + "body,id\n\"".len());
        assert_eq!(source_of(data, records[0], "FDA approved"), "FDA approved");
        assert_eq!(records[1].line, 3);
        assert_mapping(data, records[0], &csv_decode);
        assert_mapping(data, records[1], &csv_decode);
    }

    #[test]
    fn csv_bom_on_the_audited_first_column() {
        let data = "\u{feff}body\nFDA approved\n";
        let records = csv_records(data, &cols("body"), None).expect("usable");
        let records = ok(&records);
        assert_eq!(source_of(data, records[0], "FDA approved"), "FDA approved");
    }

    #[test]
    fn csv_crlf_lines_and_blank_lines() {
        let data = "id,body\r\n1,first\r\n\r\n2,\"FDA approved\r\nsecond line\"\r\n3,FDA approved third\r\n";
        let records = csv_records(data, &cols("body"), None).expect("usable");
        let records = ok(&records);
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].line, 2, "csv itself reports line 1 here");
        assert_eq!(
            records[0].segments[0].source.start,
            data.find("first").expect("in data")
        );
        assert_eq!(records[1].key, "row 2, column body");
        assert_eq!(records[1].line, 4, "blank line 3 skipped");
        assert_eq!(records[1].text, "FDA approved\r\nsecond line");
        assert_eq!(records[2].line, 6);
        for r in &records {
            assert_eq!(source_of(data, r, &r.text), r.text);
            assert_mapping(data, r, &csv_decode);
        }
        assert_eq!(source_of(data, records[2], "FDA approved"), "FDA approved");
    }

    #[test]
    fn csv_short_rows_are_reported_and_counted() {
        let data = "id,title,body\n1,a,FDA approved\n2,b\n3\n4,d,\"FDA approved\"\n";
        let records = csv_records(data, &cols("body"), None).expect("usable");
        let short: Vec<(&str, usize)> = records
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|e| (e.key.as_str(), e.line))
            .collect();
        assert_eq!(short, vec![("row 2", 3), ("row 3", 4)]);
        let records: Vec<&Record> = records.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].key, "row 1, column body");
        assert_eq!(records[1].key, "row 4, column body");
        assert_eq!(records[1].line, 5);
        for r in &records {
            assert_eq!(source_of(data, r, "FDA approved"), "FDA approved");
        }
    }

    #[test]
    fn csv_long_rows_and_empty_cells() {
        let data = "a,body\n,\"\"\n\"\",FDA approved,extra,\"more\"\n";
        let records = csv_records(data, &cols("body"), None).expect("usable");
        let records = ok(&records);
        assert_eq!(records[0].text, "");
        assert!(records[0].segments.is_empty());
        assert_eq!(source_of(data, records[1], "FDA approved"), "FDA approved");
    }

    #[test]
    fn csv_lenient_quoting_still_aligns() {
        // csv-core keeps text after a closing quote, and quotes inside an
        // unquoted field, literally; an unterminated quote runs to EOF.
        let data = "a,body\nx,\"FDA\" approved \"q\"\nab\"c,\"FDA approved\ntail";
        let records = csv_records(data, &cols("body"), None).expect("usable");
        let records = ok(&records);
        assert_eq!(records[0].text, "FDA approved \"q\"");
        assert_eq!(to_source(&records[0].segments, 0..3), 10..13);
        assert_eq!(
            &data[to_source(&records[0].segments, 3..17)],
            " approved \"q\""
        );
        assert_eq!(records[1].text, "FDA approved\ntail");
        assert_eq!(source_of(data, records[1], "FDA approved"), "FDA approved");
        for r in &records {
            assert_mapping(data, r, &csv_decode);
        }
    }

    #[test]
    fn csv_unicode_cells() {
        let data = "name,body\n\"Crème, riche\",\"Très «FDA approved» 😀\"\n";
        let records = csv_records(data, &cols("body"), Some("name")).expect("usable");
        let records = ok(&records);
        assert_eq!(records[0].key, "name Crème, riche, column body");
        assert_eq!(source_of(data, records[0], "FDA approved"), "FDA approved");
        assert_eq!(source_of(data, records[0], "😀"), "😀");
        assert_mapping(data, records[0], &csv_decode);
    }

    #[test]
    fn csv_alignment_failure_falls_back_to_the_raw_cell() {
        let data = "a,b\nxy,\"FDA approved\"\n";
        // A value csv would not have produced from this row.
        let row = csv::StringRecord::from(vec!["xz", "FDA approved"]);
        assert_eq!(align_csv_cell(data, 4, &row, 1), Err(4));
        let row = csv::StringRecord::from(vec!["xy", "FDA approveD"]);
        assert_eq!(align_csv_cell(data, 4, &row, 1), Err(7));
        let row = csv::StringRecord::from(vec!["xy", "FDA approved"]);
        let segs = align_csv_cell(data, 4, &row, 1).expect("aligns");
        assert_eq!(
            segs,
            [Segment {
                text_start: 0,
                len: 12,
                source: 8..20
            }]
        );
        assert_eq!(trim_line_end(data, 7, data.len()), data.len() - 1);
        let coarse = coarse_segments("FDA approved", 7..21);
        assert_eq!(to_source(&coarse, 4..8), 7..21);
    }

    #[test]
    fn csv_bad_row_error_shape() {
        let err = csv::Error::from(std::io::Error::other("boom"));
        let e = bad_csv_row(3, 7, &err);
        assert_eq!(e.key, "row 3");
        assert_eq!(e.line, 7);
        assert_eq!(e.reason, "bad CSV row 3: boom");
    }

    // ---- JSON Lines ----

    #[test]
    fn jsonl_escapes_map_to_raw_escapes() {
        let data = concat!(
            r#"{"id":"a1","text":"Say \"FDA approved\"\nCafé \u00e9 and \/ \t done"}"#,
            "\n"
        );
        let records = jsonl_records(data, None, 1);
        let records = ok(&records);
        let r = records[0];
        assert_eq!(r.key, "a1");
        assert_eq!(r.line, 1);
        assert_eq!(r.format, RecordFormat::Text);
        assert_eq!(r.text, "Say \"FDA approved\"\nCafé é and / \t done");
        assert_eq!(source_of(data, r, "FDA approved"), "FDA approved");
        assert_eq!(
            source_of(data, r, "\"FDA approved\""),
            r#"\"FDA approved\""#
        );
        assert_eq!(source_of(data, r, "\n"), r"\n");
        assert_eq!(source_of(data, r, "é and"), r"\u00e9 and");
        assert_eq!(source_of(data, r, "Café"), "Café");
        assert_eq!(source_of(data, r, "/"), r"\/");
        assert_mapping(data, r, &json_decode);
    }

    #[test]
    fn jsonl_surrogate_pair_is_one_segment() {
        let data = r#"{"html":"<b>\ud83d\ude00 FDA approved</b>"}"#;
        let records = jsonl_records(data, None, 1);
        let r = ok(&records)[0];
        assert_eq!(r.format, RecordFormat::Html);
        assert_eq!(r.key, "line 1");
        assert_eq!(r.text, "<b>😀 FDA approved</b>");
        let emoji = r
            .segments
            .iter()
            .find(|s| !s.is_verbatim())
            .expect("escape");
        assert_eq!(emoji.len, 4);
        assert_eq!(&data[emoji.source.clone()], r"\ud83d\ude00");
        assert_eq!(source_of(data, r, "FDA approved"), "FDA approved");
        assert_mapping(data, r, &json_decode);
    }

    #[test]
    fn jsonl_key_token_inside_other_strings_or_objects_is_ignored() {
        let data = concat!(
            r#"{"note":"the \"html\": \"FDA approved\" field","x\"html":"FDA approved","#,
            r#""meta":{"html":"FDA approved"},"tags":["html"],"html" : "FDA approved"}"#
        );
        let records = jsonl_records(data, None, 1);
        let r = ok(&records)[0];
        assert_eq!(r.text, "FDA approved");
        let real = data.rfind("FDA approved").expect("in data");
        assert_eq!(to_source(&r.segments, 0..12), real..real + 12);
    }

    #[test]
    fn jsonl_copy_under_a_repeated_key_or_in_two_fields_is_refused() {
        let data = "{\"text\":\"first FDA approved\",\"text\":\"second\"}\n{\"text\":\"a\",\"markdown\":\"b\"}";
        let records = jsonl_records(data, None, 1);
        let reasons: Vec<&str> = records
            .iter()
            .map(|r| r.as_ref().expect_err("refused").reason.as_str())
            .collect();
        assert!(
            reasons[0].contains("`text` appears more than once"),
            "{reasons:?}"
        );
        assert!(reasons[1].contains("`text` and `markdown`"), "{reasons:?}");
    }

    #[test]
    fn jsonl_escaped_key_is_found() {
        let data = r#"{"ht\u006dl":"FDA approved"}"#;
        let records = jsonl_records(data, None, 1);
        let r = ok(&records)[0];
        assert_eq!(r.format, RecordFormat::Html);
        assert_eq!(source_of(data, r, "FDA approved"), "FDA approved");
        assert_eq!(r.segments.len(), 1);
    }

    #[test]
    fn jsonl_crlf_blank_lines_and_errors() {
        let data = "{\"id\":7,\"markdown\":\"# FDA approved\"}\r\n\
            \r\n\
            \n\
            not json\r\n\
            {\"id\":\"p2\",\"title\":\"no body\"}\r\n\
            {\"text\":42}\n\
            \t \n\
            {\"id\":\"p3\",\"html\":\"<p>FDA approved</p>\",\"markdown\":7}\r\n\
            [\"html\"]\n\
            {\"id\":1.5,\"text\":\"FDA approved\"}";
        let results = jsonl_records(data, None, 1);
        assert_eq!(results.len(), 7);

        let first = results[0].as_ref().expect("ok");
        assert_eq!(first.key, "7");
        assert_eq!(first.line, 1);
        assert_eq!(first.format, RecordFormat::Markdown);
        assert_eq!(source_of(data, first, "FDA approved"), "FDA approved");

        let not_json = results[1].as_ref().expect_err("not JSON");
        assert_eq!(not_json.key, "line 4");
        assert_eq!(not_json.line, 4);
        assert!(
            not_json.reason.starts_with("not JSON: expected"),
            "{}",
            not_json.reason
        );

        let no_body = results[2].as_ref().expect_err("no text");
        assert_eq!(no_body.key, "p2");
        assert_eq!(no_body.line, 5);
        assert_eq!(no_body.reason, NO_TEXT_FIELD);

        let numeric_text = results[3].as_ref().expect_err("text not a string");
        assert_eq!(
            (numeric_text.key.as_str(), numeric_text.line),
            ("line 6", 6)
        );
        assert_eq!(
            numeric_text.reason,
            "a record needs a string field `text`, `html` or `markdown`"
        );

        let html = results[4].as_ref().expect("ok");
        assert_eq!(
            (html.key.as_str(), html.line, html.format),
            ("p3", 8, RecordFormat::Html)
        );
        assert_eq!(source_of(data, html, "FDA approved"), "FDA approved");
        let at = data.find("<p>FDA").expect("in data");
        assert_eq!(line_of(data, at), 8);

        let array = results[5].as_ref().expect_err("not an object");
        assert_eq!((array.line, array.reason.as_str()), (9, NO_TEXT_FIELD));

        let last = results[6].as_ref().expect("ok");
        assert_eq!((last.key.as_str(), last.line), ("1.5", 10));
        assert_eq!(source_of(data, last, "FDA approved"), "FDA approved");
        for r in [first, html, last] {
            assert_mapping(data, r, &json_decode);
        }
    }

    #[test]
    fn jsonl_key_field_and_odd_ids() {
        let data = "{\"sku\":\"S-1\",\"id\":1,\"text\":\"a\"}\n\
            {\"sku\":null,\"text\":\"b\"}\n\
            {\"sku\":\"\",\"text\":\"c\"}\n\
            {\"sku\":{\"n\":2},\"text\":\"d\"}\n\
            {\"id\":true,\"text\":\"e\"}";
        let keys: Vec<_> = ok(&jsonl_records(data, Some("sku"), 1))
            .iter()
            .map(|r| r.key.clone())
            .collect();
        assert_eq!(keys, ["S-1", "line 2", "line 3", "{\"n\":2}", "line 5"]);
        let keys: Vec<_> = ok(&jsonl_records(data, None, 1))
            .iter()
            .map(|r| r.key.clone())
            .collect();
        assert_eq!(keys, ["1", "line 2", "line 3", "line 4", "true"]);
    }

    #[test]
    fn jsonl_bom_and_whitespace_around_the_object() {
        let data = "\u{feff}  {\"text\" :\t\"FDA approved\" }  \r\n";
        let records = jsonl_records(data, None, 1);
        let r = ok(&records)[0];
        assert_eq!(source_of(data, r, "FDA approved"), "FDA approved");
    }

    #[test]
    fn jsonl_alignment_helpers_refuse_wrong_candidates() {
        let line = r#"{"a":"x\"y","text":"x\u0022y"}"#;
        assert_eq!(top_level_members(line).len(), 2);
        assert!(align_json_string(line, 0, 5, "x\"z").is_none());
        let segs = align_json_string(line, 100, 5, "x\"y").expect("aligns");
        assert_eq!(
            segs[1],
            Segment {
                text_start: 1,
                len: 1,
                source: 107..109
            }
        );
        assert_eq!(json_escape(br"\ud83d", 0), None, "lone high surrogate");
        assert_eq!(json_escape(br"\ude00", 0), None, "lone low surrogate");
        assert_eq!(json_escape(br"\u+041", 0), None);
        assert_eq!(json_escape(br"\u0041", 0), Some(('A', 6)));
        assert_eq!(json_escape(br"\x", 0), None);
        let fallback = jsonl_record(r#"{"text":"ok"}"#, 50, 3, "id").expect("ok");
        assert_eq!(
            fallback.segments,
            [Segment {
                text_start: 0,
                len: 2,
                source: 59..61
            }]
        );
    }

    // ---- property-style round trips ----

    /// Deterministic xorshift64*, so failures reproduce without extra crates.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn string(&mut self, max_len: usize) -> String {
            const ALPHABET: &[char] = &[
                'a', 'b', 'F', 'D', ' ', ' ', ',', '"', '"', '\n', '\r', '\t', '\\', '/', '<', '>',
                'é', 'ß', '«', '€', '😀', '𝄞', '\u{1}', '\u{7f}', '\u{2028}', '\u{feff}', ':', '{',
            ];
            let len = self.below(max_len + 1);
            (0..len)
                .map(|_| ALPHABET[self.below(ALPHABET.len())])
                .collect()
        }
    }

    #[test]
    fn property_csv_round_trip() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..300 {
            let mut builder = csv::WriterBuilder::new();
            builder.flexible(true);
            if case % 3 == 1 {
                builder.terminator(csv::Terminator::CRLF);
            }
            if case % 4 == 2 {
                builder.quote_style(csv::QuoteStyle::Always);
            }
            let mut writer = builder.from_writer(Vec::new());
            writer.write_record(["id", "body", "extra"]).expect("write");
            let mut expected = Vec::new();
            for row in 0..rng.below(6) {
                let id = format!("k{row}");
                let body = rng.string(40);
                let extra = rng.string(8);
                if rng.below(5) == 0 {
                    // A row without the column: reported, not audited.
                    writer.write_record([id.as_str()]).expect("write");
                    continue;
                }
                writer.write_record([&id, &body, &extra]).expect("write");
                expected.push((id, body));
            }
            let bytes = writer.into_inner().expect("flush");
            let mut container = String::from_utf8(bytes).expect("utf8");
            if case % 5 == 0 {
                container.insert(0, '\u{feff}');
            }
            let records = csv_records(&container, &cols("body"), Some("id")).expect("usable");
            let records: Vec<&Record> = records.iter().filter_map(|r| r.as_ref().ok()).collect();
            let got: Vec<_> = records.iter().map(|r| r.text.clone()).collect();
            let want: Vec<_> = expected.iter().map(|(_, b)| b.clone()).collect();
            assert_eq!(got, want, "case {case}: {container:?}");
            for (r, (id, _)) in records.iter().zip(&expected) {
                assert_eq!(r.key, format!("id {id}, column body"));
                if let Some(first) = r.segments.first() {
                    let row_start = container[..first.source.start]
                        .rfind(id.as_str())
                        .expect("id before body");
                    assert_eq!(r.line, line_of(&container, row_start), "case {case}");
                }
                assert_mapping(&container, r, &csv_decode);
                assert_eq!(
                    to_source(&r.segments, 0..r.text.len()).len(),
                    r.segments.iter().map(|s| s.source.len()).sum::<usize>()
                );
            }
        }
    }

    /// Writes `s` as a JSON string escaping everything escapable, in varied
    /// ways, so the walk meets `\/`, `\uXXXX` and surrogate pairs.
    fn json_escape_all(s: &str, rng: &mut Rng) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '/' if rng.below(2) == 0 => out.push_str("\\/"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c < ' ' || (!c.is_ascii() && rng.below(2) == 0) || rng.below(8) == 0 => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        if rng.below(2) == 0 {
                            out.push_str(&format!("\\u{unit:04x}"));
                        } else {
                            out.push_str(&format!("\\u{unit:04X}"));
                        }
                    }
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    #[test]
    fn property_jsonl_round_trip() {
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        for case in 0..300 {
            let mut container = String::new();
            let mut expected = Vec::new();
            for n in 0..rng.below(6) {
                let text = rng.string(40);
                let decoy = rng.string(10);
                let field = ["text", "html", "markdown"][rng.below(3)];
                let raw = if case % 2 == 0 {
                    serde_json::to_string(&text).expect("serialise")
                } else {
                    json_escape_all(&text, &mut rng)
                };
                let decoy_raw =
                    serde_json::to_string(&format!("\"{field}\":{decoy}")).expect("serialise");
                container.push_str(&format!(
                    "{{\"id\":{n},\"note\":{decoy_raw},\"meta\":{{\"{field}\":{raw}}},\"{field}\": {raw}}}"
                ));
                container.push_str(if rng.below(2) == 0 { "\r\n" } else { "\n" });
                if rng.below(4) == 0 {
                    container.push('\n');
                }
                expected.push((n.to_string(), text));
            }
            let records = jsonl_records(&container, None, 1);
            let records = ok(&records);
            assert_eq!(records.len(), expected.len(), "case {case}");
            for (r, (id, text)) in records.iter().zip(&expected) {
                assert_eq!(&r.key, id);
                assert_eq!(&r.text, text);
                assert_mapping(&container, r, &json_decode);
                if let Some(first) = r.segments.first() {
                    let line_start = container[..first.source.start]
                        .rfind('\n')
                        .map_or(0, |i| i + 1);
                    assert_eq!(r.line, line_of(&container, line_start));
                    // The real field is the last member, not the decoy nor the nested copy.
                    let line_end = container[line_start..]
                        .find('\n')
                        .map_or(container.len(), |i| line_start + i);
                    let line = container[line_start..line_end].trim_end_matches('\r');
                    let raw_len: usize = r.segments.iter().map(|s| s.source.len()).sum();
                    assert_eq!(
                        r.segments.last().map(|s| s.source.end),
                        Some(line_start + line.len() - 2)
                    );
                    assert_eq!(to_source(&r.segments, 0..r.text.len()).len(), raw_len);
                }
            }
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let mut rng = Rng(42);
        for _ in 0..500 {
            let s = rng.string(60);
            let _ = csv_records(&s, &cols("a"), Some("b"));
            let _ = csv_records(&format!("a,b\n{s}"), &cols("a"), Some("b"));
            for r in jsonl_records(&s, None, 1).into_iter().flatten() {
                assert_mapping(&s, &r, &json_decode);
            }
            let json = format!(
                "{{\"text\":{}}}",
                serde_json::to_string(&s).expect("serialise")
            );
            let mut half = json.len() / 2;
            while !json.is_char_boundary(half) {
                half -= 1;
            }
            let _ = jsonl_records(&json[..half], None, 1);
            if let Ok(records) = csv_records(&format!("a,b\n{s}"), &cols("a"), Some("b")) {
                let container = format!("a,b\n{s}");
                for r in records.into_iter().flatten() {
                    assert_mapping(&container, &r, &csv_decode);
                }
            }
        }
    }
}
