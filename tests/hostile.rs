//! Bad and hostile input: nothing crashes, nothing hangs, nothing is lost. Each case is reported
//! (skipped with a reason, or audited with a warning), the run goes on, and the exit code
//! follows the rules.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn audit(dir: &Path, args: &[&str]) -> (Value, i32, String) {
    let out = Command::cargo_bin("overclaim")
        .unwrap()
        .current_dir(dir)
        .args(["audit", "--format", "json"])
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        report,
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn skipped(report: &Value) -> Vec<(String, String)> {
    report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn unreadable_kinds_of_file_are_skipped_with_reasons_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a-empty.txt"), "").unwrap();
    std::fs::write(d.join("b-binary.html"), b"%PDF-1.7\n\0\0\x01binary").unwrap();
    std::fs::write(d.join("c-utf16.txt"), b"\xff\xfeG\0u\0a\0r\0").unwrap();
    std::fs::write(d.join("d-huge.txt"), "Guaranteed results. ".repeat(600)).unwrap();
    std::os::unix::fs::symlink(d.join("nowhere.txt"), d.join("e-dangling.txt")).unwrap();
    std::fs::write(d.join("f-page.txt"), "Guaranteed results.").unwrap();
    let (report, code, _) = audit(d, &[".", "--max-file-size", "10000"]);
    assert_eq!(code, 3, "skipped files leave the run incomplete");
    let reasons = skipped(&report);
    let reason_of = |name: &str| {
        reasons
            .iter()
            .find(|(p, _)| p.ends_with(name))
            .map(|(_, r)| r.as_str())
    };
    assert_eq!(reason_of("b-binary.html"), Some("binary file"));
    assert_eq!(
        reason_of("c-utf16.txt"),
        Some("UTF-16 text is not supported; convert it to UTF-8")
    );
    assert_eq!(
        reason_of("d-huge.txt"),
        Some("larger than --max-file-size (10000 bytes)")
    );
    assert!(
        reason_of("e-dangling.txt")
            .is_some_and(|r| r.contains("No such file") || r.contains("no such file")),
        "{reasons:?}"
    );
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        vec!["./a-empty.txt", "./f-page.txt"],
        "the empty file is audited (and clean)"
    );
}

#[test]
fn a_path_that_does_not_exist_exits_2_after_auditing_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.txt"), "Skin feels soft.").unwrap();
    let (report, code, stderr) = audit(dir.path(), &["page.txt", "missing.html"]);
    assert_eq!(code, 2);
    assert_eq!(
        skipped(&report),
        vec![(
            "missing.html".to_string(),
            "no such file or directory".to_string()
        )]
    );
    assert_eq!(report["files"].as_array().unwrap().len(), 1);
    assert!(stderr.is_empty() || !stderr.contains("panicked"));
}

#[test]
fn permission_denied_is_a_reason_too() {
    // Root reads everything, so this case can only be observed as another user.
    if unsafe_is_root() {
        eprintln!("skipped: running as root, file permissions do not apply");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.txt");
    std::fs::write(&path, "Guaranteed.").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (report, _, _) = audit(dir.path(), &["secret.txt"]);
    assert_eq!(skipped(&report)[0].1, "permission denied");
}

fn unsafe_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"))
}

#[test]
fn invalid_utf8_is_replaced_byte_for_byte_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("latin1.txt"),
        b"Caf\xe9 cr\xe8me.\nOur serum is FDA approved.\n",
    )
    .unwrap();
    let (report, code, _) = audit(dir.path(), &["latin1.txt"]);
    assert_eq!(code, 1);
    assert!(
        report["files"][0]["warning"]
            .as_str()
            .unwrap()
            .contains("2 byte(s) replaced by `?`")
    );
    let f = &report["findings"][0];
    let source = std::fs::read(dir.path().join("latin1.txt")).unwrap();
    let (start, end) = (
        f["span"]["start"].as_u64().unwrap() as usize,
        f["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        &source[start..end],
        b"FDA approved",
        "offsets point into the original bytes"
    );
    assert_eq!(
        (f["span"]["line"].as_u64(), f["span"]["column"].as_u64()),
        (Some(2), Some(14))
    );
}

