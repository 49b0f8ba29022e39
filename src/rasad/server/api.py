"""The REST API under /api/v1: events, the map, the timeline, documents, statistics, exports, the
gazetteer, boundaries, facets, sessions and the analysts' writes.

Every list endpoint takes the same filters (`Filters`) and reads the indexed columns of the events
table only; a record's JSON is parsed only for the rows a page shows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import json
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy.sql.util import ClauseAdapter

from rasad.database import review
from rasad.database.boundaries import LEVELS, outlines
from rasad.database.export import acled_csv_chunks, geojson_chunks
from rasad.database.queue import REASONS
from rasad.database.rollups import ALL, ANY_REASON, LOW_CAP, NO_CELL, month_range
from rasad.database.store import (
    CELL_ZOOMS,
    Store,
    cell_size,
    documents,
    effective,
    event_reasons,
    event_search,
    events,
    map_rollup,
    not_rejected,
    query_words,
    reason_rollup,
    reports,
    rollup_events,
    statistics,
)
from rasad.gazetteer import ADMIN1, admin1_name
from rasad.lang.lexicon import actors as lexicon_actors
from rasad.server.auth import (
    CSRF_HEADER,
    SESSION_COOKIE,
    Session,
    Sessions,
    csrf_ok,
    user_for_token,
)

router = APIRouter(prefix="/api/v1")

SORTS = {"date": [events.c.date.asc(), events.c.id.asc()], "-date": [events.c.date.desc(), events.c.id.desc()],
         "fatalities": [events.c.fatalities_low.asc(), events.c.id.asc()],
         "-fatalities": [events.c.fatalities_low.desc(), events.c.id.desc()], "id": [events.c.id.asc()],
         # the review queue: the events with the most reasons for a look first (rollup_events holds how many,
         # and the event's date, in an index of that order)
         "-reasons": [rollup_events.c.n_reasons.desc(), rollup_events.c.date.desc(), rollup_events.c.event_id.desc()]}
MAX_PER_PAGE = 500
MAX_ID = 2**63 - 1  # the largest id or count a database column holds: anything above is a 422, not a 500
MAX_OFFSET = 2**53  # the deepest offset of a page (page × per_page stays within a 64-bit column)
EventId = Annotated[int, Path(ge=1, le=MAX_ID, description="An event's id")]
TOTAL_CAP = 10_000  # a `q=` search counts its matches up to this, then says "total_exact": false


def store_of(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


StoreDep = Annotated[Store, Depends(store_of)]


def _day(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPException(422, f"{name}: expected YYYY-MM-DD, got {value!r}") from None


def search_mode_of(request: Request) -> str:
    return store_of(request).search_mode


# the example is the governorate table's own Arabic name
_ADMIN1_HELP = f"Governorate, any spelling (Homs, {ADMIN1['Homs'][0]}, Hims)"
_Q_HELP = ("Words in the place, actors, notes or report titles; each word also matches as the start of a word, "
           "and without its proclitics")


MAX_BOX_CELLS = 1024  # the most grid cells a bbox= is looked up by (`Filters.where`, `rollup_plan`)
Rect = tuple[int, int, int, int]  # grid columns and rows, first and last: (x0, y0, x1, y1)


@functools.lru_cache(maxsize=256)
def box_grid(box: tuple[float, float, float, float], zoom: int) -> tuple[Rect, Rect | None]:
    """The grid cells at a zoom that a box (minlon, minlat, maxlon, maxlat) touches, and those wholly inside
    it (None when none is), as ranges of columns and rows (`grid_cell`). The box is clamped to the world."""
    size = cell_size(zoom)
    x0, x1 = (min(180.0, max(-180.0, v)) + 180 for v in (box[0], box[2]))
    y0, y1 = (min(90.0, max(-90.0, v)) + 90 for v in (box[1], box[3]))
    touched = (math.floor(x0 / size), math.floor(y0 / size), math.floor(x1 / size), math.floor(y1 / size))
    # a cell is inside when its west edge is at or east of minlon and its east edge at or west of maxlon (so too
    # for rows): the points of its own east edge belong to the next cell
    inner = (math.ceil(x0 / size), math.ceil(y0 / size), math.floor(x1 / size) - 1, math.floor(y1 / size) - 1)
    return touched, inner if inner[0] <= inner[2] and inner[1] <= inner[3] else None


def _area(r: Rect) -> int:
    return (r[2] - r[0] + 1) * (r[3] - r[1] + 1)


def cells_of(r: Rect, zoom: int, leave: Rect | None = None) -> list[int]:
    """The cells (`grid_cell` integers) of a range of columns and rows, but those of `leave` (a range inside
    it): in time of the cells returned, however large `leave`."""
    out = []
    for x in range(r[0], r[2] + 1):
        if leave is not None and leave[0] <= x <= leave[2]:  # a column through `leave`: the rows above and below
            rows = itertools.chain(range(r[1], leave[1]), range(leave[3] + 1, r[3] + 1))
        else:
            rows = range(r[1], r[3] + 1)
        out += [x << (zoom + 3) | y for y in rows]
    return out


@dataclass
class Filters:
    """The filters every list endpoint and both exports take, as query parameters (FastAPI reads this class's
    fields as the endpoint's parameters), and the SQL condition they make (`where`)."""

    since: Annotated[str | None, Query(description="Events on or after this day (YYYY-MM-DD)")] = None
    until: Annotated[str | None, Query(description="Events on or before this day (YYYY-MM-DD)")] = None
    admin1: Annotated[str | None, Query(description=_ADMIN1_HELP)] = None
    admin2: Annotated[str | None, Query(description="District (as in /facets)")] = None
    actor: Annotated[str | None, Query(description="actor1 or actor2, canonical name")] = None
    event_type: Annotated[str | None, Query(description="ACLED event type")] = None
    min_fatalities: Annotated[int | None, Query(ge=0, le=MAX_ID, description="At least this many killed (low figure)")] = None
    q: Annotated[str | None, Query(description=_Q_HELP)] = None
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat")] = None
    status: Annotated[str | None, Query(description="all | confirmed | rejected | unreviewed | corrected "
                                                    "(default: all but rejected)")] = None
    reason: Annotated[str | None, Query(description="Events that need a look for this reason (see "
                                                    "/review/reasons), or `any` for any reason")] = None
    # Store.search_mode: fts5 | tsvector | like; from the server's store, not from the query
    search_mode: Annotated[str, Depends(search_mode_of)] = "like"

    def where(self, exports: bool = False, dense: bool = False, cells: int | None = None) -> Any:
        """The SQL condition; rejected events are left out unless status=all or status=rejected (never in exports).
        dense: q= matches most events, so the search must not be the way in (see `_search`). cells: the zoom
        whose stored cells a bbox is looked up by (the map's: its covering index then holds the cell it groups
        by), if they stay few; 0 for none."""
        c = events.c
        conds: list[Any] = []
        since, until = _day(self.since, "since"), _day(self.until, "until")
        if since:
            conds.append(c.date >= since)
        if until:
            conds.append(c.date <= until)
        if self.admin1:
            name = admin1_name(self.admin1)
            if name is None:
                raise HTTPException(422, f"admin1: {self.admin1!r} is not a Syrian governorate")
            conds.append(c.admin1 == name)
        if self.admin2:
            conds.append(c.admin2 == self.admin2)
        if self.actor:
            conds.append(sa.or_(c.actor1 == self.actor, c.actor2 == self.actor))
        if self.event_type:
            conds.append(c.event_type == self.event_type)
        if self.min_fatalities is not None:
            conds.append(c.fatalities_low >= self.min_fatalities)
        if self.q and self.q.strip():
            conds.append(self._search(dense))
        box = self.box()
        if box is not None:
            x0, y0, x1, y1 = box
            conds += [c.lon.between(x0, x1), c.lat.between(y0, y1)]
            # the grid cells the box touches at the finest stored zoom that keeps them few: an index range
            # of ix_events_cellZ each, where a box otherwise reads every event's lon and lat
            z = None if cells == 0 else next((z for z in ([cells] if cells else reversed(CELL_ZOOMS))
                                               if _area(box_grid(box, z)[0]) <= MAX_BOX_CELLS), None)
            if z is not None:
                conds.append(c[f"cell{z}"].in_(cells_of(box_grid(box, z)[0], z)))
        if self.reason:
            if self.reason != "any" and self.reason not in REASONS:
                raise HTTPException(422, f"reason: any, or one of {', '.join(REASONS)}")
            flagged = sa.select(event_reasons.c.event_id)
            if self.reason != "any":
                flagged = flagged.where(event_reasons.c.reason == self.reason)
            conds.append(c.id.in_(flagged))
        status = self.status or "default"
        if status not in ("default", "all", "confirmed", "rejected", "unreviewed", "corrected"):
            raise HTTPException(422, "status: one of all, confirmed, rejected, unreviewed, corrected")
        if exports or status == "default":
            conds.append(not_rejected())
        if status in ("confirmed", "rejected"):
            conds.append(c.status == status)
        elif status == "unreviewed":
            conds += [c.status.is_(None), c.overrides.is_(None)]
        elif status == "corrected":
            conds.append(c.overrides.is_not(None))
        return sa.and_(*conds) if conds else sa.true()

    def box(self) -> tuple[float, float, float, float] | None:
        """bbox as (minlon, minlat, maxlon, maxlat); 422 when it is not one."""
        if not self.bbox:
            return None
        try:
            x0, y0, x1, y1 = (float(v) for v in self.bbox.split(","))
        except ValueError:
            raise HTTPException(422, "bbox: expected minlon,minlat,maxlon,maxlat") from None
        if x0 > x1 or y0 > y1:
            raise HTTPException(422, "bbox: min must not exceed max (minlon,minlat,maxlon,maxlat)")
        return x0, y0, x1, y1

    def _search(self, dense: bool = False) -> Any:
        """Events whose search text has, for every word of q, a word that starts with it (a bare form
        counts: "الرقه" finds "بالرقه"). The words are letters and digits only, so quotes, `*`, `-` or
        `OR` in q are never query syntax."""
        words = query_words(self.q)
        if not words:  # punctuation only: nothing can match
            return sa.false()
        return (events.c.id + 0 if dense else events.c.id).in_(self.matching(words))

    def q_alone(self) -> bool:
        """Whether q is the only filter (besides status=all)."""
        return (self.status in (None, "all")
                and dataclasses.replace(self, q=None, status=None) == Filters(search_mode=self.search_mode))

    def matching(self, words: list[str], whole: bool = False) -> Any:
        """The ids of the events whose search text has every word (as the start of a word of it, or, with
        whole, as a word), from the word index."""
        ids: Any
        if self.search_mode == "fts5":
            match = " ".join(f'"{w}"' if whole else f'"{w}"*' for w in words)  # AND of (prefix) phrases
            ids = (sa.select(sa.literal_column("rowid")).select_from(sa.table("event_fts"))
                   .where(sa.text("event_fts MATCH :fts_query").bindparams(fts_query=match)))
        elif self.search_mode == "tsvector":
            tsv = sa.func.to_tsvector(sa.literal_column("'simple'::regconfig"), event_search.c.text)
            ids = sa.select(event_search.c.event_id).where(tsv.op("@@")(tsquery(words, whole)))
        else:  # no FTS5 in this SQLite: a scan of the search text, by substring
            ids = sa.select(event_search.c.event_id).where(
                *(event_search.c.text.contains(w, autoescape=True) for w in words))
        return ids


FiltersDep = Annotated[Filters, Depends()]


def tsquery(words: list[str], whole: bool = False) -> Any:
    """PostgreSQL's query of every word (as the start of a word, or with whole, as a word)."""
    return sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"),
                              " & ".join(w if whole else f"{w}:*" for w in words))


