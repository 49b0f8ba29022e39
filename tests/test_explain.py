"""`rasad extract --explain`: the real command on sentences written here, from a .txt, a JSONL batch
(--doc) and stdin."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasad.cli import main

KEPT = "قال المرصد السوري إن 4 مدنيين قتلوا في قصف مدفعي لقوات النظام على بلدة كفرنبل في ريف إدلب يوم الأحد."
DENIED = "ونفى الجيش السوري أي قصف على مدينة حلب."
TALLY = "ووثق المرصد السوري لحقوق الإنسان مقتل 1200 شخص منذ بداية العام الجاري."
ARTICLE = "\n".join([KEPT, DENIED, TALLY])


def run(*args: str, stdin: str | None = None) -> str:
    res = CliRunner().invoke(main, ["extract", *args, "--published", "2024-03-04", "--no-geocode"], input=stdin)
    assert res.exit_code == 0, res.output
    return res.output


def _check_article(out: str) -> None:
    blocks = out.split("\n[")
    kept = next(b for b in blocks if "قصف مدفعي" in b and "4 مدنيين" in b)
    assert "KEPT" in kept and "casualties:" in kept
    assert "Syrian government forces (attacker)" in kept or "(attacker)" in kept
    assert "Civilians (victim)" in kept
    assert "governorate Idleb" in kept
    assert "date: 2024-03-03 (day)" in kept
    assert "figure: fatalities 4 by" in kept and "-> incident 1: combined into low/best/high" in kept
    assert "incident: started incident 1" in kept
    denied = next(b for b in blocks if "ونفى الجيش" in b)
    assert "DROPPED   denial: the clause denies the violence" in denied
    tally = next(b for b in blocks if "منذ بداية العام" in b)
    assert "STATISTIC tally_cue" in tally and "recorded a statistic: 1200" in tally
    assert "1 incident(s), 1 statistic(s)" in out
    assert "  incident 1: 2024-03-03 (day) | Explosions/Remote violence" in out


def test_explain_a_text_file(tmp_path: Path) -> None:
    f = tmp_path / "article.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    _check_article(run(str(f), "--explain"))


def test_explain_one_record_of_a_jsonl_batch(tmp_path: Path) -> None:
    f = tmp_path / "batch.jsonl"
    rows = [{"id": "other", "text": "قتل 3 جنود في هجوم لتنظيم داعش على حاجز في ريف دير الزور."},
            {"id": "this", "text": ARTICLE}]
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = run(str(f), "--explain", "--doc", "this")
    assert out.startswith("document this:")
    _check_article(out)
    # without --doc, a batch of several documents is refused with a hint
    res = CliRunner().invoke(main, ["extract", str(f), "--explain", "--no-geocode"])
    assert res.exit_code != 0 and "--doc ID" in res.output
    res = CliRunner().invoke(main, ["extract", str(f), "--explain", "--doc", "missing", "--no-geocode"])
    assert res.exit_code != 0 and "no document 'missing'" in res.output


def test_explain_stdin() -> None:
    _check_article(run("-", "--explain", stdin=ARTICLE))


def test_explain_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "why.txt"
    assert run("-", "--explain", "-o", str(out), stdin=ARTICLE) == ""
    _check_article(out.read_text(encoding="utf-8"))


def test_explain_says_how_a_second_report_joins() -> None:
    text = KEPT + "\n" + "وأسفر القصف عن مقتل 4 مدنيين في كفرنبل بحسب المرصد."
    out = run("-", "--explain", stdin=text)
    assert re.search(r"incident: joined incident 1 by (joins_the_most_similar|anaphor_joins_the_one_just_told) — incident 1: score", out)
    assert "1 incident(s)" in out


def test_help_documents_explain() -> None:
    res = CliRunner().invoke(main, ["extract", "--help"])
    assert "--explain" in res.output and "--doc ID" in res.output


@pytest.mark.parametrize("args", [["--doc", "x"]])
def test_doc_needs_explain(args: list[str], tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(KEPT, encoding="utf-8")
    res = CliRunner().invoke(main, ["extract", str(f), *args])
    assert res.exit_code != 0 and "--explain" in res.output
