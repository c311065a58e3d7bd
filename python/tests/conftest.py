"""Shared fixtures: where the repository and the command-line binary are."""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def overclaim_bin() -> Path:
    """The `overclaim` binary to compare with: $OVERCLAIM_BIN, else the release build."""
    path = Path(os.environ.get("OVERCLAIM_BIN", REPO_ROOT / "target/release/overclaim"))
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not path.is_file():
        pytest.fail(f"no overclaim binary at {path}: run `cargo build --release` or set OVERCLAIM_BIN")
    return path
