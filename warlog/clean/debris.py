"""Line-level rules that tell page furniture from article text.

Every rule is a compiled pattern here, in one place, as trafilatura keeps its
XPaths in one module: adding a site's quirk means adding a pattern, not code.
"""

from __future__ import annotations

import re
from enum import StrEnum

from warlog.pubdate import is_relative_dateline, parse_dateline_line


class Kind(StrEnum):
    BLANK = "blank"
    JUNK = "serialized junk"
    SITE_HEADER = "site header"
    BREADCRUMB = "breadcrumb"
    DATELINE = "dateline"
    RELATIVE_DATELINE = "relative dateline"
    SLIDE_COUNTER = "slide counter"
    CAPTION = "photo caption"
    BYLINE = "byline"
    COPYRIGHT = "copyright"
    TRAILER = "related links"
    SOCIAL = "social/share"
    BULLET = "bullet"
    TEXT = "text"


# PHP var_dump of a JSON string, and raw JSON/PHP-serialized blobs that leak from templates.
JUNK = re.compile(
    r"""^\s*(?:string\(\d+\)\s*"|\[\s*\{\s*"|\{\s*"[\w-]+"\s*:|a:\d+:\{|array\(\d+\)\s*\{|object\(\w+\))"""
)
SITE_HEADER = re.compile(
    r"^\s*(?:latest\s+news|breaking\s+news|top\s+stories|trending(?:\s+now)?|most\s+read|"
    r"skip\s+to\s+(?:main\s+)?content|menu|search|subscribe|sign\s+in|log\s*in|home)\s*:?\s*$",
    re.I,
)
BREADCRUMB = re.compile(r"^\s*(?:main|home|news)\s*(?:[»›>/|]|&raquo;)\s*\S", re.I)
SLIDE_COUNTER = re.compile(r"^\s*\d{1,3}\s*(?:/|of)\s*\d{1,3}\s*$", re.I)
# A photo credit closing the line: "(AFP / LOUAI BESHARA)", "(Screenshot)", "(Reuters/File Photo)".
CREDIT = re.compile(
    r"\(\s*(?:AFP|AP|Reuters|Getty(?:\s+Images)?|EPA|Anadolu(?:\s+Agency)?|SANA|"
    r"Screenshot|Screen\s*grab|File(?:\s+photo)?|Photo|Photos|Archive|Handout|Courtesy|"
    r"Twitter|Facebook|Social\s+media|Video\s+grab)\b[^()]{0,80}\)\s*$",
    re.I,
)
BYLINE = re.compile(
    r"^\s*(?:(?i:photo\s+of\s+(?:the\s+)?author|by\s+(?:admin|staff|editor|the\s+editorial\s+team))"
    r"|(?i:by)\s+[A-Z][\w.'-]+(?:\s+(?:and\s+)?(?:(?:al|el|ad|ar|as|bin|ibn|abu|de|da|van|von|der|le|la)[-\s])?[A-Z][\w.'-]+){0,4}"
    r"|(?i:written\s+by|author:|reporting\s+by|editing\s+by)\b.*)\s*$",
)
COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)|copyright\b|all\s+rights\s+reserved)", re.I)
TRAILER = re.compile(
    r"^\s*(?:you\s+may\s+also\s+like|you\s+might\s+also\s+like|related(?:\s+(?:articles|news|stories|posts|coverage|content))?|"
    r"read\s+(?:more|also)|more\s+from\b.*|recommended(?:\s+for\s+you)?|also\s+read|see\s+also|"
    r"more\s+stories|tags?\s*:.*|keywords?\s*:.*|comments?|leave\s+a\s+(?:comment|reply)|advertisement)"
    r"\s*:?\s*$",
    re.I,
)
SOCIAL = re.compile(
    r"^\s*(?:share(?:\s+(?:this|on)\b.*)?|tweet|facebook|twitter|whatsapp|telegram|email|print|"
    r"follow\s+us\b.*|click\s+here\b.*|get\s+short\s+url(?:\s+\d+)*|"
    r"(?:print\s+)?(?:tweet\s+)?views?:?\s*\d[\d,]*|\d[\d,]*\s+(?:views|reads|comments)|"
    r"(?:\d+\s+)*(?:comments?|likes?|shares?)\s*:?\s*\d*)\s*$",
    re.I,
)
# "Related: Rebels shell Aleppo", "Related Coverage": a link to another story, on its own line.
RELATED_LINE = re.compile(r"^\s*(?:related|see\s+also|read\s+also|also\s+read)\s*:\s*\S.*$", re.I)