# migration 0013 (PostgreSQL): each row of event_search's words as a tsvector, kept by a trigger; not in
# store.metadata, like SQLite's event_fts
event_words = sa.table("event_words", sa.column("event_id", sa.BigInteger), sa.column("tsv"))


def status_conds(status: str | None, t: sa.Table) -> list[Any]:
    """The status= filter (`Filters.where`) on a rollup table's status and corrected columns."""
    if status in (None, "", "default"):
        return [t.c.status != "rejected"]
    if status in ("confirmed", "rejected"):
        return [t.c.status == status]
    if status == "unreviewed":
        return [t.c.status == "", t.c.corrected == 0]
    return [t.c.corrected == 1] if status == "corrected" else []


@dataclass
class RollupPlan:
    """How a filter is answered from map_rollup: its rows at `zoom` matching `where`, and the events matching
    one of `rest` (the filter's events of the days of a month the range holds only in part, or of the cells on
    the edge of bbox), which the rollup rows do not hold. Each event is in exactly one of the parts."""

    zoom: int
    where: Any
    rest: list[Any]


def rollup_plan(f: Filters, zoom: int | None = None) -> RollupPlan | None:
    """The plan for the events matching f, for a count (zoom None) or the map's grid at a zoom; None when f
    holds a filter the rollups do not (district, actor, more than LOW_CAP killed, words, a reason), or the zoom
    is above the finest stored one."""
    if (f.admin2 or f.actor or (f.min_fatalities is not None and f.min_fatalities > LOW_CAP)
            or (f.q and f.q.strip()) or f.reason):
        return None
    m, c = map_rollup.c, events.c
    conds = [*status_conds(f.status, map_rollup)]
    if f.min_fatalities is not None:
        conds.append(m.low >= f.min_fatalities)
    if f.admin1:
        conds.append(m.admin1 == admin1_name(f.admin1))
    if f.event_type:
        conds.append(m.event_type == f.event_type)
    since, until = _day(f.since, "since"), _day(f.until, "until")
    months, days = month_range(since, until)
    box = f.box()
    rest: list[Any] = [c.date.between(lo, hi) for lo, hi in days]
    whole: list[Any] = []  # the days of the whole months
    if not (since or until):
        conds.append(m.period == ALL)
    elif months is None:
        conds.append(sa.false())
    else:
        lo, hi = months
        conds.append(m.period != ALL)
        if lo:
            conds.append(m.period >= lo.isoformat()[:7])
            whole.append(c.date >= lo.isoformat())
        if hi:
            conds.append(m.period <= hi.isoformat()[:7])
            whole.append(c.date <= hi.isoformat())
    # the stored zoom: a map's next at or above its own (a count: any); in a box, the finest whose cells in
    # it stay few (the fewest events on the edge, read from the events)
    finer = [z for z in CELL_ZOOMS if zoom is None or z >= zoom]
    z = (finer[0] if finer else None) if box is None else next(
        (z for z in reversed(finer) if _area(box_grid(box, z)[0]) <= MAX_BOX_CELLS), finer[0] if finer else None)
    if z is None:
        return None
    conds.append(m.zoom == z)
    if box is not None:
        touched, inner = box_grid(box, z)
        if _area(touched) - (_area(inner) if inner else 0) > 4 * MAX_BOX_CELLS:
            return None  # too many cells on the edge to look up
        if inner is None:
            conds.append(sa.false())
        else:  # the cells inside, as one index range of whole columns and the rows wanted of each
            bits = z + 3
            conds += [m.cell.between(inner[0] << bits | inner[1], inner[2] << bits | inner[3]),
                      m.cell.op("&")((1 << bits) - 1).between(inner[1], inner[3])]
        if months is not None or not (since or until):
            rest.append(sa.and_(c[f"cell{z}"].in_(cells_of(touched, z, leave=inner)), *whole))
        if _area(touched) <= MAX_BOX_CELLS:  # the days of part months: the box's cells, looked up
            rest[:len(days)] = [sa.and_(part, c[f"cell{z}"].in_(cells_of(touched, z))) for part in rest[:len(days)]]
    elif zoom is not None:
        conds.append(m.cell != NO_CELL)
    # each part carries its own lookup by cell: one on the same column as well misleads PostgreSQL's planner
    base = f.where(cells=0)
    return RollupPlan(z, sa.and_(*conds), [sa.and_(base, part) for part in rest])