#[test]
fn bom_and_crlf_keep_lines_and_columns_exact() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bom.txt"),
        "\u{FEFF}FDA approved serum.\r\nSkin feels soft.\r\nIt is FDA approved.\r\n",
    )
    .unwrap();
    let (report, _, _) = audit(dir.path(), &["bom.txt"]);
    let spans: Vec<(u64, u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "regulatory-status.fda-approved-cosmetic")
        .map(|f| {
            (
                f["span"]["start"].as_u64().unwrap(),
                f["span"]["line"].as_u64().unwrap(),
                f["span"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(spans, vec![(3, 1, 1)]);
    // The status claim is reported once per page, with its other place.
    let again = &report["findings"][0]["also_at"][0];
    assert_eq!(
        (&again["start"], &again["line"], &again["column"]),
        (&48.into(), &3.into(), &7.into())
    );
    let human = Command::cargo_bin("overclaim")
        .unwrap()
        .current_dir(dir.path())
        .args(["audit", "bom.txt", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("bom.txt:1:1"),
        "the terminal counts columns as JSON does: {text}"
    );
    assert!(
        text.contains("and 1 more place on this page: 3:7"),
        "{text}"
    );
    assert!(!text.contains('\u{FEFF}'));
}

#[test]
fn deeply_nested_html_and_a_five_megabyte_line_finish() {
    let dir = tempfile::tempdir().unwrap();
    let nested = format!(
        "{}<p>Our cream is FDA approved.</p>{}",
        "<div>".repeat(10_000),
        "</div>".repeat(10_000)
    );
    std::fs::write(dir.path().join("nested.html"), nested).unwrap();
    let line = "Skin feels soft and looks smooth, ".repeat(150_000) + "and it is FDA approved.";
    assert!(line.len() > 5_000_000);
    std::fs::write(dir.path().join("line.txt"), line).unwrap();
    let started = std::time::Instant::now();
    let (report, code, _) = audit(dir.path(), &["nested.html", "line.txt"]);
    assert_eq!(code, 1);
    assert!(skipped(&report).is_empty(), "{:?}", skipped(&report));
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules
            .iter()
            .filter(|r| **r == "regulatory-status.fda-approved-cosmetic")
            .count(),
        2,
        "{rules:?}"
    );
    eprintln!("nested HTML and a 5 MB line took {:?}", started.elapsed());
}

#[test]
fn symlink_loops_are_reported_not_followed_forever() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("pages")).unwrap();
    std::fs::write(dir.path().join("pages/page.txt"), "Guaranteed results.").unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("pages/loop")).unwrap();
    let (report, code, _) = audit(dir.path(), &["pages"]);
    assert_eq!(code, 3, "the loop is reported as not audited");
    assert!(
        skipped(&report)
            .iter()
            .any(|(p, r)| p.ends_with("loop") && r == "symlink loop"),
        "{:?}",
        skipped(&report)
    );
    assert_eq!(report["files"].as_array().unwrap().len(), 1);
}

#[test]
fn a_folder_of_twenty_thousand_small_files() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..20_000 {
        let text = if i % 1000 == 0 {
            "Guaranteed results."
        } else {
            "Skin feels soft."
        };
        std::fs::write(dir.path().join(format!("p{i:05}.txt")), text).unwrap();
    }
    let (report, code, _) = audit(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["files"], 20_000);
    assert_eq!(report["summary"]["findings"], 20);
}

#[test]
fn hostile_copy_is_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let page = "<p>Guaranteed results &lt;script&gt;alert(1)&lt;/script&gt; &lt;/textarea&gt; \"quoted\" 'single' \
                <a href=\"javascript:alert(2)\">javascript:alert(3)</a> bell\u{7} esc\u{1b}[31m red.</p>";
    std::fs::write(dir.path().join("evil.html"), page).unwrap();
    let run = |format: &str| {
        let out = Command::cargo_bin("overclaim")
            .unwrap()
            .current_dir(dir.path())
            .args(["audit", "evil.html", "--format", format, "--color", "never"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let html = run("html");
    assert!(!html.contains("<script>alert"), "HTML escapes the copy");
    assert!(!html.contains("</textarea> "), "HTML escapes closing tags");
    assert!(
        !html.contains("href=\"javascript:"),
        "no javascript: link is made"
    );
    assert!(!html.contains('\u{1b}'));
    for format in ["json", "sarif"] {
        let text = run(format);
        let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{format} escapes control characters"
        );
        assert!(
            value.to_string().contains("<script>alert(1)</script>"),
            "{format} keeps the text, escaped as JSON"
        );
    }
    for format in ["human", "github"] {
        let text = run(format);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{format} neutralises control characters"
        );
    }
}

