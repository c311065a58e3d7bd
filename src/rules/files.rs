//! Which rule files there are and how a problem in one is located: the built-in files, a
//! user's rule folder, an evidence file, and [`LoadError`] with file, line, column and id.

use std::fmt;

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// One rule file's name and contents.
#[derive(Clone, Debug)]
pub struct RuleSource {
    /// Path shown in errors (`rules/...` for built-in files).
    pub path: String,
    /// Kind of content, from the file's folder.
    pub kind: SourceKind,
    /// The YAML text.
    pub text: String,
    /// 0 for built-in files, 1, 2, … for user rule folders in order: a later layer may redefine
    /// (override) ids of an earlier one.
    pub layer: u8,
}

/// What a rule file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// Rule packs (multi-document YAML).
    Rules,
    /// Word classes.
    Lexicon,
    /// Legal positions.
    Positions,
    /// Studies and topics.
    Evidence,
    /// One jurisdiction of the registry.
    Jurisdiction,
    /// One ingredient family (what a free-from claim names, and its members).
    Family,
}

impl SourceKind {
    /// The kind of a file from its path under a rules folder.
    pub fn from_relative_path(path: &str) -> SourceKind {
        let folder = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        match folder.rsplit('/').next().unwrap_or("") {
            "lexicon" => SourceKind::Lexicon,
            "regulatory" => SourceKind::Positions,
            "evidence" => SourceKind::Evidence,
            "jurisdictions" => SourceKind::Jurisdiction,
            "families" => SourceKind::Family,
            _ => SourceKind::Rules,
        }
    }
}

/// The built-in rule files.
pub fn embedded_sources() -> Vec<RuleSource> {
    EMBEDDED
        .iter()
        .map(|(path, text)| RuleSource {
            path: format!("rules/{path}"),
            kind: SourceKind::from_relative_path(path),
            text: (*text).to_string(),
            layer: 0,
        })
        .collect()
}

/// Every YAML file under a user's rule folder, with kinds from its sub-folders (`lexicon/`,
/// `evidence/`, `regulatory/`, anything else: rule packs).
pub fn sources_from_dir(dir: &std::path::Path, layer: u8) -> Result<Vec<RuleSource>, LoadError> {
    let fail = |path: &std::path::Path, message: String| LoadError {
        path: path.display().to_string(),
        line: None,
        column: None,
        id: None,
        message,
    };
    if !dir.is_dir() {
        return Err(fail(dir, "no such rule folder".to_string()));
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| fail(dir, e.to_string()))?;
        let path = entry.path();
        let yaml = path.extension().is_some_and(|x| x == "yaml" || x == "yml");
        // Links are not followed (a found config's folder may not reach outside itself), and a
        // rule file that is one is an error, not a file quietly left out.
        if yaml && entry.path_is_symlink() {
            return Err(fail(
                path,
                "is a symbolic link; rule folders are read without following links (copy the \
                 file in, or name its folder with --rules)"
                    .to_string(),
            ));
        }
        if !entry.file_type().is_file() || !yaml {
            continue;
        }
        let text = super::read_capped(path).map_err(|e| fail(path, e))?;
        let relative = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        out.push(RuleSource {
            path: path.display().to_string(),
            kind: SourceKind::from_relative_path(&relative),
            text,
            layer,
        });
    }
    Ok(out)
}

/// One user evidence file.
pub fn evidence_file(path: &std::path::Path, layer: u8) -> Result<RuleSource, LoadError> {
    let text = super::read_capped(path).map_err(|e| LoadError {
        path: path.display().to_string(),
        line: None,
        column: None,
        id: None,
        message: format!("cannot read evidence file: {e}"),
    })?;
    Ok(RuleSource {
        path: path.display().to_string(),
        kind: SourceKind::Evidence,
        text,
        layer,
    })
}

