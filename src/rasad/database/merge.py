"""Merging reports of one incident, from different documents, into one event.

A new report is compared only with the events of its block:
- the same governorate and a date within two days, for a dated report;
- the same governorate, for an undated one.

An index on events (admin1, date) finds the block, so the cost per report stays small however large
the store grows. `rasad ingest` merges a batch of documents in one transaction through one `Merger`, which
keeps the blocks it read in memory per governorate × day (`Blocks`), in step with every event it writes,
inserts its new events, reports and claims in groups (`rasad.database.inserts`), and writes the search text and
review reasons of the events it touched once, at the end. Within
a block, a report joins the event it agrees with most, when nothing rules it out:

* ruled out: different days (both known to the day), windows that don't overlap, places far apart,
  different attackers and different targets, event types that cannot describe one incident, an event
  that already holds a report of the same document, and an undated report without strong agreement
  in place, actors and figures.
* agreement (the score): the same day, the same or a nearby place, the same actors, the same event
  type, close figures.

Each decision is stored with its reasons (`rasad events show ID`), and can be undone
(`rasad events split`). The merged event's record is recomputed from all its reports: the most
precise place and date, the actors most reports name, and low / best / high from every claim of every
report (rasad.pipeline.figures.combine).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import operator
from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from rasad.database import rollups
from rasad.database.inserts import Inserts
from rasad.database.queue import reasons as review_reasons
from rasad.database.store import (
    CELL_ZOOMS,
    CLAIM_COLUMNS,
    INDEX_COLUMNS,
    binds,
    claims,
    documents,
    effective,
    event_reasons,
    event_search,
    events,
    grid_cell,
    machine_memory_mb,
    now,
    report_claims,
    reports,
    run,
    run_many,
    search_text,
    to_json,
)
from rasad.database.syndication import copy_of, syndication
from rasad.gazetteer import km_between
from rasad.pipeline.annotate.actors import same_camp
from rasad.pipeline.figures import Claim, combine
from rasad.pipeline.normalise import norm_cached
from rasad.schema import EventRecord, MergedEvent, StoredEvent

UNKNOWN_ACTOR = "Unidentified Armed Group"
COMPATIBLE_TYPES = {
    frozenset({"Battles", "Explosions/Remote violence"}),
    frozenset({"Battles", "Violence against civilians"}),
    frozenset({"Explosions/Remote violence", "Violence against civilians"}),
}
# Damascus is an enclave inside Rural Damascus, and reports name the city for its suburbs ("جنوب دمشق"):
# the two are one block, told apart by distance like any other places.
ADJOINING = {"Damascus": ("Damascus", "Rural Damascus"), "Rural Damascus": ("Damascus", "Rural Damascus")}
SAME_POINT_KM = 2.5  # two exact points closer than this are one place
MERGE_SCORE = 4.0  # a dated report joins an event at this score
UNDATED_SCORE = 6.5  # an undated report needs much more agreement
STRONG_SCORE = 4.5
UNPLACED_SCORE = 6.5  # a report without a governorate joins an event only with the same attacker and this much


def _date(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


_BY_ID = operator.attrgetter("id")


@functools.lru_cache(maxsize=65536)
def _five_days(day: dt.date) -> tuple[str, ...]:
    """The days of a dated report's block (two either side), as the date column holds them: made once a day, so
    that the blocks' keys are the same strings (their hashes kept)."""
    return tuple((day + dt.timedelta(days=i)).isoformat() for i in range(-2, 3))


@dataclass(slots=True)
class Summary:
    """What merging compares, for a report or an event."""

    date: dt.date | None
    precision: str
    window: tuple[dt.date, dt.date] | None
    admin1: str | None
    point: tuple[float, float] | None
    geo_precision: int | None
    event_type: str | None
    actor1: str | None
    actor2: str | None
    best: int | None
    place: str | None = None  # the place as resolved (or written), for events without coordinates
    time_of_day: str | None = None  # dawn | morning | … | evening | night, when the text says
    kind: str | None = None  # the resolved place's kind (populated_place, airport_airbase, ...)
    floor: bool = False  # the toll is open above ("ما لا يقل عن 38": no high figure): a larger one does not contradict it

    @classmethod
    def of(cls, rec: EventRecord | MergedEvent) -> Summary:
        d = _date(rec.get("date"))
        w = rec.get("date_window")
        window = (_date(w[0]), _date(w[1])) if w else ((d, d) if d else None)
        point = (rec["lat"], rec["lon"]) if rec.get("lat") is not None and rec.get("lon") is not None else None
        f = rec.get("fatalities") or {}
        place = rec.get("place_name_en") or rec.get("location")
        return cls(d, rec.get("date_precision") or ("day" if d else "unknown"), window,  # type: ignore[arg-type]
                   rec.get("admin1"), point, rec.get("geo_precision"), rec.get("event_type"), rec.get("actor1"),
                   # a vague figure ("قتلى", low 3, no best) is a floor that agrees with any toll
                   rec.get("actor2"), f.get("best"),
                   norm_cached(place).strip() if place else None, rec.get("time_of_day"), rec.get("place_kind"),
                   f.get("best") is not None and f.get("high") is None)


_LATE = {"evening", "night"}  # a late incident may be dated to the next day by outlets that report it after midnight
_EARLY = {"dawn"}  # an incident before dawn may be dated to the night before


def _across_midnight(a: Summary, b: Summary) -> bool:
    """Day-precise a is the day before b, and one of them (not both: two nights are two nights) is put at
    night: a late incident dated to the next day, or one before dawn dated to the night before."""
    assert a.date and b.date
    if (b.date - a.date).days != 1 or a.time_of_day in _LATE and b.time_of_day in _LATE:
        return False
    return a.time_of_day in _LATE or (b.time_of_day in _EARLY and a.time_of_day not in _LATE)


