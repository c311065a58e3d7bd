//! The `overclaim` command: a thin shell over [`overclaim::cli::main`].

use std::process::ExitCode;

fn main() -> ExitCode {
    overclaim::cli::main()
}
