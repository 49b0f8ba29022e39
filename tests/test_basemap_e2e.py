"""The basemap's governorate lines without ../shared, in a real headless Chromium over a real `rasad serve`
(the setup of tests/test_e2e.py: its browser, page and server helpers).

The database holds examples/ and no imported boundaries, whether ../shared is beside the repository or
not: the map draws Natural Earth's governorates installed with the front-end libraries, under rasad's
names, until `rasad boundaries import` stores an analyst's own. District lines are drawn only once imported
(`--level admin2`: two invented squares here), from zoom 8; main roads likewise (`--level roads`: two invented
lines), from zoom 7. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import test_e2e as e2e
from rasad.gazetteer import ADMIN1
from rasad.web import VENDOR_DIR
from test_e2e import CHROMIUM, EXAMPLES, Site, _run, _serve, basemap_transfer, shot

browser = e2e.browser  # the fixtures of test_e2e: one Chromium for the module, a fresh page per test
page = e2e.page

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")

SHIPPED = VENDOR_DIR / "governorates" / "governorates-syria.geo.json"
SWEIDA = "9/32.7000/36.6000"  # the map's view over As-Sweida, a governorate none of the examples' events is in


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database of the examples of its own for each test (one imports boundaries into it)."""
    path = str(tmp_path / "basemap.db")
    _run("ingest", str(EXAMPLES), "--db", path)
    return path


def open_map(pg, site: Site, view: str, source: str) -> None:
    """A fresh load of the explorer at VIEW (zoom/lat/lon), once its governorate lines from SOURCE are drawn."""
    pg.goto("about:blank")
    pg.goto(f"{site.url}/#/?map={view}")
    pg.wait_for_function("s => document.querySelector('#map')?.dataset.governoratesSource === s", arg=source)
    pg.wait_for_selector(f"path.governorate-{source}", state="attached")


def tooltip_at_centre(pg) -> str:
    """The governorate named where the pointer rests at the map's centre."""
    box = pg.locator("#map").bounding_box()
    pg.mouse.move(box["x"] + box["width"] / 2 - 8, box["y"] + box["height"] / 2 - 8)
    pg.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    pg.wait_for_selector(".leaflet-tooltip")
    return pg.text_content(".leaflet-tooltip")


def test_installed_layer_names_every_governorate_as_rasad_does():
    """fetch_assets named Natural Earth's shapes at install time: the 14 OCHA names of data/admin1.tsv and their
    Arabic, e.g. Dar'a for Natural Earth's "Dar`a", Idleb for "Idlib", Al-Hasakeh for "Hasaka (Al Haksa)"."""
    fc = json.loads(SHIPPED.read_text(encoding="utf-8"))
    named = {f["properties"]["ADM1_EN"]: f["properties"]["ADM1_AR"] for f in fc["features"]
             if "ADM1_EN" in f["properties"]}
    assert named == {name: ar for name, (ar, _) in ADMIN1.items()}
    assert [f["properties"] for f in fc["features"] if "ADM1_EN" not in f["properties"]] == [{"name": "UNDOF"}]
    assert SHIPPED.stat().st_size < 100_000


def test_governorate_lines_are_drawn_without_shared_or_an_import_within_2_mb(page, db):
    with _serve(db) as url:
        site = Site(url, "", False)
        open_map(page, site, SWEIDA, "shipped")
        assert page.get_attribute("#map", "data-governorates") == "15"  # 14 and the UN's zone on the Golan
        assert page.locator("path.governorate-shipped").count() == 15
        assert page.text_content("#map-note") == ""  # no "no governorate lines" note
        # the governorate under the pointer is named as rasad names it, in English and in Arabic
        assert tooltip_at_centre(page) == "As-Sweida"
        shot(page, "map-governorates-shipped.png")
        page.click("#lang-switch")
        page.wait_for_function("() => document.documentElement.lang === 'ar'")
        page.wait_for_selector("path.governorate-shipped", state="attached")
        assert tooltip_at_centre(page) == "السويداء"
        page.evaluate("localStorage.clear()")
        # all of Syria with its governorates, for the README
        open_map(page, site, "6.5/34.8000/38.5000", "shipped")
        page.wait_for_function("() => document.querySelector('#map')?.dataset.labels !== undefined")
        shot(page, "map-governorates-country.png")

        # what the basemap adds to the first page load with the installed governorates
        basemap = basemap_transfer(page.context.browser, url, "basemap-transfer-shipped.json")
    assert any("/vendor/governorates/" in n for n in basemap)
    assert sum(basemap.values()) < 2_000_000, basemap


