//! A held-out set of claims written for the project without looking at the rules
//! (tests/fixtures/heldout/claims.yaml): recall on violations and specificity on compliant copy,
//! printed, with floors so a change that makes the tool generalise worse fails. The set is not
//! used to write rules; its misses are reported, not fixed by adding their wording.

use overclaim::{Engine, Format, SourceFile};

#[test]
fn generalises_to_wordings_the_rules_were_not_written_from() {
    let claims: serde_yaml::Value =
        serde_yaml::from_str(include_str!("fixtures/heldout/claims.yaml")).unwrap();
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
        };
        let findings = engine.audit(&engine.analyse(file).unwrap(), &options);
        match (violation, findings.is_empty()) {
            (true, false) => tp += 1,
            (true, true) => {
                fn_ += 1;
                eprintln!("missed: {text}");
            }
            (false, true) => tn += 1,
            (false, false) => {
                fp += 1;
                eprintln!("false alarm: {text} <- {}", findings[0].rule);
            }
        }
    }
    let recall = f64::from(tp) / f64::from(tp + fn_);
    let specificity = f64::from(tn) / f64::from(tn + fp);
    eprintln!(
        "held-out: recall {tp}/{} = {recall:.2}, specificity {tn}/{} = {specificity:.2}",
        tp + fn_,
        tn + fp
    );
    assert!(tp + fn_ >= 80 && tn + fp >= 50, "the set is complete");
    assert!(
        recall >= RECALL_FLOOR,
        "recall {recall:.2} fell below {RECALL_FLOOR}"
    );
    assert!(
        specificity >= SPECIFICITY_FLOOR,
        "specificity {specificity:.2} fell below {SPECIFICITY_FLOOR}"
    );
}

/// Floors set just under the figures measured when the set was added: recall 74/90 = 0.82,
/// specificity 59/60 = 0.98 (README.md, "Measured").
const RECALL_FLOOR: f64 = 0.80;
const SPECIFICITY_FLOOR: f64 = 0.95;
