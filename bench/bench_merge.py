"""Merge time for synthetic reports: does merging stay near n log n as the store grows?

Synthetic incidents are spread over two years and the 14 governorates. 40% of them are told by two to
four outlets, with a jittered place and figure. Each report goes through the real code path: stored in
a fresh SQLite database and merged by `rasad.merge.place_report`. The script reports seconds per size,
microseconds per report, and pairwise precision and recall of the merge against the synthetic truth.

usage: python bench/bench_merge.py [--sizes 10000,100000,1000000] [--out bench/results/merge.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rasad.gazetteer import ADMIN1  # noqa: E402
from rasad.merge import place_report  # noqa: E402
from rasad.store import Store, documents, now  # noqa: E402

CENTRES = {"Aleppo": (36.2, 37.15), "Al-Hasakeh": (36.5, 40.75), "Ar-Raqqa": (35.95, 39.0), "As-Sweida": (32.7, 36.57),
           "Damascus": (33.51, 36.29), "Dar'a": (32.62, 36.1), "Deir-ez-Zor": (35.33, 40.14), "Hama": (35.13, 36.75),
           "Homs": (34.73, 36.71), "Idleb": (35.93, 36.63), "Lattakia": (35.52, 35.79), "Quneitra": (33.12, 35.82),
           "Rural Damascus": (33.57, 36.4), "Tartous": (34.89, 35.89)}
ACTORS = ["Islamic State", "Military Forces of Syria", "SDF: Syrian Democratic Forces", "Hayat Tahrir al-Sham",
          "Military Forces of Turkey", "Syrian National Army", "Unidentified Armed Group", "Military Forces of Russia"]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Explosions/Remote violence", "Remote explosive/landmine/IED")]


def synthetic(n_reports: int, seed: int = 1) -> list[tuple[int, dict]]:
    rng = random.Random(seed)
    start = dt.date(2023, 1, 1)
    out: list[tuple[int, dict]] = []
    incident = 0
    while len(out) < n_reports:
        incident += 1
        a1 = rng.choice(list(CENTRES))
        lat0, lon0 = CENTRES[a1]
        lat, lon = lat0 + rng.uniform(-0.6, 0.6), lon0 + rng.uniform(-0.6, 0.6)
        day = start + dt.timedelta(days=rng.randrange(730))
        et, st = rng.choice(TYPES)
        actor1, actor2 = rng.sample(ACTORS, 2)
        best = rng.choice([0, 1, 2, 3, 4, 5, 7, 10, 15, 25])
        copies = rng.choice([1, 1, 1, 2, 2, 3, 4]) if rng.random() < 0.4 else 1
        for _ in range(copies):
            b = max(0, best + rng.choice([0, 0, 0, 1, -1, 2]))
            rec = {"date": day.isoformat(), "date_precision": "day", "date_window": None, "event_type": et,
                   "sub_event_type": st, "disorder_type": "Political violence", "actor1": actor1, "actor2": actor2,
                   "inter1": 2, "inter2": 1, "admin1": a1, "admin1_ar": ADMIN1[a1][0],
                   "lat": round(lat + rng.uniform(-0.02, 0.02), 4), "lon": round(lon + rng.uniform(-0.02, 0.02), 4),
                   "geo_precision": 1, "location": f"place {incident}",
                   "fatalities": {"low": b, "best": b, "high": b} if b else None, "wounded": None,
                   "claims": [{"kind": "fatalities", "low": b, "best": b, "high": b, "qualifier": None,
                               "claimant": "outlet", "claimant_type": "outlet", "superseded": False}] if b else [],
                   "victims": "combatants", "weapons": [], "units": [], "civilian_targeting": "", "evidence": []}
            out.append((incident, rec))
    rng.shuffle(out)
    return out[:n_reports]


def run(n: int) -> dict:
    reports = synthetic(n)
    with tempfile.TemporaryDirectory() as d:
        store = Store(str(Path(d) / "bench.db"))
        truth: dict[int, list[int]] = defaultdict(list)
        t0 = time.perf_counter()
        for i, (incident, rec) in enumerate(reports):
            with store.engine.begin() as conn:
                doc_id = conn.execute(documents.insert().values(
                    content_hash=f"{i:016x}", doc=f"syn-{i}", outlet=f"outlet {i % 7}", text="",
                    ingested_at=now())).inserted_primary_key[0]
                rid = store.add_report(conn, doc_id, 0, rec, f"outlet {i % 7}")
                eid, _ = place_report(conn, rid, doc_id, rec)
            truth[incident].append(eid)
        seconds = time.perf_counter() - t0
    # pairwise precision / recall of merging against the synthetic incidents
    by_event: dict[int, list[int]] = defaultdict(list)
    for incident, eids in truth.items():
        for e in eids:
            by_event[e].append(incident)
    true_pairs = sum(len(v) * (len(v) - 1) // 2 for v in truth.values())
    pred_pairs = sum(len(v) * (len(v) - 1) // 2 for v in by_event.values())
    tp = sum(sum(1 for a, b in combinations(v, 2) if a == b) for v in by_event.values())
    return {"reports": n, "seconds": seconds, "us_per_report": 1e6 * seconds / n,
            "precision": tp / pred_pairs if pred_pairs else 1.0, "recall": tp / true_pairs if true_pairs else 1.0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated report counts")
    ap.add_argument("--out", default="bench/results/merge.md")
    args = ap.parse_args()
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        print(f"bench_merge: {n:,} reports ...", file=sys.stderr, flush=True)
        rows.append(run(n))
        print(json.dumps(rows[-1]), file=sys.stderr)
    lines = ["# rasad merge benchmark (synthetic reports, SQLite, one process)", "",
             f"- date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}", "",
             "| reports | seconds | µs / report | growth vs n log n | pairwise precision | pairwise recall |",
             "|---:|---:|---:|---:|---:|---:|"]
    base = rows[0]
    for r in rows:
        expect = base["seconds"] * (r["reports"] * math.log(r["reports"])) / (base["reports"] * math.log(base["reports"]))
        lines.append(f"| {r['reports']:,} | {r['seconds']:.1f} | {r['us_per_report']:.0f} | {r['seconds'] / expect:.2f} | "
                     f"{r['precision']:.3f} | {r['recall']:.3f} |")
    lines += ["", "growth vs n log n: measured time divided by the smallest run's time scaled by n log n "
              "(1.00 = exactly n log n; below 1 is better)."]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
