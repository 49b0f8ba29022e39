"""`rasad boundaries import FILE [--level admin2|roads]`: a checked FeatureCollection replaces the level's stored
shapes in one transaction, and a file that fails a check (not JSON, not a FeatureCollection, no polygons, a
district without a name, a polygon given as a road or a road as a district, no road near Syria) leaves what was
stored before as it was. Two invented square districts and two invented roads, through the command line into a
real database: SQLite always, and PostgreSQL too when RASAD_TEST_PG holds a URL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from rasad.cli import main
from rasad.database.boundaries import outlines
from rasad.database.store import Store, boundaries

SHARED_ADMIN2 = Path(__file__).resolve().parents[2] / "shared" / "gazetteer" / "admin2_approx.geojson"


def square(x: float, y: float, size: float = 0.5) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def collection(*features: tuple[dict[str, Any], dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", **extra,
            "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in features]}


# two invented districts side by side, named as OCHA's CODs name them
TWO = collection(({"ADM2_EN": "Wadi Alif", "ADM2_AR": "وادي ألف", "ADM2_PCODE": "XX0101"}, square(36.0, 34.0)),
                 ({"ADM2_EN": "Tal Ba", "ADM2_AR": "تل باء", "ADM2_PCODE": "XX0102"}, square(36.5, 34.0)))


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def rasad_import(store: Store, path: Path, *level: str):  # -> click.testing.Result
    return CliRunner().invoke(main, ["boundaries", "import", str(path), *level, "--db", store.url])


def rows(store: Store) -> list[tuple[str, str, str, str]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(boundaries.c.level, boundaries.c.source, boundaries.c.geojson,
                                                         boundaries.c.imported_at).order_by(boundaries.c.level))]


def names(store: Store, level: str) -> list[tuple[str | None, str | None]]:
    n = level[-1]
    return [(f["properties"].get(f"ADM{n}_EN"), f["properties"].get(f"ADM{n}_AR"))
            for f in json.loads(outlines(store, level))["features"]]


def test_districts_are_stored_beside_the_governorates(store: Store, tmp_path: Path) -> None:
    governorates = write(tmp_path, "gov.geojson", collection(({"ADM1_EN": "Homs"}, square(35.5, 33.5, 2.0))))
    r = rasad_import(store, governorates)
    assert r.exit_code == 0, r.output
    assert "1 governorate outlines imported" in r.output
    assert outlines(store, "admin2") is None
    r = rasad_import(store, write(tmp_path, "districts.geojson", TWO), "--level", "admin2")
    assert r.exit_code == 0, r.output
    assert "2 district outlines imported" in r.output and "approximate" not in r.output
    assert names(store, "admin2") == [("Wadi Alif", "وادي ألف"), ("Tal Ba", "تل باء")]
    stored = json.loads(outlines(store, "admin2"))
    assert "approximate" not in stored
    assert stored["features"][0]["properties"]["ADM2_PCODE"] == "XX0101"  # the file's other properties kept
    assert stored["features"][1]["geometry"] == square(36.5, 34.0)
    assert names(store, "admin1") == [("Homs", None)]  # the other level untouched
    assert [(level, Path(source).name) for level, source, *_ in rows(store)] == [
        ("admin1", "gov.geojson"), ("admin2", "districts.geojson")]


def test_a_new_import_replaces_the_levels_outlines(store: Store, tmp_path: Path) -> None:
    assert rasad_import(store, write(tmp_path, "a.geojson", TWO), "--level", "admin2").exit_code == 0
    one = collection(({"ADM2_EN": "Jisr Jim"}, square(37.0, 35.0)))
    r = rasad_import(store, write(tmp_path, "b.geojson", one), "--level", "admin2")
    assert r.exit_code == 0, r.output
    assert names(store, "admin2") == [("Jisr Jim", None)]
    assert [(level, Path(source).name) for level, source, *_ in rows(store)] == [("admin2", "b.geojson")]


NOT_POLYGONS = collection(({"ADM2_EN": "Point Town"}, {"type": "Point", "coordinates": [36.1, 34.1]}))
UNNAMED = collection(({"ADM2_EN": "Wadi Alif"}, square(36.0, 34.0)),
                     ({"ADM2_PCODE": "XX0102", "ADM1_EN": "Homs"}, square(36.5, 34.0)))
BAD = {
    "not JSON": ('{"type": "FeatureCollection", "features": [', "malformed JSON at line 1"),
    "not UTF-8": (None, "not UTF-8 text"),
    "a Feature": ({"type": "Feature", "properties": {}, "geometry": square(36.0, 34.0)},
                  "expected a GeoJSON FeatureCollection, got 'Feature'"),
    "a list": ([TWO], "expected a GeoJSON FeatureCollection, got 'list'"),
    "no features": (collection(), "the FeatureCollection has no features"),
    "a point": (NOT_POLYGONS, "features[0]: expected a Polygon or MultiPolygon geometry"),
    "a district without a name": (UNNAMED, "features[1] has no district name: expected one of the properties "
                                           "ADM2_EN, ADM2_AR, admin2_en, admin2_ar"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_says_why_and_keeps_what_was_stored(store: Store, tmp_path: Path, case: str) -> None:
    assert rasad_import(store, write(tmp_path, "good.geojson", TWO), "--level", "admin2").exit_code == 0
    assert rasad_import(store, write(tmp_path, "gov.geojson", TWO)).exit_code == 0
    before = rows(store)
    content, message = BAD[case]
    bad = tmp_path / "bad.geojson"
    if content is None:
        bad.write_bytes(b'{"type": "FeatureCollection", "features": [], "name": "\xff"}')
    else:
        write(tmp_path, bad.name, content)
    r = rasad_import(store, bad, "--level", "admin2")
    assert r.exit_code != 0
    assert f"{bad}: {message}" in r.output
    assert "Traceback" not in r.output
    assert rows(store) == before  # both levels, to the imported_at


def test_the_message_names_the_properties_a_district_file_lacks(store: Store, tmp_path: Path) -> None:
    governorates = collection(({"ADM1_EN": "Homs", "ADM1_AR": "حمص"}, square(36.0, 34.0)))
    r = rasad_import(store, write(tmp_path, "admin1.geojson", governorates), "--level", "admin2")
    assert r.exit_code != 0
    assert "features[0] has no district name" in r.output and "it has ADM1_EN, ADM1_AR" in r.output
    assert rows(store) == []


def test_other_common_name_properties_are_read(store: Store, tmp_path: Path) -> None:
    """HDX's admin2_en / admin2_ar, any case; a generic `name` in Arabic letters is the Arabic name; geoBoundaries'
    shapeName, GADM's NAME_2."""
    fc = collection(({"admin2_en": "Wadi Alif", "admin2_ar": "وادي ألف"}, square(36.0, 34.0)),
                    ({"Admin2Name_AR": "تل باء"}, square(36.5, 34.0)),
                    ({"name": "جسر جيم", "shapeName": "Jisr Jim"}, square(37.0, 34.0)),
                    ({"NAME_2": "Dal"}, square(37.5, 34.0)),
                    ({"District": " Ha ", "ADM2_EN": ""}, square(38.0, 34.0)))
    r = rasad_import(store, write(tmp_path, "hdx.geojson", fc), "--level", "admin2")
    assert r.exit_code == 0, r.output
    assert names(store, "admin2") == [("Wadi Alif", "وادي ألف"), (None, "تل باء"), ("Jisr Jim", "جسر جيم"),
                                      ("Dal", None), ("Ha", None)]


