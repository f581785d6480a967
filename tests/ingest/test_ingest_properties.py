"""Property tests (issue 17): random bytes and random structures never make ingest raise.

Reading any file gives pages, problems or InputError (one line for the user), never another
exception; the whole pipeline, store included, never raises either. Bounded in time by a
fixed number of examples.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warlog import ingest
from warlog.errors import InputError
from warlog.pipeline import ingest_paths
from warlog.settings import IngestOptions
from warlog.store import Store

NAMES = st.sampled_from(
    ["p.txt", "p.html", "p.jsonl", "p.json", "p.csv", "p.tsv", "p.warc", "p.xml", "p"]
)
HEADS = st.sampled_from(
    [b"", b"WARC/1.0\r\n", b"<html><body>", b"<?xml version='1.0'?><rss>", b'{"text": "',
     b"[", b"text,title\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\x1f\x8b\x08\x00", b"%PDF"]
)  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
ROWS = st.lists(
    st.dictionaries(
        st.sampled_from(["text", "title", "date", "outlet", "url", "id", "body", "x.y"]),
        JSON,
        max_size=6,
    ),
    min_size=1,
    max_size=5,
)
OPTIONS = IngestOptions(max_bytes=200_000)


def _read_all(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="warlog-prop-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            for _ in ingest.read(ingest.Input(str(path), path), OPTIONS):
                pass
        except InputError:
            pass  # one clear line for the user: what we want for a broken file


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES, head=HEADS, body=st.binary(max_size=3000), gz=st.booleans())
def test_reading_random_bytes_never_raises(name: str, head: bytes, body: bytes, gz: bool) -> None:
    data = head + body
    if gz:
        data, name = gzip.compress(data), name + ".gz"
    _read_all(name, data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS, array=st.booleans())
def test_reading_random_json_structures_never_raises(rows: list[dict], array: bool) -> None:
    if array:
        data = json.dumps(rows).encode()
        name = "p.json"
    else:
        data = "\n".join(json.dumps(r) for r in rows).encode()
        name = "p.jsonl"
    _read_all(name, data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(st.text(max_size=10), min_size=1, max_size=5),
    cells=st.lists(st.lists(st.text(max_size=40), max_size=7), max_size=6),
)
def test_reading_random_csv_never_raises(header: list[str], cells: list[list[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(cells)
    _read_all("p.csv", buf.getvalue().encode("utf-8"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES, head=HEADS, body=st.binary(max_size=2000), rows=ROWS)
def test_the_pipeline_never_raises_on_random_inputs(
    name: str, head: bytes, body: bytes, rows: list[dict]
) -> None:
    with tempfile.TemporaryDirectory(prefix="warlog-prop-") as folder:
        (Path(folder) / name).write_bytes(head + body)
        (Path(folder) / "rows.jsonl").write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
        with Store("sqlite://") as store:
            report = ingest_paths(store, [folder], OPTIONS, extract=False)
    # A problem is a line for the user, never a bug: no internal error on any input.
    assert not [p for p in report.problems if "Internal error" in p.message], report.problems
