//! Free-from and vegan claims against ingredient lists, on 60 labels written by a helper who
//! never read the ingredient families (`tests/fixtures/labels-blind/`, with `expected.yaml`):
//! half contradicted by their own list, half true (most with a look-alike listed), a third in
//! French, Spanish, German or Italian. The set is measured, not used to write the families.

use overclaim::{Engine, Format, SourceFile};
use std::path::Path;

#[test]
fn contradicted_labels_are_caught_and_true_ones_are_not_contradicted() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/labels-blind");
    let expected: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(dir.join("expected.yaml")).unwrap()).unwrap();
    let engine = Engine::builtin().unwrap();
    let options = engine.options();
    let (mut caught, mut missed, mut false_alarms, mut true_labels) = (0, 0, 0, 0);
    for label in expected.as_sequence().unwrap() {
        let file = label["file"].as_str().unwrap();
        let contradicted = label["verdict"].as_str() == Some("contradicted");
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let doc = engine.analyse(SourceFile {
            display: file.to_string(),
            format: Format::Text,
            text,
            warning: None,
            parts: Vec::new(),
        });
        let found = engine
            .audit(&doc, &options)
            .iter()
            .flat_map(|f| {
                let related = f.related.iter().map(|r| r.rule.as_str());
                std::iter::once(f.rule.as_str())
                    .chain(related)
                    .collect::<Vec<_>>()
            })
            .any(|r| r == "regulatory-status.free-from-contradicted");
        match (contradicted, found) {
            (true, true) => caught += 1,
            (true, false) => {
                missed += 1;
                eprintln!("missed: {file}");
            }
            (false, true) => {
                false_alarms += 1;
                eprintln!("false contradiction: {file}");
            }
            (false, false) => true_labels += 1,
        }
    }
    eprintln!(
        "labels: caught {caught}/{} contradicted, {false_alarms} false contradictions of {} true",
        caught + missed,
        true_labels + false_alarms
    );
    assert_eq!(
        caught + missed + true_labels + false_alarms,
        60,
        "the set is complete"
    );
    assert!(
        f64::from(caught) / f64::from(caught + missed) >= 0.9,
        "recall below 0.9"
    );
    assert_eq!(false_alarms, 0, "no false contradiction");
}
