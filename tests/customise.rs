//! Rule-file customisation end to end: config files, user rule folders, validation errors with
//! file, line and column, the `rules` and `init` commands, inline suppressions and waivers.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn overclaim(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("overclaim").unwrap();
    cmd.current_dir(dir);
    cmd
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `(file name, line, rule, severity)` of every rule match: each finding's own and its related
/// rules' (a claim matched by several rules is one finding).
fn findings(dir: &Path, args: &[&str]) -> Vec<(String, u64, String, String)> {
    let out = overclaim(dir)
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
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    common::rule_matches(&report)
        .map(|(f, m)| {
            let path = f["path"].as_str().unwrap();
            let name = Path::new(path).file_name().unwrap().to_string_lossy();
            (
                name.into_owned(),
                m["span"]["line"].as_u64().unwrap(),
                m["rule"].as_str().unwrap().to_string(),
                m["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(found: &[(String, u64, String, String)], file: &str, line: u64, rule: &str) -> bool {
    found
        .iter()
        .any(|(f, l, r, _)| f == file && *l == line && r == rule)
}

#[test]
fn the_worked_example_of_the_readme() {
    let brand = root().join("tests/fixtures/brand");
    let found = findings(&brand, &["pages"]);
    // The brand's own randomised trial supports its "clinically shown" hydration claim...
    assert!(
        !has(
            &found,
            "hydraglow.html",
            5,
            "evidence-strength.clinically-shown"
        ),
        "{found:?}"
    );
    // ...but not a clinical claim about wrinkles.
    assert!(
        has(
            &found,
            "hydraglow.html",
            6,
            "evidence-strength.clinically-shown"
        ),
        "{found:?}"
    );
    // Its banned words are flagged.
    assert!(
        has(&found, "hydraglow.html", 7, "brand.banned-words"),
        "{found:?}"
    );
    // A rule it switched off is silent.
    assert!(
        !found
            .iter()
            .any(|(_, _, r, _)| r == "absolute.safe-for-all"),
        "{found:?}"
    );
    // A severity it raised is raised.
    let superlative = found.iter().find(|(f, l, r, _)| {
        f == "hydraglow.html" && *l == 9 && r == "absolute.unverifiable-superlative"
    });
    assert_eq!(
        superlative.map(|x| x.3.as_str()),
        Some("error"),
        "{found:?}"
    );
    // Per-path override: the EU page is judged under EU law only, where the brand rule has no entry.
    assert!(
        !has(&found, "eu-hydraglow.html", 7, "brand.banned-words"),
        "{found:?}"
    );
    assert!(
        has(
            &found,
            "eu-hydraglow.html",
            6,
            "absolute.wrinkle-elimination"
        ),
        "{found:?}"
    );

    // Without the config, the same page gets the built-in judgement.
    let empty = tempfile::NamedTempFile::new().unwrap();
    let plain = findings(
        &brand,
        &[
            "pages/hydraglow.html",
            "--config",
            empty.path().to_str().unwrap(),
        ],
    );
    assert!(
        has(
            &plain,
            "hydraglow.html",
            5,
            "evidence-strength.clinically-shown"
        ),
        "{plain:?}"
    );
    assert!(
        has(&plain, "hydraglow.html", 8, "absolute.safe-for-all"),
        "{plain:?}"
    );
    assert!(
        !plain.iter().any(|(_, _, r, _)| r == "brand.banned-words"),
        "{plain:?}"
    );
}

#[test]
fn ignored_paths_and_the_configs_own_files_are_not_audited() {
    let brand = root().join("tests/fixtures/brand");
    let out = overclaim(&brand)
        .args(["audit", "--format", "json", "--fail-on", "never", "."])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    files.sort();
    assert_eq!(
        files,
        vec!["./pages/eu-hydraglow.html", "./pages/hydraglow.html"]
    );
}

#[test]
fn rule_folders_add_and_override_rules_and_extend_the_lexicon() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("my-rules");
    std::fs::create_dir_all(rules.join("lexicon")).unwrap();
    std::fs::write(
        rules.join("lexicon/extra.yaml"),
        "classes:\n  - id: target.dermal-structure\n    words: [glycation]\n",
    )
    .unwrap();
    std::fs::write(
        rules.join("override.yaml"),
        "id: absolute.miracle-claim\ntitle: t\ncategory: absolute\nmatch: { any: [miracle] }\njurisdictions: { US: { severity: info, positions: [us-ftc.deception] } }\nmessage: Our own wording.\nsuggest: s\nexamples: { flag: [Miracle.], pass: [Fine.] }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("page.txt"),
        "A miracle cream.\n\nIt boosts glycation repair.\n",
    )
    .unwrap();
    let found = findings(dir.path(), &["page.txt", "--rules", "my-rules"]);
    let miracle: Vec<_> = found
        .iter()
        .filter(|(_, _, r, _)| r == "absolute.miracle-claim")
        .collect();
    assert_eq!(miracle.len(), 1);
    assert_eq!(
        miracle[0].3, "info",
        "the user's rule replaced the built-in one"
    );
    assert!(
        has(&found, "page.txt", 3, "drug-claim.collagen-stimulation"),
        "the lexicon class gained a word: {found:?}"
    );

    let only = findings(
        dir.path(),
        &["page.txt", "--rules", "my-rules", "--no-default-rules"],
    );
    let rules: Vec<&str> = only.iter().map(|(_, _, r, _)| r.as_str()).collect();
    assert_eq!(rules, vec!["absolute.miracle-claim"]);
}

/// Stderr of a run that must fail with exit code 2.
fn config_errors(dir: &Path, args: &[&str]) -> String {
    let out = overclaim(dir).args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn broken_rule_files_report_every_error_with_file_line_column_and_id() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("bad");
    std::fs::create_dir_all(&rules).unwrap();
    let good = "title: t\ncategory: absolute\nmatch: { any: [x] }\njurisdictions: { US: { severity: warning, positions: [us-ftc.deception] } }\nmessage: m\nsuggest: s\nexamples: { flag: [x.], pass: [y.] }\n";
    let pack = format!(
        "id: brand.one\nseverity: high\n{good}---\nid: brand.two\n{}---\nid: brand.three\n{}---\nid: brand.four\n{}",
        good.replace("{ any: [x] }", "{ concepts: [verb.stimulat] }"),
        good.replace(
            "positions: [us-ftc.deception]",
            "positions: [us-ftc.decepton]"
        ),
        good.replace("{ any: [x] }", "{ any: [\"x*y\"] }")
            .replace("category: absolute", "category: absolut"),
    );
    std::fs::write(rules.join("pack.yaml"), pack).unwrap();
    let stderr = config_errors(dir.path(), &["audit", "--rules", "bad", "."]);
    let expected = [
        "error: bad/pack.yaml:2:1: in `brand.one`: unknown field `severity`, expected one of",
        "error: bad/pack.yaml:14:21: in `brand.two`: unknown concept `verb.stimulat`; did you mean `verb.stimulate`?",
        "error: bad/pack.yaml:24:55: in `brand.three`: unknown position `us-ftc.decepton`; did you mean `us-ftc.deception`?",
        "error: bad/pack.yaml:31:11: in `brand.four`: category: unknown variant `absolut`, expected one of",
    ];
    for line in expected {
        assert!(stderr.contains(line), "missing {line:?} in:\n{stderr}");
    }
    assert!(stderr.contains("error: 4 problem(s)"), "{stderr}");
}

#[test]
fn bad_patterns_and_duplicate_ids_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("bad")).unwrap();
    let rule = |id: &str, any: &str| {
        format!(
            "id: {id}\ntitle: t\ncategory: absolute\nmatch: {{ any: [\"{any}\"] }}\njurisdictions: {{ US: {{ severity: warning, positions: [us-ftc.deception] }} }}\nmessage: m\nsuggest: s\nexamples: {{ flag: [x.], pass: [y.] }}\n"
        )
    };
    std::fs::write(dir.path().join("bad/a.yaml"), rule("brand.a", "mira*cle")).unwrap();
    std::fs::write(
        dir.path().join("bad/b.yaml"),
        format!(
            "{}---\n{}",
            rule("brand.b", "fine"),
            rule("brand.b", "good")
        ),
    )
    .unwrap();
    let stderr = config_errors(dir.path(), &["rules", "list", "--rules", "bad"]);
    assert!(stderr.contains("bad/a.yaml:4:17: in `brand.a`: pattern `mira*cle`: `*` is allowed only at the end of a pattern"), "{stderr}");
    assert!(stderr.contains("bad/b.yaml:10:1: in `brand.b`: duplicate rule id `brand.b` (first defined in bad/b.yaml)"), "{stderr}");
}

#[test]
fn broken_configs_report_line_column_and_unknown_rule_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".overclaim.yaml"),
        "jurisdictions: [US]\ndisabled: [absolute.]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.txt"), "Fine.").unwrap();
    let stderr = config_errors(dir.path(), &["audit", "a.txt"]);
    assert!(
        stderr.contains(".overclaim.yaml:2:1: unknown field `disabled`, expected one of"),
        "{stderr}"
    );

    std::fs::write(
        dir.path().join(".overclaim.yaml"),
        "disable: [absolute.miracle-clam, pack:nope]\nseverity: { nope.: error }\n",
    )
    .unwrap();
    let stderr = config_errors(dir.path(), &["audit", "a.txt"]);
    assert!(stderr.contains(".overclaim.yaml:1:11: unknown rule `absolute.miracle-clam`; did you mean `absolute.miracle-claim`?"), "{stderr}");
    assert!(
        stderr.contains(".overclaim.yaml:1:34: no rule pack named `nope`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(".overclaim.yaml:2:13: no rule id starts with `nope.`"),
        "{stderr}"
    );
}

