"""Is the extractor's output the same as at another commit? Byte for byte, on the same inputs.

    python bench/compare_output.py [--base fe418eb] [--ant 5000] [--shared ../shared]

Runs `rasad extract` of the commit BASE (checked out with `git worktree` into a cache folder, run
with this environment's Python and dependencies) and of the working tree on: the seed articles, the
development set (`corpus/dev/articles.jsonl`) and the first N ANT articles, each without and with
`--gazetteer gazetteer/places.csv`. The base's outputs are cached by commit. Prints one line per
input and exits 1 when any output differs, naming the documents that changed and counting events
added and removed, so a refactoring can prove it changed nothing and a rule change can report what it
changed.

`git`, `inputs` and `base_src` are public: bench/ab_extract.py measures speed on the same samples and
the same checked-out base.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("RASAD_COMPARE_CACHE", Path(tempfile.gettempdir()) / "rasad-compare"))


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True).stdout.strip()


def inputs(shared: Path, ant: int) -> list[tuple[str, Path]]:
    out = [("seeds", shared / "corpus" / "seeds"), ("dev", shared / "corpus" / "dev" / "articles.jsonl")]
    if ant:
        sample = CACHE / f"ant-{ant}.jsonl"
        if not sample.exists():
            CACHE.mkdir(parents=True, exist_ok=True)
            with gzip.open(shared / "corpus" / "ant" / "articles.jsonl.gz", "rt", encoding="utf-8") as src, \
                    open(sample, "w", encoding="utf-8") as dst:
                for i, line in enumerate(src):
                    if i >= ant:
                        break
                    dst.write(line)
        out.append((f"ant{ant}", sample))
    return out


def _run(src_dir: Path, path: Path, gazetteer: Path | None, out: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(src_dir))
    cmd = [sys.executable, "-m", "rasad.cli", "extract", str(path), "--no-progress", "-o", str(out)]
    if gazetteer is not None:
        cmd += ["--gazetteer", str(gazetteer)]
    subprocess.run(cmd, check=True, env=env, cwd=tempfile.gettempdir())


def base_src(commit: str) -> Path:
    tree = CACHE / f"tree-{commit}"
    if not tree.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        git("worktree", "add", "--detach", str(tree), commit)
    return tree / "src"


def _events(path: Path) -> dict[str, list[str]]:
    docs = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            docs[rec["doc"]] = [json.dumps(e, sort_keys=True, ensure_ascii=False) for e in rec["events"]]
    return docs


def _compare(base: Path, head: Path) -> tuple[bool, str]:
    if base.read_bytes() == head.read_bytes():
        return True, "identical"
    b, h = _events(base), _events(head)
    changed = [d for d in sorted(set(b) | set(h)) if b.get(d) != h.get(d)]
    added = sum(max(0, len(h.get(d, [])) - len(b.get(d, []))) for d in changed)
    removed = sum(max(0, len(b.get(d, [])) - len(h.get(d, []))) for d in changed)
    other = "" if changed else " (events identical; other fields differ)"
    return False, (f"{len(changed)} documents changed, events {sum(map(len, b.values()))} -> "
                   f"{sum(map(len, h.values()))} (+{added} / -{removed}){other}: {', '.join(changed[:8])}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", default="fe418eb", help="the commit to compare with (default: fe418eb)")
    ap.add_argument("--ant", type=int, default=5000, help="how many ANT articles, from the first (0: none)")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--no-gazetteer-run", action="store_true", help="only the built-in gazetteer")
    args = ap.parse_args()
    commit = git("rev-parse", args.base)
    gaz = args.shared / "gazetteer" / "places.csv"
    runs: list[Path | None] = [None] if args.no_gazetteer_run else [None, gaz]
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in inputs(args.shared, args.ant):
            for g in runs:
                tag = f"{name}{'-gaz' if g else ''}"
                key = hashlib.sha1(f"{commit}:{tag}".encode()).hexdigest()[:12]
                base_out = CACHE / f"out-{key}.jsonl"
                if not base_out.exists():
                    _run(base_src(commit), path, g, base_out)
                head_out = Path(tmp) / f"{tag}.jsonl"
                _run(ROOT / "src", path, g, head_out)
                ok, msg = _compare(base_out, head_out)
                same &= ok
                print(f"{tag:<14} {msg}", flush=True)
    print("identical to", args.base if same else f"CHANGED against {args.base}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