#[test]
fn control_characters_in_message_values_are_made_safe_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    // The evidence rule quotes its cue (`{cue}`: here the whole match, across the escape).
    std::fs::write(
        dir.path().join("cue.txt"),
        "Our exosomes\u{1b}[2J boost collagen production.\n",
    )
    .unwrap();
    for format in ["github", "html", "human", "json", "sarif"] {
        let out = Command::cargo_bin("overclaim")
            .unwrap()
            .current_dir(dir.path())
            .args(["audit", "cue.txt", "--color", "never", "--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("exosomes?[2J boost collagen"),
            "{format}: {text}"
        );
        assert!(!text.contains('\u{1b}'), "{format} carries a raw escape");
    }
}

#[test]
fn a_bidi_override_keeps_columns_the_same_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        "Sale \u{202E}now: our cream is FDA approved.\n",
    )
    .unwrap();
    let (report, _, _) = audit(dir.path(), &["b.txt"]);
    let column = report["findings"][0]["span"]["column"].as_u64().unwrap();
    let human = Command::cargo_bin("overclaim")
        .unwrap()
        .current_dir(dir.path())
        .args(["audit", "b.txt", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains(&format!("b.txt:1:{column}")), "{text}");
    assert!(
        !text.contains('\u{202E}'),
        "the override never reaches the terminal"
    );
    assert!(text.contains("Sale \u{FFFD}now"), "{text}");
}

#[test]
fn config_and_waivers_files_are_size_capped_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.txt"), "Heals eczema.").unwrap();
    let padding = format!("# {}\n", "x".repeat(5 * 1024 * 1024));
    for name in [".overclaim.yaml", ".overclaim-waivers.yaml"] {
        let file = dir.path().join(name);
        std::fs::write(&file, format!("{padding}waivers: []\n")).unwrap();
        let (_, code, stderr) = audit(dir.path(), &["page.txt"]);
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(
            stderr.contains("larger than 4194304 bytes"),
            "{name}: {stderr}"
        );
        assert!(
            stderr.len() < 2_000,
            "no echo of the file: {} bytes",
            stderr.len()
        );
        std::fs::remove_file(file).unwrap();
    }
}

#[test]
fn copy_cannot_hide_behind_a_missing_head_end_tag_svg_or_invisible_letters() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("minified.html"),
        "<html><head><title>Serum</title><body><p>Heals eczema overnight.</p></body></html>",
    )
    .unwrap();
    std::fs::write(
        d.join("badge.html"),
        "<p>Our serum.</p><svg><text x=\"0\">Cures acne in days.</text></svg>",
    )
    .unwrap();
    std::fs::write(
        d.join("sly.txt"),
        "He\u{AD}als ec\u{200B}zema. \u{FF26}\u{FF24}\u{FF21} \u{0430}pproved.",
    )
    .unwrap();
    let (report, code, stderr) = audit(d, &["."]);
    assert_eq!(code, 1, "{stderr}");
    let found = |file: &str, rule: &str| {
        report["findings"].as_array().unwrap().iter().any(|f| {
            f["path"].as_str().unwrap().ends_with(file) && f["rule"].as_str().unwrap() == rule
        })
    };
    assert!(found("minified.html", "drug-claim.disease-treatment"));
    assert!(found("badge.html", "drug-claim.acne-treatment"));
    assert!(found("sly.txt", "drug-claim.disease-treatment"));
    assert!(found("sly.txt", "regulatory-status.fda-approved-cosmetic"));
}

#[test]
fn a_finding_on_a_long_line_quotes_a_window_and_keeps_its_column() {
    let dir = tempfile::tempdir().unwrap();
    let line = format!("{} Heals eczema overnight.", "Soft skin.".repeat(30_000));
    std::fs::write(dir.path().join("minified.txt"), &line).unwrap();
    let out = Command::cargo_bin("overclaim")
        .unwrap()
        .current_dir(dir.path())
        .args(["audit", "minified.txt", "--color", "never"])
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&out.stdout);
    let column = line.find("Heals").unwrap() + 1;
    assert!(
        human.contains(&format!("--> minified.txt:1:{column}")),
        "{}",
        &human[..300.min(human.len())]
    );
    assert!(
        human.len() < 10_000,
        "a window, not the 300 KB line: {} bytes",
        human.len()
    );
}

