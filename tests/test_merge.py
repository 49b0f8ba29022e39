"""Merging across documents: the rules on pairs of reports, and the hand-checked merge test set."""

from __future__ import annotations

import sys
from pathlib import Path

from rasad.merge import Summary, compare

BASE = {"date": "2022-03-09", "date_precision": "day", "admin1": "Homs", "lat": 34.88, "lon": 38.87,
        "geo_precision": 1, "event_type": "Battles", "actor1": "Islamic State", "actor2": "Military Forces of Syria",
        "fatalities": {"low": 9, "best": 9, "high": 9}, "place_name_en": "Sokhneh"}


def cmp(**changes: object) -> tuple[float, list[str]] | None:
    return compare(Summary.of({**BASE, **changes}), Summary.of(BASE))


def test_the_same_incident_merges_with_reasons() -> None:
    score, why = cmp(fatalities={"low": 11, "best": 11, "high": 11})  # type: ignore[misc]
    assert score >= 4 and any("same day" in w for w in why) and any("same place" in w for w in why)


def test_the_same_area_on_another_day_does_not_merge() -> None:
    assert cmp(date="2022-03-10") is None


def test_another_place_on_the_same_day_does_not_merge() -> None:
    assert cmp(lat=35.95, lon=39.01, admin1="Ar-Raqqa", place_name_en="Raqqa") is None
    assert cmp(lat=34.55, lon=38.28, place_name_en="Tadmur") is None  # 50 km away, both exact


def test_other_attackers_against_other_targets_do_not_merge() -> None:
    assert cmp(actor1="Military Forces of Turkey", actor2="SDF: Syrian Democratic Forces") is None


def test_an_undated_report_needs_strong_agreement() -> None:
    assert cmp(date=None, date_precision="unknown", actor1="Unidentified Armed Group",
               fatalities={"low": 30, "best": 30, "high": 30}) is None
    got = cmp(date=None, date_precision="unknown")
    assert got is not None and "undated report with strong agreement" in got[1]


def test_undated_incidents_reported_the_same_day_at_the_same_place_merge() -> None:
    a = {**BASE, "date_precision": "week", "date_window": ["2022-03-03", "2022-03-09"]}
    got = compare(Summary.of(a), Summary.of(a))
    assert got is not None and "reported the same day" in got[1]


def test_one_night_told_as_two_days_merges_only_with_a_night_mention() -> None:
    night = cmp(date="2022-03-08", time_of_day="night")  # "ليل الثلاثاء" against the Wednesday of another outlet
    assert night is not None and any("same night" in w for w in night[1])
    assert cmp(date="2022-03-08", time_of_day="morning") is None
    assert cmp(date="2022-03-08") is None
    assert cmp(date="2022-03-07", time_of_day="night") is None  # two days apart
    base_night = Summary.of({**BASE, "time_of_day": "night"})
    assert compare(Summary.of({**BASE, "date": "2022-03-08", "time_of_day": "night"}), base_night) is None  # two nights
    assert compare(Summary.of({**BASE, "date": "2022-03-10", "time_of_day": "dawn"}), base_night) is not None


def test_a_place_known_only_to_its_governorate_is_near_any_point_in_it() -> None:
    # the report says only "in Homs" (the governorate's point, precision 3), 110 km from Sokhneh
    got = cmp(lat=34.73, lon=36.71, geo_precision=3, place_name_en="Homs", actor2=None)
    assert got is not None and any("same governorate" in w for w in got[1])
    # a town (precision 2) that far away is another place
    assert cmp(lat=34.73, lon=36.71, geo_precision=2, place_name_en="Homs") is None


def test_damascus_and_its_countryside_are_one_block_told_apart_by_distance() -> None:
    base = {**BASE, "admin1": "Rural Damascus", "lat": 33.36, "lon": 36.24, "place_name_en": "Al Kiswah"}
    city = {**base, "admin1": "Damascus", "lat": 33.42, "lon": 36.26, "geo_precision": 2}  # "south of Damascus"
    assert compare(Summary.of(city), Summary.of(base)) is not None
    assert compare(Summary.of({**city, "admin1": "Homs"}), Summary.of(base)) is None  # only these two adjoin so
    assert compare(Summary.of({**city, "lat": None, "lon": None, "place_name_en": "Damascus"}), Summary.of(base)) is None


def test_merge_test_set_precision_and_recall(shared: Path) -> None:
    """The hand-checked groups of multi-outlet coverage in the ANT corpus (tests/fixtures). The bar of
    the issue is precision 0.9 and recall 0.8; this guards what is reached now (README)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from eval_merge import evaluate

    res = evaluate(shared / "corpus" / "ant" / "articles.jsonl.gz",
                   Path(__file__).with_name("fixtures") / "merge_groups.json")
    print(res["precision"], res["recall"])
    assert res["precision"] >= 0.9
    assert res["recall"] >= 0.35