#[test]
fn rules_list_prints_json() {
    let out = overclaim(root())
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap();
    let collagen = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "drug-claim.collagen-stimulation")
        .unwrap();
    assert_eq!(collagen["severity"]["US"], "error");
    assert_eq!(collagen["evidence"], "exosomes.collagen");
    assert_eq!(collagen["file"], "rules/drug-claims.yaml");
}

#[test]
fn rules_test_prints_each_failure_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("mine")).unwrap();
    std::fs::write(
        dir.path().join("mine/words.yaml"),
        "id: brand.words\ntitle: t\ncategory: absolute\nmatch: { any: [ageless] }\nunless: [negated]\njurisdictions: { US: { severity: warning, positions: [us-ftc.deception] } }\nmessage: m\nsuggest: s\nexamples:\n  flag: [Ageless skin., Timeless skin.]\n  pass: [Not ageless., An ageless classic.]\n",
    )
    .unwrap();
    let out = overclaim(dir.path())
        .args(["rules", "test", "mine"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("FAIL brand.words (mine/words.yaml)\n  example: \"Timeless skin.\"\n  should flag, but nothing fired"), "{stdout}");
    assert!(
        stdout.contains("example: \"An ageless classic.\"\n  should pass, but matched `ageless`"),
        "{stdout}"
    );
    assert!(stdout.ends_with("2 passed, 2 failed\n"), "{stdout}");
    let all = overclaim(root()).args(["rules", "test"]).output().unwrap();
    assert_eq!(
        all.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&all.stdout)
    );
}