# --- inside a line ------------------------------------------------------------------------
# Feeds that flatten a page into one line keep its furniture inline. Each pattern below is
# cut out of the text (replaced by one space) before the line is classified.
INLINE: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "21.08.2013Get short URL 0 0 0 Syrian regime forces ...": a share widget and its counters.
    ("short url", re.compile(r"Get\s+short\s+URL(?:\s+\d+)*", re.I)),
    # "Print Tweet Views 458": share buttons and a view counter.
    ("view counter", re.compile(r"\b(?:Print\s+)?Tweet\s+Views?\s+\d[\d,]*")),
    # "Topic Violence Erupts as Islamic State Rises (1881)": a topic label and its story count.
    (
        "topic label",
        re.compile(
            r"\bTopic\s+(?:[A-Z][\w'&-]*\s+|(?:a|an|and|as|at|for|in|of|on|the|to)\s+){1,12}\(\d+\)"
        ),
    ),
    # "... 43 Related Kobani in Ruins ... Tags airstrikes Syria ... Comment via Facebook":
    # related headlines and tags after the story, with no sentence end up to the line's end.
    (
        "related and tags tail",
        re.compile(
            r"(?:\s(?:\.\.\.|…))?(?:\s+\d+)?\s+(?:Related(?:\s+(?:Coverage|Articles|News|Stories|Posts))?|Tags:?)\s[^.!?]*$"
        ),
    ),
    # "... on July 21 2015. (AFP Photo) At least 18 civilians ...": a caption and its credit.
    (
        "photo caption",
        re.compile(
            r"(?:^|(?<=[.!?]\s))[^.!?()]{1,300}?[.!?]?\s*\((?:AFP|Reuters|AP|Getty(?:\s+Images)?|EPA|"
            r"Anadolu(?:\s+Agency)?|SANA|Xinhua)(?:\s*/\s*[^()]{1,40})?\s+Photos?\)"
        ),
    ),
)
_SPACE_RUN = re.compile(r" {2,}")


# A dateline the caption follows ("Published July 21 2015 A boy cries ... (AFP Photo)") stays.
_LEADING_DATELINE = re.compile(
    r"^(?:(?:Published|Updated|Posted)\s+(?:on\s+)?)?(?:[A-Z][a-z]+day,?\s+)?"
    r"(?:\d{1,2}\s+[A-Z][a-z]+,?\s+\d{4}|[A-Z][a-z]+\s+\d{1,2},?\s+\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})\s*"
)


def _cut(m: re.Match[str]) -> str:
    kept = _LEADING_DATELINE.match(m.group(0))
    return f" {kept.group(0).strip()} " if kept else " "


def strip_inline(line: str) -> str:
    """``line`` without the page furniture inside it (see INLINE); unchanged when it has none."""
    out = line
    for _, pattern in INLINE:
        out = pattern.sub(_cut, out)
    return out if out == line else _SPACE_RUN.sub(" ", out).strip()


BULLET = re.compile(r"^\s*[•·▪●◦‣∙]\s*")


def classify(line: str) -> Kind:
    """What a single line of a scraped page is, judged on the line alone."""
    s = line.strip()
    if not s:
        return Kind.BLANK
    if JUNK.match(s):
        return Kind.JUNK
    if SITE_HEADER.match(s):
        return Kind.SITE_HEADER
    if BREADCRUMB.match(s):
        return Kind.BREADCRUMB
    if SLIDE_COUNTER.match(s):
        return Kind.SLIDE_COUNTER
    if len(s) <= 80 and parse_dateline_line(s):
        return Kind.DATELINE
    if is_relative_dateline(s):
        return Kind.RELATIVE_DATELINE
    if COPYRIGHT.match(s):
        return Kind.COPYRIGHT
    if TRAILER.match(s) or RELATED_LINE.match(s):
        return Kind.TRAILER
    if SOCIAL.match(s):
        return Kind.SOCIAL
    if len(s) <= 60 and BYLINE.match(s):
        return Kind.BYLINE
    if CREDIT.search(s):
        return Kind.CAPTION
    if BULLET.match(s):
        return Kind.BULLET
    return Kind.TEXT


def looks_like_title(line: str) -> bool:
    """A headline: short, and not closed like a sentence."""
    s = line.strip()
    words = s.split()
    if not 2 <= len(words) <= 30 or len(s) > 220:
        return False
    return not s.endswith((".", ",", ";", ":")) or s.endswith("...")


def is_terminated(line: str) -> bool:
    """Ends like prose (a sentence, or a closing quote after one)."""
    return line.rstrip().endswith((".", "!", "?", '"', "”", "’", "'", ")", ":", ";"))