def count_of(conn: Any, f: Filters, where: Any) -> tuple[int, bool]:
    """How many events match (where is f's condition): (count, exact). From the rollups when they hold the
    filter; else counted up to TOTAL_CAP, and (TOTAL_CAP, False) above it, where an exact count would read
    every match."""
    plan = rollup_plan(f)
    if plan is not None:
        return count_of_plan(conn, plan), True
    if f.reason and dataclasses.replace(f, reason=None, status=None) == Filters(search_mode=f.search_mode):
        n = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(reason_rollup.c.events), 0)).where(
            reason_rollup.c.reason == f.reason, *status_conds(f.status, reason_rollup))).scalar_one()
        return int(n), True
    n = conn.execute(sa.select(sa.func.count()).select_from(
        sa.select(sa.literal(1)).where(where).limit(TOTAL_CAP + 1).subquery())).scalar_one()
    return (n, True) if n <= TOTAL_CAP else (TOTAL_CAP, False)


def compact(row: Any) -> dict[str, Any]:
    rec = effective(json.loads(row.record), json.loads(row.overrides) if row.overrides else None)
    return {"id": row.id, "date": rec.get("date"), "date_precision": rec.get("date_precision"),
            "event_type": rec.get("event_type"), "sub_event_type": rec.get("sub_event_type"),
            "actor1": rec.get("actor1"), "actor2": rec.get("actor2"), "location": rec.get("location"),
            "place_name_en": rec.get("place_name_en"), "place_name_ar": rec.get("place_name_ar"),
            "admin1": rec.get("admin1"), "admin2": rec.get("admin2"),
            "admin2_ar": None if "admin2" in rec["corrected_fields"] else rec.get("admin2_ar"),
            "lat": rec.get("lat"), "lon": rec.get("lon"), "geo_precision": rec.get("geo_precision"),
            "fatalities": rec.get("fatalities"), "wounded": rec.get("wounded"), "sources": rec.get("sources") or [],
            "report_count": rec.get("report_count") or 0, "status": row.status,
            "corrected_fields": rec["corrected_fields"]}