def compare(r: Summary, e: Summary) -> tuple[float, list[str]] | None:
    """Score and reasons when report r may describe event e's incident, else None."""
    why: list[str] = []
    score = 0.0
    # when
    same_day = False
    if r.date and e.date:
        if r.precision == "day" and e.precision == "day":
            if r.date == e.date:
                score += 3
                same_day = True
                why.append(f"same day {r.date}")
            elif _across_midnight(r, e) or _across_midnight(e, r):
                score += 1.5
                why.append(f"the same night told as two days ({min(r.date, e.date)}, {max(r.date, e.date)})")
            else:
                return None
        else:
            if r.window and e.window and (r.window[1] < e.window[0] or e.window[1] < r.window[0]):
                return None
            gap = abs((r.date - e.date).days)
            # an undated incident carries its report's day: reports of one day likely tell one incident
            score += 2 if gap == 0 else 1.5 if gap == 1 else 0.5
            why.append("reported the same day" if gap == 0 else f"dates overlap ({gap} days apart)")
    # where
    one_block = r.admin1 in ADJOINING.get(e.admin1 or "", ())
    if r.admin1 and e.admin1 and r.admin1 != e.admin1 and not one_block:
        return None
    same_place = False
    if r.point and e.point:
        d = km_between(r.point, e.point)
        exact = (r.geo_precision or 3) == 1 and (e.geo_precision or 3) == 1
        # a place known only to its governorate (precision 3) is no farther from any point within it
        broad = (r.geo_precision or 3) >= 3 or (e.geo_precision or 3) >= 3
        if exact and d > 25 or d > 80 and not broad:
            return None
        if r.admin1 != e.admin1 and d > 25:
            return None
        if exact and d > SAME_POINT_KM and r.place != e.place and r.kind == e.kind == "populated_place":
            # two towns or villages told exactly, a few km apart (the villages of a plain): two places. (A
            # site and the village it is named after, or a quarter and its town, may be one.)
            return None
        if d <= 10:
            score += 3 if exact else 1.5
            same_place = (r.geo_precision or 3) <= 2 and (e.geo_precision or 3) <= 2
            why.append(f"same place ({d:.0f} km)")
        elif d <= 40:
            score += 1
            why.append(f"nearby ({d:.0f} km)")
        elif r.admin1 == e.admin1:
            score += 1
            why.append(f"same governorate {r.admin1}")
    elif r.place and e.place and r.place == e.place:
        score += 2
        same_place = True
        why.append(f"same place {r.place}")
    elif r.admin1 and r.admin1 == e.admin1:
        score += 1
        why.append(f"same governorate {r.admin1}")
    elif one_block:
        return None  # Damascus against its countryside needs points to compare
    # outside a known governorate, or without an exact day on both sides, the same place is needed, or
    # agreement on everything else (checked after the score is complete)
    needs_place = (not r.admin1 or not e.admin1 or not same_day) and not same_place
    # what
    if r.event_type and e.event_type:
        if r.event_type == e.event_type:
            score += 1
            why.append(f"same type {r.event_type}")
        elif frozenset({r.event_type, e.event_type}) not in COMPATIBLE_TYPES:
            return None
    # who
    known = [a for a in (r.actor1, e.actor1) if a and a != UNKNOWN_ACTOR]
    if len(known) == 2:
        if r.actor1 == e.actor1:
            score += 1.5
            why.append(f"same attacker {r.actor1}")
        elif same_camp(r.actor1, e.actor1):
            score += 0.5
            why.append(f"allied attackers {r.actor1} / {e.actor1}")
        elif r.actor2 and e.actor2 and r.actor2 != e.actor2 and r.actor2 != e.actor1 and not same_camp(r.actor2, e.actor2):
            return None
        else:
            score -= 1
    if r.actor2 and e.actor2 and r.actor2 == e.actor2:
        score += 1
        why.append(f"same target {r.actor2}")
    # how many
    if r.best and e.best:
        hi, lo = max(r.best, e.best), min(r.best, e.best)
        if hi == lo:
            score += 1.5
            why.append(f"same toll {hi}")
        elif hi <= 2 * lo:
            score += 0.5
            why.append(f"close tolls {lo}/{hi}")
        elif hi > 4 * lo and hi - lo > 10 and not (r if r.best == lo else e).floor:
            score -= 1.5  # far apart, unless the smaller is only a floor (an early "at least" of a rising toll)
    if needs_place:
        if r.admin1 and e.admin1:
            if score < STRONG_SCORE:
                return None
            why.append("strong agreement without a common precise place")
        elif score >= UNPLACED_SCORE and r.actor1 == e.actor1 and len(known) == 2:
            # a report that names no governorate: the same attacker, and agreement on nearly all the rest
            why.append("no governorate on one side: the same attacker and agreement on the rest")
        else:
            return None
    if not r.date:
        if score < UNDATED_SCORE:
            return None
        why.append("undated report with strong agreement")
    return score, why


# The statements merging runs for every report, built once and run on the driver's cursor (`store.run`)
_SAME_DOC = sa.select(reports.c.event_id).where(reports.c.document_id == sa.bindparam("doc_id"),
                                                reports.c.event_id.is_not(None))
_ATTACH = reports.update().where(reports.c.id == sa.bindparam("rid")).values(
    event_id=sa.bindparam("eid"), merge_reason=sa.bindparam("reason"))
_REPORTS_OF = (sa.select(reports.c.id, reports.c.record, documents.c.outlet, documents.c.doc, documents.c.title,
                          reports.c.merge_reason)
               .join(documents, documents.c.id == reports.c.document_id)
               .where(reports.c.event_id == sa.bindparam("eid")).order_by(reports.c.id))
# an event's claims: those of its reports, in the order they were stored
_CLAIMS_OF = (sa.select(*(claims.c[k] for k in CLAIM_COLUMNS))
              .join(reports, reports.c.id == claims.c.report_id)
              .where(reports.c.event_id == sa.bindparam("eid")).order_by(claims.c.id))
