"""`rasad ingest`: read documents, extract their events, store them and merge them across documents.

Documents are read and extracted in batches of BATCH, outside any transaction; then a batch is stored in one
transaction: each document with its reports, claims and statistics, its reports merged into events, all or
nothing (`store_batch`). Incidents the document places outside Syria (its
record's other_events) are stored apart, out of scope, with their country. The same content twice adds nothing. A document that
cannot be read goes to the quarantine table with its error, and the batch goes on. After a Ctrl-C or
a killed process, a re-run skips what was stored and carries on.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa

from rasad.database import bulk
from rasad.database.merge import Fresh, Merger, Ready, prepare
from rasad.database.store import Store, content_hash, now, quarantine
from rasad.document import Source
from rasad.pipeline.read import IngestError, SeenIds, count_sources, iter_sources
from rasad.pipeline.run import DocumentTooLarge, extract
from rasad.schema import EventRecord

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


BATCH = 200  # documents extracted, then stored and merged in one transaction
# documents stored and merged in one transaction by a writer that extracts nothing itself (the client of
# `rasad ingest --dask` groups its workers' partitions so): every commit writes each page the batch changed to
# the write-ahead log, and the larger the batch, the more of its reports share a page (an index's leaf, a block
# read once); the write lock is held for about half a second. A slower stream is committed every WRITE_SECONDS,
# so that a killed client loses little and analysts see it progress
WRITE_BATCH = 1000
WRITE_SECONDS = 2.0
# a bulk load's transactions (`rasad ingest --bulk`, either writer): larger, since nothing reads the explorer's
# indexes meanwhile; the write lock is held a few seconds (300,000 synthetic reports: 0.73 -> 0.67 ms a report)
BULK_BATCH = 5000
BULK_SECONDS = 10.0


def ingest(store: Store, paths: Sequence[str], published: Any = None, geocoder: Any = None,
           progress: bool = False, retry_only: bool = False, batch: int | None = None,
           bulk_load: bool = False) -> IngestResult:
    """Extract, store and merge the documents of `paths`, `batch` (BATCH) at a time. A record the extractor failed
    on before is tried again like any other, and its quarantine entry goes once it is stored; with `retry_only`,
    only those records of the paths are read further (`rasad ingest --retry-quarantined`). With `bulk_load`, the
    explorer's indexes and rollups are made once, at the end (rasad.database.bulk); a bulk load left pending
    by an earlier run is finished at the end in any case."""
    with writer_run(store, bulk_load, say=progress):
        return _ingest(store, paths, published, geocoder, progress, retry_only,
                       batch or (BULK_BATCH if bulk_load else BATCH))


def _ingest(store: Store, paths: Sequence[str], published: Any, geocoder: Any, progress: bool, retry_only: bool,
            size: int) -> IngestResult:
    run = _Ingest(store, geocoder)
    sources: Any = iter_sources(list(paths), published=published, on_error=run.bad)
    if progress:
        from tqdm import tqdm

        sources = tqdm(sources, total=count_sources(list(paths)), unit="doc", desc="ingest", file=sys.stderr,
                       mininterval=0.5)
    ids = SeenIds()
    todo: list[Source] = []
    for src in sources:
        if retry_only and record_key(src) not in run.failed_before:
            continue
        warn(run.res, [*src.warnings, ids.check(src)])
        todo.append(src)
        if len(todo) == size:
            run.batch(todo)
            todo = []
    run.batch(todo)
    return run.res


def warn(res: IngestResult, warnings: list[str | None]) -> None:
    """What reading doubted about a record, counted, and kept up to WARNINGS_KEPT."""
    for w in warnings:
        if w:
            res.warned += 1
            if len(res.warnings) < WARNINGS_KEPT:
                res.warnings.append(w)


def failed(src: Source, why: str) -> IngestError:
    """The quarantine error of a record that was read but could not be stored (`--retry-quarantined` finds it)."""
    return IngestError(f"{src.where} (record {src.doc!r}): {why}", src.path or src.doc, doc=src.doc, line=src.line)


class _Ingest:
    """One `rasad ingest` run: its counts, and what it does with each batch of documents read."""

    def __init__(self, store: Store, geocoder: Any) -> None:
        self.store, self.geocoder = store, geocoder
        self.res = IngestResult()
        self.failed_before = failures(store)
        self.provenance = provenance_of(geocoder)

    def bad(self, err: IngestError) -> None:
        quarantine_input(self.store, err, self.res)

    def failure(self, src: Source, exc: Exception) -> None:
        self.res.failed.append(src.where)
        self.bad(failed(src, f"{FAILURE}: {exc.__class__.__name__}: {exc}"))

    def recovered(self, src: Source) -> None:
        """A record that failed before is stored now: its quarantine entries go."""
        ids = self.failed_before.pop(record_key(src), None)
        if ids:
            with self.store.writing() as conn:
                conn.execute(quarantine.delete().where(quarantine.c.id.in_(ids)))

    def batch(self, sources: list[Source]) -> None:
        """Extract the documents not stored yet (outside any transaction), then store and merge them in one."""
        todo: list[tuple[Source, dict[str, Any], str]] = []
        stored = self.store.stored_hashes([h for _, h in hashed(sources)])
        for src, h in hashed(sources):
            if h in stored:  # stored already, or told earlier in this batch
                self.res.skipped += 1
                self.recovered(src)
            elif (rec := self.extract(src)) is not None:
                todo.append((src, rec, h))
                stored.add(h)
        for (src, _rec, _h), added in zip(todo, store_batch(self.store, todo, self.provenance), strict=True):
            if isinstance(added, sa.exc.DataError):  # a value the database refuses: this record only, rolled back
                self.failure(src, added)
                continue
            self.recovered(src)
            count_stored(self.res, added)

    def extract(self, src: Source) -> dict[str, Any] | None:
        """The document's record, or None when it goes to the quarantine."""
        try:
            return extract(src, self.geocoder)
        except DocumentTooLarge as exc:  # too long, or too much work (incidents.TooMuchWork): the same on every run
            self.bad(IngestError(f"{src.where}: {exc}", src.path or src.doc, doc=src.doc, line=src.line))
        except Exception as exc:  # one record's bug never stops the batch: quarantined, reported, retried next run
            self.failure(src, exc)
        return None


