//! CSV columns and JSON Lines records as documents of their own: each record goes through the
//! normal run (config, waivers, suppressions, every reporter), its findings point into the
//! container file's own bytes, and they name the record.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn audit(dir: &Path, args: &[&str]) -> (Value, i32, String) {
    let out = Command::cargo_bin("overclaim")
        .unwrap()
        .current_dir(dir)
        .args(["audit", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        report,
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The bytes of the container a finding's span points at.
fn spanned<'a>(container: &'a str, finding: &Value) -> &'a str {
    let at = |k: &str| finding["span"][k].as_u64().unwrap() as usize;
    &container[at("start")..at("end")]
}

const PRODUCTS: &str = "Handle,Title,Body (HTML)\nserum,Serum,\"<p>Soft, hydrated skin.</p>\"\ncream,Cream,\"<p>Our cream is \"\"FDA approved\"\".</p>\"\n";

#[test]
fn a_csv_finding_names_its_row_and_points_at_the_rows_own_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("products.csv"), PRODUCTS).unwrap();
    let (report, code, _) = audit(dir.path(), &["products.csv", "--csv-column", "Body (HTML)"]);
    assert_eq!(code, 1);
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "regulatory-status.fda-approved-cosmetic");
    assert_eq!(finding["record"], "row 2, column Body (HTML)");
    assert_eq!(
        finding["span"]["line"], 3,
        "the row's line, not the header's"
    );
    assert_eq!(spanned(PRODUCTS, finding), "FDA approved");
    let column = PRODUCTS.lines().nth(2).unwrap().find("FDA").unwrap() + 1;
    assert_eq!(finding["span"]["column"], column as u64);
}

#[test]
fn a_key_column_names_the_row() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("products.csv"), PRODUCTS).unwrap();
    let (report, _, _) = audit(
        dir.path(),
        &[
            "products.csv",
            "--csv-column",
            "Body (HTML)",
            "--csv-key",
            "Handle",
        ],
    );
    assert_eq!(
        report["findings"][0]["record"],
        "Handle cream, column Body (HTML)"
    );
}

#[test]
fn records_go_through_waivers_and_suppressions_like_files() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "sku,copy\na1,\"<!-- overclaim-disable-next-line absolute. -->\nA miracle cream.\"\na2,\"A miracle cream, guaranteed results.\"\na3,Boosts collagen.\n";
    std::fs::write(dir.path().join("feed.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join(".overclaim-waivers.yaml"),
        "waivers:\n  - path: feed.csv\n    rule: drug-claim.\n    reviewer: J. Doe\n    reason: reviewed\n    expires: 2999-12-31\n",
    )
    .unwrap();
    let (report, _, _) = audit(
        dir.path(),
        &["feed.csv", "--csv-column", "copy", "--csv-key", "sku"],
    );
    let records: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["record"].as_str().unwrap())
        .collect();
    assert!(
        !records.contains(&"sku a1, column copy"),
        "suppressed inside the cell: {records:?}"
    );
    assert!(records.contains(&"sku a2, column copy"), "{records:?}");
    assert!(
        !records.contains(&"sku a3, column copy"),
        "waived: {records:?}"
    );
    assert_eq!(report["summary"]["suppressed"], 1);
    assert_eq!(report["summary"]["waived"], 1);
}

#[test]
fn json_lines_files_are_containers_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let feed = "{\"id\": \"p1\", \"text\": \"Caf\\u00e9 serum, \\\"FDA approved\\\".\"}\nnot json\n{\"id\": 7, \"markdown\": \"# Soft skin\"}\n";
    std::fs::write(dir.path().join("feed.jsonl"), feed).unwrap();
    let (report, code, _) = audit(dir.path(), &["--jsonl", "feed.jsonl"]);
    assert_eq!(code, 3, "the record that is not JSON was not audited");
    let finding = &report["findings"][0];
    assert_eq!(finding["record"], "p1");
    assert_eq!(spanned(feed, finding), "FDA approved");
    let skipped = &report["skipped"][0];
    assert_eq!(skipped["record"], "line 2");
    assert_eq!(skipped["line"], 2);
    assert!(
        skipped["reason"].as_str().unwrap().starts_with("not JSON"),
        "{skipped}"
    );
    let human = Command::cargo_bin("overclaim")
        .unwrap()
        .current_dir(dir.path())
        .args(["audit", "--jsonl", "--format", "human", "--color", "never"])
        .arg("feed.jsonl")
        .output()
        .unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("feed.jsonl:1:"), "{text}");
}

#[test]
fn a_missing_column_skips_the_file_with_its_columns() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("products.csv"), PRODUCTS).unwrap();
    let (report, _, _) = audit(
        dir.path(),
        &[
            "products.csv",
            "--csv-column",
            "Body",
            "--csv-key",
            "Handle",
        ],
    );
    assert_eq!(
        report["skipped"][0]["reason"],
        "no column `Body` (columns: Handle, Title, Body (HTML))"
    );
}

#[test]
fn a_suppression_inside_a_record_covers_the_records_next_line() {
    let dir = tempfile::tempdir().unwrap();
    let feed = "{\"id\": \"p1\", \"html\": \"<!-- overclaim-disable-next-line regulatory-status. -- legal ok -->\\n<p>FDA approved.</p>\\n<p>Also FDA approved.</p>\"}\n";
    std::fs::write(dir.path().join("feed.jsonl"), feed).unwrap();
    let (report, _, _) = audit(dir.path(), &["--jsonl", "feed.jsonl"]);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(spanned(feed, &findings[0]), "FDA approved");
    assert!(findings[0]["span"]["start"].as_u64().unwrap() > feed.find("Also").unwrap() as u64);
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn human_and_github_output_name_the_record() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("products.csv"), PRODUCTS).unwrap();
    let run = |format: &str| {
        let out = Command::cargo_bin("overclaim")
            .unwrap()
            .current_dir(dir.path())
            .args([
                "audit",
                "products.csv",
                "--csv-column",
                "Body (HTML)",
                "--color",
                "never",
            ])
            .args(["--format", format])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(
        run("human").contains("in record row 2, column Body (HTML)"),
        "{}",
        run("human")
    );
    assert!(run("github").contains("::(row 2, column Body (HTML)) "));
}
