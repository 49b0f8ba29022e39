"""Pairwise precision and recall of merging across documents, on the hand-checked merge test set
(tests/fixtures/merge_groups.json: record ids of the ANT corpus; the texts are read from ../shared).

Each document stands for its lead incident: the event holding the document's first report that is not
marked `retold` (articles also recall earlier incidents in the pluperfect, which rightly merge
elsewhere). A document whose events are all recalled ones has no lead incident. Two documents are merged when their
lead incidents are one event. Gold pairs are the documents of one group. Precision counts merged pairs
that are gold pairs; recall counts gold pairs that are merged. A document that yields no event merges
with nothing.

With --decisions FILE, the store's merge decisions are also written to FILE (`decisions.py`: every report's
event and reason, every event's record), so that two versions of the writer can be shown to decide alike.

usage: python bench/eval_merge.py [--corpus ../shared/corpus/ant/articles.jsonl.gz] [--gazetteer PATH] [--show]
                                  [--decisions FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from itertools import combinations
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def evaluate(corpus: Path, fixture: Path, gazetteer: str | None = None,
             decisions: Path | None = None) -> dict[str, Any]:
    from decisions import dump

    from rasad.database.ingest import ingest
    from rasad.database.store import Store
    from rasad.gazetteer import open_gazetteer
    from rasad.pipeline.geocode import Geocoder

    fx = json.loads(fixture.read_text(encoding="utf-8"))
    group_of: dict[str, str] = {}
    for g in fx["groups"]:
        for d in g["docs"]:
            group_of[d] = g["name"]
    for s in fx.get("singletons", []):
        group_of[s["doc"]] = "singleton " + s["doc"]
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "merge.jsonl"
        with gzip.open(corpus, "rt", encoding="utf-8") as f, batch.open("w", encoding="utf-8") as out:
            for line in f:
                head = line[:80]
                if any(f'"{d}"' in head for d in group_of) and json.loads(line)["id"] in group_of:
                    out.write(line)
        store = Store(str(Path(tmp) / "m.db"))
        ingest(store, [str(batch)], geocoder=Geocoder(open_gazetteer(gazetteer)))
        dumped = dump(store.engine, decisions) if decisions else {}
        lead: dict[str, int] = {}
        docs_with_events: set[str] = set()
        for ev in store.iter_events():
            for r in ev["reports"]:
                docs_with_events.add(r["doc"])
        import sqlalchemy as sa

        with store.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT d.doc, r.event_id, r.record FROM reports r JOIN documents d ON d.id = r.document_id "
                "ORDER BY d.id, r.idx")).all()
        # the lead incident: the first the document tells that is not an earlier one recalled ("وكان ... قد")
        for doc, eid, record in rows:
            if doc not in lead and not json.loads(record).get("retold"):
                lead[doc] = eid
        by_event: dict[int, list[str]] = {}
        for doc, eid in lead.items():
            by_event.setdefault(eid, []).append(doc)
        merged: set[tuple[str, str]] = set()
        for ds in by_event.values():
            merged.update(combinations(sorted(ds), 2))
    gold = {p for p in combinations(sorted(group_of), 2) if group_of[p[0]] == group_of[p[1]]}
    merged = {p for p in merged if p[0] in group_of and p[1] in group_of}
    tp = len(merged & gold)
    return {
        "documents": len(group_of), "documents_with_events": len(docs_with_events & set(group_of)),
        "gold_pairs": len(gold), "merged_pairs": len(merged), "true_pairs": tp,
        "precision": round(tp / len(merged), 3) if merged else 1.0,
        "recall": round(tp / len(gold), 3) if gold else 1.0,
        "false_merges": sorted((a, b, group_of[a], group_of[b]) for a, b in merged - gold),
        "missed": sorted((a, b, group_of[a]) for a, b in gold - merged),
        "lead_event": {d: lead.get(d) for d in group_of}, **dumped,
    }


def group_of_doc(fixture: str, doc: str) -> str:
    fx = json.loads(Path(fixture).read_text(encoding="utf-8"))
    return next((g["name"] for g in fx["groups"] if doc in g["docs"]), "singletons")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus" / "ant" / "articles.jsonl.gz"))
    ap.add_argument("--fixture", default=str(REPO / "tests" / "fixtures" / "merge_groups.json"))
    ap.add_argument("--gazetteer", default=None, help="gazetteer for geocoding (default: built-in)")
    ap.add_argument("--show", action="store_true", help="list false merges and missed pairs")
    ap.add_argument("--decisions", metavar="FILE", type=Path, help="write the store's merge decisions to FILE")
    args = ap.parse_args()
    res = evaluate(Path(args.corpus), Path(args.fixture), args.gazetteer, args.decisions)
    print(f"documents {res['documents']} ({res['documents_with_events']} yield events); gold pairs {res['gold_pairs']}, "
          f"merged pairs {res['merged_pairs']}, correct {res['true_pairs']}")
    print(f"pairwise precision {res['precision']:.3f}  recall {res['recall']:.3f}")
    if args.decisions:
        print(f"decisions {res['decisions']}: digest {res['digest']}, event ids {res['ids']}")
    if args.show:
        by_group: dict[str, list[str]] = {}
        for d, e in res["lead_event"].items():
            by_group.setdefault(group_of_doc(args.fixture, d), []).append(f"{d}→{e}")
        for g, ds in by_group.items():
            print(f"GROUP  {g}: " + "  ".join(ds))
        for a, b, ga, gb in res["false_merges"]:
            print(f"FALSE  {a} ~ {b}   ({ga} | {gb})")
        for a, b, g in res["missed"]:
            print(f"MISSED {a} ~ {b}   ({g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
