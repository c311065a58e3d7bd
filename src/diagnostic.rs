//! What every stage agrees on: byte spans, severities, jurisdictions, findings, and the conversion
//! from byte offsets to 1-based lines and character columns.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A half-open byte range `start..end`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// Builds a span from its two ends.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Whether the two share at least one byte.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// How serious a finding is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; rarely a problem alone.
    Info,
    /// Likely to be challenged.
    Warning,
    /// Unlawful or plainly misleading where it applies.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A legal system whose rules a claim is judged under, by its code (`US`, `EU`, `UK`, …).
///
/// Which codes exist is data: one registry file each under `rules/jurisdictions/`. The value is
/// only the code; the registry gives it a name and a place in report order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Jurisdiction(std::sync::Arc<str>);

impl Jurisdiction {
    /// The jurisdiction with this code (not checked against the registry).
    pub fn new(code: &str) -> Jurisdiction {
        Jurisdiction(std::sync::Arc::from(code))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Jurisdiction {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A span in the original file with its 1-based lines and character columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SourceSpan {
    /// Byte offset of the first byte in the original file.
    pub start: usize,
    /// Byte offset one past the last byte in the original file.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based character column of `start`.
    pub column: usize,
    /// 1-based line of `end`.
    pub end_line: usize,
    /// 1-based character column of `end`.
    pub end_column: usize,
}

/// The evidence a finding was judged against.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EvidenceSummary {
    /// Evidence topic id.
    pub topic: String,
    /// Best evidence level for the topic.
    pub best_level: String,
    /// The strongest claim strength the evidence supports.
    pub supports: String,
    /// Citations of the topic's studies.
    pub studies: Vec<String>,
}

/// A legal position a finding rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PositionSummary {
    /// Position id.
    pub id: String,
    /// Jurisdiction code.
    pub jurisdiction: Jurisdiction,
    /// Instrument and provision.
    pub instrument: String,
    /// Official source.
    pub url: String,
    /// How far the position's wording was checked against the official text (`verified`,
    /// `secondary`, `unverified`).
    pub status: String,
}

/// Whether the severities are not the same in every jurisdiction.
pub fn severities_differ(severities: &[(Jurisdiction, Severity)]) -> bool {
    severities.windows(2).any(|w| w[0].1 != w[1].1)
}

/// `error (UK) · warning (US, EU)`: severities per jurisdiction, highest first, each with the
/// jurisdictions that have it.
pub fn by_level(severities: &[(Jurisdiction, Severity)]) -> String {
    let mut levels: Vec<Severity> = severities.iter().map(|(_, s)| *s).collect();
    levels.sort_unstable_by(|a, b| b.cmp(a));
    levels.dedup();
    levels
        .iter()
        .map(|level| {
            let codes: Vec<&str> = severities
                .iter()
                .filter(|(_, s)| s == level)
                .map(|(j, _)| j.as_str())
                .collect();
            format!("{} ({})", level.as_str(), codes.join(", "))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Writes pairs as a map, keeping their order.
fn in_order<S: serde::Serializer>(
    pairs: &[(Jurisdiction, Severity)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(j, s)| (j.as_str(), s)))
}

impl Finding {
    /// Whether the finding is not equally severe everywhere it applies.
    pub fn severity_differs(&self) -> bool {
        severities_differ(&self.severities)
    }
}

/// One overclaim found in one file: the unit every reporter prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Path of the audited file, as given on the command line.
    pub path: String,
    /// Rule id.
    pub rule: String,
    /// Rule category.
    pub category: String,
    /// Highest severity among the selected jurisdictions.
    pub severity: Severity,
    /// The severity in each selected jurisdiction where the rule applies, in report order
    /// (written as a map: `{"US": "warning", "EU": "warning", "UK": "error"}`).
    #[serde(serialize_with = "in_order")]
    pub severities: Vec<(Jurisdiction, Severity)>,
    /// Selected jurisdictions where the rule applies.
    pub jurisdictions: Vec<Jurisdiction>,
    /// Why this is an overclaim.
    pub message: String,
    /// Where it is in the original file.
    pub span: SourceSpan,
    /// The matched text, as extracted.
    pub text: String,
    /// The whole sentence the finding is in.
    pub claim: String,
    /// What the evidence supports, where the rule names a topic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<std::sync::Arc<EvidenceSummary>>,
    /// Legal positions for the selected jurisdictions.
    pub positions: Vec<std::sync::Arc<PositionSummary>>,
    /// A compliant rewording.
    pub suggestion: String,
    /// What the claim frame of the sentence says about the finding (absent for findings about
    /// the tool's own files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame: Option<FrameSummary>,
    /// Where the finding came from inside a file that holds many documents (a CSV row and
    /// column, a JSON Lines record); absent for ordinary files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// Where the finding is in a word-processor document, in its reader's words ("paragraph 4,
    /// under “Why it works”", "table 1, row 2, cell 3"); absent for other formats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Other rules the same claim matched (spans overlapping this one in its sentence), in
    /// rank order; the finding's severities are the highest among it and these.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// Further places in the document where this rule matched, for a rule reported once per
    /// page.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<SourceSpan>,
    /// The source lines the span covers, for renderers that show them (not serialised).
    #[serde(skip)]
    pub context: Context,
    /// The span in the extracted copy (visible text), for the HTML report (not serialised).
    #[serde(skip)]
    pub copy_span: Option<Span>,
}

impl Finding {
    /// Moves the finding from a chunk of a stream to the stream: `lines` lines and `bytes`
    /// bytes came before the chunk.
    pub(crate) fn shift(&mut self, lines: usize, bytes: usize) {
        self.span.start += bytes;
        self.span.end += bytes;
        self.span.line += lines;
        self.span.end_line += lines;
        self.context.first_line += lines;
        self.context.offset += bytes;
        let related = self.related.iter_mut();
        let spans = related.flat_map(|r| std::iter::once(&mut r.span).chain(&mut r.also_at));
        for span in spans.chain(&mut self.also_at) {
            span.start += bytes;
            span.end += bytes;
            span.line += lines;
            span.end_line += lines;
        }
    }

    /// The suggestion as reports give it: a rewording to try, or, written in parentheses, what
    /// to do instead where no honest rewording exists.
    pub fn rewording(&self) -> Rewording<'_> {
        let s = self.suggestion.trim();
        match s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            Some(inner) if !inner.contains(['(', ')']) || balanced(inner) => {
                Rewording::Instead(inner)
            }
            _ => Rewording::Try(s),
        }
    }

