//! The HTML report in a real browser: headless Chromium renders it (a screenshot is written to
//! target/browser/report.png), its highlights and panels are in the rendered DOM, and a
//! `<script>` in the audited copy is shown as text and never runs.
//!
//! .ci/run installs Debian's chromium; where no Chromium is installed locally the test says so
//! and skips, but under CI (`CI` set) a missing browser fails the test.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let out = std::process::Command::new("which")
                .arg(name)
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
}

fn headless(browser: &Path, profile: &Path, args: &[String]) -> std::process::Output {
    std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs")
}

#[test]
fn the_html_report_renders_and_never_runs_audited_scripts() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium is missing under CI: .ci/run should install it"
        );
        eprintln!("skipped: no Chromium here (install Debian's chromium to run this test)");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = root.join("target/browser");
    std::fs::create_dir_all(&out_dir).unwrap();
    let report = out_dir.join("report.html");
    let status = Command::cargo_bin("overclaim")
        .unwrap()
        .current_dir(root)
        .args([
            "audit",
            "tests/fixtures/hostile/page.txt",
            "samples/lumiere-exosome-serum.html",
            "--format",
            "html",
            "--output",
        ])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(
        status.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let url = format!("file://{}", report.display());
    let profile = tempfile::tempdir().unwrap();

    let dom = headless(
        &browser,
        profile.path(),
        &["--dump-dom".to_string(), url.clone()],
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("<mark"), "highlights are rendered");
    assert!(dom.contains("id=\"f0\""), "finding panels are rendered");
    assert!(
        !dom.contains("data-pwned=\"yes\""),
        "the audited copy's script must never run"
    );
    assert!(
        dom.contains("&lt;script&gt;document.body.setAttribute"),
        "it is shown as text"
    );

    // An EU filter shows EU severities: a finding that is an error in the US only is shown
    // as the warning it is in the EU, and the count follows the filter.
    let eu = headless(
        &browser,
        profile.path(),
        &[
            "--dump-dom".to_string(),
            format!("{url}#only=jurisdiction:EU"),
        ],
    );
    let eu = String::from_utf8_lossy(&eu.stdout);
    let panels: Vec<&str> = eu.split("<article").skip(1).collect();
    let us_error_eu_warning = panels
        .iter()
        .find(|p| {
            let head = &p[..p.find('>').unwrap_or(p.len())];
            head.contains("data-severity=\"error\"")
                && head.contains("EU:warning")
                && !head.contains("UK:error")
        })
        .expect("a finding that is an error outside the EU only");
    assert!(
        us_error_eu_warning.contains("class=\"badge sev-warning\">warning<"),
        "the EU filter shows the EU severity: {us_error_eu_warning}"
    );
    assert!(
        eu.contains(" findings shown") && eu.contains(" of "),
        "the count follows"
    );

    let screenshot = out_dir.join("report.png");
    let _ = std::fs::remove_file(&screenshot);
    headless(
        &browser,
        profile.path(),
        &[
            format!("--screenshot={}", screenshot.display()),
            "--window-size=1280,1800".to_string(),
            url,
        ],
    );
    let size = std::fs::metadata(&screenshot).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000,
        "a screenshot of the report was written ({size} bytes)"
    );
}
