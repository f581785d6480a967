"""Clean one raw page into one or more articles.

Scraped pages are line-oriented: a site header, a headline (often repeated),
a dateline, captions, the story, then related links. We classify each line on
its own (:mod:`warlog.clean.debris`), then read the page's structure: an
article starts at a headline that is followed, past any furniture, by a
dateline or by the same headline again. A page with two such headers holds two
glued articles.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from warlog.clean import outlet as outlets
from warlog.clean.debris import Kind, classify, is_terminated, looks_like_title, strip_inline
from warlog.errors import E, InputError
from warlog.pubdate import find_date, parse_dateline_line
from warlog.records import Article, RawPage, article_id

# Lines between a headline and its dateline may only be furniture.
_HEADER_FURNITURE = {
    Kind.BLANK,
    Kind.SLIDE_COUNTER,
    Kind.CAPTION,
    Kind.BYLINE,
    Kind.BREADCRUMB,
    Kind.SOCIAL,
}
_REMOVED_KINDS = {
    Kind.JUNK,
    Kind.SITE_HEADER,
    Kind.BREADCRUMB,
    Kind.SLIDE_COUNTER,
    Kind.CAPTION,
    Kind.BYLINE,
    Kind.COPYRIGHT,
    Kind.TRAILER,
    Kind.SOCIAL,
    Kind.DATELINE,
    Kind.RELATIVE_DATELINE,
}
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Fewer words than this is navigation or a bare headline, not an article.
_MIN_WORDS = 5
# Long lines are paragraphs, whatever they end with.
_MAX_FURNITURE_CHARS = 400
_RELATIVE_AGO = re.compile(r"(\d+)\s*(sec|min|hour|hr|day|week)", re.I)
# A date after the first sentence, or after "on"/"since", is an event date, not a dateline.
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z0-9\"“]")
_NOT_A_DATELINE_BEFORE = re.compile(
    r"(?<!posted )(?<!published )(?<!updated )\b(?:on|since|in|from|until|till|by|before|after)\s*$",
    re.I,
)


@dataclass(slots=True)
class _Line:
    text: str
    kind: Kind


@dataclass(slots=True)
class _Segment:
    lines: list[_Line]
    title: str | None = None
    removed: list[str] = field(default_factory=list)


def normalise_text(text: str) -> str:
    """Unicode NFC, one kind of newline and space; lines trimmed."""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def clean_page(page: RawPage) -> list[Article]:
    """All articles on ``page``; raises InputError when there is no article text."""
    lines = _classify_lines(normalise_text(page.text))
    _mark_context(lines, has_title=page.title is not None)
    copyright_lines = [ln.text for ln in lines if ln.kind is Kind.COPYRIGHT]
    segments = _segment(lines, page.title)
    articles: list[Article] = []
    for seg in segments:
        art = _build_article(page, seg, len(articles), copyright_lines)
        if art is not None:
            articles.append(art)
    if not articles:
        raise InputError(E.E106)
    return articles


def _classify_lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    in_junk = False
    for raw in map(strip_inline, text.split("\n")):
        kind = classify(raw) if len(raw) <= _MAX_FURNITURE_CHARS else _long_line_kind(raw)
        if in_junk:
            kind = Kind.JUNK
            in_junk = not raw.rstrip().endswith(('"', "]", "}"))
        elif kind is Kind.JUNK:
            # A dump can wrap over several lines: it ends at its closing quote or bracket.
            in_junk = not raw.rstrip().endswith(('"', "]", "}"))
        out.append(_Line(raw, kind))
    return out


def _long_line_kind(line: str) -> Kind:
    kind = classify(line)
    return kind if kind is Kind.JUNK else Kind.TEXT


def _mark_context(lines: list[_Line], has_title: bool) -> None:
    """Rules that need neighbouring lines."""
    for i, ln in enumerate(lines):
        if ln.kind is Kind.SLIDE_COUNTER:
            # The line after "1 / 2" is the slide's caption, credited or not.
            j = _next_nonblank(lines, i + 1)
            if j is not None and lines[j].kind is Kind.TEXT:
                lines[j].kind = Kind.CAPTION
    # A sentence-like line repeated right after itself is a caption shown twice.
    prev: _Line | None = None
    for ln in lines:
        if ln.kind is Kind.BLANK:
            continue
        if (
            prev is not None
            and ln.kind is Kind.TEXT
            and prev.kind in (Kind.TEXT, Kind.CAPTION)
            and _key(ln.text) == _key(prev.text)
            and is_terminated(ln.text)
        ):
            ln.kind = prev.kind = Kind.CAPTION
        prev = ln
    # Everything between a "related links" marker and the next article is link lists.
    in_trailer = False
    for i, ln in enumerate(lines):
        if ln.kind is Kind.TRAILER:
            in_trailer = True
        elif in_trailer and ln.kind in (Kind.TEXT, Kind.BULLET):
            if _header_signal(lines, i, None):
                in_trailer = False
            else:
                ln.kind = Kind.TRAILER
    # Site furniture before the first headline: the header bar and its date.
    bars = [i for i, ln in enumerate(lines[:40]) if ln.kind in (Kind.SITE_HEADER, Kind.BREADCRUMB)]
    if bars:
        for ln in lines[: bars[-1]]:
            if ln.kind in (Kind.DATELINE, Kind.TEXT, Kind.RELATIVE_DATELINE):
                ln.kind = Kind.SITE_HEADER


def _segment(lines: list[_Line], given_title: str | None) -> list[_Segment]:
    starts: list[int] = []
    for i, ln in enumerate(lines):
        if ln.kind is not Kind.TEXT or not _header_signal(lines, i, ln.text):
            continue
        # A headline shown twice opens one article, not two.
        if (
            starts
            and _key(lines[starts[-1]].text) == _key(ln.text)
            and not _content_between(lines, starts[-1] + 1, i)
        ):
            continue
        starts.append(i)
    first_text = next(
        (i for i, ln in enumerate(lines) if ln.kind in (Kind.TEXT, Kind.BULLET)), None
    )
    if first_text is None:
        return []
    if not starts or _content_between(lines, first_text, starts[0]):
        # Content before the first detected header belongs to an article whose header we can't see.
        starts = [first_text, *starts]
    segments: list[_Segment] = []
    bounds = [*starts, len(lines)]
    for n, (a, b) in enumerate(itertools.pairwise(bounds)):
        seg_lines = lines[a:b] if n else lines[:b]
        seg = _Segment(seg_lines)
        if a in starts and _header_signal(lines, a, lines[a].text):
            seg.title = lines[a].text
        elif n == 0 and given_title:
            seg.title = given_title
        elif looks_like_title(lines[a].text) and _followed_by_prose(lines, a):
            seg.title = lines[a].text
        segments.append(seg)
    return segments


def _header_signal(lines: list[_Line], i: int, title: str | None) -> bool:
    """Is line ``i`` a headline: followed, past furniture, by a dateline or by itself again?"""
    if title is not None and not looks_like_title(title):
        return False
    key = _key(lines[i].text)
    for ln in lines[i + 1 : i + 12]:
        if ln.kind in (Kind.DATELINE, Kind.RELATIVE_DATELINE):
            return True
        if ln.kind in _HEADER_FURNITURE:
            continue
        return ln.kind is Kind.TEXT and _key(ln.text) == key
    return False


def _followed_by_prose(lines: list[_Line], i: int) -> bool:
    j = _next_content(lines, i + 1)
    return j is not None and is_terminated(lines[j].text)


def _content_between(lines: list[_Line], a: int, b: int) -> bool:
    return any(ln.kind in (Kind.TEXT, Kind.BULLET) for ln in lines[a:b])


def _next_nonblank(lines: list[_Line], i: int) -> int | None:
    return next((j for j in range(i, len(lines)) if lines[j].kind is not Kind.BLANK), None)


def _next_content(lines: list[_Line], i: int) -> int | None:
    return next(
        (j for j in range(i, len(lines)) if lines[j].kind in (Kind.TEXT, Kind.BULLET)), None
    )


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


# "Car bomb kills 34 - Region - World - Ahram Online": the site's sections and name after a dash
# or a bar, which the text's own copy of the headline does not repeat.
_SITE_SUFFIX = re.compile(r"\s+[-|–—:]{1,2}\s+(?=\S)")
_MIN_HEADLINE_WORDS = 4


def _headlines(title: str) -> list[str]:
    """The title as given, and without the site's trailing sections when it has them."""
    head = _SITE_SUFFIX.split(title, maxsplit=1)[0]
    if head != title and len(head.split()) >= _MIN_HEADLINE_WORDS:
        return [title, head]
    return [title]


