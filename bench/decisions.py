"""The merge decisions a store holds, in a form that two runs can be compared by: `cmp a.tsv b.tsv`.

One line per report, in (document, index) order: the report, its event (named by the event's first report,
so that the line does not depend on event ids) and its merge reason with the event ids in it blanked; then
one line per event: its name, its columns (but id and updated_at), its record, its search text and its
review reasons. Two stores with the same lines assigned every report to the same event, for the same
reasons, and recomputed every event alike. `ids` also gives the digest of the event ids themselves.

Used by `bench_merge.py --decisions DIR` and `eval_merge.py --decisions FILE`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

_REPORTS = ("SELECT r.event_id, d.doc, r.idx, r.merge_reason FROM reports r "
            "JOIN documents d ON d.id = r.document_id")
_EVENTS = "SELECT * FROM events"
_SEARCH = "SELECT event_id, text FROM event_search"
_REASONS = "SELECT event_id, reason FROM event_reasons ORDER BY reason"
_IDS = ("joined",)  # merge reason fields that hold an event id
_FOLD_IDS = ("from", "into")  # ... and those of its `consolidated`


def _blank_ids(reason: str | None) -> str:
    r: dict[str, Any] = json.loads(reason) if reason else {}
    for k in _IDS:
        if k in r:
            r[k] = "*"
    for k in _FOLD_IDS:
        if k in r.get("consolidated", {}):
            r["consolidated"][k] = "*"
    return json.dumps(r, sort_keys=True, ensure_ascii=False)


def lines(conn: sa.Connection) -> Iterator[str]:
    """The canonical lines of the store on `conn` (see the module's doc)."""
    rows = sorted(conn.execute(sa.text(_REPORTS)).all(), key=lambda x: (x.doc, x.idx))
    name: dict[int, str] = {}
    for r in rows:
        name.setdefault(r.event_id, f"{r.doc}#{r.idx}")
    for r in rows:
        yield f"report\t{r.doc}#{r.idx}\t{name.get(r.event_id)}\t{_blank_ids(r.merge_reason)}"
    search = dict(conn.execute(sa.text(_SEARCH)).all())
    why: dict[int, list[str]] = {}
    for eid, reason in conn.execute(sa.text(_REASONS)):
        why.setdefault(eid, []).append(reason)
    out = []
    for e in conn.execute(sa.text(_EVENTS)).mappings():
        cols = {k: v for k, v in e.items() if k not in ("id", "updated_at", "record")}
        out.append(f"event\t{name.get(e['id'], 'no reports')}\t{json.dumps(cols, sort_keys=True)}\t{e['record']}\t"
                   f"{search.get(e['id'])}\t{','.join(why.get(e['id'], []))}")
    yield from sorted(out)


def ids(conn: sa.Connection) -> str:
    """The digest of (report, event id) over all reports: equal when the event ids are equal too."""
    rows = sorted((d, i, e) for e, d, i, _ in conn.execute(sa.text(_REPORTS)))
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def dump(engine: sa.Engine, path: Path) -> dict[str, Any]:
    """Write the store's canonical lines to `path`; returns their digest and the event ids' digest."""
    h = hashlib.sha256()
    path.parent.mkdir(parents=True, exist_ok=True)
    with engine.connect() as conn, path.open("w", encoding="utf-8") as f:
        for line in lines(conn):
            f.write(line + "\n")
            h.update(line.encode() + b"\n")
        return {"decisions": str(path), "digest": h.hexdigest()[:16], "ids": ids(conn)}
