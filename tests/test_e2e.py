"""End-to-end tests of the explorer in a real headless Chromium (Debian's, driven by Playwright).

A real `rasad serve` runs on a free port over a database built with `rasad ingest` from examples/ and
a self-written article whose title and text carry <script> and <img onerror> markup. Screenshots go to
tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium chromium-driver; .ci/run does)",
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra: pip install -e '.[dev]'")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ADMIN1 = ROOT.parent / "shared" / "gazetteer" / "admin1.geojson"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=1">'
XSS_RECORD = {
    "id": "xss-article",
    "url": "https://example.org/xss",
    "source": "Test Wire",
    "title": f"مقتل ثلاثة مدنيين بقصف على كفرنبل {XSS_IMG}",
    "published": "2021-05-10",
    "text": "قُتل ثلاثة مدنيين، أمس الأحد، بقصف مدفعي لقوات النظام على بلدة كفرنبل في ريف إدلب الجنوبي. "
            f"{XSS_SCRIPT}\nوقال الدفاع المدني إن فرقه انتشلت الجثث {XSS_IMG} من تحت الأنقاض.",
}


@dataclass
class Site:
    url: str
    token: str
    boundaries: bool

    def api(self, path: str) -> object:
        with urllib.request.urlopen(f"{self.url}/api/v1{path}", timeout=30) as resp:
            return json.loads(resp.read().decode("utf-8"))

    def event_of_doc(self, doc: str) -> dict:
        """The full record of the event a document's report belongs to."""
        for ev in self.api("/events?per_page=200")["events"]:
            full = self.api(f"/events/{ev['id']}")
            if any(r.get("doc") == doc for r in full.get("reports", [])):
                return full
        raise AssertionError(f"no event from {doc}")


def _rasad() -> list[str]:
    script = Path(sys.executable).with_name("rasad")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rasad.cli"]


