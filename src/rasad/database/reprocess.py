"""`rasad reprocess`: the stored documents extracted again with the current rules, and merged again.

After a rule or lexicon change, every stored document is read again from its stored text (in this
process, or on a Dask cluster), and its reports, claims, statistics and out-of-scope incidents are
replaced; the events are merged again from scratch, in the order the documents were stored, so the
database is the one a fresh ingest with the new rules gives. New events get ids above every old one:
an old id never names a new event.

Analysts' decisions follow their event: the status (confirmed, rejected) and the corrections of an old
event go to the new event that holds a report of one of its documents whose event sentences overlap
the old report's (same document, overlapping evidence). The audit trail moves with them and records the
move. A decision whose event is gone (its documents no longer give an event with those sentences), or
whose new event already took another old event's decision, is listed for review and logged on the old
id. Merges and splits by hand are not replayed: the new merge decides again, and events they touched are
listed. Everything happens in one transaction: a reprocess killed half way changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from rasad.database import rollups
from rasad.database.ingest import place_new, provenance_of
from rasad.database.merge import Merger, recompute
from rasad.database.store import (
    Store,
    claims,
    corrections,
    documents,
    event_search,
    events,
    now,
    other_events,
    reports,
    statistics,
)
from rasad.document import Source

Span = tuple[int, str, int, int]  # document id, part ("text" or "title"), start, end


@dataclass
class Decision:
    """An analyst's decision on an old event, and where it went."""

    old_event: int
    status: str | None
    corrected_fields: list[str]
    documents: list[str]
    new_event: int | None = None
    reason: str = ""


@dataclass
class ReprocessResult:
    documents: int = 0
    reports: int = 0
    events: int = 0
    carried: list[Decision] = field(default_factory=list)
    gone: list[Decision] = field(default_factory=list)  # to review: the event is gone, or taken
    hand_merges: list[int] = field(default_factory=list)  # old events merged or split by hand: not replayed
    errors: list[str] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)


def _spans(document_id: int, rec: dict[str, Any]) -> set[Span]:
    return {(document_id, e.get("in") or "text", int(e["start"]), int(e["end"]))
            for e in rec.get("evidence") or [] if e.get("field") == "event" and e.get("start") is not None}


def _overlap(a: set[Span], b: set[Span]) -> bool:
    return any(x[0] == y[0] and x[1] == y[1] and x[2] < y[3] and y[2] < x[3] for x in a for y in b)


def _guess_kind(doc: str) -> str:
    """How a document stored before migration 0008 was read: a file's name says it, else a batch record."""
    low = doc.lower()
    return "html" if low.endswith((".html", ".htm")) else "txt" if low.endswith(".txt") else "jsonl"


def stored_sources(store: Store) -> Iterator[tuple[int, Source]]:
    """Every stored document as the Source it was read as, in the order it was stored."""
    q = sa.select(documents.c.id, documents.c.doc, documents.c.title, documents.c.text, documents.c.url,
                  documents.c.outlet, documents.c.published, documents.c.kind).order_by(documents.c.id)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    for r in rows:
        yield r.id, Source(doc=r.doc, text=r.text, title=r.title, url=r.url, source=r.outlet,
                           published=dt.date.fromisoformat(r.published) if r.published else None,
                           kind=r.kind or _guess_kind(r.doc))


def _decisions(conn: sa.Connection) -> tuple[list[tuple[Decision, set[Span], dict[str, Any]]], list[int]]:
    decided = []
    rows = conn.execute(sa.select(events.c.id, events.c.status, events.c.overrides)
                        .where(sa.or_(events.c.status.is_not(None), events.c.overrides.is_not(None)))
                        .order_by(events.c.id)).all()
    for eid, status, overrides in rows:
        ov = json.loads(overrides) if overrides else {}
        spans: set[Span] = set()
        docs: list[str] = []
        for doc_id, doc, rec in conn.execute(
                sa.select(reports.c.document_id, documents.c.doc, reports.c.record)
                .join(documents, documents.c.id == reports.c.document_id)
                .where(reports.c.event_id == eid).order_by(reports.c.id)):
            spans |= _spans(doc_id, json.loads(rec))
            docs.append(doc)
        decided.append((Decision(eid, status, sorted(ov), docs), spans,
                        {"status": status, "overrides": overrides}))
    live = {e for (e,) in conn.execute(sa.select(events.c.id))}
    by_hand = sorted({e for (e,) in conn.execute(sa.select(corrections.c.event_id)
                                                   .where(corrections.c.action.in_(("merge", "split"))))
                      if e in live})
    return decided, by_hand


