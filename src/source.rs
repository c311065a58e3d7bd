//! Stage 1, `source`: find the files to audit and read them, reporting what cannot be read.
//!
//! Folders are walked recursively in sorted order (hidden entries skipped; symlinks followed,
//! loops reported);
//! `-` means standard input. Reading never stops the run: a binary, oversized, non-UTF-8 or
//! unreadable file becomes a [`Skipped`] entry with its reason.

mod changes;
pub(crate) mod docx;
mod odt;
mod select;

pub use changes::Changes;

pub use select::Selection;
pub(crate) use select::normalised_glob;

pub use docx::Part;

use crate::diagnostic::{Skipped, make_safe_line};
use serde::Serialize;
use std::fs::File;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Default for `--max-file-size`: files larger than this are skipped.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// How a file's bytes are turned into text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// HTML page.
    Html,
    /// Markdown page.
    Markdown,
    /// Plain text.
    #[default]
    Text,
    /// Product label (plain text with label sections).
    Label,
    /// Word document (`.docx`): its paragraphs, tables, text boxes, notes, headers and footers.
    Docx,
    /// OpenDocument text (`.odt`), read as a Word document is.
    Odt,
}

impl Format {
    /// The format implied by a path's extension; unknown extensions are plain text.
    pub fn from_path(path: &Path) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("html" | "htm" | "xhtml") => Format::Html,
            Some("md" | "markdown" | "mdown" | "mkd") => Format::Markdown,
            Some("label") => Format::Label,
            Some("docx") => Format::Docx,
            Some("odt") => Format::Odt,
            _ => Format::Text,
        }
    }

    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::Label => "label",
            Format::Docx => "docx",
            Format::Odt => "odt",
        }
    }
}

/// Where a file comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A file on disk.
    Path(PathBuf),
    /// Standard input.
    Stdin,
}

/// A file found by the walk, not yet read.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Where to read it from.
    pub origin: Origin,
    /// Whether it was found inside a named folder (not named itself).
    pub in_folder: bool,
    /// The path as shown in reports.
    pub display: String,
    /// Its format.
    pub format: Format,
    /// The file standard input stands for (`--stdin-filename`); `None` for files.
    pub stdin_name: Option<PathBuf>,
}

impl Candidate {
    /// The path whose folder's config and waivers apply: the file's own, or the name standard
    /// input was given; `None` for unnamed standard input.
    pub fn settings_path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::Path(path) => Some(path),
            Origin::Stdin => self.stdin_name.as_deref(),
        }
    }
}

/// A file that was read and decoded.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown in reports.
    pub display: String,
    /// Its format.
    pub format: Format,
    /// Its full contents.
    pub text: String,
    /// A problem found while reading that did not stop the audit (invalid UTF-8 replaced).
    pub warning: Option<String>,
    /// The named blocks of a word-processor document, in text order (empty for other formats):
    /// its `text` is then the document's copy, a block per line.
    pub parts: Vec<Part>,
}

impl SourceFile {
    /// The name of the part of a word-processor document that `offset` of its text is in.
    pub fn part_at(&self, offset: usize) -> Option<&str> {
        let after = self.parts.partition_point(|p| p.start <= offset);
        after.checked_sub(1).map(|i| self.parts[i].name.as_str())
    }
}

/// `path` made absolute against the current folder, with `.` left out and `..` applied to the
/// folder before it (no link is followed): how a file named two ways is known to be one.
pub(crate) fn lexical_absolute(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The result of walking the command-line operands.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files to read, sorted within each operand.
    pub candidates: Vec<Candidate>,
    /// Paths that could not be walked.
    pub skipped: Vec<Skipped>,
    /// Whether an operand named on the command line does not exist.
    pub missing_operand: bool,
    /// Files found in folders that the selection does not take (not copy, or left out by
    /// `--include`/`--exclude`), passed over.
    pub not_copy: usize,
}