def _build_article(
    page: RawPage, seg: _Segment, index: int, copyright_lines: list[str]
) -> Article | None:
    title_key = _key(seg.title) if seg.title else None
    body: list[tuple[str, bool]] = []  # (paragraph, came from a summary bullet)
    removed: set[str] = set()
    title_pending = seg.title is not None
    dateline = None
    relative = None
    seen_body = False
    for ln in seg.lines:
        kind = ln.kind
        if kind is Kind.BLANK:
            continue
        if kind is Kind.DATELINE and not seen_body and dateline is None:
            dateline = ln.text
        if kind is Kind.RELATIVE_DATELINE and not seen_body and relative is None:
            relative = ln.text
        if kind in _REMOVED_KINDS:
            removed.add(kind.value)
            continue
        text = ln.text
        if kind is Kind.BULLET:
            text = re.sub(r"^[•·▪●◦‣∙]\s*", "", text)
        if title_key and _key(text) == title_key:
            if not title_pending:
                removed.add("repeated headline")
            title_pending = False
            continue
        body.append((text, kind is Kind.BULLET))
        seen_body = True
    paras = _drop_uncredited_captions(_drop_duplicate_bullets(body, removed), removed)
    if sum(len(p.split()) for p in paras) < _MIN_WORDS:
        return None
    return _article(page, seg, index, paras, removed, dateline, relative, copyright_lines)


