"""Fixture builders shared by tests: small pages, archives, feeds and records made on the fly."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from warlog.records import Article, Claim, Evidence, Victims

PARAS = [
    "Government air strikes killed at least 14 people in the rebel-held town of Saraqeb on Tuesday, a monitor said.",
    "The Syrian Observatory for Human Rights said four children were among the dead and dozens were wounded.",
    "Rescue workers pulled survivors from the rubble of a three-storey building hit in the raid, activists said.",
    "The town has been bombed repeatedly since the start of the government offensive in the province last month.",
]


def html_page(
    title: str = "Air strikes kill 14 in Saraqeb", when: str = "2016-02-09", extra: str = ""
) -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (
        f"<!DOCTYPE html><html><head><title>{title} | Example News</title>"
        f'<meta property="og:site_name" content="Example News">'
        f'<meta property="article:published_time" content="{when}T10:00:00Z">'
        f"</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}{extra}</article>"
        f"<footer>© 2016 Example News. All rights reserved.</footer></body></html>"
    )


def make_warc(path: Path, pages: list[tuple[str, str]], gz: bool = True) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for url, html in pages:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            rec = writer.create_warc_record(
                url, "response", payload=io.BytesIO(html.encode()), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2016-02-10T08:00:00Z"},
            )  # fmt: skip
            writer.write_record(rec)
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://x.example/a.png",
                "response",
                payload=io.BytesIO(b"\x89PNG"),
                http_headers=img,
            )
        )


def claim(**fields: Any) -> Claim:
    """A claim of "14 people killed in an air strike", with ``fields`` changed."""
    base = Claim(
        article_id="a1",
        outcome="killed",
        low=14,
        high=14,
        count_text="14",
        approx=False,
        vague=False,
        victims=Victims("people", "unknown"),
        perpetrator=None,
        event_type="air/drone strike",
        place_text=None,
        date_text=None,
        scope="incident",
        claimant=None,
        evidence=Evidence(PARAS[0], 0, len(PARAS[0])),
        confidence=0.8,
    )
    return replace(base, **fields)


def make_article(
    text: str,
    title: str | None = None,
    *,
    id: str = "art-1",
    published: date = date(2016, 2, 9),
) -> Article:
    """An article as cleaning would give it, for running the extractor on written sentences."""
    return Article(
        id=id,
        page_sha256="0" * 64,
        index=0,
        title=title,
        text=text,
        outlet=None,
        outlet_how=None,
        url=None,
        published=published,
        published_how="test",
        source="t.txt",
    )
