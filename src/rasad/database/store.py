"""The event store: SQLite by default, PostgreSQL for teams, one schema through SQLAlchemy Core.

Tables:
- documents: one per distinct content. An ingested text never comes twice: the SHA-256 of its id,
  title and text is unique.
- reports: one event as extracted from one document, with its record and evidence.
- events: the incidents, merged across documents, each with the record recomputed from all its reports.
- claims: every figure, its claimant and claimant type, and the report it came from.
- statistics: tallies over a period, kept apart from events.
- other_events: incidents a document places outside Syria, with their country: out of scope, kept apart.
- corrections: the audit trail of merges, splits and analysts' edits.
- quarantine: inputs that could not be read, with the error.
- users: analysts who may write through the API, with the SHA-256 of their token (never the token).
- sessions: the explorer's browser sessions (the SHA-256 of each session id), shared by the server's workers.
- boundaries: governorate (level admin1) and district (admin2) outlines, GeoJSON imported by `rasad boundaries
  import`, served to the map.

An analyst's corrections never overwrite an event's machine record (`events.record`): they live in
`events.overrides` (field → corrected value) and are applied when an event is read (`effective`).
The indexed columns (date, admin1, actors, fatalities, point …) hold the corrected values, so that
filters see what analysts see.
- event_search: the words `?q=` searches for each event, with each word also without its proclitics
  (`search_terms`). Migration 0004 indexes it: on SQLite an FTS5 table `event_fts` over it (external
  content, kept in step by triggers; created only by the migration, since SQLAlchemy has no notion of a
  virtual table), on PostgreSQL a GIN index on `to_tsvector('simple', text)`; on PostgreSQL migration 0013
  also keeps each row's words as a tsvector in `event_words`, by a trigger (not declared here either), so
  that a common word's events are counted without the index. Without FTS5 in the SQLite library, `?q=`
  falls back to scanning the text (`Store.search_mode`).

Documents are ingested in batches (`rasad.database.ingest.BATCH`), each stored and merged in one transaction:
a batch commits whole or not at all. An interrupted run (Ctrl-C, a killed process) leaves the database
consistent, and running it again carries on where it stopped.

Several writers at once (two `rasad ingest` of one file, an analyst's edit during an ingest): a batch's
transaction writes alone (`Store.writing`: BEGIN IMMEDIATE on SQLite, a transaction-level advisory lock on
PostgreSQL), so that its "already stored?" check, its insert (ON CONFLICT DO NOTHING on the content hash)
and the merge that reads and rewrites events see no other writer half-way; the migrations run under the
same kind of lock (`upgrade`), so that two processes opening a new database do not both create it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import operator
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from rasad.lang.patterns import (
    SEARCH_ARTICLE,
    SEARCH_ARTICLE_WRITTEN,
    SEARCH_CONJUNCTION,
    SEARCH_LAM_ARTICLE,
    SEARCH_PREPOSITION,
)
from rasad.pipeline.normalise import norm, norm_cached
from rasad.schema import MergedEvent, StoredEvent

metadata = sa.MetaData()

# ids, keys and figures: BIGINT on PostgreSQL (migration 0010; its INTEGER is 32-bit), INTEGER on SQLite,
# where INTEGER holds 64 bits already and an `INTEGER PRIMARY KEY` is the rowid (a BIGINT one would not be)
BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

documents = sa.Table(
    "documents", metadata,
    sa.Column("id", BIGINT, primary_key=True),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("doc", sa.Text, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("published", sa.String(10)),
    sa.Column("reference_date", sa.String(10)),
    sa.Column("title", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("warnings", sa.Text),
    sa.Column("ingested_at", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(8)),  # 0008: txt | html | jsonl, how it was read (for `rasad reprocess`)
)
# the columns the explorer filters on and the map reads: every covering index of events holds them all
FILTER_COLUMNS = ("date", "status", "admin1", "admin2", "event_type", "actor1", "actor2", "fatalities_low",
                  "fatalities_best", "lat", "lon")
CELL_ZOOMS = (6, 8, 10)  # the zooms whose /map grid cell every event stores (migration 0005)
events = sa.Table(
    "events", metadata,
    sa.Column("id", BIGINT, primary_key=True),
    sa.Column("date", sa.String(10), index=True),
    sa.Column("date_precision", sa.String(10)),
    sa.Column("admin1", sa.String(40), index=True),
    sa.Column("event_type", sa.String(40)),
    sa.Column("actor1", sa.Text),
    sa.Column("actor2", sa.Text),
    sa.Column("fatalities_low", BIGINT),
    sa.Column("fatalities_best", BIGINT),
    sa.Column("fatalities_high", BIGINT),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("record", sa.Text, nullable=False),
    sa.Column("reviewed", sa.Boolean, nullable=False, default=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
    # 0002: review and the explorer
    sa.Column("status", sa.String(12)),  # null | "confirmed" | "rejected"
    sa.Column("overrides", sa.Text),  # JSON: field -> corrected value
    sa.Column("admin2", sa.String(80)),
    # 0003: covering indexes, so that filtering, counting and the map never read the records' JSON; the
    # one led by admin1 and date also finds the merge block
    sa.Index("ix_events_by_date", *FILTER_COLUMNS),
    sa.Index("ix_events_by_admin1", "admin1", *(c for c in FILTER_COLUMNS if c != "admin1")),
    sa.Index("ix_events_by_fatalities", "fatalities_low", *(c for c in FILTER_COLUMNS if c != "fatalities_low")),
    # 0006: the undated events of a governorate in id order, for the merge block
    sa.Index("ix_events_undated", "admin1", "id", sqlite_where=sa.text("date IS NULL"),
             postgresql_where=sa.text("date IS NULL")),
    # 0005: the event's /map grid cell at the zooms in CELL_ZOOMS (`grid_cell`), each with a covering index
    # led by (cell, event_type), so that the grid of everything is an index-ordered GROUP BY (no sort)
    *(sa.Column(f"cell{z}", sa.Integer) for z in CELL_ZOOMS),
    *(sa.Index(f"ix_events_cell{z}", f"cell{z}", "event_type", *(c for c in FILTER_COLUMNS if c != "event_type"))
      for z in CELL_ZOOMS),
)
# the events' columns a merge writes besides the record: those the indexes and the explorer read (`merge.index_columns`)
INDEX_COLUMNS = ("date", "date_precision", "admin1", "admin2", "event_type", "actor1", "actor2", "fatalities_low",
                 "fatalities_best", "fatalities_high", "lat", "lon", *(f"cell{z}" for z in CELL_ZOOMS))
reports = sa.Table(
    "reports", metadata,
    sa.Column("id", BIGINT, primary_key=True),
    sa.Column("document_id", BIGINT, sa.ForeignKey("documents.id"), nullable=False, index=True),
    sa.Column("idx", sa.Integer, nullable=False),
    sa.Column("event_id", BIGINT, sa.ForeignKey("events.id"), index=True),
    sa.Column("date", sa.String(10)),
    sa.Column("admin1", sa.String(40)),
    sa.Column("record", sa.Text, nullable=False),
    sa.Column("merge_reason", sa.Text),
    sa.UniqueConstraint("document_id", "idx"),
    sa.Column("provenance", sa.Text),  # 0008: JSON, rasad.provenance.provenance() of the extraction that made it
)
claims = sa.Table(
    "claims", metadata,
    sa.Column("id", BIGINT, primary_key=True),
    sa.Column("report_id", BIGINT, sa.ForeignKey("reports.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("low", BIGINT),
    sa.Column("best", BIGINT),
    sa.Column("high", BIGINT),
    sa.Column("qualifier", sa.String(20)),
    sa.Column("claimant", sa.Text),
    sa.Column("claimant_type", sa.String(20)),
    sa.Column("superseded", sa.Boolean, nullable=False, default=False),
)
# incidents a document places outside Syria (its record's other_events): stored, out of scope, apart from the
# events (never merged, counted, mapped or exported with them); `Store.iter_other_events` and
# GET /api/v1/other-events read them, filtered by country
other_events = sa.Table(
    "other_events", metadata,
    sa.Column("id", BIGINT, primary_key=True),
    sa.Column("document_id", BIGINT, sa.ForeignKey("documents.id"), nullable=False, index=True),
    sa.Column("idx", sa.Integer, nullable=False),
    sa.Column("country", sa.String(60), index=True),
    sa.Column("date", sa.String(10)),
    sa.Column("record", sa.Text, nullable=False),
    sa.UniqueConstraint("document_id", "idx"),
)
statistics = sa.Table(
    "statistics", metadata,
    sa.Column("id", BIGINT, primary_key=True),
    sa.Column("document_id", BIGINT, sa.ForeignKey("documents.id"), nullable=False, index=True),
    sa.Column("period_start", sa.String(10)),
    sa.Column("period_end", sa.String(10)),
    sa.Column("claimant", sa.Text),
    sa.Column("claimant_type", sa.String(20)),
    sa.Column("counts", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text),
)
corrections = sa.Table(
    "corrections", metadata,
    sa.Column("id", BIGINT, primary_key=True),
    sa.Column("event_id", BIGINT, index=True),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("field", sa.Text),
    sa.Column("old", sa.Text),
    sa.Column("new", sa.Text),
    sa.Column("note", sa.Text),
)
# 0003: what ?q= searches (places, actors, types, notes and the reports' titles, normalised), one row an
# event, apart from the events table so that a search reads only this text. 0004: the FTS5 table
# event_fts (SQLite) or a GIN index (PostgreSQL) over it, made by the migration alone (see the top)
event_search = sa.Table(
    "event_search", metadata,
    sa.Column("event_id", BIGINT, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
)
# 0008: why each event needs an analyst's look (rasad.database.queue.reasons), one row per reason, kept by
# merge.recompute; (reason, event_id) is the key, so that the queue of one reason is an index range
event_reasons = sa.Table(
    "event_reasons", metadata,
    sa.Column("reason", sa.String(24), primary_key=True),
    sa.Column("event_id", BIGINT, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_event_reasons_event_id", "event_id"),
)
# 0012: rollups for the map, the counts of lists and the review queue (rasad.database.rollups, kept by its
# `sync`). rollup_events: per event, what the rollups count it as (so that a change takes its old
# contribution out), and the review queue's order (most reasons first). map_rollup: events, fatalities and
# the sums of lon and lat per (zoom, period, cell, event type, governorate, status, corrected, low), period a
# month or "" (all time), cell -1 for no coordinates, low the low fatality figure up to 10 (-1 for none). reason_rollup: events per (reason, status, corrected).
rollup_events = sa.Table(
    "rollup_events", metadata,
    sa.Column("event_id", BIGINT, primary_key=True),  # no foreign key: a deleted event is taken out after
    sa.Column("date", sa.String(10)),
    sa.Column("admin1", sa.String(40), nullable=False),
    sa.Column("event_type", sa.String(40), nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("corrected", sa.Integer, nullable=False),
    *(sa.Column(f"cell{z}", sa.Integer, nullable=False) for z in CELL_ZOOMS),
    sa.Column("fatalities", BIGINT, nullable=False),
    sa.Column("low", sa.Integer, nullable=False),
    sa.Column("lon", sa.Float),
    sa.Column("lat", sa.Float),
    sa.Column("reasons", sa.Text, nullable=False),
    sa.Column("n_reasons", sa.Integer, nullable=False),
    sa.Index("ix_rollup_events_queue", "n_reasons", "date", "event_id"),
)
map_rollup = sa.Table(
    "map_rollup", metadata,
    sa.Column("zoom", sa.Integer, primary_key=True),
    sa.Column("period", sa.String(7), primary_key=True),
    sa.Column("cell", sa.Integer, primary_key=True),
    sa.Column("event_type", sa.String(40), primary_key=True),
    sa.Column("admin1", sa.String(40), primary_key=True),
    sa.Column("status", sa.String(12), primary_key=True),
    sa.Column("corrected", sa.Integer, primary_key=True),
    sa.Column("low", sa.Integer, primary_key=True),
    sa.Column("events", BIGINT, nullable=False),
    sa.Column("fatalities", BIGINT, nullable=False),
    sa.Column("sum_lon", sa.Float, nullable=False),
    sa.Column("sum_lat", sa.Float, nullable=False),
)
reason_rollup = sa.Table(
    "reason_rollup", metadata,
    sa.Column("reason", sa.String(24), primary_key=True),
    sa.Column("status", sa.String(12), primary_key=True),
    sa.Column("corrected", sa.Integer, primary_key=True),
    sa.Column("events", BIGINT, nullable=False),
)
users = sa.Table(
    "users", metadata,
    sa.Column("id", BIGINT, primary_key=True),
    sa.Column("name", sa.String(80), nullable=False, unique=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(32), nullable=False),
)
# 0010: the explorer's browser sessions (rasad.server.auth.Sessions), shared by every server worker: the SHA-256
# of the session id, its user (gone with the user), its CSRF token, when it was opened and last seen (epoch s)
sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", BIGINT, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("seen", sa.Float, nullable=False),
    sa.Index("ix_sessions_user_id", "user_id"),
    sa.Index("ix_sessions_seen", "seen"),
)
boundaries = sa.Table(
    "boundaries", metadata,
    sa.Column("id", BIGINT, primary_key=True),
    sa.Column("level", sa.String(20), nullable=False, unique=True),
    sa.Column("source", sa.Text),
    sa.Column("geojson", sa.Text, nullable=False),
    sa.Column("imported_at", sa.String(32), nullable=False),
)
# 0015: what a bulk load (`rasad ingest --bulk`, rasad.database.bulk) set aside until it ends: the indexes and
# triggers it dropped, each with the statement that makes it again. Rows here mean the explorer's indexes, its
# search index and the map's rollups are behind the events until `bulk.finish` runs.
bulk_deferred = sa.Table(
    "bulk_deferred", metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("kind", sa.String(12), nullable=False),  # index | trigger
    sa.Column("ddl", sa.Text, nullable=False),
)
quarantine = sa.Table(
    "quarantine", metadata,
    sa.Column("id", BIGINT, primary_key=True),
    sa.Column("path", sa.Text),
    sa.Column("doc", sa.Text),
    sa.Column("line", sa.Integer),
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
)

class Prepared:
    """A statement compiled once for a dialect, run on the connection's own DBAPI cursor.

    The writer runs a handful of small statements for every report; SQLAlchemy's work around each call
    (finding the compiled form in its cache, processing the parameters, wrapping the result) cost more than
    SQLite's own. Compiled here once, a call is the driver's execute alone, in the connection's transaction.
    Parameters are a dict by bind name; rows come back as the driver's tuples (booleans as 0 / 1 on SQLite).
    """

    def __init__(self, stmt: sa.Executable, dialect: sa.Dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.sql = str(compiled)
        self.fixed = {k: v for k, v in compiled.params.items() if v is not None}  # values given in the statement
        names = compiled.positiontup if compiled.positional else None
        # the driver's parameters from a dict: a tuple in the statement's order (qmark), or the dict (pyformat)
        self.order: Callable[[dict[str, Any]], Any] | None = None
        if names:
            get = operator.itemgetter(*names)
            self.order = get if len(names) > 1 else lambda p: (get(p),)
        elif names is not None:
            self.order = lambda _p: ()

    def args(self, params: dict[str, Any]) -> Any:
        if self.fixed:
            params = {**self.fixed, **params}
        return self.order(params) if self.order is not None else params


_PREPARED: dict[tuple[int, str, str], Prepared] = {}


def prepared(stmt: sa.Executable, dialect: sa.Dialect) -> Prepared:
    """`stmt` compiled for `dialect`, once (statements are module constants: keyed by identity)."""
    key = (id(stmt), dialect.name, dialect.paramstyle)
    if key not in _PREPARED:
        _PREPARED[key] = Prepared(stmt, dialect)
    return _PREPARED[key]


def run(conn: Connection, stmt: sa.Executable, params: dict[str, Any] | None = None) -> Any:
    """Run a constant statement through `Prepared` on `conn`; returns the DBAPI cursor (fetchone / fetchall).
    The driver's errors are raised as SQLAlchemy's (a DataError as `sa.exc.DataError`), as `conn.execute` does."""
    p = prepared(stmt, conn.dialect)
    cur = conn.connection.cursor()
    args = p.args(params or {})
    try:  # (no context manager: this runs several times a report)
        cur.execute(p.sql, args)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _as_sqlalchemy_error(conn, p.sql, args, exc) from exc
    return cur


def run_many(conn: Connection, stmt: sa.Executable, rows: list[dict[str, Any]]) -> None:
    """`run` for many rows at once (the driver's executemany)."""
    if rows:
        p = prepared(stmt, conn.dialect)
        args = [p.args(r) for r in rows]
        try:
            conn.connection.cursor().executemany(p.sql, args)
        except conn.dialect.loaded_dbapi.Error as exc:
            raise _as_sqlalchemy_error(conn, p.sql, args, exc) from exc


def _as_sqlalchemy_error(conn: Connection, sql: str, args: Any, exc: Exception) -> sa.exc.DBAPIError:
    return sa.exc.DBAPIError.instance(sql, args, exc, conn.dialect.loaded_dbapi.Error)


# JSON as `json.dumps(x, ensure_ascii=False)` writes it, with one encoder for all calls (dumps makes one a call):
# the writer encodes every report's and event's record
to_json = json.JSONEncoder(ensure_ascii=False).encode


def binds(*names: str) -> dict[str, Any]:
    """VALUES of an INSERT or UPDATE as bind parameters of the columns' own names (for `Prepared`)."""
    return {n: sa.bindparam(n) for n in names}


# statements run for every document and report, built once
_STORED_HASHES = sa.select(documents.c.content_hash).where(
    documents.c.content_hash.in_(sa.bindparam("hashes", expanding=True)))
_DOCUMENT_COLUMNS = ("content_hash", "doc", "url", "outlet", "published", "reference_date", "title", "text",
                     "warnings", "ingested_at", "kind")


@functools.cache
def _insert_document(dialect: str) -> Any:
    """INSERT of a document that does nothing when its content hash is stored already (RETURNING its id)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (insert(documents).values(binds(*_DOCUMENT_COLUMNS))
            .on_conflict_do_nothing(index_elements=["content_hash"]).returning(documents.c.id))


_INSERT_STATISTIC = statistics.insert().values(binds(
    "document_id", "period_start", "period_end", "claimant", "claimant_type", "counts", "evidence"))
CLAIM_COLUMNS = ("report_id", "kind", "low", "best", "high", "qualifier", "claimant", "claimant_type", "superseded")


def report_claims(ev: dict[str, Any], outlet: str | None) -> list[tuple[Any, ...]]:
    """The claims' rows a report stores (`CLAIM_COLUMNS`), its id (the first) None: not stored yet."""
    rows = []
    for c in ev.get("claims") or []:
        claimant = c.get("claimant")
        if c.get("claimant_type") == "outlet":
            claimant = outlet or claimant  # the outlet that published this report
        rows.append((None, c["kind"], c.get("low"), c.get("best"), c.get("high"), c.get("qualifier"), claimant,
                     c.get("claimant_type"), bool(c.get("superseded"))))
    return rows


# fields an analyst may correct, and the JSON type each takes ("figures" is {low, best, high})
CORRECTABLE: dict[str, str] = {
    "date": "date", "date_precision": "precision", "event_type": "str", "sub_event_type": "str",
    "disorder_type": "str", "actor1": "str", "actor2": "str?", "assoc_actor_1": "list", "assoc_actor_2": "list",
    "inter1": "int?", "inter2": "int?", "location": "str?", "place_name_en": "str?", "place_name_ar": "str?",
    "admin1": "admin1", "admin2": "str?", "admin3": "str?", "lat": "lat", "lon": "lon", "geo_precision": "geo",
    "fatalities": "figures", "wounded": "figures", "civilian_targeting": "str?", "victims": "victims",
    "weapons": "list",
}


def cell_size(zoom: int) -> float:
    """The side of a /map grid cell in degrees at a map zoom: 45° / 2^zoom, about 32 screen pixels at that
    zoom (a 256-pixel tile spans 360° / 2^zoom of longitude). 0.70° at zoom 6, 0.044° at zoom 10."""
    return 45.0 / 2 ** zoom


def grid_cell(lon: float | None, lat: float | None, zoom: int) -> int | None:
    """The /map grid cell of a point at a zoom, as one integer: column (from 180° W) << (zoom + 3) | row
    (from 90° S). A cell at zoom z - k is this one's column and row shifted right by k, exactly (the
    cell size halves exactly), so a coarser grid folds from a finer stored one."""
    if lon is None or lat is None:
        return None
    size = cell_size(zoom)
    return (math.floor((lon + 180) / size) << (zoom + 3)) | math.floor((lat + 90) / size)


def effective(record: MergedEvent, overrides: dict[str, Any] | None) -> StoredEvent:
    """The event as analysts see it: the machine record with the corrections applied."""
    rec = cast(StoredEvent, dict(record))
    for k, v in (overrides or {}).items():
        rec[k] = v
        if k == "fatalities":
            rec["fatalities_acled"] = (v or {}).get("low") or 0
    rec["corrected_fields"] = sorted(overrides or {})
    return rec


def search_text(rec: dict[str, Any], titles: list[str]) -> str:
    """What ?q= searches: places, actors, types, notes and the reports' titles, normalised, then the words
    again without their proclitics (`search_terms`)."""
    parts = [rec.get(k) for k in ("location", "place_name_ar", "place_name_en", "admin1", "admin1_ar", "admin2",
                                  "admin2_ar", "admin3", "actor1", "actor2", "event_type", "sub_event_type", "notes")]
    parts += list(rec.get("assoc_actor_1") or []) + list(rec.get("assoc_actor_2") or []) + list(rec.get("sources") or [])
    parts += titles
    # cached: places, actors and types come back again and again
    return search_terms(" | ".join(norm_cached(str(p)).lower() for p in parts if p))


WORD = re.compile(r"[^\W_]+")  # a word as FTS5's unicode61 tokenizer sees one: letters and digits


def bare_forms(word: str) -> set[str]:
    """A normalised word (letters and digits, as `WORD` finds them) without its proclitics: a conjunction
    (و ف), then a preposition (ب ل ك), then the article (ال; ل + ال is written لل). "وبالرقه" gives
    "بالرقه", "الرقه" and "رقه". Each strip leaves at least three letters, so that short words are not cut
    to nothing. The proclitics are `rasad.lang.patterns.SEARCH_*`."""
    stems = {word}
    if SEARCH_CONJUNCTION.match(word):
        stems.add(word[1:])
    for w in list(stems):
        if SEARCH_PREPOSITION.match(w):
            stems.add(w[1:])
            if SEARCH_LAM_ARTICLE.match(w):  # لل = ل + ال
                stems.add(SEARCH_ARTICLE_WRITTEN + w[2:])
    for w in list(stems):
        if SEARCH_ARTICLE.match(w):
            stems.add(w[2:])
    return stems - {word}


@functools.lru_cache(maxsize=1 << 16)
def _sorted_bare_forms(word: str) -> tuple[str, ...]:
    """`bare_forms`, sorted, kept for the words seen last: the writer makes the search text of every event it
    touches, and places and actors come back again and again."""
    return tuple(sorted(bare_forms(word)))


def search_terms(text: str) -> str:
    """The search text with, after it, every bare form (`bare_forms`) of its words that is not already a word
    of it, so that an index of whole words and prefixes finds "الرقه" in "بالرقه". Idempotent."""
    words = WORD.findall(text)
    have = set(words)
    # each bare form once, in the order of the words that give it
    extra = [b for b in dict.fromkeys(b for w in words for b in _sorted_bare_forms(w)) if b not in have]
    return f"{text} | {' '.join(extra)}" if extra else text


def query_words(q: str | None) -> list[str]:
    """The words of a `?q=` search, normalised like the search text. Quotes, `*` and other punctuation are
    separators, never query syntax."""
    return WORD.findall(norm(q or "").lower())


def now() -> str:
    """The time now in UTC, to the second (ISO 8601): the writer asks it for every document and event it writes,
    so the text of the current second is kept."""
    return _second_text(int(time.time()))


@functools.lru_cache(maxsize=1)
def _second_text(second: int) -> str:
    return dt.datetime.fromtimestamp(second, dt.UTC).isoformat(timespec="seconds")


def db_url(spec: str | None) -> str:
    """A SQLAlchemy URL from --db: a URL as given, a file path as SQLite (default: rasad.db)."""
    spec = spec or "rasad.db"
    if "://" in spec:
        if spec.startswith("postgresql://"):
            return "postgresql+psycopg://" + spec[len("postgresql://"):]
        return spec
    return f"sqlite:///{Path(spec).expanduser()}"


def content_hash(doc: str, title: str | None, text: str) -> str:
    h = hashlib.sha256()
    for part in (doc, title or "", text):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


# keys of PostgreSQL's advisory locks (any 64-bit numbers of our own): one for the schema's migrations, one for
# the writers of documents
SCHEMA_LOCK = 0x72617361640001
WRITE_LOCK = 0x72617361640002


def lock(conn: Connection, key: int) -> None:
    """Make the transaction `conn` has just begun the only writer until it ends: on SQLite it becomes an IMMEDIATE
    transaction (the write lock taken now, waiting up to the busy timeout), on PostgreSQL it takes the advisory
    lock `key`, released at commit or rollback."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # the driver has not begun one yet: it begins on a first write
    elif conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


# a long-running writer copies the write-ahead log into the database, and syncs it, when the log holds this many
# pages (512 MB of 4 kB pages; SQLite's default is 1,000). A transaction of 1,000 reports into a store of 300,000
# changes about 15,000 pages, all over the events' indexes: with a checkpoint at 16,384 pages nearly every commit
# copied and synced its pages (a quarter of the writer's time went in commits), where a page changed by several
# transactions is copied once by a rarer checkpoint (300k synthetic reports: 0.92 -> 0.85 ms a report). `rasad
# ingest` goes further: a thread of its own copies the log after each commit (`Checkpoints`), so that the writer
# never waits for it.
WAL_CHECKPOINT_PAGES = 131072


class Checkpoints:
    """The write-ahead log of a SQLite file copied into the database (and synced) by a thread of its own, on its
    own connection, after each commit of the writer, while the writer goes on with its next transaction.

    SQLite's own checkpoints run in the commit that passes `wal_autocheckpoint` pages: the writer waits while the
    log is copied and synced (a tenth of a bulk load's commits, 6% of its time at 300,000 synthetic reports). A
    checkpoint needs no lock the writer holds (PASSIVE: it copies what is committed and leaves the rest), and
    Python's sqlite3 lets other threads run while SQLite works, so the copy takes the machine's second core. The
    writer's connection does not checkpoint meanwhile (`hold`: wal_autocheckpoint 0 for the transaction).

    The log starts over from its beginning only when a transaction begins after a checkpoint copied all of it;
    a writer that begins its next transaction while the copy of its last commit still runs (its input ready)
    would make it grow without end. So once the log holds more than `LOG_PAGES`, the writer waits for the copy
    before its next transaction (`settle`), as long as it would have waited for SQLite's own checkpoint. An
    error of the thread (a full disk) is raised by the writer's next `settle`, or by `close`."""

    LOG_PAGES = WAL_CHECKPOINT_PAGES  # (so that the log of a writer that waits is no larger than with SQLite's own)

    def __init__(self, path: str) -> None:
        self.path = path
        self.error: BaseException | None = None
        self.frames = 0  # the log's frames when it was last copied
        self._told = False  # its error raised already
        self._changed = threading.Condition()
        self._asked = 0  # commits told (`wake`)
        self._copied = 0  # commits whose log is copied
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="rasad-checkpoints", daemon=True)
        self._thread.start()

    def hold(self, conn: Connection) -> Callable[[], None]:
        """No checkpoint by the transaction on `conn`; returns what gives the connection its setting back."""
        dbapi = conn.connection.dbapi_connection
        pages = int(dbapi.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        dbapi.execute("PRAGMA wal_autocheckpoint=0")
        return lambda: dbapi.execute(f"PRAGMA wal_autocheckpoint={pages}").fetchall()

    def wake(self) -> None:
        """A commit: what it wrote is to copy."""
        with self._changed:
            self._asked += 1
            self._changed.notify_all()

    def settle(self) -> None:
        """Before the writer's next transaction: when the log has grown past LOG_PAGES, wait until the last commit
        is copied, so that the transaction starts the log over. Raises the thread's error."""
        with self._changed:
            while self.frames > self.LOG_PAGES and self._copied != self._asked and self.error is None:
                self._changed.wait()
        self._raise()

    def _run(self) -> None:
        import sqlite3

        try:
            con = sqlite3.connect(self.path, check_same_thread=False)
            try:
                con.execute("PRAGMA busy_timeout=10000")
                con.execute("SELECT count(*) FROM sqlite_master").fetchone()  # (opens the file: its log is seen)
                while True:
                    with self._changed:
                        while self._asked == self._copied and not self._stop:
                            self._changed.wait()
                        if self._stop:
                            return
                        asked = self._asked
                    frames = self._copy(con)
                    with self._changed:
                        self.frames, self._copied = frames, asked
                        self._changed.notify_all()
            finally:
                con.close()
        except BaseException as exc:  # kept for the writer's thread to raise
            with self._changed:
                self.error = exc
                self._changed.notify_all()

    @staticmethod
    def _copy(con: Any) -> int:
        """One checkpoint on the thread's connection: the log's frames."""
        return int(con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1])

    def _raise(self) -> None:
        if self.error is not None and not self._told:
            self._told = True
            raise RuntimeError(f"copying the write-ahead log into {self.path} failed: {self.error}") from self.error

    def close(self) -> None:
        """Stop the thread (after the checkpoint it is running, if any); raise its error, if it had one that was
        not raised yet."""
        with self._changed:
            self._stop = True
            self._changed.notify_all()
        self._thread.join()
        self._raise()


def ingest_cache_mb(memory_mb: int | None = None) -> int:
    """The page cache of a long-running writer (`rasad ingest`): an eighth of the machine's memory, between 64 MB
    and 1 GB (its memory map is four times that, so that a store of several GB is read in place).

    Every report reads and writes entries of the events' indexes all over their range (a report may be about
    any governorate and day): SQLite's default 2 MB cache sends a store of a million events to the disk on every
    block query and recompute, and 256 MB still holds only part of the 0.5 GB of the events' indexes at a
    million events. The cache fills only as pages are read: a small store takes little."""
    if memory_mb is None:
        memory_mb = machine_memory_mb()
    return max(64, min(1024, memory_mb // 8))


def machine_memory_mb() -> int:
    """The machine's physical memory in MB (512 when the system does not tell: not POSIX)."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") >> 20)
    except (ValueError, OSError, AttributeError):
        return 512


INGEST_CACHE_MB = ingest_cache_mb()


class Store:
    def __init__(self, url: str | None = None, migrate: bool = True, cache_mb: int | None = None) -> None:
        """cache_mb: for a long-running reader (`rasad serve`) or writer (`rasad ingest`), a SQLite page
        cache and memory map of this size per connection, so that the indexes stay in memory."""
        self.url = db_url(url)
        self.engine: Engine = sa.create_engine(self.url, future=True)
        if self.engine.dialect.name == "sqlite":
            @sa.event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_con: Any, _record: Any) -> None:
                cur = dbapi_con.cursor()
                cur.execute("PRAGMA busy_timeout=10000")  # first: another process may be creating the database
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA foreign_keys=ON")
                if cache_mb:
                    cur.execute(f"PRAGMA cache_size=-{int(cache_mb) * 1024}")
                    cur.execute(f"PRAGMA mmap_size={int(cache_mb) * 4 << 20}")
                    cur.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
                cur.close()
        self.checkpoints: Checkpoints | None = None  # (`background_checkpoints`)
        if migrate:
            with _creating(self.engine):
                upgrade(self.engine)

    @functools.cached_property
    def kept_blocks(self) -> Any:
        """The merge's blocks this store's writer keeps from one transaction to the next (`merge.KeptBlocks`)."""
        from rasad.database.merge import KeptBlocks

        return KeptBlocks()

    @functools.cached_property
    def search_mode(self) -> str:
        """How `?q=` is answered: "fts5" (SQLite with the event_fts table of migration 0004), "tsvector"
        (PostgreSQL's GIN index) or "like" (a scan of event_search: SQLite built without FTS5)."""
        if self.engine.dialect.name == "postgresql":
            return "tsvector"
        with self.engine.connect() as conn:
            found = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'event_fts'")
            return "fts5" if found.first() is not None else "like"

    # -- reading ---------------------------------------------------------------------------------

    def stored_hashes(self, hashes: list[str]) -> set[str]:
        """Which of these content hashes are stored already (one query for a batch of documents)."""
        if not hashes:
            return set()
        with self.engine.connect() as conn:
            return {h for (h,) in conn.execute(_STORED_HASHES, {"hashes": hashes})}

    def event(self, event_id: int) -> StoredEvent | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(events).where(events.c.id == event_id)).mappings().first()
            if row is None:
                return None
            return self._full_event(conn, dict(row))

    def _full_event(self, conn: Connection, row: dict[str, Any]) -> StoredEvent:
        rec = effective(json.loads(row["record"]), json.loads(row["overrides"]) if row.get("overrides") else None)
        rec["event_id"] = row["id"]
        rec["status"] = row.get("status")
        rec["reviewed"] = bool(row["reviewed"])
        rec["updated_at"] = row["updated_at"]
        reps = []
        q = (sa.select(reports, documents.c.doc, documents.c.url, documents.c.outlet, documents.c.published,
                       documents.c.title)
             .join(documents, documents.c.id == reports.c.document_id)
             .where(reports.c.event_id == row["id"]).order_by(reports.c.id))
        for r in conn.execute(q).mappings():
            reps.append({"report_id": r["id"], "document_id": r["document_id"], "doc": r["doc"], "url": r["url"], "source": r["outlet"],
                         "published": r["published"], "title": r["title"], "event": json.loads(r["record"]),
                         "merge_reason": json.loads(r["merge_reason"]) if r["merge_reason"] else None,
                         "provenance": json.loads(r["provenance"]) if r["provenance"] else None})
        rec["reports"] = reps
        rec["corrections"] = self.audit(conn, row["id"]) if row.get("overrides") or row.get("status") else []
        return rec

    def audit(self, conn: Connection, event_id: int) -> list[dict[str, Any]]:
        """The audit trail of an event, oldest first: who, when, what, old → new."""
        q = corrections.select().where(corrections.c.event_id == event_id).order_by(corrections.c.id)
        return [{**dict(c), "old": json.loads(c["old"]) if c["old"] is not None else None,
                 "new": json.loads(c["new"]) if c["new"] is not None else None}
                for c in conn.execute(q).mappings()]

    def iter_events(self, where: Any = None, order: Any = None) -> Iterator[StoredEvent]:
        with self.engine.connect() as conn:
            q = sa.select(events)
            if where is not None:
                q = q.where(where)
            q = q.order_by(*(order if order is not None else [events.c.date, events.c.id]))
            for row in conn.execute(q).mappings().all():
                yield self._full_event(conn, dict(row))

    def iter_other_events(self, country: str | None = None) -> Iterator[dict[str, Any]]:
        """The incidents stored out of scope (placed outside Syria), optionally of one country, each its record
        with its document's `doc`, its own `event_id` (an id of other_events) and its outlet in `sources`."""
        q = (sa.select(other_events.c.id, other_events.c.record, documents.c.doc, documents.c.outlet)
             .join(documents, documents.c.id == other_events.c.document_id))
        if country:
            q = q.where(sa.func.lower(other_events.c.country) == country.lower())
        q = q.order_by(other_events.c.date, other_events.c.id)
        with self.engine.connect() as conn:
            for oid, rec, doc, outlet in conn.execute(q).all():
                # its own id (the ACLED export writes it after the country's code) and its outlet
                yield {**json.loads(rec), "doc": doc, "event_id": oid, "sources": [outlet] if outlet else []}

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                    for t in (documents, reports, events, claims, statistics, corrections, quarantine)}

    def stats(self) -> dict[str, Any]:
        """Events and fatalities (ACLED's low figure) by month × governorate × actor1, and the stored tallies
        as series. Rejected events are left out. Used by `rasad stats` and the API."""
        month = sa.func.coalesce(sa.func.substr(events.c.date, 1, 7), "unknown").label("month")
        a1 = sa.func.coalesce(events.c.admin1, "unknown").label("admin1")
        actor = sa.func.coalesce(events.c.actor1, "unknown").label("actor1")
        q = (sa.select(month, a1, actor, sa.func.count().label("events"),
                       sa.func.coalesce(sa.func.sum(events.c.fatalities_low), 0).label("fatalities"))
             .where(not_rejected()).group_by(month, a1, actor).order_by(month, a1, actor))
        with self.engine.connect() as conn:
            cells = [dict(r) for r in conn.execute(q).mappings()]
            series = [{**dict(r), "counts": json.loads(r["counts"]),
                       "evidence": json.loads(r["evidence"]) if r["evidence"] else None}
                      for r in conn.execute(statistics.select().order_by(statistics.c.period_start,
                                                                         statistics.c.id)).mappings()]
        for c in cells:
            c["fatalities"] = int(c["fatalities"])
        return {"cells": cells, "statistics": series}

    # -- writing ---------------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A transaction that writes alone (`lock`): committed at the end of the block, rolled back on an error."""
        if self.checkpoints is not None:
            self.checkpoints.settle()  # (before the transaction begins: it may start the log over)
        with self.engine.connect() as conn:
            lock(conn, WRITE_LOCK)
            aside = self.checkpoints.hold(conn) if self.checkpoints is not None else None
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            else:
                conn.commit()
            finally:
                if aside is not None:
                    aside()
            if self.checkpoints is not None:
                self.checkpoints.wake()

    @contextmanager
    def background_checkpoints(self) -> Iterator[None]:
        """Around a long-running writer on a SQLite file (`rasad ingest`): the write-ahead log copied into the
        database by a thread of its own (`Checkpoints`), not by the writer's commits. Nothing on PostgreSQL, or
        when checkpoints are aside already."""
        if self.engine.dialect.name != "sqlite" or self.checkpoints is not None or not self.engine.url.database \
                or self.engine.url.database == ":memory:":
            yield
            return
        self.checkpoints = Checkpoints(self.engine.url.database)
        try:
            yield
        finally:
            checkpoints, self.checkpoints = self.checkpoints, None
            checkpoints.close()

    def quarantine(self, path: str | None, doc: str | None, line: int | None, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(quarantine.insert().values(path=path, doc=doc, line=line, error=error, at=now()))

    def add_document(self, conn: Connection, src: Any, rec: dict[str, Any], h: str) -> int | None:
        """Store a document and its statistics; None when a document of the same content is there already."""
        row = run(conn, _insert_document(conn.dialect.name), {
            "content_hash": h, "doc": src.doc, "url": src.url, "outlet": src.source,
            "published": src.published.isoformat() if src.published else None,
            "reference_date": rec.get("reference_date"), "title": src.title, "text": src.text,
            "warnings": json.dumps(rec.get("warnings") or [], ensure_ascii=False), "ingested_at": now(),
            "kind": getattr(src, "kind", None),
        }).fetchone()
        if row is None:
            return None
        doc_id = row[0]
        self.add_statistics(conn, int(doc_id), rec)
        return int(doc_id)

    def add_statistics(self, conn: Connection, doc_id: int, rec: dict[str, Any]) -> None:
        run_many(conn, _INSERT_STATISTIC, [{
            "document_id": doc_id, "period_start": st.get("period_start"), "period_end": st.get("period_end"),
            "claimant": st.get("claimant"), "claimant_type": st.get("claimant_type"),
            "counts": json.dumps(st.get("counts"), ensure_ascii=False),
            "evidence": json.dumps(st.get("evidence"), ensure_ascii=False)} for st in rec.get("statistics") or []])

    def add_report(self, conn: Connection, doc_id: int, idx: int, ev: dict[str, Any], outlet: str | None,
                   provenance: str | None = None) -> int:
        """Store a report with its claims, attached to no event yet (as the merge's `Inserts` stores one, at once);
        returns its id."""
        from rasad.database.inserts import Inserts

        row = {"document_id": doc_id, "idx": idx, "date": ev.get("date"), "admin1": ev.get("admin1"),
               "record": json.dumps(ev, ensure_ascii=False), "provenance": provenance, "event_id": None,
               "merge_reason": None}
        return Inserts(conn).report(row, report_claims(ev, outlet), now=True)

    def add_other_event(self, conn: Connection, doc_id: int, idx: int, ev: dict[str, Any]) -> None:
        """Store an incident the document places outside Syria, out of scope."""
        conn.execute(other_events.insert(), {"document_id": doc_id, "idx": idx, "country": ev.get("country"),
                                              "date": ev.get("date"), "record": json.dumps(ev, ensure_ascii=False)})

    def log(self, conn: Connection, event_id: int | None, user: str, action: str, field: str | None = None,
            old: Any = None, new: Any = None, note: str | None = None) -> None:
        conn.execute(corrections.insert().values(
            event_id=event_id, user=user, at=now(), action=action, field=field,
            old=None if old is None else json.dumps(old, ensure_ascii=False),
            new=None if new is None else json.dumps(new, ensure_ascii=False), note=note))


def not_rejected() -> Any:
    return sa.or_(events.c.status.is_(None), events.c.status != "rejected")


@contextmanager
def _creating(engine: Engine) -> Iterator[None]:
    """Around the first open of a SQLite file that does not exist yet (or is empty): one process at a time.
    Two processes that create one database at once (two `rasad ingest` of a new --db) can each find the file
    empty while the other's schema sits in the write-ahead log, and SQLite then answers "database is locked"
    at once, without waiting. The first takes an flock on the file (SQLite's own locks are fcntl's, apart),
    creates the schema and checkpoints it into the file; the next finds a database and only checks it."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or (Path(path).exists() and Path(path).stat().st_size > 0):
        yield
        return
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        # closing any descriptor of a file drops every POSIX lock this process holds on it, SQLite's included:
        # its connections are closed first (they reopen when next asked), or another process could take the
        # write-ahead log from under them
        engine.dispose()
        os.close(fd)  # releases the flock


def upgrade(engine: Engine) -> None:
    """Bring the schema to the latest migration (Alembic), creating it on a new database."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    with engine.connect() as conn:  # at the head already (every open but the first): no lock, no write
        if set(MigrationContext.configure(conn).get_current_heads()) == heads:
            return
    with engine.connect() as conn:  # under the lock, so that two processes never both create the schema
        lock(conn, SCHEMA_LOCK)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()
