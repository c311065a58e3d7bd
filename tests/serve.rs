//! The review page's server (`overclaim serve`) over HTTP: it reports what `overclaim audit`
//! reports on the same copy, records waivers only after a preview, and refuses what it must
//! (other hosts and origins, names outside its folder, bodies over the limit).

mod common;

use serde_json::{Value, json};
use std::path::Path;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// The status and JSON body of a POST.
fn post(url: &str, body: &Value) -> (u16, Value) {
    let mut response = agent().post(url).send_json(body).unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_json().unwrap())
}

/// Each finding as `(rule, start, end, text)`, and each of its related rules the same way.
fn matches(report: &Value) -> Vec<(String, u64, u64, String)> {
    common::rule_matches(report)
        .map(|(_, m)| {
            (
                m["rule"].as_str().unwrap().to_string(),
                m["span"]["start"].as_u64().unwrap(),
                m["span"]["end"].as_u64().unwrap(),
                m["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_page_reports_what_audit_reports_on_the_same_copy() {
    let page = common::ReviewPage::start(&["samples"]);
    for sample in [
        "lumiere-exosome-serum.html",
        "post-microneedling-recovery.md",
        "hair-scalp-exosome.txt",
    ] {
        let text = std::fs::read_to_string(Path::new("samples").join(sample)).unwrap();
        let (status, report) = post(
            &format!("{}/api/audit", page.url),
            &json!({ "name": sample, "text": text }),
        );
        assert_eq!(status, 200, "{report}");
        let audited = common::audit_json(&[&format!("samples/{sample}")]);
        assert!(!matches(&audited).is_empty());
        assert_eq!(matches(&report), matches(&audited), "{sample}");
        assert_eq!(report["summary"], audited["summary"], "{sample}");
    }

    // A dropped Word draft: its copy as text, and the findings of auditing the file.
    let draft = std::fs::read("samples/drafts/launch-email.docx").unwrap();
    let mut response = agent()
        .post(format!("{}/api/open", page.url))
        .header("x-file-name", "launch-email.docx")
        .send(&draft[..])
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let opened: Value = response.body_mut().read_json().unwrap();
    let audited = common::audit_json(&["samples/drafts/launch-email.docx"]);
    assert_eq!(matches(&opened["report"]), matches(&audited));
    let first = &opened["report"]["findings"][0];
    assert!(first["part"].as_str().unwrap().starts_with("paragraph"));
    // The copy shown is what the spans index, and editing it audits it as text.
    let text = opened["text"].as_str().unwrap();
    let span = &first["span"];
    let quoted =
        &text[span["start"].as_u64().unwrap() as usize..span["end"].as_u64().unwrap() as usize];
    assert_eq!(quoted, first["text"].as_str().unwrap());
    let (status, again) = post(
        &format!("{}/api/audit", page.url),
        &json!({ "name": "launch-email.docx", "text": text }),
    );
    assert_eq!(status, 200, "{again}");
    assert_eq!(matches(&again), matches(&audited));
}

#[test]
fn selectors_choose_the_jurisdictions_and_the_product() {
    let page = common::ReviewPage::start(&["samples"]);
    let copy = "Our serum repairs damaged skin and cures eczema.";
    let (_, all) = post(
        &format!("{}/api/audit", page.url),
        &json!({ "name": "draft.txt", "text": copy }),
    );
    let (status, eu) = post(
        &format!("{}/api/audit", page.url),
        &json!({ "name": "draft.txt", "text": copy, "jurisdictions": ["EU"], "product": "cosmetic" }),
    );
    assert_eq!(status, 200, "{eu}");
    assert_eq!(
        all["findings"][0]["jurisdictions"],
        json!(["US", "EU", "UK"])
    );
    assert_eq!(eu["findings"][0]["jurisdictions"], json!(["EU"]));
    let (status, wrong) = post(
        &format!("{}/api/audit", page.url),
        &json!({ "name": "draft.txt", "text": copy, "product": "spaceship" }),
    );
    assert_eq!(status, 400);
    assert!(wrong["error"].as_str().unwrap().contains("spaceship"));
    // No jurisdiction ticked is not a clean report.
    let (status, none) = post(
        &format!("{}/api/audit", page.url),
        &json!({ "name": "draft.txt", "text": copy, "jurisdictions": [] }),
    );
    assert_eq!(status, 400, "{none}");
    let (status, unknown) = post(
        &format!("{}/api/audit", page.url),
        &json!({ "name": "draft.txt", "text": copy, "jurisdictions": ["XX"] }),
    );
    assert_eq!(status, 400, "{unknown}");
    assert!(!unknown["error"].as_str().unwrap().starts_with("error:"));
    // A body the page got wrong is answered in JSON too.
    let (status, wrong) = post(&format!("{}/api/audit", page.url), &json!({ "text": copy }));
    assert_eq!(status, 422);
    assert!(wrong["error"].as_str().unwrap().contains("name"), "{wrong}");
}

#[test]
fn a_server_that_could_not_work_does_not_start() {
    let out = assert_cmd::Command::cargo_bin("overclaim")
        .unwrap()
        .args([
            "serve",
            "--port",
            "0",
            "--config",
            "no-such-config.yaml",
            "samples",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-config.yaml"));
    let out = assert_cmd::Command::cargo_bin("overclaim")
        .unwrap()
        .args(["serve", "--port", "0", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_waiver_is_previewed_as_a_diff_then_written_and_waives_the_finding() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join(".git"), "").unwrap();
    let existing = "# Decisions of the regulatory team\nwaivers: # newest last\n";
    let folder_arg = folder.path().to_str().unwrap();
    let page = common::ReviewPage::start(&[folder_arg]);
    let copy = "New Miracle Serum. It cures eczema.";
    let audit = || {
        post(
            &format!("{}/api/audit", page.url),
            &json!({ "name": "pages/serum.md", "text": copy }),
        )
        .1
    };
    let before = audit();
    let waived_rule = before["findings"][0]["rule"].as_str().unwrap().to_string();
    let asked = json!({
        "name": "pages/serum.md",
        "rule": waived_rule,
        "excerpt": before["findings"][0]["text"],
        "reviewer": "A. Reviewer (Regulatory)",
        "reason": "Trademarked name, reviewed with counsel",
        "expires": "2099-01-31",
    });
    let (status, preview) = post(&format!("{}/api/waiver", page.url), &asked);
    assert_eq!(status, 200, "{preview}");
    let target = folder.path().join(".overclaim-waivers.yaml");
    assert!(!target.exists(), "a preview writes nothing");
    let diff = preview["diff"].as_str().unwrap();
    assert!(
        diff.contains("+++ ") && diff.contains("+  - path: pages/serum.md"),
        "{diff}"
    );

    let mut unknown = asked.clone();
    unknown["rule"] = json!("no.such-rule");
    assert_eq!(post(&format!("{}/api/waiver", page.url), &unknown).0, 400);
    let mut unbased = asked.clone();
    unbased["write"] = json!(true);
    let (status, _) = post(&format!("{}/api/waiver", page.url), &unbased);
    assert_eq!(status, 400, "a write names the preview it follows");

    // Written against a stale preview: refused.
    std::fs::write(&target, existing).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o664)).unwrap();
    }
    let mut write = asked.clone();
    write["write"] = json!(true);
    write["base"] = preview["base"].clone();
    let (status, stale) = post(&format!("{}/api/waiver", page.url), &write);
    assert_eq!(status, 409, "{stale}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), existing);

    let (_, preview) = post(&format!("{}/api/waiver", page.url), &asked);
    write["base"] = preview["base"].clone();
    let (status, written) = post(&format!("{}/api/waiver", page.url), &write);
    assert_eq!(status, 200, "{written}");
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with(existing), "what was there is kept: {text}");
    assert!(
        text.contains("reviewer: A. Reviewer (Regulatory)"),
        "{text}"
    );

    let after = audit();
    assert_eq!(after["summary"]["waived"], json!(1), "{after}");
    assert!(
        after["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] != json!(waived_rule)),
        "{after}"
    );

    let mut late = asked.clone();
    late["expires"] = json!("2001-01-01");
    assert_eq!(post(&format!("{}/api/waiver", page.url), &late).0, 400);
}

#[test]
fn other_hosts_origins_outside_names_and_big_bodies_are_refused() {
    let page = common::ReviewPage::start(&["samples", "--max-file-size", "2000"]);
    let response = agent().get(format!("{}/", page.url)).call().unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(policy.contains("default-src 'none'") && policy.contains("connect-src 'self'"));

    let rebound = agent()
        .get(format!("{}/api/session", page.url))
        .header("host", "attacker.example:80")
        .call()
        .unwrap();
    assert_eq!(rebound.status().as_u16(), 421);
    let elsewhere = agent()
        .post(format!("{}/api/audit", page.url))
        .header("origin", "http://attacker.example")
        .send_json(json!({ "name": "a.txt", "text": "cures acne" }))
        .unwrap();
    assert_eq!(elsewhere.status().as_u16(), 403);

    for name in ["../outside.md", "/etc/passwd", ""] {
        let (status, refused) = post(
            &format!("{}/api/audit", page.url),
            &json!({ "name": name, "text": "cures acne" }),
        );
        assert_eq!(status, 400, "{name}: {refused}");
    }
    let big = "Gentle daily moisturiser. ".repeat(10_000);
    let response = agent()
        .post(format!("{}/api/audit", page.url))
        .send_json(json!({ "name": "a.txt", "text": big }))
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    // Under the body limit but over --max-file-size: audited as a skipped file, said so.
    let (status, report) = post(
        &format!("{}/api/audit", page.url),
        &json!({ "name": "a.txt", "text": "Gentle daily moisturiser. ".repeat(100) }),
    );
    assert_eq!(status, 200);
    assert!(
        report["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("--max-file-size")
    );
}

#[test]
fn the_reviewed_copy_is_exported_as_the_html_report() {
    let page = common::ReviewPage::start(&["samples"]);
    let copy = "<p>Our serum cures eczema.</p><script>alert(1)</script>";
    let mut response = agent()
        .post(format!("{}/api/export", page.url))
        .send_json(json!({ "name": "pages/serum.html", "text": copy }))
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert_eq!(
        disposition,
        "attachment; filename=\"serum.html.overclaim.html\""
    );
    let html = response.body_mut().read_to_string().unwrap();
    assert!(html.contains("drug-claim.disease-treatment"));
    assert!(
        html.contains("<mark"),
        "the claim is highlighted in the report"
    );
    assert!(
        !html.contains("<script>alert(1)"),
        "audited markup is never pasted in"
    );
}
