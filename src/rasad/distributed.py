"""`--dask`: extraction on a dask.distributed cluster, results in input order, one writer on the client.

The client reads the inputs, as a single-process run does, so unreadable records are reported with
their file and line on the client, never lost in a worker's log. It cuts the documents into partitions
of consecutive records (a folder's files in their order, a batch's records in theirs) and submits one
task per partition, a bounded number ahead. Workers extract with the same function as `rasad extract`
(`cli.extract_record`); a worker plugin, set up once per worker process and again on any worker that
joins later, writes the gazetteer database's bytes (and the files of $RASAD_DATA, when set) into the
worker's own directory: workers need no file of the client and not its working directory. Results
are taken back in submission order, so the output is the single-process output, byte for byte. A
worker that dies loses its tasks to the scheduler, which runs them again elsewhere (Dask's
`distributed.scheduler.allowed-failures`); the order and the records stay the same.

Each result carries the worker's provenance (rasad version, lexicon and rules fingerprints); a worker
that runs other rules than the client stops the run rather than mixing two rule sets in one output.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from rasad import __version__
from rasad.document import Source
from rasad.pipeline.read import IngestError, count_sources, iter_sources

PLUGIN = "rasad-extract"
PARTITION_SIZE = 100  # records a task; ANT articles take ~1.5 ms each, so a task is ~0.15 s of work
LOCAL = "local"  # `--dask` without an address: a LocalCluster on this machine
INSTALL_HINT = "pip install 'rasad[dask]'"
# Dask's monitors that sample a worker while it computes: the statistical profiler walks the stack of the
# running task every 10 ms and the GIL monitor polls every 1 ms. On rasad's long, pure-Python tasks they
# cost a worker about 5% of its CPU (bench/bench_dask.py, 1 worker, 6,000 ANT articles: 1.10 against 1.03
# ms an article), so a local cluster runs without them unless the user's Dask configuration names them.
QUIET_MONITORS = {"distributed.worker.profile.enabled": False, "distributed.admin.system-monitor.gil.enabled": False}


class DaskError(RuntimeError):
    """Dask is missing, the scheduler cannot be reached, or a worker runs other rules."""


def _fingerprint() -> tuple[str, str, str]:
    from rasad.provenance import lexicon_fingerprint, rules_fingerprint

    return (__version__, lexicon_fingerprint(), rules_fingerprint())


def _overlay_files() -> dict[str, bytes]:
    """The files of $RASAD_DATA (a changed lexicon being tried), by their name relative to it."""
    from rasad.lang.lexicon import DATA_ENV

    root = os.environ.get(DATA_ENV)
    if not root:
        return {}
    base = Path(root)
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


try:
    from distributed.diagnostics.plugin import WorkerPlugin as _PluginBase
except ImportError:  # the dask extra is not installed: only the error message below is reachable
    _PluginBase = object  # type: ignore[assignment,misc]


class RasadWorker(_PluginBase):  # type: ignore[misc,valid-type]
    """Set up on every worker: the client's gazetteer and lexicon files written locally, loaded once."""

    def __init__(self, gazetteer: bytes | None, overlay: dict[str, bytes]) -> None:
        self.gazetteer = gazetteer
        self.overlay = overlay
        self.geocoder: Any = None
        self.fingerprint: tuple[str, str, str] | None = None
        self.lock: Any = None

    def setup(self, worker: Any) -> None:
        from rasad.lang.lexicon import DATA_ENV

        here = Path(worker.local_directory)
        if self.overlay:
            digest = hashlib.sha256(b"".join(k.encode() + v for k, v in self.overlay.items())).hexdigest()[:16]
            root = here / f"rasad-data-{digest}"
            for name, data in self.overlay.items():
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                (root / name).write_bytes(data)
            os.environ[DATA_ENV] = str(root)
        else:
            os.environ.pop(DATA_ENV, None)
        if self.gazetteer is not None:
            from rasad.gazetteer import Gazetteer
            from rasad.pipeline.geocode import Geocoder

            db = here / f"gazetteer-{hashlib.sha256(self.gazetteer).hexdigest()[:16]}.sqlite"
            if not db.exists():
                tmp = db.with_suffix(".part")
                tmp.write_bytes(self.gazetteer)
                tmp.replace(db)
            self.geocoder = Geocoder(Gazetteer(db))
        self.gazetteer = None  # loaded: the bytes need not stay in the worker's memory
        self.fingerprint = _loaded_fingerprint()
        # extraction holds the GIL and keeps per-process caches: one task at a time per process, whatever
        # `--nthreads` the worker was started with (start more worker processes to use more cores)
        self.lock = threading.Lock()


