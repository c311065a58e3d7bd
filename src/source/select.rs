//! Which files a folder walk takes: copy formats only (CSV and JSON Lines when asked for), or
//! what `--include` names, never what `--exclude` names, and nothing that an ignore file leaves
//! out. A file named on the command line is always taken.
//!
//! Ignore files are `.gitignore`, `.ignore` and `.overclaimignore`, in gitignore syntax (read by
//! the `ignore` crate's matcher), in the walked folders and the folders above them up to the
//! project's root (the folder holding `.git`); in one folder a later file overrides an earlier
//! one, and a deeper folder's files override a shallower one's, as in git and ripgrep.

use super::Format;
use globset::GlobSet;
use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The ignore files read in each folder, in increasing precedence.
const IGNORE_FILES: [&str; 3] = [".gitignore", ".ignore", ".overclaimignore"];

/// Which files found in folders a walk takes.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// `.csv` files too (`--csv-column`).
    pub csv: bool,
    /// `.jsonl` and `.ndjson` files too (`--jsonl`).
    pub jsonl: bool,
    /// `--include`: only files matching one of these, whatever their extension.
    pub include: Option<GlobSet>,
    /// `--exclude`: never files matching one of these.
    pub exclude: Option<GlobSet>,
}

impl Selection {
    /// Whether a file found in the folder `operand` is taken: by `--include` when given (else
    /// by being copy), and not by `--exclude`. Globs see the path relative to the operand.
    pub(crate) fn takes(&self, path: &Path, operand: &Path) -> bool {
        let relative = path.strip_prefix(operand).unwrap_or(path);
        let taken = match &self.include {
            Some(include) => matches(include, relative),
            None => is_copy(path, self),
        };
        taken && !self.exclude.as_ref().is_some_and(|e| matches(e, relative))
    }
}

/// Whether a glob matches the path, a folder it lies in, or (for a glob of a bare name, as in
/// gitignore) the name of either: `legacy` and `legacy/**` both match `legacy/old.md`, and
/// `serum.md` matches it at any depth.
fn matches(globs: &GlobSet, relative: &Path) -> bool {
    relative
        .ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .any(|p| globs.is_match(p) || p.file_name().is_some_and(|name| globs.is_match(name)))
}

/// A glob as the command line gives it, as it is matched: `./pages/` is `pages`.
pub(crate) fn normalised_glob(glob: &str) -> &str {
    let glob = glob.strip_prefix("./").unwrap_or(glob);
    let trimmed = glob.trim_end_matches('/');
    if trimmed.is_empty() { glob } else { trimmed }
}

/// Whether a file found in a folder is copy to audit: a format the extractors know by its
/// extension, plain text named as text, or a table the run asked for.
fn is_copy(path: &Path, selection: &Selection) -> bool {
    if Format::from_path(path) != Format::Text {
        return true;
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("txt" | "text") => true,
        Some("csv") => selection.csv,
        Some("jsonl" | "ndjson") => selection.jsonl,
        _ => false,
    }
}

/// The ignore files of the folders a walk passes through, each folder's read once.
#[derive(Default)]
pub(crate) struct IgnoreFiles {
    by_folder: HashMap<PathBuf, Folder>,
}

/// What one folder holds for the walk: its ignore files, and whether it is the project's root.
struct Folder {
    matcher: Option<Gitignore>,
    is_root: bool,
}

