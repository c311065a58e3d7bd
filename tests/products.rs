//! Product types beyond cosmetics: `--product supplement` and `--product device` judge claims
//! by what the product is, and a statement elsewhere on the page (a disclaimer, a clearance)
//! counts.

mod common;

/// Every rule match of a run (a finding's own and its related rules'), as `(line, rule)`.
fn matches(path: &str, args: &[&str]) -> Vec<(u64, String)> {
    let report = common::audit_json(&[&[path], args].concat());
    common::rule_matches(&report)
        .map(|(_, m)| {
            (
                m["span"]["line"].as_u64().unwrap(),
                m["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn rules(found: &[(u64, String)]) -> Vec<&str> {
    found.iter().map(|(_, r)| r.as_str()).collect()
}

#[test]
fn a_supplement_may_not_claim_to_treat_a_disease_and_its_disclaimer_is_read_on_the_page() {
    let page = "tests/fixtures/products/collagen-gummies.md";
    let found = matches(page, &["--product", "supplement"]);
    assert!(
        found.contains(&(5, "drug-claim.supplement-disease-claim".to_string())),
        "{found:?}"
    );
    // The page carries the DSHEA disclaimer, so its structure/function claims need no other.
    assert!(!rules(&found).contains(&"regulatory-status.supplement-missing-disclaimer"));
    // The EU and GB still want an authorised wording.
    assert!(
        found.contains(&(
            3,
            "regulatory-status.supplement-unauthorised-health-claim".to_string()
        )),
        "{found:?}"
    );
    // Without the disclaimer the first claim is reported, once for the page.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(page).unwrap();
    let bare = dir.path().join("bare.md");
    std::fs::write(&bare, &text[..text.find("---").unwrap()]).unwrap();
    let found = matches(
        bare.to_str().unwrap(),
        &["--product", "supplement", "--jurisdiction", "US"],
    );
    let missing: Vec<_> = found
        .iter()
        .filter(|(_, r)| r == "regulatory-status.supplement-missing-disclaimer")
        .collect();
    assert_eq!(
        missing,
        [&(
            3,
            "regulatory-status.supplement-missing-disclaimer".to_string()
        )]
    );
    // Cosmetic rules do not judge a supplement, and supplement rules not a cosmetic.
    assert!(
        !rules(&found)
            .iter()
            .any(|r| r.starts_with("drug-claim.disease"))
    );
    let cosmetic = matches(page, &[]);
    assert!(
        rules(&cosmetic).contains(&"drug-claim.disease-treatment"),
        "{cosmetic:?}"
    );
    assert!(!rules(&cosmetic).iter().any(|r| r.contains("supplement")));
}

#[test]
fn a_device_medical_claim_needs_its_clearance_stated() {
    let page = "tests/fixtures/products/led-mask.html";
    let found = matches(page, &["--product", "device"]);
    assert_eq!(
        rules(&found)
            .iter()
            .filter(|r| **r == "regulatory-status.device-medical-claim")
            .count(),
        1,
        "one finding for the page: {found:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let cleared = dir.path().join("cleared.html");
    let text = std::fs::read_to_string(page).unwrap();
    std::fs::write(
        &cleared,
        text.replace("</body>", "<p>FDA-cleared, 510(k) K000000.</p></body>"),
    )
    .unwrap();
    let found = matches(cleared.to_str().unwrap(), &["--product", "device"]);
    assert!(
        !rules(&found).contains(&"regulatory-status.device-medical-claim"),
        "{found:?}"
    );
}