def test_boundaries_import_replaces_the_installed_lines(page, db, tmp_path: Path):
    # an analyst's own outlines: two boxes, one of them over As-Sweida under a name of the analyst's
    def box(x0: float, y0: float, x1: float, y1: float) -> dict:
        return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}

    own = tmp_path / "own-admin1.geojson"
    own.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ADM1_EN": "Sweida (analyst)", "ADM1_AR": "السويداء (محلل)"},
         "geometry": box(36.2, 32.3, 37.2, 33.1)},
        {"type": "Feature", "properties": {"ADM1_EN": "Dar'a (analyst)"}, "geometry": box(35.7, 32.3, 36.2, 33.1)},
    ]}, ensure_ascii=False), encoding="utf-8")
    with _serve(db) as url:
        site = Site(url, "", False)
        open_map(page, site, SWEIDA, "shipped")
        _run("boundaries", "import", str(own), "--db", db)
        open_map(page, site, SWEIDA, "imported")
        assert page.get_attribute("#map", "data-governorates") == "2"
        assert page.locator("path.governorate-imported").count() == 2
        assert page.locator("path.governorate-shipped").count() == 0
        assert tooltip_at_centre(page) == "Sweida (analyst)"
        # the installed layer is not even fetched once boundaries are imported
        names = page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
        assert any("/boundaries/admin1" in n for n in names) and not any("/vendor/governorates/" in n for n in names)
        shot(page, "map-governorates-imported.png")


