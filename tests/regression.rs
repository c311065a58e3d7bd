//! Inputs that once crashed or hung overclaim (found by the fuzz targets in fuzz/), kept so they
//! never do again. Each runs through the whole pipeline in its format and every finding must
//! point inside the file.

use overclaim::{Engine, Format, SourceFile};
use std::path::Path;

#[test]
fn fuzz_findings_stay_fixed() {
    let engine = Engine::builtin().unwrap();
    let options = engine.options();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let file = SourceFile {
            display: path.display().to_string(),
            format: Format::from_path(&path),
            text: text.clone(),
            warning: None,
            parts: Vec::new(),
        };
        let doc = engine.analyse(file);
        let findings = engine.audit(&doc, &options);
        for f in findings {
            assert!(
                f.span.start <= f.span.end && f.span.end <= text.len(),
                "{}: {f:?}",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(
        checked >= 1,
        "no regression inputs found in {}",
        dir.display()
    );
}

#[test]
fn a_rule_file_with_a_syntax_error_is_refused_at_once() {
    // Found by fuzzing the rule loader: after a YAML syntax error the document stream repeated
    // the error forever and loading never ended. The guard timeout turns a hang into a failure.
    let out = assert_cmd::Command::cargo_bin("overclaim")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["rules", "list", "--rules", "tests/fixtures/fuzz-rules"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("endless-syntax-error.yaml:1130:82"),
        "{stderr}"
    );
}
