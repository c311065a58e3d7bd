//! Reading rule files: which files, parsed how, and how errors are located.
//!
//! Every `serde_yaml` call of the project lives here, so replacing the (deprecated) crate touches
//! one file.

use super::compile::{self, Compiled};
use super::raw::{
    RawDefaults, RawEvidence, RawJurisdictionFile, RawLexicon, RawPackDefaults, RawPositions,
    RawRule,
};
use serde::Deserialize;
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
        if !entry.file_type().is_file() || !yaml {
            continue;
        }
        let text = std::fs::read_to_string(path).map_err(|e| fail(path, e.to_string()))?;
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
    let text = std::fs::read_to_string(path).map_err(|e| LoadError {
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
            write!(f, ": in `{id}`")?;
        }
        write!(f, ": {}", self.message)
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

    fn from_yaml(source: &RuleSource, err: &serde_yaml::Error) -> LoadError {
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
fn strip_location(message: &str) -> String {
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

/// What the files hold, parsed but not yet cross-checked.
#[derive(Default)]
pub struct Parsed {
    /// Rules with the index of their file in the sources.
    pub rules: Vec<(usize, RawRule)>,
    /// Lexicon files.
    pub lexicons: Vec<(usize, RawLexicon)>,
    /// Position files.
    pub positions: Vec<(usize, RawPositions)>,
    /// Evidence files.
    pub evidence: Vec<(usize, RawEvidence)>,
    /// Jurisdiction registry files.
    pub jurisdictions: Vec<(usize, RawJurisdictionFile)>,
    /// Pack defaults, by the index of their file.
    pub pack_defaults: std::collections::HashMap<usize, RawDefaults>,
}

/// Reads one YAML document of a settings file (config, waivers) into `T`, with the error located.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    text: &str,
) -> Result<T, LoadError> {
    serde_yaml::from_str(text).map_err(|e| {
        let location = e.location();
        LoadError {
            path: path.display().to_string(),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            id: None,
            message: strip_location(&e.to_string()),
        }
    })
}

/// The YAML error of a document nested beyond the parser's recursion limit, if any.
fn too_deep(text: &str) -> Option<serde_yaml::Error> {
    // Stop at the first error of any kind: after a syntax error the document stream repeats it
    // forever (found by fuzzing the rule loader).
    serde_yaml::Deserializer::from_str(text)
        .map(serde_yaml::Value::deserialize)
        .find_map(Result::err)
        .filter(|e| e.to_string().contains("recursion limit"))
}

/// Errors reported for one rule file before the rest of it is given up.
const MAX_ERRORS_PER_FILE: usize = 50;

/// Largest rule file accepted: a bigger one is refused rather than parsed.
pub const MAX_RULE_FILE: usize = 4 * 1024 * 1024;

/// Parses and compiles rule files; later files override earlier ones by rule id.
pub fn load(sources: &[RuleSource]) -> Result<Compiled, Vec<LoadError>> {
    let mut parsed = Parsed::default();
    let mut errors = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        if source.text.len() > MAX_RULE_FILE {
            errors.push(LoadError {
                path: source.path.clone(),
                line: None,
                column: None,
                id: None,
                message: format!(
                    "rule file is {} bytes; the limit is {MAX_RULE_FILE} (split it into several files)",
                    source.text.len()
                ),
            });
            continue;
        }
        // User files are checked for pathological nesting before they are read as rules (the
        // typed reading stops at the first wrong type and would not see it).
        if source.layer > 0
            && let Some(e) = too_deep(&source.text)
        {
            errors.push(LoadError::from_yaml(source, &e));
            continue;
        }
        match source.kind {
            SourceKind::Rules => {
                let mut file_errors = 0;
                let mut last_error_at = None;
                // A pack may open with a `defaults:` document (a top-level key at column 0).
                let mut defaults_next = source.text.lines().any(|l| l.starts_with("defaults:"));
                for document in serde_yaml::Deserializer::from_str(&source.text) {
                    let read = if defaults_next {
                        Option::<RawPackDefaults>::deserialize(document).map(|d| {
                            if let Some(d) = d {
                                defaults_next = false;
                                parsed.pack_defaults.insert(i, d.defaults);
                            }
                            None
                        })
                    } else {
                        Option::<RawRule>::deserialize(document)
                    };
                    match read {
                        Ok(Some(rule)) => parsed.rules.push((i, rule)),
                        Ok(None) => {}
                        Err(e) => {
                            // After a syntax error the document stream cannot move on and
                            // repeats it (found by fuzzing): report it once and stop.
                            let at = e.location().map(|l| l.index());
                            if at == last_error_at && at.is_some() {
                                break;
                            }
                            last_error_at = at;
                            errors.push(LoadError::from_yaml(source, &e));
                            file_errors += 1;
                            if file_errors == MAX_ERRORS_PER_FILE {
                                errors.push(LoadError {
                                    path: source.path.clone(),
                                    line: None,
                                    column: None,
                                    id: None,
                                    message: format!(
                                        "stopped after {MAX_ERRORS_PER_FILE} errors in this file"
                                    ),
                                });
                                break;
                            }
                        }
                    }
                }
            }
            SourceKind::Lexicon => match serde_yaml::from_str(&source.text) {
                Ok(lexicon) => parsed.lexicons.push((i, lexicon)),
                Err(e) => errors.push(LoadError::from_yaml(source, &e)),
            },
            SourceKind::Positions => match serde_yaml::from_str(&source.text) {
                Ok(positions) => parsed.positions.push((i, positions)),
                Err(e) => errors.push(LoadError::from_yaml(source, &e)),
            },
            SourceKind::Evidence => match serde_yaml::from_str(&source.text) {
                Ok(evidence) => parsed.evidence.push((i, evidence)),
                Err(e) => errors.push(LoadError::from_yaml(source, &e)),
            },
            SourceKind::Jurisdiction => match serde_yaml::from_str(&source.text) {
                Ok(jurisdiction) => parsed.jurisdictions.push((i, jurisdiction)),
                Err(e) => errors.push(LoadError::from_yaml(source, &e)),
            },
        }
    }
    let compiled = compile::compile(sources, parsed, &mut errors);
    if errors.is_empty() {
        Ok(compiled)
    } else {
        Err(errors)
    }
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

    fn rule_errors(pack: &str) -> Vec<String> {
        let mut sources = crate::rules::test_base();
        sources.push(RuleSource {
            path: "pack.yaml".into(),
            kind: SourceKind::Rules,
            text: pack.into(),
            layer: 1,
        });
        match load(&sources) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        }
    }

    const GOOD: &str = "title: t\ncategory: absolute\nmatch: { any: [guaranteed] }\njurisdictions: { US: { severity: error } }\nmessage: m\nsuggest: s\nexamples: { flag: [Guaranteed.], pass: [Fine.] }\n";

    #[test]
    fn broken_rules_name_file_line_column_and_rule() {
        let pack = format!("id: a.one\n{GOOD}---\nid: a.two\ncolour: red\n{GOOD}");
        let errors = rule_errors(&pack);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("pack.yaml:11:1: in `a.two`: unknown field `colour`"),
            "{}",
            errors[0]
        );

        let pack = format!(
            "id: a.three\n{}",
            GOOD.replace("category: absolute", "category: absolut")
        );
        let errors = rule_errors(&pack);
        assert!(
            errors[0].contains("pack.yaml:3:11: in `a.three`: category: unknown variant `absolut`"),
            "{errors:?}"
        );

        let pack = format!(
            "id: a.four\n{}",
            GOOD.replace("{ any: [guaranteed] }", "{ concepts: [verb.stimulat] }")
        );
        let errors = rule_errors(&pack);
        assert_eq!(
            errors,
            vec![
                "pack.yaml:4:21: in `a.four`: unknown concept `verb.stimulat`; did you mean `verb.stimulate`?"
                    .to_string()
            ]
        );
    }

    #[test]
    fn duplicate_ids_and_every_error_are_reported() {
        let pack = format!(
            "id: a.one\n{GOOD}---\nid: a.one\n{GOOD}---\nid: a.two\nseverity: high\n{GOOD}"
        );
        let errors = rule_errors(&pack);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors
                .iter()
                .any(|e| e.contains("duplicate rule id `a.one`"))
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("unknown field `severity`"))
        );
    }

    #[test]
    fn broken_cross_references_name_file_and_id() {
        let positions = "positions:\n  - { id: us-ftc.deception, jurisdiction: US, authority: FTC, instrument: I, summary: S, url: u, status: verified }\n";
        let evidence = "studies:\n  - { id: kim-2020-x, citation: c, design: rct, level: rct-small, route: topical, trial_type: none, outcomes: o }\ntopics:\n  - id: exosomes.collagen\n    title: t\n    studies: [kim-2020-y]\n    best_level: rct-small\n    supports: plain\n    summary: s\n";
        let pack = format!(
            "id: a.one\nevidence: exosomes.colagen\n{}",
            GOOD.replace(
                "{ severity: error }",
                "{ severity: error, positions: [us-ftc.decepton] }"
            )
        );
        let mut sources = crate::rules::test_base();
        sources.extend([
            RuleSource {
                path: "regulatory/us.yaml".into(),
                kind: SourceKind::Positions,
                text: positions.into(),
                layer: 0,
            },
            RuleSource {
                path: "evidence/e.yaml".into(),
                kind: SourceKind::Evidence,
                text: evidence.into(),
                layer: 0,
            },
            RuleSource {
                path: "pack.yaml".into(),
                kind: SourceKind::Rules,
                text: pack,
                layer: 0,
            },
        ]);
        let errors: Vec<String> = load(&sources)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(errors.contains(&"evidence/e.yaml:6:15: in `exosomes.collagen`: unknown study `kim-2020-y`; did you mean `kim-2020-x`?".to_string()), "{errors:?}");
        assert!(errors.contains(&"pack.yaml:2:11: in `a.one`: unknown evidence topic `exosomes.colagen`; did you mean `exosomes.collagen`?".to_string()), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.starts_with("pack.yaml:6:53:")
                && e.contains(
                    "unknown position `us-ftc.decepton`; did you mean `us-ftc.deception`?"
                )),
            "{errors:?}"
        );
    }

    #[test]
    fn oversized_and_deeply_nested_files_are_refused() {
        let huge = format!("# {}\n", "x".repeat(MAX_RULE_FILE));
        let errors = rule_errors(&huge);
        assert!(errors[0].contains("the limit is"), "{errors:?}");
        let nested = format!("id: a\ntitle: {}{}\n", "[".repeat(500), "]".repeat(500));
        let errors = rule_errors(&nested);
        assert!(errors[0].starts_with("pack.yaml:2:"), "{errors:?}");
        assert!(errors[0].contains("recursion limit exceeded"), "{errors:?}");
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
