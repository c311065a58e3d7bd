//! Adopting overclaim on a catalogue that already has overclaims: a baseline that gates only new
//! findings, audits of what changed since a git ref, and product exports read as they come.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// Runs the binary in `dir`: JSON report (when there is one), exit code, standard output and
/// standard error.
fn overclaim(dir: &Path, args: &[&str]) -> (Value, i32, String, String) {
    let out = Command::cargo_bin("overclaim")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (
        serde_json::from_str(&stdout).unwrap_or(Value::Null),
        out.status.code().unwrap_or(-1),
        stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn rules_of(report: &Value) -> Vec<&str> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect()
}

const SERUM: &str = "<h1>Glow Serum</h1>\n<p>Our serum cures eczema.</p>\n<p>Soft skin.</p>\n";
const CREAM: &str = "# Night Cream\n\nErases wrinkles overnight.\n";

/// A folder with two pages and a copy of the bundled samples.
fn catalogue() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("pages")).unwrap();
    std::fs::write(dir.path().join("pages/serum.html"), SERUM).unwrap();
    std::fs::write(dir.path().join("pages/cream.md"), CREAM).unwrap();
    dir
}

#[test]
fn a_baseline_hides_old_findings_and_shows_a_new_one_after_edits_elsewhere() {
    let dir = catalogue();
    let (_, code, stdout, _) = overclaim(dir.path(), &["baseline", "pages"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains(
            "wrote .overclaim-baseline.json: 2 finding(s) in 2 files (2 files audited now)"
        ),
        "{stdout}"
    );
    let written = std::fs::read_to_string(dir.path().join(".overclaim-baseline.json")).unwrap();
    assert!(written.starts_with("{\"schema\":\"overclaim/baseline@1\""));
    assert!(
        written.contains("\"path\":\"pages/serum.html\""),
        "{written}"
    );
    assert!(
        written.contains("\"claim\":\"our serum cures eczema\""),
        "{written}"
    );

    let (report, code, _, _) = overclaim(dir.path(), &["audit", "pages", "--format", "json"]);
    assert_eq!(code, 0, "everything is in the baseline: {report}");
    assert_eq!(report["summary"]["findings"], 0);
    assert_eq!(report["summary"]["baselined"], 2);
    assert_eq!(report["baseline"]["stale"], serde_json::json!([]));

    // Lines added above, a claim reworded in the same file: only the new claim is reported,
    // and the same pages named another way are still the baseline's.
    let edited = format!("<p>Now with more.</p>\n\n{SERUM}<p>Stops hair loss.</p>\n");
    std::fs::write(dir.path().join("pages/serum.html"), edited).unwrap();
    let (report, code, _, _) = overclaim(dir.path(), &["audit", "./pages/", "--format", "json"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        rules_of(&report),
        ["drug-claim.hair-loss-treatment"],
        "{report}"
    );
    assert_eq!(report["summary"]["baselined"], 2);

    // --no-baseline reports everything; a fixed claim is listed as stale.
    let (report, _, _, _) = overclaim(
        dir.path(),
        &["audit", "pages", "--format", "json", "--no-baseline"],
    );
    assert_eq!(report["summary"]["findings"], 3);
    std::fs::write(
        dir.path().join("pages/cream.md"),
        "# Night Cream\n\nSoft.\n",
    )
    .unwrap();
    let (report, _, stdout, stderr) =
        overclaim(dir.path(), &["audit", "pages", "--color", "never"]);
    assert!(stdout.contains("1 finding"), "{stdout}");
    assert!(stdout.contains("; 1 baselined"), "{stdout}");
    assert!(
        stderr.contains("1 finding(s) in .overclaim-baseline.json no longer occur"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pages/cream.md: absolute.wrinkle-elimination"),
        "{stderr}"
    );
    assert_eq!(report, Value::Null);

    // Written again, the baseline drops the fixed claim and takes the new one.
    let (_, code, stdout, _) = overclaim(dir.path(), &["baseline", "pages"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("2 finding(s) in 1 file (2 files audited now)"),
        "{stdout}"
    );
}

#[test]
fn a_repeated_claim_beyond_the_baselines_count_is_new() {
    let dir = catalogue();
    overclaim(dir.path(), &["baseline", "pages/cream.md"]);
    let twice = format!("{CREAM}\nErases wrinkles overnight.\n");
    std::fs::write(dir.path().join("pages/cream.md"), twice).unwrap();
    let (report, code, _, _) =
        overclaim(dir.path(), &["audit", "pages/cream.md", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["baselined"], 1);
    assert_eq!(report["findings"][0]["span"]["line"], 5, "{report}");
}

#[test]
fn baselining_one_page_keeps_the_rest_and_a_baseline_elsewhere_still_holds_when_moved() {
    let dir = catalogue();
    overclaim(dir.path(), &["baseline", "pages"]);
    std::fs::write(
        dir.path().join("pages/cream.md"),
        format!("{CREAM}\nHeals psoriasis.\n"),
    )
    .unwrap();
    let (_, code, stdout, _) = overclaim(dir.path(), &["baseline", "pages/cream.md"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("3 finding(s) in 2 files (1 file audited now)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("kept 1 earlier entries for files not audited"),
        "{stdout}"
    );
    let (report, code, _, _) = overclaim(dir.path(), &["audit", "pages", "--format", "json"]);
    assert_eq!(
        (code, &report["summary"]["baselined"]),
        (0, &Value::from(3)),
        "{report}"
    );

    // A baseline kept in another folder names pages relative to itself: the repository can
    // be checked out anywhere.
    std::fs::create_dir(dir.path().join("ci")).unwrap();
    overclaim(
        dir.path(),
        &["baseline", "pages", "--output", "ci/baseline.json"],
    );
    let written = std::fs::read_to_string(dir.path().join("ci/baseline.json")).unwrap();
    assert!(
        written.contains("\"path\":\"../pages/cream.md\""),
        "{written}"
    );
    let moved = tempfile::tempdir().unwrap();
    for name in ["pages/serum.html", "pages/cream.md", "ci/baseline.json"] {
        std::fs::create_dir_all(moved.path().join(name).parent().unwrap()).unwrap();
        std::fs::copy(dir.path().join(name), moved.path().join(name)).unwrap();
    }
    let audit_moved = || {
        overclaim(
            moved.path(),
            &[
                "audit",
                "pages",
                "--baseline",
                "ci/baseline.json",
                "--format",
                "json",
            ],
        )
    };
    let (report, code, _, _) = audit_moved();
    assert_eq!(
        (code, &report["summary"]["baselined"]),
        (0, &Value::from(3)),
        "{report}"
    );

    // A page that is gone leaves stale entries; a baseline for other files says so.
    std::fs::remove_file(moved.path().join("pages/cream.md")).unwrap();
    let (report, _, _, _) = audit_moved();
    assert_eq!(
        report["baseline"]["stale"].as_array().unwrap().len(),
        2,
        "{report}"
    );
    std::fs::write(moved.path().join("other.md"), "Soft skin.\n").unwrap();
    let (_, _, _, stderr) = overclaim(
        moved.path(),
        &["audit", "other.md", "--baseline", "ci/baseline.json"],
    );
    assert!(
        stderr.contains("none of the 3 entries of ci/baseline.json is for a file audited"),
        "{stderr}"
    );
}

#[test]
fn a_named_baseline_must_be_one() {
    let dir = catalogue();
    std::fs::write(
        dir.path().join("broken.json"),
        "{\"schema\":\"overclaim/baseline@1\",\n\"findings\":[{]}",
    )
    .unwrap();
    let (_, code, _, stderr) =
        overclaim(dir.path(), &["audit", "pages", "--baseline", "broken.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("broken.json:2:"), "{stderr}");
    assert!(!stderr.contains("rule or config"), "{stderr}");
    // An earlier file that is no baseline is never replaced by one.
    let (_, code, _, stderr) = overclaim(
        dir.path(),
        &["baseline", "pages", "--output", "broken.json"],
    );
    assert_eq!(code, 2, "{stderr}");
    let (_, code, _, stderr) =
        overclaim(dir.path(), &["audit", "pages", "--baseline", "none.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("none.json"), "{stderr}");
    // Rewriting the baseline inside an audited folder is allowed; a page is never overwritten.
    let (_, code, _, _) = overclaim(dir.path(), &["baseline", "."]);
    assert_eq!(code, 0);
    let (_, code, _, _) = overclaim(dir.path(), &["baseline", "."]);
    assert_eq!(code, 0, "the earlier baseline may be replaced");
    let (_, code, _, stderr) = overclaim(
        dir.path(),
        &["baseline", "pages", "--output", "pages/serum.html"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("pages/serum.html")).unwrap(),
        SERUM
    );
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn changed_since_audits_changed_files_and_changed_lines_only_their_new_lines() {
    let dir = catalogue();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "pages"]);
    git(dir.path(), &["checkout", "-q", "-b", "edit"]);

    let (_, code, stdout, _) = overclaim(
        dir.path(),
        &[
            "audit",
            "pages",
            "--changed-since",
            "main",
            "--color",
            "never",
        ],
    );
    assert_eq!(code, 0, "nothing changed is a clean gate: {stdout}");
    assert!(
        stdout.contains("no copy changed (2 files unchanged)"),
        "{stdout}"
    );

    let edited = format!("{SERUM}<p>Stops hair loss.</p>\n");
    std::fs::write(dir.path().join("pages/serum.html"), edited).unwrap();
    git(dir.path(), &["commit", "-q", "-am", "edit"]);
    std::fs::write(dir.path().join("pages/new.txt"), "Heals psoriasis.\n").unwrap();

    let (report, code, _, stderr) = overclaim(
        dir.path(),
        &[
            "audit",
            "pages",
            "--changed-since",
            "main",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        common::audited_paths(&report),
        ["pages/new.txt", "pages/serum.html"],
        "untracked files count"
    );
    assert!(
        stderr.contains("1 file not audited: unchanged since main"),
        "{stderr}"
    );
    assert_eq!(report["summary"]["findings"], 3);

    let (report, _, _, _) = overclaim(
        dir.path(),
        &[
            "audit",
            "pages",
            "--changed-since",
            "main",
            "--changed-lines",
            "--format",
            "json",
        ],
    );
    let mut rules = rules_of(&report);
    rules.sort();
    assert_eq!(
        rules,
        [
            "drug-claim.disease-treatment",
            "drug-claim.hair-loss-treatment"
        ]
    );
    assert_eq!(
        report["summary"]["unchanged_lines"], 1,
        "the eczema claim was there before"
    );

    let (_, code, _, stderr) = overclaim(
        dir.path(),
        &["audit", "pages", "--changed-since", "no-such-ref"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("no-such-ref"), "{stderr}");
    let (_, code, _, stderr) = overclaim(dir.path(), &["audit", "pages", "--changed-lines"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn export_presets_read_their_platforms_columns_and_keys() {
    let dir = tempfile::tempdir().unwrap();
    let shopify = "Handle,Title,Body (HTML),Variant SKU\n\
                   glow-serum,Glow,\"<p>Cures acne.</p>\",GS-1\n\
                   glow-serum,,,GS-2\n\
                   calm,Calm,<p>Soft skin.</p>,C-1\n";
    std::fs::write(dir.path().join("products_export.csv"), shopify).unwrap();
    let (report, code, _, _) = overclaim(
        dir.path(),
        &[
            "audit",
            "products_export.csv",
            "--csv-preset",
            "shopify",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        report["findings"][0]["record"],
        "Handle glow-serum, column Body (HTML)"
    );

    let woo = "ID,Type,SKU,Name,Short description,Description\n\
               11,simple,EX-1,Exo,Clinically proven.,<p>Heals eczema.</p>\n";
    std::fs::write(dir.path().join("wc-product-export.csv"), woo).unwrap();
    let (report, _, _, _) = overclaim(
        dir.path(),
        &[
            "audit",
            "wc-product-export.csv",
            "--csv-preset",
            "woocommerce",
            "--format",
            "json",
        ],
    );
    let records: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["record"].as_str().unwrap())
        .collect();
    assert_eq!(
        records,
        [
            "SKU EX-1, column Description",
            "SKU EX-1, column Short description"
        ],
        "a row's columns in the preset's order"
    );
    let (_, _, stdout, _) = overclaim(
        dir.path(),
        &[
            "audit",
            "wc-product-export.csv",
            "--csv-preset",
            "woocommerce",
            "--key",
            "ID",
            "--format",
            "github",
        ],
    );
    assert!(stdout.contains("(ID 11, column Description)"), "{stdout}");

    let feed = "{\"sku\":\"A-1\",\"html\":\"<p>Heals eczema.</p>\"}\n";
    std::fs::write(dir.path().join("feed.jsonl"), feed).unwrap();
    let (_, _, stdout, _) = overclaim(
        dir.path(),
        &[
            "audit",
            "--jsonl",
            "feed.jsonl",
            "--key",
            "sku",
            "--format",
            "sarif",
        ],
    );
    assert!(stdout.contains("\"record\":\"A-1\""), "{stdout}");

    let (_, code, _, stderr) = overclaim(dir.path(), &["audit", "feed.jsonl", "--key", "sku"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--key names the id column"), "{stderr}");
}

#[test]
fn a_json_lines_feed_gives_every_report_format_and_an_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let feed = "{\"sku\":\"A-1\",\"html\":\"<p>Heals eczema.</p>\"}\n{\"sku\":\"B-2\",\"text\":\"Soft skin.\"}\n";
    std::fs::write(dir.path().join("feed.jsonl"), feed).unwrap();
    for (format, shows) in [
        ("human", "in record A-1"),
        ("github", "(A-1)"),
        ("sarif", "\"record\":\"A-1\""),
        ("json", "\"record\":\"A-1\""),
        ("jsonl", "\"id\":\"A-1\""),
        ("html", "A-1"),
    ] {
        let out = format!("report.{format}");
        let (_, code, _, stderr) = overclaim(
            dir.path(),
            &[
                "audit",
                "--jsonl",
                "feed.jsonl",
                "--key",
                "sku",
                "--color",
                "never",
                "--format",
                format,
                "--output",
                &out,
            ],
        );
        assert_eq!(code, 1, "{format}: {stderr}");
        let written = std::fs::read_to_string(dir.path().join(&out)).unwrap();
        assert!(written.contains(shows), "{format}: {written}");
    }
}

#[test]
fn a_json_lines_result_counts_the_findings_it_does_not_show() {
    let dir = tempfile::tempdir().unwrap();
    let feed = "{\"id\":\"A-1\",\"text\":\"Heals eczema. Clinically proven.\"}\n";
    std::fs::write(dir.path().join("feed.jsonl"), feed).unwrap();
    let (_, _, shown, _) = overclaim(dir.path(), &["audit", "--jsonl", "feed.jsonl"]);
    let (_, code, quiet, _) = overclaim(dir.path(), &["audit", "--jsonl", "feed.jsonl", "--quiet"]);
    assert_eq!(code, 1);
    let shown: Value = serde_json::from_str(shown.trim()).unwrap();
    let quiet: Value = serde_json::from_str(quiet.trim()).unwrap();
    assert_eq!(quiet["findings"], serde_json::json!([]));
    assert_eq!(quiet["summary"], shown["summary"]);
    assert_eq!(shown["summary"]["findings"], 2, "{shown}");
}