def reprocess(store: Store, geocoder: Any = None, dask: str | None = None, workers: int | None = None,
              partition_size: int = 100, progress: bool = False, user: str = "reprocess") -> ReprocessResult:
    """Extract every stored document again and merge again, carrying analysts' decisions (module docstring)."""
    from rasad.provenance import provenance

    res = ReprocessResult(provenance=provenance(geocoder.gaz.path if geocoder is not None else None))
    prov = provenance_of(geocoder)
    ids, sources = [], []
    for doc_id, src in stored_sources(store):
        ids.append(doc_id)
        sources.append(src)
    records = _extract(sources, geocoder, dask, workers, partition_size, progress)
    with store.writing() as conn:
        decided, res.hand_merges = _decisions(conn)
        max_old = conn.execute(sa.select(sa.func.max(events.c.id))).scalar() or 0
        for t in (claims, event_search, other_events, statistics):
            conn.execute(t.delete())
        conn.execute(reports.delete())
        conn.execute(events.delete())
        # a placeholder holds the highest old id while the new events are made, so that SQLite numbers them
        # above it (it reuses the ids of deleted rows); no report's block can find it (admin1 is "")
        conn.execute(events.insert().values(id=max_old + 1, record="{}", admin1="", reviewed=False,
                                            updated_at=now()))
        if conn.dialect.name == "postgresql":  # (PostgreSQL's sequence does not see an id given by hand)
            conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('events', 'id'), :v)"), {"v": max_old + 1})
        merger = Merger(conn)
        for doc_id, src, rec in zip(ids, sources, records, strict=True):
            res.documents += 1
            if "skipped" in rec or "error" in rec:
                res.errors.append(f"{src.doc}: {rec['warnings'][0]}")
                continue
            conn.execute(documents.update().where(documents.c.id == doc_id).values(
                reference_date=rec.get("reference_date"), kind=src.kind,
                warnings=json.dumps(rec.get("warnings") or [], ensure_ascii=False)))
            store.add_statistics(conn, doc_id, rec)
            for i, ev in enumerate(rec["events"]):
                place_new(merger, src, doc_id, i, ev, prov)
                res.reports += 1
            for i, ev in enumerate(rec.get("other_events") or []):
                store.add_other_event(conn, doc_id, i, ev)
        merger.flush()
        conn.execute(events.delete().where(events.c.id == max_old + 1))
        res.events = conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()
        _carry(store, conn, decided, res, user)
        rollups.rebuild(conn)  # the old events' rows went with them, unsynced
    return res


def _extract(sources: list[Source], geocoder: Any, dask: str | None, workers: int | None, partition_size: int,
             progress: bool) -> list[dict[str, Any]]:
    if dask is not None:
        from rasad.distributed import Cluster, _announce, _progress_bar, map_partitions

        with Cluster(dask, workers) as cluster:
            _announce(cluster)
            bar = _progress_bar(progress, len(sources), "reprocess")
            try:
                return [rec for _, recs in map_partitions(cluster, sources, geocoder, partition_size, bar)
                        for rec in recs]
            finally:
                if bar is not None:
                    bar.close()
    from rasad.cli import extract_record

    items: Any = sources
    if progress:
        import sys

        from tqdm import tqdm

        items = tqdm(sources, unit="doc", desc="reprocess", file=sys.stderr, mininterval=0.5)
    return [extract_record(src, geocoder) for src in items]


def _carry(store: Store, conn: sa.Connection, decided: list[tuple[Decision, set[Span], dict[str, Any]]],
           res: ReprocessResult, user: str) -> None:
    """Each old decision onto the new event holding most reports whose event sentences overlap its own."""
    new_spans: dict[int, list[tuple[int, set[Span]]]] = {}
    for doc_id, eid, rec in conn.execute(sa.select(reports.c.document_id, reports.c.event_id, reports.c.record)):
        new_spans.setdefault(doc_id, []).append((eid, _spans(doc_id, json.loads(rec))))
    taken: dict[int, int] = {}
    for d, spans, row in decided:
        votes: Counter[int] = Counter()
        for doc_id in sorted({s[0] for s in spans}):
            for eid, theirs in new_spans.get(doc_id, []):
                if _overlap(spans, theirs):
                    votes[eid] += 1
        if not votes:
            d.reason = "gone: its documents no longer give an event with its sentences"
            res.gone.append(d)
            store.log(conn, d.old_event, user, "reprocess", "event", d.old_event, None,
                      note=f"{d.reason}; decision not carried, to review")
            continue
        new = min(votes, key=lambda e: (-votes[e], e))
        if new in taken:
            d.new_event, d.reason = new, f"its sentences are now in event {new}, which took event {taken[new]}'s decision"
            res.gone.append(d)
            store.log(conn, d.old_event, user, "reprocess", "event", d.old_event, new,
                      note=f"{d.reason}; decision not carried, to review")
            continue
        taken[new] = d.old_event
        d.new_event = new
        conn.execute(events.update().where(events.c.id == new).values(
            status=row["status"], overrides=row["overrides"], reviewed=True))
        recompute(conn, new)  # the indexed columns follow the corrected values
        conn.execute(corrections.update().where(corrections.c.event_id == d.old_event).values(event_id=new))
        store.log(conn, new, user, "reprocess", "event", d.old_event, new,
                  note=f"re-extracted: event {d.old_event}'s decision follows its sentences here")
        res.carried.append(d)