_LOADED: tuple[str, str, str] | None = None


def _loaded_fingerprint() -> tuple[str, str, str]:
    """The rules this process extracts with: those of its first setup, since lexicons are loaded once and
    kept (a worker set up again with other lexicon files keeps the first, and says so by this)."""
    global _LOADED
    if _LOADED is None:
        _LOADED = _fingerprint()
    return _LOADED


def extract_partition(sources: list[Source], render: Any = None, prepare: bool = False) -> dict[str, Any]:
    """A task: the records of one partition, with who made them and how long it took. Given `render`
    (`write.Render`, for `rasad extract`), each record comes back in the output's format, so the client
    only writes it: rendering is spread over the workers, and a string travels lighter than dictionaries.
    With `prepare` (for `rasad ingest`), each comes back as (record, its reports' `merge.prepare`): the part of
    the writer's work that depends on the report alone, done here rather than by the single writer."""
    from distributed import get_worker

    from rasad.cli import extract_record

    worker = get_worker()
    plugin = worker.plugins[PLUGIN]
    with plugin.lock:
        t0, c0 = time.perf_counter(), time.process_time()
        records = [extract_record(src, plugin.geocoder) for src in sources]
        if render is not None:
            records = [render(rec) for rec in records]
        if prepare:
            from rasad.database.ingest import ready_of

            records = [(rec, None if "error" in rec or "skipped" in rec else ready_of(src, rec))
                       for src, rec in zip(sources, records, strict=True)]
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"records": records, "worker": worker.address, "seconds": seconds, "cpu": cpu,
            "fingerprint": plugin.fingerprint}


