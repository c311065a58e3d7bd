//! Word drafts through the binary: a `.docx` (and an OpenDocument `.odt`) finds what the same
//! copy as text finds, names each finding's paragraph, leaves out comments and tracked
//! deletions, and a file that only looks like one is skipped with its reason.

mod common;

use assert_cmd::Command;
use common::audit_json;
use serde_json::Value;
use std::io::Write;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

/// A Word package whose body is `body` (WordprocessingML inside `<w:body>`) and whose comments
/// part holds `comment`.
fn word_package(body: &str, comment: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", options).unwrap();
    write!(
        zip,
        r#"<w:document {W}><w:body>{body}</w:body></w:document>"#
    )
    .unwrap();
    zip.start_file("word/comments.xml", options).unwrap();
    write!(
        zip,
        r#"<w:comments {W}><w:comment w:id="1"><w:p><w:r><w:t>{comment}</w:t></w:r></w:p></w:comment></w:comments>"#
    )
    .unwrap();
    zip.finish().unwrap().into_inner()
}

fn paragraph(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

/// Each finding and related rule as (rule, matched text, claim).
fn matches(report: &Value) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = common::rule_matches(report)
        .map(|(finding, m)| {
            (
                m["rule"].as_str().unwrap().to_string(),
                m["text"].as_str().unwrap().to_string(),
                finding["claim"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

const COPY: [&str; 5] = [
    "Meet our exosome serum for a fresh-looking glow.",
    "Clinically proven to erase wrinkles in 7 days.",
    "It stimulates collagen and repairs damaged skin cells.",
    "Dermatologist tested. Results may vary.",
    "FDA approved and safe for everyone, with no side effects.",
];

#[test]
fn a_word_draft_finds_what_the_same_copy_as_text_finds() {
    let dir = tempfile::tempdir().unwrap();
    let body: String = COPY.iter().map(|p| paragraph(p)).collect();
    let docx = dir.path().join("draft.docx");
    std::fs::write(&docx, word_package(&body, "Legal: ok?")).unwrap();
    let txt = dir.path().join("draft.txt");
    std::fs::write(&txt, COPY.join("\n\n")).unwrap();

    let from_word = audit_json(&[docx.to_str().unwrap()]);
    let from_text = audit_json(&[txt.to_str().unwrap()]);
    let found = matches(&from_word);
    assert!(found.len() >= 5, "{found:?}");
    assert_eq!(found, matches(&from_text));
    let parts: Vec<&str> = from_word["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["part"].as_str().unwrap())
        .collect();
    assert!(parts.contains(&"paragraph 2"), "{parts:?}");
    assert!(parts.contains(&"paragraph 5"), "{parts:?}");
    assert!(
        from_text["findings"][0].get("part").is_none(),
        "only a word-processor document has parts"
    );
}

#[test]
fn an_opendocument_text_finds_what_the_same_copy_as_text_finds() {
    let dir = tempfile::tempdir().unwrap();
    let ns = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0""#;
    let body: String = COPY
        .iter()
        .map(|p| format!("<text:p>{p}</text:p>"))
        .collect();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    write!(
        zip,
        "<office:document-content {ns}><office:body><office:text>{body}<office:annotation><text:p>Cures acne?</text:p></office:annotation></office:text></office:body></office:document-content>"
    )
    .unwrap();
    let odt = dir.path().join("draft.odt");
    std::fs::write(&odt, zip.finish().unwrap().into_inner()).unwrap();
    let txt = dir.path().join("draft.txt");
    std::fs::write(&txt, COPY.join("\n\n")).unwrap();
    let from_odt = audit_json(&[odt.to_str().unwrap()]);
    assert_eq!(from_odt["files"][0]["format"], "odt");
    let found = matches(&from_odt);
    assert!(found.len() >= 5, "{found:?}");
    assert_eq!(found, matches(&audit_json(&[txt.to_str().unwrap()])));
}

#[test]
fn comments_and_tracked_deletions_are_not_audited_but_insertions_are() {
    let dir = tempfile::tempdir().unwrap();
    let body = concat!(
        r#"<w:p><w:r><w:t xml:space="preserve">Our serum </w:t></w:r>"#,
        r#"<w:del w:id="2"><w:r><w:delText xml:space="preserve">cures eczema and </w:delText></w:r></w:del>"#,
        r#"<w:ins w:id="3"><w:r><w:t xml:space="preserve">is FDA approved and </w:t></w:r></w:ins>"#,
        r#"<w:r><w:t>feels light.</w:t></w:r></w:p>"#
    );
    let docx = dir.path().join("tracked.docx");
    std::fs::write(&docx, word_package(body, "Can we say it heals acne?")).unwrap();
    let report = audit_json(&[docx.to_str().unwrap()]);
    let found = matches(&report);
    let texts: Vec<&str> = found.iter().map(|(_, text, _)| text.as_str()).collect();
    assert!(texts.contains(&"FDA approved"), "{found:?}");
    for (_, _, claim) in &found {
        assert_eq!(claim, "Our serum is FDA approved and feels light.");
    }
}

#[test]
fn the_human_report_quotes_the_paragraph_and_names_it() {
    let out = Command::cargo_bin("overclaim")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "audit",
            "samples/drafts/launch-email.docx",
            "--color",
            "never",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let human = String::from_utf8(out.stdout).unwrap();
    assert!(
        human.contains("| Heals acne scars completely\n"),
        "the table cell is quoted whole:\n{human}"
    );
    assert!(
        human.contains("= note: in table 1, row 3, cell 2"),
        "{human}"
    );
    assert!(
        !human.contains("regenerates damaged skin cells"),
        "a tracked deletion is not copy:\n{human}"
    );
    assert!(
        !human.contains("It is not cleared"),
        "a comment is not copy:\n{human}"
    );
}

#[test]
fn a_file_named_docx_that_is_no_word_document_is_skipped_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("notes.docx");
    std::fs::write(&fake, "Heals acne overnight.").unwrap();
    let out = Command::cargo_bin("overclaim")
        .unwrap()
        .args(["audit", fake.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "incomplete: nothing passes unread"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("not a Word document"), "{stderr}");
}
