"""`rasad eval`: extract the documents a gold file names and score them with the official scorer, over
the whole set and per group of outlets (a corpus), so a gain on one kind of text cannot hide a loss on
another.

The corpus is a folder of files named as the gold documents, or a JSONL(.gz) batch whose records' `id`s
are the gold documents. Groups come from the records' `source` field: one group per outlet, or the
groups given as `LABEL=Source one,Source two` (the ANT corpus is five outlets; Al Mayadeen one).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ALL = "all"


@dataclass
class GoldSet:
    """The gold file's documents, and the outlet each one comes from (None when the corpus does not say)."""

    path: Path
    data: dict[str, Any]
    source: dict[str, str | None] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [d["doc"] for d in self.data["documents"]]


def load_gold(path: str | Path) -> GoldSet:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        docs = data["documents"]
        if not all(isinstance(d, dict) and "doc" in d for d in docs):
            raise ValueError("every document needs a 'doc' name")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path} is not a gold file like ../shared/gold/seeds.json ({exc})") from exc
    return GoldSet(Path(path), data)


def corpus_inputs(corpus: str | Path, gold: GoldSet) -> list[str]:
    """What to extract: the gold documents' files in a folder, or the batch file itself."""
    corpus = Path(corpus)
    if corpus.is_dir():
        missing = [n for n in gold.names if not (corpus / n).exists()]
        if missing:
            raise ValueError(f"{corpus} lacks {len(missing)} gold documents, e.g. {missing[0]}")
        return [str(corpus / n) for n in sorted(set(gold.names))]
    return [str(corpus)]


def keep_gold(records: Iterable[dict[str, Any]], gold: GoldSet) -> Iterator[dict[str, Any]]:
    """The extracted records of the gold documents (a batch may hold others), noting each one's outlet."""
    wanted = set(gold.names)
    for rec in records:
        name = Path(str(rec.get("doc", ""))).name
        if name in wanted:
            gold.source[name] = rec.get("source")
            yield rec


def parse_groups(specs: Iterable[str]) -> dict[str, set[str]]:
    """`LABEL=Source one,Source two` → {LABEL: {sources}}."""
    groups: dict[str, set[str]] = {}
    for spec in specs:
        label, sep, sources = spec.partition("=")
        members = {s.strip() for s in sources.split(",") if s.strip()}
        if not sep or not label.strip() or not members:
            raise ValueError(f"--group {spec!r}: write LABEL=Source one,Source two")
        groups[label.strip()] = members
    return groups


def group_documents(gold: GoldSet, groups: dict[str, set[str]]) -> dict[str, list[str]]:
    """Gold documents per group, in gold order: the given groups, else one group per outlet. A document
    of no given group goes to "other"."""
    out: dict[str, list[str]] = {}
    for name in gold.names:
        src = gold.source.get(name)
        if groups:
            label = next((k for k, members in groups.items() if src in members), "other")
        else:
            label = src or "unknown source"
        out.setdefault(label, []).append(name)
    return out


def load_scorer(path: str | Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("rasad_official_scorer", path)
    if spec is None or spec.loader is None:
        raise ValueError(f"cannot load the scorer {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _run_scorer(scorer: ModuleType, gold: dict[str, Any], pred: Path, corpus: str, extra: list[str]) -> str:
    """The scorer's printed output for one gold subset."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as g:
        json.dump(gold, g, ensure_ascii=False)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            scorer.main([g.name, str(pred), "--corpus", corpus, *extra])
    finally:
        Path(g.name).unlink(missing_ok=True)
    return out.getvalue()


def score(scorer: ModuleType, gold: GoldSet, pred: Path, corpus: str, groups: dict[str, list[str]],
          show_misses: bool = False) -> tuple[dict[str, Any], dict[str, str]]:
    """Metrics (the scorer's JSON) and printed reports for the whole set and each group with its documents."""
    metrics: dict[str, Any] = {}
    reports: dict[str, str] = {}
    subsets = {ALL: gold.names, **groups} if len(groups) > 1 else {ALL: gold.names}
    for label, names in subsets.items():
        keep = set(names)
        sub = dict(gold.data, documents=[d for d in gold.data["documents"] if d["doc"] in keep])
        m = json.loads(_run_scorer(scorer, sub, pred, corpus, ["--json"]))
        m["documents"] = len(sub["documents"])
        metrics[label] = m
        reports[label] = _run_scorer(scorer, sub, pred, corpus, ["--show-misses"] if show_misses and label == ALL else [])
    return metrics, reports


def evaluate(gold_path: str, corpus: str, scorer_path: str, group_specs: Iterable[str],
             extract: Callable[[list[str]], Iterable[dict[str, Any]]], show_misses: bool = False
             ) -> tuple[dict[str, Any], dict[str, str]]:
    """Extract the gold documents of `corpus` with `extract` and score them, overall and per group."""
    gold = load_gold(gold_path)
    groups = parse_groups(group_specs)
    scorer = load_scorer(scorer_path)
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        with open(pred, "w", encoding="utf-8") as fh:
            for rec in keep_gold(extract(corpus_inputs(corpus, gold)), gold):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return score(scorer, gold, pred, corpus, group_documents(gold, groups), show_misses)


def format_reports(metrics: dict[str, Any], reports: dict[str, str]) -> str:
    """The scorer's report for everything, then one per group headed by its document and event counts."""
    if len(reports) == 1:
        return reports[ALL]
    parts = []
    for label, text in reports.items():
        m = metrics[label]
        parts.append(f"== {label}: {m['documents']} documents, {m['events_gold']} gold events\n{text}")
    return "\n".join(parts)
