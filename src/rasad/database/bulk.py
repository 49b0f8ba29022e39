"""Bulk loads (`rasad ingest --bulk`): the explorer's indexes, its search index and the map's rollups made once,
when the load ends, instead of kept in step report by report.

An archive of a million reports, stored and merged in random order of date, spends most of the writer's
SQLite time on the events' covering indexes (every new event a leaf of each, that no other report of its
transaction shares), the search index's triggers and the rollups' upserts: none of which the merge reads.
A bulk load sets them aside while it stores and merges, and builds them from the table at the end, in sorted
order, as a database builds an index:

- `begin`: the events' indexes that only the explorer reads (not those of the merge's blocks: KEPT) and the
  indexes and triggers of the search text are dropped, each kept in `bulk_deferred` with the statement that
  makes it again. While rows are there, writers leave the rollups alone (`pending`).
- `finish`: the statements run again, the search index is filled from event_search (FTS5's 'rebuild' on
  SQLite, event_words on PostgreSQL), the rollups are computed from the events (`rollups.rebuild`), and the
  rows go; all in one transaction, so that a store is either whole or still pending.

Every `rasad ingest` finishes a pending load when it ends (a load that was killed included), and
`rasad ingest --finish-bulk` does only that. Until then the explorer's lists read the events table, slowly,
and its counts, map, review queue and search lack the loaded events (`rasad serve` warns). The merge decides
exactly as without it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from rasad.database import rollups
from rasad.database.store import bulk_deferred

# the events' indexes a bulk load keeps: the merge's blocks read them (`merge.Blocks`, `merge._block`: a
# governorate's days, its undated events in id order, its newest, and the days of a report without one)
KEPT = frozenset({"ix_events_by_admin1", "ix_events_undated", "ix_events_admin1", "ix_events_date"})
TABLES = ("events", "event_search")  # whose indexes (but the primary keys) and triggers are set aside

_SQLITE_DEFERRABLE = sa.text(
    "SELECT name, type, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL "
    "AND tbl_name IN ('events', 'event_search') ORDER BY type, name")
_PG_INDEXES = sa.text(
    "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
    "WHERE i.indrelid IN ('events'::regclass, 'event_search'::regclass) AND NOT i.indisprimary "
    "AND NOT i.indisunique ORDER BY c.relname")
_PG_TRIGGERS = sa.text(
    "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'event_search'::regclass "
    "AND NOT tgisinternal ORDER BY tgname")
# PostgreSQL's words of each event (migration 0013's table and trigger), filled again from the search text
_PG_WORDS = ("DELETE FROM event_words",
             "INSERT INTO event_words (event_id, tsv) "
             "SELECT event_id, strip(to_tsvector('simple'::regconfig, text)) FROM event_search",
             "ANALYZE event_words")
_SQLITE_FTS = "INSERT INTO event_fts (event_fts) VALUES ('rebuild')"


def deferrable(conn: Connection) -> list[tuple[str, str, str]]:
    """What a bulk load sets aside on this database: (name, "index" | "trigger", the statement that makes it)."""
    if conn.dialect.name == "postgresql":
        found = [(n, "index", ddl) for n, ddl in conn.execute(_PG_INDEXES)]
        found += [(n, "trigger", ddl) for n, ddl in conn.execute(_PG_TRIGGERS)]
    else:
        found = [(n, kind, ddl) for n, kind, ddl in conn.execute(_SQLITE_DEFERRABLE)]
    return [x for x in found if x[0] not in KEPT]


def pending(conn: Connection) -> bool:
    """Whether a bulk load set indexes aside that are not made again yet (its rollups are behind)."""
    return conn.execute(sa.select(bulk_deferred.c.name).limit(1)).first() is not None


def begin(conn: Connection) -> int:
    """Set the explorer's indexes and the search index's triggers aside (in the caller's writing transaction);
    returns how many. A load pending already keeps what it set aside (nothing more is dropped)."""
    if pending(conn):
        return 0
    found = deferrable(conn)
    for name, kind, ddl in found:
        conn.execute(bulk_deferred.insert().values(name=name, kind=kind, ddl=ddl))
        on = " ON event_search" if kind == "trigger" and conn.dialect.name == "postgresql" else ""
        conn.exec_driver_sql(f'DROP {kind.upper()} "{name}"{on}')
    return len(found)


def finish(conn: Connection) -> bool:
    """Make again what a pending bulk load set aside, fill the search index and compute the rollups (in the
    caller's writing transaction); False when no load is pending."""
    rows = conn.execute(sa.select(bulk_deferred.c.name, bulk_deferred.c.kind, bulk_deferred.c.ddl)
                        .order_by(bulk_deferred.c.kind, bulk_deferred.c.name)).all()
    if not rows:
        return False
    for _name, _kind, ddl in rows:
        conn.exec_driver_sql(ddl)
    if any(kind == "trigger" for _n, kind, _d in rows):  # the search index missed the load's search text
        for statement in (_PG_WORDS if conn.dialect.name == "postgresql" else (_SQLITE_FTS,)):
            conn.exec_driver_sql(statement)
    rollups.rebuild(conn)
    conn.execute(bulk_deferred.delete())
    return True


def finish_store(store: Any, say: bool = False) -> bool:
    """`finish` in a transaction of its own that writes alone; with `say`, what it does goes to stderr. Asked
    first without the write lock: every ingest ends here, and nearly always nothing is pending."""
    with store.engine.connect() as conn:
        if not pending(conn):
            return False
    with store.writing() as conn:
        if not pending(conn):
            return False
        if say:
            print("rasad: bulk load: building the explorer's indexes, search index and map rollups ...",
                  file=sys.stderr, flush=True)
        return finish(conn)


@contextmanager
def loading(store: Any, bulk: bool, say: bool = False) -> Iterator[None]:
    """Around an ingest: with `bulk`, what a bulk load sets aside is dropped first; at the end, whatever the
    outcome, a pending load (this one, or one killed before) is finished."""
    if bulk:
        with store.writing() as conn:
            begin(conn)
    try:
        yield
    except BaseException:
        with suppress(Exception):  # (the ingest's own error is the one to tell)
            finish_store(store, say)
        raise
    finish_store(store, say)