#[test]
fn rules_schema_describes_rule_files() {
    let out = overclaim(root())
        .args(["rules", "schema"])
        .output()
        .unwrap();
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    let properties = schema["properties"].as_object().unwrap();
    for field in [
        "id",
        "title",
        "category",
        "match",
        "unless",
        "jurisdictions",
        "examples",
        "exceeds_evidence",
        "check",
    ] {
        assert!(properties.contains_key(field), "schema lacks {field}");
    }
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown fields are errors for editors too"
    );
}

#[test]
fn init_writes_a_working_starter_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = overclaim(dir.path()).arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let test = overclaim(dir.path())
        .args(["rules", "test", "overclaim-rules"])
        .output()
        .unwrap();
    assert_eq!(
        test.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&test.stdout)
    );
    std::fs::write(dir.path().join("page.txt"), "Flawless skin.").unwrap();
    assert!(has(
        &findings(dir.path(), &["page.txt"]),
        "page.txt",
        1,
        "brand.banned-words"
    ));
    std::fs::write(dir.path().join(".overclaim.yaml"), "# mine\n").unwrap();
    let again = overclaim(dir.path()).arg("init").output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&again.stderr)
            .contains("already exists; overclaim init never overwrites")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".overclaim.yaml")).unwrap(),
        "# mine\n"
    );
}

