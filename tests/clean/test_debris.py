"""Each line rule on its own, with lines written in the style of scraped pages."""

from __future__ import annotations

import pytest

from warlog.clean.debris import Kind, classify, looks_like_title, strip_inline
from warlog.clean.page import clean_page
from warlog.records import PageFormat, RawPage


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ('string(2201) "[{"id":"99","title":"Army advances"}]"', Kind.JUNK),
        ('[{"id":"1","pic":"/x.jpg"}]', Kind.JUNK),
        ('{"related": [1, 2]}', Kind.JUNK),
        ('a:2:{i:0;s:3:"abc";}', Kind.JUNK),
        ("Latest news", Kind.SITE_HEADER),
        ("Breaking News", Kind.SITE_HEADER),
        ("Main » Rebels shell army positions", Kind.BREADCRUMB),
        ("Home > World > Middle East", Kind.BREADCRUMB),
        ("1 / 2", Kind.SLIDE_COUNTER),
        ("3 of 12", Kind.SLIDE_COUNTER),
        ("Smoke rises over the city after an air strike. (AFP / OMAR HAJ KADOUR)", Kind.CAPTION),
        ("Fighters gather near the front line. (Reuters/File Photo)", Kind.CAPTION),
        ("(Screenshot)", Kind.CAPTION),
        ("Photo of author", Kind.BYLINE),
        ("By admin", Kind.BYLINE),
        ("By Sarah Dadouch and Tom Perry", Kind.BYLINE),
        ("Reporting by Suleiman Al-Khalidi; Editing by Alex Richardson", Kind.BYLINE),
        ("© 2021 dpa GmbH", Kind.COPYRIGHT),
        ("Copyright 2016 Example Media. All rights reserved.", Kind.COPYRIGHT),
        ("You may also like", Kind.TRAILER),
        ("Related Articles", Kind.TRAILER),
        ("Read more:", Kind.TRAILER),
        ("Tags: Syria, Idlib, air strikes", Kind.TRAILER),
        ("Share this article", Kind.SOCIAL),
        ("Published November 3rd, 2016 - 11:40 GMT", Kind.DATELINE),
        ("Updated 14 March 2019", Kind.DATELINE),
        ("Wed Jan 6, 2016 09:12:40", Kind.DATELINE),
        ("Monday, 4 April 2016", Kind.DATELINE),
        ("Updated 12 min ago", Kind.RELATIVE_DATELINE),
        ("Posted 3 hours ago", Kind.RELATIVE_DATELINE),
        ("• Rebels said the attack was repelled.", Kind.BULLET),
        ("At least 12 people were killed in shelling on the town, a monitor said.", Kind.TEXT),
        ("By the end of the day, the army said it had taken the hill.", Kind.TEXT),
        ("The ministry said it would publish the figures on 5 May 2016.", Kind.TEXT),
    ],
)
def test_classify_line(line: str, kind: Kind) -> None:
    assert classify(line) is kind


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Air strikes kill 18 in Idlib market", True),
        ("Syria: 21 ISIS jihadists killed in Russian raids", True),
        ("The army said it had taken the hill.", False),
        ("Idlib", False),
    ],
)
def test_looks_like_title(line: str, expected: bool) -> None:
    assert looks_like_title(line) is expected


def _clean(text: str, **kw: object) -> list:
    body = text.encode()
    return clean_page(RawPage(body=body, text=text, format=PageFormat.TEXT, source="t.txt", **kw))  # type: ignore[arg-type]


PAGE = """Monday, 9 January 2017
Latest news
Main » Shelling kills seven in Aleppo countryside

Shelling kills seven in Aleppo countryside

03 January 2017
Shelling kills seven in Aleppo countryside

Seven civilians were killed when shells hit a market in the town on Tuesday, a monitor said.

Residents said the shells came from positions held by government forces.

Ahmad Khalil local council head

Rescue workers searched the rubble for survivors into the evening.

© 2017 Example Wire GmbH

You may also like
Rebels retake village near Hama
Army shells Daraa suburbs
"""


