"""Bulk loads (`rasad ingest --bulk`, rasad.database.bulk): the explorer's indexes, the search index and the map
rollups set aside while documents are stored and merged, and made again when the load ends. A bulk load decides
every merge as an ordinary one, and ends with the same store: the same indexes and triggers, a search index that
finds every event, rollups equal to what the events give. A load that was killed is finished by the next
`rasad ingest`. Runs against SQLite always, and against PostgreSQL too when RASAD_TEST_PG holds a URL.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from rasad.database import bulk
from rasad.database.ingest import store_batch
from rasad.database.store import Store, bulk_deferred, event_search, events, map_rollup, metadata
from test_merge import _synthetic
from test_rollups import _check

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from decisions import lines  # noqa: E402


def _docs(n: int) -> list[tuple[SimpleNamespace, dict[str, Any], str]]:
    return [(SimpleNamespace(doc=f"d{d}", url=None, source=f"outlet {d % 5}", published=None, title=f"هجوم {d}",
                             text="", kind=None), {"events": evs}, f"{d:064x}") for d, evs in _synthetic(n)]


def _wipe(store: Store) -> None:
    with store.engine.begin() as conn:
        for t in reversed(metadata.sorted_tables):
            conn.execute(t.delete())


def _schema(conn: sa.Connection) -> list[tuple[str, str, str]]:
    """The indexes and triggers a bulk load sets aside, with the statements that make them."""
    return sorted(bulk.deferrable(conn))


def _found(conn: sa.Connection, word: str) -> int:
    """Events the search index finds for a word (FTS5 on SQLite, event_words on PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        return int(conn.exec_driver_sql("SELECT count(*) FROM event_words WHERE tsv @@ to_tsquery('simple', %s)",
                                        (word,)).scalar_one())
    return int(conn.exec_driver_sql("SELECT count(*) FROM event_fts WHERE event_fts MATCH ?", (word,)).scalar_one())


def _map(conn: sa.Connection) -> list[tuple[Any, ...]]:
    m = map_rollup.c
    return sorted((*r[:10], round(r[10], 6), round(r[11], 6)) for r in conn.execute(sa.select(
        m.zoom, m.period, m.cell, m.event_type, m.admin1, m.status, m.corrected, m.low, m.events, m.fatalities,
        m.sum_lon, m.sum_lat)))


def test_a_bulk_load_decides_as_an_ordinary_one_and_ends_with_the_same_store(store: Store) -> None:
    docs = _docs(240)
    for i in range(0, len(docs), 60):
        store_batch(store, docs[i:i + 60])
    with store.engine.connect() as conn:
        want, want_schema, want_map = list(lines(conn)), _schema(conn), _map(conn)
        n_events = conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()
    assert sum('"joined"' in x for x in want) > 20 and n_events > 100
    assert {name for name, _k, _d in want_schema} >= {"ix_events_by_date", "ix_events_cell6"}

    _wipe(store)
    with store.writing() as conn:
        assert bulk.begin(conn) == len(want_schema)
    with store.engine.connect() as conn:  # set aside: the explorer's indexes and the search index's triggers
        assert _schema(conn) == [] and bulk.pending(conn)
        held = {name for name, in conn.execute(sa.select(bulk_deferred.c.name))}
        assert held == {name for name, _k, _d in want_schema} and not held & bulk.KEPT
    for i in range(0, len(docs), 60):
        store_batch(store, docs[i:i + 60])
    with store.engine.connect() as conn:  # merged as without it; the rollups and the search index wait
        assert list(lines(conn)) == want
        assert _map(conn) == [] and _found(conn, "هجوم") == 0
    assert bulk.finish_store(store) is True and bulk.finish_store(store) is False
    with store.engine.connect() as conn:
        assert _schema(conn) == want_schema and not bulk.pending(conn)
        assert _map(conn) == want_map
        assert _found(conn, "هجوم") == n_events == conn.execute(
            sa.select(sa.func.count()).select_from(event_search)).scalar_one()
    _check(store)  # the rollups of every event and its review reasons
    store_batch(store, _docs(250)[240:])  # after it, writers keep the rollups and the search index again
    _check(store)
    with store.engine.connect() as conn:
        assert _found(conn, "هجوم") == conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()


def test_beginning_twice_keeps_what_the_first_set_aside(store: Store) -> None:
    with store.engine.connect() as conn:
        want = _schema(conn)
    with store.writing() as conn:
        bulk.begin(conn)
    with store.writing() as conn:
        assert bulk.begin(conn) == 0
    assert bulk.finish_store(store)
    with store.engine.connect() as conn:
        assert _schema(conn) == want


def _jsonl(path: Path, docs: list[tuple[SimpleNamespace, dict[str, Any], str]]) -> Path:
    """Articles in the batch format rasad reads, with texts this test wrote (an attack on a named day)."""
    path.write_text("".join(json.dumps({"id": s.doc, "title": s.title, "published": "2024-05-03",
                                        "text": f"قتل {i + 2} عناصر بهجوم على حاجز في حمص يوم الأربعاء."},
                                       ensure_ascii=False) + "\n" for i, (s, _r, _h) in enumerate(docs)),
                    encoding="utf-8")
    return path


def test_a_killed_bulk_load_is_finished_by_the_next_ingest(tmp_path: Path, rasad_cmd: list[str]) -> None:
    db = tmp_path / "r.db"
    store = Store(str(db))
    with store.engine.connect() as conn:
        want = _schema(conn)
    with store.writing() as conn:  # what a bulk load killed half way leaves: set aside, some batches stored
        bulk.begin(conn)
    store_batch(store, _docs(30))
    with store.engine.connect() as conn:
        assert bulk.pending(conn) and _map(conn) == []
    f = _jsonl(tmp_path / "more.jsonl", _docs(3))
    out = subprocess.run([*rasad_cmd, "ingest", str(f), "--db", str(db), "--no-geocode"], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    with store.engine.connect() as conn:
        assert _schema(conn) == want and not bulk.pending(conn) and _map(conn) != []
    _check(store)


def test_finish_bulk_alone(tmp_path: Path, rasad_cmd: list[str]) -> None:
    db = tmp_path / "r.db"
    store = Store(str(db))
    with store.writing() as conn:
        bulk.begin(conn)
    store_batch(store, _docs(20))
    run = [*rasad_cmd, "ingest", "--db", str(db)]
    bad = subprocess.run([*run, "--finish-bulk", "x.jsonl"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--finish-bulk only finishes" in bad.stderr
    out = subprocess.run([*run, "--finish-bulk"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "bulk load finished" in out.stderr, out.stderr
    _check(store)
    again = subprocess.run([*run, "--finish-bulk"], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "no bulk load was pending" in again.stderr


def test_rasad_ingest_bulk_stores_what_an_ordinary_ingest_stores(tmp_path: Path, rasad_cmd: list[str]) -> None:
    f = _jsonl(tmp_path / "a.jsonl", _docs(40))
    got = {}
    for name, extra in (("plain", []), ("bulk", ["--bulk"])):
        db = tmp_path / f"{name}.db"
        out = subprocess.run([*rasad_cmd, "ingest", str(f), "--db", str(db), "--no-geocode", *extra],
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        s = Store(str(db))
        with s.engine.connect() as conn:
            got[name] = (list(lines(conn)), _schema(conn), _map(conn), _found(conn, "حمص"), bulk.pending(conn))
        _check(s)
    assert got["bulk"] == got["plain"] and got["plain"][3] > 0


def test_the_explorer_of_a_pending_bulk_load_warns_and_finds_the_events_once_it_ends(
        tmp_path: Path, rasad_cmd: list[str]) -> None:
    from test_server import Server

    db = tmp_path / "r.db"
    store = Store(str(db))
    with store.writing() as conn:
        bulk.begin(conn)
    store_batch(store, _docs(30))
    with store.engine.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()
    server = Server(rasad_cmd, db)
    try:
        page = server.json("/events", per_page=100)
        assert len(page["events"]) == n and page["total"] == 0  # the list reads the table; its count, the rollups
        assert server.json("/events", q="هجوم")["total"] == 0  # the search index lacks them
        for _ in range(50):
            if any("bulk load" in line for line in server.log):
                break
            time.sleep(0.1)
        assert any("a bulk load of this database has not finished" in line for line in server.log), server.log
        out = subprocess.run([*rasad_cmd, "ingest", "--db", str(db), "--finish-bulk"], capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0 and "bulk load finished" in out.stderr, out.stderr
        assert server.json("/events", q="هجوم")["total"] == n == server.json("/events")["total"]
    finally:
        server.stop()