def test_governorates_may_still_come_without_names(store: Store, tmp_path: Path) -> None:
    fc = collection(({}, square(36.0, 34.0)), ({"admin1_en": "Homs"}, square(37.0, 34.0)))
    r = rasad_import(store, write(tmp_path, "gov.geojson", fc))
    assert r.exit_code == 0, r.output
    assert names(store, "admin1") == [(None, None), ("Homs", None)]


@pytest.mark.parametrize(("name", "extra", "props"), [
    ("districts_approx.geojson", {}, {}),
    ("districts.geojson", {"approximate": True}, {}),
    ("districts.geojson", {}, {"method": "APPROXIMATE: dissolved from Voronoi cells"}),
    ("districts.geojson", {}, {"approximate": True}),
])
def test_a_file_that_says_it_is_approximate_is_marked_so(store: Store, tmp_path: Path, name: str,
                                                         extra: dict[str, Any], props: dict[str, Any]) -> None:
    fc = collection(({"ADM2_EN": "Wadi Alif", **props}, square(36.0, 34.0)), **extra)
    r = rasad_import(store, write(tmp_path, name, fc), "--level", "admin2")
    assert r.exit_code == 0, r.output
    assert "1 district outlines (approximate, as the file says) imported" in r.output
    assert json.loads(outlines(store, "admin2"))["approximate"] is True