#[test]
fn suppression_comments_may_span_lines_in_markdown_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let page = "<!-- overclaim-disable-next-line drug-claim.\n     -- reviewed by legal,\n        ticket 12 -->\nHeals eczema fast.\n\nSoothes skin. <!-- overclaim-disable-next-line\nabsolute. -->\nNo side effects at all.\n\n<!--\nCures acne overnight.\n-->\n\nHeals eczema fast.\n";
    std::fs::write(dir.path().join("a.md"), page).unwrap();
    std::fs::write(
        dir.path().join("a.html"),
        "<!-- overclaim-disable-next-line\n  drug-claim. -- legal -->\n<p>Heals eczema fast.</p>\n",
    )
    .unwrap();
    let found = findings(dir.path(), &["a.md", "a.html"]);
    let lines: Vec<(&str, u64)> = found.iter().map(|(f, l, _, _)| (f.as_str(), *l)).collect();
    // Only the last claim is neither suppressed nor inside a comment.
    assert_eq!(lines, vec![("a.md", 14)], "{found:?}");
}

#[test]
fn inline_suppressions_in_html_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.html"),
        "<p>A miracle cream.</p>\n<!-- overclaim-disable-next-line absolute.miracle-claim -- trademark, legal ok -->\n<p>A miracle cream.</p>\n<!-- overclaim-disable-next-line drug-claim. -->\n<p>Gentle.</p>\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.md"),
        "A miracle cream.\n\n<!-- overclaim-disable absolute. -->\n\nA miracle cream, guaranteed.\n\n<!-- overclaim-enable absolute. -->\n\nA miracle cream.\n",
    )
    .unwrap();
    let found = findings(dir.path(), &["a.html", "b.md"]);
    assert!(has(&found, "a.html", 1, "absolute.miracle-claim"));
    assert!(
        !has(&found, "a.html", 3, "absolute.miracle-claim"),
        "suppressed: {found:?}"
    );
    let unused = found
        .iter()
        .find(|(f, l, r, _)| f == "a.html" && *l == 4 && r == "suppression.unused");
    assert_eq!(unused.map(|u| u.3.as_str()), Some("info"), "{found:?}");
    assert!(
        has(&found, "b.md", 1, "absolute.miracle-claim")
            && has(&found, "b.md", 9, "absolute.miracle-claim")
    );
    assert!(
        !found.iter().any(|(f, l, _, _)| f == "b.md" && *l == 5),
        "disabled block: {found:?}"
    );
    let out = overclaim(dir.path())
        .args([
            "audit",
            "--format",
            "json",
            "--fail-on",
            "never",
            "a.html",
            "b.md",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["suppressed"], 2);
}

