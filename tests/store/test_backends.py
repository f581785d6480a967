"""The same store on SQLite and PostgreSQL: migrations, ingestion, full-text search, errors.

PostgreSQL variants need WARLOG_TEST_PG_URL (see conftest.py); each gets an empty schema.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import fresh_pg_url
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select, text

from warlog.cli import main
from warlog.errors import WarlogError
from warlog.pipeline import ingest_paths
from warlog.records import PageFormat, RawPage, article_id
from warlog.store import SearchHit, Store, migrations, schema
from warlog.store.search import fts5_query

BAD_QUERIES = [
    '"',
    '""',
    "AND(",
    "OR",
    "NOT",
    "killed AND(",
    '"unterminated phrase',
    "NEAR(killed raid, 2)",
    "title:killed",
    "text:*",
    "^killed",
    "killed*",
    "-",
    "--",
    "-killed",
    "((()))",
    "'; DROP TABLE articles; --",
    "killed\x00raid",
    "{killed}",
    "\\",
    "   ",
    "",
    "🙂",
    "قتل",
]


def _story(i: int, town: str) -> str:
    return (
        f"Raid kills {i + 3} in {town}\n\n0{1 + i % 9} March 2016\n\n"
        f"Government air strikes on the rebel-held town of {town} killed at least {i + 3} civilians "
        "on Tuesday, the Syrian Observatory for Human Rights said. The monitor said the raids hit a "
        "market and a residential building near the town centre, and that dozens of people were "
        f"wounded. Story number {i} of the batch was filed late in the evening.\n"
    )


def _corpus(folder: Path, n: int) -> list[Path]:
    """``n`` distinct stories; every seventh file also has a copy with other debris."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        body = _story(i, f"Town{i % 13}")
        f = folder / f"{i:03d}.txt"
        f.write_text(body, "utf-8")
        files.append(f)
        if i % 7 == 0:  # same cleaned text, other bytes: an exact duplicate article
            g = folder / f"{i:03d}b.txt"
            g.write_text(body + "\n© 2016 Another Site\n", "utf-8")
            files.append(g)
    return files


def _content(store: Store) -> dict[str, object]:
    """What a store holds, independent of the order files were ingested in."""
    a, c = schema.articles.c, schema.claims.c
    with store.engine.connect() as conn:
        arts = conn.execute(
            select(a.id, a.title, a.text, a.published, a.outlet, a.content_hash, a.duplicate_of)
        ).all()
        claims = sorted(conn.execute(select(c.id, c.article_id, c.data)).all())
        pages = sorted(conn.execute(select(schema.pages.c.sha256)).scalars())
        lsh = sorted(
            conn.execute(select(schema.article_lsh.c.bucket, schema.article_lsh.c.article_id))
        )
    # Which article is the original of a group depends on ingestion order; the groups do not.
    root = {r.id: r.duplicate_of or r.id for r in arts}
    groups = {frozenset(k for k, v in root.items() if v == r) for r in set(root.values())}
    return {
        "articles": sorted(tuple(r)[:6] for r in arts),
        "duplicate groups": groups,
        "claims": [tuple(r) for r in claims],
        "pages": pages,
        "lsh": [tuple(r) for r in lsh],
    }


# --- migrations -------------------------------------------------------------


def test_migrations_run_and_are_recorded_once(db_url: str) -> None:
    Store(db_url).close()
    with Store(db_url) as store, store.engine.connect() as conn:
        versions = conn.execute(select(schema.migrations.c.version)).scalars().all()
        assert versions == [m.version for m in migrations.MIGRATIONS]
        assert 4 in versions
        names = set(inspect(conn).get_table_names())
        assert {"pages", "articles", "claims", "leads", "ingest_log"} <= names
        if conn.dialect.name == "postgresql":
            idx = conn.execute(
                text(
                    "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_articles_fts' AND schemaname = current_schema()"
                )
            ).scalar_one()
            assert "gin" in idx.lower() and "to_tsvector" in idx
        else:
            assert conn.exec_driver_sql("SELECT count(*) FROM articles_fts").scalar_one() == 0


