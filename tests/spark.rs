//! The Python package's tests (python/tests: the API, and the Spark job against this crate's
//! binary on 10,000 generated pages), run with the virtualenv that `python/setup-env` makes.
//!
//! Without that virtualenv the test is skipped with a note, unless `OVERCLAIM_REQUIRE_PYTHON`
//! is set (as CI sets it), when it fails.

use std::path::Path;
use std::process::Command;

#[test]
fn python_package_and_spark_job_agree_with_the_command_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join("target/python-env/bin/python");
    if !python.exists() {
        let missing = format!(
            "no Python environment at {}: run python/setup-env",
            python.display()
        );
        if std::env::var_os("OVERCLAIM_REQUIRE_PYTHON").is_some() {
            panic!("{missing} (OVERCLAIM_REQUIRE_PYTHON is set)");
        }
        eprintln!("skipping the Python tests: {missing}");
        return;
    }
    let output = Command::new(&python)
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "python/tests",
        ])
        .current_dir(root)
        .env("OVERCLAIM_BIN", env!("CARGO_BIN_EXE_overclaim"))
        .output()
        .expect("the virtualenv's python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Shown with `cargo test --test spark -- --nocapture`: the throughput table.
    println!("{stdout}");
    assert!(
        output.status.success(),
        "python -m pytest python/tests failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
}