#[test]
fn a_found_config_cannot_reach_outside_its_project() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("pages")).unwrap();
    std::fs::create_dir_all(dir.path().join("outside")).unwrap();
    std::fs::write(project.join("pages/p.txt"), "Heals eczema.").unwrap();
    std::fs::write(
        project.join(".overclaim.yaml"),
        "rules: [../outside]\nevidence: [/etc/hostname]\n",
    )
    .unwrap();
    let (_, code, stderr) = audit(&project, &["pages"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(".overclaim.yaml:1:9: rule folder `../outside` is outside"),
        "{stderr}"
    );
    assert!(
        stderr.contains(".overclaim.yaml:2:12: evidence file `/etc/hostname`"),
        "{stderr}"
    );

    // The folder named on the command line is allowed; so is a config named with --config.
    std::fs::write(project.join(".overclaim.yaml"), "rules: [../outside]\n").unwrap();
    let (_, code, stderr) = audit(&project, &["pages", "--rules", "../outside"]);
    assert_eq!(code, 1, "{stderr}");
    let (_, code, stderr) = audit(&project, &["pages", "--config", ".overclaim.yaml"]);
    assert_eq!(code, 1, "{stderr}");

    // Discovery stops at the project root: a config above a `.git` folder does not apply.
    std::fs::remove_file(project.join(".overclaim.yaml")).unwrap();
    std::fs::write(
        dir.path().join(".overclaim.yaml"),
        "disable: [drug-claim.]\n",
    )
    .unwrap();
    let (_, code, _) = audit(&project, &["pages"]);
    assert_eq!(code, 0, "without a root the config above applies");
    std::fs::create_dir(project.join(".git")).unwrap();
    let (report, _, _) = audit(&project, &["pages"]);
    assert!(
        report["findings"][0]["rule"]
            .as_str()
            .unwrap()
            .starts_with("drug-claim.")
    );
}

#[cfg(unix)]
#[test]
fn init_never_follows_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    // A dangling link where the config goes, and a link where the rule folder goes.
    std::os::unix::fs::symlink(
        elsewhere.join("planted.yaml"),
        project.join(".overclaim.yaml"),
    )
    .unwrap();
    let init = |dir: &Path| {
        Command::cargo_bin("overclaim")
            .unwrap()
            .args(["init"])
            .arg(dir)
            .output()
            .unwrap()
    };
    let out = init(&project);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    std::fs::remove_file(project.join(".overclaim.yaml")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, project.join("overclaim-rules")).unwrap();
    let out = init(&project);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a folder"));
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "nothing written elsewhere"
    );
    assert!(!project.join(".overclaim.yaml").exists());
}

#[test]
fn rule_files_cannot_drive_the_terminal_through_other_commands() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("x.yaml"),
        "id: brand.escape\ntitle: \"Bad \\e[2J title \\u202E \\x9b here\"\ncategory: absolute\nmatch:\n  any: [wonder balm]\njurisdictions:\n  US: { severity: warning, positions: [us-ftc.deception] }\nmessage: \"Reads \\e]0;pwned\\a as a claim.\"\nwhy: \"It promises\\r too much.\"\nsuggest: say what it does\nexamples:\n  flag: [A wonder balm.]\n  pass: [A balm.]\n",
    )
    .unwrap();
    for args in [
        vec!["explain", "brand.escape"],
        vec!["rules", "list"],
        vec!["rules", "list", "--format", "json"],
    ] {
        let out = Command::cargo_bin("overclaim")
            .unwrap()
            .current_dir(dir.path())
            .args(&args)
            .args(["--rules", "rules"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("brand.escape"), "{args:?}");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202E}') && !text.contains('\u{7}'),
            "{args:?}: {text:?}"
        );
    }
    std::fs::write(dir.path().join("page.txt"), "A wonder balm.\n").unwrap();
    for format in ["html", "sarif", "json", "human", "github"] {
        let out = Command::cargo_bin("overclaim")
            .unwrap()
            .current_dir(dir.path())
            .args([
                "audit", "page.txt", "--rules", "rules", "--color", "never", "--format", format,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("brand.escape"), "{format}");
        let raw = ['\u{1b}', '\u{202E}', '\u{7}', '\u{9b}', '\r'];
        assert!(
            !text.contains(raw),
            "{format} carries a raw control: {text:?}"
        );
    }
    let out = Command::cargo_bin("overclaim")
        .unwrap()
        .args(["explain", "no\u{1b}[31mrule"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\u{1b}'));
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_output_error_in_every_command() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    for args in [
        vec!["explain", "absolute.no-side-effects"],
        vec!["rules", "list"],
        vec!["evidence"],
        vec!["completions", "bash"],
    ] {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("overclaim"))
            .args(&args)
            .stdout(full())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("cannot write output"),
            "{args:?}"
        );
    }
}