@router.get("/events", summary="Events matching the filters, a page at a time")
def list_events(store: StoreDep, f: FiltersDep,
                page: Annotated[int, Query(ge=1, le=MAX_OFFSET // MAX_PER_PAGE)] = 1,
                per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
                limit: Annotated[int | None, Query(ge=1, le=MAX_PER_PAGE, description="instead of per_page")] = None,
                offset: Annotated[int | None, Query(ge=0, le=MAX_OFFSET, description="instead of page")] = None,
                sort: Annotated[Literal["date", "-date", "fatalities", "-fatalities", "id", "-reasons"],
                                Query(description="-reasons: the most reasons for a look first")] = "-date",
                ) -> dict[str, Any]:
    where = f.where()
    size = limit or per_page
    start = offset if offset is not None else (page - 1) * size
    with store.engine.connect() as conn:
        common = _common_word_page(conn, f, sort, size, start) if f.q and f.q.strip() else None
        gathered = _gathered_page(conn, f, sort, size, start) if common is None else None
        if common is not None:
            ids, total, exact = common, TOTAL_CAP, False
        elif gathered is not None and gathered[0] is not None:
            ids, total, exact = gathered[0], gathered[1], True
        else:  # (more than TOTAL_CAP gathered: the plain page)
            total, exact = count_of(conn, f, where) if gathered is None else (TOTAL_CAP, False)
            ids = [r for (r,) in conn.execute(_page_query(f, sort, size, start, total, exact))]
        rows = conn.execute(sa.select(events.c.id, events.c.record, events.c.overrides, events.c.status)
                            .where(events.c.id.in_(ids))).all() if ids else []
        why = reasons_of(conn, ids)
    order = {r: i for i, r in enumerate(ids)}
    rows = sorted(rows, key=lambda r: order[r.id])
    return {"total": total, "total_exact": exact, "page": start // size + 1, "per_page": size, "offset": start,
            "events": [{**compact(r), "reasons": why.get(r.id, [])} for r in rows]}


FEW = 5000  # matches few enough to be gathered and sorted for a page (`_page_query`)


def _page_query(f: Filters, sort: str, size: int, start: int, total: int, exact: bool) -> Any:
    """The ids of a page of the events matching f, given how many there are.

    - The review queue (sort=-reasons) walks rollup_events in its order (an index) and asks each event it meets
      whether it matches, instead of gathering every match to sort them.
    - A bbox: few matches are looked up by their grid cells and sorted; many are found walking the sort's
      index (one in a few entries matches), where gathering them would read and sort them all.
    - A q= search with more than TOTAL_CAP matches is found walking the date index (`Filters._search`); with
      fewer, on PostgreSQL and q alone, `_gathered_page` gives the page."""
    if sort == "-reasons":
        r = rollup_events.c
        flagged = [] if not f.reason else [r.n_reasons > 0] if f.reason == ANY_REASON else [sa.exists().where(
            event_reasons.c.event_id == r.event_id, event_reasons.c.reason == f.reason)]
        if dataclasses.replace(f, reason=None, status=None) == Filters(search_mode=f.search_mode):
            f.where()  # (a status or reason it does not know is a 422)
            matches = sa.and_(*status_conds(f.status, rollup_events))  # rollup_events holds each event's status
        else:  # correlated: the planner cannot turn it into a scan of events first
            matches = sa.exists().where(events.c.id == r.event_id, dataclasses.replace(f, reason=None).where())
        return (sa.select(r.event_id).where(*flagged, matches).order_by(*SORTS[sort]).limit(size).offset(start))
    dense = not exact and bool(f.q and f.q.strip()) and sort in ("date", "-date") and f.search_mode == "fts5"
    where = f.where(dense=dense, cells=None if f.bbox is None or (exact and total <= FEW) else 0)
    return sa.select(events.c.id).where(where).order_by(*SORTS[sort]).limit(size).offset(start)


def _gathered_page(conn: Any, f: Filters, sort: str, size: int, start: int) -> tuple[list[int] | None, int] | None:
    """PostgreSQL, q alone (besides status=all), sorted by a column of events: the page and the exact total of
    the matches, in one query, when there are at most TOTAL_CAP; (None, TOTAL_CAP + 1) when there are more
    (the page is then the plain query's); None (the plain way) in another case.

    The first TOTAL_CAP + 1 matches (and as many more as there are rejected events) are gathered as an array
    from the word index or event_words (`_word_ids`), their events looked up by their keys, and both the
    count and the page taken from them; counted first in the index alone when the planner expects more (to
    look up 10,001 events and find them too many took 55 ms at a million, to count them 18). A join of the
    matches with events was planned as a hash join that read every event, once to count and again for the
    page: at 100,000 events, 25 and 61 ms for q=السخنة (4,923 matches), where this takes 20 in all. Asked for
    a page without gathering, PostgreSQL walks the sort's index and parses each event's text when its
    statistics expect matches soon: 27 s through a million events for a prefix that matches none."""
    if f.search_mode != "tsvector" or sort not in SORTS or sort == "-reasons" or not f.q_alone():
        return None
    words = query_words(f.q)
    if not words:
        return None
    cap = TOTAL_CAP + _rejected(conn, f) + 1  # matches that hold more than TOTAL_CAP not rejected, if there are
    planned = _planned_rows(conn, _in_words(words, whole=False))
    if planned > cap and _word_count(conn, f, words, cap, whole=False, planned=planned) >= cap:
        return None, TOTAL_CAP + 1  # more than TOTAL_CAP, counted in the index alone
    found = sa.func.array(_word_ids(conn, f, words, cap, whole=False, planned=planned).limit(cap).scalar_subquery())
    matches = (sa.select(events.c.id, events.c.date, events.c.fatalities_low)
               .where(events.c.id == sa.any_(found), dataclasses.replace(f, q=None).where())
               .cte("matches").prefix_with("MATERIALIZED"))
    on = ClauseAdapter(matches).traverse  # the sort's columns of events, as columns of `matches`
    page = conn.execute(sa.select(matches.c.id, sa.func.count().over()).order_by(*(on(k) for k in SORTS[sort]))
                        .limit(size).offset(start)).all()
    total = page[0][1] if page else 0 if not start else conn.execute(
        sa.select(sa.func.count()).select_from(matches)).scalar_one()
    return ([eid for eid, _n in page], total) if total <= TOTAL_CAP else (None, total)


def _rejected(conn: Any, f: Filters) -> int:
    """How many events a search leaves out as rejected: all of the rejected, or none with status=all."""
    return 0 if f.status == "all" else int(conn.execute(sa.select(sa.func.coalesce(sa.func.sum(
        map_rollup.c.events), 0)).where(map_rollup.c.zoom == CELL_ZOOMS[0], map_rollup.c.period == ALL,
                                         map_rollup.c.status == "rejected")).scalar_one())


COMMON_WALK = 12_000  # events read in date order at most for a page of a common word (`_common_word_page`)
PROBE_WALK = 200  # events read before a prefix's matches are proved to be many (`_common_word_page`)


IN_ORDER = 0.45  # reading event_words in order beats the GIN index above this (`_word_ids`)


def _word_count(conn: Any, f: Filters, words: list[str], limit: int, whole: bool, planned: float | None = None) -> int:
    """How many events' search texts have the words (`Filters.matching`), counted up to limit (`_word_ids`)."""
    ids = _word_ids(conn, f, words, limit, whole, planned)
    return int(conn.execute(sa.select(sa.func.count()).select_from(ids.limit(limit).subquery())).scalar_one())


def _word_ids(conn: Any, f: Filters, words: list[str], limit: int, whole: bool, planned: float | None = None) -> Any:
    """The ids of the events whose search texts have the words (`Filters.matching`), the first limit of them
    wanted: from the word index, or on PostgreSQL reading event_words in order (migration 0013) when that finds
    limit of them sooner. The GIN index reads every match before giving the first (about 0.56 µs a match at a
    million events; 280 ms for a word in every one of them, where reading in order takes 3 ms), and reading in
    order meets limit matches after about limit × rows / matches rows (0.25 µs each: 50 ms where the index
    takes 28 for a word in 5% of a million). So in order when matches² > IN_ORDER × limit × rows, with matches
    and rows the planner's (its statistics: nothing is run). A threshold on the matches alone (over 15 × limit,
    until December 2026) never read in order below 150,000 events: at 100,000, a word in every event was read
    from the index, or parsed in each event's text, in 161 ms (3 ms in order). `planned`: the planner's
    matches, when the caller asked it already."""
    if f.search_mode == "tsvector":
        in_order = _in_words(words, whole)
        matches = _planned_rows(conn, in_order) if planned is None else planned
        rows = conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE oid = 'event_words'::regclass").scalar_one()
        if matches * matches > IN_ORDER * limit * max(float(rows), matches):  # (-1: never analysed)
            return in_order
    return f.matching(words, whole)


def _in_words(words: list[str], whole: bool) -> Any:
    """PostgreSQL: the ids of the events whose event_words have the words (`tsquery`), read in order."""
    return sa.select(event_words.c.event_id).where(event_words.c.tsv.op("@@")(tsquery(words, whole)))


def _planned_rows(conn: Any, query: Any) -> float:
    """How many rows PostgreSQL's planner expects of a query, from its statistics (nothing is run)."""
    sql = query.compile(conn)
    plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(sql), sql.params).scalar_one()
    return float((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])


def _common_word_page(conn: Any, f: Filters, sort: str, size: int, start: int) -> list[int] | None:
    """The page of a `q=` search with more than TOTAL_CAP matches for certain (its total is "10,000+"), found
    walking the events in date order and matching each one's search text here as the word index matches it
    (each word of q the start of a word of the text). The word index would gather every match of a prefix
    first (FTS5: 190 ms for a word in a million events; a GIN index: 280 ms).

    The proof that there are more than TOTAL_CAP: the events that have the words as whole words (a subset of the
    matches), counted up to the cap (`_word_count`: FTS5 gives whole words one at a time; PostgreSQL reads a
    common word's events in order, a rarer word's from the GIN index). On PostgreSQL, when too few have them
    whole, the matches of the prefixes; and when none has them whole (a word of q is the start of a longer one,
    as q is typed), first the events that have, whole, the word that each word of q most often starts in the
    matches the walk met in its first PROBE_WALK events: these are matches too, and the index counts two words
    in 5% of a million events in 25 ms, where it gathers two prefixes key by key in 52 ms. None (the plain way)
    without a word index, for another sort, with filters other than status=all, without such a proof, or when
    the page is not found in the first COMMON_WALK events."""
    if f.search_mode not in ("fts5", "tsvector") or sort not in ("date", "-date") or not f.q_alone():
        return None
    words = query_words(f.q)
    if not words:
        return None
    enough = TOTAL_CAP + _rejected(conn, f) + 1  # matches of the index (rejected among them) leaving > TOTAL_CAP
    whole = _word_count(conn, f, words, enough, whole=True)
    proven = whole >= enough
    # PostgreSQL, and no event has the words whole (a typed prefix, or no match): proved after PROBE_WALK events
    # (below). Else, on PostgreSQL, the prefixes' matches.
    probe = not proven and not whole and f.search_mode == "tsvector"
    if not proven and not probe:
        if f.search_mode == "fts5" or _word_count(conn, f, words, enough, whole=False) < enough:
            return None
        proven = True
    # the text as a correlated subquery, and the rows streamed: PostgreSQL then walks the date index too,
    # where a join asked for thousands of rows would join and sort every event
    text = sa.select(event_search.c.text).where(event_search.c.event_id == events.c.id).scalar_subquery()
    walk = (sa.select(events.c.id, text).where(dataclasses.replace(f, q=None).where()).order_by(*SORTS[sort])
            .limit(COMMON_WALK))
    # each word at the start of a word of the text (not after a letter or digit); the text is lower case already
    starts = [re.compile(r"(?<![^\W_])" + re.escape(w) + r"[^\W_]*") for w in words]
    found: list[int] = []
    met = [Counter[str]() for _ in words]  # the words of the matches' texts that each word of q starts
    rows = conn.execute(walk, execution_options={"stream_results": True, "yield_per": PROBE_WALK})
    for n, (eid, txt) in enumerate(rows, 1):
        if txt is not None and all(p.search(txt) for p in starts):
            found.append(eid)
            if not proven:
                for seen, p in zip(met, starts, strict=True):
                    seen.update(p.findall(txt))
        full = len(found) == start + size
        if not proven and (full or n == PROBE_WALK):
            commonest = [seen.most_common(1)[0][0] for seen in met] if found else []
            proven = ((bool(commonest) and _word_count(conn, f, commonest, enough, whole=True) >= enough)
                      or _word_count(conn, f, words, enough, whole=False) >= enough)
            if not proven:
                return None
        if full:
            return found[start:]
    return None  # not found in the first COMMON_WALK events


def reasons_of(conn: Any, ids: list[int]) -> dict[int, list[str]]:
    """The reasons for a look of these events, in REASONS order."""
    out: dict[int, list[str]] = {}
    if ids:
        for eid, reason in conn.execute(sa.select(event_reasons.c.event_id, event_reasons.c.reason)
                                        .where(event_reasons.c.event_id.in_(ids))):
            out.setdefault(eid, []).append(reason)
    rank = {r: i for i, r in enumerate(REASONS)}
    return {eid: sorted(rs, key=lambda r: rank.get(r, len(rank))) for eid, rs in out.items()}


@router.get("/review/reasons", summary="The review queue's reasons, with how many of the matching events have each")
def review_reasons(store: StoreDep, f: FiltersDep) -> dict[str, Any]:
    """For the events matching the filters (reason= left aside): how many need a look (`total`), and how
    many for each reason, every reason listed (0 when none), in the explorer's order."""
    where = dataclasses.replace(f, reason=None).where()
    if dataclasses.replace(f, reason=None, status=None) == Filters(search_mode=f.search_mode):
        # no filter but the status: reason_rollup holds the counts
        with store.engine.connect() as conn:
            counts = dict(conn.execute(sa.select(reason_rollup.c.reason, sa.func.sum(reason_rollup.c.events))
                                       .where(*status_conds(f.status, reason_rollup))
                                       .group_by(reason_rollup.c.reason)).all())
        return {"total": int(counts.get(ANY_REASON, 0)),
                "reasons": [{"reason": r, "count": int(counts.get(r, 0))} for r in REASONS]}
    with store.engine.connect() as conn:
        counts = dict(conn.execute(sa.select(event_reasons.c.reason, sa.func.count())
                                   .select_from(event_reasons.join(events, events.c.id == event_reasons.c.event_id))
                                   .where(where).group_by(event_reasons.c.reason)).all())
        total = conn.execute(sa.select(sa.func.count()).select_from(events).where(
            where, events.c.id.in_(sa.select(event_reasons.c.event_id)))).scalar_one()
    return {"total": total, "reasons": [{"reason": r, "count": counts.get(r, 0)} for r in REASONS]}


MAP_LIMIT = 2000  # points at most before /map aggregates (`rasad serve --map-limit`)
MAX_MAP_LIMIT = 20_000  # a 4 MB answer; beyond it a browser draws too slowly anyway
DEFAULT_ZOOM = 6.0  # the explorer's view of all of Syria


@router.get("/map", summary="The matching events as points (GeoJSON), or counts on a grid when there are many")
def map_points(request: Request, store: StoreDep, f: FiltersDep,
               zoom: Annotated[float | None, Query(ge=0, le=20, description="The map's zoom: sets the grid's cell "
                                                   "size when aggregated (default 6, all of Syria)")] = None,
               limit: Annotated[int | None, Query(ge=1, le=MAX_MAP_LIMIT, description="Points at most before "
                                                  "aggregating (default: the server's --map-limit)")] = None,
               ) -> Response:
    """Points (id, event_type, fatalities best-or-low, date) when at most `limit` events match. Above it, one
    feature per occupied grid cell with `count`, `fatalities` (sum), the dominant `event_type`, and the
    centroid of the cell's events, and `"aggregated": true` with the `cell_size` in degrees. Both are built
    by the database from the covering indexes: no record is read."""
    c = events.c
    grid = int(DEFAULT_ZOOM if zoom is None else zoom)
    plan = rollup_plan(f, grid)
    # the stored cells the grid is read from, and a bbox looked up by (one covering index holds both): the
    # rollup plan's, else the finest whose cells in the box stay few (the fewest events read outside it)
    finer = [z for z in CELL_ZOOMS if z >= grid]
    box = f.box()
    cells = plan.zoom if plan is not None else next(
        (z for z in reversed(finer) if box is not None and _area(box_grid(box, z)[0]) <= MAX_BOX_CELLS),
        finer[0] if finer else None)
    where = sa.and_(f.where(cells=cells), c.lat.is_not(None), c.lon.is_not(None))
    cap = limit or request.app.state.map_limit
    with store.engine.connect() as conn:
        if plan is not None:  # the grid from the rollups, in a few rows: its total says whether points fit
            cells_of_grid = _grid(conn, where, grid, cap, plan=plan)
            n = cells_of_grid["total"]
            body = json.dumps(cells_of_grid, ensure_ascii=False, separators=(",", ":")) if n > cap else None
        else:  # counting stops at cap + 1: above the limit, how far above does not matter
            n = conn.execute(sa.select(sa.func.count()).select_from(
                sa.select(sa.literal(1)).where(where).limit(cap + 1).subquery())).scalar_one()
            body = _map_cells(conn, where, grid, cap, cells=cells) if n > cap else None
        if body is None:
            body = _map_points(conn, where, n, cap)
    return Response(body, media_type="application/geo+json")


def _map_points(conn: Any, where: Any, n: int, cap: int) -> str:
    c = events.c
    fat = sa.func.coalesce(c.fatalities_best, c.fatalities_low)
    if conn.dialect.name == "postgresql":
        obj, agg = sa.func.json_build_object, sa.func.json_agg
        point = sa.func.json_build_array(c.lon, c.lat)
    else:  # SQLite's JSON1
        obj, agg = sa.func.json_object, sa.func.json_group_array
        point = sa.func.json_array(c.lon, c.lat)
    feature = obj("type", "Feature", "id", c.id, "geometry", obj("type", "Point", "coordinates", point),
                  "properties", obj("id", c.id, "event_type", c.event_type, "fatalities", fat, "date", c.date))
    features = conn.execute(sa.select(sa.func.coalesce(sa.cast(agg(feature), sa.Text), "[]")).where(where)).scalar_one()
    return (f'{{"type":"FeatureCollection","aggregated":false,"total":{n},"limit":{cap},'
            f'"features":{features}}}')


def count_of_plan(conn: Any, plan: RollupPlan) -> int:
    """The events of a rollup plan: its rollup rows' and its other parts'."""
    n = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(map_rollup.c.events), 0)).where(plan.where)).scalar_one()
    for part in plan.rest:
        n += conn.execute(sa.select(sa.func.count()).select_from(events).where(part)).scalar_one()
    return int(n)


