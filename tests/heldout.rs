//! Held-out sets of claims written for the project by helpers who never read the rules:
//! `tests/fixtures/heldout/claims.yaml` (150 claims), `blind-2026-12.yaml` (203 lines, with 46
//! honest hedged or educational lines about exosomes and stem cells) and `blind-2026-12b.yaml`
//! (180 lines to the same brief by another helper, added after the rules had been tuned on sets
//! of its kind, so it measures that tuning). Recall on violations and
//! specificity on honest copy are printed, with floors so a change that makes the tool
//! generalise worse fails. The sets are not used to write rules; their misses are reported, not
//! fixed by adding their wording.

use overclaim::{Engine, Format, SourceFile};

/// `(true positives, false negatives, true negatives, false positives)` of a set, each line
/// audited as its own plain-text document.
fn measure(name: &str, set: &str) -> (u32, u32, u32, u32) {
    let claims: serde_yaml::Value = serde_yaml::from_str(set).unwrap();
    let engine = Engine::builtin().unwrap();
    let options = engine.options();
    let (mut tp, mut fn_, mut tn, mut fp) = (0, 0, 0, 0);
    for claim in claims.as_sequence().unwrap() {
        let text = claim["text"].as_str().unwrap();
        let violation = claim["verdict"].as_str() == Some("violation");
        let file = SourceFile {
            display: "claim.txt".to_string(),
            format: Format::Text,
            text: text.to_string(),
            warning: None,
            parts: Vec::new(),
        };
        // A note that a free-from claim could not be checked (a line has no ingredient list)
        // is no verdict on the line, for or against it.
        let findings: Vec<_> = engine
            .audit(&engine.analyse(file), &options)
            .into_iter()
            .filter(|f| f.rule != "regulatory-status.free-from-unchecked")
            .collect();
        match (violation, findings.is_empty()) {
            (true, false) => tp += 1,
            (true, true) => {
                fn_ += 1;
                eprintln!("{name} missed: {text}");
            }
            (false, true) => tn += 1,
            (false, false) => {
                fp += 1;
                eprintln!("{name} false alarm: {text} <- {}", findings[0].rule);
            }
        }
    }
    let recall = f64::from(tp) / f64::from(tp + fn_);
    let specificity = f64::from(tn) / f64::from(tn + fp);
    eprintln!(
        "{name}: recall {tp}/{} = {recall:.2}, specificity {tn}/{} = {specificity:.2}",
        tp + fn_,
        tn + fp
    );
    (tp, fn_, tn, fp)
}

/// Measures a set and checks that it is complete (at least `violations` and `honest` lines)
/// and that recall and specificity keep their floors.
fn assert_generalises(
    name: &str,
    set: &str,
    (violations, honest): (u32, u32),
    (recall, specificity): (f64, f64),
) {
    let (tp, fn_, tn, fp) = measure(name, set);
    assert!(
        tp + fn_ >= violations && tn + fp >= honest,
        "{name}: the set is complete"
    );
    let measured_recall = f64::from(tp) / f64::from(tp + fn_);
    let measured_specificity = f64::from(tn) / f64::from(tn + fp);
    assert!(
        measured_recall >= recall,
        "{name}: recall {measured_recall:.2} fell below {recall}"
    );
    assert!(
        measured_specificity >= specificity,
        "{name}: specificity {measured_specificity:.2} fell below {specificity}"
    );
}

#[test]
fn generalises_to_wordings_the_rules_were_not_written_from() {
    assert_generalises(
        "held-out",
        include_str!("fixtures/heldout/claims.yaml"),
        (80, 50),
        (RECALL_FLOOR, SPECIFICITY_FLOOR),
    );
}

#[test]
fn generalises_to_the_second_blind_set_of_2026_12() {
    assert_generalises(
        "blind-b",
        include_str!("fixtures/heldout/blind-2026-12b.yaml"),
        (80, 80),
        (BLIND_B_RECALL_FLOOR, BLIND_B_SPECIFICITY_FLOOR),
    );
}

#[test]
fn generalises_to_the_blind_set_of_2026_12() {
    assert_generalises(
        "blind",
        include_str!("fixtures/heldout/blind-2026-12.yaml"),
        (80, 80),
        (BLIND_RECALL_FLOOR, BLIND_SPECIFICITY_FLOOR),
    );
}

/// Floors set just under the figures measured when the set was added: recall 74/90 = 0.82,
/// specificity 59/60 = 0.98 (README.md, "Measured").
const RECALL_FLOOR: f64 = 0.80;
const SPECIFICITY_FLOOR: f64 = 0.95;

/// Floors for the blind set: the targets, which the build meets (recall 83/96 = 0.86,
/// specificity 102/107 = 0.95; README.md, "Measured").
const BLIND_RECALL_FLOOR: f64 = 0.85;
const BLIND_SPECIFICITY_FLOOR: f64 = 0.95;

/// Floors for the second blind set, just under what the build measures (0.83 and 0.90; 0.82 and
/// 0.86 when it was added).
const BLIND_B_RECALL_FLOOR: f64 = 0.82;
const BLIND_B_SPECIFICITY_FLOOR: f64 = 0.89;
