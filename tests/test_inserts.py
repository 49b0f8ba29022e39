"""The merge's new events, reports and claims, inserted in groups on SQLite (`rasad.database.inserts`): the ids it
gives are those SQLite would, and a merge leaves the same rows as one that inserts each row at once."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from rasad.database import merge
from rasad.database.ingest import store_batch, store_in
from rasad.database.inserts import Inserts
from rasad.database.store import Store, claims, events, reports
from test_merge import BASE, _synthetic

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))


def _event(day: str) -> dict[str, Any]:
    row = {k: None for k in ("date", "date_precision", "admin1", "admin2", "event_type", "actor1", "actor2",
                             "fatalities_low", "fatalities_best", "fatalities_high", "lat", "lon", "cell6", "cell8",
                             "cell10")}
    return {**row, "date": day, "admin1": "Homs", "record": "{}", "updated_at": "2024-05-01T00:00:00Z"}


# steps: "new" (an event), "write" (the rows waiting), "drop N" (delete the N-th event made, counting from 1)
@pytest.mark.parametrize("steps", [
    ["new", "new", "new"],
    ["new", "new", "write", "drop 2", "new"],  # the highest deleted: SQLite gives its id again
    ["new", "new", "new", "write", "drop 2", "new"],  # one below the highest: not given again
    ["new", "write", "drop 1", "new", "new"],  # the table left empty: ids start at 1 again
    ["new", "new", "write", "drop 2", "drop 1", "new"],
    ["new", "write", "new", "new", "write", "drop 3", "new", "write"],
])
def test_the_ids_given_are_those_sqlite_gives(tmp_path: Path, steps: list[str]) -> None:
    """The same steps, on one database with the ids given by `Inserts` and on another where SQLite chooses them
    (an INSERT without id), make events of the same ids and leave the same."""
    def play(grouped: bool) -> tuple[list[int], list[int]]:
        store = Store(str(tmp_path / f"{grouped}.db"))
        made: list[int] = []
        with store.writing() as conn:
            rows = Inserts(conn)
            for step in steps:
                if step == "new":
                    if grouped:
                        made.append(rows.event(_event("2024-05-01")))
                    else:
                        made.append(int(conn.execute(events.insert().values(**_event("2024-05-01"), reviewed=False)
                                                     .returning(events.c.id)).scalar_one()))
                elif step == "write":
                    rows.write()
                else:
                    eid = made[int(step.split()[1]) - 1]
                    rows.write()  # (the merge deletes only events written)
                    conn.execute(events.delete().where(events.c.id == eid))
                    rows.deleted(eid)
            rows.write()
            left = sorted(conn.execute(sa.select(events.c.id)).scalars())
        store.engine.dispose()
        return made, left

    assert play(True) == play(False)


def test_rows_wait_until_written_and_what_waits_is_known(tmp_path: Path) -> None:
    """On SQLite a new event and a report attached to it wait (nothing is in the tables), `holds_event` and
    `holds_document` say so, and `write` inserts them in order; a report `now` is inserted at once."""
    store = Store(str(tmp_path / "s.db"))
    with store.writing() as conn:
        doc_id = store.add_document(conn, SimpleNamespace(doc="d", url=None, source="o", published=None, title=None,
                                                          text="", kind=None), {}, "0" * 64)
        rows = Inserts(conn)
        eid = rows.event(_event("2024-05-01"))
        claim = (None, "fatalities", 3, 3, 3, None, "o", "outlet", False)
        rid = rows.report({"document_id": doc_id, "idx": 0, "date": "2024-05-01", "admin1": "Homs", "record": "{}",
                           "provenance": None, "event_id": eid, "merge_reason": "{}"}, [claim, claim])
        assert rows.holds_event(eid) and rows.holds_document(doc_id) and not rows.holds_event(eid + 1)
        assert [conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in (events, reports, claims)] \
            == [0, 0, 0]
        rows.write()
        assert not rows.holds_event(eid) and not rows.holds_document(doc_id)
        assert conn.execute(sa.select(reports.c.id, reports.c.event_id)).all() == [(rid, eid)]
        assert conn.execute(sa.select(claims.c.id, claims.c.report_id).order_by(claims.c.id)).all() == [(1, rid),
                                                                                                      (2, rid)]
        second = rows.report({"document_id": doc_id, "idx": 1, "date": None, "admin1": None, "record": "{}",
                              "provenance": None, "event_id": eid, "merge_reason": "{}"}, [claim], now=True)
        assert second == rid + 1 and not rows.holds_document(doc_id)
        assert conn.execute(sa.select(claims.c.report_id).where(claims.c.id == 3)).scalar() == second


def test_a_merge_with_grouped_inserts_leaves_the_rows_of_one_that_inserts_each_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`rasad ingest`'s writer, on documents of one to three reports whose merges join, fold and delete events,
    leaves the same events, reports and claims, ids included, whether its new rows wait to be inserted in groups
    or are inserted at once (as on PostgreSQL), and the same decisions (`bench/decisions.py`)."""
    from decisions import lines

    docs = [(SimpleNamespace(doc=f"d{d}", url=None, source=f"outlet {d % 5}", published=None, title=None, text=""),
             {"events": evs}, f"{d:064x}") for d, evs in _synthetic(300, seed=5)]
    grouped, at_once = Store(str(tmp_path / "grouped.db")), Store(str(tmp_path / "at_once.db"))
    written: list[int] = []
    real_write = Inserts.write

    def counted(self: Inserts) -> None:
        written.append(len(self.rows["events"]))
        real_write(self)

    monkeypatch.setattr(Inserts, "write", counted)
    for i in range(0, len(docs), 60):
        store_batch(grouped, docs[i:i + 60])
    assert max(written) >= 3  # rows did wait, and were written together
    real_init = Inserts.__init__

    def at_once_init(self: Inserts, conn: Any) -> None:
        real_init(self, conn)
        self.grouped = False

    monkeypatch.setattr(Inserts, "__init__", at_once_init)
    for i in range(0, len(docs), 60):
        store_batch(at_once, docs[i:i + 60])

    def rows(store: Store) -> list[Any]:
        with store.engine.connect() as conn:
            return [conn.execute(sa.select(*(c for c in t.c if c.name != "updated_at")).order_by(t.c.id)).all()
                    for t in (events, reports, claims)] + [list(lines(conn))]

    got, want = rows(grouped), rows(at_once)
    assert sum('"consolidated"' in x for x in want[-1]) > 0  # events were folded, and deleted
    assert got == want