def _run(*args: str) -> str:
    proc = subprocess.run([*_rasad(), *args], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"rasad {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    from rasad.web import ASSETS_HINT, missing_assets

    missing = missing_assets()
    assert not missing, f"front-end libraries missing ({', '.join(missing[:3])} …): run {ASSETS_HINT}"
    tmp = tmp_path_factory.mktemp("e2e")
    db = str(tmp / "e2e.db")
    xss = tmp / "xss.json"
    xss.write_text(json.dumps(XSS_RECORD, ensure_ascii=False), encoding="utf-8")
    _run("ingest", str(EXAMPLES), str(xss), "--db", db)
    has_boundaries = ADMIN1.is_file()
    if has_boundaries:
        _run("boundaries", "import", str(ADMIN1), "--db", db)
    token = _run("users", "add", "analyst", "--db", db).strip().splitlines()[-1].strip()

    with _serve(db) as url:
        yield Site(url, token, has_boundaries)


@contextlib.contextmanager
def _serve(db: str, *extra: str):
    """`rasad serve` over DB on a free port; yields its URL once it answers."""
    proc = subprocess.Popen([*_rasad(), "serve", "--db", db, "--host", "127.0.0.1", "--port", "0", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: list[str] = []
    found = threading.Event()

    def drain() -> None:  # keep reading stderr so the server never blocks on a full pipe
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "http://" in line:
                found.set()

    threading.Thread(target=drain, daemon=True).start()
    try:
        if not found.wait(60):
            raise AssertionError("rasad serve did not start:\n" + "".join(lines))
        url = re.search(r"http://[\w.\[\]:-]+", "".join(lines)).group(0).rstrip("/")
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v1/session", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("rasad serve is not answering:\n" + "".join(lines)) from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def small_limit_site(tmp_path_factory: pytest.TempPathFactory):
    """The examples served with a map limit of 2 points, so that the map of everything comes as grid cells."""
    db = str(tmp_path_factory.mktemp("e2e-grid") / "grid.db")
    _run("ingest", str(EXAMPLES), "--db", db)
    with _serve(db, "--map-limit", "2") as url:
        yield Site(url, "", False)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-GB")
    pg = ctx.new_page()
    pg.set_default_timeout(30000)  # CI machines are shared and slow
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / name), full_page=True)


def total(pg) -> int:
    return int(pg.get_attribute("#page-info", "data-total"))


def wait_total(pg, n: int) -> None:
    pg.wait_for_function("n => Number(document.querySelector('#page-info')?.dataset.total) === n", arg=n)


def markers(pg) -> int:
    return int(pg.get_attribute("#map", "data-markers") or 0)


def open_explorer(pg, site: Site) -> None:
    pg.goto(f"{site.url}/#/")
    pg.wait_for_function("() => Number(document.querySelector('#map')?.dataset.markers) > 0")
    pg.wait_for_selector("path.event-marker, .marker-cluster", state="attached")
    pg.wait_for_selector("#events tbody tr")
    pg.wait_for_selector("path.syria-outline", state="attached")
    pg.wait_for_selector("#timeline rect.bar", state="attached")


def test_explorer_map_filter_by_governorate_and_date(page, site):
    open_explorer(page, site)
    all_events = site.api("/events?per_page=200")["events"]
    assert total(page) == len(all_events) >= 6
    # markers on the map (single markers or clusters), and the outlines drawn from local data only
    assert page.locator("path.event-marker").count() + page.locator(".marker-cluster").count() > 0
    assert markers(page) == len(site.api("/map")["features"])
    # the governorates: those imported from ../shared, else Natural Earth's installed with the libraries
    # (14 and the UN's zone on the Golan)
    source, count = ("imported", 14) if site.boundaries else ("shipped", 15)
    page.wait_for_selector(f"path.governorate-{source}", state="attached")
    assert page.locator("path.governorate-outline").count() == count
    # markers are drawn above the outlines, whichever loaded first: the point under a marker's centre is it
    on_top = page.eval_on_selector_all("path.event-marker", """ps => ps.every(p => {
        const r = p.getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return hit && hit.classList.contains('event-marker');
    })""")
    assert on_top
    shot(page, "explorer.png")

    # zoomed out, nearby markers gather into clusters
    singles = page.locator("path.event-marker").count()
    for _ in range(3):
        page.click(".leaflet-control-zoom-out")
        page.wait_for_timeout(350)
    page.wait_for_selector(".marker-cluster")
    assert page.locator("path.event-marker").count() < singles
    for _ in range(3):
        page.click(".leaflet-control-zoom-in")
        page.wait_for_timeout(350)

    # the governorate with events on two different days, so that the date filter changes it again
    by_gov: dict[str, set[str]] = {}
    for ev in all_events:
        if ev["admin1"] and ev["date"]:
            by_gov.setdefault(ev["admin1"], set()).add(ev["date"])
    gov = next(g for g, days in sorted(by_gov.items()) if len(days) >= 2)
    in_gov = [ev for ev in all_events if ev["admin1"] == gov]
    page.select_option("#f-admin1", gov)
    wait_total(page, len(in_gov))
    assert len(in_gov) < len(all_events)
    page.wait_for_function("n => Number(document.querySelector('#map').dataset.markers) === n",
                           arg=sum(1 for ev in in_gov if ev["lat"] is not None))
    govs = page.eval_on_selector_all("#events tbody tr td[data-admin1]", "tds => tds.map(td => td.dataset.admin1)")
    assert govs and set(govs) == {gov}

    day = max(by_gov[gov])
    on_day = [ev for ev in in_gov if ev["date"] == day]
    page.fill("#f-since", day)
    page.fill("#f-until", day)
    wait_total(page, len(on_day))
    assert len(on_day) < len(in_gov)
    ids = page.eval_on_selector_all("#events tbody tr", "trs => trs.map(tr => Number(tr.dataset.eventId))")
    assert sorted(ids) == sorted(ev["id"] for ev in on_day)
    page.wait_for_function("n => Number(document.querySelector('#map').dataset.markers) === n", arg=len(on_day))
    assert page.get_attribute("#export-csv", "href").endswith(f"since={day}&until={day}") or \
        f"since={day}" in page.get_attribute("#export-csv", "href")
    shot(page, "explorer-filtered.png")


def test_map_shows_grid_cells_above_the_limit_and_points_zoomed_in(page, small_limit_site):
    site = small_limit_site
    located = site.api("/map?limit=20000")["features"]
    assert len(located) > 2
    page.goto(f"{site.url}/#/")
    page.wait_for_selector("#map[data-aggregated='true'] .rasad-cell")
    # every event is counted in one cell, and each cell shows its count
    assert markers(page) == len(located)
    counts = page.locator(".rasad-cell .cluster-icon").all_text_contents()
    assert len(counts) == int(page.get_attribute("#map", "data-cells")) and sum(map(int, counts)) == len(located)
    assert page.locator("path.event-marker").count() == 0
    assert "grid" in page.text_content("#map-aggregated")
    shot(page, "map-grid.png")
    # clicking a cell zooms in on it; the map asks again for its view until it holds few enough for points
    for _ in range(5):
        if page.get_attribute("#map", "data-aggregated") == "false":
            break
        before = page.get_attribute("#map", "data-zoom")
        page.locator(".rasad-cell").first.click()
        # the answer for the new zoom has been drawn (after the zoom and a 250 ms pause)
        page.wait_for_function("z => document.querySelector('#map').dataset.zoom !== z", arg=before)
    page.wait_for_selector("#map[data-aggregated='false'] path.event-marker", state="attached")
    assert page.locator(".rasad-cell").count() == 0 and page.text_content("#map-aggregated") == ""
    # a point still opens its event
    page.locator("path.event-marker").first.click()
    page.click(".popup a")
    page.wait_for_selector("#event-page .report")
    shot(page, "map-grid-zoomed.png")


BASEMAP = ("/vendor/world-atlas/", "/vendor/topojson-client/", "/vendor/rivers/", "/vendor/governorates/",
           "/api/v1/gazetteer/labels", "/api/v1/boundaries/admin1", "/api/v1/boundaries/admin2")


def basemap_transfer(browser, url: str, artifact: str) -> dict[str, int]:
    """What the basemap's files and answers add to a first page load of URL in a fresh browser context, as
    Chromium's resource timing counts it (bytes on the wire), written to tests/artifacts/ARTIFACT."""
    fresh = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        pg = fresh.new_page()
        pg.goto(f"{url}/#/")
        pg.wait_for_function("() => Number(document.querySelector('#map')?.dataset.rivers) > 0 && "
                             "document.querySelector('#map').dataset.labels !== undefined && "
                             "Number(document.querySelector('#map').dataset.governorates) > 0")
        pg.wait_for_selector("path.syria-outline", state="attached")
        entries = pg.evaluate("performance.getEntriesByType('resource').map((e) => "
                              "({name: e.name, transfer: e.transferSize, body: e.encodedBodySize}))")
    finally:
        fresh.close()
    basemap = {e["name"]: e["transfer"] for e in entries if any(part in e["name"] for part in BASEMAP)}
    assert any("/vendor/rivers/" in n for n in basemap) and any("/gazetteer/labels" in n for n in basemap)
    assert all(size > 0 for size in basemap.values()), basemap  # measured, not served from a cache
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / artifact).write_text(json.dumps(
        {"total_bytes": sum(basemap.values()), "resources": basemap}, indent=2) + "\n", encoding="utf-8")
    return basemap