def test_page_structure_is_read_from_its_own_lines() -> None:
    (art,) = _clean(PAGE)
    assert art.title == "Shelling kills seven in Aleppo countryside"
    assert art.published.isoformat() == "2017-01-03"
    assert "9 January 2017" not in art.text
    assert "Ahmad Khalil local council head" not in art.text  # uncredited caption
    assert "Rebels retake village" not in art.text  # related links after the trailer
    assert "© 2017" not in art.text
    assert art.text.count("Shelling kills seven") == 1
    assert art.text.endswith("Rescue workers searched the rubble for survivors into the evening.")


def test_two_glued_articles_each_keep_their_headline_and_date() -> None:
    glued = (
        "Car bomb kills nine in Azaz\n\nUpdated 2 February 2016\n\nCar bomb kills nine in Azaz\n\n"
        "A car bomb killed nine people at a checkpoint in Azaz on Tuesday, medics said.\n\n"
        "Talks on Yemen resume in Kuwait\n\n12 April 2016\n\n"
        "Yemen's warring parties resumed talks in Kuwait on Monday, the UN envoy said.\n"
    )
    first, second = _clean(glued)
    assert (first.title, first.published.isoformat()) == (
        "Car bomb kills nine in Azaz",
        "2016-02-02",
    )
    assert (second.title, second.published.isoformat()) == (
        "Talks on Yemen resume in Kuwait",
        "2016-04-12",
    )
    assert "Yemen" not in first.text
    assert "Azaz" not in second.text


def test_dataset_text_keeps_its_own_headline_and_dateline_date() -> None:
    text = "Tue 14 Apr 2015 Barrel bombs kill 11 in Aleppo. Barrel bombs dropped by helicopters killed 11 people."
    (art,) = _clean(text, title="Barrel bombs kill 11 in Aleppo")
    assert art.text == text  # the headline is already in the text: not prepended again
    assert art.published.isoformat() == "2015-04-14"
    assert "dateline in text" in art.published_how


@pytest.mark.parametrize(
    "text",
    [
        "On August 21 2013 rockets hit the suburb killing dozens of people. Medics said most were children.",
        "Rebels said they shelled the base. Since 5 May 2015 the army has lost the hill.",
    ],
)
def test_event_dates_in_the_story_are_not_taken_for_a_dateline(text: str) -> None:
    (art,) = _clean(text)
    assert art.published is None


def test_relative_dateline_is_anchored_to_crawl_time_when_known() -> None:
    from datetime import UTC, datetime

    text = "Strike hits Raqqa bakery\n\nUpdated 3 hours ago\n\nA strike hit a bakery in Raqqa, activists said.\n"
    (art,) = _clean(text, fetched_at=datetime(2017, 6, 4, 2, 0, tzinfo=UTC))
    assert art.published.isoformat() == "2017-06-03"
    assert "crawl time" in art.published_how


def test_page_with_only_furniture_is_rejected() -> None:
    from warlog.errors import InputError

    with pytest.raises(InputError, match="E106"):
        _clean("Latest news\n\nYou may also like\n\n© 2020 Example\n")


@pytest.mark.parametrize(
    "byline", ["By Hassan al-Hassan", "By Omar bin Laden and Sara de Luca", "By Staff"]
)
def test_byline_with_name_particles_is_not_a_second_headline(byline: str) -> None:
    # Regression: "By Hassan al-Hassan" followed by a dateline was read as a new article's headline.
    page = (
        f"Shelling kills four in Jobar\n\n{byline}\n\n12 March 2016\n\n"
        "Shelling killed four people in the Jobar district of Damascus on Friday, state media said.\n"
    )
    (art,) = _clean(page)
    assert art.title == "Shelling kills four in Jobar"
    assert byline not in art.text