@pytest.mark.skipif(not SHARED_ADMIN2.is_file(), reason="../shared/gazetteer/admin2_approx.geojson is not there")
def test_the_shared_approximate_districts(store: Store) -> None:
    r = rasad_import(store, SHARED_ADMIN2, "--level", "admin2")
    assert r.exit_code == 0, r.output
    assert "61 district outlines (approximate, as the file says) imported" in r.output
    fc = json.loads(outlines(store, "admin2"))
    assert fc["approximate"] is True
    assert all(f["properties"]["ADM2_EN"] and f["properties"]["ADM2_AR"] for f in fc["features"])


def line(*points: tuple[float, float]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


# two invented roads, named as OpenStreetMap names them (name:en, name:ar, ref) and as Natural Earth does
ROADS = collection(({"name:en": "Alif Highway", "name:ar": "طريق ألف", "ref": "M99", "highway": "trunk"},
                    line((36.0, 34.0), (37.0, 34.0))),
                   ({"NAME": "Ba Road"}, {"type": "MultiLineString",
                                          "coordinates": [[[37.0, 34.0], [37.5, 34.5]], [[37.5, 34.5], [38.0, 34.5]]]}))


def road_names(store: Store) -> list[tuple[str | None, str | None, str | None]]:
    return [(f["properties"].get("name_en"), f["properties"].get("name_ar"), f["properties"].get("ref"))
            for f in json.loads(outlines(store, "roads"))["features"]]


def test_roads_are_stored_beside_the_outlines(store: Store, tmp_path: Path) -> None:
    assert rasad_import(store, write(tmp_path, "districts.geojson", TWO), "--level", "admin2").exit_code == 0
    r = rasad_import(store, write(tmp_path, "roads.geojson", ROADS), "--level", "roads")
    assert r.exit_code == 0, r.output
    assert "2 roads imported from" in r.output and "of the file's" not in r.output
    assert road_names(store) == [("Alif Highway", "طريق ألف", "M99"), ("Ba Road", None, None)]
    stored = json.loads(outlines(store, "roads"))
    assert "cropped" not in stored and "approximate" not in stored
    assert stored["features"][0]["properties"]["highway"] == "trunk"  # the file's other properties kept
    assert stored["features"][1]["geometry"] == ROADS["features"][1]["geometry"]
    assert names(store, "admin2") == [("Wadi Alif", "وادي ألف"), ("Tal Ba", "تل باء")]  # the districts untouched
    assert [(level, Path(source).name) for level, source, *_ in rows(store)] == [
        ("admin2", "districts.geojson"), ("roads", "roads.geojson")]


def test_a_new_import_of_roads_replaces_them_and_unnamed_roads_are_kept(store: Store, tmp_path: Path) -> None:
    assert rasad_import(store, write(tmp_path, "a.geojson", ROADS), "--level", "roads").exit_code == 0
    fc = collection(({"name": "طريق جيم", "REF": "M98"}, line((36.5, 35.0), (36.5, 36.0))),
                    ({"Name_EN": " Dal Road ", "ref": 4}, line((38.0, 35.0), (39.0, 35.0))),
                    ({"ref": "M97"}, line((37.0, 33.0), (37.0, 33.5))),
                    ({"highway": "primary"}, line((40.0, 36.0), (41.0, 36.0))))
    r = rasad_import(store, write(tmp_path, "b.geojson", fc), "--level", "roads")
    assert r.exit_code == 0, r.output
    assert "4 roads imported" in r.output
    assert road_names(store) == [(None, "طريق جيم", "M98"), ("Dal Road", None, "4"), (None, None, "M97"),
                                 (None, None, None)]
    assert [(level, Path(source).name) for level, source, *_ in rows(store)] == [("roads", "b.geojson")]


def test_a_world_file_of_roads_is_cut_to_syrias_surroundings(store: Store, tmp_path: Path) -> None:
    world = collection(*[(f["properties"], f["geometry"]) for f in ROADS["features"]],
                       ({"name": "Route nationale 7"}, line((2.3, 48.8), (7.2, 43.7))),  # Paris to Nice
                       ({"name": "Istanbul–Aleppo"}, line((28.9, 41.0), (37.1, 36.2))),  # reaches in: kept whole
                       ({"name": "Baghdad–Basra"}, line((44.4, 33.3), (47.8, 30.5))))
    r = rasad_import(store, write(tmp_path, "ne_10m_roads.geojson", world), "--level", "roads")
    assert r.exit_code == 0, r.output
    assert "3 roads (of the file's 5, those reaching into 34.5-43.0 E, 31.5-38.0 N) imported" in r.output
    stored = json.loads(outlines(store, "roads"))
    assert [n for n, *_ in road_names(store)] == ["Alif Highway", "Ba Road", "Istanbul–Aleppo"]
    assert stored["features"][2]["geometry"] == line((28.9, 41.0), (37.1, 36.2))
    assert stored["cropped"] == {"bbox": [34.5, 31.5, 43.0, 38.0], "features": 5}


POLYGON_AS_ROAD = collection(({"name": "Alif Highway"}, line((36.0, 34.0), (37.0, 34.0))),
                             ({"name": "Wadi Alif"}, square(36.0, 34.0)))
ROAD_AS_DISTRICT = collection(({"ADM2_EN": "Wadi Alif"}, square(36.0, 34.0)),
                              ({"ADM2_EN": "Alif Highway"}, line((36.0, 34.0), (37.0, 34.0))))
BAD_ROADS = {
    "a polygon given as a road": (
        "roads", POLYGON_AS_ROAD,
        "features[1]: expected a LineString or MultiLineString geometry with coordinates for --level roads, "
        "got 'Polygon'"),
    "a road given as a district": (
        "admin2", ROAD_AS_DISTRICT,
        "features[1]: expected a Polygon or MultiPolygon geometry with coordinates for --level admin2, "
        "got 'LineString'"),
    "a road given as a governorate": (
        "admin1", ROADS, "features[0]: expected a Polygon or MultiPolygon geometry with coordinates for --level admin1"),
    "roads all far away": (
        "roads", collection(({"name": "Route nationale 7"}, line((2.3, 48.8), (7.2, 43.7)))),
        "none of its 1 features reaches into 34.5–43.0 E, 31.5–38.0 N (Syria's surroundings)"),
    "not a FeatureCollection": ("roads", ROADS["features"][0], "expected a GeoJSON FeatureCollection, got 'Feature'"),
}


@pytest.mark.parametrize("case", BAD_ROADS)
def test_a_bad_file_of_roads_says_why_and_keeps_what_was_stored(store: Store, tmp_path: Path, case: str) -> None:
    assert rasad_import(store, write(tmp_path, "roads.geojson", ROADS), "--level", "roads").exit_code == 0
    assert rasad_import(store, write(tmp_path, "districts.geojson", TWO), "--level", "admin2").exit_code == 0
    assert rasad_import(store, write(tmp_path, "gov.geojson", TWO)).exit_code == 0
    before = rows(store)
    level, content, message = BAD_ROADS[case]
    bad = write(tmp_path, "bad.geojson", content)
    r = rasad_import(store, bad, "--level", level)
    assert r.exit_code != 0
    assert f"{bad}: {message}" in r.output
    assert "Traceback" not in r.output
    assert rows(store) == before  # every level, to the imported_at