def test_basemap_draws_rivers_and_place_labels_at_a_city_zoom_within_2_mb(page, site):
    # Ar-Raqqa at a city's zoom: the Euphrates runs along it, and the gazetteer names the city and its villages
    page.goto(f"{site.url}/#/?map=11/35.9500/39.0100")
    page.wait_for_function("() => Number(document.querySelector('#map')?.dataset.rivers) > 0")
    page.wait_for_function("() => document.querySelector('#map')?.dataset.labelsZoom === '11'")
    box = page.locator("#map").bounding_box()
    # a river's shape is drawn in the visible map (Leaflet leaves the path of a shape out of view empty)
    drawn = page.evaluate("""(b) => [...document.querySelectorAll('#map path.river')].filter((p) => {
        const r = p.getBoundingClientRect();
        return r.width > 0 && r.right > b.x && r.left < b.x + b.width && r.bottom > b.y && r.top < b.y + b.height;
    }).length""", box)
    assert drawn > 0
    labels = page.locator("#map .place-label").all_text_contents()
    assert int(page.get_attribute("#map", "data-labels")) == len(labels) > 0
    assert any("Raqqa" in name for name in labels), labels
    # labels lie under the markers and never take a click
    assert page.evaluate("getComputedStyle(document.querySelector('.leaflet-labels-pane')).pointerEvents") == "none"
    shot(page, "map-basemap-city.png")
    # zoomed out to all of Syria: fewer labels, governorate centres first
    page.goto("about:blank")
    page.goto(f"{site.url}/#/?map=6.5/35.0000/38.5000")
    page.wait_for_function("() => document.querySelector('#map')?.dataset.labelsZoom === '7'")
    wide = page.locator("#map .place-label.place-admin1").all_text_contents()
    assert "Damascus" in wide and len(page.locator("#map .place-label").all_text_contents()) <= 40
    shot(page, "map-basemap-country.png")
    # in Arabic the places are named in Arabic (the gazetteer's name_ar)
    page.click("#lang-switch")
    page.wait_for_function("() => document.documentElement.lang === 'ar' && "
                           "[...document.querySelectorAll('#map .place-label.place-admin1')].some((l) => l.textContent === 'دمشق')")
    page.evaluate("localStorage.clear()")

    # what the basemap adds to the first page load (the governorates imported from ../shared when it is there)
    basemap = basemap_transfer(page.context.browser, site.url, "basemap-transfer.json")
    assert sum(basemap.values()) < 2_000_000, basemap


