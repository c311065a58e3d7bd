//! Writing a report to `--output FILE`: atomically (a temporary file in the same folder, then a
//! rename), and never over one of the files the run audited.

use crate::report::Report;
use std::io::Write;
use std::path::Path;

/// Writes the rendered report to `path`, refusing to replace an audited file.
pub fn write_report(path: &Path, rendered: &str, report: &Report) -> Result<(), String> {
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
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    temp.write_all(rendered.as_bytes()).map_err(fail)?;
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