/// Expands operands (files, folders, `-`) into the files to audit: a file named is audited
/// whatever it is, a folder gives the files `selection` takes that no ignore file leaves out;
/// `stdin_name` is the file standard input stands for, if it was given one.
pub fn walk(operands: &[PathBuf], stdin_name: Option<&Path>, selection: &Selection) -> Walk {
    let mut out = Walk::default();
    let mut ignores = select::IgnoreFiles::default();
    // A file reached twice (named twice, `audit pages pages/a.md`, or through a link to a
    // folder or file already walked) is audited once: files are told apart by their real path.
    let mut seen = std::collections::HashSet::new();
    let mut first_time =
        |path: &Path| seen.insert(path.canonicalize().unwrap_or_else(|_| path.to_path_buf()));
    for operand in operands {
        if operand.as_os_str() == "-" {
            out.candidates.push(Candidate {
                in_folder: false,
                origin: Origin::Stdin,
                display: stdin_name.map_or_else(
                    || "<stdin>".to_string(),
                    |name| make_safe_line(&name.display().to_string()).into_owned(),
                ),
                format: stdin_name.map_or(Format::Text, Format::from_path),
                stdin_name: stdin_name.map(Path::to_path_buf),
            });
            continue;
        }
        if !operand.exists() && operand.symlink_metadata().is_err() {
            out.missing_operand = true;
            out.skipped.push(Skipped::file(
                &operand.display().to_string(),
                "no such file or directory".to_string(),
            ));
            continue;
        }
        let entries = WalkDir::new(operand)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(is_hidden(e.file_name())
                        || ignores.ignores(e.path(), e.file_type().is_dir()))
            });
        for entry in entries {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    let entry_depth = entry.depth();
                    let path = entry.into_path();
                    if entry_depth > 0 && !selection.takes(&path, operand) {
                        out.not_copy += 1;
                        continue;
                    }
                    if !first_time(&path) {
                        continue;
                    }
                    out.candidates.push(Candidate {
                        in_folder: entry_depth > 0,
                        display: path.display().to_string(),
                        format: Format::from_path(&path),
                        origin: Origin::Path(path),
                        stdin_name: None,
                    });
                }
                // A named FIFO, device or process substitution (`<(curl …)`) is read as a stream,
                // within --max-file-size; a socket fails to open and is reported.
                Ok(entry) if entry.depth() == 0 && !entry.file_type().is_dir() => {
                    let path = entry.into_path();
                    out.candidates.push(Candidate {
                        in_folder: false,
                        display: path.display().to_string(),
                        format: Format::from_path(&path),
                        origin: Origin::Path(path),
                        stdin_name: None,
                    });
                }
                Ok(_) => {}
                Err(err) => out.skipped.push(Skipped::file(
                    &err.path().map_or_else(
                        || operand.display().to_string(),
                        |p| p.display().to_string(),
                    ),
                    walk_error_reason(&err),
                )),
            }
        }
    }
    out
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

fn walk_error_reason(err: &walkdir::Error) -> String {
    if err.loop_ancestor().is_some() {
        return "symlink loop".to_string();
    }
    match err.io_error() {
        Some(io) => io_reason(io),
        None => err.to_string(),
    }
}

fn io_reason(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        _ => err.to_string(),
    }
}

/// Reads and decodes one candidate, or says why it cannot be audited.
pub fn read(
    candidate: &Candidate,
    max_size: u64,
    stdin_bytes: Option<&[u8]>,
) -> Result<SourceFile, Skipped> {
    let skip = |reason: String| Skipped::file(&candidate.display, reason);
    let bytes = match (&candidate.origin, stdin_bytes) {
        (Origin::Stdin, Some(bytes)) => read_limited(bytes, max_size),
        (Origin::Stdin, None) => read_limited(io::stdin().lock(), max_size),
        (Origin::Path(path), _) => File::open(path).and_then(|f| read_limited(f, max_size)),
    }
    .map_err(|e| skip(io_reason(&e)))?;
    let Some(bytes) = bytes else {
        return Err(skip(format!(
            "larger than --max-file-size ({max_size} bytes)"
        )));
    };
    if let Format::Docx | Format::Odt = candidate.format {
        // A package's parts expand when unzipped: each may be a few times the file's limit.
        let max_part = max_size.saturating_mul(8);
        let word = match candidate.format {
            Format::Odt => odt::read(&bytes, max_part),
            _ => docx::read(&bytes, max_part),
        }
        .map_err(skip)?;
        return Ok(SourceFile {
            display: candidate.display.clone(),
            format: candidate.format,
            text: word.text,
            warning: None,
            parts: word.parts,
        });
    }
    let looks_packaged = bytes.starts_with(b"PK\x03\x04");
    let (text, warning) = decode(bytes, 0).map_err(|reason| match &candidate.origin {
        // A Word draft piped in unnamed is read as text: say how to name it.
        Origin::Stdin if looks_packaged => skip(format!(
            "{reason} (a zip package: for a Word draft give --stdin-filename NAME.docx)"
        )),
        _ => skip(reason),
    })?;
    Ok(SourceFile {
        display: candidate.display.clone(),
        format: candidate.format,
        text,
        warning,
        parts: Vec::new(),
    })
}

