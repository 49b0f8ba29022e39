"""Ingest time and database size for the ANT corpus: `rasad ingest` into a fresh SQLite database, as a
user runs it (one process, built-in gazetteer).

usage: python bench/bench_ingest.py [--corpus ../shared/corpus/ant/articles.jsonl.gz] [--out bench/results/ingest.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus" / "ant" / "articles.jsonl.gz"))
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "ingest.md"))
    args = ap.parse_args()
    rasad = Path(sys.executable).parent / "rasad"
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "rasad.db"
        t0 = time.perf_counter()
        run = subprocess.run([str(rasad), "ingest", args.corpus, "--db", str(db), "--no-progress"],
                             capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        if run.returncode != 0:
            print(run.stderr, file=sys.stderr)
            return 1
        size = sum(f.stat().st_size for f in Path(d).iterdir())
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    summary = run.stderr.strip().splitlines()[-1]
    text = "\n".join([
        "# rasad ingest benchmark", "",
        f"- date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}; cpu_count {os.cpu_count()}",
        f"- corpus: {args.corpus}", "",
        "| seconds | database size (MB, SQLite with WAL) | peak RSS (MB) |", "|---:|---:|---:|",
        f"| {seconds:.0f} | {size / 1e6:.0f} | {peak:.0f} |", "", f"`{summary}`", ""])
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
