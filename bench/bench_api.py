"""Latency of the explorer's API with 100,000 events in the database (or a million: --events 1000000).

Synthetic merged events, spread over Syria's 14 governorates and two years, are written straight into
the events table of a fresh SQLite database (the real schema, migrations applied; the indexed columns,
the search text and the review queue's reasons computed by rasad's own functions, the rollups by
`rollups.rebuild`). Then a real `rasad serve` process is started and `/api/v1/events`, `/api/v1/map`
(points up to the server's limit of 2,000, a grid above it) and the review queue are asked a few hundred
times with several filter combinations, one request at a time over a kept-alive connection. The script
writes p50 / p95 / max per combination to bench/results/api.md (or --out).

`--pg URL` does the same with a PostgreSQL database, `--db FILE` with a SQLite file kept between runs;
either is filled only when it holds no events.

Then `--clients` concurrent clients (50) ask a mix of list, map, event and timeline requests for
`--load-seconds` (60), three times: p50 / p95, errors, and the server's resident memory before and after
each round (a server that keeps what it served would grow from round to round).

usage: python bench/bench_api.py [--events 100000] [--requests 200] [--clients 50] [--load-seconds 60]
                                 [--db FILE | --pg URL] [--out bench/results/api.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rasad.database import rollups  # noqa: E402
from rasad.database.merge import index_columns  # noqa: E402
from rasad.database.queue import reasons  # noqa: E402
from rasad.database.store import Store, event_reasons, event_search, events, now, search_text  # noqa: E402
from rasad.gazetteer import ADMIN1  # noqa: E402

CENTRES = {"Aleppo": (36.2, 37.15), "Al-Hasakeh": (36.5, 40.75), "Ar-Raqqa": (35.95, 39.0), "As-Sweida": (32.7, 36.57),
           "Damascus": (33.51, 36.29), "Dar'a": (32.62, 36.1), "Deir-ez-Zor": (35.33, 40.14), "Hama": (35.13, 36.75),
           "Homs": (34.73, 36.71), "Idleb": (35.93, 36.63), "Lattakia": (35.52, 35.79), "Quneitra": (33.12, 35.82),
           "Rural Damascus": (33.57, 36.4), "Tartous": (34.89, 35.89)}
# governorates do not see the same number of events: weights roughly like the ANT corpus
WEIGHTS = {"Deir-ez-Zor": 18, "Idleb": 16, "Aleppo": 14, "Dar'a": 10, "Al-Hasakeh": 9, "Homs": 7, "Ar-Raqqa": 7,
           "Hama": 6, "Rural Damascus": 5, "Damascus": 3, "As-Sweida": 2, "Lattakia": 1, "Quneitra": 1, "Tartous": 1}
ACTORS = ["Islamic State", "Military Forces of Syria", "SDF: Syrian Democratic Forces", "Hayat Tahrir al-Sham",
          "Military Forces of Turkey", "Syrian National Army", "Unidentified Armed Group", "Military Forces of Russia",
          "Civilians (Syria)"]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
         ("Violence against civilians", "Attack")]
PLACES = ["السخنة", "الميادين", "البوكمال", "كفرنبل", "سراقب", "الباب", "منبج", "درعا البلد", "طفس", "تدمر", "القامشلي",
          "الرقة", "جبلة", "الصنمين", "معرة النعمان", "أريحا", "دوما", "حرستا", "الشدادي", "الحسكة"]
# warnings of the extraction, each on a few percent of the reports, for the review queue's reasons
WARNINGS = [(0.06, "reported with hedging"), (0.04, "actor1 not named for this event: taken from the context"),
            (0.03, "governorate not named in the sentence"), (0.02, "place بلدة is ambiguous")]
OUTLETS = ["Enab Baladi", "SOHR", "Syria TV", "Al Arabiya", "North Press", "Deir ez-Zor 24", "Step News", "SANA"]


def synthetic(n: int, seed: int = 7) -> list[tuple[dict, str, list[str]]]:
    """(events row, search text, review reasons) of n synthetic merged events."""
    rng = random.Random(seed)
    start = dt.date(2023, 1, 1)
    govs, weights = list(WEIGHTS), list(WEIGHTS.values())
    stamp = now()
    rows = []
    for _ in range(n):
        a1 = rng.choices(govs, weights)[0]
        lat0, lon0 = CENTRES[a1]
        day = start + dt.timedelta(days=rng.randrange(730))
        et, st = rng.choice(TYPES)
        actor1, actor2 = rng.sample(ACTORS, 2)
        low = rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 7, 10, 15, 25, 40])
        best = low + rng.choice([0, 0, 0, 1, 2]) if rng.random() < 0.8 else None
        place = rng.choice(PLACES)
        sources = sorted(rng.sample(OUTLETS, rng.choice([1, 1, 2, 3])))
        rec = {"date": day.isoformat(), "date_precision": rng.choice(["day"] * 8 + ["week"]),
               "date_window": None, "event_type": et, "sub_event_type": st, "disorder_type": "Political violence",
               "actor1": actor1, "actor2": actor2, "inter1": 2, "inter2": 1, "assoc_actor_1": [], "assoc_actor_2": [],
               "weapons": [], "units": [], "location": f"بلدة {place}", "place_name_ar": place, "place_name_en": None,
               "admin1": a1, "admin1_ar": ADMIN1[a1][0], "admin2": f"{a1} district {rng.randrange(4)}",
               "lat": round(lat0 + rng.uniform(-0.5, 0.5), 5), "lon": round(lon0 + rng.uniform(-0.5, 0.5), 5),
               "geo_precision": rng.choice([1, 1, 2, 3]),
               "fatalities": {"low": low, "best": best, "high": None if best is None else best + rng.choice([0, 0, 3])},
               "wounded": None, "fatalities_acled": low, "claims": [], "victims": "unknown", "civilian_targeting": "",
               "sources": sources, "report_count": len(sources)}
        row = {**index_columns(rec), "record": json.dumps(rec, ensure_ascii=False), "reviewed": False,
               "updated_at": stamp}
        warned = [{"warnings": [w for p, w in WARNINGS if rng.random() < p]}]
        rows.append((row, search_text(rec, [f"مقتل {low} بهجوم في {place}"]), reasons(warned, rec)))
    return rows


def fill(db: str, n: int) -> float:
    """Write n synthetic events into the database at db (a file or a URL), unless it holds events already
    (a database kept with --db or --pg is filled once). Returns the seconds it took."""
    t = time.perf_counter()
    store = Store(db)
    with store.engine.connect() as conn:
        if conn.execute(sa.select(events.c.id).limit(1)).first() is not None:
            return 0.0
    step = 20_000
    for start in range(0, n, step):  # made and written a slice at a time: a million rows do not fit in memory
        rows = synthetic(min(step, n - start), seed=7 + start)
        with store.engine.begin() as conn:
            ids = range(start + 1, start + len(rows) + 1)
            conn.execute(events.insert(), [{"id": i, **row} for i, (row, _t, _r) in zip(ids, rows, strict=True)])
            conn.execute(event_search.insert(), [{"event_id": i, "text": t} for i, (_r, t, _w) in zip(ids, rows, strict=True)])
            why = [{"event_id": i, "reason": r} for i, (_r, _t, rs) in zip(ids, rows, strict=True) for r in rs]
            if why:
                conn.execute(event_reasons.insert(), why)
    with store.engine.begin() as conn:
        rollups.rebuild(conn)  # the events were written without `rollups.sync`
    # the planner's statistics (and PostgreSQL's visibility map, for index-only scans), as autovacuum leaves them
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE")
    return time.perf_counter() - t


CASES = [
    ("events", "default: newest first, 50 a page", {}),
    ("events", "one governorate, three months", {"admin1": "Homs", "since": "2024-01-01", "until": "2024-03-31"}),
    ("events", "≥ 10 killed, most killed first", {"min_fatalities": 10, "sort": "-fatalities"}),
    ("events", "actor and event type, page 5", {"actor": "Islamic State", "event_type": "Battles", "page": 5}),
    ("events", "bounding box (around Aleppo)", {"bbox": "36.8,35.9,37.5,36.5"}),
    ("events", "text search (a place name)", {"q": "السخنة"}),
    ("events", "text search, a word without its proclitics (in بهجوم)", {"q": "هجوم"}),
    ("events", "text search, a prefix of two words", {"q": "معر النع"}),
    ("events", "500 a page", {"per_page": 500}),
    ("events", "review queue: unreviewed, most reasons first", {"reason": "any", "status": "unreviewed",
                                                                "sort": "-reasons"}),
    ("events", "review queue: one reason, page 5", {"reason": "hedged", "status": "unreviewed", "sort": "-reasons",
                                                    "page": 5}),
    ("review/reasons", "review queue: the count of each reason", {"status": "unreviewed"}),
    ("map", "one month, all governorates", {"since": "2024-05-01", "until": "2024-05-31"}),
    ("map", "one governorate, one year", {"admin1": "Idleb", "since": "2023-01-01", "until": "2023-12-31"}),
    ("map", "bounding box (Deir ez-Zor), ≥ 5 killed", {"bbox": "39.5,34.8,40.8,35.9", "min_fatalities": 5}),
    ("map", "everything: aggregated, zoom 6 (all of Syria)", {"zoom": 6}),
    ("map", "everything: aggregated, zoom 8", {"zoom": 8}),
    ("map", "the explorer at zoom 10 over Idleb (view bbox)", {"zoom": 10, "bbox": "36.4,35.7,36.9,36.1"}),
]


def _address(proc: subprocess.Popen[str]) -> str:
    """The server's URL, read from its stderr up to the line that gives it (a warning may come first)."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if " at http://" in line:
            return line.split(" at ")[1].split()[0].rstrip("/")
    raise SystemExit(f"rasad serve stopped before it gave its address (exit code {proc.wait()})")


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