def test_popup_gives_place_actors_fatalities_sources_and_a_governorate_zooms_the_map(page, site):
    open_explorer(page, site)
    # the event with a range of fatalities: its popup gives low–best–high, its place, actors and sources
    ranged = next(e for e in site.api("/events?per_page=200")["events"]
                  if isinstance(e["fatalities"], dict) and e["fatalities"].get("high") and e.get("lat") is not None)
    full = site.api(f"/events/{ranged['id']}")
    page.goto("about:blank")  # a fresh load of the shared view, not a change of the hash
    page.goto(f"{site.url}/#/?event={ranged['id']}&map=11/{ranged['lat']:.4f}/{ranged['lon']:.4f}")
    page.wait_for_selector(f".popup[data-event-id='{ranged['id']}'][data-loaded='true']")
    # a popup opened again (the answer for the view re-selects the event) replaces the first, which fades out
    page.wait_for_function("id => document.querySelectorAll(`.popup[data-event-id='${id}']`).length === 1",
                           arg=ranged["id"])
    popup = page.locator(f".popup[data-event-id='{ranged['id']}']")
    f = full["fatalities"]
    assert f"{f['low']}" in popup.locator(".popup-fatalities").text_content()
    assert f"{f['high']}" in popup.locator(".popup-fatalities").text_content()
    assert full["location"] in popup.locator(".popup-place").text_content()
    assert full["actor1"] in popup.locator(".popup-actors").text_content()
    sources = full["sources"] if isinstance(full["sources"], list) else [full["sources"]]
    assert sources[0] in popup.locator(".popup-sources").text_content()
    shot(page, "map-popup.png")

    # choosing a governorate brings the map to its events; the button does it for any filter
    page.goto("about:blank")
    page.goto(f"{site.url}/#/?map=6/35.0000/38.5000")  # all of Syria (#/ alone would restore the last view)
    page.wait_for_function("() => Number(document.querySelector('#map')?.dataset.markers) > 0")
    events = site.api("/events?per_page=200")["events"]
    gov = next(g for g in ("Dar'a", "Idleb", "Homs") if any(e["admin1"] == g and e.get("lat") for e in events))
    before = float(page.get_attribute("#map", "data-zoom"))
    page.select_option("#f-admin1", gov)
    page.wait_for_function("z => Number(document.querySelector('#map').dataset.zoom) > z", arg=before)
    x0, y0, x1, y1 = map(float, page.get_attribute("#map", "data-fitted").split(","))
    for e in events:
        if e["admin1"] == gov and e.get("lat") is not None:
            assert x0 - 1e-6 <= e["lon"] <= x1 + 1e-6 and y0 - 1e-6 <= e["lat"] <= y1 + 1e-6
    page.wait_for_selector("path.event-marker", state="attached")
    shot(page, "map-zoomed-to-governorate.png")