def test_postgresql_inserts_every_row_at_once(store: Store) -> None:
    """On PostgreSQL nothing waits: the ids come from the tables' sequences as each row is inserted."""
    with store.writing() as conn:
        rows = Inserts(conn)
        eid = rows.event(_event("2024-05-01"))
        waiting = rows.holds_event(eid)
        stored = conn.execute(sa.select(sa.func.count()).select_from(events)).scalar()
    assert (waiting, stored) == ((True, 0) if store.engine.dialect.name == "sqlite" else (False, 1))


def _src(name: str) -> SimpleNamespace:
    return SimpleNamespace(doc=name, url=None, source="o", published=None, title=None, text="", kind=None)


def test_a_merge_reads_the_rows_that_wait(store: Store) -> None:
    """Whatever the merge asks of an event whose rows wait (on SQLite) sees them: a document's second report of the
    same incident stays apart from its first (one document's incidents were told apart when it was read), an
    event's documents are those of its waiting report, and an event recomputed is its report's, not deleted as
    empty."""
    with store.writing() as conn:
        m = merge.Merger(conn)
        twice = store_in(conn, store, _src("twice"), {"events": [dict(BASE), dict(BASE)]}, "1" * 64, None, m)
        assert twice is not None
        (first, reason1), (second, reason2) = twice.placed
        assert reason1.get("new_event") and reason2.get("new_event") and first != second
        assert m.recompute(second)["place_name_en"] == "Sokhneh"
        alone = store_in(conn, store, _src("alone"), {"events": [{**BASE, "admin1": "Aleppo", "lat": 36.2,
                                                                  "lon": 37.15}]}, "2" * 64, None, m)
        assert alone is not None
        (eid, _), = alone.placed
        doc_id = conn.execute(sa.text("SELECT id FROM documents WHERE doc = 'alone'")).scalar_one()
        assert m._documents_of(eid) == {doc_id}
        m.flush()
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(events)).scalar() == 3


@pytest.mark.parametrize("first", [{"date": None, "date_precision": "unknown"}, {}, {"admin1": None}])
def test_a_block_holds_the_new_events_that_wait(store: Store, first: dict[str, Any]) -> None:
    """The block of a dated report read after a new event was made (an undated one, one of its days, one without a
    governorate), its rows waiting to be written on SQLite, holds that event: as `_block` reads it once written."""
    with store.writing() as conn:
        m = merge.Merger(conn)
        made = store_in(conn, store, _src("first"), {"events": [{**BASE, **first}]}, "1" * 64, None, m)
        assert made is not None
        (eid, _), = made.placed
        probe = merge.Summary.of({**BASE, "date": "2022-03-10", "actor1": "Hayat Tahrir al-Sham"})
        assert [c.id for c in m.blocks.block(probe)] == [eid]
        m.flush()
        assert [x.id for x in merge._block(conn, probe)] == [eid]
