//! Batch feeds: JSON Lines records on standard input (`--jsonl`), one result line out per record.
//! (CSV columns, `--csv-column`, are handled per file in [`crate::audit`].)

use crate::audit::{self, RunSettings};
use crate::config::Config;
use crate::diagnostic::Severity;
use crate::rules::LoadError;
use crate::source::{Format, SourceFile};
use serde_json::{Value, json};
use std::io::{BufRead, Write};
use std::path::Path;

/// Audits every record of a JSON Lines stream, writing one JSON line per record as it goes;
/// returns the severities of all findings.
pub fn audit_jsonl(
    settings: &RunSettings,
    input: impl BufRead,
    mut output: impl Write,
) -> Result<Vec<Severity>, Vec<LoadError>> {
    let config = match settings
        .config
        .clone()
        .or_else(|| Config::find(Path::new(".")))
    {
        Some(path) => Some(Config::load(&path)?),
        None => None,
    };
    let engine = audit::engine_for(settings, config.as_ref())?;
    let policy = config
        .as_ref()
        .map(|c| c.policy_for(Path::new(".")))
        .unwrap_or_default();
    let options = audit::options_for(settings, policy);
    let mut severities = Vec::new();
    for (n, line) in input.lines().enumerate() {
        let result = match line {
            Err(e) => json!({ "line": n + 1, "error": format!("cannot read: {e}") }),
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => match record(&line) {
                Err(e) => json!({ "line": n + 1, "error": e }),
                Ok((id, file)) => match engine.audit_with(&file, &options) {
                    Err(e) => {
                        json!({ "id": id, "line": n + 1, "error": format!("could not parse: {e}") })
                    }
                    Ok(findings) => {
                        severities.extend(findings.iter().map(|f| f.severity));
                        let count =
                            |s: Severity| findings.iter().filter(|f| f.severity == s).count();
                        json!({
                            "id": id,
                            "findings": findings,
                            "summary": {
                                "findings": findings.len(),
                                "error": count(Severity::Error),
                                "warning": count(Severity::Warning),
                                "info": count(Severity::Info),
                            },
                        })
                    }
                },
            },
        };
        let written = writeln!(output, "{result}").and_then(|()| output.flush());
        if written.is_err() {
            break;
        }
    }
    Ok(severities)
}

/// A record's id and its document.
fn record(line: &str) -> Result<(Value, SourceFile), String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    let (format, text) = [
        ("text", Format::Text),
        ("html", Format::Html),
        ("markdown", Format::Markdown),
    ]
    .into_iter()
    .find_map(|(key, format)| value.get(key).and_then(Value::as_str).map(|t| (format, t)))
    .ok_or("a record needs a string field `text`, `html` or `markdown`")?;
    let display = match &id {
        Value::String(s) => s.clone(),
        Value::Null => "<record>".to_string(),
        other => other.to_string(),
    };
    Ok((
        id,
        SourceFile {
            display,
            format,
            text: text.to_string(),
            warning: None,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_result_line_per_record_and_errors_in_place() {
        let input = "{\"id\": \"p1\", \"text\": \"Guaranteed results.\"}\nnot json\n{\"id\": 7, \"html\": \"<p>Fine.</p>\"}\n{\"id\": \"x\"}\n";
        let mut out = Vec::new();
        let settings = RunSettings::default();
        audit_jsonl(&settings, input.as_bytes(), &mut out).unwrap();
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0]["id"], "p1");
        assert!(lines[0]["summary"]["findings"].as_u64().unwrap() >= 1);
        assert!(lines[1]["error"].as_str().unwrap().starts_with("not JSON"));
        assert_eq!(lines[2]["id"], 7);
        assert_eq!(lines[2]["summary"]["findings"], 0);
        assert!(
            lines[3]["error"]
                .as_str()
                .unwrap()
                .contains("`text`, `html` or `markdown`")
        );
    }
}