    /// How many rule matches the finding carries: its own, its related rules' and its other
    /// places.
    pub fn rule_matches(&self) -> usize {
        let related: usize = self.related.iter().map(|r| 1 + r.also_at.len()).sum();
        1 + related + self.also_at.len()
    }
}

/// What a finding suggests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rewording<'a> {
    /// Compliant words to use instead of the claim.
    Try(&'a str),
    /// No honest rewording: what to do instead.
    Instead(&'a str),
}

/// Whether every parenthesis of the text is closed in order.
fn balanced(text: &str) -> bool {
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}

/// Another rule matched by the claim of a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    /// Rule id.
    pub rule: String,
    /// Rule category.
    pub category: String,
    /// The rule's own headline severity.
    pub severity: Severity,
    /// The rule's severity in each selected jurisdiction where it applies.
    #[serde(serialize_with = "in_order")]
    pub severities: Vec<(Jurisdiction, Severity)>,
    /// Selected jurisdictions where the rule applies.
    pub jurisdictions: Vec<Jurisdiction>,
    /// Why the rule objects.
    pub message: String,
    /// The words it matched.
    pub span: SourceSpan,
    /// The matched text.
    pub text: String,
    /// Further places of a rule reported once per page.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<SourceSpan>,
}

/// What a sentence's claim frame says, as reported with a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FrameSummary {
    /// Whether the sentence asserts an effect (`asserted`), or why not (`question`,
    /// `definition`, `research-statement`, `law-statement`, `negated-existence`, `precaution`):
    /// only rules that fire on mentions report a sentence that is not asserted.
    pub assertion: String,
}

/// Whole source lines around a finding, so reports can quote them after the file is dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// 1-based number of the first line.
    pub first_line: usize,
    /// Byte offset of the first line in the file.
    pub offset: usize,
    /// The lines, without the final line ending.
    pub text: String,
    /// Whether the first line is quoted from after its start (a window of a long line), so a
    /// renderer cannot count the span's column from the quote.
    pub cut: bool,
}

