//! `--format json`: the report contract of design.md (schema `overclaim/report@1`).
//!
//! Findings are streamed one per line as the run produces them, so memory stays flat however
//! many pages are audited; files, the summary and skipped files follow.

use super::{Audited, Report, Reporter};
use std::io::Write;

/// Streams the JSON report.
pub struct JsonReporter<W: Write> {
    out: W,
    started: bool,
    first: bool,
}

impl<W: Write> JsonReporter<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        JsonReporter {
            out,
            started: false,
            first: true,
        }
    }

    fn start(&mut self) -> std::io::Result<()> {
        if !self.started {
            self.started = true;
            write!(
                self.out,
                "{{\"schema\":\"overclaim/report@1\",\"findings\":["
            )?;
        }
        Ok(())
    }
}

impl<W: Write> Reporter for JsonReporter<W> {
    fn document(&mut self, audited: &Audited<'_>) -> std::io::Result<()> {
        self.start()?;
        for finding in audited.findings {
            self.out
                .write_all(if self.first { b"\n" } else { b",\n" })?;
            self.first = false;
            serde_json::to_writer(&mut self.out, finding)?;
        }
        Ok(())
    }

    fn finish(&mut self, report: &Report) -> std::io::Result<()> {
        self.start()?;
        write!(self.out, "\n],\n\"files\":")?;
        serde_json::to_writer(&mut self.out, &report.files)?;
        write!(self.out, ",\n\"summary\":")?;
        serde_json::to_writer(&mut self.out, &report.summary())?;
        write!(self.out, ",\n\"skipped\":")?;
        serde_json::to_writer(&mut self.out, &report.skipped)?;
        writeln!(self.out, "\n}}")?;
        self.out.flush()
    }
}