# --- page furniture that must not reach extraction (issue 12) ------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Get short URL", Kind.SOCIAL),
        ("Get short URL 0 0 12", Kind.SOCIAL),
        ("Views: 1,204", Kind.SOCIAL),
        ("1204 views", Kind.SOCIAL),
        ("Print Tweet Views 458", Kind.SOCIAL),
        ("Related: Air strikes kill 20 in Idlib market", Kind.TRAILER),
        ("Tags: Syria, Idlib, air strikes", Kind.TRAILER),
        ("Related Coverage", Kind.TRAILER),
        # prose that only looks like it
        ("The video drew 1204 views before it was removed, activists said.", Kind.TEXT),
        ("Related clashes killed five people in the town on Monday.", Kind.TEXT),
    ],
)
def test_furniture_lines(line: str, kind: Kind) -> None:
    assert classify(line) is kind


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "12.03.2016Get short URL 0 0 4 Rebels shelled the town on Monday, a monitor said.",
            "12.03.2016 Rebels shelled the town on Monday, a monitor said.",
        ),
        (
            "Syria blast kills 9 Tuesday 4 May 2016 Print Tweet Views 210 A car bomb killed nine people.",
            "Syria blast kills 9 Tuesday 4 May 2016 A car bomb killed nine people.",
        ),
        (
            "A car bomb killed nine people in Azaz. ... 12 Topic War in Syria (950) Related Rebels "
            "Advance Near Aleppo Air Strikes Kill 40 in Idlib Tags Syria Azaz car bomb",
            "A car bomb killed nine people in Azaz.",
        ),
        (
            "Published May 2 2016 A man carries a wounded child in Douma May 2 2016. (AFP Photo) "
            "At least 12 civilians were killed in Douma.",
            "Published May 2 2016 At least 12 civilians were killed in Douma.",
        ),
        (
            "Smoke rises over Azaz.(Reuters Photo) Shelling killed five people on Monday.",
            "Shelling killed five people on Monday.",
        ),
        # no furniture: unchanged, however it is spaced
        ("Shelling killed five people  on Monday.", "Shelling killed five people  on Monday."),
        # a sentence after the tags is the story going on: the tags stay
        (
            "Tags Syria Idlib The army said it killed 12 militants. It gave no details.",
            "Tags Syria Idlib The army said it killed 12 militants. It gave no details.",
        ),
    ],
)
def test_inline_furniture_is_cut(line: str, expected: str) -> None:
    assert strip_inline(line) == expected


def test_related_headlines_do_not_become_claims() -> None:
    from warlog.extract import Extractor

    text = (
        "A car bomb killed nine people in the town of Azaz on Monday, a monitor said. ... 12 "
        "Related Rebels Advance Near Aleppo Air Strikes Kill 40 Civilians in Idlib Tags Syria Azaz"
    )
    page = RawPage(body=text.encode(), text=text, format=PageFormat.TEXT, source="t.txt")
    result = Extractor().extract(clean_page(page)[0])
    assert [(c.outcome, c.low) for c in result.claims] == [("killed", 9)]


def test_a_headline_the_text_already_opens_with_is_not_added_again() -> None:
    # The page title carries the site's sections ("- Region - World - Outlet"); the text's own
    # copy of the headline runs into the wire credit. One headline, so one claim from it.
    text = (
        "Mortar fire kills at least 12 in northern Aleppo Monitor AFP Sunday 4 May 2014 "
        "At least 12 people were killed when mortar rounds hit a market in the north of the "
        "city of Aleppo on Sunday, a monitoring group said. Dozens more were wounded."
    )
    title = "Mortar fire kills at least 12 in northern Aleppo Monitor - Region - World - Daily News"
    (article,) = _clean(text, title=title)
    assert article.text.count("Mortar fire kills at least 12") == 1
    assert article.title == title
    # a title that names something else still opens the text
    (other,) = _clean(text, title="Aleppo market shelled as talks stall - World - Daily News")
    assert other.text.startswith("Aleppo market shelled as talks stall")