/// Converts byte offsets of one text to 1-based lines and character columns.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: std::borrow::Cow<'a, [usize]>,
}

/// Where the lines of a text start: computed once per file and shared by every document in it
/// (a CSV file's rows, a JSON Lines file's records).
#[derive(Debug, Default)]
pub(crate) struct LineStarts(Vec<usize>);

impl LineStarts {
    /// The line starts of `text`: `\n`, `\r\n` and a lone `\r` (old Mac files) each end a line.
    pub(crate) fn of(text: &str) -> LineStarts {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            text.match_indices(['\n', '\r'])
                .filter(|&(i, m)| m == "\n" || bytes.get(i + 1) != Some(&b'\n'))
                .map(|(i, _)| i + 1),
        );
        LineStarts(starts)
    }

    /// An index over `text`, which must be the text these starts were computed from.
    pub(crate) fn index<'a>(&'a self, text: &'a str) -> LineIndex<'a> {
        LineIndex {
            text,
            line_starts: std::borrow::Cow::Borrowed(&self.0),
        }
    }
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text` (`\n`, `\r\n` or a lone `\r` ends a line).
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            line_starts: std::borrow::Cow::Owned(LineStarts::of(text).0),
        }
    }

    /// The 0-based line number containing `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// 1-based line and character column of `offset` (clamped to the text).
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let mut column = self.text[start..offset].chars().count() + 1;
        // A byte-order mark is not a column.
        if line == 0 && offset > 0 && self.text.starts_with('\u{FEFF}') {
            column -= 1;
        }
        (line + 1, column)
    }

    /// 0-based line and UTF-16 code-unit column of `offset` (clamped to the text): a position
    /// as editors (the Language Server Protocol) count it.
    pub(crate) fn utf16_position(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        (
            line,
            self.text[start..offset].chars().map(char::len_utf16).sum(),
        )
    }

    /// The byte offset of a 0-based line and UTF-16 column, clamped to the line's end; past the
    /// last line, the end of the text.
    pub(crate) fn utf16_offset(&self, line: usize, units: usize) -> usize {
        if line >= self.line_starts.len() {
            return self.text.len();
        }
        let range = self.line_range(line);
        let mut counted = 0;
        for (i, c) in self.text[range.clone()].char_indices() {
            if counted >= units {
                return range.start + i;
            }
            counted += c.len_utf16();
        }
        range.end
    }

    /// The byte offset where the line holding `offset` starts.
    pub(crate) fn line_start_of(&self, offset: usize) -> usize {
        self.line_starts[self.line_of(offset.min(self.text.len()))]
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of the 0-based `line`, without its line ending.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[line];
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let end = if self.text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }

    /// The whole lines a span touches.
    pub fn context(&self, span: Span) -> Context {
        let first = self.line_of(span.start.min(self.text.len()));
        let last = self.line_of(
            span.end
                .saturating_sub(1)
                .max(span.start)
                .min(self.text.len()),
        );
        // A long line (minified HTML) is quoted as a window around the span, so a finding's
        // memory does not grow with the line.
        let window_start =
            floor_char_boundary(self.text, span.start.saturating_sub(CONTEXT_WINDOW));
        let window_end = ceil_char_boundary(self.text, span.end.saturating_add(CONTEXT_WINDOW));
        let line_start = self.line_range(first).start;
        let start = line_start.max(window_start);
        let end = self.line_range(last).end.min(window_end).max(start);
        Context {
            first_line: first + 1,
            cut: start > line_start,
            offset: start,
            text: self.text[start..end].to_string(),
        }
    }

    /// The span with lines and columns filled in.
    pub fn source_span(&self, span: Span) -> SourceSpan {
        let (line, column) = self.line_column(span.start);
        let (end_line, end_column) = self.line_column(span.end);
        SourceSpan {
            start: span.start,
            end: span.end,
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// Makes text that comes from the audited copy safe for every report format: control
/// characters (other than tab and line breaks) and bidirectional-text controls are replaced, so
/// the text cannot drive a terminal, break a line-based format or reorder what a reviewer reads.
/// Each is replaced by one visible character of the same UTF-8 length (`?`, `¿` or `�`), so every
/// byte offset into the text stays valid and every column stays the same.
///
/// Findings are made safe where they are built and report entries where they are recorded;
/// renderers receive only safe text.
pub(crate) fn make_safe(text: &str) -> std::borrow::Cow<'_, str> {
    replace_unsafe(text, |c| {
        (c.is_control() && c != '\t' && c != '\n' && c != '\r') || is_bidi_control(c)
    })
}

/// Like [`make_safe`], for text the tool prints that holds no offsets into a file (a rule's
/// explanation, an evidence summary): a carriage return is replaced too, so it cannot move the
/// cursor back over a line; line breaks and tabs stay.
pub(crate) fn make_safe_text(text: &str) -> std::borrow::Cow<'_, str> {
    replace_unsafe(text, |c| {
        (c.is_control() && c != '\t' && c != '\n') || is_bidi_control(c)
    })
}