def _unset(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings the user's Dask configuration (YAML files, DASK_* variables) leaves at Dask's default."""
    from dask.config import collect, get

    own = collect()  # the user's files and DASK_* variables only: installed packages' defaults are added apart
    return {key: value for key, value in settings.items() if get(key, None, config=own) is None}


def _has_bokeh() -> bool:
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None


class Cluster:
    """A client on a scheduler: a LocalCluster of `workers` processes, or the scheduler at `address`."""

    def __init__(self, address: str | None = None, workers: int | None = None, quiet: bool = True) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise DaskError(f"--dask needs Dask: {INSTALL_HINT}") from exc
        self.local: Any = None
        # quiet: a worker's heartbeat that meets the closing scheduler at the end of a run is no news
        level = logging.CRITICAL if quiet else logging.WARNING
        if address in (None, LOCAL):
            import dask

            with dask.config.set(_unset(QUIET_MONITORS)):  # a worker's nanny hands this configuration on
                self.local = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                          processes=True, dashboard_address=":0", silence_logs=level)
            self.client = Client(self.local)
        else:
            logging.getLogger("distributed").setLevel(logging.ERROR if quiet else logging.WARNING)
            try:
                self.client = Client(address, timeout="20s")
            except OSError as exc:
                raise DaskError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc

    @property
    def dashboard(self) -> str | None:
        """The dashboard's address, when the scheduler serves one (it needs bokeh)."""
        services = self.client.scheduler_info().get("services", {})
        if "dashboard" not in services:
            return None
        try:  # the scheduler serves its HTTP routes without bokeh, but the dashboard's pages need it
            has_bokeh = self.client.run_on_scheduler(_has_bokeh)
        except Exception:
            has_bokeh = False
        return self.client.dashboard_link if has_bokeh else None

    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def close(self) -> None:
        self.client.close()
        if self.local is not None:
            self.local.close()

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def map_partitions(cluster: Cluster, sources: Iterable[Source], geocoder: Any, partition_size: int = PARTITION_SIZE,
                   progress: Any = None, stats: dict[str, float] | None = None, render: Any = None,
                   prepare: bool = False) -> Iterator[tuple[list[Source], list[Any]]]:
    """(partition, its records) in input order. `sources` is read only between partitions handed back, so
    its error callback may write to the caller's store. `stats`, when given, sums the workers' extraction
    seconds and CPU seconds. With `render`, the records come as `write.Rendered`; with `prepare`, as (record,
    its reports' `merge.prepare`) (`extract_partition`)."""
    gazetteer = Path(geocoder.gaz.path).read_bytes() if geocoder is not None else None
    client = cluster.client
    client.register_plugin(RasadWorker(gazetteer, _overlay_files()), name=PLUGIN)
    expected = _fingerprint()
    ahead = 4 * max(1, cluster.workers())
    run = uuid.uuid4().hex[:8]
    pending: deque[tuple[list[Source], Any]] = deque()
    rates: dict[str, list[float]] = {}
    it = iter(sources)
    index = 0

    def submit() -> bool:
        nonlocal index
        part = [src for _, src in zip(range(partition_size), it, strict=False)]
        if not part:
            return False
        pending.append((part, client.submit(extract_partition, part, render, prepare, key=f"rasad-extract-{run}-{index}", pure=False)))
        index += 1
        return True

    more = True
    while more and len(pending) < ahead:
        more = submit()
    while pending:
        part, fut = pending.popleft()
        out = fut.result()
        fut.release()
        if tuple(out["fingerprint"]) != expected:
            raise DaskError(f"worker {out['worker']} runs rasad {out['fingerprint'][0]} with lexicon "
                            f"{out['fingerprint'][1]} and rules {out['fingerprint'][2]}, this client "
                            f"{expected[0]} with {expected[1]} and {expected[2]}: install the same rasad on every "
                            "worker, and restart workers after a lexicon change")
        if more:
            more = submit()
        if stats is not None:
            stats["seconds"] = stats.get("seconds", 0.0) + out["seconds"]
            stats["cpu"] = stats.get("cpu", 0.0) + out["cpu"]
        if progress is not None:
            done = rates.setdefault(out["worker"], [0.0, 0.0])
            done[0] += len(part)
            done[1] += out["seconds"]
            per = sum(d[0] / d[1] for d in rates.values() if d[1] > 0) / max(1, len(rates))
            progress.set_postfix_str(f"{len(rates)} workers, {per:.0f} doc/s each", refresh=False)
            progress.update(len(part))
        yield part, out["records"]


def _progress_bar(show: bool, total: int | None, desc: str) -> Any:
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc=desc, file=sys.stderr, mininterval=0.5)


def _announce(cluster: Cluster) -> None:
    where = "a local cluster" if cluster.local is not None else str(cluster.client.scheduler.address)
    board = cluster.dashboard
    print(f"rasad: Dask: {cluster.workers()} workers on {where}" + (f", dashboard {board}" if board else ""),
          file=sys.stderr, flush=True)


def extract_records(paths: Sequence[str], published: Any, geocoder: Any, address: str | None, workers: int | None,
                    partition_size: int, progress: bool, errors: list[IngestError],
                    wrap: Any = None, render: Any = None) -> Iterator[Any]:
    """`rasad extract --dask`: the records of PATHS in input order, unreadable inputs added to `errors`;
    `wrap`, when given, sees the documents as they are read (the CLI prints reading's warnings); `render`,
    when given, renders them on the workers."""
    sources = iter_sources(list(paths), published=published, on_error=errors.append)
    if wrap is not None:
        sources = wrap(sources)
    with Cluster(address, workers) as cluster:
        _announce(cluster)
        bar = _progress_bar(progress, count_sources(list(paths)) if progress else None, "extract")
        try:
            for _part, records in map_partitions(cluster, sources, geocoder, partition_size, bar, render=render):
                yield from records
        finally:
            if bar is not None:
                bar.close()