def box(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def attribution(pg) -> str:
    return pg.text_content(".leaflet-control-attribution") or ""


def import_own(db: str, path: Path, level: str, *features: tuple[dict, dict]) -> None:
    """`rasad boundaries import` of a file at PATH of FEATURES ((properties, geometry) pairs) as LEVEL."""
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": p, "geometry": g} for p, g in features]}, ensure_ascii=False), encoding="utf-8")
    _run("boundaries", "import", str(path), "--level", level, "--db", db)


def none_at_zoom_6(pg, site: Site, key: str, path: str, route: str) -> None:
    """All of Syria at zoom 6: the governorates, none of the layer KEY's paths (PATH) drawn, ROUTE not even asked."""
    open_map(pg, site, "6/34.8000/38.5000", "shipped")
    pg.wait_for_function("k => document.querySelector('#map')?.dataset[k] === '0'", arg=key)
    assert pg.locator(path).count() == 0
    names = pg.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
    assert not any(route in n for n in names)


def test_district_lines_from_zoom_8_named_in_the_interface_language(page, db, tmp_path: Path):
    # two invented square districts over As-Sweida, from a file whose name says they are approximate
    import_own(db, tmp_path / "own-admin2_approx.geojson", "admin2",
               ({"ADM2_EN": "Wadi Alif", "ADM2_AR": "وادي ألف"}, box(36.2, 32.4, 36.6, 33.0)),
               ({"admin2_en": "Tal Ba", "admin2_ar": "تل باء"}, box(36.6, 32.4, 37.0, 33.0)))
    districts = "() => document.querySelector('#map')?.dataset.districts === "
    with _serve(db) as url:
        site = Site(url, "", False)
        # all of Syria at zoom 6: the governorates only, the districts not even asked for
        none_at_zoom_6(page, site, "districts", "path.district-outline", "/boundaries/admin2")
        assert "approximate district lines" not in attribution(page)

        # at zoom 9 over Wadi Alif: both districts drawn, thinner and lighter than the governorate lines
        open_map(page, site, "9/32.7000/36.4000", "shipped")
        page.wait_for_function(districts + "'2'")
        assert page.locator("path.district-outline").count() == 2
        district, governorate = (page.locator(f"path.{c}").first for c in ("district-outline", "governorate-outline"))
        assert float(district.get_attribute("stroke-width")) < float(governorate.get_attribute("stroke-width"))
        assert district.get_attribute("stroke") != governorate.get_attribute("stroke")
        assert tooltip_at_centre(page) == "Wadi Alif"  # inside As-Sweida, its district is named
        assert "approximate district lines" in attribution(page)
        shot(page, "map-districts.png")

        # zoomed out to 7 they go, with the attribution's note; back at 8 they come again
        for zoom in (8, 7):  # a click at a time: Leaflet ignores one while it animates a zoom
            page.click(".leaflet-control-zoom-out")
            page.wait_for_function("z => location.hash.includes(`map=${z}/`)", arg=zoom)
        page.wait_for_function(districts + "'0'")
        assert page.locator("path.district-outline").count() == 0
        assert "approximate district lines" not in attribution(page)
        page.click(".leaflet-control-zoom-in")
        page.wait_for_function(districts + "'2'")
        assert page.locator("path.district-outline").count() == 2

        # in Arabic: the district's Arabic name, the note in Arabic
        open_map(page, site, "9/32.7000/36.4000", "shipped")
        page.click("#lang-switch")
        page.wait_for_function("() => document.documentElement.lang === 'ar'")
        page.wait_for_function(districts + "'2'")
        assert tooltip_at_centre(page) == "وادي ألف"
        assert "خطوط المناطق تقريبية" in attribution(page)
        shot(page, "map-districts-ar.png")
        page.evaluate("localStorage.clear()")


def line(*points: tuple[float, float]) -> dict:
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


def tooltip_on(pg, selector: str) -> str:
    """The tooltip of what the pointer finds resting at the middle of the first path of SELECTOR (a straight
    line's), once it is open (a tooltip of the outlines it passed over may linger a moment)."""
    box = pg.locator(selector).first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    pg.mouse.move(x - 20, y - 20)
    pg.mouse.move(x, y)
    found = pg.wait_for_function("""([x, y]) => {
        const id = document.elementFromPoint(x, y)?.getAttribute('aria-describedby');
        return id && document.getElementById(id)?.textContent; }""", arg=[x, y])
    return found.json_value()


def test_imported_roads_from_zoom_7_named_in_the_interface_language(page, db, tmp_path: Path):
    # two invented roads across As-Sweida: one west to east with a number and names in both languages (as
    # OpenStreetMap tags them), one north to south with a name only; and one in France, cut at import
    import_own(db, tmp_path / "own-roads.geojson", "roads",
               ({"name:en": "Alif Highway", "name:ar": "طريق ألف", "ref": "M99"}, line((36.2, 32.8), (37.0, 32.8))),
               ({"name": "Ba Road"}, line((36.75, 32.5), (36.75, 33.1))),
               ({"name": "Route nationale 7"}, line((2.3, 48.8), (7.2, 43.7))))
    roads = "() => document.querySelector('#map')?.dataset.roads === "
    with _serve(db) as url:
        site = Site(url, "", False)
        # all of Syria at zoom 6: no roads, not even asked for
        none_at_zoom_6(page, site, "roads", "path.road", "/boundaries/roads")

        # at zoom 7 over As-Sweida: both roads drawn, thin, in a colour of their own, under the governorate lines
        open_map(page, site, "7/32.8000/36.6000", "shipped")
        page.wait_for_function(roads + "'2'")
        assert page.locator("path.road").count() == 2
        road, governorate = (page.locator(f"path.{c}").first for c in ("road", "governorate-outline"))
        assert float(road.get_attribute("stroke-width")) < 2
        assert road.get_attribute("stroke") not in (governorate.get_attribute("stroke"), "#6fa8d6")  # nor a river's
        z = page.evaluate("() => ['roads', 'districts', 'governorates'].map("
                          "(p) => Number(document.querySelector(`.leaflet-${p}-pane`).style.zIndex))")
        assert z[0] < z[1] < z[2]
        # the one under the pointer named, its number first
        open_map(page, site, "9/32.8000/36.5000", "shipped")
        page.wait_for_function(roads + "'2'")
        assert tooltip_on(page, "path.road-hit") == "M99 · Alif Highway"
        shot(page, "map-roads.png")

        # zoomed out to 6 they go; back at 7 they come again
        open_map(page, site, "7/32.8000/36.6000", "shipped")
        page.wait_for_function(roads + "'2'")
        page.click(".leaflet-control-zoom-out")
        page.wait_for_function("() => location.hash.includes('map=6/')")
        page.wait_for_function(roads + "'0'")
        assert page.locator("path.road").count() == 0
        page.click(".leaflet-control-zoom-in")
        page.wait_for_function(roads + "'2'")
        assert page.locator("path.road").count() == 2
        shot(page, "map-roads-zoom7.png")

        # in Arabic: the Arabic name
        open_map(page, site, "9/32.8000/36.5000", "shipped")
        page.click("#lang-switch")
        page.wait_for_function("() => document.documentElement.lang === 'ar'")
        page.wait_for_function(roads + "'2'")
        assert tooltip_on(page, "path.road-hit") == "M99 · طريق ألف"
        page.evaluate("localStorage.clear()")