/// Like [`make_safe`], for a path or a name shown on one line: line breaks and tabs are replaced
/// too.
pub(crate) fn make_safe_line(text: &str) -> std::borrow::Cow<'_, str> {
    replace_unsafe(text, |c| c.is_control() || is_bidi_control(c))
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn replace_unsafe(text: &str, unsafe_char: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(&unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if unsafe_char(c) {
            out.push(match c.len_utf8() {
                1 => '?',
                2 => '\u{BF}',
                _ => '\u{FFFD}',
            });
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Characters of a quoted value an error shows before it cuts it short.
const EXCERPT_CHARS: usize = 60;

/// `text` cut to [`EXCERPT_CHARS`] characters, saying how long it was.
pub(crate) fn excerpt(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(EXCERPT_CHARS) {
        None => std::borrow::Cow::Borrowed(text),
        Some((at, _)) => {
            std::borrow::Cow::Owned(format!("{}… ({} bytes in all)", &text[..at], text.len()))
        }
    }
}

/// Characters of a whole message shown at most, whatever it quotes.
const MESSAGE_CHARS: usize = 600;

/// An error message with every value it quotes (between backticks or double quotes: a key, a
/// pattern, a value from the file, as the YAML parser reports it) cut to a short excerpt, and
/// the whole cut at [`MESSAGE_CHARS`], so an error never echoes a file's content at length.
pub(crate) fn shorten(message: &str) -> std::borrow::Cow<'_, str> {
    let long_quote = ['`', '"'].iter().any(|&q| {
        message
            .split(q)
            .skip(1)
            .step_by(2)
            .any(|quoted| quoted.chars().nth(EXCERPT_CHARS).is_some())
    });
    if !long_quote && message.chars().nth(MESSAGE_CHARS).is_none() {
        return std::borrow::Cow::Borrowed(message);
    }
    let mut out = String::new();
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest[open..].chars().next().unwrap_or('`');
        let body = open + 1;
        let Some(close) = rest[body..].find(quote) else {
            break;
        };
        out.push_str(&rest[..body]);
        out.push_str(&excerpt(&rest[body..body + close]));
        out.push(quote);
        rest = &rest[body + close + 1..];
    }
    out.push_str(rest);
    match out.char_indices().nth(MESSAGE_CHARS) {
        Some((at, _)) => std::borrow::Cow::Owned(format!("{}…", &out[..at])),
        None => std::borrow::Cow::Owned(out),
    }
}

/// A file, path or record that was not audited, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The path as shown in reports.
    pub path: String,
    /// The record inside the file (a CSV row, a JSON Lines record), when only it was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The 1-based line of the file where the skipped record starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Why it was skipped.
    pub reason: String,
}

impl Skipped {
    /// A whole file or path that was not audited.
    pub fn file(path: &str, reason: String) -> Skipped {
        Skipped {
            path: make_safe_line(path).into_owned(),
            record: None,
            line: None,
            reason: make_safe(&shorten(&reason)).into_owned(),
        }
    }
}

/// Bytes of a long line a finding quotes on each side of its span.
const CONTEXT_WINDOW: usize = 1024;

