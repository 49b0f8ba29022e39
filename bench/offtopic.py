"""False positives on off-topic news: the share of sport, culture, economy and technology articles
of the ANT corpus (their section is in the record id) that yield at least one event.

usage: python bench/offtopic.py [EXTRACTED.jsonl | --corpus ARTICLES.jsonl.gz] [--show N]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

OFF_TOPIC = ("sport", "culture", "economy", "technology")


def section(doc_id: str) -> str | None:
    m = re.match(r"[A-Z]+-([a-zA-Z]+)-", doc_id)
    return m.group(1) if m else None


def records(args: argparse.Namespace):
    if args.extracted:
        with open(args.extracted, encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from rasad.pipeline.read import iter_sources
    from rasad.pipeline.run import extract

    for src in iter_sources([args.corpus], on_error=lambda e: None):
        yield extract(src)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("extracted", nargs="?", help="output of `rasad extract --format jsonl` over the ANT corpus")
    ap.add_argument("--corpus", default="../shared/corpus/ant/articles.jsonl.gz")
    ap.add_argument("--show", type=int, default=0, help="print N sample off-topic articles that yield events")
    args = ap.parse_args()
    docs, with_events = Counter(), Counter()
    samples: list[tuple[str, str]] = []
    for rec in records(args):
        sec = section(rec["doc"]) or "other"
        docs[sec] += 1
        if rec["events"]:
            with_events[sec] += 1
            if sec in OFF_TOPIC:
                ev = rec["events"][0]
                quote = next((e["text"] for e in ev["evidence"] if e["field"] == "event"), "")
                samples.append((rec["doc"], quote[:160]))
    print(f"{'section':20s} {'articles':>9s} {'with events':>12s} {'share':>7s}")
    for sec in sorted(docs):
        print(f"{sec:20s} {docs[sec]:9d} {with_events[sec]:12d} {100 * with_events[sec] / docs[sec]:6.2f}%")
    n = sum(docs[s] for s in OFF_TOPIC)
    k = sum(with_events[s] for s in OFF_TOPIC)
    rate = k / n if n else 0.0
    print(f"off-topic (sport, culture, economy, technology): {k}/{n} = {100 * rate:.2f}% yield an event")
    random.seed(0)
    for doc, quote in random.sample(samples, min(args.show, len(samples))):
        print(f"  {doc}: {quote}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