def ingest(store: Any, paths: Sequence[str], published: Any, geocoder: Any, address: str | None,
           workers: int | None, partition_size: int, progress: bool, batch: int | None = None,
           bulk_load: bool = False) -> Any:
    """`rasad ingest --dask`: workers extract, this process stores and merges in input order, the partitions
    received grouped into one transaction when they hold `batch` documents (WRITE_BATCH) or WRITE_SECONDS have
    passed.
    Documents already stored are not sent; a re-run after a kill resumes where the last committed transaction
    ended, and gives the database a clean run gives (where a transaction ends changes no merge decision).
    `bulk_load`: as `rasad.database.ingest.ingest`'s."""
    from rasad.database.ingest import BULK_BATCH, BULK_SECONDS, WRITE_BATCH, WRITE_SECONDS, writer_run

    with writer_run(store, bulk_load, say=progress):
        return _ingest(store, paths, published, geocoder, address, workers, partition_size, progress,
                       batch or (BULK_BATCH if bulk_load else WRITE_BATCH),
                       BULK_SECONDS if bulk_load else WRITE_SECONDS)


def _ingest(store: Any, paths: Sequence[str], published: Any, geocoder: Any, address: str | None,
            workers: int | None, partition_size: int, progress: bool, batch: int, seconds: float) -> Any:
    from rasad.database.ingest import (
        FAILURE,
        IngestResult,
        count_stored,
        failed,
        provenance_of,
        quarantine_input,
        store_batch,
        warn,
    )
    from rasad.database.store import content_hash
    from rasad.pipeline.read import SeenIds

    res = IngestResult()
    prov = provenance_of(geocoder)

    hashes: dict[int, str] = {}  # a document sent to the workers (by id: it stays in its partition) -> its hash

    def unstored(sources: Iterable[Source]) -> Iterator[Source]:
        """The documents not stored yet, asked a partition at a time (one query, not one per document: this
        process is the single writer); their content hashes are kept for storing them."""
        ids = SeenIds()
        it = iter(sources)
        while chunk := list(islice(it, partition_size)):
            chunk_hashes = [content_hash(src.doc, src.title, src.text) for src in chunk]
            stored = store.stored_hashes(chunk_hashes)
            for src, h in zip(chunk, chunk_hashes, strict=True):
                warn(res, [*src.warnings, ids.check(src)])  # what reading doubted, as `rasad ingest` tells it
                if h in stored:
                    res.skipped += 1
                    if bar is not None:
                        bar.update(1)
                    continue
                hashes[id(src)] = h
                yield src

    sources = iter_sources(list(paths), published=published, on_error=lambda e: quarantine_input(store, e, res))
    bar: Any = None
    with Cluster(address, workers) as cluster:
        _announce(cluster)
        bar = _progress_bar(progress, count_sources(list(paths)) if progress else None, "ingest")
        todo: list[tuple[Source, dict[str, Any], str]] = []
        ready: list[Any] = []  # each document's reports' `merge.prepare`, made by the workers
        unread: list[IngestError] = []
        written = time.monotonic()

        def write() -> None:
            """Store and merge the partitions received since the last write, in one transaction."""
            nonlocal written
            for (src, _rec, _h), added in zip(todo, store_batch(store, todo, prov, ready), strict=True):
                if isinstance(added, Exception):  # a value the database refuses: this record only
                    res.failed.append(src.where)
                    unread.append(failed(src, f"{FAILURE}: {added.__class__.__name__}: {added}"))
                else:
                    count_stored(res, added)
            for err in unread:  # after the transaction: SQLite has one writer
                quarantine_input(store, err, res)
            todo.clear()
            ready.clear()
            unread.clear()
            written = time.monotonic()

        try:
            for part, records in map_partitions(cluster, unstored(sources), geocoder, partition_size, bar,
                                                prepare=True):
                for src, (rec, prepared) in zip(part, records, strict=True):
                    h = hashes.pop(id(src))
                    if "skipped" in rec:  # too large: quarantined
                        unread.append(IngestError(rec["warnings"][0], src.path or src.doc, doc=src.doc, line=src.line))
                    elif "error" in rec:  # an internal error, as `rasad ingest` words it (--retry-quarantined finds it)
                        res.failed.append(src.where)
                        unread.append(failed(src, rec["warnings"][0]))
                    else:
                        todo.append((src, rec, h))
                        ready.append(prepared)
                if len(todo) >= batch or time.monotonic() - written >= seconds:
                    write()  # partitions in input order, grouped: one commit for many
            write()
        finally:
            if bar is not None:
                bar.close()
    return res
