"""`rasad ingest`: read documents, extract their events, store them and merge them across documents.

One transaction per document: a document is stored with its reports, claims and statistics, and its
reports are merged into events, all or nothing. Incidents the document places outside Syria (its
record's other_events) are stored apart, out of scope, with their country. The same content twice adds nothing. A document that
cannot be read goes to the quarantine table with its error, and the batch goes on. After a Ctrl-C or
a killed process, a re-run skips what was stored and carries on.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from rasad.database.merge import place_report
from rasad.database.store import Store, content_hash, now, quarantine
from rasad.pipeline.read import IngestError, count_sources, iter_sources
from rasad.pipeline.run import DocumentTooLarge, extract


@dataclass
class IngestResult:
    documents: int = 0
    skipped: int = 0
    reports: int = 0
    new_events: int = 0
    merged: int = 0
    quarantined: int = 0
    out_of_scope: int = 0  # incidents placed outside Syria, stored apart (other_events)
    errors: list[str] = field(default_factory=list)


def ingest(store: Store, paths: Sequence[str], published: Any = None, geocoder: Any = None,
           progress: bool = False) -> IngestResult:
    res = IngestResult()
    prov = provenance_of(geocoder)

    def bad(err: IngestError) -> None:
        quarantine_input(store, err, res)

    sources: Any = iter_sources(list(paths), published=published, on_error=bad)
    if progress:
        from tqdm import tqdm

        sources = tqdm(sources, total=count_sources(list(paths)), unit="doc", desc="ingest", file=sys.stderr,
                       mininterval=0.5)
    for src in sources:
        h = content_hash(src.doc, src.title, src.text)
        with store.engine.connect() as conn:
            if store.has_document(conn, h):
                res.skipped += 1
                continue
        try:
            rec = extract(src, geocoder)
        except DocumentTooLarge as exc:
            bad(IngestError(str(exc), src.path or src.doc, doc=src.doc))
            continue
        with store.engine.begin() as conn:
            store_document(store, conn, src, rec, h, res, prov)
    return res


def provenance_of(geocoder: Any) -> str:
    """The provenance (JSON) every report of this run records: rasad version, lexicon, rules and gazetteer."""
    import json

    from rasad.provenance import provenance

    return json.dumps(provenance(geocoder.gaz.path if geocoder is not None else None), sort_keys=True)


def quarantine_input(store: Store, err: IngestError, res: IngestResult) -> None:
    """An unreadable input: counted, and kept in the quarantine table with its error (once)."""
    res.quarantined += 1
    res.errors.append(str(err))
    with store.engine.begin() as conn:
        seen = conn.execute(sa.select(quarantine.c.id).where(
            quarantine.c.path == err.path, quarantine.c.error == str(err))).first()
        if seen is None:
            conn.execute(quarantine.insert().values(path=err.path, doc=getattr(err, "doc", None),
                                                    line=getattr(err, "line", None), error=str(err),
                                                    at=now()))


def store_document(store: Store, conn: sa.Connection, src: Any, rec: dict[str, Any], h: str,
                   res: IngestResult, provenance: str | None = None) -> None:
    """Store one extracted document in the caller's transaction and merge its reports into the events."""
    if store.has_document(conn, h):  # another process got there first
        res.skipped += 1
        return
    doc_id = store.add_document(conn, src, rec, h)
    for i, ev in enumerate(rec["events"]):
        rid = store.add_report(conn, doc_id, i, ev, src.source, provenance)
        _eid, reason = place_report(conn, rid, doc_id, ev)
        res.reports += 1
        if reason.get("new_event"):
            res.new_events += 1
        else:
            res.merged += 1
    for i, ev in enumerate(rec.get("other_events") or []):
        store.add_other_event(conn, doc_id, i, ev)  # placed outside Syria: stored out of scope
        res.out_of_scope += 1
    res.documents += 1