/// A problem in a rule file, located as precisely as the YAML parser allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// File path.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// Rule (or class, or position) id, when known.
    pub id: Option<String>,
    /// What is wrong, with a suggestion where there is one.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(id) = &self.id {
            write!(f, ": in `{}`", crate::diagnostic::excerpt(id))?;
        }
        write!(f, ": {}", crate::diagnostic::shorten(&self.message))
    }
}

impl LoadError {
    /// An error about a file or folder as a whole.
    pub fn general(path: &str, message: String) -> LoadError {
        LoadError {
            path: path.to_string(),
            line: None,
            column: None,
            id: None,
            message,
        }
    }

    /// An error at the first occurrence of `needle` in the document of `id` (or at the id).
    pub fn at(source: &RuleSource, id: &str, needle: Option<&str>, message: String) -> LoadError {
        Self::at_declaration(source, id, 0, needle, message)
    }

    /// Like [`LoadError::at`], in the `nth` (0-based) document that declares `id` in the file.
    pub fn at_declaration(
        source: &RuleSource,
        id: &str,
        nth: usize,
        needle: Option<&str>,
        message: String,
    ) -> LoadError {
        let (line, column) = locate(&source.text, id, nth, needle);
        LoadError {
            path: source.path.clone(),
            line,
            column,
            id: Some(id.to_string()),
            message,
        }
    }

    pub(super) fn from_yaml(source: &RuleSource, err: &serde_yaml::Error) -> LoadError {
        let location = err.location();
        let line = location.as_ref().map(|l| l.line());
        LoadError {
            path: source.path.clone(),
            line,
            column: location.as_ref().map(|l| l.column()),
            id: line.and_then(|l| id_before_line(&source.text, l)),
            message: strip_location(&err.to_string()),
        }
    }
}

/// serde_yaml appends " at line L column C"; the location is printed separately.
pub(super) fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

/// The `id:` of the document or list item that contains 1-based `line`.
fn id_before_line(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    lines.iter().rev().find_map(|l| {
        let l = l.trim_start().trim_start_matches("- ");
        l.strip_prefix("id:")
            .map(|id| id.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// Line and column of `needle` after the line declaring `id`, or of the id itself.
fn locate(
    text: &str,
    id: &str,
    nth: usize,
    needle: Option<&str>,
) -> (Option<usize>, Option<usize>) {
    let mut seen_id = false;
    let mut declarations = 0;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let declares = trimmed
            .strip_prefix("id:")
            .is_some_and(|v| v.trim().trim_matches(['"', '\'']) == id);
        if declares {
            declarations += 1;
            if declarations <= nth {
                continue;
            }
            if seen_id {
                break;
            }
            seen_id = true;
            if needle.is_none() {
                let col = line.find("id:").unwrap_or(0) + 1;
                return (Some(n + 1), Some(col));
            }
        }
        if seen_id
            && let Some(needle) = needle
            && let Some(col) = line.find(needle)
        {
            return (Some(n + 1), Some(line[..col].chars().count() + 1));
        }
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_folders() {
        assert_eq!(
            SourceKind::from_relative_path("lexicon/verbs.yaml"),
            SourceKind::Lexicon
        );
        assert_eq!(
            SourceKind::from_relative_path("regulatory/eu.yaml"),
            SourceKind::Positions
        );
        assert_eq!(
            SourceKind::from_relative_path("exosomes.yaml"),
            SourceKind::Rules
        );
    }

    #[test]
    fn locate_finds_the_needle_inside_the_rule() {
        let text = "id: a\nmatch: x\n---\nid: b\nmatch:\n  concepts: [verb.nope]\n";
        assert_eq!(locate(text, "b", 0, Some("verb.nope")), (Some(6), Some(14)));
        assert_eq!(locate(text, "b", 0, None), (Some(4), Some(1)));
        assert_eq!(
            locate("id: b\n---\nid: b\n", "b", 1, None),
            (Some(3), Some(1))
        );
        assert_eq!(id_before_line(text, 6), Some("b".to_string()));
    }
}