LOAD_MIX = [("events", {}), ("events", {"admin1": "Homs", "since": "2024-01-01", "until": "2024-03-31"}),
            ("events", {"q": "السخنة"}), ("map", {"zoom": 6}), ("map", {"zoom": 10, "bbox": "36.4,35.7,36.9,36.1"}),
            ("timeline", {"admin1": "Idleb"}), ("event", {}), ("event", {})]


def load_round(url: str, n_events: int, clients: int, seconds: float, seed: int) -> tuple[list[float], int, int]:
    """`clients` threads, each with its own connection, asking LOAD_MIX at random for `seconds`.
    Returns (latencies in ms, requests, errors)."""
    import threading

    times: list[float] = []
    counts = [0, 0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        rng = random.Random(seed * 1000 + i)
        mine: list[float] = []
        errors = 0
        with httpx.Client(base_url=url + "/api/v1", timeout=60) as c:
            while time.monotonic() < stop:
                path, params = rng.choice(LOAD_MIX)
                if path == "event":
                    path = f"events/{rng.randint(1, n_events)}"
                t = time.perf_counter()
                try:
                    ok = c.get("/" + path, params=params).status_code == 200
                except httpx.HTTPError:
                    ok = False
                mine.append((time.perf_counter() - t) * 1000)
                errors += not ok
        with lock:
            times.extend(mine)
            counts[0] += len(mine)
            counts[1] += errors

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, counts[0], counts[1]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200, help="requests per filter combination")
    ap.add_argument("--clients", type=int, default=50, help="concurrent clients of the load rounds (0: none)")
    ap.add_argument("--load-seconds", type=float, default=60, help="length of each of the three load rounds")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "results" / "api.md"))
    ap.add_argument("--db", help="a SQLite file to fill (when it holds no events) and keep, instead of a temporary one")
    ap.add_argument("--pg", metavar="URL", help="a PostgreSQL database (postgresql://...) to fill when it holds no "
                                                "events, and serve, instead of SQLite")
    a = ap.parse_args()
    rounds: list[tuple[float, float, int, int, float, float]] = []
    rasad = Path(sys.executable).with_name("rasad")
    with tempfile.TemporaryDirectory() as tmp:
        db = a.pg or a.db or str(Path(tmp) / "api.db")
        backend = "PostgreSQL" if a.pg else "SQLite"
        fill_s = fill(db, a.events)
        print(f"{a.events} events in {backend} ({fill_s:.1f} s to write)", file=sys.stderr)
        proc = subprocess.Popen([str(rasad), "serve", "--db", db, "--port", "0"], stderr=subprocess.PIPE, text=True,
                                stdout=subprocess.DEVNULL, env={**os.environ, "XDG_CACHE_HOME": tmp})
        assert proc.stderr is not None
        url = _address(proc)
        results = []
        load0 = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
        try:
            with httpx.Client(base_url=url + "/api/v1", timeout=60) as client:
                for path, label, params in CASES:
                    for _ in range(5):  # warm the page cache and the connection
                        client.get("/" + path, params=params).raise_for_status()
                    times, size, matched = [], 0, 0
                    for _ in range(a.requests):
                        t = time.perf_counter()
                        r = client.get("/" + path, params=params)
                        r.raise_for_status()
                        times.append((time.perf_counter() - t) * 1000)
                        size = len(r.content)
                    body = r.json()
                    matched = f"{body['total']:,}" + ("+" if body.get("total_exact") is False else "")
                    assert body["total"] <= a.events, body["total"]
                    if path == "map":
                        label = label + (f" → {len(body['features']):,} cells of {body['cell_size']:.3g}°"
                                         if body.get("aggregated") else " → points")
                    results.append((path, label, params, matched, size, statistics.median(times), pct(times, 95),
                                    max(times)))
                    print(f"/{path} {label}: p50 {results[-1][5]:.1f} ms, p95 {results[-1][6]:.1f} ms "
                          f"({matched} matching)", file=sys.stderr)
            for k in range(3 if a.clients else 0):
                before = rss_mb(proc.pid)
                times, n, errors = load_round(url, a.events, a.clients, a.load_seconds, k)
                rounds.append((statistics.median(times), pct(times, 95), n, errors, before, rss_mb(proc.pid)))
                print(f"load round {k + 1}: {n} requests, p50 {rounds[-1][0]:.0f} ms, p95 {rounds[-1][1]:.0f} ms, "
                      f"{errors} errors, RSS {before:.0f} -> {rounds[-1][5]:.0f} MB", file=sys.stderr)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        load1 = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    lines = [
        f"# API latency with {a.events:,} events ({backend})",
        "",
        f"`python bench/bench_api.py{' '.join(['', *sys.argv[1:]]) if a.pg is None else ' --pg URL'}` on "
        f"{dt.date.today().isoformat()}: {a.events:,} synthetic merged events in a {backend} database, one real "
        f"`rasad serve` process, {a.requests} sequential requests "
        "per row over one kept-alive connection (after 5 warm-up requests), timed at the client. The machine has 2 "
        f"cores shared with other work, so figures move from run to run (load average {load0} at the start, {load1} at "
        "the end).",
        "",
        "| endpoint | filters | matching | response | p50 ms | p95 ms | max ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for path, label, params, matched, size, p50, p95, mx in results:
        q = "&".join(f"{k}={v}" for k, v in params.items())
        lines.append(f"| `/{path}` | {label}{f' (`{q}`)' if q else ''} | {matched} | {size / 1000:,.0f} kB | "
                     f"{p50:.1f} | {p95:.1f} | {mx:.1f} |")
    if rounds:
        lines += [
            "",
            f"## {a.clients} concurrent clients",
            "",
            f"{a.clients} clients, each with its own connection, ask a random mix of lists, maps, single events and "
            f"timelines ({', '.join(sorted({p for p, _ in LOAD_MIX}))}) for {a.load_seconds:.0f} s, three times over "
            "the same server; resident memory of the server before and after each round:",
            "",
            "| round | requests | p50 ms | p95 ms | errors | RSS before MB | RSS after MB |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for k, (p50, p95, n, errors, before, after) in enumerate(rounds, 1):
            lines.append(f"| {k} | {n:,} | {p50:.0f} | {p95:.0f} | {errors} | {before:.0f} | {after:.0f} |")
        lines += ["", f"After the third round the server holds {rounds[2][5] - rounds[0][5]:+.0f} MB against after "
                  "the first."]
    Path(a.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"-> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
