"""``--workers N``: worker processes clean and extract, the parent alone writes; same ledger."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from warlog.cli import main
from warlog.ingest.tabular import parse_map
from warlog.pipeline import ingest_paths
from warlog.pool import Pool, ordered, resolve_workers
from warlog.settings import IngestOptions
from warlog.store import Store, schema

FAKES_MAP = "text=text,title=title,outlet=outlet,id=id"
# A page with a headline and nothing a reader would call a story: cleaning refuses it (E106).
NO_ARTICLE = "Home | World | Middle East\n\nShare this\n\nRelated: Syria\n"


def ledger(store: Store) -> dict[str, Any]:
    """Everything linking and extraction decided: articles, claims, links, events."""
    a, c, u, e = (schema.articles.c, schema.claims.c, schema.link_units.c, schema.events.c)
    with store.engine.connect() as conn:
        return {
            "articles": sorted(
                (r.id, r.duplicate_of, r.duplicate_how)
                for r in conn.execute(select(a.id, a.duplicate_of, a.duplicate_how))
            ),
            "claims": {r.id: json.loads(r.data) for r in conn.execute(select(c.id, c.data))},
            "links": sorted((r.key, r.event_id) for r in conn.execute(select(u.key, u.event_id))),
            "events": {r.id: json.loads(r.data) for r in conn.execute(select(e.id, e.data))},
        }


def _fakes_slice(src: Path, dst: Path, n: int) -> Path:
    with src.open(encoding="utf-8") as f:
        dst.write_text("".join(line for _, line in zip(range(n), f, strict=False)), "utf-8")
    return dst


def _corpus(tmp_path: Path, seeds: Path, fakes: Path) -> list[str]:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "menu.txt").write_text(NO_ARTICLE, "utf-8")
    return [str(seeds), str(bad), str(_fakes_slice(fakes, tmp_path / "fakes40.jsonl", 40))]


def _run(tmp_path: Path, name: str, paths: list[str], workers: int, **kw: Any) -> Any:
    store = Store(f"sqlite:///{tmp_path / name}")
    options = IngestOptions(column_map=parse_map(FAKES_MAP), workers=workers)
    try:
        report = ingest_paths(store, paths, options, command="run", **kw)
        return report, ledger(store)
    finally:
        store.close()


@pytest.mark.parametrize("requested", [None, 3])
def test_resolve_workers_default_is_the_cores(requested: int | None) -> None:
    n, asked = resolve_workers(requested)
    assert asked is (requested is not None)
    assert n == (requested or len(os.sched_getaffinity(0)))


def test_pool_ordered_gives_results_in_input_order() -> None:
    texts = ["x" * n for n in (5, 1, 40, 3, 0, 17, 2, 9, 11, 4)]
    pool = Pool(2)
    try:
        got = list(ordered(pool, len, texts, lambda item, exc: -1, ahead=3))
    finally:
        pool.close()
    assert got == [(t, len(t)) for t in texts]


def test_pool_record_that_kills_its_worker_is_named_and_the_rest_goes_on() -> None:
    # os._exit ends the worker process at once, as a segfault or the OOM killer would.
    pool = Pool(2)
    crashed: list[Any] = []

    def on_crash(item: Any, exc: BaseException) -> str:
        crashed.append(item)
        return "crashed"

    calls = [(os.getpid, ()), (os._exit, (3,)), (os.getpid, ()), (abs, (-4,))]
    try:
        got = [r for _, r in ordered(pool, _call, calls, on_crash)]
    finally:
        pool.close()
    assert crashed == [calls[1]]
    assert got[1] == "crashed" and got[3] == 4
    assert isinstance(got[0], int) and isinstance(got[2], int)


def test_pool_whose_workers_cannot_start_names_every_record_and_never_raises() -> None:
    # Regression: a pool that broke between two submissions raised BrokenProcessPool out of
    # the run (a traceback). Workers that die while starting (os._exit in the initializer,
    # as when the models cannot load) make every record a named failure instead.
    pool = Pool(2, os._exit, (3,))
    texts = ["a", "bb", "ccc", "dddd", "eeeee"]
    try:
        got = list(ordered(pool, len, texts, lambda item, exc: f"failed {item}", ahead=2))
    finally:
        pool.close()
    assert got == [(t, f"failed {t}") for t in texts]


def test_pool_abort_stops_a_worker_it_has_no_record_of() -> None:
    # Regression (CI, Ctrl-C test): an interrupt can cut a worker's start short after the
    # process exists but before the executor records it. multiprocessing joins every child
    # at exit, and that worker would wait for work forever: the parent never exited.
    ctx = multiprocessing.get_context("spawn")
    pool = Pool(1)
    stray = ctx.Process(target=time.sleep, args=(600,))
    try:
        assert list(ordered(pool, len, ["abc"], lambda item, exc: -1)) == [("abc", 3)]
        stray.start()
        own = list(pool._executor._processes.values())  # type: ignore[union-attr]
        pool.abort()
        # The executor's thread reaps its workers too, and a Process asked in between reads
        # as alive for a moment: the answer is taken once it has settled.
        end = time.monotonic() + 10
        while time.monotonic() < end and any(p.is_alive() for p in [stray, *own]):
            time.sleep(0.05)
        assert not stray.is_alive(), "the worker the pool has no record of still runs"
        assert own, "the pool started no worker"
        assert not [p for p in own if p.is_alive()], "the pool's own worker still runs"
    finally:
        if stray.is_alive():
            stray.kill()


_ABORT_WITH_A_BIG_CALL = """
import sys, time
from warlog.pool import Pool
if __name__ == "__main__":
    pool = Pool(2, time.sleep, (600,))  # workers that read no call for ten minutes
    pool.submit(len, b"x" * (4 << 20))  # a call far bigger than a pipe's buffer
    time.sleep(2)
    pool.abort()
