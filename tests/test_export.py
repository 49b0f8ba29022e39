"""Exports of merged events: ACLED CSV, UCDP GED-like CSV, GeoJSON and JSONL.

The merged events are written by hand for these tests (the store's shape, values of our own)."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from typing import Any

import pandas
import pytest

from rasad.database.export import (
    ACLED_COLUMNS,
    FORMATS,
    UCDP_COLUMNS,
    acled_row,
    geojson,
    ucdp_row,
    write_acled_csv,
    write_geojson,
    write_jsonl,
    write_ucdp_csv,
)

UPDATED = "2026-11-23T19:00:00+00:00"


def claim(kind: str, best: int | None, claimant: str, ctype: str, source: str, doc: str, *,
          low: int | None = None, high: int | None = None, superseded: bool = False) -> dict[str, Any]:
    low = best if low is None else low
    high = best if high is None and best is not None else high
    return {"kind": kind, "low": low, "best": best, "high": high, "qualifier": None, "claimant": claimant,
            "claimant_type": ctype, "doc": doc, "source": source, "superseded": superseded}


def report(doc: str, source: str, published: str | None, title: str) -> dict[str, Any]:
    return {"doc": doc, "url": f"https://example.org/{doc}", "source": source, "published": published,
            "title": title, "event": {"evidence": [{"field": "event", "start": 0, "end": 4, "text": title[:4]}]}}


def event(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event_id": 0, "date": None, "date_precision": "unknown", "date_window": None,
        "event_type": "Battles", "sub_event_type": "Armed clash", "disorder_type": "Political violence",
        "actor1": None, "assoc_actor_1": [], "inter1": None, "actor2": None, "assoc_actor_2": [], "inter2": None,
        "civilian_targeting": "", "location": None, "place_name_en": None, "place_name_ar": None,
        "admin1": None, "admin1_ar": None, "admin2": None, "admin3": None,
        "lat": None, "lon": None, "geo_precision": None,
        "fatalities": None, "wounded": None, "fatalities_acled": 0, "claims": [], "sources": [], "reports": [],
        "weapons": [], "units": [], "victims": "unknown", "reviewed": False, "corrected_fields": [],
        "updated_at": UPDATED,
    }
    base.update(kw)
    return base


# a battle: the monitor says 17 dead, the Islamic State's own outlet 25; the monitor's earlier 11 is superseded
BATTLE = event(
    event_id=101, date="2019-03-14", date_precision="day", date_window=["2019-03-14", "2019-03-14"],
    actor1="Islamic State", inter1=2, actor2="Military Forces of Syria", inter2=1,
    assoc_actor_2=["Liwa al Quds", "NDF: National Defence Forces"],
    location="بادية الميادين", place_name_en="Mayadin", place_name_ar="الميادين",
    admin1="Deir ez Zor", admin1_ar="دير الزور", admin2="Al Mayadin", admin3="Mayadin",
    lat=35.0208, lon=40.4522, geo_precision=2,
    fatalities={"low": 17, "best": 17, "high": 25}, wounded={"low": 9, "best": 9, "high": 9}, fatalities_acled=17,
    claims=[
        claim("fatalities", 11, "Syrian Observatory for Human Rights", "monitor", "Al Arabiya", "AA-1",
              superseded=True),
        claim("fatalities", 17, "Syrian Observatory for Human Rights", "monitor", "Al Arabiya", "AA-1"),
        claim("fatalities", 25, "Amaq News Agency", "party", "Enab Baladi", "EB-7"),
        claim("wounded", 9, "Syrian Observatory for Human Rights", "monitor", "Al Arabiya", "AA-1"),
    ],
    sources=["Al Arabiya", "Enab Baladi"],
    reports=[report("AA-1", "Al Arabiya", "2019-03-15", "مقتل 17 عنصراً من قوات النظام في بادية الميادين"),
             report("EB-7", "Enab Baladi", "2019-03-15", "هجوم لتنظيم الدولة قرب الميادين")],
    weapons=["small arms"], victims="combatants",
)

# civilians shot by unidentified gunmen; the date is known to the week
CIVILIANS = event(
    event_id=102, date="2020-06-10", date_precision="week", date_window=["2020-06-08", "2020-06-14"],
    event_type="Violence against civilians", sub_event_type="Attack",
    actor1="Unidentified Armed Group", inter1=3, actor2="Civilians", inter2=7, civilian_targeting="Civilian targeting",
    location="مدينة جاسم", place_name_en="Jasim", place_name_ar="جاسم", admin1="Dar'a", admin2="As-Sanamayn",
    lat=32.9922, lon=36.0603, geo_precision=1,
    fatalities={"low": 3, "best": 3, "high": 3}, fatalities_acled=3,
    claims=[claim("fatalities", 3, "Horan Free League", "activist", "Syria TV", "ST-3")],
    sources=["Syria TV"], reports=[report("ST-3", "Syria TV", "2020-06-14", "مقتل ثلاثة مدنيين برصاص مجهولين في جاسم")],
    victims="civilians",
)

# an explosive device on a patrol of the SDF: no date, a figure without a precise number
UNDATED = event(
    event_id=103, date=None, date_precision="unknown", date_window=None,
    event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED",
    actor1="Unidentified Armed Group", inter1=3, actor2="SDF: Syrian Democratic Forces", inter2=2,
    location="بلدة الشحيل", place_name_en="Al-Shuhayl", place_name_ar="الشحيل", admin1="Deir ez Zor",
    lat=35.1231, lon=40.4317, geo_precision=3,
    fatalities={"low": 3, "best": None, "high": None}, fatalities_acled=3,
    claims=[claim("fatalities", None, "outlet", "outlet", "Enab Baladi", "EB-9", low=3)],
    sources=["Enab Baladi"], reports=[report("EB-9", "Enab Baladi", None, "انفجار عبوة ناسفة بدورية لقسد في الشحيل")],
    weapons=["IED"], victims="combatants",
)

# a Russian air strike somewhere in southern Idlib: no coordinates, no casualties reported
NO_COORDS = event(
    event_id=104, date="2017-11-01", date_precision="month", date_window=["2017-11-01", "2017-11-30"],
    event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
    actor1="Military Forces of Russia", inter1=8,
    location="ريف إدلب الجنوبي", admin1="Idlib", admin1_ar="إدلب",
    sources=["Sky News Arabia"], reports=[report("SK-4", "Sky News Arabia", "2017-11-20", "غارات روسية على ريف إدلب")],
)

# Turkish forces against the SDF, corrected by an analyst (actor2 and the figure)
CORRECTED = event(
    event_id=105, date="2019-10-12", date_precision="day", date_window=["2019-10-12", "2019-10-12"],
    actor1="Military Forces of Turkey", inter1=8, assoc_actor_1=["Syrian National Army"],
    actor2="SDF: Syrian Democratic Forces", inter2=2,
    location="مدينة رأس العين", place_name_en="Ras al-Ain", place_name_ar="رأس العين", admin1="Al Hasakeh",
    lat=36.8497, lon=40.0731, geo_precision=1,
    fatalities={"low": 5, "best": 5, "high": 5}, fatalities_acled=5,
    claims=[claim("fatalities", 5, "Syrian Observatory for Human Rights", "monitor", "Al Arabiya", "AA-9")],
    sources=["Al Arabiya"], reports=[report("AA-9", "Al Arabiya", "2019-10-12", "اشتباكات عنيفة في رأس العين")],
    victims="combatants", reviewed=True, corrected_fields=["actor2", "fatalities"],
)

EVENTS = [BATTLE, CIVILIANS, UNDATED, NO_COORDS, CORRECTED]


def by_id(df: pandas.DataFrame, key: str, value: str) -> dict[str, str]:
    rows = df[df[key] == value].to_dict("records")
    assert len(rows) == 1
    return rows[0]


@pytest.fixture
def acled(tmp_path: Any) -> pandas.DataFrame:
    path = tmp_path / "events.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        assert write_acled_csv(EVENTS, fh) == len(EVENTS)
    return pandas.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture
def ucdp(tmp_path: Any) -> pandas.DataFrame:
    path = tmp_path / "ged.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        assert write_ucdp_csv(EVENTS, fh) == len(EVENTS)
    return pandas.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


# -- ACLED ----------------------------------------------------------------------------------------


def test_acled_csv_has_exactly_the_31_columns_in_order(acled: pandas.DataFrame) -> None:
    assert len(ACLED_COLUMNS) == 31
    assert list(acled.columns) == ACLED_COLUMNS
    assert len(acled) == len(EVENTS)
    assert list(acled["event_id_cnty"]) == ["SYR101", "SYR102", "SYR103", "SYR104", "SYR105"]
    assert set(acled["iso"]) == {"760"} and set(acled["region"]) == {"Middle East"}
    assert set(acled["country"]) == {"Syria"}
    assert set(acled["source_scale"]) == {"National-International"}


def test_acled_csv_loads_with_default_dtypes(tmp_path: Any) -> None:
    path = tmp_path / "events.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        write_acled_csv(EVENTS, fh)
    df = pandas.read_csv(path)
    assert list(df.columns) == ACLED_COLUMNS
    assert df["fatalities"].dtype.kind == "i"
    assert df["latitude"].dtype.kind == "f"


def test_acled_fatalities_are_the_lowest_figure(acled: pandas.DataFrame) -> None:
    row = by_id(acled, "event_id_cnty", "SYR101")
    live = [c["best"] for c in BATTLE["claims"] if c["kind"] == "fatalities" and not c["superseded"]]
    assert row["fatalities"] == str(min(live)) == "17"
    assert by_id(acled, "event_id_cnty", "SYR103")["fatalities"] == "3"  # "at least 3"
    assert by_id(acled, "event_id_cnty", "SYR104")["fatalities"] == "0"  # none reported


def test_acled_notes_name_disputed_figures_with_claimants(acled: pandas.DataFrame) -> None:
    notes = by_id(acled, "event_id_cnty", "SYR101")["notes"]
    assert notes.startswith("On 14 March 2019, Islamic State clashed with Military Forces of Syria near Mayadin, "
                            "Deir ez Zor.")
    assert "Syrian Observatory for Human Rights 17" in notes
    assert "Amaq News Agency 25" in notes
    assert " 11" not in notes  # the monitor's superseded figure
    assert "9 wounded" in notes
    assert "\n" not in notes
    assert by_id(acled, "event_id_cnty", "SYR101")["tags"] == "fatalities disputed"


def test_acled_notes_mention_the_correction(acled: pandas.DataFrame) -> None:
    notes = by_id(acled, "event_id_cnty", "SYR105")["notes"]
    assert notes.endswith("[corrected by analyst: actor2, fatalities]")
    assert "Military Forces of Turkey clashed with SDF: Syrian Democratic Forces in Ras al-Ain, Al Hasakeh" in notes
    assert "5 killed" in notes
    assert "corrected" not in by_id(acled, "event_id_cnty", "SYR101")["notes"]


def test_acled_notes_without_figures_or_date(acled: pandas.DataFrame) -> None:
    no_coords = by_id(acled, "event_id_cnty", "SYR104")["notes"]
    assert no_coords.startswith("In November 2017, Military Forces of Russia carried out an air/drone strike in ")
    assert "ريف إدلب الجنوبي" in no_coords and "No fatalities reported." in no_coords
    undated = by_id(acled, "event_id_cnty", "SYR103")
    assert undated["notes"].startswith("On an unknown date, ")
    assert "At least 3 killed (according to Enab Baladi)" in undated["notes"]
    assert undated["tags"] == "unconfirmed"


def test_acled_interaction_codes(acled: pandas.DataFrame) -> None:
    got = dict(zip(acled["event_id_cnty"], acled["interaction"], strict=True))
    assert got == {"SYR101": "12", "SYR102": "37", "SYR103": "23", "SYR104": "80", "SYR105": "28"}
    row = by_id(acled, "event_id_cnty", "SYR104")
    assert row["actor2"] == "" and row["inter2"] == ""


def test_acled_dates_and_time_precision(acled: pandas.DataFrame) -> None:
    got = {r["event_id_cnty"]: (r["event_date"], r["year"], r["time_precision"]) for r in acled.to_dict("records")}
    assert got["SYR101"] == ("2019-03-14", "2019", "1")
    assert got["SYR102"] == ("2020-06-10", "2020", "2")
    assert got["SYR103"] == ("", "", "")
    assert got["SYR104"] == ("2017-11-01", "2017", "3")
    assert acled_row(event(event_id=9, date="2021-01-05", date_precision="unknown"))["time_precision"] == 3


def test_acled_places_actors_sources_and_timestamp(acled: pandas.DataFrame) -> None:
    row = by_id(acled, "event_id_cnty", "SYR101")
    assert row["location"] == "Mayadin"
    assert (row["latitude"], row["longitude"], row["geo_precision"]) == ("35.0208", "40.4522", "2")
    assert row["assoc_actor_2"] == "Liwa al Quds; NDF: National Defence Forces"
    assert row["source"] == "Al Arabiya; Enab Baladi"
    assert (row["admin1"], row["admin2"], row["admin3"]) == ("Deir ez Zor", "Al Mayadin", "Mayadin")
    assert row["timestamp"] == str(int(dt.datetime(2026, 11, 23, 19, tzinfo=dt.UTC).timestamp()))
    civ = by_id(acled, "event_id_cnty", "SYR102")
    assert civ["civilian_targeting"] == "Civilian targeting"
    assert civ["notes"].startswith("In the week of 10 June 2020, Unidentified Armed Group attacked civilians in Jasim")
    nc = by_id(acled, "event_id_cnty", "SYR104")
    assert nc["location"] == "ريف إدلب الجنوبي"  # no English name: the Arabic as reported
    assert nc["latitude"] == nc["longitude"] == ""


def test_acled_country_left_empty_outside_syria_without_admin1() -> None:
    outside = copy.deepcopy(BATTLE)
    outside.update(lat=33.3152, lon=44.3661, admin1=None)  # Baghdad
    assert acled_row(outside)["country"] == ""
    outside["admin1"] = "Deir ez Zor"
    assert acled_row(outside)["country"] == "Syria"
    assert acled_row(NO_COORDS)["country"] == "Syria"


def test_acled_notes_leave_out_an_outlet_echoing_a_named_claimant() -> None:
    ev = copy.deepcopy(CORRECTED)
    ev["claims"].append(claim("fatalities", 5, "Al Arabiya", "outlet", "Al Arabiya", "AA-9"))
    assert "5 killed (according to Syrian Observatory for Human Rights)." in acled_row(ev)["notes"]
    ev["claims"].append(claim("fatalities", 7, "Al Arabiya", "outlet", "Al Arabiya", "AA-9"))
    assert "(Syrian Observatory for Human Rights 5; Al Arabiya 7)" in acled_row(ev)["notes"]


def test_civilians_named_alone_are_the_target() -> None:
    ev = event(event_id=9, date="2022-03-09", date_precision="day", event_type="Explosions/Remote violence",
               sub_event_type="Shelling/artillery/missile attack", actor1="Civilians", inter1=7,
               civilian_targeting="Civilian targeting", location="بلدة كفرنبل", admin1="Idlib", victims="civilians",
               fatalities={"low": 3, "best": 3, "high": 3}, fatalities_acled=3)
    assert acled_row(ev)["notes"].startswith("On 9 March 2022, unidentified actors shelled civilians in بلدة كفرنبل")
    row = ucdp_row(ev)
    assert (row["type_of_violence"], row["side_a"], row["side_b"]) == (3, "Unknown", "Civilians")
    assert row["deaths_civilians"] == 3


# -- UCDP -----------------------------------------------------------------------------------------


def test_ucdp_columns(ucdp: pandas.DataFrame) -> None:
    assert list(ucdp.columns) == UCDP_COLUMNS
    assert list(ucdp["id"]) == ["101", "102", "103", "104", "105"]
    assert set(ucdp["country"]) == {"Syria"} and set(ucdp["region"]) == {"Middle East"}
    assert set(acled_row(BATTLE)) == set(ACLED_COLUMNS)
    assert set(ucdp_row(BATTLE)) == set(UCDP_COLUMNS)


def test_ucdp_type_of_violence_and_names(ucdp: pandas.DataFrame) -> None:
    got = dict(zip(ucdp["id"], ucdp["type_of_violence"], strict=True))
    assert got == {"101": "1", "102": "3", "103": "2", "104": "1", "105": "1"}
    battle = by_id(ucdp, "id", "101")
    assert battle["conflict_name"] == "Syria: Government vs Islamic State"
    assert battle["dyad_name"] == "Islamic State - Military Forces of Syria"
    assert (battle["side_a"], battle["side_b"]) == ("Islamic State", "Military Forces of Syria")
    assert battle["source_article"] == "AA-1 https://example.org/AA-1; EB-7 https://example.org/EB-7"
    assert battle["source_office"] == "Al Arabiya; Enab Baladi"
    assert by_id(ucdp, "id", "105")["conflict_name"] == (
        "Syria: Government of Turkey vs SDF: Syrian Democratic Forces")
    assert by_id(ucdp, "id", "102")["side_b"] == "Civilians"
    assert by_id(ucdp, "id", "103")["conflict_name"] == "Syria: Unidentified Armed Group vs SDF: Syrian Democratic Forces"


def test_ucdp_where_prec_mapping(ucdp: pandas.DataFrame) -> None:
    got = dict(zip(ucdp["id"], ucdp["where_prec"], strict=True))
    assert got == {"101": "2", "102": "1", "103": "4", "104": "6", "105": "1"}
    assert by_id(ucdp, "id", "104")["where_coordinates"] == "ريف إدلب الجنوبي"
    assert by_id(ucdp, "id", "101")["where_coordinates"] == "Mayadin"


def test_ucdp_date_prec_and_window(ucdp: pandas.DataFrame) -> None:
    got = {r["id"]: (r["date_prec"], r["date_start"], r["date_end"], r["year"]) for r in ucdp.to_dict("records")}
    assert got["101"] == ("1", "2019-03-14", "2019-03-14", "2019")
    assert got["102"] == ("2", "2020-06-08", "2020-06-14", "2020")
    assert got["103"] == ("5", "", "", "")
    assert got["104"] == ("3", "2017-11-01", "2017-11-30", "2017")
    no_window = ucdp_row(event(event_id=7, date="2022-02-02", date_precision="day"))
    assert (no_window["date_start"], no_window["date_end"]) == ("2022-02-02", "2022-02-02")


def test_ucdp_deaths_split_and_estimates(ucdp: pandas.DataFrame) -> None:
    def deaths(i: str) -> tuple[str, ...]:
        r = by_id(ucdp, "id", i)
        return tuple(r[k] for k in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low"))

    assert deaths("101") == ("0", "17", "0", "0", "17", "25", "17")  # combatants: side_b's dead
    assert deaths("102") == ("0", "0", "3", "0", "3", "3", "3")  # civilians
    assert deaths("103") == ("0", "3", "0", "0", "3", "3", "3")  # best falls back to low
    assert deaths("104") == ("0", "0", "0", "0", "0", "0", "0")  # unknown
    mixed = ucdp_row(event(event_id=8, fatalities={"low": 4, "best": 6, "high": 6}, victims="mixed"))
    assert (mixed["deaths_unknown"], mixed["best"], mixed["low"], mixed["high"]) == (6, 6, 4, 6)


# -- GeoJSON --------------------------------------------------------------------------------------


def test_geojson_structure() -> None:
    fh = io.StringIO()
    assert write_geojson(EVENTS, fh) == 4
    gj = json.loads(fh.getvalue())
    assert gj == geojson(EVENTS)
    assert gj["type"] == "FeatureCollection"
    assert gj["rasad"] == {"without_coordinates": 1}
    assert len(gj["features"]) == 4
    for f in gj["features"]:
        assert f["type"] == "Feature"
        assert f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert isinstance(lon, float) and isinstance(lat, float)
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert 35.6 <= lon <= 42.4 and 32.3 <= lat <= 37.4  # [lon, lat], not the other way round
        assert isinstance(f["properties"], dict)
        assert set(ACLED_COLUMNS) <= set(f["properties"])
    assert 104 not in [f["properties"]["event_id"] for f in gj["features"]]


def test_geojson_properties() -> None:
    props = {f["properties"]["event_id"]: f["properties"] for f in geojson(EVENTS)["features"]}
    battle = props[101]
    assert (battle["fatalities_low"], battle["fatalities_best"], battle["fatalities_high"]) == (17, 17, 25)
    assert battle["fatalities"] == 17
    assert battle["wounded_best"] == 9
    assert battle["sources"] == ["Al Arabiya", "Enab Baladi"]
    assert battle["geo_precision"] == 2
    assert (battle["latitude"], battle["longitude"]) == (35.0208, 40.4522)
    assert props[103]["fatalities_best"] is None and props[103]["event_date"] is None
    assert props[102]["wounded_best"] is None


# -- JSONL ----------------------------------------------------------------------------------------


def test_jsonl_round_trips() -> None:
    fh = io.StringIO()
    assert write_jsonl(EVENTS, fh) == len(EVENTS)
    text = fh.getvalue()
    assert "الميادين" in text  # not escaped
    lines = text.splitlines()
    assert len(lines) == len(EVENTS)
    assert [json.loads(line) for line in lines] == EVENTS


def test_formats_registry() -> None:
    assert FORMATS == {"acled-csv": write_acled_csv, "ucdp-csv": write_ucdp_csv, "geojson": write_geojson,
                       "jsonl": write_jsonl}
    for name, writer in FORMATS.items():
        fh = io.StringIO()
        writer(EVENTS[:2], fh)
        assert fh.getvalue(), name