def hashed(sources: list[Source]) -> list[tuple[Source, str]]:
    return [(src, content_hash(src.doc, src.title, src.text)) for src in sources]


@dataclass
class Stored:
    """What storing one document gave: its reports' (event id, merge reason) in order, and its incidents abroad."""

    placed: list[tuple[int, dict[str, Any]]]
    abroad: int


def store_batch(store: Store, items: list[tuple[Source, dict[str, Any], str]], provenance: str | None = None,
                ready: Sequence[list[Ready] | None] | None = None) -> list[Stored | None | sa.exc.DataError]:
    """Store documents (source, record, content hash), their reports merged into events, in one transaction that
    writes alone (`Store.writing`), in order: for each, what `store_in` gave. A value the database refuses rolls
    the batch back; its documents are then stored one a transaction, and the one refused gets its DataError.
    `ready`: for each document, its reports' `merge.prepare` when a worker made them (`ready_of`), else None."""
    if not items:
        return []
    readies = list(ready) if ready is not None else [None] * len(items)
    kept = store.kept_blocks
    try:
        with store.writing() as conn, _no_cyclic_gc():
            merger = Merger(conn, kept.take(conn), sync_rollups=not bulk.pending(conn))
            # the documents first, one after the other, then their reports merged: SQLite inserts into one table
            # and its indexes several times faster in a row than between the merge's other work, and the merge
            # reads a document only through its reports, stored after it either way
            doc_ids = [store.add_document(conn, src, rec, h) for src, rec, h in items]
            out: list[Stored | None | sa.exc.DataError] = [
                merge_in(conn, store, src, rec, doc_id, provenance, merger, r)
                for (src, rec, _h), doc_id, r in zip(items, doc_ids, readies, strict=True)]
            merger.flush()
            kept.keep(conn, merger.blocks)
        return out
    except BaseException as exc:
        kept.drop()  # they hold what was rolled back
        if not isinstance(exc, sa.exc.DataError):
            raise
        if len(items) == 1:
            return [exc]
        return [r for item, rd in zip(items, readies, strict=True) for r in store_batch(store, [item], provenance, [rd])]