/// The smallest char boundary at or after `offset` (clamped to the text).
fn ceil_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// The largest char boundary at or before `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggestion_in_parentheses_says_what_to_do_instead() {
        let mut finding = crate::waivers::test_finding("r", "t");
        let cases = [
            ("skin looks firmer", Rewording::Try("skin looks firmer")),
            ("(remove the claim)", Rewording::Instead("remove the claim")),
            (
                "(name the concern instead (for dry skin))",
                Rewording::Instead("name the concern instead (for dry skin)"),
            ),
            (
                "(remove the comparison) smoother-looking skin",
                Rewording::Try("(remove the comparison) smoother-looking skin"),
            ),
            ("(a) or (b)", Rewording::Try("(a) or (b)")),
        ];
        for (suggestion, expected) in cases {
            finding.suggestion = suggestion.to_string();
            assert_eq!(finding.rewording(), expected, "{suggestion}");
        }
    }

    #[test]
    fn long_quoted_values_are_cut_to_an_excerpt() {
        let long = "é".repeat(100);
        let message = format!("unknown rule `{long}`, did you mean `absolute.x`? got \"{long}\"");
        let short = shorten(&message);
        assert!(
            short.contains(&format!("`{}… (200 bytes in all)`", "é".repeat(60))),
            "{short}"
        );
        assert!(short.contains("`absolute.x`") && short.contains("\"éé"));
        assert_eq!(shorten("plain `short` message"), "plain `short` message");
        assert_eq!(shorten(&"y".repeat(700)).chars().count(), MESSAGE_CHARS + 1);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let index = LineIndex::new("première\nsérum boosts collagen");
        assert_eq!(index.line_column(0), (1, 1));
        let offset = "première\nsérum ".len();
        assert_eq!(index.line_column(offset), (2, 7));
    }

    #[test]
    fn controls_are_replaced_byte_for_byte() {
        let text = "a\u{1b}[31mb\u{85}c\td\n";
        let clean = make_safe(text);
        assert_eq!(clean, "a?[31mb\u{BF}c\td\n");
        assert_eq!(clean.len(), text.len());
        assert_eq!(clean.chars().count(), text.chars().count(), "columns stay");
    }

    #[test]
    fn bidi_overrides_are_replaced_byte_for_byte() {
        let text = "safe \u{202E}gnp.exe\u{2066}";
        let clean = make_safe(text);
        assert_eq!(clean, "safe \u{FFFD}gnp.exe\u{FFFD}");
        assert_eq!(clean.len(), text.len());
        assert_eq!(clean.chars().count(), text.chars().count(), "columns stay");
        assert_eq!(make_safe_line("a\nb.html"), "a?b.html");
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let index = LineIndex::new("\u{FEFF}Boosts collagen");
        assert_eq!(index.line_column(3), (1, 1));
        assert_eq!(index.line_column(10), (1, 8));
    }

    #[test]
    fn a_long_line_is_quoted_as_a_window_around_the_span() {
        let text = format!("{}Heals eczema.{}", "é".repeat(50_000), "x".repeat(50_000));
        let index = LineIndex::new(&text);
        let at = text.find("Heals").unwrap();
        let context = index.context(Span::new(at, at + 12));
        assert!(
            context.text.len() <= 12 + 2 * CONTEXT_WINDOW,
            "{}",
            context.text.len()
        );
        assert!(context.text.contains("Heals eczema."));
        assert_eq!(
            &text[context.offset..context.offset + context.text.len()],
            context.text
        );
        assert_eq!(context.first_line, 1);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "Gentle.\rSoft.\r\nHeals eczema.\r";
        let index = LineIndex::new(text);
        assert_eq!(index.line_column(text.find("Heals").unwrap()), (3, 1));
        assert_eq!(index.line_column(text.find("Soft").unwrap()), (2, 1));
        assert_eq!(&text[index.line_range(0)], "Gentle.");
        assert_eq!(&text[index.line_range(1)], "Soft.");
    }

    #[test]
    fn crlf_lines_exclude_the_carriage_return() {
        let text = "one\r\ntwo\r\n";
        let index = LineIndex::new(text);
        assert_eq!(&text[index.line_range(0)], "one");
        assert_eq!(index.line_column(5), (2, 1));
    }
}
