"""Ingest time and database size for the ANT corpus: `rasad ingest` into a fresh SQLite database, as a
user runs it (one process, built-in gazetteer).

With --decisions FILE, the store's merge decisions are also written to FILE (`decisions.py`), so that two
versions of the writer can be shown to decide alike on the whole corpus.

usage: python bench/bench_ingest.py [--corpus ../shared/corpus/ant/articles.jsonl.gz] [--out bench/results/ingest.md]
                                    [--decisions FILE]
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


def write_decisions(db: Path, path: Path) -> dict:
    """The merge decisions of the store at `db`, written to `path` (`decisions.dump`)."""
    import sqlalchemy as sa
    from decisions import dump

    engine = sa.create_engine(f"sqlite:///{db}")
    try:
        return dump(engine, path)
    finally:
        engine.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus" / "ant" / "articles.jsonl.gz"))
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "ingest.md"))
    ap.add_argument("--decisions", metavar="FILE", type=Path, help="write the store's merge decisions to FILE")
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
        if args.decisions:
            print(f"decisions: {write_decisions(db, args.decisions)}", file=sys.stderr)
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
