"""Cleaning the five founding pages: titles, dates, splits, and no debris left."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from warlog.clean.page import clean_page
from warlog.ingest import Input, read
from warlog.records import Article, RawPage
from warlog.settings import IngestOptions


def _articles(seeds_dir: Path, prefix: str) -> list[Article]:
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    pages = [p for p in read(Input(str(path), path), IngestOptions()) if isinstance(p, RawPage)]
    assert len(pages) == 1
    return clean_page(pages[0])


@pytest.mark.parametrize(
    ("prefix", "titles", "published"),
    [
        (
            "000",
            ["At least 160 Russian Daesh fighters killed in Syria: Moscow"],
            [date(2015, 11, 20)],
        ),
        (
            "001",
            ["Russia Deputy FM: 160 Russians Fighting for ISIS Killed in Syria"],
            [date(2015, 11, 20)],
        ),
        ("002", ["Russian Federation strikes kill 120 Daesh militants"], [date(2017, 10, 8)]),
        ("003", ["Syria: 21 ISIS jihadists killed in Russian raids"], [None]),
        (
            "004",
            [
                "Russian soldiers among 35 pro-Assad fighters killed in Daesh attack",
                "Russia’s Vladimir Putin praises Erdogan’s ‘great political authority’ after re-election",
            ],
            [date(2018, 5, 28), None],
        ),
    ],
)
def test_seed_titles_and_dates(
    seeds_dir: Path, prefix: str, titles: list[str], published: list
) -> None:
    arts = _articles(seeds_dir, prefix)
    assert [a.title for a in arts] == titles
    assert [a.published for a in arts] == published


def test_seed_pages_give_six_articles(seeds_dir: Path) -> None:
    assert sum(len(_articles(seeds_dir, p)) for p in ("000", "001", "002", "003", "004")) == 6


@pytest.mark.parametrize(
    ("prefix", "how"),
    [
        ("000", "Published November 20th, 2015"),
        ("001", "Fri Nov 20, 2015"),
        ("002", "08 October 2017"),
        ("004", "Updated 28 May 2018"),
    ],
)
def test_publication_date_says_where_it_was_read(seeds_dir: Path, prefix: str, how: str) -> None:
    assert how in _articles(seeds_dir, prefix)[0].published_how


def test_crawl_header_date_is_not_the_publication_date(seeds_dir: Path) -> None:
    # 002 opens with the site's "Tuesday, 17 July 2018 / Latest news" bar.
    art = _articles(seeds_dir, "002")[0]
    assert art.published == date(2017, 10, 8)
    assert "17 July 2018" not in art.text


def test_page_without_a_date_says_so(seeds_dir: Path) -> None:
    art = _articles(seeds_dir, "003")[0]
    assert art.published is None
    assert art.published_how.startswith("not found")


def test_relative_dateline_without_crawl_time_gives_no_date(seeds_dir: Path) -> None:
    second = _articles(seeds_dir, "004")[1]
    assert second.published is None
    assert "Updated 5 min ago" in second.published_how


DEBRIS = {
    "000": ["(Screenshot)", "© 2021 dpa GmbH", "You may also like", "Published November 20th"],
    "001": [
        'string(3069) "[{',
        '"contenttypeid"',
        "alalam_635825855555584105",
        "Oleg Syromolotov Russian deputy foreign minister\n",
        "Fri Nov 20, 2015 15:20:59",
    ],
    "002": ["Latest news", "Main »", "Tuesday, 17 July 2018", "08 October 2017"],
    "003": ["Photo of author", "By admin"],
    "004": [
        "1 / 2",
        "2 / 2",
        "(AFP / LOUAI BESHARA)",
        "A military vehicle carrying members",
        "locals pass by. (AFP)",
        "Updated 28 May 2018",
        "Updated 5 min ago",
    ],
}


@pytest.mark.parametrize(("prefix", "debris"), [(p, d) for p, ds in DEBRIS.items() for d in ds])
def test_no_debris_in_article_text(seeds_dir: Path, prefix: str, debris: str) -> None:
    for art in _articles(seeds_dir, prefix):
        assert debris not in art.text + "\n"


@pytest.mark.parametrize(
    ("prefix", "kept"),
    [
        ("000", "One hundred and sixty Russian citizens fighting for the militant group"),
        ("000", "More than 250,000 people are estimated to have been killed"),
        ("001", "Some 160 of them have been killed"),
        ("001", "Russia began an aerial campaign against the terrorists"),
        ("002", "accused its forces of killing 14 civilians"),
        ("003", "At least 21 jihadists from the Islamic State (IS) group have perished"),
        ("004", "There were 35 pro-government forces killed, including at least nine Russians."),
        ("004", "up to six Russian soldiers could have been killed"),
    ],
)
def test_story_text_is_kept(seeds_dir: Path, prefix: str, kept: str) -> None:
    assert any(kept in a.text for a in _articles(seeds_dir, prefix))


def test_glued_page_is_split_at_the_second_headline(seeds_dir: Path) -> None:
    first, second = _articles(seeds_dir, "004")
    assert "Erdogan" not in first.text
    assert "Mayadeen" in first.text
    assert second.text.startswith(second.title or "")
    assert "Mayadeen" not in second.text
    assert "TurkStream" in second.text


def test_summary_bullet_repeating_a_paragraph_appears_once(seeds_dir: Path) -> None:
    first = _articles(seeds_dir, "004")[0]
    assert first.text.count("A steadfast ally of Bashar Assad") == 1


def test_headline_is_the_first_paragraph_once(seeds_dir: Path) -> None:
    art = _articles(seeds_dir, "001")[0]
    assert art.text.startswith(
        "Russia Deputy FM: 160 Russians Fighting for ISIS Killed in Syria\n\n"
    )
    assert art.text.count("Russia Deputy FM") == 1


@pytest.mark.parametrize(
    ("prefix", "outlet", "how"),
    [("000", "dpa", "© 2021 dpa"), ("001", "Press TV", "Press TV reported")],
)
def test_outlet_from_a_clear_signature(seeds_dir: Path, prefix: str, outlet: str, how: str) -> None:
    art = _articles(seeds_dir, prefix)[0]
    assert art.outlet == outlet
    assert how in (art.outlet_how or "")


@pytest.mark.parametrize("prefix", ["002", "003", "004"])
def test_outlet_unknown_without_evidence(seeds_dir: Path, prefix: str) -> None:
    # "told AFP" names a source, not the publisher.
    assert all(a.outlet is None for a in _articles(seeds_dir, prefix))


def test_article_ids_are_stable(seeds_dir: Path) -> None:
    assert [a.id for a in _articles(seeds_dir, "004")] == [
        a.id for a in _articles(seeds_dir, "004")
    ]
    assert len({a.id for a in _articles(seeds_dir, "004")}) == 2
