//! Report formats and feeds through the binary: SARIF, GitHub, HTML, `--output`, completions,
//! `--help` examples, JSON Lines and CSV columns.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn overclaim() -> Command {
    let mut cmd = Command::cargo_bin("overclaim").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

const PAGE: &str = "samples/lumiere-exosome-serum.html";

#[test]
fn every_format_renders_the_samples() {
    for format in ["human", "json", "sarif", "github", "html"] {
        let out = overclaim()
            .args(["audit", PAGE, "--format", format, "--color", "never"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(!out.stdout.is_empty(), "{format}");
    }
    let sarif: Value = serde_json::from_slice(
        &overclaim()
            .args(["audit", PAGE, "--format", "sarif"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let github = String::from_utf8(
        overclaim()
            .args(["audit", PAGE, "--format", "github"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        github.lines().all(|l| l.starts_with("::error ")
            || l.starts_with("::warning ")
            || l.starts_with("::notice ")),
        "{github}"
    );
}

#[test]
fn output_writes_the_file_and_refuses_an_audited_input() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.html");
    let out = overclaim()
        .args([
            "audit",
            PAGE,
            "--format",
            "html",
            "--output",
            target.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "the report goes to the file");
    let html = std::fs::read_to_string(&target).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"),
        "{}",
        &html[..40]
    );

    let page = dir.path().join("page.txt");
    std::fs::write(&page, "Guaranteed results.").unwrap();
    let out = overclaim()
        .args([
            "audit",
            page.to_str().unwrap(),
            "--output",
            page.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to write the report over"));
    assert_eq!(
        std::fs::read_to_string(&page).unwrap(),
        "Guaranteed results.",
        "the input is untouched"
    );
}

#[test]
fn no_progress_bar_or_colour_in_pipes() {
    let out = overclaim().args(["audit", "samples/"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\u{1b}'));
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = overclaim().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(
            String::from_utf8(out.stdout).unwrap().contains("overclaim"),
            "{shell}"
        );
    }
}

#[test]
fn help_gives_an_example_for_every_option() {
    let help = String::from_utf8(
        overclaim()
            .args(["audit", "--help"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let options: Vec<&str> = help
        .lines()
        .filter(|l| l.trim_start().starts_with("--") || l.trim_start().starts_with("-o"))
        .collect();
    assert!(options.len() >= 10, "{help}");
    let examples = help.matches("Example:").count();
    // every option except --help and --version carries an example
    assert!(
        examples >= options.len() - 1,
        "{examples} examples for {} options:\n{help}",
        options.len()
    );
}

#[test]
fn jsonl_streams_one_result_per_record() {
    let input = "{\"id\": \"a\", \"html\": \"<p>FDA approved &amp; guaranteed results.</p>\"}\n{\"id\": \"b\", \"markdown\": \"# Hydrating serum\\n\\nSkin feels soft.\"}\n";
    let out = overclaim()
        .args(["audit", "--jsonl"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "a");
    let span = &lines[0]["findings"][0]["span"];
    let text =
        &input[span["start"].as_u64().unwrap() as usize..span["end"].as_u64().unwrap() as usize];
    assert_eq!(
        text, "FDA approved",
        "spans point into the container's own bytes (the JSON Lines input)"
    );
    assert_eq!(span["line"], 1);
    assert_eq!(lines[0]["findings"][0]["record"], "a");
    assert_eq!(lines[1]["summary"]["findings"], 0);
}

#[test]
fn csv_column_findings_name_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("products.csv");
    std::fs::write(&csv, "Handle,Title,Body (HTML)\nserum,Serum,\"<p>Soft, hydrated skin.</p>\"\ncream,Cream,\"<p>Our cream is FDA approved.</p>\"\n").unwrap();
    let out = overclaim()
        .args([
            "audit",
            csv.to_str().unwrap(),
            "--csv-column",
            "Body (HTML)",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["record"], "row 2, column Body (HTML)");
    assert_eq!(
        findings[0]["rule"],
        "regulatory-status.fda-approved-cosmetic"
    );
    let missing = overclaim()
        .args([
            "audit",
            csv.to_str().unwrap(),
            "--csv-column",
            "Body",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&missing.stdout).unwrap();
    assert!(
        report["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("no column `Body` (columns: Handle, Title, Body (HTML))")
    );
    assert!(Path::new(&csv).exists());
}
