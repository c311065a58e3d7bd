//! The grammar's call limit holds per block: a block that reaches it is reported as skipped
//! (the run is incomplete) and every other block of the file is still audited.
//!
//! The only test in its own binary: it lowers pest's process-wide call limit, which would
//! disturb tests running beside it.

use overclaim::report::{Audited, Report, Reporter};
use overclaim::{RunSettings, Silent};

/// Keeps the line of every rule match (a finding's own and its related rules').
#[derive(Default)]
struct Lines(Vec<usize>);

impl Reporter for Lines {
    fn document(&mut self, audited: &Audited<'_>) -> std::io::Result<()> {
        for f in audited.findings {
            self.0.push(f.span.line);
            self.0.extend(f.related.iter().map(|r| r.span.line));
        }
        Ok(())
    }
    fn finish(&mut self, _report: &Report) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_block_over_the_call_limit_is_skipped_and_the_rest_audited() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    let long = "Soft skin and a gentle glow ".repeat(2_000);
    std::fs::write(
        &page,
        format!("Heals eczema.\n\n{long}\n\nINGREDIENTS\n\nAqua, glycerin.\n\nCures acne fast.\n"),
    )
    .unwrap();
    let settings = RunSettings {
        paths: vec![page],
        max_file_size: overclaim::DEFAULT_MAX_FILE_SIZE,
        ..RunSettings::default()
    };
    let run = || {
        let mut lines = Lines::default();
        let report = overclaim::run(&settings, &mut lines, &Silent)
            .unwrap()
            .report;
        (report, lines.0)
    };
    // The first run sets the library's own limit; this one is far below what the long block needs.
    let (whole, lines) = run();
    assert!(whole.skipped.is_empty());
    assert_eq!(lines, vec![1, 9, 9]);
    pest::set_call_limit(std::num::NonZeroUsize::new(50_000));
    let (report, lines) = run();
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    let skipped = &report.skipped[0];
    assert_eq!(skipped.line, Some(3));
    assert!(
        skipped.reason.contains("not parsed (call limit reached)"),
        "{}",
        skipped.reason
    );
    assert!(
        skipped.reason.len() < 200,
        "a short reason, never the block"
    );
    assert_eq!(lines, vec![1, 9, 9], "the blocks around it are audited");
}