def test_timeline_brush_sets_the_date_filter(page, site):
    open_explorer(page, site)
    before = total(page)
    box = page.locator("#timeline .brush .overlay").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
    page.mouse.up()
    page.wait_for_function("() => document.querySelector('#f-since').value !== ''")
    since, until = page.input_value("#f-since"), page.input_value("#f-until")
    assert since <= until
    expected = site.api(f"/events?since={since}&until={until}")["total"]
    wait_total(page, expected)
    assert expected < before
    page.click("#timeline-clear")
    wait_total(page, before)
    assert page.input_value("#f-since") == ""


def test_table_sorts_by_fatalities_and_id(page, site):
    open_explorer(page, site)
    ids = lambda: page.eval_on_selector_all("#events tbody tr", "trs => trs.map(tr => Number(tr.dataset.eventId))")  # noqa: E731
    page.click("#events th button[data-sort='fatalities']")
    page.wait_for_selector("#events th[aria-sort='descending'] button[data-sort='fatalities']")
    want = [ev["id"] for ev in site.api("/events?sort=-fatalities&per_page=25")["events"]]
    assert ids() == want
    page.click("#events th button[data-sort='id']")
    page.wait_for_selector("#events th[aria-sort='ascending'] button[data-sort='id']")
    assert ids() == sorted(ids())


def test_table_pages(page, site):
    open_explorer(page, site)
    n = total(page)
    assert n > 5
    page.select_option("#per-page", "5")
    page.wait_for_function("() => document.querySelectorAll('#events tbody tr').length === 5")
    assert page.is_disabled("#page-prev")
    first = page.eval_on_selector_all("#events tbody tr", "trs => trs.map(tr => tr.dataset.eventId)")
    page.click("#page-next")
    page.wait_for_selector("#page-info[data-page='2']")
    second = page.eval_on_selector_all("#events tbody tr", "trs => trs.map(tr => tr.dataset.eventId)")
    assert len(first) + len(second) == min(n, 10) and not set(first) & set(second)
    page.click("#page-prev")
    page.wait_for_selector("#page-info[data-page='1']")


def test_table_limited_to_the_map_view(page, site):
    open_explorer(page, site)
    before = total(page)
    page.check("#f-inview")
    for _ in range(3):
        page.click(".leaflet-control-zoom-in")
        page.wait_for_timeout(350)
    page.wait_for_function("n => Number(document.querySelector('#page-info').dataset.total) < n", arg=before)
    deadline = time.monotonic() + 15  # the last zoom's reload may still be on its way
    while True:
        bbox = re.search(r"bbox=([-\d.%C,]+)", page.get_attribute("#export-csv", "href")).group(1).replace("%2C", ",")
        want = site.api(f"/events?bbox={bbox}")["total"]
        if total(page) == want or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    assert total(page) == want < before