def test_migration_4_indexes_articles_stored_before_it(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    early = tuple(m for m in migrations.MIGRATIONS if m.version < 4)
    monkeypatch.setattr(migrations, "MIGRATIONS", early)
    monkeypatch.setattr(migrations, "LATEST", early[-1].version)
    page = RawPage(body=b"x", text="x", format=PageFormat.TEXT, source="old.txt")
    with Store(db_url) as old, old.engine.begin() as conn:
        conn.execute(
            schema.pages.insert().values(
                sha256=page.sha256, source="old.txt", format="text", encoding="utf-8",
                ingested_at=schema_now(), size=1, body=b"x",
            )
        )  # fmt: skip
        conn.execute(
            schema.articles.insert().values(
                id=article_id(page.sha256, 0), page_sha256=page.sha256, idx=0,
                title="Shelling of Maarat al-Numan", text="Shelling killed seven in Maarat al-Numan.",
                published_how="not found", content_hash="h", source="old.txt", removed="[]",
                ingested_at=schema_now(),
            )
        )  # fmt: skip
    monkeypatch.undo()
    with Store(db_url) as store:
        (hit,) = store.search_articles("shelling")
        assert hit.article_id == article_id(page.sha256, 0)


def schema_now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


# --- ingestion and search on both ---------------------------------------------


@pytest.mark.slow
def test_seeds_give_the_same_articles_and_claims_on_postgresql(
    pg_url: str, seeds_dir: Path
) -> None:
    from warlog.extract import Extractor

    extractor = Extractor()
    with Store("sqlite://") as lite, Store(pg_url) as pg:
        r1 = ingest_paths(lite, [str(seeds_dir)], extractor=extractor)
        r2 = ingest_paths(pg, [str(seeds_dir)], extractor=extractor)
        assert r1.claims_new == r2.claims_new > 0
        assert lite.articles() == pg.articles()
        assert lite.claims() == pg.claims()
        assert lite.leads() == pg.leads()
        assert _content(lite) == _content(pg)


def test_seeds_ingest_alike_on_both(store: Store, seeds_dir: Path) -> None:
    with Store("sqlite://") as ref:
        ingest_paths(ref, [str(seeds_dir)], extract=False)
        ingest_paths(store, [str(seeds_dir)], extract=False)
        assert store.articles() == ref.articles()
        assert _content(store) == _content(ref)


def test_search_finds_stems_phrases_alternatives_and_exclusions(
    store: Store, seeds_dir: Path
) -> None:
    ingest_paths(store, [str(seeds_dir)], extract=False)
    hits = store.search_articles("killed")
    assert hits and all(isinstance(h, SearchHit) for h in hits)
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)
    # English stemming on both engines: "kill" finds "killed".
    assert {h.article_id for h in store.search_articles("kill")} == {h.article_id for h in hits}
    assert all("<mark>" in h.snippet for h in hits)
    russian = store.article("340554f3e543b321")
    assert russian.title and "Russian soldiers" in russian.title
    top = store.search_articles('"Russian soldiers" Daesh')
    assert top and top[0].article_id == russian.id
    assert top[0].title == russian.title and top[0].outlet == russian.outlet
    assert top[0].published == russian.published
    none = store.search_articles("xylophonequartet")
    assert none == []
    either = {h.article_id for h in store.search_articles("xylophonequartet or Daesh")}
    assert either == {h.article_id for h in store.search_articles("Daesh")}
    without = {h.article_id for h in store.search_articles("killed -Daesh")}
    assert without == {h.article_id for h in hits} - either
    # Pages of results tile the full list.
    full = [h.article_id for h in store.search_articles("Syria", limit=100)]
    paged = [h.article_id for o in range(0, 8, 2) for h in store.search_articles("Syria", 2, o)]
    assert paged == full[:8]


def test_search_snippets_are_escaped(store: Store, tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text(
        "Blast <script>alert(1)</script> in Idlib kills 4\n\n09 February 2016\n\n"
        "A bomb killed four people & wounded <b>ten</b> in Idlib on Tuesday, activists said.\n",
        "utf-8",
    )
    ingest_paths(store, [str(tmp_path)], extract=False)
    (hit,) = store.search_articles("bomb")
    assert "<mark>bomb</mark>" in hit.snippet
    assert "<b>" not in hit.snippet and "&amp;" in hit.snippet
    assert "<script>" not in hit.snippet


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_any_query_text_is_safe(store: Store, seeds_dir: Path, query: str) -> None:
    ingest_paths(store, [str(seeds_dir)], extract=False)
    hits = store.search_articles(query)
    assert isinstance(hits, list)
    assert store.count("articles") == 6  # and nothing was dropped


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_fts5_queries_from_any_text_are_valid(query: str) -> None:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='porter unicode61')")
    conn.execute("INSERT INTO t VALUES ('killed in raid')")
    match = fts5_query(query)
    if match is not None:
        conn.execute("SELECT * FROM t WHERE t MATCH ?", (match,)).fetchall()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_search_never_raises(store: Store, query: str) -> None:
    assert isinstance(store.search_articles(query, limit=5), list)


def test_search_limits(store: Store, seeds_dir: Path) -> None:
    ingest_paths(store, [str(seeds_dir)], extract=False)
    assert store.search_articles("Syria", limit=0) == []
    assert len(store.search_articles("Syria", limit=1)) == 1
    assert store.search_articles("Syria", offset=1000) == []
    assert store.search_articles("Syria", limit=-5, offset=-5) == []


# --- the command line on both ----------------------------------------------------