def _map_cells(conn: Any, where: Any, zoom: int, cap: int, stored: bool = True, plan: RollupPlan | None = None,
               cells: int | None = None) -> str:
    """The grid (`_grid`) as GeoJSON."""
    return json.dumps(_grid(conn, where, zoom, cap, stored, plan, cells), ensure_ascii=False, separators=(",", ":"))


def _grid(conn: Any, where: Any, zoom: int, cap: int, stored: bool = True, plan: RollupPlan | None = None,
          cells: int | None = None) -> dict[str, Any]:
    """One GROUP BY over (cell, event_type); the few rows per cell are folded here.

    At zoom z, the grid is read from the stored cells of the nearest zoom Z >= z in CELL_ZOOMS (an
    index-ordered GROUP BY on its covering index, no sort), each cell shifted right by Z - z, which gives
    exactly the cells of zoom z (or of `cells`, a finer stored zoom, the one `where` looks a bbox up by); with
    a `plan` (`rollup_plan`), from map_rollup's rows of its zoom and the events of its other parts (which
    stand for `where`). Above the finest stored zoom (or with stored=False), the cells are computed from lon
    and lat. All give the same features."""
    c = events.c
    size = cell_size(zoom)
    fat = sa.func.coalesce(c.fatalities_best, c.fatalities_low)
    sums = (c.event_type, sa.func.count(), sa.func.coalesce(sa.func.sum(fat), 0), sa.func.sum(c.lon),
            sa.func.sum(c.lat))
    finer = [z for z in CELL_ZOOMS if z >= zoom] if stored else []
    rows: Any
    if finer:
        z = plan.zoom if plan is not None else cells if cells in finer else finer[0]
        col = c[f"cell{z}"]
        shift, bits = z - zoom, z + 3
        mask = (1 << bits) - 1
        on_map = [c.lat.is_not(None), c.lon.is_not(None), col.is_not(None)]
        parts: list[Any] = [where] if plan is None else plan.rest
        queries = [sa.select(col, *sums).where(*on_map, part).group_by(col, c.event_type) for part in parts]
        if plan is not None:
            m = map_rollup.c
            queries.append(sa.select(m.cell, sa.func.nullif(m.event_type, ""), sa.func.sum(m.events),
                                     sa.func.sum(m.fatalities), sa.func.sum(m.sum_lon), sa.func.sum(m.sum_lat))
                           .where(plan.where).group_by(m.cell, m.event_type))
        rows = ((cell >> bits >> shift, (cell & mask) >> shift, *rest)
                for q in queries for cell, *rest in conn.execute(q))
    else:
        if conn.dialect.name == "postgresql":
            gx, gy = sa.func.floor((c.lon + 180) / size), sa.func.floor((c.lat + 90) / size)
        else:  # SQLite: CAST truncates, which is floor for the positive values here (no math functions needed)
            gx, gy = sa.cast((c.lon + 180) / size, sa.Integer), sa.cast((c.lat + 90) / size, sa.Integer)
        gx, gy = gx.label("gx"), gy.label("gy")
        rows = conn.execute(sa.select(gx, gy, *sums).where(where).group_by(gx, gy, c.event_type))
    cells: dict[tuple[int, int], list[Any]] = {}
    types: dict[tuple[int, int], dict[str | None, int]] = {}
    for x, y, etype, count, killed, slon, slat in rows:
        key = (int(x), int(y))
        cell = cells.setdefault(key, [0, 0, 0.0, 0.0])
        count = int(count)  # (a sum of a BIGINT column is NUMERIC on PostgreSQL)
        cell[0] += count
        cell[1] += int(killed)
        cell[2] += float(slon)
        cell[3] += float(slat)
        by_type = types.setdefault(key, {})
        by_type[etype] = by_type.get(etype, 0) + count
    features = []
    total = 0
    for (x, y), (count, killed, slon, slat) in sorted(cells.items()):
        total += count
        # the dominant type: the most events, ties to the first name
        etype = min(types[(x, y)].items(), key=lambda kv: (-kv[1], kv[0] or ""))[0]
        west, south = x * size - 180, y * size - 90
        features.append({"type": "Feature", "id": f"cell-{x}-{y}",
                         "geometry": {"type": "Point", "coordinates": [round(slon / count, 5), round(slat / count, 5)]},
                         "properties": {"count": count, "fatalities": killed, "event_type": etype,
                                        "bbox": [round(west, 6), round(south, 6), round(west + size, 6),
                                                 round(south + size, 6)]}})
    return {"type": "FeatureCollection", "aggregated": True, "cell_size": size, "total": total, "limit": cap,
            "features": features}


