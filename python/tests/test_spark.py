"""The Spark job finds what the command line finds, on 10,000 generated product pages.

Both audit the same records (the command line as a JSON Lines file), and their findings must
be the same multiset of (record id, rule, severity, text, claim, suggestion). Spans are left
out: the command line's point into the JSON Lines file, the job's into each body. The test
also prints the throughput of the command line, of `Auditor.audit_batch` in this process and
of the Spark job (its first run, which starts the Python workers, and a second), in rows
per second and per core.
"""

import json
import os
import subprocess
import sys
import time
from collections import Counter

import pandas as pd
import pytest

import corpus
from conftest import REPO_ROOT
from overclaim import Auditor

ROWS = 10_000
# Judged under these on both sides, whatever config the working folder has.
JURISDICTIONS = ["US", "EU", "UK"]
SPARK_CORES = 2


@pytest.fixture(scope="module")
def rows() -> list[tuple[str, str]]:
    return corpus.descriptions(ROWS)


@pytest.fixture(scope="module")
def spark():
    # Spark starts its Python workers with $PYSPARK_PYTHON: this interpreter, with overclaim.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    # Driver, executor and workers talk over the loopback interface only.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(f"local[{SPARK_CORES}]")
        .appName("overclaim-test")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", str(SPARK_CORES))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def key(id: str, finding: dict) -> tuple:
    return (str(id), finding["rule"], finding["severity"], finding["text"], finding["claim"], finding["suggestion"])


def timed(run):
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def test_spark_job_finds_what_the_command_line_finds(rows, spark, overclaim_bin, tmp_path, capsys):
    from overclaim.spark import audit_dataframe

    records = tmp_path / "products.jsonl"
    corpus.write_jsonl(rows, records)
    command = [str(overclaim_bin), "audit", "--jsonl", str(records), "--format", "jsonl"]
    command += ["--jurisdiction", ",".join(JURISDICTIONS)]
    cli, cli_seconds = timed(
        lambda: subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    )
    # 1 is the exit code of a run with findings; anything else is a failure.
    assert cli.returncode == 1, cli.stderr
    documents = [json.loads(line) for line in cli.stdout.splitlines()]
    assert len(documents) == ROWS
    expected = Counter(key(d["id"], f) for d in documents for f in d["findings"])

    frame = spark.createDataFrame(pd.DataFrame(rows, columns=["id", "body_html"]))
    frame = frame.repartition(SPARK_CORES).cache()
    frame.count()
    job = audit_dataframe(frame, jurisdictions=JURISDICTIONS)
    # The first run starts the Python workers; the second shows the steady rate.
    findings, cold_seconds = timed(job.toPandas)
    _, spark_seconds = timed(job.toPandas)
    got = Counter(key(r.id, r._asdict()) for r in findings.itertuples(index=False))

    auditor = Auditor(jurisdictions=JURISDICTIONS)
    batch, batch_seconds = timed(lambda: auditor.audit_batch([html for _, html in rows]))
    in_process = Counter(key(id, f) for (id, _), found in zip(rows, batch) for f in found)

    assert sum(expected.values()) > ROWS // 2, "the corpus should hold many overclaims"
    assert got == expected, f"only the job: {got - expected}; only the command line: {expected - got}"
    assert in_process == expected

    cores = os.cpu_count() or 1
    with capsys.disabled():
        print(f"\n{ROWS} rows, {sum(expected.values())} findings, {cores} cores")
        print(f"{'':32}{'rows/s':>10}{'rows/s/core':>14}")
        for name, seconds, used in [
            (f"command line ({overclaim_bin.parent.name})", cli_seconds, cores),
            ("Python audit_batch", batch_seconds, cores),
            (f"Spark local[{SPARK_CORES}], first run", cold_seconds, SPARK_CORES),
            (f"Spark local[{SPARK_CORES}], second run", spark_seconds, SPARK_CORES),
        ]:
            print(f"{name:32}{ROWS / seconds:>10.0f}{ROWS / seconds / used:>14.0f}")
