"""Analysts' review of merged events: confirm, correct, reject, merge, split, and the gold export.

Both the command line and the API call these functions. Each action is one transaction and is logged
in the corrections table (who, when, what, old → new). A correction never touches the machine record
(`events.record`): it goes in `events.overrides`, which `rasad.database.store.effective` applies on reading and
`rasad.database.merge.recompute` keeps applying after new reports join.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from rasad.database import rollups
from rasad.database.merge import recompute
from rasad.database.store import (
    CORRECTABLE,
    Store,
    documents,
    effective,
    event_reasons,
    event_search,
    events,
    now,
    reports,
)
from rasad.document import NUL
from rasad.gazetteer import admin1_name
from rasad.pipeline.annotate.actors import inter_code
from rasad.pipeline.figures import MAX_TOLL
from rasad.pipeline.run import EARLIEST_REPORT_DATE, plausible_report_date

MAX_NOTE = 10_000  # characters of an analyst's note: a paragraph or two, not a document
INTER_CODES = (0, 8)  # ACLED's inter codes run from 0 (none) to 8 (external/other forces)
STATUSES = ("confirmed", "rejected")
PRECISIONS = ("day", "week", "month", "unknown")
VICTIMS = ("combatants", "civilians", "mixed", "unknown")


class ReviewError(ValueError):
    """An action that cannot be done as asked (the message says why)."""


class NotFound(ReviewError):
    """No such event or report."""


def _event_row(conn: Connection, event_id: int) -> dict[str, Any]:
    row = conn.execute(sa.select(events).where(events.c.id == event_id)).mappings().first()
    if row is None:
        raise NotFound(f"no event {event_id}")
    return dict(row)


def _current(row: dict[str, Any]) -> dict[str, Any]:
    return effective(json.loads(row["record"]), _overrides(row))


def _overrides(row: dict[str, Any]) -> dict[str, Any]:
    return json.loads(row["overrides"]) if row.get("overrides") else {}


def _check_note(note: str | None) -> None:
    if note is not None and len(note) > MAX_NOTE:
        raise ReviewError(f"note: {len(note):,} characters; at most {MAX_NOTE:,}")
    if note is not None and NUL in note:
        raise ReviewError("note: contains a NUL character (\\u0000)")


def _set_status(store: Store, event_id: int, user: str, status: str, note: str | None) -> dict[str, Any]:
    _check_note(note)
    with store.writing() as conn:  # alone: an ingest may be writing too
        row = _event_row(conn, event_id)
        conn.execute(events.update().where(events.c.id == event_id).values(status=status, reviewed=True,
                                                                           updated_at=now()))
        rollups.sync(conn, [event_id])
        store.log(conn, event_id, user, status[:-2] if status.endswith("ed") else status, "status",
                  row["status"], status, note=note)
    return {"event_id": event_id, "status": status}


def confirm(store: Store, event_id: int, user: str, note: str | None = None) -> dict[str, Any]:
    """The analyst checked the event against its sources: it stands as served."""
    return _set_status(store, event_id, user, "confirmed", note)


def reject(store: Store, event_id: int, user: str, note: str | None = None) -> dict[str, Any]:
    """Not an event (or not one worth recording): left out of exports and of the default list."""
    return _set_status(store, event_id, user, "rejected", note)


def _int(v: Any, field: str, *, nullable: bool = True, lo: int | None = None, hi: int | None = None) -> int | None:
    if v is None and nullable:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise ReviewError(f"{field}: expected an integer, got {json.dumps(v, ensure_ascii=False)}")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ReviewError(f"{field}: {v} is out of range")
    return v


def _float(v: Any, field: str, lo: float, hi: float) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or not lo <= v <= hi:
        raise ReviewError(f"{field}: expected a number between {lo} and {hi}, got {json.dumps(v)}")
    return float(v)


def _str(v: Any, field: str, nullable: bool) -> str | None:
    if v is None and nullable:
        return None
    if not isinstance(v, str) or not v.strip():
        raise ReviewError(f"{field}: expected a non-empty string" + (" or null" if nullable else ""))
    if NUL in v:
        raise ReviewError(f"{field}: contains a NUL character (\\u0000)")
    return v.strip()


def validate(changes: Any) -> dict[str, Any]:
    """Check a correction {field: value, ...}; returns it normalised, or raises ReviewError saying what is wrong."""
    if not isinstance(changes, dict) or not changes:
        raise ReviewError("a correction is a JSON object {field: value, ...} with at least one field")
    out: dict[str, Any] = {}
    for field, v in changes.items():
        kind = CORRECTABLE.get(field)
        if kind is None:
            raise ReviewError(f"{field!r} cannot be corrected; fields that can: {', '.join(sorted(CORRECTABLE))}")
        if kind == "date":
            if v is not None:
                try:
                    v = dt.date.fromisoformat(str(v)).isoformat() if isinstance(v, str) and len(v) == 10 else None
                except ValueError:
                    v = None
                if v is None:
                    raise ReviewError(f"date: expected YYYY-MM-DD or null, got {json.dumps(changes[field])}")
                if not plausible_report_date(dt.date.fromisoformat(v)):
                    raise ReviewError(f"date: {v} is out of range ({EARLIEST_REPORT_DATE.isoformat()} to the day after today)")
        elif kind == "precision":
            if v not in PRECISIONS:
                raise ReviewError(f"date_precision: one of {', '.join(PRECISIONS)}")
        elif kind == "victims":
            if v not in VICTIMS:
                raise ReviewError(f"victims: one of {', '.join(VICTIMS)}")
        elif kind == "str":
            v = _str(v, field, nullable=False)
        elif kind == "str?":
            v = _str(v, field, nullable=True)
        elif kind == "int?":
            v = _int(v, field, lo=INTER_CODES[0], hi=INTER_CODES[1])
        elif kind == "list":
            if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() and NUL not in x for x in v):
                raise ReviewError(f"{field}: expected a list of strings (without NUL characters)")
            v = [x.strip() for x in v]
        elif kind == "admin1":
            if v is not None:
                name = admin1_name(v) if isinstance(v, str) else None
                if name is None:
                    raise ReviewError(f"admin1: {json.dumps(v, ensure_ascii=False)} is not a Syrian governorate")
                v = name
        elif kind == "lat":
            v = _float(v, field, -90, 90)
        elif kind == "lon":
            v = _float(v, field, -180, 180)
        elif kind == "geo":
            v = _int(v, field, lo=1, hi=3)
        elif kind == "figures":
            v = _figures(v, field)
        out[field] = v
    return out


def _figures(v: Any, field: str) -> dict[str, int | None] | None:
    if v is None:
        return None
    if not isinstance(v, dict) or not set(v) <= {"low", "best", "high"} or not v:
        raise ReviewError(f"{field}: expected {{low, best, high}} (integers or null) or null")
    f = {k: _int(v.get(k), f"{field}.{k}", lo=0, hi=MAX_TOLL) for k in ("low", "best", "high")}
    known = [f[k] for k in ("low", "best", "high") if f[k] is not None]
    if known != sorted(known):
        raise ReviewError(f"{field}: low <= best <= high is required")
    return f


def with_inter_codes(cur: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """A validated correction made consistent with ACLED's inter codes for the event as it will be (CUR, the
    event as served, with FIELDS applied). For each side (actor1/inter1, actor2/inter2):
    - an inter code given for an actor of rasad's actor table (data/actors.tsv) must be ACLED's code for it,
      and one given for no actor must be null, else ReviewError;
    - an actor corrected without its inter code brings its code along when the table knows it (null with no
      actor); an actor the table does not know keeps the code it had, which the analyst may correct (0 to 8)."""
    out = dict(fields)
    for side in ("1", "2"):
        a_key, i_key = f"actor{side}", f"inter{side}"
        actor = out[a_key] if a_key in out else cur.get(a_key)
        code = inter_code(actor)
        if i_key in out:
            v = out[i_key]
            if actor is None and v is not None:
                raise ReviewError(f"{i_key}: the event has no {a_key}, so no inter code (null)")
            if code is not None and v != code:
                raise ReviewError(f"{i_key}: ACLED's inter code for {actor} is {code}, not {v}")
        elif a_key in out and actor != cur.get(a_key):
            if code is not None:
                out[i_key] = code
            elif actor is None:
                out[i_key] = None
    return out


def correct(store: Store, event_id: int, user: str, changes: Any, note: str | None = None) -> dict[str, Any]:
    """Correct one or more fields. The machine record stays; the event is served with the new values. Inter
    codes are kept consistent with the actors (`with_inter_codes`)."""
    fields = validate(changes)
    _check_note(note)
    with store.writing() as conn:  # alone: an ingest may be writing too
        row = _event_row(conn, event_id)
        cur = _current(row)
        fields = with_inter_codes(cur, fields)
        ov = _overrides(row)
        changed = {}
        for k, v in fields.items():
            if cur.get(k) == v:
                continue
            store.log(conn, event_id, user, "correct", k, cur.get(k), v, note=note)
            ov[k] = v
            changed[k] = v
        if changed:
            conn.execute(events.update().where(events.c.id == event_id).values(
                overrides=json.dumps(ov, ensure_ascii=False), reviewed=True))
            recompute(conn, event_id)  # the indexed columns follow the corrected values
    return {"event_id": event_id, "changed": changed, "corrected_fields": sorted(ov)}


def merge(store: Store, event_id: int, other_id: int, user: str, note: str | None = None) -> dict[str, Any]:
    """Merge event OTHER into EVENT: its reports move, EVENT is recomputed, OTHER is deleted; logged on both."""
    if event_id == other_id:
        raise ReviewError("an event cannot be merged into itself")
    _check_note(note)
    with store.writing() as conn:  # alone: an ingest may be writing too
        _event_row(conn, event_id)
        other = _event_row(conn, other_id)
        have = sorted(r for (r,) in conn.execute(sa.select(reports.c.id).where(reports.c.event_id == event_id)))
        moved = sorted(r for (r,) in conn.execute(sa.select(reports.c.id).where(reports.c.event_id == other_id)))
        conn.execute(reports.update().where(reports.c.event_id == other_id).values(
            event_id=event_id, merge_reason=json.dumps({"merged_by": user, "from_event": other_id})))
        ov = {**_overrides(other), **_overrides(_event_row(conn, event_id))}  # the target's corrections win
        if ov:
            conn.execute(events.update().where(events.c.id == event_id).values(
                overrides=json.dumps(ov, ensure_ascii=False)))
        recompute(conn, event_id)
        conn.execute(event_search.delete().where(event_search.c.event_id == other_id))
        conn.execute(event_reasons.delete().where(event_reasons.c.event_id == other_id))
        conn.execute(events.delete().where(events.c.id == other_id))
        rollups.sync(conn, [other_id])
        store.log(conn, event_id, user, "merge", "reports", have, sorted(have + moved),
                  note=f"event {other_id} merged into this one" + (f": {note}" if note else ""))
        store.log(conn, other_id, user, "merge", "reports", moved, [],
                  note=f"merged into event {event_id}" + (f": {note}" if note else ""))
    return {"event_id": event_id, "merged": other_id, "reports": sorted(have + moved)}


def split(store: Store, event_id: int, report_ids: list[int] | tuple[int, ...], user: str) -> int:
    """Move reports out of an event into a new event of their own; both are recomputed. Returns the new id."""
    ids = sorted({int(r) for r in report_ids})
    if not ids:
        raise ReviewError("name at least one report to take out")
    with store.writing() as conn:  # alone: an ingest may be writing too
        have = {r for (r,) in conn.execute(sa.select(reports.c.id).where(reports.c.event_id == event_id))}
        if not have:
            raise NotFound(f"no event {event_id}")
        missing = set(ids) - have
        if missing:
            raise ReviewError(f"reports {sorted(missing)} are not in event {event_id} (it has {sorted(have)})")
        if set(ids) == have:
            raise ReviewError("that would leave the event empty: take out fewer reports")
        new = int(conn.execute(events.insert().values(record="{}", reviewed=False, updated_at=now()))
                  .inserted_primary_key[0])
        conn.execute(reports.update().where(reports.c.id.in_(ids)).values(
            event_id=new, merge_reason=json.dumps({"split_from": event_id, "by": user})))
        recompute(conn, event_id)
        recompute(conn, new)
        store.log(conn, event_id, user, "split", "reports", sorted(have), sorted(have - set(ids)),
                  note=f"reports {ids} moved to event {new}")
        store.log(conn, new, user, "split", "reports", None, ids, note=f"split from event {event_id}")
    return new


# -- gold export ----------------------------------------------------------------------------------


def _list(v: Any) -> list[Any]:
    return [] if v is None else list(v) if isinstance(v, list) else [v]


def _gold_event(gid: str, ev: dict[str, Any], report: dict[str, Any], required: bool) -> dict[str, Any]:
    anchors = [e["text"] for e in report.get("evidence") or [] if e.get("field") == "event" and e.get("text")]
    exact_day = ev.get("date_precision") == "day"
    window = ev.get("date_window") if not exact_day else None
    names = [n for n in (ev.get("location"), ev.get("place_name_ar")) if n]
    return {
        "id": gid,
        "required": required,
        "anchors": anchors,
        "date": ev.get("date") if exact_day else None,
        "date_window": window if window else None,
        "event_type": ev.get("event_type"),
        "sub_event_types": _list(ev.get("sub_event_type")),
        "actor1": _list(ev.get("actor1")),
        "actor2": _list(ev.get("actor2")),
        "location": {"names_ar": list(dict.fromkeys(names)), "admin1": ev.get("admin1"), "lat": ev.get("lat"),
                     "lon": ev.get("lon"), "tolerance_km": 10 if ev.get("geo_precision") == 1 else 40},
        "fatalities": ev.get("fatalities"),
        "wounded": ev.get("wounded"),
        "note": f"rasad event {ev['event_id']} ({ev.get('status') or 'corrected'}"
                + (f"; corrected: {', '.join(ev['corrected_fields'])}" if ev.get("corrected_fields") else "") + ")",
    }


def gold_export(store: Store) -> dict[str, Any]:
    """Reviewed documents as a gold file in the format of ../shared/gold/seeds.json.

    A document is exported when at least one of its events was confirmed or corrected. Its reviewed
    events are required gold events, with the values as corrected and the report's event sentences as
    anchors; its events nobody reviewed are optional (they neither reward nor penalise); the sentences of
    its rejected events become non-events."""
    reviewed = sa.or_(events.c.status == "confirmed", events.c.overrides.is_not(None))
    with store.engine.connect() as conn:
        doc_ids = sorted({d for (d,) in conn.execute(
            sa.select(reports.c.document_id).join(events, events.c.id == reports.c.event_id)
            .where(reviewed, sa.or_(events.c.status.is_(None), events.c.status != "rejected")))})
        out = []
        for doc_id in doc_ids:
            d = conn.execute(sa.select(documents).where(documents.c.id == doc_id)).mappings().one()
            gold_events, non_events = [], []
            for rep in conn.execute(sa.select(reports).where(reports.c.document_id == doc_id)
                                    .order_by(reports.c.idx)).mappings():
                row = _event_row(conn, rep["event_id"])
                ev = {**_current(row), "event_id": row["id"], "status": row["status"]}
                rec = json.loads(rep["record"])
                if row["status"] == "rejected":
                    non_events += [e["text"] for e in rec.get("evidence") or [] if e.get("field") == "event"]
                    continue
                required = row["status"] == "confirmed" or bool(row["overrides"])
                gold_events.append(_gold_event(f"{d['doc']}-{rep['idx'] + 1}", ev, rec, required))
            out.append({"doc": d["doc"], "published": d["published"], "note": "exported by rasad review export",
                        "events": gold_events, "non_events": non_events, "statistics": []})
    return {"version": 1, "documents": out}
