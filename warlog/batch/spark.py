"""Starting Spark: one place for the settings every warlog job and test uses."""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING

from warlog.errors import E, WarlogError

if TYPE_CHECKING:
    from pyspark import SparkContext
    from pyspark.sql import SparkSession


def missing() -> str | None:
    """Why Spark cannot start here (no pyspark, no java), or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install -c constraints.txt -e '.[spark]')"
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and os.path.exists(os.path.join(java_home, "bin", "java"))) and not (
        shutil.which("java")
    ):
        return "no Java runtime found (install openjdk-17-jre-headless or set JAVA_HOME)"
    return None


def context(
    master: str = "local[*]",
    *,
    app: str = "warlog-batch",
    shuffle_partitions: int | None = None,
    extra: dict[str, str] | None = None,
) -> SparkContext:
    """A SparkContext whose Python workers run this interpreter (so they import this warlog).

    The job needs no Spark SQL (it writes Parquet with pyarrow): a plain context starts
    without the SQL session, measured 4.5 s of a 35 s job on this machine.
    """
    why = missing()
    if why:
        raise WarlogError(E.E118, what="--engine spark", reason=why)
    # Executors must import the same warlog and models as the driver: same interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark import SparkConf, SparkContext

    conf = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        # Python objects are shuffled as pickles; Spark's Python workers are reused so the
        # models loaded in a worker serve every later task it runs.
        "spark.python.worker.reuse": "true",
        # PySpark spills a shuffle's Python side to disk, with a gc.collect() per spill,
        # whenever the worker's RSS passes this (512m by default). The models alone put a
        # worker near 700 MB, so every groupByKey spilled batch after batch: measured, most
        # of the link stage's time. The limit is on spilling, not an allocation.
        "spark.python.worker.memory": "3g",
        # The driver JVM (in local mode also the executor) mostly moves bytes between
        # Python processes: the client compiler alone and the serial collector cost it
        # 6-7 CPU seconds instead of 12 for a short job (measured, 2 busy cores), where C2
        # compiling and parallel GC threads compete with the Python workers for the cores.
        "spark.driver.extraJavaOptions": (
            "-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC"
        ),
    }
    if master.startswith("local") or _loopback(master):
        # A laptop, a CI box or a cluster on this machine: never listen on a public interface.
        conf["spark.driver.bindAddress"] = "127.0.0.1"
        conf["spark.driver.host"] = "127.0.0.1"
    if shuffle_partitions:
        conf["spark.sql.shuffle.partitions"] = str(shuffle_partitions)
        conf["spark.default.parallelism"] = str(shuffle_partitions)
    conf.update(extra or {})
    sc = SparkContext.getOrCreate(
        SparkConf().setMaster(master).setAppName(app).setAll(conf.items())
    )
    sc.setLogLevel("ERROR")
    return sc


def session(
    master: str = "local[*]",
    *,
    app: str = "warlog-batch",
    shuffle_partitions: int | None = None,
    extra: dict[str, str] | None = None,
) -> SparkSession:
    """A SparkSession on :func:`context` (for Spark SQL; the batch job needs only the context)."""
    from pyspark.sql import SparkSession

    sc = context(master, app=app, shuffle_partitions=shuffle_partitions, extra=extra)
    return SparkSession(sc)


def _loopback(master: str) -> bool:
    """A ``spark://`` master on this machine (the standalone cluster of the tests)."""
    host = master.removeprefix("spark://").split(":")[0]
    return master.startswith("spark://") and host in ("127.0.0.1", "localhost")