#[test]
fn waivers_leave_findings_out_and_report_expired_and_unused_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pages")).unwrap();
    std::fs::write(dir.path().join("pages/p.html"), "<p>Miracle Mist is our bestseller.</p>\n<p>Boosts collagen.</p>\n<p>A miracle cream.</p>\n").unwrap();
    std::fs::write(
        dir.path().join(".overclaim-waivers.yaml"),
        "waivers:\n  - path: \"pages/*.html\"\n    rule: absolute.miracle-claim\n    excerpt: Miracle Mist\n    reviewer: J. Doe\n    reason: trademark\n    expires: 2999-12-31\n  - path: \"pages/*.html\"\n    rule: drug-claim.\n    reviewer: K. Lee\n    reason: old decision\n    expires: 2001-01-01\n  - path: \"pages/*.html\"\n    rule: absolute.completely-safe\n    reviewer: K. Lee\n    reason: stale\n    expires: 2999-01-01\n  - path: \"other/*.html\"\n    rule: absolute.\n    reviewer: K. Lee\n    reason: for pages this run does not audit\n    expires: 2999-01-01\n  - path: \"pages/*.html\"\n    rule: absolute.miracle-clam\n    reviewer: K. Lee\n    reason: misspelt\n    expires: 2999-01-01\n",
    )
    .unwrap();
    let found = findings(dir.path(), &["pages"]);
    assert!(
        !has(&found, "p.html", 1, "absolute.miracle-claim"),
        "waived: {found:?}"
    );
    assert!(
        has(&found, "p.html", 3, "absolute.miracle-claim"),
        "another excerpt is not waived"
    );
    assert!(
        has(&found, "p.html", 2, "drug-claim.collagen-stimulation"),
        "an expired waiver waives nothing"
    );
    assert!(
        has(&found, ".overclaim-waivers.yaml", 8, "waiver.expired"),
        "{found:?}"
    );
    assert!(
        has(&found, ".overclaim-waivers.yaml", 13, "waiver.unused"),
        "{found:?}"
    );
    assert!(
        !has(&found, ".overclaim-waivers.yaml", 18, "waiver.unused"),
        "a waiver for files outside the run is not unused: {found:?}"
    );
    let out = overclaim(dir.path())
        .args(["audit", "--color", "never", "pages"])
        .output()
        .unwrap();
    let human = String::from_utf8(out.stdout).unwrap();
    assert!(human.contains("; 1 waived"), "{human}");
    assert!(
        human.contains(
            "matched no finding in this run (unknown rule `absolute.miracle-clam`; did you mean `absolute.miracle-claim`?)"
        ),
        "a misspelt waiver rule gets the nearest id: {human}"
    );
}

#[test]
fn standard_input_named_by_stdin_filename_gets_its_format_config_and_waivers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pages")).unwrap();
    std::fs::write(dir.path().join(".overclaim.yaml"), "jurisdictions: [EU]\n").unwrap();
    std::fs::write(
        dir.path().join(".overclaim-waivers.yaml"),
        "waivers:\n  - path: \"pages/*.md\"\n    rule: absolute.miracle-claim\n    reviewer: J. Doe\n    reason: brand name\n    expires: 2999-12-31\n",
    )
    .unwrap();
    let copy = "# A *miracle* cream\n\nHeals **eczema** overnight.\n";
    let run = |args: &[&str]| -> Value {
        let out = overclaim(dir.path())
            .args(["audit", "--format", "json", "--fail-on", "never", "-"])
            .args(args)
            .write_stdin(copy)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let named = run(&["--stdin-filename", "pages/new.md"]);
    let findings = named["findings"].as_array().unwrap();
    let eczema = findings
        .iter()
        .find(|f| f["rule"] == "drug-claim.disease-treatment")
        .expect("the eczema claim");
    assert_eq!(eczema["path"], "pages/new.md");
    assert_eq!(
        eczema["claim"], "Heals eczema overnight.",
        "read as Markdown: {eczema}"
    );
    assert_eq!(
        eczema["jurisdictions"],
        serde_json::json!(["EU"]),
        "the folder's config"
    );
    assert!(
        !findings
            .iter()
            .any(|f| f["rule"] == "absolute.miracle-claim"),
        "the folder's waiver: {findings:?}"
    );
    assert_eq!(named["summary"]["waived"], 1, "{}", named["summary"]);
    let unnamed = run(&[]);
    assert!(
        unnamed["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "absolute.miracle-claim" && f["path"] == "<stdin>"),
        "unnamed standard input has no waivers"
    );
    let out = overclaim(dir.path())
        .args(["audit", "pages", "--stdin-filename", "pages/new.md"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a name for standard input that is not read"
    );
}

#[test]
fn pack_selectors_suppress_inline() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.html"),
        "<!-- overclaim-disable-next-line pack:absolutes -->\n<p>A miracle cream.</p>\n<p>A miracle cream.</p>\n",
    )
    .unwrap();
    let found = findings(dir.path(), &["a.html"]);
    assert!(
        !has(&found, "a.html", 2, "absolute.miracle-claim"),
        "`pack:absolutes` names the pack of the rule: {found:?}"
    );
    assert!(has(&found, "a.html", 3, "absolute.miracle-claim"));
    assert!(
        !found.iter().any(|(_, _, r, _)| r == "suppression.unused"),
        "{found:?}"
    );
}

