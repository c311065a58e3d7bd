//! Label and citation fixtures end to end: ingredient lists that contradict claims, prohibited
//! human-derived ingredients, reference-list errors, and the three published reviews in
//! ../shared/seeds with their real citation errors.

mod common;

use assert_cmd::Command;
use std::path::Path;

/// `(line, rule, text)` of every rule match in one file.
fn findings(path: &str, extra: &[&str]) -> Vec<(u64, String, String)> {
    let report = common::audit_json(&[&[path], extra].concat());
    common::rule_matches(&report)
        .map(|(_, m)| {
            (
                m["span"]["line"].as_u64().unwrap(),
                m["rule"].as_str().unwrap().to_string(),
                m["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn rules_of(findings: &[(u64, String, String)]) -> Vec<&str> {
    findings.iter().map(|(_, rule, _)| rule.as_str()).collect()
}

#[test]
fn free_from_claims_contradicted_by_the_ingredient_list() {
    let found = findings("samples/paraben-free-cream.label", &[]);
    let contradicted: Vec<&str> = found
        .iter()
        .filter(|(_, rule, _)| rule == "regulatory-status.free-from-contradicted")
        .map(|(_, _, text)| text.as_str())
        .collect();
    assert_eq!(
        contradicted,
        ["PARABEN-FREE", "FRAGRANCE-FREE"],
        "{found:?}"
    );
    // A sulfate-free shampoo with a surfactant sulfate and a silicone, but only a look-alike
    // (magnesium sulfate) beside its true claims.
    let found = findings("samples/sulfate-free-shampoo.label", &[]);
    let contradicted: Vec<&str> = found
        .iter()
        .filter(|(_, rule, _)| rule == "regulatory-status.free-from-contradicted")
        .map(|(_, _, text)| text.as_str())
        .collect();
    assert_eq!(contradicted, ["Sulfate-free", "silicone-free"], "{found:?}");
    let found = findings("samples/creme-sans-parabenes.label", &[]);
    assert!(
        found
            .iter()
            .any(|(_, r, t)| r == "regulatory-status.free-from-contradicted"
                && t == "sans silicones"),
        "a French label: {found:?}"
    );
    // With no ingredient list the claim is reported as not checked, never passed.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    std::fs::write(&page, "Sulfate-free and vegan shampoo.\n").unwrap();
    let found = findings(page.to_str().unwrap(), &[]);
    assert!(
        rules_of(&found).contains(&"regulatory-status.free-from-unchecked"),
        "{found:?}"
    );
}

#[test]
fn the_contradicting_ingredient_is_named_in_the_message() {
    let out = Command::cargo_bin("overclaim")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "audit",
            "--color",
            "never",
            "samples/paraben-free-cream.label",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("but Methylparaben (ingredient"), "{text}");
    assert!(
        text.contains("but Parfum (Fragrance) (ingredient"),
        "{text}"
    );
}

#[test]
fn an_exosome_product_without_an_exosome_ingredient() {
    let found = findings("samples/exosome-serum-no-exosomes.label", &[]);
    assert!(
        rules_of(&found).contains(&"regulatory-status.exosome-claim-without-exosome-ingredient"),
        "{found:?}"
    );
    assert!(
        findings("samples/honest-plant-exosome.label", &[]).is_empty(),
        "an honest label with a vesicle INCI passes"
    );
}

#[test]
fn human_derived_ingredients_are_errors_in_the_eu_and_uk_only_where_sold() {
    let found = findings("samples/human-cm-ampoule.label", &["--jurisdiction", "EU"]);
    let inci: Vec<_> = found
        .iter()
        .filter(|(_, r, _)| r == "regulatory-status.human-derived-inci")
        .collect();
    assert_eq!(inci.len(), 1, "{found:?}");
    assert!(
        inci[0].2.starts_with("Human Adipocyte Conditioned Media"),
        "{inci:?}"
    );
}

#[test]
fn warnings_directions_and_net_quantity_are_not_claims() {
    for (line, rule, text) in findings("samples/ingredient-label.txt", &[]) {
        assert!(
            line < 22 || rule.starts_with("regulatory-status"),
            "line {line}: {rule} on {text:?}"
        );
    }
}

#[test]
fn reference_list_errors_in_a_flawed_review() {
    let found = findings("tests/fixtures/reviews/flawed-review.md", &[]);
    let expected = [
        (14, "citation.unrelated-reference", "[5]"),
        (15, "citation.missing-reference", "[9]"),
        (17, "citation.placeholder", "[citation needed]"),
    ];
    for (line, rule, text) in expected {
        assert!(
            found
                .iter()
                .any(|(l, r, t)| *l == line && r == rule && t == text),
            "missing {rule} at line {line}: {found:?}"
        );
    }
    let duplicate: Vec<_> = found
        .iter()
        .filter(|(_, r, _)| r == "citation.duplicate-reference")
        .collect();
    assert_eq!(duplicate.len(), 1, "{found:?}");
    assert_eq!(duplicate[0].0, 38, "the later of the two entries");
    assert!(
        found.iter().all(|(l, ..)| !(19..=24).contains(l)),
        "nothing in the honest limitations section: {found:?}"
    );
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(findings("tests/fixtures/reviews/clean-review.txt", &[]).is_empty());
}

/// The three published reviews are read from ../shared/seeds (never copied into the project).
fn seed(name: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seeds")
        .join(name);
    if path.exists() {
        Some(path.to_string_lossy().into_owned())
    } else {
        eprintln!(
            "skipped: {} is not here (it comes with shared/)",
            path.display()
        );
        None
    }
}

#[test]
fn the_seed_reviews_real_citation_errors_are_found() {
    let Some(ajesh) = seed("exosome-review-ajesh-2026.txt") else {
        return;
    };
    let found = findings(&ajesh, &[]);
    let at = |line: u64, rule: &str| found.iter().any(|(l, r, _)| *l == line && r == rule);
    // Reference 6 (a vertigo trial) cited for exosomes versus PRP.
    assert!(at(50, "citation.unrelated-reference"), "{found:?}");
    // The non-inferiority trial described as "much better" than PRP.
    assert!(
        at(
            50,
            "evidence-strength.superiority-over-non-inferiority-trial"
        ),
        "{found:?}"
    );
    // References 3/4 and 5/9 are the same papers.
    assert!(
        at(124, "citation.duplicate-reference") && at(131, "citation.duplicate-reference"),
        "{found:?}"
    );
    // The honest paragraph on limits of the evidence carries no finding.
    assert!(
        !found.iter().any(|(l, ..)| *l == 87 || *l == 93),
        "{found:?}"
    );

    let Some(odeh) = seed("exosome-practical-review-odeh.txt") else {
        return;
    };
    let found = findings(&odeh, &[]);
    // Superscript 2 (a mouse wound-healing study) cited for "inflammaging".
    assert!(
        found
            .iter()
            .any(|(l, r, t)| *l == 25 && r == "citation.unrelated-reference" && t == "²"),
        "{found:?}"
    );
    // The "Regulatory and Implementation Challenges" section is an honest limitations section.
    assert!(
        !found.iter().any(|(l, ..)| (45..=53).contains(l)),
        "{found:?}"
    );

    let Some(cureus) = seed("exosome-systematic-review-cureus-2026.md") else {
        return;
    };
    let found = findings(&cureus, &[]);
    assert!(
        !found.iter().any(|(l, ..)| *l == 19),
        "the limitations key point: {found:?}"
    );
}

#[test]
fn most_recorded_citation_errors_of_the_seed_reviews_are_found() {
    // rules/evidence/review-errors.yaml records the errors found by reading the reviews; each
    // has a short quote to locate it. The auditor should find the citation errors among them.
    let Some(_) = seed("exosome-review-ajesh-2026.txt") else {
        return;
    };
    let recorded: serde_yaml::Value =
        serde_yaml::from_str(include_str!("../rules/evidence/review-errors.yaml")).unwrap();
    let files = [
        ("ajesh-2026", "exosome-review-ajesh-2026.txt"),
        ("odeh", "exosome-practical-review-odeh.txt"),
        ("cureus-2026", "exosome-systematic-review-cureus-2026.md"),
    ];
    let (mut total, mut found_count) = (0, 0);
    for (source, name) in files {
        let path = seed(name).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let found = findings(&path, &[]);
        for error in recorded["errors"].as_sequence().unwrap() {
            let kind = error["kind"].as_str().unwrap();
            let citation_error = matches!(
                kind,
                "duplicate-reference" | "misattributed-reference" | "trial-type-misstated"
            );
            if error["source"].as_str() != Some(source) || !citation_error {
                continue;
            }
            let hint = error["quote_hint"].as_str().unwrap();
            let line = text[..text.find(hint).expect("quote in seed")]
                .matches('\n')
                .count() as u64
                + 1;
            total += 1;
            let caught = found.iter().any(|(l, rule, _)| {
                *l == line
                    && (rule.starts_with("citation.") || rule.starts_with("evidence-strength."))
            });
            if caught {
                found_count += 1;
            } else {
                eprintln!(
                    "not found: {} ({kind}) at {name}:{line}",
                    error["id"].as_str().unwrap()
                );
            }
        }
    }
    assert_eq!(total, 10, "recorded citation errors");
    assert!(found_count >= 9, "found {found_count} of {total}");
}