@router.get("/timeline", summary="Events and fatalities (low figure) per day or week")
def timeline(store: StoreDep, f: FiltersDep, bin: Literal["day", "week"] = "day") -> list[dict[str, Any]]:
    c = events.c
    q = (sa.select(c.date, sa.func.count(), sa.func.coalesce(sa.func.sum(c.fatalities_low), 0))
         .where(f.where(), c.date.is_not(None)).group_by(c.date).order_by(c.date))
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    out: dict[str, list[int]] = {}
    for day, n, k in rows:
        key = day
        if bin == "week":
            d = dt.date.fromisoformat(day)
            key = (d - dt.timedelta(days=d.weekday())).isoformat()  # the Monday
        cell = out.setdefault(key, [0, 0])
        cell[0] += n
        cell[1] += int(k)
    return [{"date": k, "events": v[0], "fatalities": v[1]} for k, v in out.items()]


@router.get("/events/{event_id}", summary="An event with its reports, claims, evidence, merge reasons and audit trail")
def event_detail(event_id: EventId, store: StoreDep) -> dict[str, Any]:
    ev = store.event(event_id)
    if ev is None:
        raise HTTPException(404, f"no event {event_id}")
    known = lexicon_actors()
    for k in ("actor1", "actor2"):  # their names in Arabic, for the explorer (actors.tsv)
        info = known.get(ev.get(k) or "")
        if info is not None and info.name_ar:
            ev[f"{k}_ar"] = info.name_ar
    with store.engine.connect() as conn:
        ev["audit"] = store.audit(conn, event_id)
        ev["reasons"] = reasons_of(conn, [event_id]).get(event_id, [])
    ev["id"] = event_id
    # the Arabic names of the governorate and district as analysts see them (a corrected one included)
    ev["admin1_ar"] = ADMIN1[ev["admin1"]][0] if ev.get("admin1") in ADMIN1 else None
    if "admin2" in (ev.get("corrected_fields") or []):
        ev["admin2_ar"] = None
    return ev


@router.get("/documents/{doc_id}", summary="A document's text and, for each of its reports, the evidence offsets")
def document_detail(doc_id: Annotated[int, Path(ge=1, le=MAX_ID)], store: StoreDep) -> dict[str, Any]:
    with store.engine.connect() as conn:
        d = conn.execute(sa.select(documents).where(documents.c.id == doc_id)).mappings().first()
        if d is None:
            raise HTTPException(404, f"no document {doc_id}")
        reps = conn.execute(sa.select(reports.c.id, reports.c.idx, reports.c.event_id, reports.c.record)
                            .where(reports.c.document_id == doc_id).order_by(reports.c.idx)).all()
    out_reports = []
    for r in reps:
        rec = json.loads(r.record)
        spans = [{"field": e.get("field"), "start": e.get("start"), "end": e.get("end"), "text": e.get("text"),
                  "in": e.get("in", "text")} for e in rec.get("evidence") or []]
        out_reports.append({"report_id": r.id, "idx": r.idx, "event_id": r.event_id, "evidence": spans,
                            "date": rec.get("date"), "event_type": rec.get("event_type"),
                            "location": rec.get("location")})
    return {"id": d["id"], "doc": d["doc"], "url": d["url"], "outlet": d["outlet"], "title": d["title"],
            "published": d["published"], "reference_date": d["reference_date"], "text": d["text"],
            "warnings": json.loads(d["warnings"]) if d["warnings"] else [], "reports": out_reports}


