"""No page can stop the batch (issue 17): each trigger found by fuzzing, with its exact input.

Every trigger is run twice. With its root fix, the page is read like any other (or, when the
input really is broken, named in one line). With the root fix undone (monkeypatched back to
the code that crashed), the real exception reaches the per-record guard: the batch goes on,
the good files are stored, the bad record is named in one line, exit 1, and a re-run skips it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from warlog.cli import main
from warlog.store import Store

GOOD = (
    "Rebels shell Aleppo\n\n04 May 2016\n\n"
    "Rebel shelling killed seven civilians in western Aleppo on Tuesday, state media said.\n"
)
GOOD_ROW = {
    "title": "Shelling in Hama",
    "text": "Shelling killed three people in the town of Kafr Zita on Sunday, activists said.",
    "date": "2016-05-01",
}


def _page(sentence: str) -> bytes:
    return f"Strike on Idlib\n\n04 May 2016\n\n{sentence}\n".encode()


def _jsonl(bad_line: str) -> bytes:
    """A dataset whose second of three records is the trigger."""
    good = json.dumps(GOOD_ROW)
    other = json.dumps({**GOOD_ROW, "text": GOOD_ROW["text"].replace("three", "four")})
    return f"{good}\n{bad_line}\n{other}\n".encode()


def _warc_without_uri() -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    html = (
        "<html><head><title>Strike</title></head><body><article><h1>Strike on Idlib</h1>"
        "<p>An air strike killed seven civilians in Idlib on Tuesday, activists said.</p>"
        "</article></body></html>"
    )
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
    )
    rec = writer.create_warc_record(
        None, "response", payload=io.BytesIO(html.encode()), http_headers=headers,
        warc_headers_dict={"WARC-Date": "2016-02-10T08:00:00Z"},
    )  # fmt: skip
    writer.write_record(rec)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _fresh_number_cache() -> Iterator[None]:
    """Values read while a root fix was undone must not outlive the test in _atom's cache."""
    from warlog.extract import numbers

    numbers._atom.cache_clear()
    yield
    numbers._atom.cache_clear()


def _undo_count_bound(mp: pytest.MonkeyPatch) -> None:
    from warlog.extract import numbers

    mp.setattr(numbers, "MAX_COUNT", 10**100_000)
    mp.setattr(numbers, "_MAX_DIGITS", 10**9)
    numbers._atom.cache_clear()


def _undo_surrogates(mp: pytest.MonkeyPatch) -> None:
    from warlog.ingest import tabular

    mp.setattr(tabular, "_no_surrogates", lambda v: v)


def _undo_date_guard(mp: pytest.MonkeyPatch) -> None:
    import warlog.resolve as resolve
    from warlog.resolve import dates

    mp.setattr(resolve, "resolve_date", dates._resolve_date)


def _undo_depth_guard(mp: pytest.MonkeyPatch) -> None:
    from warlog.ingest import tabular

    mp.setattr(tabular, "_loads", json.loads)


def _undo_warc_loader(mp: pytest.MonkeyPatch) -> None:
    from warlog.ingest import warc

    mp.setattr(warc, "_Loader", ArcWarcRecordLoader)


