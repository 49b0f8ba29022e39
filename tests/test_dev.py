"""The development set (../shared/gold/dev.json): 79 real articles rasad was not built from, scored by the
official scorer. Issue 12 sets the goal at event F1 and every field ≥ 0.85; these floors hold what has been
reached so far, so that no change can lose it unnoticed. Raise them as the extractor improves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasad.cli import main

GROUPS = ["ANT=Sky News Arabia,Al Arabiya,France 24 Arabic,BBC Arabic,CNN Arabic", "Al Mayadeen=Al Mayadeen"]
MIN_MATCHED = 15  # a field is held to its floor when at least this many matched events carry it
FLOORS = {  # reached with the built-in gazetteer (event F1 0.872, from 0.768 and 0.594 before); the goal is 0.85
    "f1": 0.87,
    "actor1": 0.87, "actor2": 0.85, "admin1": 0.86, "date": 0.87, "event_type": 0.90, "sub_event_type": 0.89,
    "fatalities_best": 0.95, "fatalities_low": 0.93, "fatalities_high": 0.93, "location_km": 0.81,
}
# with the shared gazetteer, the issue's own bars (location_km is judged there): reached 0.875 and 0.908
SHARED_FLOORS = {"location_km": 0.85, "admin1": 0.90}
STATISTICS_FOUND = 0.84


@pytest.fixture(scope="module")
def dev(shared: Path) -> dict[str, dict]:
    run = CliRunner().invoke(main, [
        "eval", "--gold", str(shared / "gold" / "dev.json"), "--corpus", str(shared / "corpus" / "dev" / "articles.jsonl"),
        "--scorer", str(shared / "eval" / "score.py"), "--json", *[a for g in GROUPS for a in ("--group", g)]])
    assert run.exit_code == 0, run.output
    return json.loads(run.output)


def test_every_document_is_in_a_corpus(dev: dict[str, dict]) -> None:
    assert set(dev) == {"all", "ANT", "Al Mayadeen"}
    assert dev["ANT"]["documents"] + dev["Al Mayadeen"]["documents"] == dev["all"]["documents"] == 79


def test_development_set_floors(dev: dict[str, dict]) -> None:
    m = dev["all"]
    print(json.dumps({k: v["acc"] for k, v in m["fields"].items()}, indent=1))
    assert m["f1"] >= FLOORS["f1"], m
    for name, floor in FLOORS.items():
        field = m["fields"].get(name)
        if name == "f1" or field is None or field["of"] < MIN_MATCHED:
            continue
        assert field["acc"] >= floor, (name, field)
    assert m["fields"]["statistics_found"]["acc"] >= STATISTICS_FOUND


def test_statistics_are_tallies_not_incidents(dev: dict[str, dict]) -> None:
    """Issue 12: statistics_precision ≥ 0.90 (a predicted tally that lands on an incident is wrong)."""
    assert dev["all"]["fields"]["statistics_precision"]["acc"] >= 0.90


def test_no_corpus_lags_far_behind(dev: dict[str, dict]) -> None:
    """A gain on one outlet's style must not hide a loss on the other's: each corpus holds its own floor."""
    assert dev["ANT"]["f1"] >= 0.85 and dev["Al Mayadeen"]["f1"] >= 0.86, {k: v["f1"] for k, v in dev.items()}


def test_with_the_shared_gazetteer_places_reach_the_goal(shared: Path) -> None:
    """Issue 12: with ../shared/gazetteer/places.csv, location_km >= 0.85 and admin1 >= 0.90."""
    run = CliRunner().invoke(main, [
        "eval", "--gold", str(shared / "gold" / "dev.json"), "--corpus", str(shared / "corpus" / "dev" / "articles.jsonl"),
        "--scorer", str(shared / "eval" / "score.py"), "--gazetteer", str(shared / "gazetteer" / "places.csv"),
        "--json"])
    assert run.exit_code == 0, run.output
    fields = json.loads(run.output)["all"]["fields"]
    for name, floor in SHARED_FLOORS.items():
        assert fields[name]["acc"] >= floor, (name, fields[name])