impl IgnoreFiles {
    /// Whether an ignore file in the path's folder or above it leaves the path out.
    pub(crate) fn ignores(&mut self, path: &Path, is_dir: bool) -> bool {
        let Ok(path) = std::path::absolute(path) else {
            return false;
        };
        let Some(parent) = path.parent() else {
            return false;
        };
        for folder in parent.ancestors() {
            let Folder { matcher, is_root } = self.folder(folder);
            if let Some(matcher) = matcher {
                match matcher.matched(&path, is_dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
            if *is_root {
                break;
            }
        }
        false
    }

    fn folder(&mut self, folder: &Path) -> &Folder {
        self.by_folder
            .entry(folder.to_path_buf())
            .or_insert_with(|| {
                let mut builder = GitignoreBuilder::new(folder);
                let mut any = false;
                for name in IGNORE_FILES {
                    let file = folder.join(name);
                    // A line the matcher cannot read is left out, as git leaves it out.
                    if file.is_file() {
                        any = true;
                        let _ = builder.add(file);
                    }
                }
                Folder {
                    matcher: any.then(|| builder.build().ok()).flatten(),
                    is_root: folder.join(".git").exists(),
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_copy_formats_and_tables_when_asked_are_copy() {
        let none = Selection::default();
        for copy in ["a.html", "b.MD", "c.txt", "d.label", "e.docx", "f.odt"] {
            assert!(is_copy(Path::new(copy), &none), "{copy}");
        }
        for other in [
            "main.rs",
            "Cargo.lock",
            "rules.yaml",
            "data.csv",
            "feed.jsonl",
            "README",
        ] {
            assert!(!is_copy(Path::new(other), &none), "{other}");
        }
        let tables = Selection {
            csv: true,
            jsonl: true,
            ..Selection::default()
        };
        assert!(is_copy(Path::new("export.csv"), &tables));
        assert!(is_copy(Path::new("feed.ndjson"), &tables));
    }

    #[test]
    fn include_and_exclude_globs_see_the_path_below_the_folder() {
        let set = |glob: &str| {
            Some(
                globset::GlobSetBuilder::new()
                    .add(
                        globset::GlobBuilder::new(glob)
                            .literal_separator(true)
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
        };
        let liquid = Selection {
            include: set("*.liquid"),
            exclude: set("legacy/**"),
            ..Selection::default()
        };
        let operand = Path::new("shop");
        assert!(liquid.takes(Path::new("shop/templates/product.liquid"), operand));
        assert!(!liquid.takes(Path::new("shop/templates/product.md"), operand));
        assert!(!liquid.takes(Path::new("shop/legacy/old.liquid"), operand));
        let no_drafts = Selection {
            exclude: set("drafts/**"),
            ..Selection::default()
        };
        assert!(no_drafts.takes(Path::new("shop/pages/a.md"), operand));
        assert!(!no_drafts.takes(Path::new("shop/drafts/a.md"), operand));
        // A folder's name leaves out what is in it; a bare file name matches at any depth.
        let no_modules = Selection {
            exclude: set(normalised_glob("./node_modules/")),
            ..Selection::default()
        };
        assert!(!no_modules.takes(Path::new("shop/node_modules/pkg/readme.md"), operand));
        assert!(no_modules.takes(Path::new("shop/pages/readme.md"), operand));
        let one = Selection {
            include: set("serum.md"),
            ..Selection::default()
        };
        assert!(one.takes(Path::new("shop/pages/serum.md"), operand));
        assert!(!one.takes(Path::new("shop/pages/toner.md"), operand));
        let direct = Selection {
            include: set("pages/*.md"),
            ..Selection::default()
        };
        assert!(direct.takes(Path::new("shop/pages/serum.md"), operand));
        assert!(!direct.takes(Path::new("shop/pages/old/serum.md"), operand));
    }

    #[test]
    fn ignore_files_leave_paths_out_deeper_and_later_ones_winning() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::create_dir_all(dir.join("pages/archive")).unwrap();
        std::fs::write(dir.join(".gitignore"), "build/\n*.draft.md\n").unwrap();
        std::fs::write(dir.join(".overclaimignore"), "pages/archive/\n").unwrap();
        std::fs::write(dir.join("pages/.ignore"), "!keep.draft.md\n").unwrap();
        let mut ignores = IgnoreFiles::default();
        assert!(ignores.ignores(&dir.join("build"), true));
        assert!(ignores.ignores(&dir.join("pages/new.draft.md"), false));
        assert!(!ignores.ignores(&dir.join("pages/keep.draft.md"), false));
        assert!(ignores.ignores(&dir.join("pages/archive"), true));
        assert!(!ignores.ignores(&dir.join("pages/serum.md"), false));
    }
}
