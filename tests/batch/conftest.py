"""One local SparkSession for the whole test session (starting Spark takes seconds)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark_context() -> Iterator[Any]:
    from warlog.batch import spark

    why = spark.missing()
    if why:
        if os.environ.get("WARLOG_REQUIRE_SPARK") == "1":
            pytest.fail(f"WARLOG_REQUIRE_SPARK=1 but Spark cannot start: {why}")
        pytest.skip(f"Spark tests skipped: {why}")
    sc = spark.context("local[2]", app="warlog-tests", shuffle_partitions=4)
    try:
        yield sc
    finally:
        sc.stop()
