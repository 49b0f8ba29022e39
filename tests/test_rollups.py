"""The rollups of migration 0012 (rasad.database.rollups): the map per cell × month, list totals and the review
queue's counts stay equal to what the events table holds, through ingests and merges and every review action
(over a real `rasad serve`), and the map and counts read from them equal those computed from the events for
any mix of filters. Runs against SQLite always, and against PostgreSQL too when RASAD_TEST_PG holds a URL.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from rasad.database import review, rollups
from rasad.database.store import (
    CELL_ZOOMS,
    Store,
    event_reasons,
    events,
    grid_cell,
    map_rollup,
    reason_rollup,
    reports,
    rollup_events,
    upgrade,
)
from rasad.server import api
from test_map_cells import _fill, _same
from test_queue import _load
from test_server import Server
from test_store import _report


def _from_events(conn: sa.Connection) -> tuple[dict[tuple[Any, ...], list[float]], Counter[tuple[Any, ...]]]:
    """The rollups as the events table gives them, computed here from its rows alone."""
    cells: dict[tuple[Any, ...], list[float]] = {}
    c = events.c
    state = {}
    for eid, date, admin1, etype, status, overrides, lon, lat, best, low in conn.execute(sa.select(
            c.id, c.date, c.admin1, c.event_type, c.status, c.overrides, c.lon, c.lat, c.fatalities_best,
            c.fatalities_low)):
        state[eid] = (status or "", 0 if overrides is None else 1)
        for z in CELL_ZOOMS:
            cell = grid_cell(lon, lat, z) if lon is not None and lat is not None else None
            for period in ["", *([date[:7]] if date else [])]:
                key = (z, period, -1 if cell is None else cell, etype or "", admin1 or "", *state[eid],
                       -1 if low is None else min(low, 10))
                d = cells.setdefault(key, [0, 0, 0.0, 0.0])
                d[0] += 1
                d[1] += best if best is not None else low or 0
                if cell is not None:
                    d[2] += lon
                    d[3] += lat
    reasons: Counter[tuple[Any, ...]] = Counter()
    flagged = set()
    for eid, reason in conn.execute(sa.select(event_reasons.c.event_id, event_reasons.c.reason)):
        reasons[(reason, *state[eid])] += 1
        flagged.add(eid)
    for eid in flagged:
        reasons[("any", *state[eid])] += 1
    return cells, reasons


def _check(store: Store) -> None:
    """map_rollup and reason_rollup hold exactly what the events table gives, and rollup_events one row an event."""
    with store.engine.connect() as conn:
        want_cells, want_reasons = _from_events(conn)
        m = map_rollup.c
        got = {tuple(r[:8]): list(r[8:]) for r in conn.execute(sa.select(
            m.zoom, m.period, m.cell, m.event_type, m.admin1, m.status, m.corrected, m.low, m.events, m.fatalities,
            m.sum_lon, m.sum_lat))}
        got_reasons = Counter({tuple(r[:3]): r[3] for r in conn.execute(sa.select(reason_rollup))})
        queued = {eid: (reasons, n) for eid, reasons, n in conn.execute(sa.select(
            rollup_events.c.event_id, rollup_events.c.reasons, rollup_events.c.n_reasons))}
        ids = set(conn.execute(sa.select(events.c.id)).scalars())
        named: dict[int, list[str]] = {}
        for eid, reason in conn.execute(sa.select(event_reasons.c.event_id, event_reasons.c.reason)):
            named.setdefault(eid, []).append(reason)
    assert {k: v[:2] for k, v in got.items()} == {k: v[:2] for k, v in want_cells.items()}
    for k, (_n, _f, lon, lat) in want_cells.items():
        assert got[k][2] == pytest.approx(lon, abs=1e-6) and got[k][3] == pytest.approx(lat, abs=1e-6), k
    assert got_reasons == want_reasons
    assert queued == {eid: (",".join(sorted(named.get(eid, []))), len(named.get(eid, []))) for eid in ids}


def test_rollups_follow_ingest_merges_and_review_over_http(store: Store, tmp_path: Path, rasad_cmd: list[str]) -> None:
    ids = _load(store, tmp_path)  # a real ingest: documents with hedging, a governorate-level place, no place
    rng = random.Random(11)
    for i in range(40):  # reports of a few days and places: many join an event, some fold two into one
        _report(store, f"r{i}", date=f"2022-03-{rng.randrange(8, 12):02d}", admin1=rng.choice(["Homs", "Idleb"]),
                lat=rng.choice([34.52, 35.93, 35.1]), lon=rng.choice([37.63, 36.63]),
                event_type=rng.choice(["Battles", "Explosions/Remote violence"]),
                fatalities={"low": i % 4, "best": i % 5, "high": 9})
    _check(store)
    with store.engine.connect() as conn:
        eids = sorted(conn.execute(sa.select(events.c.id)).scalars())
    server = Server(rasad_cmd, store.url, "--open-writes")
    try:
        def write(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
            r = server.client.request(method, path, json=body or {})
            assert r.status_code == 200, r.text
            _check(store)
            return r.json()

        write("POST", f"/events/{eids[0]}/confirm")
        write("POST", f"/events/{eids[1]}/reject")
        write("PATCH", f"/events/{eids[2]}", {"lat": 36.2, "lon": 37.15, "admin1": "Aleppo"})  # moved
        write("PATCH", f"/events/{eids[3]}", {"date": "2021-12-30"})  # another month and year
        write("PATCH", f"/events/{ids['q-nowhere']}", {"admin1": "Homs", "lat": 34.7, "lon": 36.7})  # placed
        write("PATCH", f"/events/{eids[4]}", {"event_type": "Battles", "fatalities": {"low": 7, "best": 8, "high": 9}})
        write("POST", f"/events/{eids[2]}/merge", {"other_id": eids[5]})
        write("POST", f"/events/{ids['q-governorate']}/merge", {"other_id": ids["q-hedged"]})
        with store.engine.connect() as conn:
            rids = sorted(conn.execute(sa.select(reports.c.id).where(reports.c.event_id == eids[2])).scalars())
        new = write("POST", f"/events/{eids[2]}/split", {"report_ids": rids[1:]})["new_event_id"]
        write("POST", f"/events/{new}/reject")
        write("POST", f"/events/{eids[1]}/confirm")  # rejected, then confirmed
        # the server's answers are the events table's
        with store.engine.connect() as conn:
            shown = sa.and_(api.not_rejected(), events.c.lat.is_not(None))
            on_map = conn.execute(sa.select(sa.func.count()).where(shown)).scalar_one()
            listed = conn.execute(sa.select(sa.func.count()).where(api.not_rejected())).scalar_one()
            flagged = conn.execute(sa.select(sa.func.count(sa.distinct(event_reasons.c.event_id))).join_from(
                event_reasons, events, events.c.id == event_reasons.c.event_id).where(api.not_rejected())).scalar_one()
        grid = server.json("/map", zoom=6, limit=1)
        assert grid["aggregated"] and grid["total"] == on_map == sum(f["properties"]["count"] for f in grid["features"])
        assert server.json("/events")["total"] == listed and server.json("/events")["total_exact"]
        assert server.json("/review/reasons")["total"] == flagged
        assert server.json("/events", reason="any", sort="-reasons")["total"] == flagged
    finally:
        server.stop()
    # new reports after the review join the corrected events: their rollups follow
    for i in range(10):
        _report(store, f"late{i}", date="2022-03-10", admin1="Idleb", lat=35.93, lon=36.63, event_type="Battles")
    _check(store)


def test_the_migration_and_rebuild_give_what_sync_keeps(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path)
    for i in range(12):
        _report(store, f"r{i}", date=f"2022-0{1 + i % 3}-1{i % 4}", lat=33.5 + i / 10)
    _check(store)
    with store.engine.begin() as conn:
        rollups.rebuild(conn)
    _check(store)
    with store.engine.begin() as conn:  # back to 0010: a database made before the rollups (and 0013-0015)
        for table in ("rollup_events", "map_rollup", "reason_rollup", "bulk_deferred"):
            conn.execute(sa.text(f"DROP TABLE {table}"))
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("DROP INDEX ix_events_fatalities_id"))
            conn.execute(sa.text("DROP INDEX ix_events_by_type"))
            for drop in ("TRIGGER event_words_sync ON event_search", "FUNCTION event_words_sync()", "TABLE event_words"):
                conn.execute(sa.text(f"DROP {drop}"))
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0010'"))
    upgrade(store.engine)
    _check(store)


def _filters(store: Store, **params: Any) -> api.Filters:
    return api.Filters(**params, search_mode=store.search_mode)


FILTERS = [{}, {"since": "2024-02-01", "until": "2024-04-30"}, {"since": "2024-02-11", "until": "2024-05-14"},
           {"since": "2024-03-05", "until": "2024-03-20"}, {"since": "2024-03-01"}, {"until": "2024-04-15"},
           {"admin1": "Idleb", "since": "2024-02-02"}, {"event_type": "Battles"}, {"bbox": "36,33,40,36"},
           {"bbox": "36.05,33.3,38.91,35.77", "since": "2024-02-10", "admin1": "Homs"}, {"bbox": "36.3,34.1,36.4,34.15"},
           {"status": "all"}, {"status": "rejected"}, {"status": "unreviewed"}, {"status": "corrected"},
           {"status": "confirmed", "bbox": "30,30,45,40"}, {"min_fatalities": 2}, {"min_fatalities": 0}, {"min_fatalities": 10},
           {"bbox": "36,33,40,36", "min_fatalities": 3, "since": "2024-01-20"},
           # the ends of the calendar: no whole month after the last day a date can have, or before the first
           {"since": "9999-12-31"}, {"since": "9999-12-05", "until": "9999-12-31"}, {"until": "0001-01-01"},
           {"since": "0001-01-01"}, {"until": "9999-12-31"}]


@pytest.mark.parametrize(("since", "until", "months", "days"), [
    ("2024-01-15", "2024-03-10", ("2024-02-01", "2024-02-29"), [("2024-01-15", "2024-01-31"), ("2024-03-01", "2024-03-10")]),
    ("2024-01-01", "2024-01-31", ("2024-01-01", "2024-01-31"), []),
    ("2024-03-05", "2024-03-20", None, [("2024-03-05", "2024-03-20")]),
    ("2024-03-20", "2024-03-05", None, []),  # an empty range
    ("9999-12-31", None, None, [("9999-12-31", "9999-12-31")]),  # no month after December 9999
    ("9999-12-01", None, ("9999-12-01", None), []),
    (None, "9999-12-31", (None, "9999-12-31"), []),
    (None, "0001-01-01", None, [("0001-01-01", "0001-01-01")]),  # no month before January of year 1
    ("0001-01-05", "0001-03-02", ("0001-02-01", "0001-02-28"), [("0001-01-05", "0001-01-31"), ("0001-03-01", "0001-03-02")]),
])
def test_a_day_range_splits_into_whole_months_and_days_around_them(
        since: str | None, until: str | None, months: tuple[str | None, str | None] | None,
        days: list[tuple[str, str]]) -> None:
    got_months, got_days = rollups.month_range(since, until)
    assert (None if got_months is None else tuple(d and d.isoformat() for d in got_months)) == months
    assert got_days == days


def test_the_map_and_counts_from_rollups_equal_those_from_the_events(store: Store) -> None:
    _fill(store)
    with store.engine.connect() as conn:
        eids = sorted(conn.execute(sa.select(events.c.id)).scalars())
    for eid in eids[:20]:
        review.reject(store, eid, "alice")
    for eid in eids[20:30]:
        review.confirm(store, eid, "alice")
    with store.engine.begin() as conn:  # corrections written as review.correct leaves them
        conn.execute(events.update().where(events.c.id.in_(eids[30:40])).values(overrides='{"notes": "x"}'))
        conn.execute(events.update().where(events.c.id.in_(eids[40:50])).values(fatalities_low=15))  # above 10
        conn.execute(events.update().where(events.c.id.in_(eids[50:55])).values(fatalities_low=None))
        rollups.sync(conn, eids[30:55])
    _check(store)
    for params in FILTERS:
        f = _filters(store, **params)
        where = sa.and_(f.where(), events.c.lat.is_not(None), events.c.lon.is_not(None))
        with store.engine.connect() as conn:
            plan = api.rollup_plan(f)
            assert plan is not None, params
            exact = conn.execute(sa.select(sa.func.count()).select_from(events).where(f.where())).scalar_one()
            assert api.count_of(conn, f, f.where()) == (exact, True), params
            for zoom in (5, 6, 7, 8, 10):
                plan = api.rollup_plan(f, zoom)
                assert plan is not None, (params, zoom)
                _same(json.loads(api._map_cells(conn, where, zoom, 1, plan=plan)),
                      json.loads(api._map_cells(conn, where, zoom, 1, stored=False)))


@pytest.mark.parametrize("few", [api.FEW, 0])
def test_a_page_is_the_sorted_matches_whichever_way_it_is_found(store: Store, monkeypatch: pytest.MonkeyPatch,
                                                                 few: int) -> None:
    """Pages found walking an index (many matches, the review queue's order) or gathering the matches (few)
    are the matches sorted, as a plain query gives them."""
    monkeypatch.setattr(api, "FEW", few)
    _fill(store)
    rng = random.Random(2)
    with store.engine.begin() as conn:
        eids = sorted(conn.execute(sa.select(events.c.id)).scalars())
        conn.execute(event_reasons.insert(), [{"event_id": e, "reason": r} for e in eids
                                              for r in ("hedged", "undated", "no_figure") if rng.random() < 0.3])
        rollups.sync(conn, eids)
    for eid in eids[:15]:
        review.reject(store, eid, "alice")
    flagged = sa.select(sa.func.count()).where(event_reasons.c.event_id == events.c.id).scalar_subquery()
    plain = {**api.SORTS, "-reasons": [flagged.desc(), events.c.date.desc(), events.c.id.desc()]}
    for params in [*FILTERS, {"reason": "hedged"}, {"reason": "any", "status": "unreviewed"}, {"q": "هجوم"},
                   {"reason": "no_figure", "admin1": "Homs", "bbox": "36,33,40,36"}]:
        f = _filters(store, **params)
        for sort in api.SORTS:
            got = api.list_events(store, f, page=2, per_page=30, sort=sort)
            with store.engine.connect() as conn:
                want = list(conn.execute(sa.select(events.c.id).where(f.where()).order_by(*plain[sort])
                                         .limit(30).offset(30)).scalars())
            assert [e["id"] for e in got["events"]] == want, (params, sort)
