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

/// Runs an audit of `operands` with `--output target`, returning the exit code and stderr.
fn audit_to(target: &Path, operands: &[&std::ffi::OsStr]) -> (i32, String) {
    let out = overclaim()
        .arg("audit")
        .args(operands)
        .args(["--format", "json", "--output"])
        .arg(target)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn output_never_replaces_a_named_input_even_a_skipped_or_oddly_named_one() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    let binary = pages.join("logo.png");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    let odd = pages.join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
    std::fs::write(&odd, "Heals eczema.").unwrap();
    for target in [&binary, &odd] {
        let (code, stderr) = audit_to(target, &[pages.as_os_str()]);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("refusing to write the report over"),
            "{stderr}"
        );
    }
    let (code, _) = audit_to(&odd, &[odd.as_os_str()]);
    assert_eq!(code, 2, "the operand itself, by a name that is not UTF-8");
    assert_eq!(std::fs::read(&binary).unwrap(), b"\x89PNG\r\n\x1a\n\0\0");
    assert_eq!(std::fs::read_to_string(&odd).unwrap(), "Heals eczema.");
    let leftovers: Vec<_> = std::fs::read_dir(&pages).unwrap().collect();
    assert_eq!(leftovers.len(), 2, "no temporary file is left behind");
}

#[test]
fn output_to_a_stream_is_written_directly_and_a_symlink_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    std::fs::write(&page, "Heals eczema.").unwrap();
    let (code, stderr) = audit_to(Path::new("/dev/null"), &[page.as_os_str()]);
    assert_eq!(code, 1, "a device is written, not replaced: {stderr}");

    let link = dir.path().join("latest.json");
    std::os::unix::fs::symlink("report-1.json", &link).unwrap();
    let (code, _) = audit_to(&link, &[page.as_os_str()]);
    assert_eq!(code, 1);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report-1.json")).unwrap())
            .unwrap();
    assert_eq!(report["summary"]["findings"], 1);
}

#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    // Reading a standard input that never ends keeps the run going until it is stopped.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_overclaim"))
        .args(["audit", "-", "--output"])
        .arg(&target)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let temp_exists = || {
        std::fs::read_dir(dir.path()).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".overclaim-report-")
        })
    };
    let started = std::time::Instant::now();
    while !temp_exists() && started.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(temp_exists(), "the run opened its temporary file");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(!temp_exists(), "the temporary file is removed");
    assert!(!target.exists());
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
fn jsonl_bounds_each_record_not_the_stream() {
    // About 2.4 MB of records (more than one read chunk) under a 100 KB limit, with one record
    // over the limit: every other record is audited, at its own line and bytes.
    let mut input = String::new();
    for i in 0..40_000 {
        if i == 7 {
            input.push_str(&format!(
                "{{\"id\":\"huge\",\"text\":\"{}\"}}\n",
                "x ".repeat(60_000)
            ));
        }
        let copy = if i % 1000 == 999 {
            "Heals eczema."
        } else {
            "Soft, smooth skin."
        };
        input.push_str(&format!("{{\"id\":\"p{i}\",\"text\":\"{copy}\"}}\n"));
    }
    let out = overclaim()
        .args([
            "audit",
            "--jsonl",
            "--format",
            "json",
            "--max-file-size",
            "100000",
        ])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0]["line"], 8);
    assert!(
        skipped[0]["reason"]
            .as_str()
            .unwrap()
            .contains("record larger than --max-file-size")
    );
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 40);
    for f in findings {
        let span = &f["span"];
        let start = span["start"].as_u64().unwrap() as usize;
        let end = span["end"].as_u64().unwrap() as usize;
        assert_eq!(&input[start..end], "Heals eczema");
        let line = input[..start].matches('\n').count() + 1;
        assert_eq!(span["line"].as_u64().unwrap() as usize, line);
        let record = f["record"].as_str().unwrap();
        assert!(
            input
                .lines()
                .nth(line - 1)
                .unwrap()
                .contains(&format!("\"{record}\""))
        );
    }
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

#[test]
fn severities_are_given_per_jurisdiction() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "Erase the years in a week.\n").unwrap();
    let report_of = |extra: &[&str]| -> Value {
        let out = overclaim()
            .current_dir(dir.path())
            .args(["audit", "a.md", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let json = |extra: &[&str]| -> Value {
        report_of(extra)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "absolute.age-reversal")
            .cloned()
            .expect("the age-reversal finding")
    };
    let all = json(&[]);
    assert_eq!(all["severity"], "error");
    assert_eq!(
        all["severities"],
        serde_json::json!({"US": "warning", "EU": "warning", "UK": "error"})
    );
    let us_eu = json(&["--jurisdiction", "US,EU"]);
    assert_eq!(
        us_eu["severity"], "warning",
        "the highest selected, not the UK's"
    );
    assert_eq!(
        us_eu["severities"],
        serde_json::json!({"US": "warning", "EU": "warning"})
    );
    let human = |extra: &[&str]| {
        let out = overclaim()
            .current_dir(dir.path())
            .args(["audit", "a.md", "--color", "never"])
            .args(extra)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let text = human(&[]);
    assert!(
        text.contains("= note: severity: error (UK) · warning (US, EU)"),
        "{text}"
    );
    assert!(
        text.contains("= note: UK: CAP Code") && text.contains("= note: EU: "),
        "{text}"
    );
    assert!(!human(&["--jurisdiction", "US,EU"]).contains("note: severity:"));
    // Positions not checked against the official text are marked in every format that cites
    // them: the UK's CAP Code entry is unverified.
    assert!(text.contains("(uk.cap-code, unverified)"), "{text}");
    let out = overclaim()
        .current_dir(dir.path())
        .args(["audit", "a.md", "--format", "html"])
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        html.contains("(uk.cap-code)</span> <span class=\"status\">unverified</span>"),
        "the HTML report marks it"
    );
    assert_eq!(
        report_of(&[])["positions"]["uk.cap-code"]["status"],
        "unverified"
    );
    // Each selected jurisdiction's severity is in SARIF too.
    let out = overclaim()
        .current_dir(dir.path())
        .args(["audit", "a.md", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "absolute.age-reversal")
        .cloned()
        .unwrap();
    assert_eq!(
        result["properties"]["severities"],
        serde_json::json!({"US": "warning", "EU": "warning", "UK": "error"})
    );
}
