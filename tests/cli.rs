//! The binary end to end: exit codes, human and JSON output on the bundled samples (snapshots),
//! standard input, and files that cannot be audited.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn overclaim() -> Command {
    let mut cmd = Command::cargo_bin("overclaim").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    cmd
}

fn json(args: &[&str]) -> (Value, i32) {
    let out = overclaim()
        .args(["audit", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    (value, out.status.code().unwrap())
}

const COMPLIANT: &str = "samples/gentle-hydrating-serum-compliant.html";

#[test]
fn samples_have_findings_and_exit_1() {
    let out = overclaim()
        .args(["audit", "samples/", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let mut names: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
    names.sort();
    // A report without its summary line.
    let findings = |text: &str| -> String {
        let body = text.trim_end_matches('\n');
        body[..body.rfind('\n').map_or(0, |i| i + 1)].to_string()
    };
    let mut together = String::new();
    for name in &names {
        let out = overclaim()
            .args(["audit", &format!("samples/{name}"), "--color", "never"])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        together.push_str(&findings(&text));
        // One snapshot per sample: its findings, then its summary line.
        insta::assert_snapshot!(format!("human_{name}"), text);
    }
    let all = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        findings(&all),
        together,
        "the folder's report is the samples' reports in order"
    );
}

#[test]
fn the_compliant_sample_is_clean_and_exits_0() {
    let out = overclaim()
        .args(["audit", COMPLIANT, "--color", "never"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("no overclaims found in 1 file"), "{stdout}");
}

#[test]
fn json_follows_the_contract_and_points_into_the_original_files() {
    let (report, code) = json(&["samples/"]);
    assert_eq!(code, 1);
    assert_eq!(report["schema"], "overclaim/report@2");
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.len() >= 20, "only {} findings", findings.len());
    assert_eq!(
        report["summary"]["findings"].as_u64().unwrap() as usize,
        findings.len()
    );
    let mut previous = (String::new(), 0);
    for f in findings {
        for key in [
            "path",
            "rule",
            "category",
            "severity",
            "jurisdictions",
            "message",
            "span",
            "text",
            "claim",
            "suggestion",
        ] {
            assert!(!f[key].is_null(), "finding lacks {key}: {f}");
        }
        // What a rule's findings share is in the tables, once: every name resolves there.
        let rule = &report["rules"][f["rule"].as_str().unwrap()];
        assert!(rule["title"].is_string(), "rule table lacks {}", f["rule"]);
        for code in f["jurisdictions"].as_array().unwrap() {
            for id in rule["positions"][code.as_str().unwrap()]
                .as_array()
                .unwrap()
            {
                let position = &report["positions"][id.as_str().unwrap()];
                assert_eq!(position["jurisdiction"], *code, "{id}");
            }
        }
        if let Some(topic) = f["evidence"]["topic"].as_str() {
            assert!(report["evidence"][topic]["studies"].is_array(), "{topic}");
        }
        let path = f["path"].as_str().unwrap().to_string();
        let span = &f["span"];
        let (start, end) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        assert!(
            (path.clone(), start) >= previous,
            "findings are sorted by path, then offset"
        );
        previous = (path.clone(), start);
        // A Word draft's spans point into its text, a block per line, not into the zip package
        // (tests/docx.rs checks them); its findings name their block instead.
        if path.ends_with(".docx") {
            assert!(f["part"].is_string(), "{f}");
            continue;
        }
        let source =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap();
        // The span's line and column are those of its start offset in the original file.
        let before = &source[..start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
        assert_eq!(
            (
                span["line"].as_u64().unwrap() as usize,
                span["column"].as_u64().unwrap() as usize
            ),
            (line, column)
        );
        // Where the file holds the text verbatim, the span is exactly that text.
        let original = &source[start..end];
        let folded: String = original.split_whitespace().collect::<Vec<_>>().join(" ");
        if !original.contains('&') && !original.contains('<') {
            assert_eq!(
                folded,
                f["text"].as_str().unwrap(),
                "span of {} in {path}",
                f["rule"]
            );
        }
    }
}

#[test]
fn json_snapshot_of_an_html_and_a_markdown_page() {
    let (report, code) = json(&[
        "samples/lumiere-exosome-serum.html",
        "samples/post-microneedling-recovery.md",
    ]);
    assert_eq!(code, 1);
    insta::assert_json_snapshot!("json_two_samples", report);
}

#[test]
fn html_entities_map_back_to_their_exact_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("p.html");
    std::fs::write(
        &page,
        "<p>\n  Our serum is FDA&nbsp;approved &amp; clinically proven.</p>",
    )
    .unwrap();
    let (report, _) = json(&[page.to_str().unwrap()]);
    let source = std::fs::read_to_string(&page).unwrap();
    let spans: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            &source[f["span"]["start"].as_u64().unwrap() as usize
                ..f["span"]["end"].as_u64().unwrap() as usize]
        })
        .collect();
    assert!(spans.contains(&"FDA&nbsp;approved"), "{spans:?}");
    assert!(spans.contains(&"clinically proven"), "{spans:?}");
}

#[test]
fn fail_on_sets_the_exit_code() {
    let run = |args: &[&str]| {
        overclaim()
            .arg("audit")
            .args(args)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(run(&["samples/", "--fail-on", "never"]), Some(0));
    assert_eq!(run(&["samples/", "--fail-on", "error"]), Some(1));
    assert_eq!(run(&[COMPLIANT, "--fail-on", "info"]), Some(0));
}

#[test]
fn usage_errors_exit_2() {
    let run = |args: &[&str]| overclaim().args(args).output().unwrap();
    let out = run(&["audit", "samples/", "--jurisdiction", "USA"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown jurisdiction `USA`"));
    assert_eq!(
        run(&["audit", "--format", "xml", "samples/"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["explain", "drug-claim.collagen-stimulatoin"])
            .status
            .code(),
        Some(2)
    );
    let out = run(&["audit", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file or directory"));
}

#[test]
fn jurisdiction_filter_keeps_only_selected_jurisdictions() {
    let (report, _) = json(&["samples/", "--jurisdiction", "EU"]);
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(
            f["jurisdictions"],
            serde_json::json!(["EU"]),
            "{}",
            f["rule"]
        );
    }
}

#[test]
fn stdin_is_audited_as_text() {
    let out = overclaim()
        .args(["audit", "-", "--format", "json"])
        .write_stdin("Our cream is FDA approved and has no side effects.")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["path"], "<stdin>");
    assert!(report["summary"]["findings"].as_u64().unwrap() >= 2);
}

#[test]
fn binary_inputs_are_skipped_and_bad_utf8_is_audited_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    // Named as copy but binary (an image saved with the wrong name): skipped, said so. An
    // image named as one is not copy, and is passed over.
    std::fs::write(dir.path().join("a-logo.txt"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    std::fs::write(dir.path().join("d-photo.png"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    std::fs::write(dir.path().join("b-latin1.txt"), b"caf\xe9 boosts collagen").unwrap();
    std::fs::write(dir.path().join("c-page.txt"), "Guaranteed results.").unwrap();
    let (report, code) = json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 3, "a skipped file leaves the run incomplete");
    let reasons: Vec<&str> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, vec!["binary file"]);
    let files = report["files"].as_array().unwrap();
    assert_eq!(
        files.len(),
        2,
        "the Latin-1 file is audited, with a warning"
    );
    assert!(
        files[0]["warning"]
            .as_str()
            .unwrap()
            .starts_with("not valid UTF-8")
    );
}

#[test]
fn explain_prints_the_rule_with_its_legal_basis() {
    let out = overclaim()
        .args(["explain", "drug-claim.collagen-stimulation"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for part in [
        "drug-claim.collagen-stimulation",
        "Why",
        "Where",
        "US (error)",
        "Flags",
        "Passes",
        "Suggested wording",
    ] {
        assert!(text.contains(part), "missing {part}:\n{text}");
    }
}

#[test]
fn colour_follows_the_color_flag() {
    let run = |color: &str| {
        let out = overclaim()
            .args(["audit", "samples/clinic-faq.html", "--color", color])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(
        run("always").contains("\u{1b}["),
        "--color always styles the output"
    );
    assert!(!run("never").contains("\u{1b}["), "--color never does not");
    let auto = overclaim()
        .args(["audit", "samples/clinic-faq.html"])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8(auto.stdout).unwrap().contains("\u{1b}["),
        "auto: no colour in a pipe"
    );
}

#[test]
fn explain_and_evidence_work_for_every_rule_and_topic() {
    let engine = overclaim::Engine::builtin().unwrap();
    for id in engine.rule_ids() {
        let out = overclaim().args(["explain", id]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "explain {id}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.starts_with(&format!("{id}\n")),
            "explain {id}:\n{text}"
        );
    }
    let list = String::from_utf8(overclaim().arg("evidence").output().unwrap().stdout).unwrap();
    for id in engine.topic_ids() {
        assert!(list.contains(id), "evidence list lacks {id}");
        let out = overclaim().args(["evidence", id]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "evidence {id}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("Best level:") && text.contains("Studies"),
            "evidence {id}:\n{text}"
        );
    }
    let out = overclaim()
        .args(["evidence", "exosomes.colagen"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `exosomes.collagen`?"));
}

#[test]
fn evidence_for_a_topic_lists_its_studies_with_citations() {
    let out = overclaim()
        .args(["evidence", "exosomes.vs-prp"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("one randomised non-inferiority trial of 40 people over 16 weeks"),
        "{text}"
    );
    assert!(
        text.contains("https://doi.org/10.1111/jocd.70208"),
        "{text}"
    );
    assert!(
        text.contains("evidence-strength.superiority-over-non-inferiority-trial"),
        "{text}"
    );
}

#[test]
fn parallel_and_single_threaded_runs_report_the_same_findings() {
    let run = |threads: &str| {
        overclaim()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "audit",
                "samples/",
                "tests/fixtures/",
                "--format",
                "json",
                "--fail-on",
                "never",
            ])
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert!(one.len() > 10_000, "a real report");
    assert_eq!(
        String::from_utf8(one).unwrap(),
        String::from_utf8(run("2")).unwrap()
    );
}

/// The examples README.md gives for the open-class frames and the assertion analysis.
#[test]
fn the_readme_examples_of_frames_and_assertion_hold() {
    let claims = [
        ("Eases carpal tunnel pain.", true),
        ("Calms otitis.", true),
        ("Inhibits elastase.", true),
        ("Lowers blood pressure.", true),
        ("A balm for arthritis in the hands.", true),
        ("Works without needles or surgery.", true),
        ("Ready to say goodbye to rosacea?", true),
        ("Say goodbye to eczema.", true),
        ("The only serum approved by regulators.", true),
        ("Soothes dryness.", false),
        ("For acne-prone skin.", false),
        ("Is exosome therapy FDA approved? No.", false),
        (
            "Under EU law, human-derived exosomes cannot be used in cosmetics.",
            false,
        ),
        ("No product contains live plant stem cells.", false),
        ("Exosomes are tiny vesicles that cells release.", false),
    ];
    for (text, flagged) in claims {
        let out = overclaim()
            .args(["audit", "-", "--format", "json", "--fail-on", "never"])
            .write_stdin(text)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let findings = report["findings"].as_array().unwrap();
        assert_eq!(!findings.is_empty(), flagged, "{text}: {findings:?}");
        for f in findings {
            assert_eq!(f["frame"]["assertion"], "asserted", "{text}");
        }
    }
}

#[test]
fn folders_give_their_copy_files_that_no_ignore_file_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join("pages/old")).unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("src/main.rs"), "// cures eczema\nfn main() {}\n").unwrap();
    std::fs::write(root.join("Cargo.lock"), "cures acne").unwrap();
    std::fs::write(root.join("pages/serum.md"), "It cures eczema.").unwrap();
    std::fs::write(root.join("pages/old/2019.md"), "It cures acne.").unwrap();
    std::fs::write(root.join("pages/draft.tmp.md"), "It cures rosacea.").unwrap();
    std::fs::write(root.join(".gitignore"), "*.tmp.md\n").unwrap();
    std::fs::write(root.join("pages/.overclaimignore"), "old/\n").unwrap();
    let (report, code) = json(&[root.to_str().unwrap()]);
    assert_eq!(code, 1);
    let files = common::audited_paths(&report);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with("pages/serum.md"), "{files:?}");
    // A file named on the command line is audited whatever it is.
    let named = root.join("src/main.rs");
    let (report, _) = json(&[named.to_str().unwrap()]);
    assert_eq!(report["summary"]["files"], 1);

    // A folder with no copy in it is nothing to audit: incomplete, not clean.
    let out = overclaim()
        .args(["audit"])
        .arg(root.join("src"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("nothing to audit")
            && stderr.contains("1 file in the folders was passed over"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to audit"));
}

#[test]
fn include_exclude_min_severity_and_quiet_choose_what_is_read_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("templates/legacy")).unwrap();
    std::fs::write(
        root.join("templates/product.liquid"),
        "It cures eczema. Doctors love it.",
    )
    .unwrap();
    std::fs::write(root.join("templates/legacy/old.liquid"), "It cures acne.").unwrap();
    std::fs::write(
        root.join("templates/notes.md"),
        "It cures rosacea. Doctors recommend it.",
    )
    .unwrap();
    let folder = root.to_str().unwrap();
    let (report, _) = json(&[folder, "--include", "*.liquid", "--exclude", "**/legacy/**"]);
    let files = common::audited_paths(&report);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with("product.liquid"));

    let (all, _) = json(&[folder]);
    let (errors, code) = json(&[folder, "--min-severity", "error"]);
    assert_eq!(code, 1);
    let shown = errors["findings"].as_array().unwrap();
    assert!(!shown.is_empty() && shown.iter().all(|f| f["severity"] == "error"));
    assert!(shown.len() < all["findings"].as_array().unwrap().len());
    assert_eq!(
        errors["summary"], all["summary"],
        "the summary counts every finding"
    );

    let out = overclaim()
        .args(["audit", folder, "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the exit code is unchanged");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("error["), "{stdout}");
    assert!(
        stdout.contains("finding"),
        "the summary is printed: {stdout}"
    );

    let out = overclaim()
        .args(["audit", folder, "--include", "["])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--include `[`"));
}

#[test]
fn a_skip_makes_the_run_incomplete_unless_skips_are_allowed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("logo.txt"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    std::fs::write(dir.path().join("page.txt"), "Clean, gentle and hydrating.").unwrap();
    let folder = dir.path().to_str().unwrap();
    let out = overclaim().args(["audit", folder]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "a clean page beside a skipped file"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("skipped") && stderr.contains("binary file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("incomplete: 1 file or record was not audited"),
        "{stderr}"
    );
    let (_, code) = json(&[folder, "--allow-skips"]);
    assert_eq!(code, 0, "accepted: judged by the findings alone");
    std::fs::write(dir.path().join("claim.txt"), "Heals eczema overnight.").unwrap();
    let (_, code) = json(&[folder]);
    assert_eq!(code, 3, "incomplete wins over findings");
    let (_, code) = json(&[folder, "--allow-skips"]);
    assert_eq!(code, 1);
}

#[test]
fn a_named_fifo_is_read_as_a_stream_and_a_file_named_twice_is_audited_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("copy.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, "Heals eczema overnight.").unwrap())
    };
    let (report, code) = json(&[fifo.to_str().unwrap()]);
    writer.join().unwrap();
    assert_eq!(
        code, 1,
        "a process substitution (`<(…)`) is audited, not ignored"
    );
    assert!(report["summary"]["findings"].as_u64().unwrap() >= 1);

    let page = dir.path().join("page.txt");
    std::fs::write(&page, "Heals eczema overnight.").unwrap();
    let page = page.to_str().unwrap();
    let folder = dir.path().to_str().unwrap();
    let (report, _) = json(&[page, page, folder]);
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .filter(|p| p.ends_with("page.txt"))
        .collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
}

#[test]
fn a_max_file_size_that_would_overflow_is_a_usage_error() {
    for value in ["18446744073709551615", "0", "-1"] {
        let out = overclaim()
            .args(["audit", "samples/", "--max-file-size", value])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(value), "{value}: {stderr}");
    }
}

#[test]
fn a_rules_folder_is_never_audited_as_copy_and_lone_carriage_returns_end_lines() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("house-rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("pack.yaml"),
        "id: brand.no-miracle\ntitle: \"No miracle\"\ncategory: absolute\nmatch:\n  any: [\"miracle\"]\n\
         message: \"No miracle claims.\"\nwhy: \"House style.\"\nsuggest: \"a gentle cream\"\n\
         jurisdictions:\n  US: {}\nexamples:\n  flag: [\"A miracle cream that heals eczema.\"]\n  pass: [\"A gentle cream.\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("page.txt"), "Soft.\rA miracle balm.\r").unwrap();
    let out = overclaim()
        .current_dir(dir.path())
        .args(["audit", ".", "--rules", "house-rules", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["./page.txt"],
        "the rule file's examples are not copy"
    );
    // The built-in miracle rule matches the same words: the house rule is then related.
    let (_, finding) = common::rule_matches(&report)
        .find(|(_, m)| m["rule"] == "brand.no-miracle")
        .expect("the house rule fires on the page");
    assert_eq!(finding["span"]["line"], 2, "a lone CR ends a line");
    assert_eq!(finding["span"]["column"], 3);
}

#[test]
fn show_config_prints_the_settings_of_a_path_and_where_each_came_from() {
    let out = overclaim()
        .args(["audit", "--show-config", "tests/fixtures/brand"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let line = |name: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("no `{name}` line: {text}"))
            .to_string()
    };
    assert!(line("config").contains("brand/.overclaim.yaml"), "{text}");
    let jurisdictions = line("jurisdictions");
    assert!(jurisdictions.contains("US, UK") && jurisdictions.contains(".overclaim.yaml"));
    assert!(line("rules off").contains("absolute.safe-for-all"));
    assert!(line("rule folder").contains("brand-rules"));
    assert!(line("product").contains("cosmetic"));

    let out = overclaim()
        .args([
            "audit",
            "--show-config",
            "samples/lumiere-exosome-serum.html",
        ])
        .args([
            "--jurisdiction",
            "EU",
            "--ignore",
            "absolute.",
            "--product",
            "drug",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("EU  (--jurisdiction)"), "{text}");
    assert!(text.contains("drug  (--product)"), "{text}");
    assert!(text.contains("absolute.  (--ignore)"), "{text}");
    assert!(text.contains("audited") && text.contains("yes"), "{text}");
}
