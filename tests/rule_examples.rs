//! Every rule's `examples.flag` must produce the rule and every `examples.pass` must not, run
//! through the whole pipeline as plain-text documents (product cosmetic, all jurisdictions).

use overclaim::Engine;
use overclaim::judge::AuditOptions;
use overclaim::rules::{embedded_sources, load};

fn engine() -> Engine {
    let rules = load(&embedded_sources()).unwrap_or_else(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("built-in rules do not load:\n{}", list.join("\n"))
    });
    Engine::new(rules, AuditOptions::default())
}

#[test]
fn every_rule_example_behaves_as_documented() {
    let report = engine().check_examples(|_| true);
    assert!(
        report.passed > 200,
        "only {} examples checked",
        report.passed
    );
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| format!("{}: {:?}: {}", f.rule, f.example, f.why))
        .collect();
    assert!(
        failures.is_empty(),
        "{} rule examples fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_built_in_packs_are_broad_enough() {
    let engine = engine();
    let rules = engine.rules();
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
        assert!(
            !rule.flag_examples.is_empty() && !rule.pass_examples.is_empty(),
            "{} lacks examples",
            rule.id
        );
    }
}
