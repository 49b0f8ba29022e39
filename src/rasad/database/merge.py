"""Merging reports of one incident, from different documents, into one event.

A new report is compared only with the events of its block:
- the same governorate and a date within two days, for a dated report;
- the same governorate, for an undated one.

An index on events (admin1, date) finds the block, so the cost per report stays small however large
the store grows. Within
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
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from rasad.database import rollups
from rasad.database.queue import reasons as review_reasons
from rasad.database.store import (
    CELL_ZOOMS,
    claims,
    documents,
    effective,
    event_reasons,
    event_search,
    events,
    grid_cell,
    now,
    reports,
    search_text,
)
from rasad.database.syndication import copy_of, syndication
from rasad.gazetteer import km_between
from rasad.pipeline.annotate.actors import same_camp
from rasad.pipeline.figures import Claim, combine
from rasad.pipeline.normalise import norm
from rasad.schema import EventRecord, MergedEvent

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
                   norm(place).strip() if place else None, rec.get("time_of_day"), rec.get("place_kind"),
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


# The statements merging runs for every report, built once: SQLAlchemy then finds each compiled form
# in its cache without rebuilding and re-keying the statement on every call.
_SAME_DOC = sa.select(reports.c.event_id).where(reports.c.document_id == sa.bindparam("doc_id"),
                                                reports.c.event_id.is_not(None))
_ATTACH = reports.update().where(reports.c.id == sa.bindparam("rid")).values(
    event_id=sa.bindparam("eid"), merge_reason=sa.bindparam("reason"))
_NEW_EVENT = events.insert().values(record="{}", reviewed=False, updated_at=sa.bindparam("at"))
_REPORTS_OF = (sa.select(reports.c.id, reports.c.record, documents.c.outlet, documents.c.doc, documents.c.title,
                          reports.c.merge_reason)
               .join(documents, documents.c.id == reports.c.document_id)
               .where(reports.c.event_id == sa.bindparam("eid")).order_by(reports.c.id))
_CLAIMS_OF = (sa.select(claims).where(claims.c.report_id.in_(sa.bindparam("rids", expanding=True)))
              .order_by(claims.c.id))
_DELETE_EVENT = events.delete().where(events.c.id == sa.bindparam("eid"))
_DELETE_SEARCH = event_search.delete().where(event_search.c.event_id == sa.bindparam("eid"))
_INSERT_SEARCH = event_search.insert()
_DELETE_REASONS = event_reasons.delete().where(event_reasons.c.event_id == sa.bindparam("eid"))
_INSERT_REASONS = event_reasons.insert()
_OVERRIDES_OF = sa.select(events.c.overrides).where(events.c.id == sa.bindparam("eid"))
_STORE_EVENT = events.update().where(events.c.id == sa.bindparam("eid"))


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


def place_report(conn: Connection, report_id: int, doc_id: int, ev: EventRecord) -> tuple[int, dict[str, Any]]:
    """Attach a stored report to the best matching event, or to a new one. Returns (event id, reason)."""
    r = Summary.of(ev)
    best: tuple[float, int, list[str]] | None = None
    candidates = _block(conn, r)
    # one document's incidents were already told apart when it was read
    same_doc = {e for (e,) in conn.execute(_SAME_DOC, {"doc_id": doc_id})}
    for row in candidates:
        if row.id in same_doc:
            continue
        got = compare(r, Summary.of(json.loads(row.record)))
        if got is None:
            continue
        score, why = got
        if score >= MERGE_SCORE and (best is None or score > best[0]):
            best = (score, row.id, why)
    if best is None:
        eid = conn.execute(_NEW_EVENT, {"at": now()}).inserted_primary_key[0]
        reason = {"new_event": True, "candidates": len(candidates)}
    else:
        eid = best[1]
        reason = {"joined": eid, "score": best[0], "reasons": best[2], "candidates": len(candidates)}
        if (copied := copy_of(conn, doc_id, int(eid))) is not None:
            reason["syndicated_of"] = copied  # another outlet's copy of a story the event holds: not independent
    conn.execute(_ATTACH, {"rid": report_id, "eid": eid, "reason": json.dumps(reason, ensure_ascii=False)})
    merged = recompute(conn, int(eid))
    if best is not None:
        consolidate(conn, int(eid), merged)
    return int(eid), reason


_DOCS_OF = sa.select(reports.c.document_id).where(reports.c.event_id == sa.bindparam("eid"))
_REASONS_OF = sa.select(reports.c.id, reports.c.merge_reason).where(reports.c.event_id == sa.bindparam("eid"))


def _documents_of(conn: Connection, event_id: int) -> set[int]:
    return {d for (d,) in conn.execute(_DOCS_OF, {"eid": event_id})}


def consolidate(conn: Connection, event_id: int, merged: MergedEvent, rounds: int = 5) -> list[int]:
    """Fold into event_id the events of its block that it now agrees with.

    A report that joins an event can bridge two events that were told apart before it came (one outlet
    gave the day, another the place): the grown event is compared, by the same rules as a report, with
    the other events of its block, and absorbs the best match. Events holding a report of the same
    document stay apart. Each fold is kept in the reports' merge reasons. Returns the absorbed ids.
    """
    absorbed: list[int] = []
    for _ in range(rounds):
        own = _documents_of(conn, event_id)
        s = Summary.of(merged)
        best: tuple[float, int, list[str]] | None = None
        for row in _block(conn, s):
            if row.id == event_id:
                continue
            got = compare(s, Summary.of(json.loads(row.record)))
            if got is None or got[0] < MERGE_SCORE or (best is not None and got[0] <= best[0]):
                continue
            if not own & _documents_of(conn, row.id):  # asked only of the few that agree
                best = (got[0], row.id, got[1])
        if best is None:
            break
        score, other, why = best
        for rid, reason in conn.execute(_REASONS_OF, {"eid": other}).all():
            r = json.loads(reason) if reason else {}
            r["consolidated"] = {"from": other, "into": event_id, "score": score, "reasons": why}
            conn.execute(_ATTACH, {"rid": rid, "eid": event_id, "reason": json.dumps(r, ensure_ascii=False)})
        recompute(conn, other)  # no reports left: deleted
        merged = recompute(conn, event_id)
        absorbed.append(other)
    return absorbed


def recompute(conn: Connection, event_id: int) -> MergedEvent:
    """The merged record of an event from all its reports and claims; stored and returned (empty when the
    event has no reports left: it is deleted).

    An analyst's corrections (events.overrides) stay as they are and keep applying: the indexed columns
    take the corrected values, the machine record does not."""
    rows = conn.execute(_REPORTS_OF, {"eid": event_id}).all()
    if not rows:
        conn.execute(_DELETE_SEARCH, {"eid": event_id})
        conn.execute(_DELETE_REASONS, {"eid": event_id})
        conn.execute(_DELETE_EVENT, {"eid": event_id})
        rollups.sync(conn, [event_id])
        return cast(MergedEvent, {})
    recs = [json.loads(r.record) for r in rows]
    outlets = [r.outlet or r.doc for r in rows]
    merged: dict[str, Any] = {}
    # when: the most common day among day-precise reports, else the most precise
    days = Counter(x["date"] for x in recs if x.get("date") and x.get("date_precision") == "day")
    if days:
        top = max(days.items(), key=lambda kv: (kv[1], -dt.date.fromisoformat(kv[0]).toordinal()))[0]
        src = next(x for x in recs if x.get("date") == top and x.get("date_precision") == "day")
    else:
        order = {"week": 0, "month": 1, "unknown": 2}
        src = min(recs, key=lambda x: (x.get("date") is None, order.get(x.get("date_precision") or "unknown", 3)))
    for k in ("date", "date_precision", "date_window", "time_of_day"):
        merged[k] = src.get(k)
    # what and who: what most reports say
    for k in ("event_type", "disorder_type"):
        merged[k] = Counter(x.get(k) for x in recs if x.get(k)).most_common(1)[0][0] if any(x.get(k) for x in recs) else None
    subs = [x.get("sub_event_type") for x in recs if x.get("event_type") == merged["event_type"] and x.get("sub_event_type")]
    merged["sub_event_type"] = Counter(subs).most_common(1)[0][0] if subs else None
    for k in ("actor1", "actor2"):
        # (the target is never the attacker: one report's actor1 may be another's actor2)
        told = [x[k] for x in recs if x.get(k) and (k == "actor1" or x[k] != merged["actor1"])]
        named = [a for a in told if a != UNKNOWN_ACTOR]
        merged[k] = Counter(named).most_common(1)[0][0] if named else next(iter(told), None)
    src1 = next((x for x in recs if x.get("actor1") == merged["actor1"]), recs[0])
    merged["inter1"] = src1.get("inter1")
    src2 = next((x for x in recs if x.get("actor2") == merged["actor2"]), recs[0])
    merged["inter2"] = src2.get("inter2")
    for k in ("assoc_actor_1", "assoc_actor_2", "weapons", "units"):
        merged[k] = sorted({a for x in recs for a in (x.get(k) or [])} - {merged.get("actor1"), merged.get("actor2")})
    # where: the most precise place
    geo = min(recs, key=lambda x: (x.get("lat") is None, x.get("geo_precision") or 9))
    for k in ("location", "place_name_ar", "place_name_en", "place_kind", "admin1", "admin1_ar", "admin2", "admin2_ar",
              "admin3", "admin3_ar", "lat", "lon", "geo_precision", "pcode", "geonames_id"):
        merged[k] = geo.get(k)
    if merged["admin1"] is None:
        merged["admin1"] = next((x.get("admin1") for x in recs if x.get("admin1")), None)
    # how many: every claim of every report
    cl = conn.execute(_CLAIMS_OF, {"rids": [r.id for r in rows]}).mappings().all()
    order = {r.id: i for i, r in enumerate(rows)}
    by_report = {r.id: (r.doc, r.outlet) for r in rows}
    objs = [Claim(c["kind"], c["low"], c["best"], c["high"], c["qualifier"], c["best"] is not None or c["qualifier"] is not None,
                  c["claimant"] or "outlet", c["claimant_type"] or "outlet", (order[c["report_id"]], i),
                  superseded=bool(c["superseded"]))
            for i, c in enumerate(cl)]
    live = [o for o in objs if not o.superseded]
    merged["fatalities"] = combine([o for o in live if o.kind == "fatalities"])
    merged["wounded"] = combine([o for o in live if o.kind == "wounded"])
    merged["fatalities_acled"] = (merged["fatalities"] or {}).get("low") or 0
    merged["claims"] = [{"kind": c["kind"], "low": c["low"], "best": c["best"], "high": c["high"],
                         "qualifier": c["qualifier"], "claimant": c["claimant"], "claimant_type": c["claimant_type"],
                         "superseded": bool(c["superseded"]), "doc": by_report[c["report_id"]][0],
                         "source": by_report[c["report_id"]][1]} for c in cl]
    kinds = {x.get("victims") for x in recs} - {None, "unknown"}
    merged["victims"] = "mixed" if len(kinds) > 1 else (kinds.pop() if kinds else "unknown")
    merged["civilian_targeting"] = "Civilian targeting" if any(x.get("civilian_targeting") for x in recs) else ""
    merged["sources"] = sorted({o for o in outlets if o})
    merged["report_count"] = len(recs)
    merged["syndicated"], merged["independent_reports"] = syndication(
        [json.loads(r.merge_reason) if r.merge_reason else {} for r in rows], [r.doc for r in rows])
    overrides = conn.execute(_OVERRIDES_OF, {"eid": event_id}).scalar()
    shown = effective(merged, json.loads(overrides) if overrides else None)
    conn.execute(_STORE_EVENT, {"eid": event_id, **index_columns(shown), "record": json.dumps(merged, ensure_ascii=False),
                                "updated_at": now()})
    conn.execute(_DELETE_SEARCH, {"eid": event_id})
    conn.execute(_INSERT_SEARCH, {"event_id": event_id, "text": search_text(shown, [r.title for r in rows if r.title])})
    conn.execute(_DELETE_REASONS, {"eid": event_id})
    why = review_reasons(recs, shown)
    if why:
        conn.execute(_INSERT_REASONS, [{"reason": r, "event_id": event_id} for r in why])
    rollups.sync(conn, [event_id])
    return cast(MergedEvent, merged)


def index_columns(rec: MergedEvent) -> dict[str, Any]:
    """The events table's indexed columns for an event as analysts see it (corrections applied)."""
    f = rec.get("fatalities") or {}
    return {"date": rec.get("date"), "date_precision": rec.get("date_precision"), "admin1": rec.get("admin1"),
            "admin2": rec.get("admin2"), "event_type": rec.get("event_type"), "actor1": rec.get("actor1"),
            "actor2": rec.get("actor2"), "fatalities_low": f.get("low"), "fatalities_best": f.get("best"),
            "fatalities_high": f.get("high"), "lat": rec.get("lat"), "lon": rec.get("lon"),
            **{f"cell{z}": grid_cell(rec.get("lon"), rec.get("lat"), z) for z in CELL_ZOOMS}}
