"""A Python API for analysts: the third thin front-end, beside the CLI and the HTTP API.

    import warlog

    with warlog.open("warlog.db") as ledger:
        ledger.ingest(["../shared/seeds"])
        events = ledger.events(since="2017-09-01", near="Deir ez-Zor", km=50, actor="Islamic State")
        frame = events.to_pandas()  # or .to_polars(); optional extras

It only calls the library (the store, the pipeline, the codec), like the CLI.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import date
from typing import Any

from warlog.errors import E, WarlogError
from warlog.ingest import Source
from warlog.records import DEFAULT_NEAR_KM, Article, Claim, Event, EventFilter
from warlog.settings import IngestOptions, database_url
from warlog.store import Store

# One row per event in a data frame: the columns an analyst sorts and plots by.
COLUMNS = (
    "id", "kind", "date_start", "date_end", "date_precision", "place", "admin1", "country",
    "lat", "lon", "precision", "event_type", "perpetrator", "killed_low", "killed_best",
    "killed_high", "wounded_best", "n_reports", "n_outlets", "n_claimants", "conflict", "flags",
)  # fmt: skip


class Events(list[Event]):
    """Events as records, with their table as a pandas or polars data frame."""

    def rows(self) -> list[dict[str, Any]]:
        return [event_row(e) for e in self]

    def to_pandas(self) -> Any:
        pandas = _optional("pandas", "pandas")
        return pandas.DataFrame(self.rows(), columns=list(COLUMNS))

    def to_polars(self) -> Any:
        polars = _optional("polars", "polars")
        return polars.DataFrame(self.rows(), schema=list(COLUMNS), orient="row")


def event_row(e: Event) -> dict[str, Any]:
    """One event as a flat row of :data:`COLUMNS`."""
    k, w, p, d = e.estimate("killed"), e.estimate("wounded"), e.place, e.date
    return {
        "id": e.id,
        "kind": e.kind,
        "date_start": d.start if d else None,
        "date_end": d.end if d else None,
        "date_precision": d.precision if d else None,
        "place": p.name if p else None,
        "admin1": p.admin1 if p else None,
        "country": p.country if p else None,
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "precision": p.precision if p else None,
        "event_type": e.event_type,
        "perpetrator": e.perpetrator.name if e.perpetrator else None,
        "killed_low": k.low if k else None,
        "killed_best": k.best if k else None,
        "killed_high": k.high if k else None,
        "wounded_best": w.best if w else None,
        "n_reports": len(e.reports),
        "n_outlets": len(e.outlets),
        "n_claimants": len(e.claimants),
        "conflict": e.conflict,
        "flags": ",".join(f.code for f in e.flags or ()),
    }


class Ledger:
    """A warlog store opened for analysis (:func:`warlog.open`)."""

    def __init__(self, db: str | None = None, *, readonly: bool = False) -> None:
        self.store = Store(database_url(db), readonly=readonly)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def events(
        self,
        *,
        since: date | str | None = None,
        until: date | str | None = None,
        near: str | tuple[float, float] | None = None,
        km: float = DEFAULT_NEAR_KM,
        actor: str | None = None,
        claimant: str | None = None,
        outlet: str | None = None,
        event_type: str | None = None,
        kind: str | None = None,
        conflicting: bool = False,
        flagged: bool = False,
        focus_country: str | None = None,
        order: str = "date",
        limit: int | None = None,
        offset: int = 0,
    ) -> Events:
        """Events by the filters of ``warlog events``; ``near`` is a gazetteer place name or
        (lat, lon), ``since``/``until`` a date or an ISO day ("2017-09-01")."""
        given = locals()
        # The filters are EventFilter's fields (records.py, their one list): each keyword of
        # that name goes in as given, but those an analyst may write more loosely.
        where = EventFilter(**{
            **{f.name: given[f.name] for f in fields(EventFilter)},
            "since": _day(since, "since"),
            "until": _day(until, "until"),
            "near": self._near(near, km, focus_country),
        })  # fmt: skip
        return Events(self.store.events(where, order=order, limit=limit, offset=offset))

    def event(self, event_id: str) -> Event:
        """One event by id, old (merged) id or unique prefix."""
        return self.store.event(event_id)

    def claims(
        self,
        *,
        article_ids: Sequence[str] | None = None,
        outcome: str | None = None,
        scope: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Claim]:
        return self.store.claims(
            article_ids=article_ids, outcome=outcome, scope=scope, limit=limit, offset=offset
        )

    def articles(
        self, *, ids: Sequence[str] | None = None, limit: int | None = None
    ) -> list[Article]:
        return self.store.articles(ids=ids, limit=limit)

    def ingest(
        self, sources: Iterable[Source] | Source, *, focus_country: str | None = None
    ) -> Any:
        """Ingest paths (files, folders) and pages given as bytes or binary file objects, like
        ``warlog ingest``; returns the ingest report (``articles_new``, ``problems``, ...)."""
        from warlog.pipeline import ingest_paths

        if isinstance(sources, str | bytes | bytearray) or hasattr(sources, "read"):
            sources = [sources]  # type: ignore[list-item]
        return ingest_paths(
            self.store,
            list(sources),  # type: ignore[arg-type]
            IngestOptions(focus_country=focus_country) if focus_country else IngestOptions(),
            command="python",
        )

    def _near(
        self, near: str | tuple[float, float] | None, km: float, focus: str | None
    ) -> tuple[float, float, float] | None:
        if near is None:
            return None
        if isinstance(near, str):
            from warlog.near import near_place

            place = near_place(near, focus or self.store.dominant_country())
            return (place.lat, place.lon, km)
        lat, lon = near
        return (float(lat), float(lon), km)


def open(db: str | None = None, *, readonly: bool = False) -> Ledger:
    """Open a warlog store for analysis: a file path or a SQLAlchemy URL, like ``--db``
    (default ``$WARLOG_DB``, else ``./warlog.db``)."""
    return Ledger(db, readonly=readonly)


def _day(value: date | str | None, what: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise WarlogError(E.E118, what=what, reason=f"{value!r} is not a day (YYYY-MM-DD)") from exc


def _optional(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise WarlogError(E.E133, module=module, extra=extra) from exc