@router.get("/statistics", summary="Tallies over a period as reported (series)")
def statistics_series(store: StoreDep) -> list[dict[str, Any]]:
    """Each tally with its period, counts, claimant and evidence, and the outlet and file of its document (the
    claimant "outlet" is that outlet)."""
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(statistics, documents.c.outlet, documents.c.doc)
                            .join(documents, documents.c.id == statistics.c.document_id, isouter=True)
                            .order_by(statistics.c.period_start, statistics.c.id)).mappings().all()
    return [{"id": r["id"], "document_id": r["document_id"], "outlet": r["outlet"], "doc": r["doc"],
             "period_start": r["period_start"],
             "period_end": r["period_end"], "claimant": r["claimant"], "claimant_type": r["claimant_type"],
             "counts": json.loads(r["counts"]), "evidence": json.loads(r["evidence"]) if r["evidence"] else []}
            for r in rows]


@router.get("/other-events", summary="Incidents stored out of scope: placed outside Syria, with their country")
def other_events_list(store: StoreDep, country: str | None = None) -> list[dict[str, Any]]:
    """The incidents documents place in another country (`other_events` of their records), never among the
    events, the map, the statistics or the exports; `country=Iraq` keeps one country."""
    return list(store.iter_other_events(country))


@router.get("/stats", summary="Events and fatalities by month × governorate × actor1 (as `rasad stats`)")
def stats(store: StoreDep) -> dict[str, Any]:
    return store.stats()


EXPORTS_AT_ONCE = 2  # exports streamed at the same time; one more is told to retry (503) instead of queueing
_EXPORTS = threading.BoundedSemaphore(EXPORTS_AT_ONCE)


def _export(store: Store, f: Filters, chunks: Callable[[Iterable[Any]], Iterator[str]], media_type: str,
            filename: str) -> StreamingResponse:
    """The selection streamed in pieces (the events are read and written as they are sent), at most
    EXPORTS_AT_ONCE at a time."""
    if not _EXPORTS.acquire(blocking=False):
        raise HTTPException(503, f"{EXPORTS_AT_ONCE} exports are running: try again in a few seconds",
                            headers={"Retry-After": "5"})

    def pieces() -> Iterator[str]:
        try:
            yield from chunks(store.iter_events(f.where(exports=True)))
        finally:
            _EXPORTS.release()

    stream = pieces()
    first = next(stream)  # started, so that closing the stream, even unread, releases its place
    return StreamingResponse(itertools.chain([first], stream), media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/export.csv", summary="The current selection as ACLED CSV (corrected values; rejected left out)")
def export_csv(store: StoreDep, f: FiltersDep) -> StreamingResponse:
    return _export(store, f, acled_csv_chunks, "text/csv; charset=utf-8", "rasad-acled.csv")


@router.get("/export.geojson", summary="The current selection as GeoJSON (corrected values; rejected left out)")
def export_geojson(store: StoreDep, f: FiltersDep) -> StreamingResponse:
    return _export(store, f, geojson_chunks, "application/geo+json", "rasad-events.geojson")


@router.get("/gazetteer/lookup", summary="Gazetteer candidates for a place name, with their scores")
def gazetteer_lookup(request: Request, name: Annotated[str, Query(min_length=1)],
                     context: Annotated[str | None, Query(description="governorates, comma-separated")] = None,
                     ) -> list[dict[str, Any]]:
    from rasad.pipeline.geocode import lookup_report

    return lookup_report(request.app.state.gazetteer(), name, context)


# a place kind's rank among labels, and the least population a town needs below each zoom to be labelled
_LABEL_RANK = {"admin1": 0, "admin2": 1, "populated_place": 2}
_LABEL_POPULATION = ((7, 300_000), (8, 100_000), (9, 30_000), (10, 5_000))


def place_labels(places: Iterable[Any], box: tuple[float, float, float, float], zoom: float,
                 limit: int = 150) -> list[dict[str, Any]]:
    """Place labels for a map view: governorate centres first, then district centres (from zoom 8), then towns
    by population (fewer the further out), each kept only if its label does not overlap one already kept nor
    repeats the name of one kept within 0.3°."""
    x0, y0, x1, y1 = box
    deg_per_px = 360.0 / (256 * 2 ** zoom)

    def wanted(p: Any) -> bool:
        if p.lat is None or p.lon is None or not (x0 <= p.lon <= x1 and y0 <= p.lat <= y1):
            return False
        if p.kind == "admin2":
            return zoom >= 8
        if p.kind == "populated_place":
            need = next((n for z, n in _LABEL_POPULATION if zoom < z), 0)
            return p.population >= need if need else True
        return p.kind == "admin1"

    ranked = sorted((p for p in places if p.kind in _LABEL_RANK and wanted(p)),
                    key=lambda p: (_LABEL_RANK[p.kind], -p.population, p.name_en or p.name_ar or ""))
    kept: list[tuple[float, float, float, float]] = []
    names: dict[str, tuple[float, float]] = {}
    out: list[dict[str, Any]] = []
    for p in ranked:
        name = p.name_en or p.name_ar or ""
        w = max(40, 7 * len(name)) * deg_per_px / 2 + 4 * deg_per_px  # half the label's width and a margin
        h = 11 * deg_per_px
        if any(abs(p.lon - kx) < w + kw and abs(p.lat - ky) < h + kh for kx, ky, kw, kh in kept):
            continue
        # one name once: a governorate, its district and its chief town are often one name a little apart
        same = names.get(p.name_ar or name)
        if same and abs(p.lon - same[0]) < 0.3 and abs(p.lat - same[1]) < 0.3:
            continue
        names[p.name_ar or name] = (p.lon, p.lat)
        kept.append((p.lon, p.lat, w, h))
        out.append({"name_en": p.name_en, "name_ar": p.name_ar, "kind": p.kind, "lat": p.lat, "lon": p.lon,
                    "population": p.population or None, "admin1": p.admin1_en})
        if len(out) >= limit:
            break
    return out


@router.get("/gazetteer/labels", summary="Place labels for a map view from the active gazetteer, thinned by zoom")
def gazetteer_labels(request: Request,
                     bbox: Annotated[str, Query(description="minlon,minlat,maxlon,maxlat")],
                     zoom: Annotated[float, Query(ge=0, le=20)] = 7) -> Response:
    try:
        x0, y0, x1, y1 = (float(v) for v in bbox.split(","))
    except ValueError:
        raise HTTPException(422, "bbox: expected minlon,minlat,maxlon,maxlat") from None
    labels = place_labels(request.app.state.gazetteer().places.values(), (x0, y0, x1, y1), zoom)
    return JSONResponse({"zoom": zoom, "labels": labels}, headers={"Cache-Control": "max-age=3600"})


def _boundaries(store: Store, level: str) -> Response:
    gj = outlines(store, level)
    if gj is None:
        flag = "" if level == "admin1" else f" --level {level}"
        raise HTTPException(404, f"no {LEVELS[level].shapes} imported: "
                                 f"run `rasad boundaries import FILE{flag} --db ...`")
    return Response(gj, media_type="application/geo+json")


@router.get("/boundaries/admin1", summary="Governorate outlines (GeoJSON) imported with `rasad boundaries import`")
def boundaries_admin1(store: StoreDep) -> Response:
    return _boundaries(store, "admin1")


@router.get("/boundaries/admin2",
            summary="District outlines (GeoJSON) imported with `rasad boundaries import --level admin2`")
def boundaries_admin2(store: StoreDep) -> Response:
    return _boundaries(store, "admin2")


@router.get("/boundaries/roads", summary="Main roads (GeoJSON) imported with `rasad boundaries import --level roads`")
def boundaries_roads(store: StoreDep) -> Response:
    return _boundaries(store, "roads")


@router.get("/facets", summary="Distinct governorates, districts, actors and event types with counts")
def facets(store: StoreDep) -> dict[str, list[dict[str, Any]]]:
    """Each value with its count; governorates, districts and actors also with their Arabic name (`name_ar`: the
    governorate table's, for a district the one its first event's record gives, for an actor actors.tsv's)."""
    c = events.c
    out: dict[str, list[dict[str, Any]]] = {}
    with store.engine.connect() as conn:
        for name, col in (("admin1", c.admin1), ("event_type", c.event_type)):
            rows = conn.execute(sa.select(col, sa.func.count()).where(not_rejected(), col.is_not(None))
                                .group_by(col).order_by(sa.func.count().desc(), col)).all()
            out[name] = [{"value": v, "count": n} for v, n in rows]
        for item in out["admin1"]:
            if item["value"] in ADMIN1:
                item["name_ar"] = ADMIN1[item["value"]][0]
        rows = conn.execute(sa.select(c.admin2, sa.func.count(), sa.func.min(c.id)).where(not_rejected(), c.admin2.is_not(None))
                            .group_by(c.admin2).order_by(sa.func.count().desc(), c.admin2)).all()
        first = {i: json.loads(r) for i, r in conn.execute(
            sa.select(c.id, c.record).where(c.id.in_([i for _v, _n, i in rows])))} if rows else {}
        out["admin2"] = [{"value": v, "count": n, **({"name_ar": first[i]["admin2_ar"]}
                                                     if first.get(i, {}).get("admin2") == v and first[i].get("admin2_ar")
                                                     else {})} for v, n, i in rows]
        actors: dict[str, int] = {}
        for col in (c.actor1, c.actor2):
            for v, n in conn.execute(sa.select(col, sa.func.count()).where(not_rejected(), col.is_not(None))
                                     .group_by(col)).all():
                actors[v] = actors.get(v, 0) + n
    known = lexicon_actors()
    out["actor"] = [{"value": v, "count": n, **({"name_ar": known[v].name_ar} if v in known and known[v].name_ar else {})}
                    for v, n in sorted(actors.items(), key=lambda kv: (-kv[1], kv[0]))]
    return out


# -- sessions and writes ----------------------------------------------------------------------------


def sessions_of(request: Request) -> Sessions:
    return request.app.state.sessions  # type: ignore[no-any-return]


def session_of(request: Request) -> Session | None:
    """This browser's session, unless it expired or its user was revoked (`rasad users revoke`)."""
    return sessions_of(request).get(request.cookies.get(SESSION_COOKIE))


@router.get("/session", summary="Who is signed in in this browser, and the CSRF token to send with writes")
def get_session(request: Request) -> dict[str, Any]:
    s = session_of(request)
    return {"user": s.user if s else None, "csrf_token": s.csrf if s else None,
            "open_writes": bool(request.app.state.open_writes)}


@router.post("/session", summary="Sign in with a user token (from `rasad users add`)")
def post_session(request: Request, store: StoreDep, body: Annotated[dict[str, Any], Body()]) -> JSONResponse:
    token = body.get("token") if isinstance(body, dict) else None
    user = user_for_token(store, token if isinstance(token, str) else None)
    if user is None:
        raise HTTPException(401, "unknown token")
    sid, s = sessions_of(request).open(user)
    resp = JSONResponse({"user": user, "csrf_token": s.csrf})
    resp.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="strict", path="/api/v1",
                    secure=request.url.scheme == "https")
    return resp