/// A run of whole lines of a JSON Lines stream, read as a file of its own.
pub struct LineChunk {
    /// The lines, decoded; `display` and `format` are the stream's.
    pub file: SourceFile,
    /// The stream's number for the chunk's first line (1-based).
    pub first_line: usize,
    /// The stream's byte offset of the chunk's first byte.
    pub offset: usize,
}

/// What reading a JSON Lines stream gives, in stream order.
pub enum LinePart {
    /// Whole lines to audit.
    Lines(LineChunk),
    /// A record that was not audited: the line it is on, and why.
    Skipped(usize, String),
}

/// Bytes of whole lines gathered before a chunk is handed on.
const LINE_CHUNK_BYTES: usize = 1 << 20;

/// Reads a JSON Lines file or stream in chunks of whole lines, handing each on to `part`, so
/// memory is bounded by a chunk and the longest record, never by the stream. `max_record`
/// bounds each record (line), not the stream: a longer line is read no further than the limit,
/// passed over to its end and reported, and the lines after it are still read. A chunk that is
/// binary or UTF-16 is reported by its lines and passed over too.
pub fn read_lines(
    candidate: &Candidate,
    max_record: u64,
    part: &mut dyn FnMut(LinePart),
) -> Result<(), Skipped> {
    let skip = |e: &io::Error| Skipped::file(&candidate.display, io_reason(e));
    match &candidate.origin {
        Origin::Stdin => read_line_chunks(&mut io::stdin().lock(), candidate, max_record, part),
        Origin::Path(path) => {
            let file = File::open(path).map_err(|e| skip(&e))?;
            read_line_chunks(&mut io::BufReader::new(file), candidate, max_record, part)
        }
    }
    .map_err(|e| skip(&e))
}

fn read_line_chunks(
    reader: &mut dyn BufRead,
    candidate: &Candidate,
    max_record: u64,
    part: &mut dyn FnMut(LinePart),
) -> io::Result<()> {
    let max_record = usize::try_from(max_record).unwrap_or(usize::MAX);
    let mut chunk = Vec::new();
    let mut first_line = 1;
    let mut offset = 0;
    let mut line = 1;
    loop {
        let start = chunk.len();
        let (consumed, whole) = read_bounded_line(reader, &mut chunk, max_record)?;
        if consumed == 0 {
            break;
        }
        if !whole {
            hand_on(&mut chunk, candidate, first_line, offset, part);
            part(LinePart::Skipped(
                line,
                format!("record larger than --max-file-size ({max_record} bytes)"),
            ));
            offset += start + consumed;
            line += 1;
            first_line = line;
            continue;
        }
        line += 1;
        if chunk.len() >= LINE_CHUNK_BYTES {
            let len = chunk.len();
            hand_on(&mut chunk, candidate, first_line, offset, part);
            offset += len;
            first_line = line;
        }
    }
    hand_on(&mut chunk, candidate, first_line, offset, part);
    Ok(())
}

/// Decodes the lines gathered in `chunk` (emptying it) and hands them on.
fn hand_on(
    chunk: &mut Vec<u8>,
    candidate: &Candidate,
    first_line: usize,
    offset: usize,
    part: &mut dyn FnMut(LinePart),
) {
    if chunk.is_empty() {
        return;
    }
    let lines = chunk.iter().filter(|&&b| b == b'\n').count().max(1);
    match decode(std::mem::take(chunk), offset) {
        Ok((text, warning)) => part(LinePart::Lines(LineChunk {
            file: SourceFile {
                display: candidate.display.clone(),
                format: candidate.format,
                text,
                warning,
                parts: Vec::new(),
            },
            first_line,
            offset,
        })),
        Err(reason) => {
            let last = first_line + lines - 1;
            part(LinePart::Skipped(
                first_line,
                format!("lines {first_line}-{last}: {reason}"),
            ));
        }
    }
}

