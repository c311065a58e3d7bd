//! `--format jsonl` (the default with `--jsonl`): one JSON result line per audited document,
//! written as it is audited, and one error line per record that could not be audited.
//!
//! ```text
//! {"id":"p1","findings":[…],"summary":{"findings":1,"error":1,"warning":0,"info":0}}
//! {"id":"p2","line":2,"error":"not JSON: …"}
//! ```

use super::{Audited, Report, Reporter};
use crate::diagnostic::Skipped;
use serde_json::{Value, json};
use std::io::Write;

/// Streams one line per document.
pub struct JsonLinesReporter<W: Write> {
    out: W,
}

impl<W: Write> JsonLinesReporter<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        JsonLinesReporter { out }
    }
}

/// The `id` of a line: the record's key (a number stays a number), else the path.
fn id(path: &str, record: Option<&str>) -> Value {
    match record {
        Some(key) => match key.parse::<i64>() {
            Ok(n) => json!(n),
            Err(_) => json!(key),
        },
        None => json!(path),
    }
}

impl<W: Write> Reporter for JsonLinesReporter<W> {
    fn document(&mut self, audited: &Audited<'_>) -> std::io::Result<()> {
        // The counts are of every finding, shown or not (`--min-severity`, `--quiet`).
        let [info, warning, error] = audited.counts;
        let line = json!({
            "id": id(audited.path, audited.record),
            "findings": audited.findings,
            "summary": {
                "findings": info + warning + error,
                "error": error,
                "warning": warning,
                "info": info,
            },
        });
        writeln!(self.out, "{line}")?;
        self.out.flush()
    }

    fn skipped(&mut self, skipped: &Skipped) -> std::io::Result<()> {
        let mut line = json!({
            "id": id(&skipped.path, skipped.record.as_deref()),
            "error": skipped.reason,
        });
        if let Some(n) = skipped.line {
            line["line"] = json!(n);
        }
        writeln!(self.out, "{line}")?;
        self.out.flush()
    }

    fn finish(&mut self, _report: &Report) -> std::io::Result<()> {
        self.out.flush()
    }
}
