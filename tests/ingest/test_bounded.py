"""Bounded resources (issue 17): containers streamed with the cap applied while reading,
folders walked over regular files only, and a budget per page."""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from warlog.cli import main
from warlog.pipeline import ingest_paths
from warlog.settings import IngestOptions
from warlog.store import Store

GOOD = (
    "Rebels shell Aleppo\n\n04 May 2016\n\n"
    "Rebel shelling killed seven civilians in western Aleppo on Tuesday, state media said.\n"
)
ROW = "Shelling killed three people in the town of Kafr Zita on Sunday, activists said."
RSS_LIMIT_KB = 300 * 1024
_BLOCK = 64 * 2**20


def _bomb(path: Path, head: bytes, total: int, tail: bytes) -> None:
    """A gzip file of ``total`` bytes of "a" between ``head`` and ``tail``: one 64 MB member,
    compressed once and repeated (multi-member gzip), so a 6 GB bomb takes a second to make."""
    block = gzip.compress(b"a" * _BLOCK, 9)
    with path.open("wb") as fh:
        fh.write(gzip.compress(head))
        for _ in range(total // _BLOCK):
            fh.write(block)
        fh.write(gzip.compress(tail))


def _ingest_rss(tmp_path: Path, target: Path) -> tuple[int, str, int]:
    """Exit status, stderr and peak RSS (kB) of `warlog ingest` run in a child process."""
    probe = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stderr.write(p.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(p.returncode)\n"
    )
    cmd = [sys.executable, "-c", probe, sys.executable, "-m", "warlog.cli", "ingest"]
    res = subprocess.run(
        [*cmd, "--db", str(tmp_path / "w.db"), str(target)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return res.returncode, res.stderr, int(res.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "head", "total", "tail", "where"),
    [
        # 6 MB gzipped: one CSV cell of 6 GB. Read whole, it once took 6.2 GB in 16 s.
        ("rows.csv.gz", b'id,text\n1,"', 6 * 2**30, b'"\n', "rows.csv.gz:2"),
        # 2 MB gzipped: one JSON line of 2 GB, once held whole (4.5 GB) before its E105.
        ("line.jsonl.gz", b'{"text": "', 2 * 2**30, b'"}\n', "line.jsonl.gz:1"),
    ],
)
def test_bombs_stay_under_300_mb(
    tmp_path: Path, name: str, head: bytes, total: int, tail: bytes, where: str
) -> None:
    bomb = tmp_path / name
    _bomb(bomb, head, total, tail)
    assert bomb.stat().st_size < 7 * 2**20
    code, stderr, rss_kb = _ingest_rss(tmp_path, bomb)
    assert code == 1, stderr
    assert f"error: {tmp_path / where}: Too large for a single page" in stderr
    assert "Traceback" not in stderr
    print(f"{name}: peak RSS {rss_kb / 1024:.0f} MB")  # shown with -s, for the record
    assert rss_kb < RSS_LIMIT_KB, f"peak RSS {rss_kb / 1024:.0f} MB"


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gz"])
@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_record_over_the_cap_is_named_and_the_next_ones_read(
    tmp_path: Path, fmt: str, compress: bool
) -> None:
    big = "killed " * 40_000  # 280 kB, over the 100 kB cap given below
    if fmt == "csv":
        data = f'id,text\n1,"{big}"\n2,"{ROW}"\n'
        where = "rows.csv:2"
    else:
        data = json.dumps({"text": big}) + "\n" + json.dumps({"text": ROW}) + "\n"
        where = "rows.jsonl:1"
    path = tmp_path / f"rows.{fmt}"
    if compress:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(data.encode()))
        where = where.replace(f".{fmt}:", f".{fmt}.gz:")
    else:
        path.write_text(data, "utf-8")
    with Store("sqlite://") as store:
        report = ingest_paths(store, [str(path)], IngestOptions(max_bytes=100_000), extract=False)
        texts = [a.text for a in store.articles()]
    assert texts == [ROW]
    assert [str(p) for p in report.problems if p.fatal] == [
        f"{tmp_path / where}: Too large for a single page (over 0.1 MB; the limit is 0.1 MB); "
        "raise it with --max-bytes"
    ]


def test_a_nul_byte_does_not_reject_a_whole_csv(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(
        f'id,text\n1,"{ROW}"\n2,"Gunmen killed two po\x00licemen in Daraa."\n'.encode()
    )
    with Store("sqlite://") as store:
        report = ingest_paths(store, [str(path)], extract=False)
        texts = sorted(a.text for a in store.articles())
    assert texts == sorted([ROW, "Gunmen killed two policemen in Daraa."])
    assert [str(p) for p in report.problems] == [f"{path}: 1 NUL byte(s) removed"]


def test_a_fifo_and_a_socket_in_a_folder_are_named_and_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, "utf-8")
    os.mkfifo(folder / "b.fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "c.sock"))
    try:
        # In a child process: the bug was a hang, which must fail the test, not freeze it.
        res = subprocess.run(
            [sys.executable, "-m", "warlog.cli", "ingest", "--db", str(tmp_path / "w.db"),
             str(folder)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        sock.close()
    assert res.returncode == 0, res.stderr
    assert f"warning: {folder / 'b.fifo'}: Not a regular file (a FIFO): skipped" in res.stderr
    assert f"warning: {folder / 'c.sock'}: Not a regular file (a socket): skipped" in res.stderr
    with Store(f"sqlite:///{tmp_path / 'w.db'}") as s:
        assert s.count("articles") == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder: nothing is unreadable")
def test_an_unreadable_folder_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.txt").write_text(GOOD, "utf-8")
    (folder / "locked").chmod(0)
    try:
        res = CliRunner().invoke(main, ["ingest", "--db", str(tmp_path / "w.db"), str(folder)])
    finally:
        (folder / "locked").chmod(0o755)
    assert res.exit_code == 1
    assert f"error: {folder / 'locked'}: Cannot read {folder / 'locked'}" in res.stderr


def test_a_page_over_the_character_budget_is_cut_with_a_warning(tmp_path: Path) -> None:
    lines = "".join(f"Shelling killed {i % 9 + 2} people in Homs.\n" for i in range(3000))
    path = tmp_path / "long.txt"
    path.write_text("Shelling in Homs\n\n04 May 2016\n\n" + lines, "utf-8")
    with Store("sqlite://") as store:
        report = ingest_paths(store, [str(path)], IngestOptions(max_chars=2000))
        (art,) = store.articles()
        claims = store.claims()
    warnings = [str(p) for p in report.problems if not p.fatal]
    assert len(warnings) == 1 and "Page cut to fit the per-page budget" in warnings[0]
    assert "the limit is 2,000" in warnings[0]
    assert len(art.text) > 2000  # the article is stored whole; only its analysis is cut
    assert claims and max(c.evidence.end for c in claims) <= 2000


def test_a_page_over_the_sentence_budget_is_cut_with_a_warning(tmp_path: Path) -> None:
    lines = "".join(f"Shelling killed {i % 9 + 2} people in Homs.\n" for i in range(300))
    path = tmp_path / "long.txt"
    path.write_text("Shelling in Homs\n\n04 May 2016\n\n" + lines, "utf-8")
    with Store("sqlite://") as store:
        report = ingest_paths(store, [str(path)], IngestOptions(max_sentences=50))
        n_claims = store.count("claims")
    warnings = [str(p) for p in report.problems if not p.fatal]
    assert len(warnings) == 1 and "over 50 sentences" in warnings[0]
    assert 0 < n_claims <= 50


def test_a_page_over_the_time_budget_is_named_and_the_batch_goes_on(tmp_path: Path) -> None:
    slow = tmp_path / "b_slow.txt"
    slow.write_text(
        "Shelling in Homs\n\n04 May 2016\n\n"
        + "".join(f"Shelling killed {i % 9 + 2} people in Homs on Monday.\n" for i in range(2000)),
        "utf-8",
    )
    (tmp_path / "a_good.txt").write_text(GOOD, "utf-8")
    options = IngestOptions(page_seconds=0.2)
    with Store("sqlite://") as store:
        report = ingest_paths(store, [str(tmp_path)], options)
        sources = {Path(a.source).name for a in store.articles()}
    said = [str(p) for p in report.problems if "b_slow.txt" in p.source]
    assert said and all("over 0.2 s of analysis" in s for s in said), said
    assert "a_good.txt" in sources
