"""Rollups for the explorer at a million events: the map per grid cell × month, counts per status, the review
queue's order and its counts per reason (tables in rasad.database.store, migration 0012).

- `map_rollup`: for each zoom of CELL_ZOOMS, period (a month "YYYY-MM", or ALL for all time), grid cell
  (NO_CELL without coordinates), event type, governorate, status, corrected flag and low fatality figure up
  to LOW_CAP (NO_LOW without one): the events, their
  fatalities (best, else low, as /map sums them) and the sums of their lon and lat (for centroids). The map of
  everything, of a governorate or of whole months, and the total of such a list, are read from a few hundred
  rows instead of every event.
- `reason_rollup`: the events per (reason, status, corrected), "any" for those with at least one reason.
- `rollup_events`: per event, what the two count it as, so that a change takes out what the event added
  before; and the review queue's order (most reasons first, then newest), as an index.

`sync(conn, event_ids)` is the one function that keeps them in step: call it, in the writing transaction,
with the ids of the events a write created, changed or deleted (any number of times, in any batch: it compares
each event with what the rollups hold for it and does nothing when they agree). `rebuild(conn)` computes them
again from the events table (after a bulk write that did not sync, such as `rasad reprocess`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from rasad.database.store import (
    CELL_ZOOMS,
    binds,
    event_reasons,
    events,
    map_rollup,
    reason_rollup,
    rollup_events,
    run_many,
)

ALL = ""  # the period of the all-time rows
NO_CELL = -1  # the cell of an event without coordinates
ANY_REASON = "any"
LOW_CAP = 10  # map_rollup's low figure: 0 to 10, 10 for 10 or more (min_fatalities up to 10 is answered)
NO_LOW = -1  # ... and -1 for none

_MAP_KEY = ("zoom", "period", "cell", "event_type", "admin1", "status", "corrected", "low")
_MAP_SUMS = ("events", "fatalities", "sum_lon", "sum_lat")
_CHUNK = 500


def _state_columns() -> list[Any]:
    """The columns of rollup_events, as computed from the events table (without the reasons)."""
    c = events.c
    return [c.id.label("event_id"), c.date, sa.func.coalesce(c.admin1, "").label("admin1"),
            sa.func.coalesce(c.event_type, "").label("event_type"), sa.func.coalesce(c.status, "").label("status"),
            sa.case((c.overrides.is_(None), 0), else_=1).label("corrected"),
            *(sa.func.coalesce(c[f"cell{z}"], NO_CELL).label(f"cell{z}") for z in CELL_ZOOMS),
            sa.func.coalesce(c.fatalities_best, c.fatalities_low, 0).label("fatalities"),
            sa.case((c.fatalities_low.is_(None), NO_LOW), (c.fatalities_low > LOW_CAP, LOW_CAP),
                    else_=c.fatalities_low).label("low"),
            sa.case((c.lat.is_(None), None), else_=c.lon).label("lon"),
            sa.case((c.lon.is_(None), None), else_=c.lat).label("lat")]


def _add(state: dict[str, Any], sign: int, cells: dict[tuple[Any, ...], list[float]],
         reasons: dict[tuple[Any, ...], int]) -> None:
    """Add (sign 1) or take out (-1) an event's contribution to the deltas of the two rollups."""
    date = state["date"]
    periods = (ALL, date[:7]) if date else (ALL,)
    for z in CELL_ZOOMS:
        cell = state[f"cell{z}"]
        for period in periods:
            d = cells.setdefault((z, period, cell, state["event_type"], state["admin1"], state["status"],
                                  state["corrected"], state["low"]), [0, 0, 0.0, 0.0])
            d[0] += sign
            d[1] += sign * state["fatalities"]
            if cell != NO_CELL:
                d[2] += sign * state["lon"]
                d[3] += sign * state["lat"]
    named = [r for r in state["reasons"].split(",") if r]
    for r in [*named, ANY_REASON] if named else []:
        key = (r, state["status"], state["corrected"])
        reasons[key] = reasons.get(key, 0) + sign


