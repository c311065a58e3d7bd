//! Every rule's `examples.flag` must produce the rule and every `examples.pass` must not, run
//! through the whole pipeline as plain-text documents (product cosmetic, all jurisdictions).

use overclaim::Engine;
use overclaim::judge::AuditOptions;
use overclaim::rules::{embedded_sources, load};
use overclaim::source::{Format, SourceFile};

fn fired(engine: &Engine, text: &str) -> Vec<String> {
    let file = SourceFile {
        display: "example.txt".to_string(),
        format: Format::Text,
        text: text.to_string(),
    };
    engine
        .audit(&file)
        .expect("examples parse")
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

#[test]
fn every_rule_example_behaves_as_documented() {
    let rules = load(&embedded_sources()).unwrap_or_else(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("built-in rules do not load:\n{}", list.join("\n"))
    });
    let engine = Engine::new(rules, AuditOptions::default());
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in &engine.rules().rules {
        for example in &rule.flag_examples {
            checked += 1;
            let got = fired(&engine, example);
            if !got.contains(&rule.id) {
                failures.push(format!(
                    "{}: should flag {example:?} (fired: {got:?})",
                    rule.id
                ));
            }
        }
        for example in &rule.pass_examples {
            checked += 1;
            if fired(&engine, example).contains(&rule.id) {
                failures.push(format!("{}: should pass {example:?}", rule.id));
            }
        }
    }
    assert!(checked > 0, "no rule examples were checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} rule examples fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_built_in_packs_are_broad_enough() {
    let rules = load(&embedded_sources()).expect("built-in rules load");
    assert!(rules.rules.len() >= 60, "only {} rules", rules.rules.len());
    for category in [
        "drug-claim",
        "regulatory-status",
        "evidence-strength",
        "unsubstantiated-figure",
        "absolute",
        "citation",
    ] {
        assert!(
            rules.rules.iter().any(|r| r.category.as_str() == category),
            "no rule in category {category}"
        );
    }
    for rule in &rules.rules {
        assert!(
            rule.jurisdictions.iter().any(|j| !j.positions.is_empty()),
            "{} names no regulatory position",
            rule.id
        );
    }
}
