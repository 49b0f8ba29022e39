"""`rasad ingest`: read documents, extract their events, store them and merge them across documents.

One transaction per document: a document is stored with its reports, claims and statistics, and its
reports are merged into events, all or nothing. Incidents the document places outside Syria (its
record's other_events) are stored apart, out of scope, with their country. The same content twice adds nothing. A document that
cannot be read goes to the quarantine table with its error, and the batch goes on. After a Ctrl-C or
a killed process, a re-run skips what was stored and carries on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from rasad.database.merge import place_report
from rasad.database.store import Store, content_hash, now, quarantine
from rasad.document import Source
from rasad.pipeline.read import IngestError, SeenIds, count_sources, iter_sources
from rasad.pipeline.run import DocumentTooLarge, extract

WARNINGS_KEPT = 100


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
    failed: list[str] = field(default_factory=list)  # records the extractor or the store failed on (quarantined)
    warnings: list[str] = field(default_factory=list)  # what reading doubted: a published that is no date, an id again
    warned: int = 0  # how many warnings in all (`warnings` keeps the first WARNINGS_KEPT)


FAILURE = "internal error, please report"  # the mark of a record the extractor failed on, in its quarantine error


def stored_path(path: str) -> str:
    """A quarantined input's path as stored: absolute when it names a file, so that `rasad ingest
    --retry-quarantined` finds the file again from any directory ("-", a record's id or a missing file as given)."""
    return os.path.abspath(path) if path != "-" and os.path.isfile(path) else path


def failures(store: Store) -> dict[tuple[str, int | None], list[int]]:
    """The records the extractor failed on, as quarantined: (path, line) -> the ids of their quarantine rows (a
    relative path stored by an older rasad is taken from the current directory)."""
    out: dict[tuple[str, int | None], list[int]] = {}
    q = sa.select(quarantine.c.id, quarantine.c.path, quarantine.c.line).where(quarantine.c.error.contains(FAILURE))
    with store.engine.connect() as conn:
        for qid, path, line in conn.execute(q):
            out.setdefault((stored_path(path), line), []).append(qid)
    return out


def record_key(src: Source) -> tuple[str, int | None]:
    """Where a record was read, as its quarantine entry holds it: (stored path, line)."""
    return stored_path(src.path or src.doc), src.line


def ingest(store: Store, paths: Sequence[str], published: Any = None, geocoder: Any = None,
           progress: bool = False, retry_only: bool = False) -> IngestResult:
    """Extract, store and merge the documents of `paths`. A record the extractor failed on before is tried again
    like any other, and its quarantine entry goes once it is stored; with `retry_only`, only those records of the
    paths are read further (`rasad ingest --retry-quarantined`)."""
    res = IngestResult()
    failed_before = failures(store)
    prov = provenance_of(geocoder)

    def bad(err: IngestError) -> None:
        quarantine_input(store, err, res)

    def failure(src: Source, exc: Exception) -> None:
        res.failed.append(src.where)
        bad(IngestError(f"{src.where} (record {src.doc!r}): {FAILURE}: "
                        f"{exc.__class__.__name__}: {exc}", src.path or src.doc, doc=src.doc, line=src.line))

    def recovered(src: Source) -> None:
        """A record that failed before is stored now: its quarantine entries go."""
        ids = failed_before.pop(record_key(src), None)
        if ids:
            with store.writing() as conn:
                conn.execute(quarantine.delete().where(quarantine.c.id.in_(ids)))

    sources: Any = iter_sources(list(paths), published=published, on_error=bad)
    if progress:
        from tqdm import tqdm

        sources = tqdm(sources, total=count_sources(list(paths)), unit="doc", desc="ingest", file=sys.stderr,
                       mininterval=0.5)
    ids = SeenIds()
    for src in sources:
        if retry_only and record_key(src) not in failed_before:
            continue
        for w in [*src.warnings, ids.check(src)]:
            if w:
                res.warned += 1
                if len(res.warnings) < WARNINGS_KEPT:
                    res.warnings.append(w)
        h = content_hash(src.doc, src.title, src.text)
        with store.engine.connect() as conn:
            if store.has_document(conn, h):
                res.skipped += 1
                recovered(src)
                continue
        try:
            rec = extract(src, geocoder)
        except DocumentTooLarge as exc:  # too long, or too much work (incidents.TooMuchWork): the same on every run
            bad(IngestError(f"{src.where}: {exc}", src.path or src.doc, doc=src.doc, line=src.line))
            continue
        except Exception as exc:  # one record's bug never stops the batch: quarantined, reported, retried next run
            failure(src, exc)
            continue
        try:
            added = _store(store, src, rec, h, prov)
        except sa.exc.DataError as exc:  # a value the database refuses: this record only, rolled back
            failure(src, exc)
            continue
        recovered(src)
        count_stored(res, added)
    return res


def _store(store: Store, src: Source, rec: dict[str, Any], h: str,
           provenance: str | None = None) -> tuple[int, int, int] | None:
    """Store one document, its reports merged into events and its incidents abroad, in one transaction that
    writes alone (`Store.writing`): (reports, new events, out of scope), or None when it is stored already."""
    with store.writing() as conn:
        return store_in(conn, store, src, rec, h, provenance)


def store_in(conn: sa.Connection, store: Store, src: Source, rec: dict[str, Any], h: str,
             provenance: str | None = None) -> tuple[int, int, int] | None:
    """`_store` in the caller's transaction (`rasad ingest --dask` stores a partition in one)."""
    reports = new_events = 0
    doc_id = store.add_document(conn, src, rec, h)
    if doc_id is None:
        return None
    for i, ev in enumerate(rec["events"]):
        rid = store.add_report(conn, doc_id, i, ev, src.source, provenance)
        _eid, reason = place_report(conn, rid, doc_id, ev)
        reports += 1
        new_events += bool(reason.get("new_event"))
    abroad = rec.get("other_events") or []
    for i, ev in enumerate(abroad):
        store.add_other_event(conn, doc_id, i, ev)  # placed outside Syria: stored out of scope
    return reports, new_events, len(abroad)


def count_stored(res: IngestResult, added: tuple[int, int, int] | None) -> None:
    """Add one document's `store_in` result to the run's counts."""
    if added is None:  # another process got there first
        res.skipped += 1
        return
    res.documents += 1
    res.reports += added[0]
    res.new_events += added[1]
    res.merged += added[0] - added[1]
    res.out_of_scope += added[2]


def quarantine_input(store: Store, err: IngestError, res: IngestResult) -> None:
    """An unreadable input: counted, and kept in the quarantine table with its error (once)."""
    res.quarantined += 1
    res.errors.append(str(err))
    path = stored_path(err.path)
    with store.writing() as conn:
        seen = conn.execute(sa.select(quarantine.c.id).where(
            quarantine.c.path == path, quarantine.c.error == str(err))).first()
        if seen is None:
            conn.execute(quarantine.insert().values(path=path, doc=getattr(err, "doc", None),
                                                    line=getattr(err, "line", None), error=str(err),
                                                    at=now()))


def provenance_of(geocoder: Any) -> str:
    """The provenance (JSON) every report of this run records: rasad version, lexicon, rules and gazetteer."""
    import json

    from rasad.provenance import provenance

    return json.dumps(provenance(geocoder.gaz.path if geocoder is not None else None), sort_keys=True)
