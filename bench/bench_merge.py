"""Merge time for synthetic reports: does merging stay near n log n as the store grows?

Synthetic incidents are spread over the 14 governorates and over as many days as keep the density
fixed (--density incidents per governorate per day, 1 by default; --days fixes the span instead).
40% of them are told by two to four outlets, with a jittered place and figure. The reports come in
random order, one document each, and go through what the single writer of `rasad ingest --dask` does with the
documents its workers extracted, grouped into transactions of `rasad.database.ingest.WRITE_BATCH` documents (a
single-process `rasad ingest`, bound by its own extraction, writes BATCH at a time): the content hashes checked
in one query, then `store_batch`: one transaction that stores each document and its report with its claims, merges the
report (`rasad.database.merge.Merger.place`: block, comparisons, recompute of the event), writes the search
text and review reasons of the events it touched, and commits. Extraction is not included. The database is a
fresh SQLite file.

The script reports seconds per size, ms per report, time / (n log n) relative to the smallest size,
the database size, the mean block size (candidate events per report), and pairwise precision and
recall of the merge against the synthetic truth.

With --decisions DIR, each size's store is also written as its merge decisions (`decisions.py`:
every report's event and reason, every event's record) to DIR/merge-N.tsv, and their digest is printed, so
that two versions of the writer can be shown to decide alike.

The documents and their records are made, and their reports prepared (`rasad.database.merge.prepare`: the
report's JSON, claims, summary and the event it makes alone), outside the measured time, as the Dask workers do
them for the writer of `rasad ingest --dask`; their time is reported apart. With --unprepared, the writer
prepares each report itself, as a single-process `rasad ingest` does (the documents' making still not timed).

With --bulk, the reports are stored as `rasad ingest --bulk` stores them (rasad.database.bulk): the explorer's
indexes, search index and rollups set aside first and made at the end, in the measured time.

usage: python bench/bench_merge.py [--sizes 10000,100000,1000000] [--density 1] [--days N]
                                   [--out bench/results/merge-run.md] [--decisions DIR] [--bulk]
                                   [--unprepared]

(`bench/results/merge.md` is the written record of the runs, with what each changed; --out gets the table alone.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import random
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from decisions import dump  # noqa: E402

from rasad.database.ingest import BULK_BATCH, WRITE_BATCH, hashed, ready_of, store_batch, writer_run  # noqa: E402
from rasad.database.store import INGEST_CACHE_MB, Store  # noqa: E402
from rasad.gazetteer import ADMIN1  # noqa: E402

CENTRES = {"Aleppo": (36.2, 37.15), "Al-Hasakeh": (36.5, 40.75), "Ar-Raqqa": (35.95, 39.0), "As-Sweida": (32.7, 36.57),
           "Damascus": (33.51, 36.29), "Dar'a": (32.62, 36.1), "Deir-ez-Zor": (35.33, 40.14), "Hama": (35.13, 36.75),
           "Homs": (34.73, 36.71), "Idleb": (35.93, 36.63), "Lattakia": (35.52, 35.79), "Quneitra": (33.12, 35.82),
           "Rural Damascus": (33.57, 36.4), "Tartous": (34.89, 35.89)}
ACTORS = ["Islamic State", "Military Forces of Syria", "SDF: Syrian Democratic Forces", "Hayat Tahrir al-Sham",
          "Military Forces of Turkey", "Syrian National Army", "Unidentified Armed Group", "Military Forces of Russia"]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Explosions/Remote violence", "Remote explosive/landmine/IED")]


COPIES = [1, 1, 1, 2, 2, 3, 4]
REPORTS_PER_INCIDENT = 0.6 + 0.4 * sum(COPIES) / len(COPIES)  # expected copies of an incident
# one report, compactly: incident, governorate, day, type, actors, lat, lon, toll
Spec = tuple[int, str, int, int, str, str, float, float, int]


def synthetic(n_reports: int, days: int, seed: int = 1) -> list[Spec]:
    rng = random.Random(seed)
    out: list[Spec] = []
    incident = 0
    governorates = list(CENTRES)
    while len(out) < n_reports:
        incident += 1
        a1 = rng.choice(governorates)
        lat0, lon0 = CENTRES[a1]
        lat, lon = lat0 + rng.uniform(-0.6, 0.6), lon0 + rng.uniform(-0.6, 0.6)
        day = rng.randrange(days)
        et = rng.randrange(len(TYPES))
        actor1, actor2 = rng.sample(ACTORS, 2)
        best = rng.choice([0, 1, 2, 3, 4, 5, 7, 10, 15, 25])
        copies = rng.choice(COPIES) if rng.random() < 0.4 else 1
        for _ in range(copies):
            b = max(0, best + rng.choice([0, 0, 0, 1, -1, 2]))
            out.append((incident, a1, day, et, actor1, actor2, round(lat + rng.uniform(-0.02, 0.02), 4),
                        round(lon + rng.uniform(-0.02, 0.02), 4), b))
    rng.shuffle(out)
    return out[:n_reports]


START = dt.date(2000, 1, 1)


def record(spec: Spec) -> dict:
    incident, a1, day, et, actor1, actor2, lat, lon, b = spec
    return {"date": (START + dt.timedelta(days=day)).isoformat(), "date_precision": "day", "date_window": None,
            "event_type": TYPES[et][0], "sub_event_type": TYPES[et][1], "disorder_type": "Political violence",
            "actor1": actor1, "actor2": actor2, "inter1": 2, "inter2": 1, "admin1": a1, "admin1_ar": ADMIN1[a1][0],
            "lat": lat, "lon": lon, "geo_precision": 1, "location": f"place {incident}",
            "fatalities": {"low": b, "best": b, "high": b} if b else None, "wounded": None,
            "claims": [{"kind": "fatalities", "low": b, "best": b, "high": b, "qualifier": None,
                        "claimant": "outlet", "claimant_type": "outlet", "superseded": False}] if b else [],
            "victims": "combatants", "weapons": [], "units": [], "civilian_targeting": "", "evidence": []}


def document(i: int, spec: Spec) -> tuple[SimpleNamespace, dict]:
    """The i-th synthetic report as one document (a source as the readers give it) and its extracted record."""
    src = SimpleNamespace(doc=f"syn-{i}", url=None, source=f"outlet {i % 7}", published=None, title=None, text="")
    return src, {"events": [record(spec)]}


def span(n: int, density: float, days: int | None) -> int:
    """Days to spread n reports over: fixed, or as many as keep `density` incidents per governorate-day."""
    return days or max(1, math.ceil(n / (density * len(CENTRES) * REPORTS_PER_INCIDENT)))


class _Collections:
    """The time Python's cyclic garbage collector spends while the documents are made and prepared (outside the
    writer's measured time): it is the writer's heap that it goes through (the blocks kept in memory), and in
    `rasad ingest --dask` the writer's process pays it while it takes in what the workers send, so it is
    counted in the writer's time."""

    def __init__(self) -> None:
        self.outside, self.seconds, self.started = False, 0.0, 0.0
        gc.callbacks.append(self.callback)

    def callback(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        elif self.outside:
            self.seconds += time.perf_counter() - self.started

    def close(self) -> None:
        gc.callbacks.remove(self.callback)


def run(n: int, days: int, decisions: Path | None = None, bulk_load: bool = False, prepared: bool = True) -> dict:
    reports = synthetic(n, days)
    collections = _Collections()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bench.db"
        store = Store(str(path), cache_mb=INGEST_CACHE_MB)  # as `rasad ingest` opens it
        truth: dict[int, list[int]] = defaultdict(list)
        candidates = 0
        workers, workers_cpu = 0.0, 0.0  # making the documents and preparing their reports: not the writer's time
        t0, c0 = time.perf_counter(), time.process_time()
        # as `rasad ingest [--bulk]` runs its writer: the log copied by a thread, the heap frozen between batches,
        # and a bulk load's indexes, search index and rollups made when it ends (in the time)
        with writer_run(store, bulk_load):
            size = BULK_BATCH if bulk_load else WRITE_BATCH  # as the writer of `rasad ingest --dask [--bulk]`
            for start in range(0, len(reports), size):
                specs = reports[start:start + size]
                w0, wc0 = time.perf_counter(), time.process_time()
                collections.outside = True
                # what the writer receives: the documents and records the workers extracted, and (unless
                # --unprepared) their reports' `merge.prepare`, which the workers make
                docs = [document(start + i, spec) for i, spec in enumerate(specs)]
                ready = [ready_of(src, rec) for src, rec in docs] if prepared else None
                collections.outside = False
                workers += time.perf_counter() - w0
                workers_cpu += time.process_time() - wc0
                # as the writer of `rasad ingest --dask` does with each group of extracted documents: the content
                # hashes asked in one query, then the group stored and merged in one transaction
                hashes = [h for _src, h in hashed([src for src, _rec in docs])]
                stored = store.stored_hashes(hashes)
                todo = [(src, rec, h) for (src, rec), h in zip(docs, hashes, strict=True) if h not in stored]
                assert len(todo) == len(docs)  # (all new: `ready` lines up)
                for spec, added in zip(specs, store_batch(store, todo, None, ready), strict=True):
                    eid, reason = added.placed[0]
                    truth[spec[0]].append(eid)
                    candidates += reason["candidates"]
            t1 = time.perf_counter()
        # (the collector's time while the documents were made is the writer's)
        seconds = time.perf_counter() - t0 - workers + collections.seconds
        cpu = time.process_time() - c0 - workers_cpu + collections.seconds
        finishing = time.perf_counter() - t1
        collections.close()
        dumped = dump(store.engine, decisions / f"merge-{n}.tsv") if decisions else {}
        store.engine.dispose()
        size = sum(f.stat().st_size for f in Path(d).iterdir())
    # pairwise precision / recall of merging against the synthetic incidents
    by_event: dict[int, list[int]] = defaultdict(list)
    for incident, eids in truth.items():
        for e in eids:
            by_event[e].append(incident)
    true_pairs = sum(len(v) * (len(v) - 1) // 2 for v in truth.values())
    pred_pairs = sum(len(v) * (len(v) - 1) // 2 for v in by_event.values())
    tp = sum(sum(1 for a, b in combinations(v, 2) if a == b) for v in by_event.values())
    return {"reports": n, "days": days, "incidents": len(truth), "events": len(by_event), "seconds": seconds, "cpu_seconds": cpu,
            "ms_per_report": 1e3 * seconds / n, "cpu_ms_per_report": 1e3 * cpu / n, "db_mb": size / 1e6, "block": candidates / n,
            "precision": tp / pred_pairs if pred_pairs else 1.0, "recall": tp / true_pairs if true_pairs else 1.0,
            "bulk": bulk_load, "finish_seconds": finishing, "prepared": prepared,
            "workers_ms_per_report": 1e3 * (workers - collections.seconds) / n,
            "collector_seconds_outside": collections.seconds,
            **dumped}


def render(rows: list[dict], spread: str) -> str:
    lines = ["# rasad merge benchmark (synthetic reports, SQLite, one process)", "",
             f"- date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
             f"- density: {spread}; 14 governorates; about {REPORTS_PER_INCIDENT:.1f} reports per incident",
             f"- measured: one document a report through the ingest path after extraction, in transactions of {WRITE_BATCH} "
             "(hash check in one query, one transaction a batch: documents, reports and claims stored, each report "
             "merged with its block, comparisons and recompute, search text and reasons of the touched events, "
             "commit); reports in random order; a fresh SQLite file (WAL, synchronous=NORMAL)",
             "- not in the time: making the synthetic documents and records, and "
             + ("preparing their reports (`merge.prepare`, on the Dask workers in `rasad ingest --dask`): "
                + ", ".join(f"{r['workers_ms_per_report']:.2f} ms a report at {r['reports']:,}" for r in rows)
                if rows and rows[0].get("prepared") else "(--unprepared) nothing else: the writer prepares each report"),
             *([f"- bulk load (`rasad ingest --bulk`): transactions of {BULK_BATCH}; indexes, search index and "
                "rollups made at the end, in the time ("
                + ", ".join(f"{r['finish_seconds']:.1f} s at {r['reports']:,}" for r in rows) + ")"]
               if rows and rows[0].get("bulk") else []), "",
             "| reports | days | seconds | ms / report | CPU ms / report | time / (n log n) | CPU / (n log n) | "
             "events | mean block | database | pairwise precision | pairwise recall |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    base = rows[0]
    for r in rows:
        scale = (r["reports"] * math.log(r["reports"])) / (base["reports"] * math.log(base["reports"]))
        lines.append(f"| {r['reports']:,} | {r['days']:,} | {r['seconds']:.1f} | {r['ms_per_report']:.2f} | "
                     f"{r['cpu_ms_per_report']:.2f} | {r['seconds'] / (base['seconds'] * scale):.2f} | "
                     f"{r['cpu_seconds'] / (base['cpu_seconds'] * scale):.2f} | {r['events']:,} | {r['block']:.1f} | "
                     f"{r['db_mb']:,.0f} MB | {r['precision']:.3f} | {r['recall']:.3f} |")
    lines += ["", "time / (n log n): the time divided by the smallest run's time scaled by n log n (1.00 = exactly "
              "n log n; below 1 is better), from wall-clock time and from CPU time. CPU time is this process's "
              "(SQLite runs in it); it is less sensitive to other work on the shared machine. mean block: candidate "
              "events read per report."]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated report counts")
    ap.add_argument("--density", type=float, default=1.0, help="synthetic incidents per governorate per day")
    ap.add_argument("--days", type=int, default=None, help="a fixed span in days instead of a fixed density")
    ap.add_argument("--render", metavar="LOG", help="only write the table from the JSON lines of an earlier run's log")
    ap.add_argument("--out", default="bench/results/merge-run.md", help="the table of this run")
    ap.add_argument("--decisions", metavar="DIR", type=Path, help="write each size's merge decisions to DIR/merge-N.tsv")
    ap.add_argument("--bulk", action="store_true", help="as `rasad ingest --bulk`: the explorer's indexes, search "
                    "index and rollups made at the end (their time included)")
    ap.add_argument("--unprepared", action="store_true", help="the writer prepares each report itself (as a "
                    "single-process `rasad ingest` does), rather than receiving it prepared by the workers")
    args = ap.parse_args()
    spread = (f"a fixed span of {args.days:,} days" if args.days else
              f"{args.density:g} incident per governorate per day on average (the span grows with n)")
    rows = []
    if args.render:
        rows = [json.loads(x) for x in Path(args.render).read_text(encoding="utf-8").splitlines() if x.startswith("{")]
    else:
        for n in [int(x) for x in args.sizes.split(",")]:
            days = span(n, args.density, args.days)
            print(f"bench_merge: {n:,} reports over {days:,} days ...", file=sys.stderr, flush=True)
            rows.append(run(n, days, args.decisions, args.bulk, not args.unprepared))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    text = render(rows, spread)
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