/// Appends one line (with its `\n`) to `buf` and returns the bytes it took from the reader and
/// whether the line was whole: a line of more than `max` bytes (line break and a `\r` before it
/// not counted) stops being stored at the limit and is read on to its end.
fn read_bounded_line(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<(usize, bool)> {
    let start = buf.len();
    let mut consumed = 0;
    let mut stored = true;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        if stored {
            buf.extend_from_slice(&available[..take]);
            let content = buf[start..]
                .strip_suffix(b"\n")
                .map_or(&buf[start..], |l| l.strip_suffix(b"\r").unwrap_or(l));
            if content.len() > max {
                stored = false;
                buf.truncate(start);
            }
        }
        reader.consume(take);
        consumed += take;
        if done {
            break;
        }
    }
    Ok((consumed, stored))
}

/// Reads at most `max_size` bytes; `None` if there is more.
pub(crate) fn read_limited(reader: impl Read, max_size: u64) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= max_size).then_some(bytes))
}

/// Decodes UTF-8 text; binary and UTF-16 content is refused with a reason. Bytes that are not
/// valid UTF-8 are each replaced by `?`, so every byte offset still points into the original
/// file, and a warning says so (naming offsets from `base`, where the bytes start in the file).
fn decode(bytes: Vec<u8>, base: usize) -> Result<(String, Option<String>), String> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err("UTF-16 text is not supported; convert it to UTF-8".to_string());
    }
    if head.contains(&0) {
        return Err("binary file".to_string());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, None)),
        Err(e) => {
            let first = base + e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let mut text = String::with_capacity(bytes.len());
            let mut replaced = 0;
            for chunk in bytes.utf8_chunks() {
                text.push_str(chunk.valid());
                replaced += chunk.invalid().len();
                text.extend(std::iter::repeat_n('?', chunk.invalid().len()));
            }
            let warning = format!(
                "not valid UTF-8: {replaced} byte(s) replaced by `?` (first at offset {first}); offsets still match the file"
            );
            Ok((text, Some(warning)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_extensions() {
        assert_eq!(Format::from_path(Path::new("a/B.HTML")), Format::Html);
        assert_eq!(Format::from_path(Path::new("page.md")), Format::Markdown);
        assert_eq!(Format::from_path(Path::new("x.label")), Format::Label);
        assert_eq!(Format::from_path(Path::new("notes")), Format::Text);
    }

    #[test]
    fn binary_is_refused_and_bad_utf8_is_replaced_byte_for_byte() {
        assert_eq!(
            decode(b"ab\0cd".to_vec(), 0),
            Err("binary file".to_string())
        );
        let (text, warning) = decode(b"ok \xff\xfe caf\xe9!".to_vec(), 0).unwrap();
        assert_eq!(text, "ok ?? caf?!");
        assert_eq!(text.len(), 11, "one byte for one byte");
        assert!(
            warning
                .unwrap()
                .contains("3 byte(s) replaced by `?` (first at offset 3)")
        );
        assert_eq!(
            decode("é".as_bytes().to_vec(), 0),
            Ok(("é".to_string(), None))
        );
        assert!(
            decode(b"\xff\xfeh\0i\0".to_vec(), 0)
                .unwrap_err()
                .starts_with("UTF-16")
        );
    }

    #[test]
    fn a_line_over_the_limit_is_read_past_not_stored() {
        let mut reader = &b"12345\r\n123456\nlast"[..];
        let mut buf = Vec::new();
        assert_eq!(
            read_bounded_line(&mut reader, &mut buf, 5).unwrap(),
            (7, true)
        );
        assert_eq!(
            read_bounded_line(&mut reader, &mut buf, 5).unwrap(),
            (7, false)
        );
        assert_eq!(buf, b"12345\r\n", "the long line is not kept");
        assert_eq!(
            read_bounded_line(&mut reader, &mut buf, 5).unwrap(),
            (4, true)
        );
        assert_eq!(
            read_bounded_line(&mut reader, &mut buf, 5).unwrap(),
            (0, true)
        );
        assert_eq!(buf, b"12345\r\nlast");
    }

    #[test]
    fn size_limit_is_exact() {
        assert_eq!(
            read_limited(&b"12345"[..], 5).unwrap(),
            Some(b"12345".to_vec())
        );
        assert_eq!(read_limited(&b"123456"[..], 5).unwrap(), None);
    }
}
