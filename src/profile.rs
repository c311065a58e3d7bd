//! Time spent in each pipeline stage, summed over threads: the stage profile the audit benchmark
//! prints (`cargo bench --bench audit --features stage-profile -- --stages`). Without the
//! `stage-profile` feature every [`time`] is the bare call and nothing is counted.

/// A stage of the pipeline as the profile names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading a file and deciding its format.
    Source,
    /// HTML to visible text and its source map.
    ExtractHtml,
    /// Markdown to visible text and its source map.
    ExtractMarkdown,
    /// Plain text and label files (the identity map).
    ExtractText,
    /// The pest grammar: blocks, sentences and tokens.
    Grammar,
    /// Claim frames: the automaton pass, frame properties, assertion.
    Claims,
    /// Rules, evidence and jurisdictions into findings, then findings merged into claims.
    Judge,
    /// Writing the findings in the report format.
    Report,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 8] = [
        Stage::Source,
        Stage::ExtractHtml,
        Stage::ExtractMarkdown,
        Stage::ExtractText,
        Stage::Grammar,
        Stage::Claims,
        Stage::Judge,
        Stage::Report,
    ];

    /// Its name in the profile table.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Source => "source (read)",
            Stage::ExtractHtml => "extract: HTML",
            Stage::ExtractMarkdown => "extract: Markdown",
            Stage::ExtractText => "extract: text and labels",
            Stage::Grammar => "grammar (pest)",
            Stage::Claims => "claims",
            Stage::Judge => "judge (and merge)",
            Stage::Report => "report (write)",
        }
    }
}

#[cfg(feature = "stage-profile")]
mod counters {
    use super::Stage;
    use std::sync::atomic::{AtomicU64, Ordering};

    static NANOS: [AtomicU64; Stage::ALL.len()] = [const { AtomicU64::new(0) }; Stage::ALL.len()];

    pub(super) fn add(stage: Stage, nanos: u64) {
        NANOS[stage as usize].fetch_add(nanos, Ordering::Relaxed);
    }

    pub(super) fn read(stage: Stage) -> u64 {
        NANOS[stage as usize].load(Ordering::Relaxed)
    }
}

/// Runs `f`, counting its time against `stage` when the profile is compiled in.
#[inline(always)]
pub(crate) fn time<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    #[cfg(feature = "stage-profile")]
    {
        let start = std::time::Instant::now();
        let result = f();
        counters::add(stage, start.elapsed().as_nanos() as u64);
        result
    }
    #[cfg(not(feature = "stage-profile"))]
    {
        let _ = stage;
        f()
    }
}

/// Seconds spent in each stage so far (summed over threads), or `None` without the
/// `stage-profile` feature.
pub fn seconds() -> Option<Vec<(Stage, f64)>> {
    #[cfg(feature = "stage-profile")]
    {
        Some(
            Stage::ALL
                .iter()
                .map(|&s| (s, counters::read(s) as f64 / 1e9))
                .collect(),
        )
    }
    #[cfg(not(feature = "stage-profile"))]
    {
        None
    }
}