_DELETE_EVENT = events.delete().where(events.c.id == sa.bindparam("eid"))
_DELETE_SEARCH = event_search.delete().where(event_search.c.event_id == sa.bindparam("eid"))
_INSERT_SEARCH = event_search.insert().values(binds("event_id", "text"))
_DELETE_REASONS = event_reasons.delete().where(event_reasons.c.event_id == sa.bindparam("eid"))
_INSERT_REASONS = event_reasons.insert().values(binds("reason", "event_id"))
# an event's corrections and indexed columns as stored, read before it is recomputed
_STORED_OF = sa.select(events.c.overrides, *(events.c[k] for k in INDEX_COLUMNS)).where(
    events.c.id == sa.bindparam("eid"))


@functools.cache
def _store_event(changed: tuple[str, ...]) -> sa.Update:
    """The UPDATE of an event's record and of the indexed columns that changed: SQLite rewrites the entries of
    every index that holds a column the UPDATE sets, whatever its value (an event's eight indexes for a report
    that changed none of them)."""
    return events.update().where(events.c.id == sa.bindparam("eid")).values(binds(*changed, "record", "updated_at"))


def _same(stored: Any, value: Any) -> bool:
    """Whether a column that holds `stored` holds `value` already: the same type and value (a float to its
    sign, since -0.0 == 0.0)."""
    if type(stored) is not type(value):
        return False
    return stored.hex() == value.hex() if isinstance(value, float) else bool(stored == value)
# a stored report as `rebuild` reads it, and its claims
_REPORT = (sa.select(reports.c.id, reports.c.record, documents.c.outlet, documents.c.doc, documents.c.title)
           .join(documents, documents.c.id == reports.c.document_id).where(reports.c.id == sa.bindparam("rid")))
_CLAIMS_OF_REPORT = (sa.select(*(claims.c[k] for k in CLAIM_COLUMNS))
                     .where(claims.c.report_id == sa.bindparam("rid")).order_by(claims.c.id))
_DOCS_OF = sa.select(reports.c.document_id).where(reports.c.event_id == sa.bindparam("eid"))
_REASONS_OF = sa.select(reports.c.id, reports.c.merge_reason).where(reports.c.event_id == sa.bindparam("eid"))


BLOCK_LIMIT = 500


def _in_admin1(given: bool) -> sa.ColumnElement[bool]:
    return events.c.admin1.in_(sa.bindparam("admin1", expanding=True)) if given else events.c.admin1.is_(None)


# A block is the governorate's events dated within two days, or undated, the first BLOCK_LIMIT by id
# (ties go to the first best-scoring candidate, so the order is part of the result). Asked as one
# query with an OR, SQLite walks ix_events_admin1 through the whole governorate, a cost that grows with
# the store; as two ranges of ix_events_admin1_date it reads only the block.
_BLOCK_DAYS = {a: sa.select(events.c.id, events.c.record).where(
    _in_admin1(a), events.c.date.between(sa.bindparam("lo"), sa.bindparam("hi"))) for a in (True, False)}
_BLOCK_UNDATED = {a: sa.select(events.c.id, events.c.record).where(_in_admin1(a), events.c.date.is_(None))
                  .order_by(events.c.id).limit(sa.bindparam("limit")) for a in (True, False)}
# an undated report is compared with the governorate's newest events: what a store receives now is
# mostly news of now, and the oldest would be no better a guess
_BLOCK_ALL = {a: sa.select(events.c.id, events.c.record).where(_in_admin1(a)).order_by(events.c.id.desc())
              .limit(sa.bindparam("limit")) for a in (True, False)}
# A report that names no governorate may tell an incident that another outlet placed, and the other way
# round: a dated report without one is compared with every governorate's events of its days, and one with
# a governorate also with the events of its days that have none (compare asks them to agree on all else).
_BLOCK_DAYS_ANYWHERE = (sa.select(events.c.id, events.c.record)
                        .where(events.c.date.between(sa.bindparam("lo"), sa.bindparam("hi")))
                        .order_by(events.c.id).limit(sa.bindparam("limit")))
_BLOCK_DAYS_UNPLACED = _BLOCK_DAYS[False].order_by(events.c.id).limit(sa.bindparam("limit"))


def _block(conn: Connection, r: Summary) -> list[sa.Row[Any]]:
    """The events of r's block, (id, record), in id order, at most BLOCK_LIMIT."""
    a = bool(r.admin1)
    params: dict[str, Any] = {"limit": BLOCK_LIMIT}
    if a:
        params["admin1"] = list(ADJOINING.get(r.admin1 or "", (r.admin1,)))
    if not r.date:
        return list(conn.execute(_BLOCK_ALL[a], params))
    params["lo"] = (r.date - dt.timedelta(days=2)).isoformat()
    params["hi"] = (r.date + dt.timedelta(days=2)).isoformat()
    days = _BLOCK_DAYS[True] if a else _BLOCK_DAYS_ANYWHERE
    rows = [*conn.execute(days, params), *conn.execute(_BLOCK_UNDATED[a], params)]
    if a:
        rows += conn.execute(_BLOCK_DAYS_UNPLACED, params)
    rows.sort(key=lambda x: x.id)
    return rows[:BLOCK_LIMIT]


@dataclass(slots=True)
class Candidate:
    """An event of a block: its id, its date column, and its machine record (JSON as stored, or the record
    just computed), summarised when it is first compared."""

    id: int
    date: str | None
    record: str | MergedEvent | None
    summary: Summary | None = None

    def summarised(self) -> Summary:
        if self.summary is None:
            rec = json.loads(self.record) if isinstance(self.record, str) else self.record
            self.summary = Summary.of(rec)
            self.record = None  # all a block needs of it now: kept blocks hold the summaries only
        return self.summary


# the block's parts for a dated report with a governorate, as `Blocks` loads them: a governorate's (or, with
# admin1 null, the unplaced) events of a range of days (from the first up to the day after the last, so that a
# date column between two days is seen), and a governorate's first BLOCK_LIMIT undated events
_DAYS = (events.c.date >= sa.bindparam("lo"), events.c.date < sa.bindparam("until"))
_DAYS_OF = sa.select(events.c.id, events.c.date, events.c.record).where(events.c.admin1 == sa.bindparam("admin1"),
                                                                        *_DAYS)
