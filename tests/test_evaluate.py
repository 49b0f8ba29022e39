"""`rasad eval`: a gold set over a folder or a JSONL batch, scored by the official scorer, overall and per corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasad.cli import main
from rasad.evaluate import GoldSet, group_documents, load_gold, parse_groups

# two outlets, one incident each; the second outlet's report names another place than its gold event
ONE = "قتل 3 مدنيين بقصف مدفعي على بلدة كفرنبل بريف إدلب يوم الأحد."
TWO = "انفجرت عبوة ناسفة بسيارة عسكرية في مدينة درعا أمس ما أدى إلى مقتل جنديين من قوات النظام."


def _event(eid: str, anchor: str, date: str, admin1: str) -> dict[str, object]:
    return {"id": eid, "required": True, "anchors": [anchor], "date": date, "date_window": None,
            "event_type": "Explosions/Remote violence", "sub_event_types": ["Shelling/artillery/missile attack"],
            "actor1": ["Unidentified Armed Group"], "actor2": ["Civilians"],
            "location": {"names_ar": [], "admin1": admin1}, "fatalities": None, "wounded": None}


def _gold(tmp_path: Path) -> Path:
    gold = {"documents": [
        {"doc": "a-1", "events": [_event("a-1-1", "قتل 3 مدنيين بقصف مدفعي", "2024-03-03", "Idleb")]},
        {"doc": "b-1", "events": [_event("b-1-1", "انفجرت عبوة ناسفة بسيارة عسكرية", "2024-03-04", "Dar'a")]},
    ]}
    p = tmp_path / "gold.json"
    p.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return p


def _batch(tmp_path: Path) -> Path:
    rows = [{"id": "a-1", "source": "Outlet A", "published": "2024-03-05", "text": ONE},
            {"id": "b-1", "source": "Outlet B", "published": "2024-03-05", "text": TWO},
            {"id": "c-9", "source": "Outlet B", "published": "2024-03-05", "text": "لا شيء هنا."}]
    p = tmp_path / "batch.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return p


def test_groups_are_parsed_and_checked() -> None:
    assert parse_groups(["ANT=Sky News Arabia, CNN Arabic", "AM=Al Mayadeen"]) == {
        "ANT": {"Sky News Arabia", "CNN Arabic"}, "AM": {"Al Mayadeen"}}
    with pytest.raises(ValueError, match="LABEL=Source"):
        parse_groups(["no equals sign"])


def test_documents_group_by_outlet_or_by_the_given_groups(tmp_path: Path) -> None:
    gold = load_gold(_gold(tmp_path))
    gold.source.update({"a-1": "Outlet A", "b-1": "Outlet B"})
    assert group_documents(gold, {}) == {"Outlet A": ["a-1"], "Outlet B": ["b-1"]}
    assert group_documents(gold, {"X": {"Outlet B"}}) == {"other": ["a-1"], "X": ["b-1"]}


def test_a_file_that_is_not_gold_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"events": []}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a gold file"):
        load_gold(bad)
    assert isinstance(load_gold(_gold(tmp_path)), GoldSet)


def test_eval_scores_a_jsonl_corpus_overall_and_per_group(shared: Path, tmp_path: Path) -> None:
    args = ["eval", "--gold", str(_gold(tmp_path)), "--corpus", str(_batch(tmp_path)),
            "--scorer", str(shared / "eval" / "score.py"), "--no-geocode"]
    run = CliRunner().invoke(main, [*args, "--json"])
    assert run.exit_code == 0, run.output
    metrics = json.loads(run.output)
    assert set(metrics) == {"all", "Outlet A", "Outlet B"}
    assert metrics["all"]["documents"] == 2 and metrics["all"]["events_gold"] == 2
    assert metrics["Outlet A"]["tp"] == 1 and metrics["Outlet A"]["fp"] == 0  # c-9 is not in the gold set
    text = CliRunner().invoke(main, [*args, "--group", "Both=Outlet A,Outlet B"])
    assert text.exit_code == 0, text.output
    assert "F1=" in text.output and "== " not in text.output  # one group: the overall report alone


def test_eval_on_a_folder_needs_every_gold_document(shared: Path, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a-1").write_text(ONE, encoding="utf-8")
    run = CliRunner().invoke(main, ["eval", "--gold", str(_gold(tmp_path)), "--corpus", str(folder),
                                    "--scorer", str(shared / "eval" / "score.py"), "--no-geocode"])
    assert run.exit_code != 0 and "lacks 1 gold documents" in run.output