#[test]
fn a_broken_waivers_file_stops_the_run_before_any_report_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(
            dir.path().join(sub).join("p.html"),
            "<p>A miracle cream.</p>\n",
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join("b/.overclaim-waivers.yaml"),
        "waivers:\n  - path: p.html\n    rule: absolute.\n    reviewer: J\n    reason: r\n    expires: someday\n",
    )
    .unwrap();
    for format in ["json", "github", "sarif", "html", "human"] {
        let out = overclaim(dir.path())
            .args(["audit", "a", "b", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(
            out.stdout.is_empty(),
            "{format}: nothing of a report is written: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(".overclaim-waivers.yaml:6:"), "{stderr}");
    }
}

#[test]
fn a_jurisdiction_is_a_data_change() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("ca-rules");
    std::fs::create_dir_all(rules.join("jurisdictions")).unwrap();
    std::fs::create_dir_all(rules.join("regulatory")).unwrap();
    std::fs::write(
        rules.join("regulatory/ca.yaml"),
        "positions:\n  - { id: ca.food-and-drugs-act, jurisdiction: CA, authority: Health Canada, instrument: Food and Drugs Act s 9, summary: No misleading labelling of a cosmetic., url: \"https://laws-lois.justice.gc.ca/eng/acts/f-27/\", status: unverified }\n",
    )
    .unwrap();
    std::fs::write(
        rules.join("jurisdictions/ca.yaml"),
        "id: CA\nname: Canada\norder: 4\ndefaults:\n  regulatory-status: { severity: error, positions: [ca.food-and-drugs-act] }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("p.html"),
        "<p>Our cream is FDA approved.</p>\n",
    )
    .unwrap();
    let out = overclaim(dir.path())
        .args([
            "audit",
            "p.html",
            "--rules",
            "ca-rules",
            "--jurisdiction",
            "CA",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "regulatory-status.fda-approved-cosmetic");
    assert_eq!(finding["jurisdictions"], serde_json::json!(["CA"]));
    let rule = &report["rules"]["regulatory-status.fda-approved-cosmetic"];
    assert_eq!(rule["positions"]["CA"][0], "ca.food-and-drugs-act");
    assert_eq!(
        report["positions"]["ca.food-and-drugs-act"]["status"],
        "unverified"
    );
    let unknown = overclaim(dir.path())
        .args(["audit", "p.html", "--jurisdiction", "CA"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("unknown jurisdiction `CA`; expected US"),
        "without the registry file CA is unknown"
    );
}

#[test]
fn rules_test_runs_one_rule() {
    let out = overclaim(root())
        .args(["rules", "test", "--rule", "drug-claim.collagen-stimulation"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let passed: usize = text.split_whitespace().next().unwrap().parse().unwrap();
    assert!(
        passed >= 5 && text.trim_end().ends_with("0 failed"),
        "{text}"
    );
    let unknown = overclaim(root())
        .args(["rules", "test", "--rule", "drug-claim.collagen-stimulaton"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("did you mean `drug-claim.collagen-stimulation`?")
    );
}

#[test]
fn a_pinned_flag_example_must_match_its_words() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pinned.yaml"),
        "id: brand.pinned\ntitle: t\ncategory: absolute\nmatch: { any: [miracle] }\njurisdictions: { US: { severity: warning, positions: [us-ftc.deception] } }\nmessage: m\nsuggest: s\nexamples:\n  flag:\n    - { text: \"A miracle cream.\", matches: miracle }\n    - { text: \"A miracle cream.\", matches: \"miracle cream\" }\n  pass: [Fine.]\n",
    )
    .unwrap();
    let out = overclaim(dir.path())
        .args(["rules", "test", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("should flag `miracle cream`, but matched `miracle`"),
        "{text}"
    );
    assert!(text.contains("2 passed, 1 failed"), "{text}");
}

#[test]
fn a_broken_config_is_reported_once_for_all_the_folders_below_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".overclaim.yaml"),
        "disabled: [absolute.]\n",
    )
    .unwrap();
    for sub in ["a", "b", "c"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("p.html"), "<p>Fine.</p>\n").unwrap();
    }
    let stderr = config_errors(dir.path(), &["audit", "a", "b", "c"]);
    assert_eq!(
        stderr.matches("unknown field `disabled`").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("1 problem(s)"), "{stderr}");
}

#[test]
fn a_misspelt_rule_in_a_suppression_gets_a_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.html"),
        "<!-- overclaim-disable-next-line absolute.miracle-claims -- legal -->\n<p>A miracle cream.</p>\n",
    )
    .unwrap();
    let out = overclaim(dir.path())
        .args(["audit", "a.html", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let unused = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "suppression.unused")
        .expect("the misspelt suppression is unused");
    let message = unused["message"].as_str().unwrap();
    assert!(
        message.contains(
            "unknown rule `absolute.miracle-claims`; did you mean `absolute.miracle-claim`?"
        ),
        "{message}"
    );
    assert!(
        report["rules"]["suppression.unused"]["positions"]
            .as_object()
            .unwrap()
            .is_empty(),
        "housekeeping cites no law"
    );
}