def test_cli_ingests_and_lists_on_both(runner: CliRunner, db_url: str, seeds_dir: Path) -> None:
    res = runner.invoke(main, ["ingest", "--db", db_url, str(seeds_dir)])
    assert res.exit_code == 0, res.output
    listed = runner.invoke(main, ["articles", "--db", db_url, "--json"])
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 6 and len({r["id"] for r in rows}) == 6


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://warlog:s3cret@127.0.0.1:1/warlog",
        "postgresql+psycopg://warlog:s3cret@127.0.0.1:1/warlog",
    ],
)
def test_unreachable_server_is_one_clear_line(runner: CliRunner, url: str) -> None:
    res = runner.invoke(main, ["articles", "--db", url])
    assert res.exit_code == 1
    assert "[E111] Cannot open database" in res.stderr
    assert "127.0.0.1" in res.stderr and "s3cret" not in res.output + res.stderr
    assert "Traceback" not in res.output + res.stderr


def test_unreachable_server_from_a_real_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "warlog.cli", "runs", "--db", "postgresql://u@127.0.0.1:1/db"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: [E111]") and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_missing_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_psycopg(name: str, *args: object, **kwargs: object) -> object:
        if name == "psycopg" or name.startswith("psycopg."):
            raise ModuleNotFoundError("No module named 'psycopg'", name="psycopg")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_psycopg)
    with pytest.raises(WarlogError, match=r"E111.*warlog\[postgres\]"):
        Store("postgresql://u@127.0.0.1:1/db")


# --- concurrent writers on PostgreSQL -----------------------------------------------


@pytest.mark.slow
def test_two_concurrent_ingests_equal_one_sequential_run(tmp_path: Path) -> None:
    """Two real `warlog ingest` processes on disjoint and overlapping files, with a reader."""
    files = _corpus(tmp_path / "corpus", 42)
    half = len(files) // 2
    # A takes the first 60 %, B the last 60 %: a fifth of the files are in both.
    a_dir, b_dir = tmp_path / "a", tmp_path / "b"
    a_dir.mkdir()
    b_dir.mkdir()
    for f in files[: half + len(files) // 10]:
        (a_dir / f.name).write_bytes(f.read_bytes())
    for f in files[half - len(files) // 10 :]:
        (b_dir / f.name).write_bytes(f.read_bytes())
    cmd = [sys.executable, "-m", "warlog.cli", "ingest", "--db"]

    with fresh_pg_url() as seq_url, fresh_pg_url() as conc_url:
        subprocess.run([*cmd, seq_url, str(tmp_path / "corpus")], check=True, capture_output=True)
        Store(conc_url).close()  # migrated up front, so both start writing at once
        procs = [
            subprocess.Popen(
                [*cmd, conc_url, str(d)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for d in (a_dir, b_dir)
        ]
        seen: list[int] = []
        with Store(conc_url) as reader:
            deadline = time.monotonic() + 300
            while any(p.poll() is None for p in procs) and time.monotonic() < deadline:
                seen.append(reader.count("articles"))
                reader.search_articles("raid", limit=5)
                time.sleep(0.05)
        outs = [p.communicate(timeout=300) for p in procs]
        for p, (_out, err) in zip(procs, outs, strict=True):
            assert p.returncode == 0, err
            assert "Traceback" not in err and "Error" not in err
        assert seen == sorted(seen), "a reader saw articles disappear"
        with Store(seq_url) as seq, Store(conc_url) as conc:
            assert seq.count("claims") > 0
            assert _content(conc) == _content(seq)
            assert conc.count("pages") == len(files)
            # Every overlapping page was stored once, by one of the two runs.
            assert sum(r.pages_new for r in conc.runs()) == len(files)


# --- stable ids and quarantine (migration 7) -----------------------------------------


def test_quarantine_aliases_and_flags_on_both(db_url: str, tmp_path: Path) -> None:
    """Two outlets report one strike: quarantining the article that names the event moves the
    event to the other article's id, the old id points there, restoring undoes both."""
    stories = {
        "afp.txt": "Air strikes kill 12 in Saraqeb\n\nPublished May 3rd, 2018\n\nSARAQEB (AFP) - "
        "Air strikes killed 12 civilians in the town of Saraqeb in Idlib province on Wednesday, "
        "the Syrian Observatory for Human Rights said.\n",
        "reuters.txt": "Raids on Saraqeb kill a dozen\n\nPublished May 3rd, 2018\n\nBEIRUT "
        "(Reuters) - Twelve civilians were killed on Wednesday when air strikes hit Saraqeb in "
        "Idlib province, the Syrian Observatory for Human Rights said.\n",
    }
    for name, body in stories.items():
        (tmp_path / name).write_text(body, "utf-8")
    with Store(db_url) as store:
        ingest_paths(store, [str(tmp_path / n) for n in stories])
        both = [e for e in store.events() if len(e.articles) == 2]
        assert len(both) == 1, [(e.id, e.articles) for e in store.events()]
        old = both[0].id
        owner = min(both[0].articles)
        assert store.quarantine(owner, "test")["events"] == []
        moved = store.event(old)
        assert moved.id != old and moved.merged_from == old and len(moved.articles) == 1
        assert store.events(flagged=True, focus_country="FR")  # Syria is abroad from France
        store.restore(owner)
        assert store.event(old).id == old and store.event_alias(old) is None
