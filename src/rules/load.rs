//! Reading rule files: YAML text into the raw schema, then `compile`.
//!
//! The `serde_yaml` calls of the project live here and in `files` (error locations), so
//! replacing the (deprecated) crate touches the loader only.

use super::compile::{self, Compiled, Parsed};
use super::files::{LoadError, RuleSource, SourceKind, strip_location};
use super::raw::{RawPackDefaults, RawRule};
use serde::Deserialize;

/// Reads one YAML document of a settings file (config, waivers) into `T`, with the error located.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    text: &str,
) -> Result<T, LoadError> {
    if let Some(e) = flow_too_deep(&path.display().to_string(), text) {
        return Err(e);
    }
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

/// Deepest flow nesting (`[` and `{`) accepted in a YAML file, the depth of serde_yaml's own
/// recursion limit. The YAML parser's cost grows with the square of the flow depth (a 128 KB
/// run of `[` took 10 to 45 seconds), so deeper files are refused before it sees them.
const MAX_FLOW_DEPTH: usize = 128;

/// The error for a YAML text that opens a flow collection deeper than [`MAX_FLOW_DEPTH`], found
/// by one linear scan that passes over quoted scalars and comments.
pub(crate) fn flow_too_deep(path: &str, text: &str) -> Option<LoadError> {
    let (line, column) = flow_depth_exceeded(text)?;
    Some(LoadError {
        path: path.to_string(),
        line: Some(line),
        column: Some(column),
        id: None,
        message: format!("nested deeper than {MAX_FLOW_DEPTH} levels"),
    })
}

/// The 1-based line and column of the first `[` or `{` that opens a collection deeper than
/// [`MAX_FLOW_DEPTH`]. A bracket counts where a value can start (after a line start, `- `,
/// `? `, `:`, `,` or another bracket); one inside a plain word or a quoted scalar does not.
fn flow_depth_exceeded(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1usize, 0usize);
    // The last character that was not white space, outside scalars; '\n' at a line start.
    let mut last = '\n';
    let mut after_space = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            (line, column) = (line + 1, 0);
            after_space = true;
            if depth == 0 {
                last = '\n';
            }
            continue;
        }
        if c == ' ' || c == '\t' {
            after_space = true;
            continue;
        }
        let value_starts = matches!(last, '\n' | '[' | '{' | ',' | ':' | '-' | '?');
        match c {
            '#' if after_space => {
                // A comment runs to the end of its line.
                for c in chars.by_ref() {
                    if c == '\n' {
                        (line, column) = (line + 1, 0);
                        if depth == 0 {
                            last = '\n';
                        }
                        break;
                    }
                }
                after_space = true;
                continue;
            }
            '\'' | '"' if value_starts => {
                let mut escaped = false;
                for q in chars.by_ref() {
                    column += 1;
                    if q == '\n' {
                        (line, column) = (line + 1, 0);
                    }
                    if c == '"' && q == '\\' && !escaped {
                        escaped = true;
                        continue;
                    }
                    if q == c && !escaped {
                        break;
                    }
                    escaped = false;
                }
                last = 'q';
            }
            '[' | '{' if value_starts => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some((line, column));
                }
                last = c;
            }
            ']' | '}' if depth > 0 => {
                depth -= 1;
                last = c;
            }
            // Indicators only where YAML reads them so: `- `, `? `, `: ` (`:` anywhere in a
            // flow), `,` in a flow. Anything else is part of a plain word.
            '-' | '?' | ':'
                if chars.peek().is_none_or(|n| n.is_whitespace()) || (c == ':' && depth > 0) =>
            {
                last = c;
            }
            ',' if depth > 0 => last = c,
            _ => last = 'w',
        }
        after_space = false;
    }
    None
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

/// Reads a rule, evidence, config or waivers file of at most [`MAX_RULE_FILE`] bytes, reading
/// no further than the limit: a bigger one (or a device that never ends) is refused.
pub fn read_capped(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_RULE_FILE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() > MAX_RULE_FILE {
        return Err(format!(
            "larger than {MAX_RULE_FILE} bytes, the limit for rule, evidence, config and waivers files"
        ));
    }
    String::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_string())
}

