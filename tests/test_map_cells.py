"""The /map grid read from the stored cells (migration 0005) and the capped count of a `q=` search.

The stored cells must give the same grid as computing the cells from lon and lat, for several filters
and zooms, and still add up to the events after merges, splits, corrections and rejections. Runs
against SQLite always, and against PostgreSQL too when RASAD_TEST_PG holds a URL.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from rasad.database import review, rollups
from rasad.database.merge import index_columns
from rasad.database.store import CELL_ZOOMS, Store, event_search, events, grid_cell, now, reports, search_text
from rasad.server import api
from test_store import _report


def _fill(store: Store, n: int = 400) -> None:
    rng = random.Random(5)
    rows = []
    for i in range(n):
        rec = {"date": f"2024-0{rng.randrange(1, 7)}-1{rng.randrange(10)}", "admin1": rng.choice(["Homs", "Idleb"]),
               "event_type": rng.choice(["Battles", "Explosions/Remote violence", "Protests"]),
               "actor1": "Islamic State", "lat": round(rng.uniform(32.3, 37.3), 5) if i % 50 else None,
               "lon": round(rng.uniform(35.6, 42.4), 5),
               "fatalities": {"low": rng.randrange(5), "best": rng.choice([None, 3]), "high": None}}
        rows.append(({"id": i + 1, **index_columns(rec), "record": json.dumps(rec), "reviewed": False,
                      "updated_at": now()}, search_text(rec, ["هجوم"])))
    with store.engine.begin() as conn:
        conn.execute(events.insert(), [r for r, _t in rows])
        conn.execute(event_search.insert(), [{"event_id": r["id"], "text": t} for r, t in rows])
        rollups.sync(conn, [r["id"] for r, _t in rows])  # as every writer of events does


def _grids(store: Store, f: api.Filters, zoom: int) -> tuple[dict[str, Any], dict[str, Any]]:
    where = sa.and_(f.where(), events.c.lat.is_not(None), events.c.lon.is_not(None))
    with store.engine.connect() as conn:
        return (json.loads(api._map_cells(conn, where, zoom, 1)),
                json.loads(api._map_cells(conn, where, zoom, 1, stored=False)))


def _same(a: dict[str, Any], b: dict[str, Any]) -> None:
    """The same features; a centroid may differ in its last decimal (floating sums in another order)."""
    assert [{**x, "geometry": None} for x in a["features"]] == [{**x, "geometry": None} for x in b["features"]]
    for x, y in zip(a["features"], b["features"], strict=True):
        assert all(abs(p - q) < 2e-5 for p, q in zip(x["geometry"]["coordinates"], y["geometry"]["coordinates"],
                                                     strict=True))
    assert {k: v for k, v in a.items() if k != "features"} == {k: v for k, v in b.items() if k != "features"}


def test_grid_cell_nests_across_zooms() -> None:
    rng = random.Random(1)
    for _ in range(2000):
        lon, lat = rng.uniform(-180, 180), rng.uniform(-90, 89.99)
        for z in CELL_ZOOMS:
            cell, size = grid_cell(lon, lat, z), 45 / 2 ** z
            assert cell is not None
            assert (cell >> (z + 3), cell & ((1 << (z + 3)) - 1)) == (int((lon + 180) // size), int((lat + 90) // size))
            for k in range(z + 1):  # a coarser zoom folds exactly from this one
                coarse = 45 / 2 ** (z - k)
                assert (cell >> (z + 3)) >> k == int((lon + 180) // coarse)
                assert (cell & ((1 << (z + 3)) - 1)) >> k == int((lat + 90) // coarse)
    assert grid_cell(None, 33.0, 6) is None


@pytest.mark.parametrize("params", [{}, {"since": "2024-02-01", "until": "2024-04-30"}, {"admin1": "Idleb"},
                                    {"bbox": "36,33,40,36", "min_fatalities": 2}, {"event_type": "Battles"},
                                    {"q": "هجوم"}, {"status": "all"}])
def test_stored_cells_give_the_computed_grid(store: Store, params: dict[str, Any]) -> None:
    _fill(store)
    for zoom in (2, 5, 6, 7, 8, 9, 10, 11):
        stored, computed = _grids(store, api.Filters(**params, search_mode=store.search_mode), zoom)
        _same(stored, computed)
        assert stored["total"] > 0


def _cells_match_events(store: Store) -> None:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(events.c.lon, events.c.lat, *(events.c[f"cell{z}"] for z in CELL_ZOOMS))).all()
    for lon, lat, *cells in rows:
        assert cells == [grid_cell(lon, lat, z) for z in CELL_ZOOMS]
    for zoom in (6, 7, 8, 10):
        for status in (None, "all"):
            stored, computed = _grids(store, api.Filters(status=status, search_mode=store.search_mode), zoom)
            _same(stored, computed)


def test_cells_follow_merges_splits_corrections_and_rejections(store: Store) -> None:
    e1, _ = _report(store, "a", lat=34.52, lon=37.63)
    e2, _ = _report(store, "b", lat=35.93, lon=36.63, admin1="Idleb", date="2022-05-01")
    e3, _ = _report(store, "c", lat=33.5, lon=36.3, admin1="Damascus", date="2022-07-01", event_type="Battles")
    assert len({e1, e2, e3}) == 3
    _cells_match_events(store)
    review.correct(store, e1, "alice", {"lat": 36.2, "lon": 37.15})  # moved to Aleppo
    _cells_match_events(store)
    review.merge(store, e1, e3, "alice")
    _cells_match_events(store)
    with store.engine.connect() as conn:
        rids = [r for (r,) in conn.execute(sa.select(reports.c.id).where(reports.c.event_id == e1).order_by(reports.c.id))]
    new = review.split(store, e1, rids[1:], "alice")
    _cells_match_events(store)
    review.reject(store, new, "alice")
    _cells_match_events(store)
    stored, _ = _grids(store, api.Filters(search_mode=store.search_mode), 6)
    with store.engine.connect() as conn:
        shown = conn.execute(sa.select(sa.func.count()).select_from(events).where(
            api.not_rejected(), events.c.lat.is_not(None))).scalar_one()
    assert stored["total"] == shown == sum(c["properties"]["count"] for c in stored["features"])


def test_a_common_word_counts_up_to_the_cap(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(store, 300)
    f = api.Filters(q="هجوم", search_mode=store.search_mode)
    everything = api.list_events(store, api.Filters(search_mode=store.search_mode), per_page=500, sort="-date")
    assert everything["total"] == 300 and everything["total_exact"] is True
    for sort in ("-date", "date", "-fatalities", "id"):
        exact = api.list_events(store, f, page=2, per_page=40, sort=sort)
        assert exact["total"] == 300 and exact["total_exact"] is True
        monkeypatch.setattr(api, "TOTAL_CAP", 100)
        capped = api.list_events(store, f, page=2, per_page=40, sort=sort)
        monkeypatch.undo()
        assert capped["total"] == 100 and capped["total_exact"] is False
        assert [e["id"] for e in capped["events"]] == [e["id"] for e in exact["events"]]  # the same page
    newest = api.list_events(store, f, per_page=500, sort="-date")["events"]
    assert [e["id"] for e in newest] == [e["id"] for e in everything["events"]]
    few = api.list_events(store, api.Filters(q="هجوم Idleb", search_mode=store.search_mode))
    assert few["total_exact"] is True and few["total"] == sum(e["admin1"] == "Idleb" for e in everything["events"])


def test_the_grid_of_everything_is_read_in_index_order(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "plan.db"))
    _fill(store)
    where = sa.and_(api.Filters().where(), events.c.lat.is_not(None), events.c.lon.is_not(None))
    col = events.c.cell6
    q = (sa.select(col, events.c.event_type, sa.func.count()).where(where, col.is_not(None))
         .group_by(col, events.c.event_type))
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        sql = str(q.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = " ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "ix_events_cell6" in plan and "TEMP B-TREE" not in plan, plan
