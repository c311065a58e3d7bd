//! `--changed-since REF`: the files, and with `--changed-lines` the lines, that changed since a
//! git ref, as git's own diff says (the `git` command, run in the repository of the first
//! audited path).
//!
//! "Since REF" is since the commit where the current branch left REF (`git merge-base REF
//! HEAD`), up to the working tree: a pull request's commits, uncommitted edits and new files
//! git does not ignore all count, and commits that landed on REF meanwhile do not.

use super::lexical_absolute;
use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What changed since a ref, by absolute file path.
#[derive(Debug, Default)]
pub struct Changes {
    /// The ref as given, for messages.
    pub reference: String,
    files: HashMap<PathBuf, Lines>,
}

/// Which lines of a changed file changed.
#[derive(Debug, PartialEq, Eq)]
enum Lines {
    /// A new file, or one whose diff has no line hunks git can show: every line counts.
    All,
    /// The new file's changed lines (1-based, inclusive), in order.
    Some(Vec<RangeInclusive<usize>>),
}

impl Changes {
    /// Asks git what changed since `reference` in the repository that holds `at` (a file or
    /// folder).
    pub fn since(reference: &str, at: &Path) -> Result<Changes, String> {
        let folder = if at.is_dir() {
            at
        } else {
            at.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        let folder = folder.to_string_lossy();
        let root = PathBuf::from(git(&["-C", &folder, "rev-parse", "--show-toplevel"])?.trim_end());
        let root_name = root.to_string_lossy();
        let base = git(&["-C", &root_name, "merge-base", reference, "HEAD"])
            .map(|out| out.trim().to_string())
            .map_err(|e| format!("cannot compare with `{reference}`: {e}"))?;
        let named = git(&[
            "-C",
            &root_name,
            "diff",
            "--name-status",
            "-z",
            "-M",
            "--diff-filter=d",
            &base,
            "--",
        ])?;
        let untracked = git(&[
            "-C",
            &root_name,
            "ls-files",
            "--others",
            "--exclude-standard",
            "-z",
        ])?;
        let patch = git(&[
            "-C",
            &root_name,
            "-c",
            "core.quotePath=off",
            "diff",
            "-U0",
            "--no-color",
            "--no-ext-diff",
            "-M",
            "--diff-filter=d",
            &base,
            "--",
        ])?;
        let mut hunks = hunks_by_file(&patch);
        let mut files = HashMap::new();
        for (renamed, name) in changed_names(&named) {
            let lines = match (hunks.remove(name), renamed) {
                (Some(ranges), _) => Lines::Some(ranges),
                // A file moved as it was: none of its lines changed.
                (None, true) => Lines::Some(Vec::new()),
                (None, false) => Lines::All,
            };
            files.insert(known_path(&root.join(name)), lines);
        }
        for name in untracked.split('\0').filter(|n| !n.is_empty()) {
            files.insert(known_path(&root.join(name)), Lines::All);
        }
        Ok(Changes {
            reference: reference.to_string(),
            files,
        })
    }

    /// Whether the file changed.
    pub fn has_file(&self, path: &Path) -> bool {
        self.files.contains_key(&known_path(path))
    }

    /// Whether any of the lines `first..=last` of the file changed.
    pub fn touches(&self, path: &Path, first: usize, last: usize) -> bool {
        match self.files.get(&known_path(path)) {
            None => false,
            Some(Lines::All) => true,
            Some(Lines::Some(ranges)) => ranges
                .iter()
                .any(|r| *r.start() <= last && first <= *r.end()),
        }
    }
}

/// A file's path with links resolved, as git names the repository's root (which has them
/// resolved) and as the walk found it; lexical for a path that does not exist.
fn known_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| lexical_absolute(path))
}

/// Runs git and returns what it printed; its own message when it fails.
fn git(args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let message = String::from_utf8_lossy(&out.stderr);
        return Err(format!("git {}: {}", args.join(" "), message.trim()));
    }
    String::from_utf8(out.stdout)
        .map_err(|_| format!("git {}: output is not UTF-8", args.join(" ")))
}

