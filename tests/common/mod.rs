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

/// `overclaim serve --port 0 ARGS` running in the project folder; killed when dropped.
pub struct ReviewPage {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub url: String,
}

impl ReviewPage {
    pub fn start(args: &[&str]) -> ReviewPage {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_overclaim"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["serve", "--port", "0"])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("the server says where it is: {line:?}"))
            .trim_end_matches('/')
            .to_string();
        ReviewPage { child, url }
    }
}

impl Drop for ReviewPage {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The paths of the files a JSON report audited, in its order.
pub fn audited_paths(report: &Value) -> Vec<&str> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect()
}
