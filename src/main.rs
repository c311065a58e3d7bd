//! The `overclaim` command: a thin shell over [`overclaim::cli::run`].

use std::process::ExitCode;

fn main() -> ExitCode {
    overclaim::cli::run()
}