@router.delete("/session", summary="Sign out")
def delete_session(request: Request) -> JSONResponse:
    sessions_of(request).close(request.cookies.get(SESSION_COOKIE))
    resp = JSONResponse({"user": None, "csrf_token": None})
    resp.delete_cookie(SESSION_COOKIE, path="/api/v1")
    return resp


def writer(request: Request) -> str:
    """The user behind a write: a bearer token, or a session cookie with its CSRF header. 401 / 403 otherwise."""
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        user = user_for_token(store_of(request), auth[7:].strip())
        if user is None:
            raise HTTPException(401, "unknown token")
        return user
    s = session_of(request)
    if s is not None:
        if not csrf_ok(s, request.headers.get(CSRF_HEADER)):
            raise HTTPException(403, f"missing or wrong {CSRF_HEADER} header")
        return s.user
    if request.app.state.open_writes:
        # no credentials, writes opened by `rasad serve --open-writes`: a cross-site page cannot send JSON
        # without a CORS preflight, which this server never grants
        if not request.headers.get("content-type", "").startswith("application/json"):
            raise HTTPException(403, "writes without a token must be sent as application/json")
        return "anonymous"
    raise HTTPException(401, "sign in (POST /api/v1/session) or send Authorization: Bearer TOKEN")


UserDep = Annotated[str, Depends(writer)]


def _review(fn: Any, *args: Any, **kw: Any) -> Any:
    try:
        return fn(*args, **kw)
    except review.NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except review.ReviewError as exc:
        raise HTTPException(422, str(exc)) from exc


def _note(body: Any) -> str | None:
    note = body.get("note") if isinstance(body, dict) else None
    return str(note) if note else None


@router.post("/events/{event_id}/confirm", summary="Confirm an event as served")
def confirm(event_id: EventId, store: StoreDep, user: UserDep,
            body: Annotated[dict[str, Any] | None, Body()] = None) -> dict[str, Any]:
    return _review(review.confirm, store, event_id, user, _note(body))  # type: ignore[no-any-return]


@router.post("/events/{event_id}/reject", summary="Reject an event (left out of exports and the default list)")
def reject(event_id: EventId, store: StoreDep, user: UserDep,
           body: Annotated[dict[str, Any] | None, Body()] = None) -> dict[str, Any]:
    return _review(review.reject, store, event_id, user, _note(body))  # type: ignore[no-any-return]


@router.patch("/events/{event_id}", summary="Correct fields: {field: value, ...}; fatalities/wounded as {low,best,high}")
def correct(event_id: EventId, store: StoreDep, user: UserDep, body: Annotated[Any, Body()]) -> dict[str, Any]:
    changes = dict(body) if isinstance(body, dict) else body
    note = changes.pop("note", None) if isinstance(changes, dict) else None
    return _review(review.correct, store, event_id, user, changes, note)  # type: ignore[no-any-return]


@router.post("/events/{event_id}/merge", summary="Merge event other_id into this one")
def merge(event_id: EventId, store: StoreDep, user: UserDep, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    other = body.get("other_id")
    if isinstance(other, bool) or not isinstance(other, int) or not 1 <= other <= MAX_ID:
        raise HTTPException(422, "other_id: expected an event id (a positive integer)")
    return _review(review.merge, store, event_id, other, user, _note(body))  # type: ignore[no-any-return]


@router.post("/events/{event_id}/split", summary="Take reports out of this event into a new one")
def split(event_id: EventId, store: StoreDep, user: UserDep, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    ids = body.get("report_ids")
    if not isinstance(ids, list) or not ids or not all(
            isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= MAX_ID for i in ids):
        raise HTTPException(422, "report_ids: expected a non-empty list of report ids (integers)")
    new = _review(review.split, store, event_id, ids, user)
    return {"event_id": event_id, "new_event_id": new, "report_ids": sorted(ids)}
