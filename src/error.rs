//! The one error type of a run, and the exit code each outcome means.

use crate::rules::LoadError;

/// Why a run could not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Problems in rule, config or waivers files: every one found, each located.
    #[error("{} problem(s) in rule or config files", .0.len())]
    Config(Vec<LoadError>),
    /// A baseline file that cannot be read or is not one.
    #[error("{0}")]
    Baseline(LoadError),
    /// A command-line value that is not valid (an unknown jurisdiction, say).
    #[error("{0}")]
    Usage(String),
    /// The report could not be written.
    #[error("cannot write the report: {0}")]
    Output(#[source] std::io::Error),
}

impl RunError {
    /// The process exit code: 2 for every run error (0 is a clean run, 1 a run with findings
    /// at or above `--fail-on`).
    pub fn exit_code(&self) -> u8 {
        2
    }

    /// The lines to print on standard error, most specific first.
    pub fn messages(&self) -> Vec<String> {
        match self {
            RunError::Config(errors) => errors
                .iter()
                .map(|e| format!("error: {e}"))
                .chain(std::iter::once(format!("error: {self}")))
                .collect(),
            _ => vec![format!("error: {self}")],
        }
    }
}

impl From<Vec<LoadError>> for RunError {
    fn from(errors: Vec<LoadError>) -> RunError {
        RunError::Config(errors)
    }
}