def _article(
    page: RawPage,
    seg: _Segment,
    index: int,
    body: list[str],
    removed: set[str],
    dateline: str | None,
    relative: str | None,
    copyright_lines: list[str],
) -> Article:
    if not body:
        return None
    title = seg.title
    published, how = _publication_date(page, dateline, relative, body)
    # The headline opens the text so claims read from it have offsets too, unless the
    # text given with the page already opens with it (datasets, some HTML extractions).
    opening = _key(body[0][:400])
    if title and not any(
        opening.startswith(_key(t)[:60]) or _key(t) in opening for t in _headlines(title)
    ):
        paragraphs = [title, *body]
    else:
        paragraphs = body
    text = "\n\n".join(paragraphs)
    guess = outlets.choose(page.url, page.outlet, page.outlet_how, [*copyright_lines, body[-1]])
    return Article(
        id=article_id(page.sha256, index),
        page_sha256=page.sha256,
        index=index,
        title=title,
        text=text,
        outlet=guess.name if guess else None,
        outlet_how=guess.how if guess else "not found: no URL, metadata or signature",
        url=page.url,
        published=published,
        published_how=how,
        source=page.source,
        external_id=page.external_id,
        removed=tuple(sorted(removed)),
    )


def _drop_duplicate_bullets(body: list[tuple[str, bool]], removed: set[str]) -> list[str]:
    """Summary bullets that repeat a paragraph of the story go; the rest stay."""
    prose = {_key(text) for text, is_bullet in body if not is_bullet}
    out: list[str] = []
    for text, is_bullet in body:
        if is_bullet and _key(text) in prose:
            removed.add("repeated summary bullet")
            continue
        out.append(text)
    return out


def _drop_uncredited_captions(body: list[str], removed: set[str]) -> list[str]:
    """A short unpunctuated line inside the story is a caption ("Oleg Syromolotov Russian deputy foreign minister")."""
    out: list[str] = []
    for i, para in enumerate(body):
        inner = 0 < i < len(body) - 1
        if (
            inner
            and len(para.split()) <= 10
            and not is_terminated(para)
            and is_terminated(body[i - 1])
        ):
            removed.add(Kind.CAPTION.value)
            continue
        out.append(para)
    return out


def _publication_date(
    page: RawPage, dateline: str | None, relative: str | None, body: list[str]
) -> tuple[date | None, str]:
    if dateline:
        found = parse_dateline_line(dateline)
        if found:
            return found.date, f"dateline {dateline!r}"
    if page.published:
        return page.published, page.published_how or "given with the page"
    if relative:
        if page.fetched_at:
            m = _RELATIVE_AGO.search(relative)
            if m:
                unit = m.group(2).lower()
                n = int(m.group(1))
                delta = {
                    "sec": timedelta(seconds=n), "min": timedelta(minutes=n), "hour": timedelta(hours=n),
                    "hr": timedelta(hours=n), "day": timedelta(days=n), "week": timedelta(weeks=n),
                }[unit]  # fmt: skip
                return (
                    page.fetched_at - delta
                ).date(), f"relative dateline {relative!r} from crawl time"
        return None, f"not found: relative dateline {relative!r} and no crawl time to anchor it"
    head = body[0][:300]
    found = find_date(head)
    before = head[: found.start] if found else ""
    if found and not _SENTENCE_END.search(before) and not _NOT_A_DATELINE_BEFORE.search(before):
        return found.date, f"dateline in text {found.text!r}"
    return None, "not found: no dateline on the page"