#[test]
fn a_brand_extends_an_ingredient_family_in_its_own_rule_folder() {
    let dir = tempfile::tempdir().unwrap();
    let families = dir.path().join("my-rules/families");
    std::fs::create_dir_all(&families).unwrap();
    // The brand's policy counts a sulfonate surfactant as a sulfate too.
    std::fs::write(
        families.join("sulfates.yaml"),
        "id: sulfates\ntitle: Sulfate surfactants\nsource: House policy 2026\n\
         claim_words: { en: [sulfate, sulfates] }\nmembers: [\"sodium c14-16 olefin sulfonate\"]\n\
         examples:\n  flag: [\"Sulfate-free.\\n\\nINGREDIENTS: Aqua, Sodium C14-16 Olefin Sulfonate.\"]\n\
         \x20 pass: [\"Sulfate-free.\\n\\nINGREDIENTS: Aqua, Decyl Glucoside.\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("label.txt"),
        "Sulfate-free shampoo.\n\nINGREDIENTS: Aqua, Sodium C14-16 Olefin Sulfonate, Glycerin.\n",
    )
    .unwrap();
    let contradicted = |args: &[&str]| {
        findings(dir.path(), args)
            .into_iter()
            .any(|(_, _, rule, _)| rule == "regulatory-status.free-from-contradicted")
    };
    assert!(
        !contradicted(&["label.txt"]),
        "built in, a sulfonate is no sulfate"
    );
    assert!(contradicted(&["label.txt", "--rules", "my-rules"]));
    // The built-in members still count.
    std::fs::write(
        dir.path().join("label.txt"),
        "Sulfate-free shampoo.\n\nINGREDIENTS: Aqua, Sodium Laureth Sulfate.\n",
    )
    .unwrap();
    assert!(contradicted(&["label.txt", "--rules", "my-rules"]));
}