# (id, file name, bytes, where the record is named, exception the unfixed code raised,
#  how to undo the root fix, whether the input is still refused with the fix)
TRIGGERS: list[tuple[str, str, bytes, str, str, Callable[[pytest.MonkeyPatch], None], bool]] = [
    (
        "count-2^63",
        "big.txt",
        _page("An air strike killed 9223372036854775808 civilians in Idlib on Tuesday."),
        "big.txt",
        "OverflowError",
        _undo_count_bound,
        False,
    ),
    (
        "4400-digits",
        "digits.txt",
        _page("An air strike killed " + "9" * 4400 + " civilians in Idlib on Tuesday."),
        "digits.txt",
        "ValueError",
        _undo_count_bound,
        False,
    ),
    (
        "float-infinity",
        "inf.txt",
        _page("An air strike left 1" + "0" * 330 + " million killed in Idlib on Tuesday."),
        "inf.txt",
        "OverflowError",
        _undo_count_bound,
        False,
    ),
    (
        "lone-surrogate",
        "surrogate.jsonl",
        _jsonl(
            '{"text": "Shelling killed five people in Homs \\ud83d on Monday, activists said.",'
            ' "date": "2016-05-04"}'
        ),
        "surrogate.jsonl:2",
        "UnicodeEncodeError",
        _undo_surrogates,
        False,
    ),
    (
        "yesterday-on-0001-01-01",
        "year1.jsonl",
        _jsonl(
            json.dumps(
                {
                    "text": "Shelling killed five people in Homs yesterday, activists said.",
                    "date": "0001-01-01",
                }
            )
        ),
        "year1.jsonl:2",
        "OverflowError",
        _undo_date_guard,
        False,
    ),
    (
        "json-nested-100000-deep",
        "deep.jsonl",
        _jsonl('{"text": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        "deep.jsonl:2",
        "RecursionError",
        _undo_depth_guard,
        True,
    ),
    (
        "warc-without-target-uri",
        "nouri.warc.gz",
        _warc_without_uri(),
        "nouri.warc.gz",
        "AttributeError",
        _undo_warc_loader,
        True,
    ),
]
IDS = [t[0] for t in TRIGGERS]


def _batch(tmp_path: Path, name: str, content: bytes) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a_good.txt").write_text(GOOD, "utf-8")
    (folder / name).write_bytes(content)
    row = {**GOOD_ROW, "text": GOOD_ROW["text"].replace("three", "two")}
    (folder / "z_good.jsonl").write_text(json.dumps(row) + "\n", "utf-8")
    return folder


def _ingest(tmp_path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["ingest", "--db", str(tmp_path / "w.db"), *args])


def _sources(tmp_path: Path) -> set[str]:
    with Store(f"sqlite:///{tmp_path / 'w.db'}", readonly=True) as s:
        return {Path(a.source.split(":")[0].split("#")[0]).name for a in s.articles()}


def _error_lines(res: Result) -> list[str]:
    return [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]


@pytest.mark.parametrize(
    ("name", "content", "where", "refused"),
    [(t[1], t[2], t[3], t[6]) for t in TRIGGERS],
    ids=IDS,
)
def test_trigger_with_its_root_fix_is_read_or_named(
    tmp_path: Path, name: str, content: bytes, where: str, refused: bool
) -> None:
    folder = _batch(tmp_path, name, content)
    res = _ingest(tmp_path, str(folder))
    assert "Traceback" not in res.output
    assert {"a_good.txt", "z_good.jsonl"} <= _sources(tmp_path)
    if refused:  # really broken input: one line naming the record, the rest stored
        assert res.exit_code == 1, res.output
        errors = _error_lines(res)
        assert len(errors) == 1 and where in errors[0] and "Internal error" not in errors[0]
    else:
        assert res.exit_code == 0, res.output
        assert name in _sources(tmp_path)
        with Store(f"sqlite:///{tmp_path / 'w.db'}", readonly=True) as s:
            assert all(c.low is None or c.low < 2**63 for c in s.claims())


@pytest.mark.parametrize(
    ("name", "content", "where", "exc_name", "undo"),
    [(t[1], t[2], t[3], t[4], t[5]) for t in TRIGGERS],
    ids=IDS,
)
def test_trigger_without_its_root_fix_fails_alone_and_is_remembered(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: bytes,
    where: str,
    exc_name: str,
    undo: Callable[[pytest.MonkeyPatch], None],
) -> None:
    folder = _batch(tmp_path, name, content)
    with monkeypatch.context() as mp:
        undo(mp)
        res = _ingest(tmp_path, str(folder))
        assert res.exit_code == 1, res.output
        assert "Traceback" not in res.output
        errors = _error_lines(res)
        assert len(errors) == 1, errors
        assert where in errors[0] and exc_name in errors[0], errors
        assert {"a_good.txt", "z_good.jsonl"} <= _sources(tmp_path)
        again = _ingest(tmp_path, str(folder))
        # Remembered: the re-run does not fail on it again (a record whose container
        # failed as a whole, like the WARC here, is simply read again and named again).
        if "remembered" in errors[0]:
            assert again.exit_code == 0, again.output
            assert "Skipped: failed in run 1" in again.stderr
    from warlog.extract import numbers

    numbers._atom.cache_clear()  # the root fix is back for the retry
    fixed = _ingest(tmp_path, "--retry-failed", str(folder))
    assert "Traceback" not in fixed.output
    with Store(f"sqlite:///{tmp_path / 'w.db'}", readonly=True) as s, s.read_engine.connect() as c:
        left = c.exec_driver_sql("SELECT count(*) FROM failed_records").scalar_one()
    assert left == 0


@pytest.mark.parametrize(
    ("name", "content", "where", "exc_name", "undo"),
    [(t[1], t[2], t[3], t[4], t[5]) for t in TRIGGERS],
    ids=IDS,
)
def test_extract_survives_each_trigger(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: bytes,
    where: str,
    exc_name: str,
    undo: Callable[[pytest.MonkeyPatch], None],
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    res = CliRunner().invoke(main, ["extract", str(bad), "--json"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    with monkeypatch.context() as mp:
        undo(mp)
        res = CliRunner().invoke(main, ["extract", str(bad), "--json"])
        if name == "big.txt":  # 2**63 only overflowed at the insert, which extract never does
            assert res.exit_code == 0 and "9223372036854775808" in res.stdout
            return
        assert res.exit_code == 1, res.output
        assert any(where in ln and exc_name in ln for ln in _error_lines(res)), res.stderr
