"""Audit a Spark DataFrame of product descriptions for overclaims.

`audit_dataframe(df)` takes a DataFrame with an id column and an HTML body column and gives
a DataFrame of findings, one row per finding. It runs the audit with `mapInPandas`: each
partition's Python worker builds one `overclaim.Auditor` (the rules are compiled once per
partition, not once per row) and hands it the partition's Arrow batches whole, through
`Auditor.audit_batch`, which audits a batch on all the worker's cores with the GIL released.

Run as a module, it audits a JSON Lines file of {"id": ..., "body_html": ...} records into
Parquet:

    python -m overclaim.spark products.jsonl findings.parquet --jurisdiction EU,UK

This module needs PySpark, pandas and pyarrow, which `overclaim` itself does not.
"""

import argparse
import os
import sys
from collections.abc import Iterator
from functools import partial
from typing import Any

import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import IntegerType, MapType, StringType, StructField, StructType

from . import Auditor

#: One row per finding: the record's id, then the finding's fields as in the JSON report
#: (its span's line and column are those of the body text).
FINDINGS_SCHEMA = StructType(
    [
        StructField("id", StringType(), False),
        StructField("rule", StringType(), False),
        StructField("category", StringType(), False),
        StructField("severity", StringType(), False),
        StructField("severities", MapType(StringType(), StringType()), False),
        StructField("text", StringType(), False),
        StructField("claim", StringType(), False),
        StructField("suggestion", StringType(), False),
        StructField("message", StringType(), False),
        StructField("line", IntegerType(), False),
        StructField("column", IntegerType(), False),
    ]
)

_FINDING_FIELDS = ["rule", "category", "severity", "severities", "text", "claim", "suggestion", "message"]


def audit_partition(
    batches: Iterator[pd.DataFrame], settings: dict[str, Any], format: str
) -> Iterator[pd.DataFrame]:
    """The findings of one partition's batches of (id, body) rows, one frame per batch.

    `settings` are `Auditor`'s keyword arguments; a missing body is audited as empty copy.
    """
    auditor = Auditor(**settings)
    for batch in batches:
        ids = batch["id"].tolist()
        bodies = batch["body"].fillna("").tolist()
        rows = [
            {
                "id": id,
                **{field: finding[field] for field in _FINDING_FIELDS},
                "line": finding["span"]["line"],
                "column": finding["span"]["column"],
            }
            for id, findings in zip(ids, auditor.audit_batch(bodies, format, names=ids))
            for finding in findings
        ]
        yield pd.DataFrame(rows, columns=FINDINGS_SCHEMA.fieldNames())


def audit_dataframe(
    df: DataFrame,
    id_col: str = "id",
    body_col: str = "body_html",
    format: str = "html",
    **settings: Any,
) -> DataFrame:
    """The findings of every row's `body_col`, as a DataFrame of `FINDINGS_SCHEMA`.

    `settings` are passed to `overclaim.Auditor` (jurisdictions=, product=, config=, ...);
    a config or rule folder must be readable at the same path on every executor.
    """
    rows = df.select(df[id_col].cast("string").alias("id"), df[body_col].alias("body"))
    return rows.mapInPandas(partial(audit_partition, settings=settings, format=format), FINDINGS_SCHEMA)


def main() -> None:
    parser = argparse.ArgumentParser(description="Audit product descriptions (JSON Lines) into Parquet findings.")
    parser.add_argument("input", help='JSON Lines records with "id" and "body_html"')
    parser.add_argument("output", help="Parquet folder for the findings")
    parser.add_argument("--jurisdiction", help="comma-separated codes, as `overclaim audit --jurisdiction`")
    parser.add_argument("--product", help="cosmetic, drug, device or supplement")
    args = parser.parse_args()

    settings: dict[str, Any] = {}
    if args.jurisdiction:
        settings["jurisdictions"] = args.jurisdiction.split(",")
    if args.product:
        settings["product"] = args.product
    # Fail on bad settings here, before Spark starts a task.
    Auditor(**settings)

    # Local workers run this interpreter, which has overclaim, unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.appName("overclaim-audit").getOrCreate()
    findings = audit_dataframe(spark.read.json(args.input), **settings)
    findings.write.mode("overwrite").parquet(args.output)
    spark.stop()


if __name__ == "__main__":
    main()
