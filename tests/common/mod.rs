//! What the integration tests that read overclaim's JSON report share. Each test binary uses
//! part of it.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;

/// The report of `overclaim audit --format json --fail-on never ARGS`, run in the project
/// folder; the run must succeed.
pub fn audit_json(args: &[&str]) -> Value {
    let out = Command::cargo_bin("overclaim")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every rule match of a report as `(finding, match)`: each finding itself, then each of its
/// related rules (which carry their own `rule`, `severity`, `span` and `text`).
pub fn rule_matches(report: &Value) -> impl Iterator<Item = (&Value, &Value)> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| {
            let related = f["related"].as_array().into_iter().flatten();
            std::iter::once(f).chain(related).map(move |m| (f, m))
        })
}