"""


def test_pool_abort_does_not_wait_for_a_call_no_worker_will_read(tmp_path: Path) -> None:
    # Regression (CI, Ctrl-C test, Debian's Python 3.11.2): a group of pages sent to a worker
    # still loading its models filled the pipe; the queue's feeding thread waited for a reader
    # and the executor's thread waited for it at exit, so the interrupted run never ended.
    script = tmp_path / "abort.py"
    script.write_text(_ABORT_WITH_A_BIG_CALL, "utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]


def _call(spec: tuple[Any, tuple[Any, ...]]) -> Any:
    fn, args = spec
    return fn(*args)


@pytest.mark.slow
def test_run_with_workers_gives_the_ledger_of_one_process(
    tmp_path: Path, seeds_dir: Path, fakes_dev: Path
) -> None:
    paths = _corpus(tmp_path, seeds_dir, fakes_dev)
    one, single = _run(tmp_path, "one.db", paths, 1)
    two, parallel = _run(tmp_path, "two.db", paths, 2)
    assert len(single["articles"]) > 40 and single["events"]
    assert parallel["articles"] == single["articles"]
    assert parallel["claims"] == single["claims"]
    assert parallel["links"] == single["links"]
    assert parallel["events"] == single["events"]
    # The page without an article is one problem naming its file, in both runs.
    assert [str(p) for p in two.problems] == [str(p) for p in one.problems]
    assert one.failed == 1 and "menu.txt" in str(one.problems[0])


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing(
    tmp_path: Path, seeds_dir: Path, fakes_dev: Path
) -> None:
    paths = _corpus(tmp_path, seeds_dir, fakes_dev)
    _, single = _run(tmp_path, "one.db", paths, 1)
    killed: list[int] = []

    def kill_one(name: str) -> None:  # as the OOM killer would, while pages are in flight
        children = multiprocessing.active_children()
        if not killed and name.endswith("fakes40.jsonl") and children:
            os.kill(children[0].pid or 0, signal.SIGKILL)
            killed.append(children[0].pid or 0)

    report, parallel = _run(tmp_path, "two.db", paths, 2, on_input=kill_one)
    assert killed
    assert parallel == single
    assert report.failed == 1  # the article-less page only


def _extract(args: list[str]) -> Iterator[str]:
    res = CliRunner().invoke(main, ["extract", *args, "--json"])
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    yield from res.stdout.splitlines()


@pytest.mark.slow
def test_extract_with_workers_prints_what_one_process_prints(
    tmp_path: Path, fakes_dev: Path
) -> None:
    src = str(_fakes_slice(fakes_dev, tmp_path / "fakes.jsonl", 30))
    args = [src, "--map", FAKES_MAP]
    single = list(_extract([*args, "--workers", "1"]))
    parallel = list(_extract([*args, "--workers", "2"]))
    assert len(single) == 30
    assert parallel == single


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_ctrl_c_stops_the_workers_too(tmp_path: Path, fakes_dev: Path) -> None:
    proc, workers = _ingest_with_two_workers(tmp_path, fakes_dev, subprocess.PIPE)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Interrupted" in err
    time.sleep(1)
    assert not [w for w in workers if _alive(w)]


def _ingest_with_two_workers(
    tmp_path: Path, fakes_dev: Path, output: int
) -> tuple[subprocess.Popen[str], set[int]]:
    """A real ``warlog ingest --workers 2`` of FA-KES dev, once both its workers run."""
    cmd = [sys.executable, "-c", "from warlog.cli import main; main()", "ingest", str(fakes_dev)]
    cmd += ["--map", FAKES_MAP, "--db", str(tmp_path / "w.db"), "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=output, stderr=output, text=True)
    end = time.monotonic() + 120
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < end and proc.poll() is None:
        workers = {c for c in _children(proc.pid) if "spawn_main" in _cmdline(c)}
        time.sleep(0.2)
    assert len(workers) == 2, "the workers did not start"
    return proc, workers


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.slow
def test_a_parent_killed_outright_takes_its_workers_with_it(
    tmp_path: Path, fakes_dev: Path
) -> None:
    # SIGKILL gives the parent no chance to stop its pool: the workers must notice on their
    # own (they used to stay forever, about 500 MB each, after the kill tests of the store).
    proc, workers = _ingest_with_two_workers(tmp_path, fakes_dev, subprocess.DEVNULL)
    proc.kill()
    proc.wait()
    end = time.monotonic() + 30
    while [w for w in workers if _alive(w)] and time.monotonic() < end:
        time.sleep(0.2)
    left = [w for w in workers if _alive(w)]
    for w in left:  # never leave them behind, even when the test fails
        os.kill(w, signal.SIGKILL)
    assert left == []
