"""Extraction on Dask beside one process: articles/s for 1 and 2 local workers, the per-partition overhead,
and `rasad ingest --dask` into SQLite.

* single     `cli.extract_record` over the loaded corpus in this process, each record rendered as the JSON
             line `rasad extract` writes (`write.Render`): the work of `rasad extract` but the reading;
* dask N     `distributed.map_partitions` on a LocalCluster of N worker processes (one thread each), the
             workers extracting and rendering, set up and warmed on a few records before the clock starts;
             the lines must equal the single-process ones (checked);
* overhead   one worker, the same records in partitions of --small and of --partition records: the
             extra seconds divided by the extra partitions;
* ingest     `rasad ingest CORPUS --dask` into a fresh SQLite database, and the same without --dask; then
             both again into PostgreSQL, on a throwaway server the benchmark starts itself (bench/pgserver.py,
             as `.ci/run` does; --no-pg leaves it out), a fresh database each run.

Every timing is the median of --repeats runs. The machine's load average is recorded at the start and
the end: on a shared machine the figures say what the machine gave, not what the code can do.

    .venv/bin/python bench/bench_dask.py [--corpus PATH] [--limit N] [--repeats 3] [--no-pg] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pgserver import fresh_database, pg_version, throwaway_postgres  # noqa: E402

from rasad.pipeline.write import Render  # noqa: E402

DEFAULT_CORPUS = "../shared/corpus/ant/articles.jsonl.gz"
DEFAULT_OUT = "bench/results/dask.md"


def _load(corpus: str, limit: int | None) -> list[Any]:
    from rasad.pipeline.read import iter_sources

    out = []
    for src in iter_sources([corpus], on_error=lambda e: None):
        out.append(src)
        if limit and len(out) >= limit:
            break
    return out


JSONL = Render("jsonl")  # what `rasad extract` (the JSON lines format) needs of a record
CPU: dict[str, list[float]] = {}  # pass -> CPU seconds of each run: [extraction (workers), client]


def _single(sources: list[Any], geocoder: Any) -> tuple[float, list[Any]]:
    from rasad.cli import extract_record

    t0, c0 = time.perf_counter(), time.process_time()
    recs = [JSONL(extract_record(s, geocoder)) for s in sources]
    CPU.setdefault("single", []).append(time.process_time() - c0)
    return time.perf_counter() - t0, recs


def _dask(cluster: Any, sources: list[Any], geocoder: Any, size: int, name: str = "") -> tuple[float, list[Any]]:
    from rasad.distributed import map_partitions

    stats: dict[str, float] = {}
    t0, c0 = time.perf_counter(), time.process_time()
    recs = [r for _, part in map_partitions(cluster, sources, geocoder, size, stats=stats, render=JSONL) for r in part]
    wall = time.perf_counter() - t0
    if name:
        CPU.setdefault(name, []).append(stats.get("cpu", 0.0))
        CPU.setdefault(name + " client", []).append(time.process_time() - c0)
    return wall, recs


def _median(runs: int, fn: Any) -> tuple[float, Any]:
    times, last = [], None
    for _ in range(runs):
        t, last = fn()
        times.append(t)
    return statistics.median(times), last


def _sample(corpus: str, limit: int | None, tmp: str) -> str:
    """The corpus, or its first `limit` records in a file of their own."""
    if not limit:
        return corpus
    import gzip

    src = str(Path(tmp) / "sample.jsonl")
    opener = gzip.open if corpus.endswith(".gz") else open
    with opener(corpus, "rt", encoding="utf-8") as f, open(src, "w", encoding="utf-8") as out:
        for i, line in enumerate(f):
            if i >= limit:
                break
            out.write(line)
    return src


RUNS = itertools.count()  # numbers the fresh PostgreSQL database of each ingest run


def _ingest(corpus: str, limit: int | None, dask: bool, workers: int, pg: str | None = None) -> float:
    """Seconds of one `rasad ingest` into a fresh SQLite file, or a fresh database on the server of `pg`."""
    with tempfile.TemporaryDirectory() as tmp:
        src = _sample(corpus, limit, tmp)
        db = fresh_database(pg, f"ingest_{next(RUNS)}") if pg else str(Path(tmp) / "b.db")
        rasad = str(Path(sys.executable).with_name("rasad"))
        cmd = [rasad, "ingest", src, "--db", db, "--no-progress"]
        if dask:
            cmd += ["--jobs", str(workers), "--dask", "local"]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        return time.perf_counter() - t0


def _ingest_rows(args: argparse.Namespace, pg: str | None) -> list[tuple[str, float]]:
    t1 = _median(args.repeats, lambda: (_ingest(args.corpus, args.limit, False, 1, pg), None))[0]
    t2 = _median(args.repeats, lambda: (_ingest(args.corpus, args.limit, True, 2, pg), None))[0]
    return [("`rasad ingest`, one process", t1), ("`rasad ingest --dask --jobs 2`", t2)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="Only the first N records.")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--partition", type=int, default=200, help="Records a partition for the throughput runs.")
    ap.add_argument("--small", type=int, default=10, help="Records a partition for the overhead run.")
    ap.add_argument("--overhead-records", type=int, default=2000)
    ap.add_argument("--no-ingest", action="store_true", help="Leave out the ingest timings.")
    ap.add_argument("--no-pg", action="store_true", help="Leave out the ingest into PostgreSQL.")
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()

    from rasad.distributed import Cluster
    from rasad.gazetteer import open_gazetteer
    from rasad.pipeline.geocode import Geocoder

    load_start = os.getloadavg()
    geocoder = Geocoder(open_gazetteer(None))
    sources = _load(args.corpus, args.limit)
    n = len(sources)
    print(f"{n} records loaded", file=sys.stderr)
    _single(sources[:20], geocoder)  # lexicons loaded before the clock starts, as the workers' are
    CPU.clear()
    t_single, expected = _median(args.repeats, lambda: _single(sources, geocoder))
    rows = [("single process", 1, t_single)]
    overhead = None
    for workers in (1, 2):
        with Cluster(None, workers) as cluster:
            _dask(cluster, sources[:workers * 20], geocoder, 10)  # set up and warm every worker
            name = f"dask{workers}"
            t, recs = _median(args.repeats,
                              lambda c=cluster, k=name: _dask(c, sources, geocoder, args.partition, k))
            if recs != expected:
                raise SystemExit(f"dask with {workers} workers gave other records than one process")
            rows.append((f"Dask, {workers} local worker{'s' if workers > 1 else ''}", workers, t))
            if workers == 1:
                sub = sources[:args.overhead_records]
                t_small, _ = _median(args.repeats, lambda c=cluster, s=sub: _dask(c, s, geocoder, args.small))
                t_big, _ = _median(args.repeats, lambda c=cluster, s=sub: _dask(c, s, geocoder, args.partition))
                extra = -(-len(sub) // args.small) - -(-len(sub) // args.partition)
                overhead = (t_small - t_big) / extra if extra > 0 else None
        print(f"dask {workers} done", file=sys.stderr)
    ingest_rows: dict[str, list[tuple[str, float]]] = {}
    if not args.no_ingest:
        ingest_rows["SQLite"] = _ingest_rows(args, None)
        if not args.no_pg:
            with throwaway_postgres() as pg:
                ingest_rows[f"PostgreSQL {pg_version()}"] = _ingest_rows(args, pg)
    load_end = os.getloadavg()

    lines = [
        "# rasad on Dask: extraction and ingest",
        "",
        f"- date: {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
        f"- python {platform.python_version()}, {platform.platform()}, cpu_count {os.cpu_count()}",
        f"- corpus: {args.corpus}, {n:,} records; partitions of {args.partition}; median of {args.repeats} runs",
        f"- load average at the start {load_start[0]:.1f}, at the end {load_end[0]:.1f} "
        + ("(above 1 at the start on this 2-core machine: other work shared the cores, the figures are what it gave)"
           if load_start[0] > 1 else "(the machine otherwise idle; the 2 workers' own load shows at the end)"),
        "- records of every Dask run equal to the single-process records: yes",
        "",
        "| extraction | workers | seconds | articles/s | × one process | CPU ms / article: extraction | client |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    keys = ["single", "dask1", "dask2"]
    for (name, w, t), key in zip(rows, keys, strict=True):
        ext = statistics.median(CPU.get(key, [0.0])) / n * 1000
        client = f"{statistics.median(CPU[key + ' client']) / n * 1000:.2f}" if key + " client" in CPU else "—"
        lines.append(f"| {name} | {w} | {t:.1f} | {n / t:,.0f} | {t_single / t:.2f} | {ext:.2f} | {client} |")
    lines += ["", "CPU ms / article depends less than seconds on what else runs on the machine: extraction is the "
              "CPU time of the extracting process(es) (rendering the JSON lines included), client the CPU time of "
              "the process that sends the partitions and takes the lines back."]
    if overhead is not None:
        lines += ["", f"Per-partition overhead (1 worker, {args.overhead_records:,} records in partitions of "
                      f"{args.small} against {args.partition}): {overhead * 1000:.1f} ms a partition."]
    for backend, timed in ingest_rows.items():
        lines += ["", f"| ingest into {backend} | seconds | articles/s |", "|---|---:|---:|"]
        lines += [f"| {name} | {t:.1f} | {n / t:,.0f} |" for name, t in timed]
    if ingest_rows:
        lines += ["", "Ingest times include starting the process (and the local cluster with --dask); PostgreSQL is "
                  "a throwaway server on this machine (fsync off), a fresh database each run."]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