@functools.cache
def _upserts(dialect: str) -> tuple[Any, Any]:
    """INSERT ... ON CONFLICT DO UPDATE adding the deltas, for map_rollup and reason_rollup."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    m = insert(map_rollup)
    m = m.on_conflict_do_update(index_elements=list(_MAP_KEY),
                                set_={k: map_rollup.c[k] + m.excluded[k] for k in _MAP_SUMS})
    r = insert(reason_rollup)
    r = r.on_conflict_do_update(index_elements=["reason", "status", "corrected"],
                                set_={"events": reason_rollup.c.events + r.excluded.events})
    return m, r


_EMPTY_CELL = map_rollup.delete().where(*(map_rollup.c[k] == sa.bindparam(f"k_{k}") for k in _MAP_KEY),
                                        map_rollup.c.events <= 0)
_EMPTY_REASON = reason_rollup.delete().where(reason_rollup.c.events <= 0)  # a few rows: a scan is cheap


def sync(conn: Connection, event_ids: Iterable[int]) -> None:
    """Bring the rollups in step with these events as the events table holds them now (an id no longer there
    is taken out). The one function that maintains the rollups: writers call it with the ids they touched."""
    ids = sorted(set(event_ids))
    for i in range(0, len(ids), _CHUNK):
        _sync(conn, ids[i:i + _CHUNK])


# what `_sync` reads for a chunk of ids, and writes (the writes through `store.run_many`: the driver's executemany,
# without SQLAlchemy's work for every row, since a batch of the writer changes hundreds of cells)
_IDS = sa.bindparam("ids", expanding=True)
_ROLLUP_COLUMNS = tuple(c.name for c in rollup_events.c)
_HELD = sa.select(rollup_events).where(rollup_events.c.event_id.in_(_IDS))
_STATE = sa.select(*_state_columns()).where(events.c.id.in_(_IDS))
_STATE_COLUMNS = tuple(c.name for c in _STATE.selected_columns)
_NAMED = sa.select(event_reasons.c.event_id, event_reasons.c.reason).where(event_reasons.c.event_id.in_(_IDS))
_UNHELD = rollup_events.delete().where(rollup_events.c.event_id == sa.bindparam("eid"))
_HOLD = rollup_events.insert().values(binds(*_ROLLUP_COLUMNS))


def _sync(conn: Connection, ids: list[int]) -> None:
    old = {r[0]: dict(zip(_ROLLUP_COLUMNS, r, strict=True)) for r in conn.execute(_HELD, {"ids": ids})}
    new = {r[0]: {**dict(zip(_STATE_COLUMNS, r, strict=True)), "reasons": "", "n_reasons": 0}
           for r in conn.execute(_STATE, {"ids": ids})}
    named: dict[int, list[str]] = {}
    for eid, reason in conn.execute(_NAMED, {"ids": ids}):
        named.setdefault(eid, []).append(reason)
    for eid, rs in named.items():
        if eid in new:
            new[eid]["reasons"], new[eid]["n_reasons"] = ",".join(sorted(rs)), len(rs)
    changed = [eid for eid in ids if old.get(eid) != new.get(eid)]
    if not changed:
        return
    cells: dict[tuple[Any, ...], list[float]] = {}
    reasons: dict[tuple[Any, ...], int] = {}
    for eid in changed:
        if eid in old:
            _add(old[eid], -1, cells, reasons)
        if eid in new:
            _add(new[eid], 1, cells, reasons)
    upsert_cells, upsert_reasons = _upserts(conn.dialect.name)
    rows = [{**dict(zip(_MAP_KEY, k, strict=True)), **dict(zip(_MAP_SUMS, d, strict=True))}
            for k, d in cells.items() if any(d)]
    run_many(conn, upsert_cells, rows)
    emptied = [{f"k_{k}": row[k] for k in _MAP_KEY} for row in rows if row["events"] < 0]
    run_many(conn, _EMPTY_CELL, emptied)  # only a cell that lost events can be left with none
    rrows = [{"reason": r, "status": s, "corrected": c, "events": n} for (r, s, c), n in reasons.items() if n]
    run_many(conn, upsert_reasons, rrows)
    if any(n < 0 for n in reasons.values()):
        conn.execute(_EMPTY_REASON)
    run_many(conn, _UNHELD, [{"eid": eid} for eid in changed if eid in old])
    run_many(conn, _HOLD, [new[eid] for eid in changed if eid in new])


def rebuild(conn: Connection) -> None:
    """The three rollups computed again from the events table and event_reasons."""
    for t in (map_rollup, reason_rollup, rollup_events):
        conn.execute(t.delete())
    cols = [*_state_columns(), sa.literal("").label("reasons"), sa.literal(0).label("n_reasons")]
    conn.execute(rollup_events.insert().from_select([c.name for c in cols], sa.select(*cols)))
    # each flagged event's reasons, as `_sync` writes them (sorted, comma-joined)
    named: dict[int, list[str]] = {}
    for eid, reason in conn.execute(sa.select(event_reasons.c.event_id, event_reasons.c.reason)):
        named.setdefault(eid, []).append(reason)
    update = rollup_events.update().where(rollup_events.c.event_id == sa.bindparam("eid")).values(
        reasons=sa.bindparam("rs"), n_reasons=sa.bindparam("n"))
    rows = [{"eid": eid, "rs": ",".join(sorted(rs)), "n": len(rs)} for eid, rs in named.items()]
    for i in range(0, len(rows), 10_000):
        conn.execute(update, rows[i:i + 10_000])
    r = rollup_events.c
    for z in CELL_ZOOMS:
        on_map = r[f"cell{z}"] != NO_CELL
        sums = [sa.func.count().label("events"), sa.func.sum(r.fatalities).label("fatalities"),
                sa.func.coalesce(sa.func.sum(sa.case((on_map, r.lon), else_=0.0)), 0.0).label("sum_lon"),
                sa.func.coalesce(sa.func.sum(sa.case((on_map, r.lat), else_=0.0)), 0.0).label("sum_lat")]
        for monthly in (False, True):
            period = sa.func.substr(r.date, 1, 7) if monthly else sa.literal(ALL)
            key = [r[f"cell{z}"].label("cell"), r.event_type, r.admin1, r.status, r.corrected, r.low]
            q = sa.select(sa.literal(z).label("zoom"), period.label("period"), *key, *sums)
            # grouped in the primary key's order (period first), so that the rows are inserted in that order
            q = q.where(r.date.is_not(None)).group_by(period, *key) if monthly else q.group_by(*key)
            conn.execute(map_rollup.insert().from_select([*_MAP_KEY, *_MAP_SUMS], q))
    er = event_reasons.c
    named_q = (sa.select(er.reason, r.status, r.corrected, sa.func.count())
               .select_from(rollup_events.join(event_reasons, er.event_id == r.event_id))
               .group_by(er.reason, r.status, r.corrected))
    any_q = (sa.select(sa.literal(ANY_REASON), r.status, r.corrected, sa.func.count()).where(r.n_reasons > 0)
             .group_by(r.status, r.corrected))
    for q in (named_q, any_q):
        conn.execute(reason_rollup.insert().from_select(["reason", "status", "corrected", "events"], q))


def month_range(since: str | None, until: str | None) -> tuple[tuple[dt.date | None, dt.date | None] | None,
                                                              list[tuple[str, str]]]:
    """How a day range [since, until] splits into whole months (read from the rollups: the first day of the
    first, the last day of the last, None for open) and the days around them (read from the events). None for
    the months when there are no whole months in it."""
    s = dt.date.fromisoformat(since) if since else None
    u = dt.date.fromisoformat(until) if until else None
    if s and u and s > u:
        return None, []
    lo = None if s is None else s if s.day == 1 else _next_month(s)
    hi = None if u is None else u if u == dt.date.max or (u + dt.timedelta(days=1)).day == 1 else _month_before(u)
    if s and not lo or u and not hi or lo and hi and lo > hi:  # (no whole month after s, or before u)
        return None, [(since or dt.date.min.isoformat(), until or dt.date.max.isoformat())]
    days = []
    if s and lo and s < lo:
        days.append((s.isoformat(), (lo - dt.timedelta(days=1)).isoformat()))
    if u and hi and u > hi:
        days.append(((hi + dt.timedelta(days=1)).isoformat(), u.isoformat()))
    return (lo, hi), days


def _next_month(day: dt.date) -> dt.date | None:
    """The first day of the month after day's (None after December 9999, the last month a date can be in)."""
    if (day.year, day.month) == (dt.MAXYEAR, 12):
        return None
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _month_before(day: dt.date) -> dt.date | None:
    """The last day of the month before day's (None before January of year 1)."""
    if (day.year, day.month) == (dt.MINYEAR, 1):
        return None
    return day.replace(day=1) - dt.timedelta(days=1)
