"""Throughput and peak memory of the extractor, against a normalise-and-tokenise baseline.

Three passes over the same corpus (by default the ANT corpus, 31.5k articles), each in a fresh
child process so that each reports its own peak RSS (``ru_maxrss`` of that child):

* load      reading the corpus into memory with ``rasad.pipeline.read.iter_sources`` (gzip + JSON);
* baseline  ``rasad.pipeline.normalise.normalise`` plus ``re.findall(r"\\w+", ...)`` over every text and title;
* extract   the full extractor, ``rasad.pipeline.run.extract``, over every record.

The baseline and extract children load the records into memory first, so their timings exclude
the reading; their peak RSS includes the loaded corpus. Everything runs in one process per pass
(no multiprocessing inside a pass). The table is printed and written to ``--out``; the script
exits non-zero when the extractor is slower than ``--floor`` articles/s.

Rerun with ``make bench`` (which also runs ``bench/offtopic.py``), or from the repository root:

    .venv/bin/python bench/bench_extract.py [--corpus PATH] [--limit N] [--out FILE] [--floor N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_CORPUS = "../shared/corpus/ant/articles.jsonl.gz"
DEFAULT_OUT = "bench/results/extract.md"
PHASES = ("load", "baseline", "extract", "geocode")
_WORD_RE = re.compile(r"\w+")


# --------------------------------------------------------------------------------------------
# child side: one phase, result as one JSON line on stdout


def _peak_rss_mb() -> float:
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux (bytes on macOS)
    return kib / 1024 / (1024 if sys.platform == "darwin" else 1)


def _progress(items: list[Any], desc: str):
    from tqdm import tqdm

    # disable=None: no bar when stderr is not a terminal (make bench | tee, CI)
    return tqdm(items, desc=desc, unit="doc", file=sys.stderr, mininterval=0.5, disable=None, leave=False)


def _load(corpus: str, limit: int | None) -> tuple[list[Any], int, float]:
    from rasad.pipeline.read import iter_sources

    errors: list[Exception] = []
    records = []
    t0 = time.perf_counter()
    for src in iter_sources([corpus], on_error=errors.append):
        records.append(src)
        if limit is not None and len(records) >= limit:
            break
    return records, len(errors), time.perf_counter() - t0


def _size(records: list[Any]) -> tuple[int, int]:
    chars = nbytes = 0
    for src in records:
        for s in (src.text, src.title):
            if s:
                chars += len(s)
                nbytes += len(s.encode("utf-8"))
    return chars, nbytes


def _baseline(records: list[Any]) -> dict[str, Any]:
    from rasad.pipeline.normalise import normalise

    tokens = 0
    t0 = time.perf_counter()
    for src in _progress(records, "baseline"):
        tokens += len(_WORD_RE.findall(normalise(src.text).text))
        if src.title:
            tokens += len(_WORD_RE.findall(normalise(src.title).text))
    return {"seconds": time.perf_counter() - t0, "tokens": tokens}


def _extract(records: list[Any], gazetteer: str | None = None, geocode: bool = False) -> dict[str, Any]:
    from rasad.pipeline.run import extract

    geocoder = None
    if geocode:
        from rasad.gazetteer import open_gazetteer
        from rasad.pipeline.geocode import Geocoder

        geocoder = Geocoder(open_gazetteer(gazetteer))  # built (and cached) before the clock starts
    events = docs_with_events = failures = 0
    t0 = time.perf_counter()
    for src in _progress(records, "extract + geocode" if geocode else "extract"):
        try:
            rec = extract(src, geocoder)
        except Exception:  # counted and reported, the timing goes on like `rasad extract`
            failures += 1
            continue
        n = len(rec["events"])
        events += n
        docs_with_events += n > 0
    return {"seconds": time.perf_counter() - t0, "events": events,
            "docs_with_events": docs_with_events, "failures": failures}


def run_phase(phase: str, corpus: str, limit: int | None, gazetteer: str | None = None) -> dict[str, Any]:
    records, unreadable, load_seconds = _load(corpus, limit)
    chars, nbytes = _size(records)
    result: dict[str, Any] = {"phase": phase, "articles": len(records), "chars": chars, "bytes": nbytes,
                              "unreadable": unreadable}
    if phase == "load":
        result["seconds"] = load_seconds
    elif phase == "baseline":
        result.update(_baseline(records))
    elif phase == "geocode":
        result.update(_extract(records, gazetteer, geocode=True))
    else:
        result.update(_extract(records))
    result["peak_rss_mb"] = _peak_rss_mb()
    return result


# --------------------------------------------------------------------------------------------
# parent side: spawn one child per phase, then report


def spawn(phase: str, corpus: Path, limit: int | None, gazetteer: str | None = None) -> dict[str, Any]:
    """Run one phase in a fresh interpreter (its own peak RSS) and return its result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", phase, "--corpus", str(corpus)]
    if gazetteer:
        cmd += ["--gazetteer", gazetteer]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)  # stderr (progress bars) passes through
    if proc.returncode != 0:
        raise SystemExit(f"bench_extract: the {phase} pass failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def source_fingerprint() -> str:
    """Short hash of the rasad package files (code and data), to tell which code was measured."""
    import rasad

    h = hashlib.sha256()
    root = Path(rasad.__file__).resolve().parent
    for f in sorted(root.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc":
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


def _rate(n: float, seconds: float) -> str:
    return f"{n / seconds:,.1f}" if seconds > 0 else "-"


def report(results: dict[str, dict[str, Any]], corpus: Path, floor: float, ok: bool,
           fingerprints: tuple[str, str]) -> str:
    import rasad

    load, ext = results["load"], results["extract"]
    mb = load["bytes"] / 1e6
    lines = [
        "# rasad extraction benchmark",
        "",
        f"- date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- rasad: {rasad.__version__}, source fingerprint {fingerprints[0]}"
        + ("" if fingerprints[0] == fingerprints[1] else
           f" -> {fingerprints[1]} (WARNING: the code changed during the run; rerun for consistent numbers)"),
        f"- python: {platform.python_version()} ({platform.python_implementation()})",
        f"- platform: {platform.platform()}",
        f"- cpu_count: {os.cpu_count()} (one process per pass, no parallelism)",
        f"- corpus: {corpus} — {load['articles']:,} records"
        + (f", {load['unreadable']} unreadable" if load["unreadable"] else "")
        + f", {load['chars']:,} characters, {mb:.1f} MB UTF-8 (text + title)",
        "",
        "| pass | articles | MB | seconds | articles/s | MB/s | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    labels = {"load": "load (gzip + JSON)", "baseline": "baseline (normalise + \\w+ tokens)",
              "extract": "extract, no geocoding", "geocode": "extract + geocode (built-in gazetteer)",
              "geocode_user": "extract + geocode (--gazetteer)"}
    for phase in [*PHASES, "geocode_user"]:
        if phase not in results:
            continue
        r = results[phase]
        rmb = r["bytes"] / 1e6
        lines.append(f"| {labels[phase]} | {r['articles']:,} | {rmb:.1f} | {r['seconds']:.2f} | "
                     f"{_rate(r['articles'], r['seconds'])} | {_rate(rmb, r['seconds'])} | {r['peak_rss_mb']:.0f} |")
    lines += [
        "",
        f"- baseline tokens: {results['baseline']['tokens']:,}",
        f"- extract: {ext['events']:,} events in {ext['docs_with_events']:,} of {ext['articles']:,} documents"
        + (f"; {ext['failures']} documents raised an exception" if ext["failures"] else ""),
        f"- extract + geocode: {results['geocode']['events']:,} events; the gazetteer is built and loaded "
        "before the clock starts (a cached database loads in well under a second)",
        f"- floor: {floor:g} articles/s for extract with geocoding — {'PASS' if ok else 'FAIL'}",
        "",
        "MB = 10^6 bytes of UTF-8 text. Peak RSS = `ru_maxrss` of a fresh child process per pass (MiB);",
        "the baseline and extract children hold the whole loaded corpus, excluded from their timings.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=DEFAULT_CORPUS,
                    help=f"JSON lines corpus, relative to the current directory (default: {DEFAULT_CORPUS})")
    ap.add_argument("--limit", type=int, default=None, help="only the first N records (default: all)")
    ap.add_argument("--out", default=DEFAULT_OUT, help=f"Markdown report (default: {DEFAULT_OUT})")
    ap.add_argument("--floor", type=float, default=300.0,
                    help="fail when the extractor does fewer articles/s than this (default: 300)")
    ap.add_argument("--gazetteer", default=None,
                    help="also time geocoding with this gazetteer (e.g. ../shared/gazetteer/places.csv)")
    ap.add_argument("--phase", choices=[*PHASES, "geocode_user"], help=argparse.SUPPRESS)  # internal: one pass
    args = ap.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        ap.error("--limit must be at least 1")

    corpus = Path(args.corpus).expanduser().resolve()
    if not corpus.is_file():
        print(f"bench_extract: corpus not found: {args.corpus} (resolved to {corpus} from {Path.cwd()});\n"
              f"  run from the repository root with ../shared beside it, or pass --corpus PATH", file=sys.stderr)
        return 2

    if args.phase:
        phase = "geocode" if args.phase == "geocode_user" else args.phase
        print(json.dumps(run_phase(phase, str(corpus), args.limit, args.gazetteer)))
        return 0

    results = {}
    before = source_fingerprint()
    for phase in PHASES:
        print(f"bench_extract: {phase} pass ...", file=sys.stderr, flush=True)
        results[phase] = spawn(phase, corpus, args.limit)
    if args.gazetteer:
        print("bench_extract: geocode pass with --gazetteer ...", file=sys.stderr, flush=True)
        results["geocode_user"] = spawn("geocode_user", corpus, args.limit, str(Path(args.gazetteer).resolve()))
    ext = results["geocode"]
    rate = ext["articles"] / ext["seconds"] if ext["seconds"] > 0 else float("inf")
    ok = rate >= args.floor
    after = source_fingerprint()
    text = report(results, corpus, args.floor, ok, (before, after))
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"bench_extract: wrote {out}", file=sys.stderr)
    if before != after:
        print("bench_extract: WARNING: the rasad sources changed during the run; rerun for consistent numbers",
              file=sys.stderr)
    if ext["failures"]:
        print(f"bench_extract: WARNING: {ext['failures']} documents raised an exception in extract", file=sys.stderr)
    if not ok:
        print(f"bench_extract: FAIL: extractor throughput {rate:,.1f} articles/s is below the floor of "
              f"{args.floor:g} articles/s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
