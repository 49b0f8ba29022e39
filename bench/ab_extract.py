"""Extraction speed of the working tree against another commit, measured the same way, alternating.

    python bench/ab_extract.py [--base fe418eb] [--ant 5000] [--runs 3]

Each run is a fresh child process that reads the first N ANT articles into memory and extracts them
(no geocoding); it reports articles per CPU second (process time, so that other work on the machine
moves it less than wall time). The base and the working tree alternate, `--runs` times each, and the
medians and their ratio are printed: the check that a refactoring kept throughput within 10%.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_output import ROOT, base_src, git, inputs  # noqa: E402

CHILD = r"""
import json, sys, time
try:
    from rasad.pipeline.read import iter_sources
    from rasad.pipeline.run import extract
except ImportError:  # the layout before the pipeline package
    from rasad.ingest import iter_sources
    from rasad.pipeline import extract
sources = list(iter_sources([sys.argv[1]]))
t0 = time.process_time()
for s in sources:
    extract(s)
print(json.dumps({"n": len(sources), "cpu": time.process_time() - t0}))
"""


def rate(src: Path, sample: Path) -> float:
    out = subprocess.run([sys.executable, "-c", CHILD, str(sample)], env=dict(os.environ, PYTHONPATH=str(src)),
                         capture_output=True, text=True, cwd=sample.parent, check=True)
    r = json.loads(out.stdout)
    return r["n"] / r["cpu"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", default="fe418eb", help="the commit to compare with (default: fe418eb)")
    ap.add_argument("--ant", type=int, default=5000, help="how many ANT articles, from the first")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    sample = dict(inputs(args.shared, args.ant))[f"ant{args.ant}"]
    trees = {args.base: base_src(git("rev-parse", args.base)), "working tree": ROOT / "src"}
    rates: dict[str, list[float]] = {k: [] for k in trees}
    for _ in range(args.runs):
        for name, src in trees.items():
            rates[name].append(rate(src, sample))
            print(f"{name:<14} {rates[name][-1]:7.0f} articles per CPU second", flush=True)
    med = {k: statistics.median(v) for k, v in rates.items()}
    for k, v in med.items():
        print(f"median {k:<14} {v:7.0f}")
    print(f"ratio working tree / {args.base}: {med['working tree'] / med[args.base]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
