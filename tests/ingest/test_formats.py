"""Every input format, from fixtures the tests build themselves."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest
from builders import html_page, make_warc

from warlog.ingest import Input, read
from warlog.ingest.detect import detect
from warlog.pipeline import ingest_paths
from warlog.records import PageFormat, Problem, RawPage
from warlog.settings import IngestOptions
from warlog.store import Store


def pages_of(path: Path, options: IngestOptions | None = None) -> list[RawPage | Problem]:
    return list(read(Input(str(path), path), options or IngestOptions()))


@pytest.mark.parametrize(
    ("head", "name", "fmt"),
    [
        (b"WARC/1.0\r\nWARC-Type: response", "x.bin", PageFormat.WARC),
        (b'<?xml version="1.0"?><rss version="2.0"><channel>', "feed.txt", PageFormat.FEED),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', "", PageFormat.FEED),
        (b"<!DOCTYPE html><html><head>", "page.txt", PageFormat.HTML),
        (b'{"text": "x", "title": "y"}\n{"text": "z"}', "data.txt", PageFormat.JSONL),
        (b"id,title,text\n1,a,b\n", "rows.csv", PageFormat.CSV),
        (b"Army shells Douma\n\nShelling killed five.", "page.html", PageFormat.TEXT),
    ],
)
def test_format_is_detected_by_content(head: bytes, name: str, fmt: PageFormat) -> None:
    assert detect(head, name) is fmt


def test_html_page_main_text_and_metadata(tmp_path: Path) -> None:
    f = tmp_path / "saraqeb.html"
    f.write_text(html_page(), "utf-8")
    (page,) = pages_of(f)
    assert isinstance(page, RawPage) and page.format is PageFormat.HTML
    assert page.published == date(2016, 2, 9)
    assert "htmldate" in (page.published_how or "")
    assert "Home" not in page.text and "All rights reserved" not in page.text
    assert "killed at least 14 people" in page.text
    assert page.outlet == "Example News"


def test_warc_gz_records_become_pages_with_urls_and_crawl_time(tmp_path: Path) -> None:
    f = tmp_path / "crawl.warc.gz"
    make_warc(
        f,
        [
            ("https://news.example.com/a", html_page()),
            ("https://www.reuters.com/b", html_page("Shelling kills five in Douma")),
        ],
    )
    pages = pages_of(f)
    assert [p.url for p in pages if isinstance(p, RawPage)] == [
        "https://news.example.com/a",
        "https://www.reuters.com/b",
    ]
    assert all(isinstance(p, RawPage) and p.fetched_at and p.fetched_at.year == 2016 for p in pages)


def test_uncompressed_warc(tmp_path: Path) -> None:
    f = tmp_path / "crawl.warc"
    make_warc(f, [("https://news.example.com/a", html_page())], gz=False)
    assert len([p for p in pages_of(f) if isinstance(p, RawPage)]) == 1


def test_outlet_from_a_known_domain_wins_over_site_name(tmp_path: Path) -> None:
    f = tmp_path / "crawl.warc.gz"
    make_warc(f, [("https://www.reuters.com/article/syria-1", html_page())])
    with Store("sqlite://") as store:
        ingest_paths(store, [str(f)])
        (art,) = store.articles()
    assert art.outlet == "Reuters"
    assert "reuters.com" in (art.outlet_how or "")


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>https://wire.example</link>
<item><title>Mortar fire kills three in Damascus</title><link>https://wire.example/1</link>
<pubDate>Tue, 09 Feb 2016 10:00:00 GMT</pubDate><guid>wire-1</guid>
<description>&lt;p&gt;Mortar rounds fired by rebels killed three people in central Damascus on Tuesday, state media said.&lt;/p&gt;&lt;p&gt;Eight others were wounded.&lt;/p&gt;</description></item>
<item><title>Clashes in Daraa</title><link>https://wire.example/2</link><pubDate>Wed, 10 Feb 2016 08:00:00 GMT</pubDate>
<description>Clashes between rebels and the army killed six fighters near Daraa, a monitor said.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Example</title>
<entry><title>Strike on Idlib hospital</title><link href="https://atom.example/e1"/><id>urn:e1</id>
<updated>2016-02-15T09:00:00Z</updated>
<content type="html">&lt;p&gt;A strike hit a hospital in Idlib province on Monday, killing at least nine people, the aid group said.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_entries_are_articles(tmp_path: Path) -> None:
    f = tmp_path / "wire.xml"
    f.write_text(RSS, "utf-8")
    pages = [p for p in pages_of(f) if isinstance(p, RawPage)]
    assert [p.title for p in pages] == ["Mortar fire kills three in Damascus", "Clashes in Daraa"]
    assert pages[0].published == date(2016, 2, 9)
    assert pages[0].text.splitlines() == [
        "Mortar rounds fired by rebels killed three people in central Damascus on Tuesday, state media said.",
        "Eight others were wounded.",
    ]
    assert pages[0].outlet == "Example Wire" and pages[0].external_id == "wire-1"


def test_atom_feed(tmp_path: Path) -> None:
    f = tmp_path / "atom"
    f.write_text(ATOM, "utf-8")
    (page,) = pages_of(f)
    assert isinstance(page, RawPage) and page.format is PageFormat.FEED
    assert page.url == "https://atom.example/e1" and page.published == date(2016, 2, 15)


def test_jsonl_with_column_map(tmp_path: Path) -> None:
    f = tmp_path / "rows.jsonl"
    rows = [
        {
            "uid": "a1",
            "headline": "Blast kills 5",
            "body": "A blast killed five people in Azaz on Monday.",
            "meta": {"site": "example.org"},
        },
        {
            "uid": "a2",
            "headline": "Shelling in Homs",
            "body": "Shelling killed two in Homs.",
            "meta": {"site": "example.org"},
        },
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    opts = IngestOptions(
        column_map=(("text", "body"), ("title", "headline"), ("id", "uid"), ("outlet", "meta.site"))
    )
    pages = pages_of(f, opts)
    assert [(p.external_id, p.title, p.outlet) for p in pages if isinstance(p, RawPage)] == [
        ("a1", "Blast kills 5", "example.org"),
        ("a2", "Shelling in Homs", "example.org"),
    ]
    assert pages[0].source.endswith("rows.jsonl:1")


def test_jsonl_default_columns_and_date(tmp_path: Path) -> None:
    f = tmp_path / "rows.jsonl"
    f.write_text(
        json.dumps(
            {"id": 7, "title": "T", "text": "Gunmen killed two men in Deraa.", "date": "2014-03-02"}
        )
        + "\n"
    )
    (page,) = pages_of(f)
    assert isinstance(page, RawPage)
    assert (page.external_id, page.published) == ("7", date(2014, 3, 2))


def test_csv_rows(tmp_path: Path) -> None:
    f = tmp_path / "rows.csv"
    f.write_text(
        'id,title,text,published\n1,"Raid kills 4","An air raid killed four people, including a child, in Atareb.",2016-05-01\n2,Clash,"Two fighters died.",\n',
        "utf-8",
    )
    pages = [p for p in pages_of(f) if isinstance(p, RawPage)]
    assert [p.title for p in pages] == ["Raid kills 4", "Clash"]
    assert "including a child" in pages[0].text
    assert pages[0].published == date(2016, 5, 1) and pages[1].published is None


def test_gzipped_jsonl(tmp_path: Path) -> None:
    f = tmp_path / "rows.jsonl.gz"
    f.write_bytes(gzip.compress(b'{"text": "Shelling killed two in Homs.", "title": "Homs"}\n'))
    (page,) = pages_of(f)
    assert isinstance(page, RawPage) and page.title == "Homs"


def test_fakes_dev_ingests_in_one_command(fakes_dev: Path, tmp_path: Path, runner) -> None:
    from warlog.cli import main

    db = tmp_path / "f.db"
    res = runner.invoke(
        main,
        [
            "ingest",
            "--db",
            str(db),
            str(fakes_dev),
            "--map",
            "text=text,title=title,outlet=outlet,id=id",
        ],
    )
    assert res.exit_code == 0, res.output
    with Store(f"sqlite:///{db}") as store:
        arts = store.articles()
    ids = {json.loads(line)["id"] for line in fakes_dev.read_text("utf-8").splitlines()}
    assert len(arts) == 247
    assert {a.external_id for a in arts} == ids
    # The file repeats five rows verbatim: kept, and recorded as copies.
    assert sum(a.duplicate_how == "exact: same text" for a in arts) == 5
    # Most FA-KES texts open with a dateline; nearly all must be dated from it.
    assert sum(a.published is not None for a in arts) >= 240