#[test]
fn errors_quote_a_short_excerpt_never_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.txt"), "Soft skin.").unwrap();
    let long = "x".repeat(100_000);
    for config in [
        format!("product: {long}\n"),
        format!("{long}: 1\n"),
        format!("disable: [\"{long}\"]\n"),
        format!("ignore: [\"[{long}\"]\n"),
    ] {
        std::fs::write(dir.path().join(".overclaim.yaml"), &config).unwrap();
        let (_, code, stderr) = audit(dir.path(), &["page.txt"]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains(".overclaim.yaml:1:"), "{stderr}");
        assert!(
            stderr.len() < 1_000,
            "{} bytes: {}",
            stderr.len(),
            &stderr[..300]
        );
    }
    std::fs::remove_file(dir.path().join(".overclaim.yaml")).unwrap();
    let header: Vec<String> = (0..50_000).map(|i| format!("c{i}")).collect();
    std::fs::write(
        dir.path().join("p.csv"),
        format!("{}\n1,2\n", header.join(",")),
    )
    .unwrap();
    let (report, code, stderr) = audit(dir.path(), &["p.csv", "--csv-column", "body"]);
    assert_eq!(code, 3, "{stderr}");
    let reason = report["skipped"][0]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("no column `body`") && reason.len() < 1_000,
        "{reason}"
    );
}

#[test]
fn csv_rows_without_the_column_or_with_an_open_quote_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.csv"),
        "Handle,Body\nok,\"<p>Soft skin.</p>\"\nshort\nbad,\"<p>Heals eczema.\nnext,\"<p>FDA approved</p>\"\n",
    )
    .unwrap();
    let (report, code, stderr) = audit(dir.path(), &["t.csv", "--csv-column", "Body"]);
    assert_eq!(code, 3, "{stderr}");
    let reasons: Vec<(String, String)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let record = s["record"].as_str().unwrap().to_string();
            (record, s["reason"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons[0].0 == "row 2" && reasons[0].1.contains("none in column `Body`"));
    assert!(reasons[1].0 == "row 3" && reasons[1].1.contains("never closes"));
    assert!(
        !report["findings"].as_array().unwrap().is_empty(),
        "the open cell is still audited"
    );
}

#[test]
fn jsonl_copy_in_two_fields_or_under_a_repeated_key_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("r.jsonl"),
        "{\"id\":\"a\",\"text\":\"Soft.\",\"html\":\"<p>Heals eczema</p>\"}\n{\"id\":\"b\",\"text\":\"Heals eczema.\",\"text\":\"Soft.\"}\n{\"id\":\"c\",\"text\":\"Soft skin.\"}\n",
    )
    .unwrap();
    let (report, code, stderr) = audit(dir.path(), &["--jsonl", "r.jsonl"]);
    assert_eq!(code, 3, "{stderr}");
    let records: Vec<&str> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["record"].as_str().unwrap())
        .collect();
    assert_eq!(records, vec!["a", "b"]);
}

#[test]
fn a_missing_path_says_so_and_a_linked_rule_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (_, code, stderr) = audit(dir.path(), &["nonexistent.md"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error: a path named on the command line does not exist"),
        "{stderr}"
    );

    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    std::fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
    std::fs::write(dir.path().join("elsewhere/x.yaml"), "id: a.b\n").unwrap();
    std::fs::write(dir.path().join("p.txt"), "Soft.").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            dir.path().join("elsewhere/x.yaml"),
            dir.path().join("rules/x.yaml"),
        )
        .unwrap();
        let (_, code, stderr) = audit(dir.path(), &["p.txt", "--rules", "rules"]);
        assert_eq!(code, 2);
        assert!(
            stderr.contains("rules/x.yaml: is a symbolic link"),
            "{stderr}"
        );
    }
    let out = Command::cargo_bin("overclaim")
        .unwrap()
        .args(["audit", "--jsonl", "--csv-column", "Body", "x.csv"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "--csv-column has no meaning with --jsonl"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn help_to_a_full_disk_is_an_output_error() {
    for flag in ["--help", "--version"] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("overclaim"))
            .arg(flag)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}");
    }
}

#[test]
fn a_report_written_into_the_audited_folder_is_passed_over_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.html"), "<p>Heals eczema.</p>").unwrap();
    for format in ["html", "json", "sarif"] {
        let target = format!("report.{format}");
        for run in 0..2 {
            let out = Command::cargo_bin("overclaim")
                .unwrap()
                .current_dir(dir.path())
                .args(["audit", ".", "--format", format, "--output", &target])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{format} run {run}: {stderr}");
        }
    }
    let (report, code, stderr) = audit(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(
        report["findings"].as_array().unwrap().len(),
        1,
        "only the page is copy"
    );
    assert_eq!(
        stderr.matches("note: passed over").count(),
        0,
        "json goes to stdout: no notes"
    );
    // A page that is copy is still never written over.
    let out = Command::cargo_bin("overclaim")
        .unwrap()
        .current_dir(dir.path())
        .args(["audit", ".", "--output", "page.html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
