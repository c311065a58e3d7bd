//! Context across sentences: a procedure named in one sentence (or a section heading) gives
//! meaning to "after your session" later in its block or section, and a heading's kind of
//! product is what the section's suggestions call the product.

use overclaim::{Engine, Format, SourceFile};

/// `(rule, matched text, suggestion)` of each rule match of a Markdown text, related ones too.
fn matches(text: &str) -> Vec<(String, String, String)> {
    let engine = Engine::builtin().unwrap();
    let doc = engine.analyse(SourceFile {
        display: "page.md".to_string(),
        format: Format::Markdown,
        text: text.to_string(),
        warning: None,
        parts: Vec::new(),
    });
    engine
        .audit(&doc, &engine.options())
        .into_iter()
        .flat_map(|f| {
            let own = (f.rule.clone(), f.text.clone(), f.suggestion.clone());
            let related = f
                .related
                .into_iter()
                .map(|r| (r.rule, r.text, String::new()));
            std::iter::once(own).chain(related).collect::<Vec<_>>()
        })
        .collect()
}

fn fires(text: &str, rule: &str) -> bool {
    matches(text).iter().any(|(r, _, _)| r == rule)
}

const RECOVERY: &str = "drug-claim.post-procedure-recovery";

#[test]
fn a_procedure_named_before_gives_meaning_to_after_your_session() {
    let later = "Apply it straight after your session to speed up healing.";
    assert!(!fires(later, RECOVERY), "alone it names no procedure");
    assert!(fires(&format!("Had microneedling? {later}"), RECOVERY));
    assert!(
        !fires(&format!("Book a facial. {later}"), RECOVERY),
        "a facial is no procedure that opens the skin"
    );
    assert!(
        !fires(
            &format!("Had microneedling?\n\nAbout us.\n\n{later}"),
            RECOVERY
        ),
        "the context ends with its block"
    );
}

#[test]
fn a_section_heading_carries_its_procedure_and_its_product() {
    let section = "Apply a few drops after your session to speed up healing.";
    let page = format!("## After laser resurfacing\n\n{section}\n\n## Daily care\n\n{section}\n");
    let found: Vec<_> = matches(&page)
        .into_iter()
        .filter(|(r, _, _)| r == RECOVERY)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "only under the procedure's heading: {found:?}"
    );

    let ranked = |heading: &str| {
        matches(&format!(
            "# {heading}\n\nThe number one choice of beauty editors.\n"
        ))
        .into_iter()
        .find(|(r, _, _)| r == "absolute.number-one-claim")
        .map(|(_, _, suggestion)| suggestion)
        .unwrap()
    };
    assert!(ranked("Glow Night Cream").starts_with("best-selling cream "));
    assert!(ranked("About us").starts_with("best-selling product "));
}
