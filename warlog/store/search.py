"""Full-text search over articles, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

The two engines index the same thing, an article's title and cleaned text, with
English stemming ("killed" finds "kill", "killing"), and accept the same query
language, that of PostgreSQL's ``websearch_to_tsquery``: words (all must occur),
"quoted phrases", ``or`` between alternatives and ``-word`` to exclude. Raw user
input never reaches FTS5's own query syntax: every term is quoted here, so a
stray ``"`` or ``AND(`` cannot raise a syntax error; PostgreSQL's websearch
parser never raises on any input.

Snippets are HTML-escaped with the matches in ``<mark>…</mark>``: the engines
mark matches with control characters (which cleaned text never holds), the text
is escaped, and only then are the markers turned into tags, so an API can show a
snippet as it is.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Date, Float, String, Text, text

FTS_TABLE = "articles_fts"
PG_INDEX = "ix_articles_fts"
MAX_LIMIT = 1000

# The indexed document on PostgreSQL. The index is on this expression, so a query
# uses it only when it spells the expression exactly the same way.
PG_DOCUMENT = "to_tsvector('english', coalesce(title, '') || ' ' || text)"

_START, _STOP = "\x02", "\x03"
_ELLIPSIS = "…"
# SQLite's unicode61 tokenizer keeps letters and digits and splits on the rest
# (underscore included), so a query word is split the same way before quoting.
_WORD = re.compile(r"[^\W_]+")
_TERM = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: str
    title: str | None
    published: date | None
    outlet: str | None
    snippet: str  # HTML-escaped, matches in <mark>…</mark>
    rank: float  # higher is better; comparable within one result list only


def create_index(conn: Connection) -> None:
    """Migration 4: the full-text index, filled with the articles already stored."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        # A standalone FTS5 table (it keeps its own copy of the text) rather than
        # an external-content one: articles has a text primary key, and the
        # implicit rowid an external-content table would point at may be
        # renumbered by VACUUM, which would silently mismatch the index.
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "article_id UNINDEXED, title, text, tokenize='porter unicode61')"
        )
        conn.exec_driver_sql(
            f"INSERT INTO {FTS_TABLE} (article_id, title, text) "
            "SELECT id, coalesce(title, ''), text FROM articles "
            f"WHERE id NOT IN (SELECT article_id FROM {FTS_TABLE})"
        )
    elif dialect == "postgresql":
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON articles USING GIN ({PG_DOCUMENT})"
        )


def index_article(conn: Connection, article_id: str, title: str | None, body: str) -> None:
    """Keep the SQLite index in step with a new article (PostgreSQL's index follows by itself)."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(f"INSERT INTO {FTS_TABLE} (article_id, title, text) VALUES (:id, :title, :text)"),
            {"id": article_id, "title": title or "", "text": body},
        )


def fts5_query(query: str) -> str | None:
    """A safe FTS5 MATCH expression for websearch-style input; None when it has no words.

    Every term is a quoted FTS5 phrase of plain words, so nothing the user types
    is read as FTS5 syntax.
    """
    groups: list[list[str]] = []  # AND of ORs
    negated: list[str] = []
    pending_or = False
    for m in _TERM.finditer(query):
        quoted, bare = m.group(1), m.group(2)
        raw = quoted if quoted is not None else bare
        if bare is not None and bare.lower() == "or":
            pending_or = bool(groups)
            continue
        negative = bare is not None and bare.startswith("-")
        words = _WORD.findall(raw)
        if not words:
            continue
        phrase = '"' + " ".join(words).replace('"', '""') + '"'
        if negative:
            negated.append(phrase)
        elif pending_or:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
        pending_or = False
    if not groups:  # FTS5's NOT needs something to subtract from
        return None
    expr = " AND ".join("(" + " OR ".join(g) + ")" for g in groups)
    for n in negated:
        expr = f"({expr}) NOT {n}"
    return expr


def search(conn: Connection, query: str, limit: int, offset: int) -> list[SearchHit]:
    limit = max(0, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    query = query.replace("\x00", " ")  # PostgreSQL refuses NUL in any text parameter
    if limit == 0 or not _WORD.search(query):
        return []
    dialect = conn.dialect.name
    if dialect == "sqlite":
        match = fts5_query(query)
        if match is None:
            return []
        # bm25() is lower-is-better; its weights favour a match in the title.
        stmt = text(
            f"SELECT f.article_id, a.title, a.published, a.outlet, "
            f"snippet({FTS_TABLE}, -1, char(2), char(3), '{_ELLIPSIS}', 24) AS snippet, "
            f"-bm25({FTS_TABLE}, 0.0, 2.0, 1.0) AS rank "
            f"FROM {FTS_TABLE} f JOIN articles a ON a.id = f.article_id "
            f"WHERE {FTS_TABLE} MATCH :q "
            "ORDER BY rank DESC, f.article_id LIMIT :limit OFFSET :offset"
        )
        params = {"q": match, "limit": limit, "offset": offset}
    elif dialect == "postgresql":
        # The page of hits is chosen first and ts_headline (which re-parses the
        # whole text) runs on that page only.
        tsq = "websearch_to_tsquery('english', :q)"
        stmt = text(
            "SELECT id AS article_id, title, published, outlet, rank, "
            f"ts_headline('english', text, {tsq}, :opts) AS snippet FROM ("
            f"  SELECT id, title, published, outlet, text, ts_rank_cd({PG_DOCUMENT}, {tsq}) AS rank"
            f"  FROM articles WHERE {PG_DOCUMENT} @@ {tsq}"
            "  ORDER BY rank DESC, id LIMIT :limit OFFSET :offset"
            ") hits ORDER BY rank DESC, id"
        )
        opts = (
            f'StartSel="{_START}", StopSel="{_STOP}", MaxWords=35, MinWords=15, '
            f'MaxFragments=2, FragmentDelimiter=" {_ELLIPSIS} "'
        )
        params = {"q": query, "limit": limit, "offset": offset, "opts": opts}
    else:
        raise NotImplementedError(f"full-text search is not available on {dialect}")
    stmt = stmt.columns(
        article_id=String,
        title=Text,
        published=Date,
        outlet=String,
        snippet=Text,
        rank=Float,
    )
    return [
        SearchHit(
            article_id=r.article_id,
            title=r.title,
            published=r.published,
            outlet=r.outlet,
            snippet=_mark(r.snippet or ""),
            rank=float(r.rank),
        )
        for r in conn.execute(stmt, params)
    ]


def _mark(snippet: str) -> str:
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")