/// Parses and compiles rule files; later files override earlier ones by rule id.
///
/// The files are read in parallel (YAML reading is most of start-up), each into its own
/// [`Parsed`], and gathered in source order, so the result is that of reading them one by one.
pub fn load(sources: &[RuleSource]) -> Result<Compiled, Vec<LoadError>> {
    use rayon::prelude::*;
    let reads: Vec<(Parsed, Vec<LoadError>)> = sources
        .par_iter()
        .enumerate()
        .map(|(i, source)| {
            let mut parsed = Parsed::default();
            let mut errors = Vec::new();
            read_source(i, source, &mut parsed, &mut errors);
            (parsed, errors)
        })
        .collect();
    let mut parsed = Parsed::default();
    let mut errors = Vec::new();
    for (one, mut its_errors) in reads {
        parsed.rules.extend(one.rules);
        parsed.lexicons.extend(one.lexicons);
        parsed.positions.extend(one.positions);
        parsed.evidence.extend(one.evidence);
        parsed.jurisdictions.extend(one.jurisdictions);
        parsed.pack_defaults.extend(one.pack_defaults);
        parsed.families.extend(one.families);
        errors.append(&mut its_errors);
    }
    let compiled = compile::compile(sources, parsed, &mut errors);
    if errors.is_empty() {
        Ok(compiled)
    } else {
        Err(errors)
    }
}

/// Reads one rule source (the `i`th) into `parsed`, or its errors into `errors`.
fn read_source(i: usize, source: &RuleSource, parsed: &mut Parsed, errors: &mut Vec<LoadError>) {
    if source.text.len() > MAX_RULE_FILE {
        errors.push(whole_file_error(
            source,
            format!(
                "rule file is {} bytes; the limit is {MAX_RULE_FILE} (split it into several files)",
                source.text.len()
            ),
        ));
        return;
    }
    // User files are checked for pathological nesting before they are read as rules (the
    // typed reading stops at the first wrong type and would not see it).
    if source.layer > 0 {
        if let Some(e) = flow_too_deep(&source.path, &source.text) {
            errors.push(e);
            return;
        }
        if let Some(e) = too_deep(&source.text) {
            errors.push(LoadError::from_yaml(source, &e));
            return;
        }
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
                            errors.push(whole_file_error(
                                source,
                                format!("stopped after {MAX_ERRORS_PER_FILE} errors in this file"),
                            ));
                            break;
                        }
                    }
                }
            }
        }
        SourceKind::Lexicon => read_whole(i, source, &mut parsed.lexicons, errors),
        SourceKind::Positions => read_whole(i, source, &mut parsed.positions, errors),
        SourceKind::Evidence => read_whole(i, source, &mut parsed.evidence, errors),
        SourceKind::Jurisdiction => read_whole(i, source, &mut parsed.jurisdictions, errors),
        SourceKind::Family => read_whole(i, source, &mut parsed.families, errors),
    }
}

/// An error about a whole file, at no line.
fn whole_file_error(source: &RuleSource, message: String) -> LoadError {
    LoadError {
        path: source.path.clone(),
        line: None,
        column: None,
        id: None,
        message,
    }
}

/// Reads a file that is one YAML document into `into`, or its error into `errors`.
fn read_whole<T: serde::de::DeserializeOwned>(
    i: usize,
    source: &RuleSource,
    into: &mut Vec<(usize, T)>,
    errors: &mut Vec<LoadError>,
) {
    match serde_yaml::from_str(&source.text) {
        Ok(read) => into.push((i, read)),
        Err(e) => errors.push(LoadError::from_yaml(source, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_nesting_is_measured_in_one_pass_past_quotes_words_and_comments() {
        let deep = format!("a: {}{}\n", "[".repeat(200), "]".repeat(200));
        assert_eq!(flow_depth_exceeded(&deep), Some((1, 4 + MAX_FLOW_DEPTH)));
        let spread = format!("a:\n  - {}\n", "{b: ".repeat(130));
        assert_eq!(
            flow_depth_exceeded(&spread),
            Some((2, 5 + 4 * MAX_FLOW_DEPTH))
        );
        let harmless = format!(
            "a: \"{0}\"\nb: '{0}'\nc: x{0}\n# {0}\nd: [1, [2, {{e: 3}}]]\n",
            "[".repeat(300)
        );
        assert_eq!(flow_depth_exceeded(&harmless), None);
        let closed = "[]".repeat(1000);
        assert_eq!(flow_depth_exceeded(&closed), None);
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
        assert!(errors[0].starts_with("pack.yaml:2:136:"), "{errors:?}");
        assert!(
            errors[0].contains("nested deeper than 128 levels"),
            "{errors:?}"
        );
        // Block nesting costs the parser nothing extra; its recursion limit still holds.
        let mut blocks = String::from("id: a\ntitle:\n");
        for depth in 1..200 {
            blocks.push_str(&format!("{}- \n", " ".repeat(depth)));
        }
        let errors = rule_errors(&blocks);
        assert!(errors[0].contains("recursion limit exceeded"), "{errors:?}");
    }
}
