//! Where a report goes: standard output, or `--output FILE`, written atomically (a temporary
//! file in the same folder, renamed at the end) and never over one of the audited files.

use crate::report::Report;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The report's destination.
pub enum Target {
    /// Standard output.
    Stdout(std::io::Stdout),
    /// A temporary file to be renamed to `path`.
    File {
        /// The final path.
        path: PathBuf,
        /// The temporary file, buffered.
        temp: std::io::BufWriter<tempfile::NamedTempFile>,
    },
}

impl Target {
    /// Opens the destination: a temporary file beside `path`, or standard output.
    pub fn open(path: Option<&Path>) -> Result<Target, String> {
        let Some(path) = path else {
            return Ok(Target::Stdout(std::io::stdout()));
        };
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let temp = tempfile::NamedTempFile::new_in(dir)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(Target::File {
            path: path.to_path_buf(),
            temp: std::io::BufWriter::new(temp),
        })
    }

    /// Where to write.
    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Target::Stdout(out) => out,
            Target::File { temp, .. } => temp,
        }
    }

    /// Finishes: flushes standard output, or moves the temporary file into place unless the
    /// path is one of the audited files (then nothing is written).
    pub fn commit(self, report: &Report) -> Result<(), String> {
        let (path, temp) = match self {
            Target::Stdout(mut out) => {
                return match out.flush() {
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                        Err(format!("cannot write the report: {e}"))
                    }
                    _ => Ok(()),
                };
            }
            Target::File { path, temp } => (path, temp),
        };
        if let Ok(target) = std::fs::canonicalize(&path) {
            let audited = report
                .files
                .iter()
                .filter_map(|f| std::fs::canonicalize(&f.path).ok())
                .any(|f| f == target);
            if audited {
                return Err(format!(
                    "refusing to write the report over {}, one of the audited files",
                    path.display()
                ));
            }
        }
        let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
        let temp = temp.into_inner().map_err(|e| fail(e.into_error()))?;
        temp.as_file().sync_all().map_err(fail)?;
        // A temporary file is private (0600); a report is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).map_or(0o644, |m| m.permissions().mode() & 0o777);
            std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(mode))
                .map_err(fail)?;
        }
        temp.persist(&path).map_err(|e| fail(e.error))?;
        Ok(())
    }
}