def ready_of(src: Source, rec: dict[str, Any]) -> list[Ready] | None:
    """A document's reports' `merge.prepare`, as a Dask worker makes them for the writer; None when one cannot
    be made (the writer then meets the same record itself, and its error with it)."""
    try:
        return [prepare(ev, src.source, src.doc, src.title) for ev in rec.get("events") or []]
    except Exception:
        return None


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a batch is stored and merged: the merge makes and drops a
    great many small containers (every record parsed), which set the collector off again and again over the
    whole heap (a tenth of the writer's CPU), while it leaves hardly any cycle to collect. Collection resumes
    after, as it was; in a `writer_heap`, what is alive then is frozen first."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if _heap.frozen:
            gc.freeze()
        gc.enable()


class _Heap:
    frozen = False  # inside a `writer_heap`


_heap = _Heap()


@contextmanager
def writer_heap() -> Iterator[None]:
    """Around a long-running writer (`rasad ingest`, with or without --dask): after each batch, the objects alive
    (the blocks kept for the next batch above all, and the lexicons, the gazetteer, ...) are moved out of the
    cyclic collector's sight (`gc.freeze`), so that its full collections go through what the run made since,
    not the whole heap again and again: a million synthetic reports keep 700,000 events' blocks, and the
    collector spent a fifth of the writer's time on them. What is frozen is still freed when no longer used
    (reference counting); only a cycle that became garbage waits for the end, when everything is given back to
    the collector (`gc.unfreeze`). Nothing is done when something else froze objects already."""
    if _heap.frozen or gc.get_freeze_count():
        yield
        return
    _heap.frozen = True
    try:
        yield
    finally:
        _heap.frozen = False
        gc.unfreeze()


@contextmanager
def writer_run(store: Store, bulk_load: bool = False, say: bool = False) -> Iterator[None]:
    """Around the single writer of a `rasad ingest` (with or without --dask): its log copied by a thread of its own
    (`Store.background_checkpoints`), a bulk load set up and finished (`bulk.loading`; `say`: what it does goes
    to stderr), its heap frozen between batches (`writer_heap`)."""
    with store.background_checkpoints(), bulk.loading(store, bulk_load, say=say), writer_heap():
        yield


def store_in(conn: sa.Connection, store: Store, src: Source, rec: dict[str, Any], h: str,
             provenance: str | None, merger: Merger, ready: list[Ready] | None = None) -> Stored | None:
    """One document stored, its reports merged into events (by `merger`, in the caller's transaction) and its
    incidents abroad stored out of scope; None when it is stored already. `ready`: its reports' `merge.prepare`."""
    return merge_in(conn, store, src, rec, store.add_document(conn, src, rec, h), provenance, merger, ready)


def merge_in(conn: sa.Connection, store: Store, src: Source, rec: dict[str, Any], doc_id: int | None,
             provenance: str | None, merger: Merger, ready: list[Ready] | None = None) -> Stored | None:
    """`store_in` for a document stored already as doc_id (None: it was there before, and nothing is done)."""
    if doc_id is None:
        return None
    placed = [place_new(merger, src, doc_id, i, ev, provenance, ready[i] if ready else None)
              for i, ev in enumerate(rec["events"])]
    abroad = rec.get("other_events") or []
    for i, ev in enumerate(abroad):
        store.add_other_event(conn, doc_id, i, ev)  # placed outside Syria: stored out of scope
    return Stored(placed, len(abroad))


def place_new(merger: Merger, src: Source, doc_id: int, idx: int, ev: dict[str, Any], provenance: str | None,
              ready: Ready | None = None) -> tuple[int, dict[str, Any]]:
    """Merge the document's idx-th report and store it (with its claims) attached to its event: (event id, merge
    reason). The reports of a document are stored in idx order, none of them before (a new document, or one whose
    reports `rasad reprocess` deleted): the first has no other report of its document in any event. `ready`: the
    report's `merge.prepare`, when a worker made it."""
    if ready is None:
        ready = prepare(ev, src.source, src.doc, src.title, solo=False)
    unstored = {"document_id": doc_id, "idx": idx, "date": ev.get("date"), "admin1": ev.get("admin1"),
                "provenance": provenance}
    return merger.place(Fresh(None, ready.record, src.source, src.doc, src.title, ready.claims, src.text, idx == 0,
                              unstored, ready.summary, ready.solo), doc_id, cast(EventRecord, ev))


def count_stored(res: IngestResult, added: Stored | None) -> None:
    """Add one document's `store_in` result to the run's counts."""
    if added is None:  # another process got there first
        res.skipped += 1
        return
    new_events = sum(1 for _eid, reason in added.placed if reason.get("new_event"))
    res.documents += 1
    res.reports += len(added.placed)
    res.new_events += new_events
    res.merged += len(added.placed) - new_events
    res.out_of_scope += added.abroad


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
    from rasad.provenance import provenance

    return json.dumps(provenance(geocoder.gaz.path if geocoder is not None else None), sort_keys=True)
