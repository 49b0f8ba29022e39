"""`rasad reprocess` after a lexicon change: analysts' decisions follow the events the new extraction still
holds, the others are listed for review, and every report records the provenance it was made with.

The lexicon change is real: a folder given as RASAD_DATA holds a copy of data/furniture.txt that also
lists the openings of one example's lines, so that every line of that article becomes page furniture and
its event is gone; the other examples do not change. The reprocess runs as a `rasad` process."""

from __future__ import annotations

import json
import os
import subprocess
from importlib import resources
from pathlib import Path

from rasad.database.review import confirm, correct
from rasad.database.store import Store

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
KEPT, GONE = "01_ambush_rising_toll.txt", "04_airstrike_civilians.txt"


def _rasad(rasad_cmd: list[str], *args: str, data: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "RASAD_DATA"}
    if data is not None:
        env["RASAD_DATA"] = str(data)
    r = subprocess.run([*rasad_cmd, *args], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    return r


def _event_of(store: Store, doc: str) -> dict:
    (ev,) = [e for e in store.iter_events() if any(r["doc"] == doc for r in e["reports"])]
    return ev


def _furniture_overlay(folder: Path, article: Path) -> Path:
    """A copy of data/furniture.txt that also makes every line of `article` page furniture."""
    folder.mkdir()
    base = (resources.files("rasad") / "data" / "furniture.txt").read_text(encoding="utf-8")
    openings = [" ".join(line.split()[:4]) for line in article.read_text(encoding="utf-8").splitlines() if line.strip()]
    (folder / "furniture.txt").write_text(base.rstrip("\n") + "\n" + "\n".join(openings) + "\n", encoding="utf-8")
    return folder


def test_reprocess_keeps_decisions_on_events_that_remain_and_lists_those_gone(
        store: Store, rasad_cmd: list[str], tmp_path: Path) -> None:
    db = store.url
    _rasad(rasad_cmd, "ingest", str(EXAMPLES), "--db", db, "--no-geocode", "--no-progress")
    kept, gone = _event_of(store, KEPT), _event_of(store, GONE)
    before = kept["reports"][0]["provenance"]
    assert set(before) == {"rasad", "lexicon", "rules", "gazetteer"} and before["gazetteer"] is None
    correct(store, kept["event_id"], "alice", {"fatalities": {"low": 14, "best": 14, "high": 14}}, note="checked")
    confirm(store, gone["event_id"], "bob")
    n_events = len(list(store.iter_events()))

    # the same rules: every decision stays, on the same incidents, under new ids
    r = json.loads(_rasad(rasad_cmd, "reprocess", "--db", db, "--no-geocode", "--no-progress", "--json").stdout)
    assert r["gone"] == [] and r["events"] == n_events
    assert sorted(d["old_event"] for d in r["carried"]) == sorted([kept["event_id"], gone["event_id"]])
    again = _event_of(store, KEPT)
    assert again["event_id"] > max(kept["event_id"], gone["event_id"])  # an old id never names a new event
    assert again["fatalities"] == {"low": 14, "best": 14, "high": 14}
    assert _event_of(store, GONE)["status"] == "confirmed"

    # a lexicon change that makes the second article page furniture: its event and its decision go
    data = _furniture_overlay(tmp_path / "data", EXAMPLES / GONE)
    out = _rasad(rasad_cmd, "reprocess", "--db", db, "--no-geocode", "--no-progress", "--json", data=data)
    r = json.loads(out.stdout)
    (carried,) = r["carried"]
    assert carried["old_event"] == again["event_id"] and carried["corrected_fields"] == ["fatalities"]
    (listed,) = r["gone"]
    assert listed["status"] == "confirmed" and listed["documents"] == [GONE] and listed["reason"].startswith("gone")
    assert r["provenance"]["lexicon"] != before["lexicon"]

    now = _event_of(store, KEPT)
    assert now["event_id"] == carried["new_event"]
    assert now["fatalities"] == {"low": 14, "best": 14, "high": 14}  # alice's correction still applies
    assert now["reports"][0]["provenance"]["lexicon"] == r["provenance"]["lexicon"]
    trail = [(c["action"], c["user"]) for c in now["corrections"]]
    assert ("correct", "alice") in trail and trail.count(("reprocess", "reprocess")) == 2  # moved twice
    assert not [e for e in store.iter_events() if any(x["doc"] == GONE for x in e["reports"])]
    assert len(list(store.iter_events())) == n_events - 1

    # the listing a person reads
    text = _rasad(rasad_cmd, "reprocess", "--db", db, "--no-geocode", "--no-progress", data=data)
    assert "0 to review" in text.stderr and "1 decisions kept" in text.stderr


def test_reprocess_with_the_same_rules_gives_the_same_reports(store: Store, rasad_cmd: list[str]) -> None:
    """Stored documents are read again as they were read first (a .txt's first line is its headline): the
    same rules give the same report records."""
    _rasad(rasad_cmd, "ingest", str(EXAMPLES), "--db", store.url, "--no-geocode", "--no-progress")

    def records() -> list[str]:
        return sorted(json.dumps(r["event"], sort_keys=True, ensure_ascii=False)
                      for e in store.iter_events() for r in e["reports"])

    first = records()
    _rasad(rasad_cmd, "reprocess", "--db", store.url, "--no-geocode", "--no-progress")
    assert records() == first and len(first) == 6
    with store.engine.connect() as conn:
        kinds = {row[0] for row in conn.exec_driver_sql("SELECT kind FROM documents")}
    assert kinds == {"txt", "jsonl"}