def test_event_page_shows_evidence_highlighted_and_arabic(page, site):
    ev = site.event_of_doc("01_ambush_rising_toll.txt")
    open_explorer(page, site)
    page.click(f"#events a[href='#/events/{ev['id']}']")
    page.wait_for_selector(".report .doc-text mark[data-field]")
    marks = page.eval_on_selector_all(".doc-text mark[data-field]", "ms => ms.map(m => [m.dataset.field, m.textContent])")
    shown = {(f, text) for f, text in marks}
    spans = [e for r in ev["reports"] for e in r["event"]["evidence"] if e.get("in") != "title"]
    assert any(e["field"] == "fatalities" for e in spans)
    for e in spans:
        assert (e["field"], e["text"]) in shown, f"evidence not highlighted: {e}"
    # the claims table: who said what
    claimants = page.eval_on_selector_all("table.claims tbody tr td:first-child", "tds => tds.map(td => td.textContent)")
    assert {c["claimant"] for c in ev["claims"]} <= set(claimants)
    assert page.locator(".report .merge-reason").count() == len(ev["reports"])
    shot(page, "event.png")

    page.click("#lang-switch")
    page.wait_for_function("() => document.documentElement.dir === 'rtl' && document.documentElement.lang === 'ar'")
    page.wait_for_selector(".report .doc-text mark[data-field='fatalities']")
    assert "الحدث" in page.text_content("#event-page h1")
    page.reload()
    page.wait_for_selector(".report .doc-text mark[data-field]")
    assert page.evaluate("document.documentElement.dir") == "rtl"  # remembered in localStorage
    shot(page, "event-ar.png")
    page.click("#event-page a.back")
    page.wait_for_selector("#events tbody tr")
    if site.boundaries:  # governorates named in Arabic from the imported boundaries
        page.wait_for_function("() => [...document.querySelectorAll('#events td[data-admin1]')].some(td => td.textContent === 'حمص')")
    shot(page, "explorer-ar.png")


def test_every_evidence_span_of_every_event_is_highlighted(page, site):
    """Text and title evidence, nested field spans inside sentence spans: each shows with its exact words."""
    checked = 0
    for brief in site.api("/events?per_page=200&status=all")["events"]:
        ev = site.api(f"/events/{brief['id']}")
        page.goto(f"{site.url}/#/events/{ev['id']}")
        page.wait_for_selector(f"#event-page[data-event-id='{ev['id']}'] .report")
        for r in ev["reports"]:
            block = f".report[data-report-id='{r['report_id']}']"
            page.wait_for_selector(f"{block} .doc-text mark[data-field]", state="attached")
            for where in ("text", "title"):
                shown = set(map(tuple, page.eval_on_selector_all(
                    f"{block} .doc-{where} mark[data-field]", "ms => ms.map(m => [m.dataset.field, m.textContent])")))
                for e in r["event"]["evidence"]:
                    if (e.get("in") == "title") == (where == "title"):
                        assert (e["field"], e["text"]) in shown, f"event {ev['id']}: not highlighted: {e}"
                        checked += 1
    assert checked > 20


def test_sign_in_correct_fatalities_then_export_and_audit(page, site):
    ev = site.event_of_doc("01_ambush_rising_toll.txt")
    page.goto(f"{site.url}/#/events/{ev['id']}")
    page.wait_for_selector("#review")
    assert page.locator("#correct-form").count() == 0  # signed out: no review forms

    # a write from this browser without the CSRF header is refused even once signed in
    page.fill("#signin-token", "not-a-token")
    page.click("#signin-button")
    page.wait_for_function("() => document.querySelector('#signin-error').textContent !== ''")
    page.fill("#signin-token", site.token)
    page.click("#signin-button")
    page.wait_for_selector("#signed-in:not([hidden])")
    assert page.text_content("#signed-in-user") == "analyst"
    page.wait_for_selector("#correct-form")
    forged = page.request.post(f"{site.url}/api/v1/events/{ev['id']}/reject", data={})
    assert forged.status == 403

    page.select_option("#correct-field", "fatalities")
    for k in ("low", "best", "high"):
        page.fill(f"#correct-{k}", "14")
    page.fill("#correct-note", "checked against the monitor's final toll")
    page.click("#correct-save")
    page.wait_for_selector("#audit table.audit")
    row = page.locator("#audit table.audit tbody tr").last
    cells = row.locator("td").all_text_contents()
    assert cells[0] == "analyst" and "correct" in cells[2] and "14" in cells[5]
    assert "checked against the monitor's final toll" in cells[6]
    assert page.text_content("#summary dd[data-field='fatalities']").startswith("14")
    shot(page, "corrected.png")

    resp = page.request.get(f"{site.url}/api/v1/export.csv")
    assert resp.ok
    rows = list(csv.DictReader(io.StringIO(resp.text())))
    mine = [r for r in rows if re.fullmatch(rf"\D*{ev['id']}", r["event_id_cnty"])]
    assert len(mine) == 1
    assert mine[0]["fatalities"] == "14"
    assert "correction" in mine[0]["notes"].lower() and "14" in mine[0]["notes"]