_DAYS_UNPLACED = sa.select(events.c.id, events.c.date, events.c.record).where(events.c.admin1.is_(None), *_DAYS)
_ANY_UNPLACED = sa.select(events.c.id).where(events.c.admin1.is_(None), events.c.date.is_not(None)).limit(1)
_UNDATED_OF = (sa.select(events.c.id, events.c.date, events.c.record)
               .where(events.c.admin1 == sa.bindparam("admin1"), events.c.date.is_(None))
               .order_by(events.c.id).limit(sa.bindparam("limit")))

Key = tuple[str | None, str | None]  # (admin1, day as the date column holds it), day None for the undated


def _iso_day(day: str) -> bool:
    """Whether a date column holds a day as rasad writes them (YYYY-MM-DD)."""
    try:
        return len(day) == 10 and dt.date.fromisoformat(day).isoformat() == day
    except ValueError:
        return False


@dataclass(slots=True)
class _Bucket:
    events: dict[int, Candidate]
    complete: bool  # all the events of its key (else the first BLOCK_LIMIT by id)


class Blocks:
    """The candidate events of a batch's reports, kept in memory per governorate × day while the batch is merged.

    A batch is merged in one transaction that writes alone (`Store.writing`), and every event it writes goes
    through `moved`: what is loaded stays what the database holds, so a block read here is the block `_block`
    would read. Only the common shape is kept (a dated report with a governorate: its governorates' events of
    its days, their undated ones, and the unplaced ones of its days); an undated report, or one without a
    governorate, reads its block from the database, and so does every report once a date column is seen that
    is no day as rasad writes them (their order as strings is what the database's block follows). The days a
    report lacks are read in one query a governorate; the unplaced events, none in most stores, are not asked
    for while the store has none.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.buckets: dict[Key, _Bucket] = {}
        self.where: dict[int, Key] = {}  # a loaded event's bucket
        self.unplaced: bool | None = None  # whether the store holds dated events without a governorate (unasked)
        self.odd = False  # a date column that is no day was seen: every block is read from the database
        self.inserts: Inserts | None = None  # the rows its transaction's merge has yet to write (`Merger`)
        # new events waiting in `inserts`, of days not loaded: loaded with what the database holds of those days
        self.waiting: dict[Key, dict[int, Candidate]] = {}

    def block(self, r: Summary) -> list[Candidate]:
        """The events of r's block, in id order, at most BLOCK_LIMIT: `_block`'s, from memory when it can."""
        if not r.date or not r.admin1 or self.odd:
            return self._read(r)
        days = _five_days(r.date)
        governorates = ADJOINING.get(r.admin1, (r.admin1,))
        dated = [c for a in governorates for c in self._dated(a, days)]
        # (none while the store holds no dated event without a governorate: no bucket of them is made)
        unplaced = sorted(self._dated(None, days), key=_BY_ID)[:BLOCK_LIMIT] if self._any_unplaced() else []
        if self.odd:  # seen while loading
            return self._read(r)
        undated = sorted((c for a in governorates for c in self._bucket((a, None)).events.values()),
                         key=_BY_ID)[:BLOCK_LIMIT]
        return sorted([*dated, *undated, *unplaced], key=_BY_ID)[:BLOCK_LIMIT]

    def _read(self, r: Summary) -> list[Candidate]:
        self._written()
        return [Candidate(x.id, None, x.record) for x in _block(self.conn, r)]

    def _written(self) -> None:
        """Before the events table is read: the rows waiting are written (the blocks hold them already)."""
        if self.inserts is not None:
            self.inserts.write()

    def _dated(self, admin1: str | None, days: tuple[str, ...]) -> list[Candidate]:
        """The events of admin1 (None: the unplaced) dated on these days (consecutive), the missing days read in
        one query."""
        missing = [d for d in days if (admin1, d) not in self.buckets]
        if missing:
            self._load_days(admin1, missing)
        return [c for d in days for c in self.buckets[(admin1, d)].events.values()]

    def _load_days(self, admin1: str | None, missing: list[str]) -> None:
        loaded: dict[str, dict[int, Candidate]] = {d: {} for d in missing}
        if admin1 is not None or self._any_unplaced():
            until = (dt.date.fromisoformat(missing[-1]) + dt.timedelta(days=1)).isoformat()
            params = {"admin1": admin1, "lo": missing[0], "until": until}
            for i, d, rec in run(self.conn, _DAYS_OF if admin1 is not None else _DAYS_UNPLACED, params).fetchall():
                if d in loaded:
                    loaded[d][i] = Candidate(i, d, rec)
                elif (admin1, d) not in self.buckets:  # no day (between two, or after the last): not kept
                    self.odd = True
        for d, found in loaded.items():  # and the new events of those days that wait to be written
            for eid, c in self.waiting.pop((admin1, d), {}).items():
                if self.inserts is not None and self.inserts.holds_event(eid):
                    found[eid] = c
        for d, found in loaded.items():
            self.buckets[(admin1, d)] = _Bucket(found, True)
            for eid in found:
                self.where[eid] = (admin1, d)

    def _any_unplaced(self) -> bool:
        if self.unplaced is None:  # (a new event that waits to be written has set it already: `moved`)
            self.unplaced = run(self.conn, _ANY_UNPLACED).fetchone() is not None
        return self.unplaced

    def _bucket(self, key: Key) -> _Bucket:
        if key not in self.buckets:
            admin1, _ = key
            self._written()
            rows = run(self.conn, _UNDATED_OF, {"admin1": admin1, "limit": BLOCK_LIMIT}).fetchall()
            self.buckets[key] = _Bucket({i: Candidate(i, d, rec) for i, d, rec in rows}, len(rows) < BLOCK_LIMIT)
            for eid in self.buckets[key].events:
                self.where[eid] = key
        return self.buckets[key]

    def moved(self, event_id: int, written: Candidate | None = None, admin1: str | None = None) -> None:
        """Event `event_id` was written (`written`: its id, date column and record, with its admin1 column) or
        deleted (`written` None): the loaded buckets follow."""
        old = self.where.pop(event_id, None)
        if old is not None and old in self.buckets:
            self._changed(old).events.pop(event_id, None)
        if written is None:
            return
        if written.date is not None:
            if not _iso_day(written.date):
                self.odd = True  # never written by rasad: nothing kept is trusted
            if admin1 is None:
                self.unplaced = True
        key: Key = (admin1, written.date)
        if key in self.buckets and self._changed(key).complete:
            # summarised now: a kept block holds the summary alone, not the record (a few kB of objects that the
            # cyclic garbage collector would go through again and again between transactions)
            written.summarised()
            self.buckets[key].events[event_id] = written
            self.where[event_id] = key
        elif self.inserts is not None and self.inserts.holds_event(event_id):
            # a new event, not written yet, of a day not loaded: `_load_days` adds it to what the database holds
            # (it changes only once written: `Merger._written`)
            written.summarised()
            self.waiting.setdefault(key, {})[event_id] = written

    def _changed(self, key: Key) -> _Bucket:
        """A bucket about to change: one that holds only the first BLOCK_LIMIT is dropped (read again when
        needed), since which events are first may change."""
        bucket = self.buckets[key]
        if not bucket.complete:
            del self.buckets[key]
        return bucket


def kept_events(memory_mb: int | None = None) -> int:
    """How many events a writer's blocks may hold and still be kept for its next transaction: an eighth of the
    machine's memory at about 1.2 kB an event (a summary, its bucket and its entries), at least 200,000. A
    million synthetic reports make 700,000 events; blocks read again from the database every transaction
    once they pass the limit cost that load a tenth more."""
    return max(200_000, (memory_mb if memory_mb is not None else machine_memory_mb()) * 100)


KEPT_EVENTS = kept_events()


class KeptBlocks:
    """The blocks a writer keeps from one transaction to its next, on SQLite, while no other connection wrote.

    A long ingest's transactions follow each other on one connection; what the blocks of one loaded (every
    candidate's record read and summarised) is what the next would read again, unless another process wrote in
    between (another ingest, an analyst's edit). SQLite says so: `PRAGMA data_version` changes on a connection
    when another connection commits, not for its own commits, and the connection's `total_changes` counts the
    rows its own statements changed (another writer of the same process may get the same pooled connection).
    The blocks are kept after a commit with the connection and both counts, and taken up by the next
    transaction only on that connection with the same counts, read once the transaction holds the write lock;
    else they are dropped. A transaction rolled back drops them too (they hold what it wrote), and so do blocks
    grown past KEPT_EVENTS events (`kept_events`). PostgreSQL has no such counter: each transaction loads its
    blocks afresh.
    """

    def __init__(self) -> None:
        self.kept: tuple[Any, tuple[int, int], Blocks] | None = None

    @staticmethod
    def _version(conn: Connection) -> tuple[Any, tuple[int, int]] | None:
        """The SQLite connection under `conn`, with its data_version and total_changes; None on PostgreSQL."""
        if conn.dialect.name != "sqlite":
            return None
        dbapi = conn.connection.dbapi_connection
        return dbapi, (int(dbapi.execute("PRAGMA data_version").fetchone()[0]), int(dbapi.total_changes))

    def take(self, conn: Connection) -> Blocks | None:
        """The kept blocks, if they are still the database's (call with the write lock held), else None."""
        kept, self.kept = self.kept, None
        now = self._version(conn)
        if kept is None or now is None or kept[0] is not now[0] or kept[1] != now[1]:
            return None
        return kept[2]

    def keep(self, conn: Connection, blocks: Blocks) -> None:
        """Keep `blocks` for after the transaction on `conn` commits (call last before the commit, which
        changes neither count). Call `drop` when the commit fails."""
        now = self._version(conn)
        if now is not None and len(blocks.where) <= KEPT_EVENTS:
            self.kept = (*now, blocks)

    def drop(self) -> None:
        self.kept = None


@dataclass(slots=True)
class Rebuilt:
    """An event recomputed from its reports: its machine record, the record as analysts see it, and what the
    search text and the review reasons are made of."""

    merged: MergedEvent
    shown: StoredEvent
    recs: list[dict[str, Any]]
    titles: list[str]

    def texts(self) -> tuple[str, list[str]]:
        """The event's search text and review reasons."""
        return search_text(self.shown, self.titles), review_reasons(self.recs, self.shown)


@dataclass(slots=True)
class Solo:
    """The event a report makes alone, as the writer stores it: its record as JSON, its indexed columns, its
    summary (what blocks compare), its search text and review reasons."""

    record: str
    columns: dict[str, Any]
    summary: Summary
    search: str
    reasons: list[str]

    def texts(self) -> tuple[str, list[str]]:
        return self.search, self.reasons


@dataclass(slots=True)
class Ready:
    """What the writer needs of a report that does not depend on the store: its record as JSON, its claims'
    rows (`report_claims`), its summary, and (`solo`) the event it makes when it joins none.

    `prepare` makes it where the report was extracted: on a Dask worker, so that the single writer, which
    bounds `rasad ingest --dask`, only decides and writes. Without it the writer makes it, the solo event
    only for a report that makes one."""

    record: str
    claims: list[tuple[Any, ...]]
    summary: Summary
    solo: Solo | None = None


def prepare(ev: dict[str, Any], outlet: str | None, doc: str, title: str | None, solo: bool = True) -> Ready:
    """A report's `Ready` (the report `ev` of document `doc`, from `outlet`, with its title): the same whoever
    makes it (a pure function of the report and its document)."""
    record = to_json(ev)
    claim_rows = report_claims(ev, outlet)
    return Ready(record, claim_rows, Summary.of(cast(EventRecord, ev)),
                 _solo(record, claim_rows, ev, outlet, doc, title) if solo else None)


def _solo(record: str, claim_rows: list[tuple[Any, ...]], ev: dict[str, Any], outlet: str | None, doc: str,
          title: str | None, rid: int | None = None) -> Solo:
    """The event a report (`ev`, its JSON and its claims' rows) makes alone: `rebuild` of the report as the writer
    would store it (its merge reason, a new event's, gives it no syndicated copy; `rid`, its id when stored, as
    its claims' rows hold it, is only its place among the event's reports)."""
    built = rebuild([(rid, record, outlet, doc, title, None)], claim_rows, None, [ev])
    columns = index_columns(built.shown)
    search, reasons = built.texts()
    return Solo(to_json(built.merged), columns, Summary.of(built.merged), search, reasons)


class Merger:
    """Reports merged into events in the caller's transaction, one after the other.

    Every decision is written before anything reads what it changed (the database, as the merge reads it, stays
    what a report-by-report merge leaves): new events, reports and claims through `Inserts`, in groups on SQLite;
    the blocks are read through `Blocks`; and an event's search text and review reasons, which merging never
    reads, are written once for each event the batch touched, by `flush`: call it before the transaction
    commits.
    """

    def __init__(self, conn: Connection, blocks: Blocks | None = None, sync_rollups: bool = True) -> None:
        """blocks: those a writer kept from its last transaction (`KeptBlocks`), when they are still the
        database's. sync_rollups False: `flush` leaves the rollups (a bulk load computes them when it ends)."""
        self.conn = conn
        self.sync_rollups = sync_rollups
        self.blocks = blocks or Blocks(conn)
        self.blocks.conn = conn
        self.inserts = Inserts(conn)  # its new events, reports and claims, grouped on SQLite
        self.blocks.inserts = self.inserts
        self.pending: dict[int, Rebuilt | Solo] = {}  # events whose search text and reasons are to write
        self.deleted: set[int] = set()  # events left without reports since the last flush (their rollups go)
        self.created: set[int] = set()  # events made since the last flush: no search text or reasons to delete

    def place(self, report: Fresh, doc_id: int, ev: EventRecord) -> tuple[int, dict[str, Any]]:
        """Attach a stored report to the best matching event, or to a new one. Returns (event id, reason)."""
        r = report.summary or Summary.of(ev)
        best: tuple[float, int, list[str]] | None = None
        candidates = self.blocks.block(r)
        # one document's incidents were already told apart when it was read
        same_doc: set[int] = set()
        if not report.alone:
            if self.inserts.holds_document(doc_id):
                self.inserts.write()
            same_doc = {e for (e,) in run(self.conn, _SAME_DOC, {"doc_id": doc_id}).fetchall()}
        for c in candidates:
            if c.id in same_doc:
                continue
            got = compare(r, c.summarised())
            if got is None:
                continue
            score, why = got
            if score >= MERGE_SCORE and (best is None or score > best[0]):
                best = (score, c.id, why)
        if best is None:
            reason: dict[str, Any] = {"new_event": True, "candidates": len(candidates)}
            return self._new_event(report, reason, ev), reason
        eid = best[1]
        reason = {"joined": eid, "score": best[0], "reasons": best[2], "candidates": len(candidates)}
        self._written(int(eid))
        if (copied := copy_of(self.conn, doc_id, int(eid), report.text)) is not None:
            reason["syndicated_of"] = copied  # another outlet's copy of a story the event holds: not independent
        self._attach(report, int(eid), to_json(reason))
        self.consolidate(int(eid), self.recompute(int(eid)))
        return int(eid), reason

    def _attach(self, report: Fresh, eid: int, why: str) -> None:
        """The report joins event eid for the reason `why` (JSON): stored now when it was not yet (with the event,
        when the event waits to be written: `Inserts`)."""
        if report.unstored is None:
            self._written(eid)
            run(self.conn, _ATTACH, {"rid": report.id, "eid": eid, "reason": why})
        else:
            row = {**report.unstored, "record": report.record, "event_id": eid, "merge_reason": why}
            report.id = self.inserts.report(row, report.claims, now=not self.inserts.holds_event(eid))
            report.unstored = None

    def _written(self, *event_ids: int) -> None:
        """Before the reports of these events are read or changed: the rows waiting are written, if they hold
        one of the events."""
        if any(self.inserts.holds_event(e) for e in event_ids):
            self.inserts.write()

    def _new_event(self, report: Fresh, reason: dict[str, Any], ev: EventRecord) -> int:
        """A new event of one report, made from the report as just stored (as `recompute` would read it back:
        `ev` is its record, which report.record holds as JSON), or as the report's `solo` gives it."""
        why = to_json(reason)
        solo = report.solo or _solo(report.record, report.claims, cast(dict[str, Any], ev), report.outlet,
                                    report.doc, report.title, report.id)
        eid = self.inserts.event({**solo.columns, "record": solo.record, "updated_at": now()})
        self._attach(report, eid, why)
        self.created.add(eid)
        self._follow(eid, solo, solo.columns)
        return eid

    def _documents_of(self, event_id: int) -> set[int]:
        self._written(event_id)
        return {d for (d,) in run(self.conn, _DOCS_OF, {"eid": event_id}).fetchall()}

    def consolidate(self, event_id: int, merged: MergedEvent, rounds: int = 5) -> list[int]:
        """Fold into event_id the events of its block that it now agrees with.

        A report that joins an event can bridge two events that were told apart before it came (one outlet
        gave the day, another the place): the grown event is compared, by the same rules as a report, with
        the other events of its block, and absorbs the best match. Events holding a report of the same
        document stay apart. Each fold is kept in the reports' merge reasons. Returns the absorbed ids.
        """
        absorbed: list[int] = []
        for _ in range(rounds):
            own: set[int] | None = None  # the event's documents, asked only when a candidate agrees
            s = Summary.of(merged)
            best: tuple[float, int, list[str]] | None = None
            for c in self.blocks.block(s):
                if c.id == event_id:
                    continue
                got = compare(s, c.summarised())
                if got is None or got[0] < MERGE_SCORE or (best is not None and got[0] <= best[0]):
                    continue
                if own is None:
                    own = self._documents_of(event_id)
                if not own & self._documents_of(c.id):  # asked only of the few that agree
                    best = (got[0], c.id, got[1])
            if best is None:
                break
            score, other, why = best
            for rid, reason in run(self.conn, _REASONS_OF, {"eid": other}).fetchall():
                r = json.loads(reason) if reason else {}
                r["consolidated"] = {"from": other, "into": event_id, "score": score, "reasons": why}
                run(self.conn, _ATTACH, {"rid": rid, "eid": event_id, "reason": json.dumps(r, ensure_ascii=False)})
            self.recompute(other)  # no reports left: deleted
            merged = self.recompute(event_id)
            absorbed.append(other)
        return absorbed

    def recompute(self, event_id: int) -> MergedEvent:
        """The merged record of an event from all its reports and claims; stored and returned (empty when the
        event has no reports left: it is deleted).

        An analyst's corrections (events.overrides) stay as they are and keep applying: the indexed columns
        take the corrected values, the machine record does not."""
        self._written(event_id)
        rows = run(self.conn, _REPORTS_OF, {"eid": event_id}).fetchall()
        if not rows:
            for stmt in (_DELETE_SEARCH, _DELETE_REASONS, _DELETE_EVENT):
                run(self.conn, stmt, {"eid": event_id})
            self.inserts.deleted(event_id)
            self.pending.pop(event_id, None)
            self.deleted.add(event_id)
            self.blocks.moved(event_id)
            return cast(MergedEvent, {})
        cl = run(self.conn, _CLAIMS_OF, {"eid": event_id}).fetchall()
        overrides, *stored = run(self.conn, _STORED_OF, {"eid": event_id}).fetchone()
        built = rebuild(rows, cl, json.loads(overrides) if overrides else None)
        record = to_json(built.merged)
        columns = index_columns(built.shown)
        changed = tuple(k for k, old in zip(INDEX_COLUMNS, stored, strict=True) if not _same(old, columns[k]))
        run(self.conn, _store_event(changed), {"eid": event_id, **{k: columns[k] for k in changed}, "record": record,
                                               "updated_at": now()})
        self._follow(event_id, built, columns)
        return built.merged

    def _follow(self, event_id: int, built: Rebuilt | Solo, columns: dict[str, Any]) -> None:
        """An event just stored: its search text and reasons are due, and the blocks follow it."""
        self.pending[event_id] = built
        written = (Candidate(event_id, columns["date"], None, built.summary) if isinstance(built, Solo)
                   else Candidate(event_id, columns["date"], built.merged))
        self.blocks.moved(event_id, written, columns["admin1"])

    def flush(self) -> None:
        """Write the search text and review reasons of every event recomputed since the last flush, and bring the
        rollups of those events and of the deleted ones in step (rollups.sync; not during a bulk load)."""
        self.inserts.write()
        self.blocks.waiting.clear()
        ids = [{"eid": e} for e in self.pending if e not in self.created]
        run_many(self.conn, _DELETE_SEARCH, ids)
        run_many(self.conn, _DELETE_REASONS, ids)
        texts = {e: b.texts() for e, b in self.pending.items()}
        run_many(self.conn, _INSERT_SEARCH, [{"event_id": e, "text": t[0]} for e, t in texts.items()])
        run_many(self.conn, _INSERT_REASONS, [{"reason": r, "event_id": e} for e, t in texts.items() for r in t[1]])
        if self.sync_rollups:
            rollups.sync(self.conn, [*self.pending, *self.deleted])
        self.pending.clear()
        self.deleted.clear()
        self.created.clear()


@dataclass(slots=True)
class Fresh:
    """A report as `rebuild` reads one (with its claims' rows, `CLAIM_COLUMNS`): a report that makes a new event
    is not read back.

    A report stored already has its id; one not stored yet (id None, and None for the report id of its claims'
    rows) has `unstored`, its columns but the record and those of its event (`inserts.REPORT_COLUMNS`): `Merger.place`
    stores it once it has decided, attached to its event, instead of attaching the stored report. `text`: its document's
    text when the caller has it (else read when needed); `alone`: no other report of its document is attached
    to an event (the document's first report), so that the merge need not ask."""

    id: int | None
    record: str
    outlet: str | None
    doc: str
    title: str | None
    claims: list[tuple[Any, ...]]
    text: str | None = None
    alone: bool = False
    unstored: dict[str, Any] | None = None
    summary: Summary | None = None  # its summary, when made already (`Ready`)
    solo: Solo | None = None  # the event it makes alone, when made already (`Ready`)

    @classmethod
    def read(cls, conn: Connection, report_id: int) -> Fresh:
        """A stored report, read back."""
        row = run(conn, _REPORT, {"rid": report_id}).fetchone()
        return cls(*row, run(conn, _CLAIMS_OF_REPORT, {"rid": report_id}).fetchall())


def place_report(conn: Connection, report_id: int, doc_id: int, ev: EventRecord) -> tuple[int, dict[str, Any]]:
    """`Merger.place` for one stored report, its event's search text and reasons written at once."""
    m = Merger(conn)
    placed = m.place(Fresh.read(conn, report_id), doc_id, ev)
    m.flush()
    return placed


def recompute(conn: Connection, event_id: int) -> MergedEvent:
    """`Merger.recompute` for one event (after an analyst's merge, split or correction), written at once."""
    m = Merger(conn)
    merged = m.recompute(event_id)
    m.flush()
    return merged


def rebuild(rows: list[Any], cl: list[Any], overrides: dict[str, Any] | None,
            recs: list[dict[str, Any]] | None = None) -> Rebuilt:
    """An event's merged record from its reports (id, record, outlet, doc, title, merge_reason; in id order) and
    their claims (report_id, kind, low, best, high, qualifier, claimant, claimant_type, superseded; in order).
    `recs`: the reports' records, parsed already (what their JSON gives), when the caller has them."""
    if recs is None:
        recs = [json.loads(r[1]) for r in rows]
    merged: dict[str, Any] = {}
    _when(merged, recs)
    _what_and_who(merged, recs)
    _where(merged, recs)
    _how_many(merged, rows, cl)
    kinds = {x.get("victims") for x in recs} - {None, "unknown"}
    merged["victims"] = "mixed" if len(kinds) > 1 else (kinds.pop() if kinds else "unknown")
    merged["civilian_targeting"] = "Civilian targeting" if any(x.get("civilian_targeting") for x in recs) else ""
    merged["sources"] = sorted({o for o in (r[2] or r[3] for r in rows) if o})
    merged["report_count"] = len(recs)
    merged["syndicated"], merged["independent_reports"] = syndication(
        [json.loads(r[5]) if r[5] else {} for r in rows], [r[3] for r in rows])
    m = cast(MergedEvent, merged)
    return Rebuilt(m, effective(m, overrides), recs, [r[4] for r in rows if r[4]])


def _most_common(values: list[Any]) -> Any:
    """`Counter(values).most_common(1)`'s value: the most frequent, the first of those as frequent (values not
    empty). Most events have one or two reports: then it is the first, with no Counter to build."""
    return values[0] if len(values) <= 2 else Counter(values).most_common(1)[0][0]


def _when(merged: dict[str, Any], recs: list[dict[str, Any]]) -> None:
    """The most common exact day among day-precise reports, else the most precise date."""
    dated = [x for x in recs if x.get("date") and x.get("date_precision") == "day"]
    if len(dated) == 1:
        src = dated[0]
    elif dated:
        days = Counter(x["date"] for x in dated)
        top = max(days.items(), key=lambda kv: (kv[1], -dt.date.fromisoformat(kv[0]).toordinal()))[0]
        src = next(x for x in dated if x["date"] == top)
    else:
        order = {"week": 0, "month": 1, "unknown": 2}
        src = min(recs, key=lambda x: (x.get("date") is None, order.get(x.get("date_precision") or "unknown", 3)))
    for k in ("date", "date_precision", "date_window", "time_of_day"):
        merged[k] = src.get(k)


def _what_and_who(merged: dict[str, Any], recs: list[dict[str, Any]]) -> None:
    """What most reports say: the type, the actors (the target is never the attacker: one report's actor1 may
    be another's actor2), with their inter codes; every associated actor, weapon and unit."""
    for k in ("event_type", "disorder_type"):
        told = [x[k] for x in recs if x.get(k)]
        merged[k] = _most_common(told) if told else None
    subs = [x.get("sub_event_type") for x in recs if x.get("event_type") == merged["event_type"] and x.get("sub_event_type")]
    merged["sub_event_type"] = _most_common(subs) if subs else None
    for k in ("actor1", "actor2"):
        told = [x[k] for x in recs if x.get(k) and (k == "actor1" or x[k] != merged["actor1"])]
        named = [a for a in told if a != UNKNOWN_ACTOR]
        merged[k] = _most_common(named) if named else next(iter(told), None)
    src1 = next((x for x in recs if x.get("actor1") == merged["actor1"]), recs[0])
    merged["inter1"] = src1.get("inter1")
    src2 = next((x for x in recs if x.get("actor2") == merged["actor2"]), recs[0])
    merged["inter2"] = src2.get("inter2")
    for k in ("assoc_actor_1", "assoc_actor_2", "weapons", "units"):
        merged[k] = sorted({a for x in recs for a in (x.get(k) or [])} - {merged.get("actor1"), merged.get("actor2")})


def _where(merged: dict[str, Any], recs: list[dict[str, Any]]) -> None:
    """The most precise place."""
    geo = min(recs, key=lambda x: (x.get("lat") is None, x.get("geo_precision") or 9))
    for k in ("location", "place_name_ar", "place_name_en", "place_kind", "admin1", "admin1_ar", "admin2", "admin2_ar",
              "admin3", "admin3_ar", "lat", "lon", "geo_precision", "pcode", "geonames_id"):
        merged[k] = geo.get(k)
    if merged["admin1"] is None:
        merged["admin1"] = next((x.get("admin1") for x in recs if x.get("admin1")), None)


def _how_many(merged: dict[str, Any], rows: list[Any], cl: list[Any]) -> None:
    """low / best / high from every claim of every report, and the claims with their documents and outlets."""
    order = {r[0]: i for i, r in enumerate(rows)}
    by_report = {r[0]: (r[3], r[2]) for r in rows}
    objs = [Claim(kind, low, best, high, qualifier, best is not None or qualifier is not None, claimant or "outlet",
                  claimant_type or "outlet", (order[rid], i), superseded=bool(superseded))
            for i, (rid, kind, low, best, high, qualifier, claimant, claimant_type, superseded) in enumerate(cl)]
    live = [o for o in objs if not o.superseded]
    merged["fatalities"] = combine([o for o in live if o.kind == "fatalities"])
    merged["wounded"] = combine([o for o in live if o.kind == "wounded"])
    merged["fatalities_acled"] = (merged["fatalities"] or {}).get("low") or 0
    merged["claims"] = [{"kind": c[1], "low": c[2], "best": c[3], "high": c[4], "qualifier": c[5], "claimant": c[6],
                         "claimant_type": c[7], "superseded": bool(c[8]), "doc": by_report[c[0]][0],
                         "source": by_report[c[0]][1]} for c in cl]


def index_columns(rec: MergedEvent) -> dict[str, Any]:
    """The events table's indexed columns for an event as analysts see it (corrections applied)."""
    f = rec.get("fatalities") or {}
    return {"date": rec.get("date"), "date_precision": rec.get("date_precision"), "admin1": rec.get("admin1"),
            "admin2": rec.get("admin2"), "event_type": rec.get("event_type"), "actor1": rec.get("actor1"),
            "actor2": rec.get("actor2"), "fatalities_low": f.get("low"), "fatalities_best": f.get("best"),
            "fatalities_high": f.get("high"), "lat": rec.get("lat"), "lon": rec.get("lon"),
            **{f"cell{z}": grid_cell(rec.get("lon"), rec.get("lat"), z) for z in CELL_ZOOMS}}
