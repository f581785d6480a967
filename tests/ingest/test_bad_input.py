"""Bad inputs: one clear line naming the file, the batch goes on, exit 1, no traceback."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from builders import html_page, make_warc
from click.testing import CliRunner, Result

from warlog.cli import main
from warlog.store import Store

GOOD = "Rebels shell Aleppo\n\n04 May 2016\n\nRebel shelling killed seven civilians in western Aleppo on Tuesday, state media said.\n"


def ingest(
    runner: CliRunner, tmp_path: Path, *paths: Path | str, extra: tuple[str, ...] = ()
) -> Result:
    return runner.invoke(main, ["ingest", "--db", str(tmp_path / "w.db"), *extra, *map(str, paths)])


def stored(tmp_path: Path) -> int:
    with Store(f"sqlite:///{tmp_path / 'w.db'}") as s:
        return s.count("articles")


def assert_reported(res: Result, name: str, fragment: str) -> None:
    lines = [
        ln for ln in res.stderr.splitlines() if name in ln and ln.startswith(("error:", "warning:"))
    ]
    assert lines, res.stderr
    assert any(fragment in ln for ln in lines), lines
    assert "Traceback" not in res.output


@pytest.fixture
def good(tmp_path: Path) -> Path:
    f = tmp_path / "good.txt"
    f.write_text(GOOD, "utf-8")
    return f


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.txt", b"", "Empty file"),
        ("blank.txt", b"\n\n   \n", "Empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(2000), "Binary file (PNG image)"),
        ("blob.html", bytes(range(256)) * 40, "Binary file"),
        (
            "nav.html",
            html_page().split("<article>")[0].encode()
            + b"<div><a href='/'>Home</a></div></body></html>",
            "No article text",
        ),
        (
            "furniture.txt",
            b"Latest news\n\nYou may also like\n\n\xc2\xa9 2020 Example\n",
            "No article text",
        ),
    ],
)
def test_bad_file_is_named_and_the_batch_goes_on(
    runner: CliRunner, tmp_path: Path, good: Path, name: str, content: bytes, fragment: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    res = ingest(runner, tmp_path, bad, good)
    assert res.exit_code == 1
    assert_reported(res, name, fragment)
    assert stored(tmp_path) == 1


def test_missing_path(runner: CliRunner, tmp_path: Path, good: Path) -> None:
    res = ingest(runner, tmp_path, tmp_path / "nope.txt", good)
    assert res.exit_code == 1
    assert_reported(res, "nope.txt", "no such file or directory")
    assert stored(tmp_path) == 1


def test_unreadable_special_file(runner: CliRunner, tmp_path: Path, good: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    res = ingest(runner, tmp_path, fifo, good)
    assert res.exit_code == 1
    assert_reported(res, "pipe", "not a regular file")


def test_empty_directory(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    res = ingest(runner, tmp_path, tmp_path / "empty")
    assert res.exit_code == 1
    assert_reported(res, "empty", "No pages in")


def test_latin1_page_is_decoded_with_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "latin1.txt"
    f.write_bytes(
        "Frappe près d'Alep\n\n04 May 2016\n\nLes frappes ont tué sept civils à Alep mardi, selon l'OSDH, dit le médecin.\n".encode(
            "latin-1"
        )
    )
    res = ingest(runner, tmp_path, f)
    assert res.exit_code == 0, res.output
    assert_reported(res, "latin1.txt", "decoded as")
    with Store(f"sqlite:///{tmp_path / 'w.db'}") as s:
        (art,) = s.articles()
    assert "tué sept civils à Alep" in art.text


def test_cp1256_page_declared_utf8_is_decoded_as_arabic(runner: CliRunner, tmp_path: Path) -> None:
    arabic = "قتل سبعة مدنيين في قصف على مدينة حلب يوم الثلاثاء بحسب المرصد السوري لحقوق الإنسان"
    paras = "".join(f"<p>{arabic} {i}.</p>" for i in range(6))
    html = f'<html><head><meta charset="utf-8"><title>حلب</title></head><body><article><h1>قصف حلب</h1>{paras}</article></body></html>'
    f = tmp_path / "arabic.html"
    f.write_bytes(html.encode("cp1256"))
    res = ingest(runner, tmp_path, f)
    assert res.exit_code == 0, res.output
    assert_reported(res, "arabic.html", "declared UTF-8 but is not; decoded as cp1256")
    with Store(f"sqlite:///{tmp_path / 'w.db'}") as s:
        (art,) = s.articles()
    assert "المرصد السوري" in art.text


def test_truncated_warc_keeps_the_records_before_the_damage(
    runner: CliRunner, tmp_path: Path, good: Path
) -> None:
    whole = tmp_path / "whole.warc.gz"
    pages = [
        (f"https://news.example.com/{i}", html_page(f"Air strikes kill {i + 10} in Saraqeb"))
        for i in range(6)
    ]
    make_warc(whole, pages)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    res = ingest(runner, tmp_path, cut, good)
    assert res.exit_code == 1
    assert_reported(res, "cut.warc.gz", "Truncated or corrupt WARC archive")
    assert 1 <= stored(tmp_path) - 1 < 6


def test_truncated_gzip_jsonl(runner: CliRunner, tmp_path: Path, good: Path) -> None:
    rows = "".join(
        json.dumps(
            {
                "text": f"Shelling killed {i} people in Homs on Monday, a monitor said.",
                "title": f"T{i}",
            }
        )
        + "\n"
        for i in range(2000)
    )
    data = gzip.compress(rows.encode())
    f = tmp_path / "rows.jsonl.gz"
    f.write_bytes(data[: len(data) // 2])
    res = ingest(runner, tmp_path, f, good)
    assert res.exit_code == 1
    assert_reported(res, "rows.jsonl.gz", "Truncated or corrupt gzip file")


def test_malformed_jsonl_lines_are_named_by_line_number(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "rows.jsonl"
    f.write_text(
        '{"text": "Shelling killed two in Homs on Monday.", "title": "A"}\n'
        '{"text": "broken\n'
        "[1, 2]\n"
        '{"title": "no text here"}\n'
        '{"text": "A car bomb killed nine in Azaz.", "title": "B"}\n',
        "utf-8",
    )
    res = ingest(runner, tmp_path, f)
    assert res.exit_code == 1
    assert_reported(res, "rows.jsonl:2", "Malformed JSON line")
    assert_reported(res, "rows.jsonl:3", "must hold a JSON object")
    assert_reported(res, "rows.jsonl:4", "no column for the text")
    assert stored(tmp_path) == 2


def test_bad_map_option(runner: CliRunner, tmp_path: Path, good: Path) -> None:
    res = ingest(runner, tmp_path, good, extra=("--map", "body"))
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: [E110] Bad --map value 'body'")
    assert "Traceback" not in res.output


@pytest.mark.slow
def test_fifty_megabyte_page_is_refused(runner: CliRunner, tmp_path: Path, good: Path) -> None:
    big = tmp_path / "huge.txt"
    line = ("Shelling killed two people in Homs on Monday, a monitor said. " * 20 + "\n").encode()
    with big.open("wb") as fh:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    assert big.stat().st_size >= 50 * 1024 * 1024
    res = ingest(runner, tmp_path, big, good)
    assert res.exit_code == 1
    assert_reported(res, "huge.txt", "Too large for a single page (50.0 MB; the limit is 20.0 MB)")
    assert stored(tmp_path) == 1


def test_unusable_database_is_one_error_line(runner: CliRunner, tmp_path: Path, good: Path) -> None:
    res = runner.invoke(
        main, ["ingest", "--db", str(tmp_path / "no" / "such" / "dir" / "w.db"), str(good)]
    )
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: [E111] Cannot open database")
    assert len(res.stderr.strip().splitlines()) == 1


def test_a_warc_record_without_a_type_is_named_not_skipped_in_silence(
    runner: CliRunner, tmp_path: Path, good: Path
) -> None:
    """Issue 17: such an archive gave 0 pages and exit 0."""
    body = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><article><h1>Strike</h1>"
        b"<p>An air strike killed seven civilians in Idlib on Tuesday, activists said.</p>"
        b"</article></body></html>"
    )
    record = (
        b"WARC/1.0\r\nWARC-Target-URI: https://x.example/a\r\nWARC-Date: 2016-02-10T08:00:00Z\r\n"
        b"WARC-Record-ID: <urn:uuid:1>\r\nContent-Type: application/http; msgtype=response\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body + b"\r\n\r\n"
    )
    bad = tmp_path / "notype.warc"
    bad.write_bytes(record)
    res = ingest(runner, tmp_path, bad, good)
    assert res.exit_code == 1
    assert_reported(res, "notype.warc#1", "no WARC-Type header; skipped")
    assert stored(tmp_path) == 1


def test_html_nested_100000_divs_deep_is_read_with_a_warning(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Issue 17: lxml stops at 255 levels, and such a page said "No article text found"."""
    story = (
        "<p>An air strike killed seven civilians in Idlib on Tuesday, activists said. The raid "
        "hit a market in the town centre and rescue workers searched the rubble.</p>"
    )
    deep = tmp_path / "deep.html"
    deep.write_text(
        "<html><head><title>Strike</title></head><body>"
        + "<div>" * 100_000 + story + "</div>" * 100_000 + "</body></html>",
        "utf-8",
    )  # fmt: skip
    res = ingest(runner, tmp_path, deep)
    assert res.exit_code == 0, res.output
    assert_reported(res, "deep.html", "HTML nested 100,003 levels deep")
    with Store(f"sqlite:///{tmp_path / 'w.db'}") as s:
        (art,) = s.articles()
    assert "killed seven civilians in Idlib" in art.text
