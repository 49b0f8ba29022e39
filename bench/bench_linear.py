"""Extraction time against text length on pathological texts: is the cost linear?

Each kind of text is built to 10k, 100k and 990k characters (under the 1M limit) and extracted once (in this process, no
geocoding); the script prints milliseconds per 1,000 characters for each size, and the ratio of the
largest to the smallest (a linear extractor stays within 2x). The kinds:

- triggers: one short attack sentence repeated;
- dates: «ليل السبت/الأحد» repeated, then one incident;
- casualty words: «جرحى» repeated, then one incident;
- governorates: «حلب» and «ريف دمشق» named alone, repeated, then one incident (the place scan of a whole clause);
- article: a realistic article of our own, repeated.

usage: python bench/bench_linear.py [--sizes 10000,100000,990000] [--out bench/results/linear.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rasad import extract_text  # noqa: E402

INCIDENT = "قُتل ثلاثة مدنيين بقصف مدفعي على بلدة كفرنبل بريف إدلب الجنوبي، أمس الثلاثاء. "
ARTICLE = (
    "قُتل 12 عنصراً من قوات النظام السوري، أمس السبت، بكمين نصبه عناصر تنظيم الدولة الإسلامية قرب مدينة "
    "السخنة في بادية حمص الشرقية. وقال المرصد السوري لحقوق الإنسان إن حصيلة القتلى ارتفعت إلى 15، فيما "
    "أعلنت وكالة أعماق مقتل 20 عنصراً. وفي ريف إدلب، أصيب خمسة مدنيين بجروح جراء قصف مدفعي استهدف بلدة "
    "معرة النعمان مساء الجمعة، بحسب الدفاع المدني. وكانت طائرات حربية قد شنت غارات على المنطقة الأسبوع "
    "الماضي. ومنذ بداية العام قُتل أكثر من 300 شخص في المحافظة.\n\n"
)
KINDS = {
    "triggers": ("قصفت الطائرات الحربية بلدة في ريف إدلب. ", ""),
    "dates": ("ليل السبت/الأحد ", INCIDENT),
    "casualty words": ("جرحى ", INCIDENT),
    "governorates": ("حلب وريف دمشق ", INCIDENT),
    "article": (ARTICLE, ""),
}


def text_of(kind: str, size: int) -> str:
    unit, tail = KINDS[kind]
    return unit * max(1, (size - len(tail)) // len(unit)) + tail


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,990000")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "results" / "linear.md"))
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    extract_text("قُتل شخص.", published="2022-03-09")  # load the lexicons before timing
    rows = []
    for kind in KINDS:
        per_k = []
        for size in sizes:
            text = text_of(kind, size)
            t = time.process_time()
            extract_text(text, published="2022-03-09")
            ms = (time.process_time() - t) * 1000
            per_k.append(ms / (len(text) / 1000))
            print(f"{kind:15s} {len(text):>9,} chars: {ms:9.0f} ms, {per_k[-1]:.2f} ms per 1,000 chars", file=sys.stderr)
        rows.append((kind, per_k, max(per_k) / min(per_k)))
    head = " | ".join(f"{s:,} chars" for s in sizes)
    lines = [
        "# Extraction time against text length",
        "",
        f"`python bench/bench_linear.py` on {dt.date.today().isoformat()}: each pathological text extracted once "
        "in one process (CPU time, no geocoding), in milliseconds per 1,000 characters. A linear extractor keeps "
        "the ratio of the largest to the smallest within 2x.",
        "",
        f"| text | {head} | largest / smallest |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " | ---: |",
    ]
    for kind, per_k, ratio in rows:
        lines.append(f"| {kind} | " + " | ".join(f"{v:.2f}" for v in per_k) + f" | {ratio:.1f}x |")
    Path(a.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"-> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