def test_xss_article_stays_inert(page, site):
    ev = site.event_of_doc("xss-article")
    page.goto(f"{site.url}/#/events/{ev['id']}")
    page.wait_for_selector(".report .doc-text mark[data-field]")
    text = page.text_content(".report .doc-text")
    assert XSS_SCRIPT in text and XSS_IMG in text
    assert XSS_IMG in page.text_content(".report .doc-title")
    assert page.locator("#view img").count() == 0
    assert page.locator("#view script").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__xss") == "undefined"
    shot(page, "xss.png")
    # and in the explorer's table and map popups
    open_explorer(page, site)
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_tallies_view_draws_charts(page, site):
    page.goto(f"{site.url}/#/tallies")
    page.wait_for_selector("#chart-month svg rect.bar")
    assert page.locator("#chart-month svg rect.bar").count() >= 2
    page.wait_for_selector("#chart-stats svg, #chart-stats p")
    shot(page, "tallies.png")



def sign_in(pg, site: Site) -> None:
    pg.fill("#signin-token", site.token)
    pg.click("#signin-button")
    pg.wait_for_selector("#signed-in:not([hidden])")


def test_review_merge_split_confirm_reject(page, site):
    """Runs last: it reshapes two events (the airstrike and the XSS article, both in Idleb)."""
    a = site.event_of_doc("04_airstrike_civilians.txt")
    b = site.event_of_doc("xss-article")
    page.goto(f"{site.url}/#/events/{a['id']}")
    sign_in(page, site)
    page.wait_for_selector("#merge-form")
    page.fill("#merge-other", str(b["id"]))
    page.click("#merge-button")
    page.wait_for_function("n => document.querySelectorAll('.report').length === n", arg=len(a["reports"]) + 1)
    assert page.evaluate("typeof window.__xss") == "undefined"  # the merged XSS text is still inert
    merged = site.api(f"/events/{a['id']}")
    assert {r["doc"] for r in merged["reports"]} >= {"04_airstrike_civilians.txt", "xss-article"}

    xss_report = next(r["report_id"] for r in merged["reports"] if r["doc"] == "xss-article")
    page.check(f".split-check[value='{xss_report}']")
    page.click("#split-button")
    page.wait_for_function("id => location.hash !== '#/events/' + id", arg=a["id"])
    new_id = int(page.evaluate("location.hash").rsplit("/", 1)[-1])
    page.wait_for_selector(f"#event-page[data-event-id='{new_id}'] .report")
    assert [r["doc"] for r in site.api(f"/events/{new_id}")["reports"]] == ["xss-article"]

    page.click("#review-confirm")
    page.wait_for_selector("#event-status[data-status='confirmed']")
    page.click("#review-reject")
    page.wait_for_selector("#event-status[data-status='rejected']")
    assert new_id not in {ev["id"] for ev in site.api("/events?per_page=200")["events"]}
    actions = page.eval_on_selector_all("#audit tbody tr td:nth-child(3)", "tds => tds.map(td => td.textContent)")
    assert any("confirm" in x for x in actions) and any("reject" in x for x in actions)
    shot(page, "reviewed.png")
    page.goto(f"{site.url}/#/events/{a['id']}")
    page.wait_for_selector("#audit")
    actions = page.eval_on_selector_all("#audit tbody tr td:nth-child(3)", "tds => tds.map(td => td.textContent)")
    assert any("merge" in x for x in actions) and any("split" in x for x in actions)