/// The files of `git diff --name-status -z`, each with whether it was renamed or copied (its
/// entry then names the old path, then the new one, which is the one given).
fn changed_names(listing: &str) -> Vec<(bool, &str)> {
    let mut fields = listing.split('\0').filter(|f| !f.is_empty());
    let mut out = Vec::new();
    while let Some(status) = fields.next() {
        let moved = status.starts_with('R') || status.starts_with('C');
        if moved {
            fields.next();
        }
        if let Some(name) = fields.next() {
            out.push((moved, name));
        }
    }
    out
}

/// The changed lines of each file of a `git diff -U0` patch, by the path after `+++ b/`.
/// A hunk `@@ -a,b +c,d @@` changed lines `c..c+d-1` of the new file; `d` = 0 is a deletion,
/// which leaves no line of the new file to point at.
fn hunks_by_file(patch: &str) -> HashMap<String, Vec<RangeInclusive<usize>>> {
    let mut out: HashMap<String, Vec<RangeInclusive<usize>>> = HashMap::new();
    let mut current: Option<String> = None;
    for line in patch.lines() {
        if let Some(name) = line.strip_prefix("+++ ") {
            current = name.strip_prefix("b/").map(str::to_string);
            if let Some(name) = &current {
                out.entry(name.clone()).or_default();
            }
        } else if let (Some(header), Some(name)) = (line.strip_prefix("@@ "), &current)
            && let Some(range) = new_lines(header)
        {
            out.entry(name.clone()).or_default().push(range);
        }
    }
    out
}

/// The new-file lines of a hunk header's `+c,d` (after `@@ `); `None` for a deletion.
fn new_lines(header: &str) -> Option<RangeInclusive<usize>> {
    let new = header.split(' ').find_map(|part| part.strip_prefix('+'))?;
    let (start, count) = match new.split_once(',') {
        Some((start, count)) => (start.parse::<usize>().ok()?, count.parse::<usize>().ok()?),
        None => (new.parse::<usize>().ok()?, 1),
    };
    (count > 0).then(|| start..=start + count - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunk_headers_give_the_new_files_lines() {
        let patch = "diff --git a/p.html b/p.html\n--- a/p.html\n+++ b/p.html\n\
                     @@ -3 +3 @@\n-old\n+new\n@@ -10,0 +11,2 @@ <p>\n+a\n+b\n@@ -20,2 +21,0 @@\n-x\n-y\n\
                     diff --git a/n.md b/n.md\n--- /dev/null\n+++ b/n.md\n@@ -0,0 +1,4 @@\n+x\n";
        let hunks = hunks_by_file(patch);
        assert_eq!(hunks["p.html"], [3..=3, 11..=12]);
        assert_eq!(hunks["n.md"], [1..=4]);
    }

    #[test]
    fn renamed_files_are_known_by_their_new_name() {
        let listing = "M\0a.html\0R097\0old.md\0new.md\0A\0n.txt\0";
        assert_eq!(
            changed_names(listing),
            [(false, "a.html"), (true, "new.md"), (false, "n.txt")]
        );
    }

    #[test]
    fn a_finding_counts_when_any_of_its_lines_changed() {
        let path = known_path(Path::new("p.html"));
        let mut files = HashMap::new();
        files.insert(path, Lines::Some(vec![3..=3, 11..=12]));
        let changes = Changes {
            reference: "main".into(),
            files,
        };
        assert!(changes.touches(Path::new("./p.html"), 2, 3));
        assert!(changes.touches(Path::new("p.html"), 12, 14));
        assert!(!changes.touches(Path::new("p.html"), 4, 10));
        assert!(!changes.touches(Path::new("q.html"), 1, 100));
        assert!(changes.has_file(Path::new("p.html")));
    }
}
