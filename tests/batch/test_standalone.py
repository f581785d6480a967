"""The batch job on a real standalone Spark cluster (a master and a worker on this machine).

Everything listens on 127.0.0.1 only, on fixed ports (7177-7199, web UIs 8180-8199); the
fixture stops both daemons afterwards. The job runs through the ``warlog batch`` command in
its own process (a process holds one SparkContext, and the other tests keep a local one)
and must give what ``warlog run`` stores.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from batch.test_batch_equality import compare, from_parquet, stored
from warlog.ingest.tabular import parse_map
from warlog.pipeline import ingest_paths
from warlog.settings import IngestOptions
from warlog.store import Store

pytestmark = pytest.mark.slow

HOST = "127.0.0.1"
MASTER_PORT, WORKER_PORT, DRIVER_PORT, BLOCK_PORT = 7177, 7178, 7180, 7185
MASTER_UI, WORKER_UI = 8180, 8181
FAKES_MAP = "text=text,title=title,outlet=outlet,id=id"


def _spark_class() -> Path:
    from warlog.batch import spark

    why = spark.missing()
    if why:
        if os.environ.get("WARLOG_REQUIRE_SPARK") == "1":
            pytest.fail(f"WARLOG_REQUIRE_SPARK=1 but Spark cannot start: {why}")
        pytest.skip(f"Spark tests skipped: {why}")
    import pyspark

    return Path(pyspark.__file__).parent / "bin" / "spark-class"


def _wait_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 90) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"Spark daemon exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.5)
    raise RuntimeError(f"nothing listens on {HOST}:{port} after {seconds} s")


def _alive_workers() -> int:
    with urllib.request.urlopen(f"http://{HOST}:{MASTER_UI}/json/", timeout=5) as r:
        return int(json.load(r).get("aliveworkers", 0))


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@pytest.fixture(scope="module")
def standalone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``spark://127.0.0.1:7177`` with one worker of 2 cores; both stopped at teardown."""
    spark_class = _spark_class()
    work = tmp_path_factory.mktemp("spark-standalone")
    env = {
        **os.environ,
        "SPARK_LOCAL_IP": HOST,
        "SPARK_LOG_DIR": str(work),
        "SPARK_WORKER_DIR": str(work / "worker"),
        "PYSPARK_PYTHON": sys.executable,
    }
    procs: list[subprocess.Popen[bytes]] = []
    logs = [(work / f"{n}.log").open("wb") for n in ("master", "worker")]
    try:
        procs.append(
            subprocess.Popen(
                [str(spark_class), "org.apache.spark.deploy.master.Master",
                 "--host", HOST, "--port", str(MASTER_PORT), "--webui-port", str(MASTER_UI)],
                env=env, stdout=logs[0], stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
        _wait_port(MASTER_PORT, procs[0])
        _wait_port(MASTER_UI, procs[0])
        url = f"spark://{HOST}:{MASTER_PORT}"
        procs.append(
            subprocess.Popen(
                [str(spark_class), "org.apache.spark.deploy.worker.Worker", url,
                 "--host", HOST, "--port", str(WORKER_PORT), "--webui-port", str(WORKER_UI),
                 "--cores", "2", "--memory", "3g", "--work-dir", str(work / "worker")],
                env=env, stdout=logs[1], stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
        end = time.monotonic() + 90
        while _alive_workers() < 1:
            if time.monotonic() > end or procs[1].poll() is not None:
                raise RuntimeError("the Spark worker did not register with the master")
            time.sleep(0.5)
        yield url
    finally:
        for p in reversed(procs):
            _stop(p)
        for f in logs:
            f.close()


def _batch(
    master: str, paths: list[str], out: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    confs = {
        "spark.driver.port": DRIVER_PORT,
        "spark.blockManager.port": BLOCK_PORT,
        "spark.port.maxRetries": 8,
        "spark.executor.memory": "2g",
        "spark.cores.max": 2,
    }
    args = [sys.executable, "-c", "from warlog.cli import main; main()", "batch", *paths]
    args += ["--out", str(out)]
    args += ["--master", master, "--partitions", "4", *extra]
    for k, v in confs.items():
        args += ["--conf", f"{k}={v}"]
    return subprocess.run(args, capture_output=True, text=True, timeout=900)


def test_standalone_cluster_batch_equals_run(
    standalone: str, seeds_dir: Path, fakes_dev: Path, tmp_path: Path
) -> None:
    # The seeds (small files, packed into tasks) and a gzipped slice of FA-KES (split into
    # record ranges), in one job.
    import gzip

    with fakes_dev.open("rb") as f:
        rows = b"".join(line for _, line in zip(range(60), f, strict=False))
    fakes = tmp_path / "fakes60.jsonl.gz"
    fakes.write_bytes(gzip.compress(rows))
    paths = [str(seeds_dir), str(fakes)]
    store = Store(f"sqlite:///{tmp_path / 'run.db'}")
    try:
        report = ingest_paths(
            store, paths, IngestOptions(column_map=parse_map(FAKES_MAP)), command="run"
        )
        assert not report.failed
        single = stored(store)
    finally:
        store.close()
    out = tmp_path / "out"
    res = _batch(standalone, paths, out, "--map", FAKES_MAP, "--records-per-task", "16")
    assert res.returncode == 0, res.stderr[-3000:]
    assert "Traceback" not in res.stderr
    summary = json.loads((out / "_report.json").read_text())
    assert summary["tasks"] >= 5  # 60 records in ranges of 16, and the packed seeds
    assert len(single["articles"]) > 60 and single["events"]
    compare(single, from_parquet(out))
