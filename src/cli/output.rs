//! Where a report goes: standard output, or `--output FILE`, written atomically (a temporary
//! file in the same folder, renamed at the end) and never over one of the files named for audit.
//! A target that is no regular file (`/dev/stdout`, a FIFO) is written directly.

use crate::report::Report;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The temporary report file of this run, removed if the run is interrupted (Ctrl-C, SIGTERM,
/// SIGHUP) before it is renamed into place; SIGKILL cannot be caught.
static PENDING: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Removes the pending temporary file when the process is interrupted, then exits with 130.
fn clean_up_on_signals() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        // Without a handler (another one was installed first) an interrupted run may leave
        // its hidden `.overclaim-report-*.tmp`; nothing else depends on it.
        let _ = ctrlc::set_handler(|| {
            if let Ok(mut pending) = PENDING.lock()
                && let Some(path) = pending.take()
            {
                let _ = std::fs::remove_file(path);
            }
            std::process::exit(130);
        });
    });
}

/// Records the temporary file an interruption must remove (or none).
fn set_pending(path: Option<PathBuf>) {
    if let Ok(mut pending) = PENDING.lock() {
        *pending = path;
    }
}

/// The report's destination.
pub enum Target {
    /// Standard output: buffered in large blocks unless it is a terminal, where each line
    /// shows as it is written.
    Stdout(Box<dyn Write>),
    /// A FIFO, a device or a process substitution, written as it is.
    Stream(std::io::BufWriter<std::fs::File>),
    /// A temporary file to be renamed to `path`.
    File {
        /// The final path.
        path: PathBuf,
        /// The temporary file, buffered.
        temp: std::io::BufWriter<tempfile::NamedTempFile>,
    },
}

impl Target {
    /// Opens the destination: standard output, the stream `path` names, or a temporary file
    /// beside the file `path` resolves to (through symlinks). Refuses a path that is one of the
    /// `operands` or an existing file inside one of them, whether or not it turns out readable:
    /// paths are compared as resolved paths, never as display strings.
    pub fn open(path: Option<&Path>, operands: &[PathBuf]) -> Result<Target, String> {
        let Some(path) = path else {
            use std::io::IsTerminal;
            let stdout = std::io::stdout();
            return Ok(Target::Stdout(if stdout.is_terminal() {
                Box::new(stdout)
            } else {
                Box::new(std::io::BufWriter::with_capacity(STDOUT_BUFFER, stdout))
            }));
        };
        let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(format!("cannot write {}: it is a folder", path.display()));
            }
            Ok(meta) if !meta.is_file() => {
                let stream = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(cannot)?;
                return Ok(Target::Stream(std::io::BufWriter::new(stream)));
            }
            _ => {}
        }
        let resolved = resolve(path).map_err(cannot)?;
        // A report this tool wrote earlier into an audited folder is not audited (it is passed
        // over), so writing the new one over it loses no copy.
        let earlier_report = || {
            use std::io::Read;
            let mut bytes = Vec::new();
            std::fs::File::open(&resolved)
                .and_then(|f| f.take(64 << 20).read_to_end(&mut bytes))
                .is_ok_and(|_| crate::report::is_own_report(&String::from_utf8_lossy(&bytes)))
        };
        if let Some(operand) = operands
            .iter()
            .find(|o| names_input(o, &resolved) && !(o.is_dir() && earlier_report()))
        {
            return Err(format!(
                "refusing to write the report over {}: it is {} named for audit",
                path.display(),
                if operand.is_dir() {
                    "a file inside a folder"
                } else {
                    "a file"
                }
            ));
        }
        let dir = resolved.parent().unwrap_or(Path::new("."));
        // A hidden, recognisable name: a later audit of the folder passes over it, and a user
        // who finds one left by a killed run knows what it is.
        // The name is recorded for the signal handler before the file exists, so no signal can
        // fall between creating it and knowing to remove it.
        clean_up_on_signals();
        let temp = tempfile::Builder::new()
            .prefix(".overclaim-report-")
            .suffix(".tmp")
            .make_in(dir, |path| {
                set_pending(Some(path.to_path_buf()));
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)
            })
            .map_err(cannot)?;
        Ok(Target::File {
            path: resolved,
            temp: std::io::BufWriter::new(temp),
        })
    }

    /// Where to write.
    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Target::Stdout(out) => out,
            Target::Stream(out) => out,
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
            Target::Stream(mut out) => {
                return out
                    .flush()
                    .map_err(|e| format!("cannot write the report: {e}"));
            }
            Target::File { path, temp } => (path, temp),
        };
        let result = Self::persist(&path, temp, report);
        set_pending(None);
        result
    }

    /// Moves the temporary file onto `path`, unless `path` is one of the audited files.
    fn persist(
        path: &Path,
        temp: std::io::BufWriter<tempfile::NamedTempFile>,
        report: &Report,
    ) -> Result<(), String> {
        if let Ok(target) = std::fs::canonicalize(path) {
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
            let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
            std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(mode))
                .map_err(fail)?;
        }
        temp.persist(path).map_err(|e| fail(e.error))?;
        Ok(())
    }
}

/// Bytes gathered before a write to a standard output that is no terminal (a pipe or a file):
/// a report is many short lines, and one write per line cost a tenth of a run.
const STDOUT_BUFFER: usize = 256 * 1024;

/// Symlinks followed at most from a report path to the file it names.
const SYMLINK_HOPS: usize = 40;

/// The path a report at `path` lands on: the file a symlink points to, or, for a new file, the
/// resolved folder and the name.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    if path.exists() {
        return std::fs::canonicalize(path);
    }
    // A dangling symlink names the file the report creates: follow it, not replace it.
    let mut path = path.to_path_buf();
    for _ in 0..SYMLINK_HOPS {
        let Ok(link) = std::fs::read_link(&path) else {
            break;
        };
        path = match path.parent() {
            Some(parent) => parent.join(link),
            None => link,
        };
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("no file name"))?;
    Ok(std::fs::canonicalize(dir)?.join(name))
}

/// Whether the resolved report path is the operand itself, or an existing file inside an operand
/// folder (which the walk reads, or reports as skipped).
fn names_input(operand: &Path, resolved: &Path) -> bool {
    let Ok(operand) = std::fs::canonicalize(operand) else {
        return false;
    };
    operand == resolved || (operand.is_dir() && resolved.exists() && resolved.starts_with(&operand))
}
