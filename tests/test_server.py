"""`rasad serve` as a real process: the REST API under /api/v1 over a database ingested from examples/
and from texts written here (one carries HTML and script in its title and text).

Reads go to one server; writes go to a second server over a database of its own, so that the read
tests see the events as extracted.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pandas
import pytest

from rasad.database.export import ACLED_COLUMNS
from test_store import rec

REPO = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


# two outlets report one ambush (merged), an attack elsewhere, and an article whose title and body hold
# markup that must come back as data
BATCH = [
    rec("a1", "Outlet A", "2022-03-09T10:00:00+03:00", "مقتل 9 عناصر من قوات النظام بكمين لداعش قرب السخنة",
         "قُتل 9 عناصر من قوات النظام السوري، اليوم الأربعاء، بكمين نصبه عناصر تنظيم داعش لحافلة عسكرية قرب مدينة "
         "السخنة في بادية حمص الشرقية، بحسب المرصد السوري لحقوق الإنسان."),
    rec("b1", "Outlet B", "2022-03-09T18:00:00+03:00", "داعش يتبنى كمين السخنة",
         "قالت مصادر محلية إن 11 جندياً من الجيش السوري قتلوا، اليوم، في كمين لتنظيم داعش استهدف حافلة تقلهم قرب "
         "مدينة السخنة بريف حمص الشرقي، فيما تبنى التنظيم الهجوم عبر وكالة أعماق."),
    rec("x1", "Outlet <b>X</b>", "2022-03-09T20:00:00+03:00", f"{SCRIPT} قصف على إدلب",
         f"قُتل ثلاثة مدنيين، اليوم، جراء قصف مدفعي لقوات النظام على بلدة كفرنبل بريف إدلب الجنوبي. {IMG}"),
]


def run(rasad_cmd: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([*rasad_cmd, *args], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r


class Server:
    def __init__(self, rasad_cmd: list[str], db: Path | str, *extra: str) -> None:
        self.proc = subprocess.Popen([*rasad_cmd, "serve", "--db", str(db), "--port", "0", *extra],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert self.proc.stderr is not None
        line = self.proc.stderr.readline()
        assert " at http://" in line, line + self.proc.stderr.read()
        self.url = line.split(" at ")[1].split()[0].rstrip("/")
        self.log: list[str] = []
        threading.Thread(target=lambda: self.log.extend(self.proc.stderr or []), daemon=True).start()
        self.client = httpx.Client(base_url=self.url + "/api/v1", timeout=30)

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params)

    def json(self, path: str, **params: Any) -> Any:
        r = self.get(path, **params)
        assert r.status_code == 200, r.text
        return r.json()

    def stop(self) -> None:
        self.client.close()
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _db(rasad_cmd: list[str], tmp: Path) -> Path:
    batch = tmp / "batch.jsonl"
    batch.write_text("\n".join(BATCH) + "\n", encoding="utf-8")
    db = tmp / "rasad.db"
    run(rasad_cmd, "ingest", str(REPO / "examples"), str(batch), "--db", str(db), "--no-progress")
    return db


@pytest.fixture(scope="module")
def reader(rasad_cmd: list[str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("reader")
    static = tmp / "static"
    static.mkdir()
    (static / "index.html").write_text("<!doctype html><title>explorer under test</title>", encoding="utf-8")
    s = Server(rasad_cmd, _db(rasad_cmd, tmp), "--static", str(static))
    yield s
    s.stop()


@pytest.fixture(scope="module")
def writer(rasad_cmd: list[str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str, Path]]:
    tmp = tmp_path_factory.mktemp("writer")
    db = _db(rasad_cmd, tmp)
    token = run(rasad_cmd, "users", "add", "alice", "--db", str(db)).stdout.strip()
    s = Server(rasad_cmd, db)
    yield s, token, db
    s.stop()


def all_events(s: Server, **params: Any) -> list[dict[str, Any]]:
    return s.json("/events", per_page=500, **params)["events"]


# -- reading ----------------------------------------------------------------------------------------


def test_events_list_paging_and_sorting(reader: Server) -> None:
    everything = all_events(reader, sort="id")
    first = reader.json("/events", per_page=3, page=1, sort="id")
    second = reader.json("/events", per_page=3, page=2, sort="id")
    assert first["total"] == len(everything) >= 8
    assert [e["id"] for e in first["events"] + second["events"]] == [e["id"] for e in everything][:6]
    assert [e["id"] for e in reader.json("/events", limit=2, offset=3, sort="id")["events"]] == \
        [e["id"] for e in everything][3:5]
    by_toll = [(e["fatalities"] or {}).get("low") or 0 for e in all_events(reader, sort="-fatalities")]
    assert by_toll == sorted(by_toll, reverse=True)
    dates = [e["date"] for e in all_events(reader, sort="date") if e["date"]]
    assert dates == sorted(dates)
    row = everything[0]
    for key in ("id", "date", "date_precision", "event_type", "sub_event_type", "actor1", "actor2", "location",
                "admin1", "admin2", "lat", "lon", "geo_precision", "fatalities", "wounded", "sources",
                "report_count", "status", "corrected_fields"):
        assert key in row
    assert reader.get("/events", per_page=501).status_code == 422
    assert reader.get("/events", sort="colour").status_code == 422


def test_events_filters(reader: Server) -> None:
    everything = all_events(reader)
    homs = all_events(reader, admin1="حمص")
    assert homs and homs == all_events(reader, admin1="Homs") and all(e["admin1"] == "Homs" for e in homs)
    assert homs == [e for e in everything if e["admin1"] == "Homs"]
    ambush = next(e for e in homs if e["report_count"] == 2)  # the two outlets' ambush near as-Sukhnah
    assert set(ambush["sources"]) == {"Outlet A", "Outlet B"}
    assert ambush["fatalities"] == {"low": 9, "best": 9, "high": 11}
    assert all((e["fatalities"] or {}).get("low", 0) >= 9 for e in all_events(reader, min_fatalities=9))
    assert ambush["id"] in {e["id"] for e in all_events(reader, min_fatalities=9)}
    day = all_events(reader, since="2022-03-09", until="2022-03-09")
    assert day and {e["date"] for e in day} == {"2022-03-09"}
    assert {e["id"] for e in all_events(reader, actor="Islamic State")} == {
        e["id"] for e in everything if "Islamic State" in (e["actor1"], e["actor2"])}
    battles = all_events(reader, event_type="Battles")
    assert battles and all(e["event_type"] == "Battles" for e in battles)
    # a box around as-Sukhnah (38.87 E, 34.88 N) holds the ambush and nothing outside it
    boxed = all_events(reader, bbox="38.5,34.5,39.2,35.2")
    assert ambush["id"] in {e["id"] for e in boxed}
    assert all(38.5 <= e["lon"] <= 39.2 and 34.5 <= e["lat"] <= 35.2 for e in boxed)
    # text search: a place as written, a word of a title, an actor
    assert {e["id"] for e in all_events(reader, q="كفرنبل")} == {
        e["id"] for e in everything if "كفرنبل" in (e["location"] or "")}
    assert ambush["id"] in {e["id"] for e in all_events(reader, q="يتبنى")}  # only in b1's title
    assert all_events(reader, q="كلمة-لا-توجد") == []
    for bad in ({"admin1": "Atlantis"}, {"bbox": "1,2,3"}, {"since": "yesterday"}, {"status": "maybe"}):
        r = reader.get("/events", **bad)
        assert r.status_code == 422 and r.json()["detail"], bad


def test_map_and_timeline(reader: Server) -> None:
    everything = all_events(reader)
    r = reader.get("/map")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    located = {e["id"]: e for e in everything if e["lat"] is not None}
    assert fc["type"] == "FeatureCollection" and {f["id"] for f in fc["features"]} == set(located)
    f = fc["features"][0]
    e = located[f["id"]]
    assert f["geometry"]["coordinates"] == [e["lon"], e["lat"]]
    assert f["properties"]["fatalities"] == ((e["fatalities"] or {}).get("best") if (e["fatalities"] or {}).get("best")
                                             is not None else (e["fatalities"] or {}).get("low"))
    assert len(reader.json("/map", admin1="Homs")["features"]) == len([x for x in located.values()
                                                                      if x["admin1"] == "Homs"])
    days = reader.json("/timeline")
    dated = [e for e in everything if e["date"]]
    assert sum(d["events"] for d in days) == len(dated)
    assert sum(d["fatalities"] for d in days) == sum((e["fatalities"] or {}).get("low") or 0 for e in dated)
    weeks = reader.json("/timeline", bin="week")
    assert sum(w["events"] for w in weeks) == len(dated)
    assert all(dt.date.fromisoformat(w["date"]).weekday() == 0 for w in weeks)


def _points(s: Server, **params: Any) -> list[dict[str, Any]]:
    fc = s.json("/map", limit=20000, **params)
    assert fc["aggregated"] is False
    return fc["features"]


def test_map_aggregates_on_a_grid_above_the_limit(reader: Server) -> None:
    points = _points(reader)
    n = len(points)
    assert n >= 6
    # at the limit: points, as before
    at = reader.json("/map", limit=n)
    assert at["aggregated"] is False and at["total"] == n and len(at["features"]) == n
    # above it: cells whose counts and fatalities add up to the points', each at its events' centroid
    fc = reader.json("/map", limit=2, zoom=6)
    assert fc["aggregated"] is True and fc["cell_size"] == 45 / 2 ** 6 and fc["total"] == n
    cells = fc["features"]
    assert 1 < len(cells) < n or len(cells) <= n
    assert sum(c["properties"]["count"] for c in cells) == n
    assert sum(c["properties"]["fatalities"] for c in cells) == sum(p["properties"]["fatalities"] or 0 for p in points)
    for cell in cells:
        x0, y0, x1, y1 = cell["properties"]["bbox"]
        inside = [p for p in points if x0 <= p["geometry"]["coordinates"][0] < x1 and y0 <= p["geometry"]["coordinates"][1] < y1]
        assert len(inside) == cell["properties"]["count"]
        lon, lat = cell["geometry"]["coordinates"]
        assert abs(lon - sum(p["geometry"]["coordinates"][0] for p in inside) / len(inside)) < 1e-4
        assert abs(lat - sum(p["geometry"]["coordinates"][1] for p in inside) / len(inside)) < 1e-4
        types = [p["properties"]["event_type"] for p in inside]
        assert types.count(cell["properties"]["event_type"]) == max(map(types.count, types))
    # zoom sets the cell size: finer cells further in, never fewer of them
    fine = reader.json("/map", limit=2, zoom=10)
    assert fine["cell_size"] == 45 / 2 ** 10 and len(fine["features"]) >= len(cells)
    coarse = reader.json("/map", limit=2, zoom=2)
    assert coarse["cell_size"] == 45 / 4 and len(coarse["features"]) <= len(cells)
    assert sum(c["properties"]["count"] for c in coarse["features"]) == n
    # the filters apply to the cells as to the points
    homs = _points(reader, admin1="Homs")
    agg = reader.json("/map", limit=1, admin1="Homs") if len(homs) > 1 else None
    if agg is not None:
        assert agg["aggregated"] and sum(c["properties"]["count"] for c in agg["features"]) == len(homs)
    box = "36.0,35.0,37.5,36.5"  # the north-west: Idleb and Aleppo
    boxed = _points(reader, bbox=box)
    agg = reader.json("/map", limit=1, bbox=box, zoom=8)
    assert sum(c["properties"]["count"] for c in agg["features"]) == len(boxed) >= 1
    for bad in ({"limit": 0}, {"limit": 20001}, {"zoom": -1}, {"zoom": "far"}):
        assert reader.get("/map", **bad).status_code == 422, bad


def test_text_search_words_prefixes_and_proclitics(reader: Server) -> None:
    everything = all_events(reader)
    sukhnah = {e["id"] for e in everything if "السخنه" in norm_text(e["location"])}
    assert sukhnah
    assert {e["id"] for e in all_events(reader, q="السخنة")} == sukhnah  # as written (ة normalised)
    assert {e["id"] for e in all_events(reader, q="سخنة")} == sukhnah  # without the article
    assert {e["id"] for e in all_events(reader, q="السخ")} == sukhnah  # a prefix
    ambush = next(e["id"] for e in everything if e["report_count"] == 2 and e["id"] in sukhnah)  # a1 and b1
    assert ambush in {e["id"] for e in all_events(reader, q="بكمين لداعش")}  # words of a1's title
    assert ambush in {e["id"] for e in all_events(reader, q="داعش")}  # "لداعش" without its preposition
    # every word must be there, in any order: x1's title "… قصف على إدلب"
    kafr = {e["id"] for e in everything if "كفرنبل" in (e["location"] or "")}
    assert kafr and kafr <= {e["id"] for e in all_events(reader, q="إدلب قصف")}
    assert not kafr & {e["id"] for e in all_events(reader, q="إدلب كمين")}
    assert {e["id"] for e in all_events(reader, q="كفرنب")} == kafr
    assert all_events(reader, q="كلمة-لا-توجد") == [] and all_events(reader, q="سخنةز") == []
    # quotes, * and query words of FTS5 are plain text, never syntax: a 200, never a 500
    for q in ('"', '"السخنة', "*", "السخ*", "OR", "NEAR(", "a AND b", "'; DROP TABLE events; --", "(", "^", ":"):
        r = reader.get("/events", q=q)
        assert r.status_code == 200, (q, r.text)
    assert {e["id"] for e in all_events(reader, q='"السخنة"')} == sukhnah
    assert {e["id"] for e in all_events(reader, q="السخ*")} == sukhnah
    assert reader.json("/events", q="*")["total"] == 0  # no word at all: nothing matches


def norm_text(s: str | None) -> str:
    from rasad.pipeline.normalise import norm

    return norm(s or "").lower()


def test_text_search_without_fts5_scans_the_text(rasad_cmd: list[str], tmp_path: Path) -> None:
    """A SQLite library without FTS5 gets no event_fts table from migration 0004 (dropped here to act it
    out): the server says so in no error and answers q= by scanning the search text."""
    db = _db(rasad_cmd, tmp_path)
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        for trigger in ("event_search_fts_insert", "event_search_fts_delete", "event_search_fts_update"):
            conn.exec_driver_sql(f"DROP TRIGGER {trigger}")
        conn.exec_driver_sql("DROP TABLE event_fts")
    engine.dispose()
    from rasad.database.store import Store

    assert Store(str(db)).search_mode == "like"
    s = Server(rasad_cmd, db)
    try:
        everything = all_events(s)
        sukhnah = {e["id"] for e in everything if "السخنه" in norm_text(e["location"])}
        assert sukhnah
        for q in ("السخنة", "سخنة", "السخ", '"السخنة"*'):
            assert {e["id"] for e in all_events(s, q=q)} == sukhnah, q
        assert all_events(s, q="كلمة-لا-توجد") == []
        assert s.json("/events", q="*")["total"] == 0
    finally:
        s.stop()


def test_event_detail_and_document_offsets(reader: Server) -> None:
    for row in all_events(reader):
        ev = reader.json(f"/events/{row['id']}")
        assert ev["id"] == row["id"] and len(ev["reports"]) == row["report_count"]
        assert "audit" in ev and "claims" in ev
        for rep in ev["reports"]:
            assert rep["merge_reason"] and rep["event"]["evidence"]
            doc = reader.json(f"/documents/{rep['document_id']}")
            mine = next(x for x in doc["reports"] if x["report_id"] == rep["report_id"])
            assert mine["event_id"] == row["id"]
            for span in mine["evidence"]:
                source = doc["title"] if span["in"] == "title" else doc["text"]
                assert source[span["start"]:span["end"]] == span["text"], span
    assert reader.get("/events/999999").status_code == 404
    assert reader.get("/documents/999999").status_code == 404


def test_markup_in_documents_comes_back_as_data_with_csp(reader: Server) -> None:
    hit = all_events(reader, q="كفرنبل")
    ev = reader.json(f"/events/{hit[0]['id']}")
    r = reader.get(f"/documents/{ev['reports'][0]['document_id']}")
    assert r.headers["content-type"] == "application/json"
    doc = r.json()
    assert SCRIPT in doc["title"] and IMG in doc["text"] and doc["outlet"] == "Outlet <b>X</b>"
    assert "Outlet <b>X</b>" in hit[0]["sources"]
    for path in ("/events", f"/documents/{doc['id']}", "/map", "/nowhere", "/openapi.json"):
        resp = reader.get(path)
        assert resp.headers["content-security-policy"].startswith("default-src 'self'"), path
        assert resp.headers["x-content-type-options"] == "nosniff"
    csv = reader.get("/export.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "content-security-policy" in reader.client.get(reader.url + "/").headers


def test_openapi_docs_and_static_mount(reader: Server) -> None:
    spec = reader.json("/openapi.json")
    for path in ("/api/v1/events", "/api/v1/map", "/api/v1/timeline", "/api/v1/events/{event_id}",
                 "/api/v1/documents/{doc_id}", "/api/v1/statistics", "/api/v1/stats", "/api/v1/export.csv",
                 "/api/v1/export.geojson", "/api/v1/gazetteer/lookup", "/api/v1/boundaries/admin1",
                 "/api/v1/facets", "/api/v1/session", "/api/v1/events/{event_id}/merge"):
        assert path in spec["paths"], path
    assert reader.get("/docs").status_code == 200
    root = reader.client.get(reader.url + "/")
    assert root.status_code == 200 and "explorer under test" in root.text


def test_exports_of_the_selection(reader: Server) -> None:
    everything = all_events(reader)
    table = pandas.read_csv(io.StringIO(reader.get("/export.csv").text))
    assert list(table.columns) == ACLED_COLUMNS and len(table) == len(everything)
    homs = pandas.read_csv(io.StringIO(reader.get("/export.csv", admin1="Homs").text))
    assert set(homs["admin1"]) == {"Homs"} and len(homs) == len(all_events(reader, admin1="Homs"))
    fc = reader.json("/export.geojson", admin1="Homs")
    assert fc["type"] == "FeatureCollection" and {f["id"] for f in fc["features"]} == {
        e["id"] for e in all_events(reader, admin1="Homs") if e["lat"] is not None}


def test_stats_statistics_facets_and_gazetteer(reader: Server) -> None:
    everything = all_events(reader)
    stats = reader.json("/stats")
    assert sum(c["events"] for c in stats["cells"]) == len(everything)
    series = reader.json("/statistics")
    assert series and all(isinstance(s["counts"], list) and s["document_id"] for s in series)
    facets = reader.json("/facets")
    assert sum(x["count"] for x in facets["admin1"]) == len([e for e in everything if e["admin1"]])
    assert {"Homs", "Idleb"} <= {x["value"] for x in facets["admin1"]}
    assert "Islamic State" in {x["value"] for x in facets["actor"]}
    assert {x["value"] for x in facets["event_type"]} == {e["event_type"] for e in everything if e["event_type"]}
    cands = reader.json("/gazetteer/lookup", name="السخنة", context="حمص")
    assert cands and cands[0]["admin1_en"] == "Homs" and cands[0]["score"] >= cands[-1]["score"]
    assert reader.json("/gazetteer/lookup", name="مكان-لا-يوجد") == []


def test_boundaries_import_and_serve(reader: Server, rasad_cmd: list[str], tmp_path: Path) -> None:
    db = reader.proc.args[reader.proc.args.index("--db") + 1]  # type: ignore[union-attr]
    r = reader.get("/boundaries/admin1")
    assert r.status_code == 404 and "rasad boundaries import" in r.json()["detail"]
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    out = subprocess.run([*rasad_cmd, "boundaries", "import", str(bad), "--db", db], capture_output=True, text=True)
    assert out.returncode != 0 and "malformed JSON at line 1" in out.stderr
    bad.write_text('{"type": "Feature"}', encoding="utf-8")
    out = subprocess.run([*rasad_cmd, "boundaries", "import", str(bad), "--db", db], capture_output=True, text=True)
    assert out.returncode != 0 and "expected a GeoJSON FeatureCollection" in out.stderr
    good = tmp_path / "admin1.geojson"
    square = [[[36.0, 34.0], [37.0, 34.0], [37.0, 35.0], [36.0, 35.0], [36.0, 34.0]]]
    good.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ADM1_EN": "Homs"}, "geometry": {"type": "Polygon", "coordinates": square}}]}),
        encoding="utf-8")
    run(rasad_cmd, "boundaries", "import", str(good), "--db", db)
    fc = reader.json("/boundaries/admin1")
    assert fc["features"][0]["properties"]["ADM1_EN"] == "Homs"



def test_district_boundaries_import_and_serve(reader: Server, rasad_cmd: list[str], tmp_path: Path) -> None:
    """/boundaries/admin2 beside /boundaries/admin1: 404 naming the command until districts are imported, then
    the stored collection, each district named where the map reads it and marked approximate as its file says."""
    db = reader.proc.args[reader.proc.args.index("--db") + 1]  # type: ignore[union-attr]
    r = reader.get("/boundaries/admin2")
    assert r.status_code == 404 and "rasad boundaries import FILE --level admin2" in r.json()["detail"]

    def square(x: float) -> dict[str, Any]:
        return {"type": "Polygon", "coordinates": [[[x, 34.0], [x + 0.5, 34.0], [x + 0.5, 34.5], [x, 34.5], [x, 34.0]]]}

    districts = tmp_path / "districts_approx.geojson"
    districts.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"admin2_en": "Wadi Alif", "admin2_ar": "وادي ألف"}, "geometry": square(36.0)},
        {"type": "Feature", "properties": {"ADM2_AR": "تل باء"}, "geometry": square(36.5)}]}, ensure_ascii=False),
        encoding="utf-8")
    run(rasad_cmd, "boundaries", "import", str(districts), "--level", "admin2", "--db", db)
    r = reader.get("/boundaries/admin2")
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    fc = r.json()
    assert fc["approximate"] is True
    assert [(f["properties"].get("ADM2_EN"), f["properties"]["ADM2_AR"]) for f in fc["features"]] == [
        ("Wadi Alif", "وادي ألف"), (None, "تل باء")]
    assert "/api/v1/boundaries/admin2" in reader.json("/openapi.json")["paths"]


def test_roads_import_and_serve(reader: Server, rasad_cmd: list[str], tmp_path: Path) -> None:
    """/boundaries/roads beside the outlines: 404 naming the command until roads are imported (a polygon given as
    a road refused, nothing stored), then the stored lines, each named where the map reads it."""
    db = reader.proc.args[reader.proc.args.index("--db") + 1]  # type: ignore[union-attr]
    r = reader.get("/boundaries/roads")
    assert r.status_code == 404 and "rasad boundaries import FILE --level roads" in r.json()["detail"]
    roads = tmp_path / "roads.geojson"
    polygon = {"type": "Polygon", "coordinates": [[[36.0, 34.0], [37.0, 34.0], [37.0, 35.0], [36.0, 34.0]]]}
    roads.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Alif Highway"}, "geometry": polygon}]}), encoding="utf-8")
    out = subprocess.run([*rasad_cmd, "boundaries", "import", str(roads), "--level", "roads", "--db", db],
                         capture_output=True, text=True)
    assert out.returncode != 0 and "expected a LineString or MultiLineString geometry" in out.stderr
    assert reader.get("/boundaries/roads").status_code == 404
    roads.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name:en": "Alif Highway", "name:ar": "طريق ألف", "ref": "M99"},
         "geometry": {"type": "LineString", "coordinates": [[36.0, 34.0], [37.0, 34.0]]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[2.3, 48.8], [7.2, 43.7]]}},
    ]}, ensure_ascii=False), encoding="utf-8")
    run(rasad_cmd, "boundaries", "import", str(roads), "--level", "roads", "--db", db)
    r = reader.get("/boundaries/roads")
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    fc = r.json()
    assert [f["properties"] for f in fc["features"]] == [
        {"name:en": "Alif Highway", "name:ar": "طريق ألف", "ref": "M99", "name_en": "Alif Highway", "name_ar": "طريق ألف"}]
    assert fc["cropped"] == {"bbox": [34.5, 31.5, 43.0, 38.0], "features": 2}
    assert "/api/v1/boundaries/roads" in reader.json("/openapi.json")["paths"]

def test_serve_refuses_a_missing_database(rasad_cmd: list[str], tmp_path: Path) -> None:
    r = subprocess.run([*rasad_cmd, "serve", "--db", str(tmp_path / "none.db"), "--port", "0"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode != 0 and "run `rasad ingest" in r.stderr
    assert not (tmp_path / "none.db").exists()


def test_without_an_explorer_the_front_page_is_the_api_docs(writer: tuple[Server, str, Path]) -> None:
    s, _token, _db = writer
    r = s.client.get(s.url + "/", follow_redirects=False)
    if r.status_code == 200:  # the explorer is installed in src/rasad/web/static
        assert "<html" in r.text.lower()
    else:
        assert r.status_code == 307 and r.headers["location"] == "/api/v1/docs"


# -- writing ----------------------------------------------------------------------------------------


def test_writes_need_credentials_and_csrf(writer: tuple[Server, str, Path]) -> None:
    s, token, _db = writer
    ev = all_events(s)[0]
    assert s.client.post(f"/events/{ev['id']}/confirm").status_code == 401
    assert s.client.post(f"/events/{ev['id']}/confirm", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert s.client.patch(f"/events/{ev['id']}", json={"actor1": "X"}).status_code == 401
    assert s.json("/session") == {"user": None, "csrf_token": None, "open_writes": False}
    assert s.client.post("/session", json={"token": "nope"}).status_code == 401
    with httpx.Client(base_url=s.url + "/api/v1") as browser:
        r = browser.post("/session", json={"token": token})
        assert r.status_code == 200 and r.json()["user"] == "alice"
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        csrf = r.json()["csrf_token"]
        assert browser.get("/session").json()["csrf_token"] == csrf
        assert browser.post(f"/events/{ev['id']}/confirm").status_code == 403  # no CSRF header
        assert browser.post(f"/events/{ev['id']}/confirm", headers={"X-CSRF-Token": "forged"}).status_code == 403
        r = browser.post(f"/events/{ev['id']}/confirm", headers={"X-CSRF-Token": csrf})
        assert r.status_code == 200 and r.json()["status"] == "confirmed"
        assert browser.delete("/session").status_code == 200
        assert browser.post(f"/events/{ev['id']}/confirm", headers={"X-CSRF-Token": csrf}).status_code == 401
    detail = s.json(f"/events/{ev['id']}")
    assert detail["status"] == "confirmed"
    assert [(a["user"], a["action"], a["new"]) for a in detail["audit"]] == [("alice", "confirm", "confirmed")]


def test_correction_is_audited_filtered_and_exported(writer: tuple[Server, str, Path]) -> None:
    s, token, _db = writer
    auth = {"Authorization": f"Bearer {token}"}
    ambush = next(e for e in all_events(s, admin1="Homs") if e["report_count"] == 2)
    for bad, why in (({"colour": "red"}, "cannot be corrected"), ({"fatalities": {"low": 5, "high": 2}}, "low <= best"),
                     ({"date": "13/03/2022"}, "YYYY-MM-DD"), ({"admin1": "Atlantis"}, "not a Syrian governorate"),
                     ({"fatalities": {"low": "many"}}, "integer"), ([1, 2], "JSON object"),
                     ({"inter1": 7}, "ACLED's inter code for Islamic State is 2")):
        r = s.client.patch(f"/events/{ambush['id']}", json=bad, headers=auth)
        assert r.status_code == 422 and why in r.json()["detail"], (bad, r.text)
    r = s.client.patch(f"/events/{ambush['id']}", headers=auth,
                       json={"fatalities": {"low": 14, "best": 14, "high": 14}, "actor2": "NDF: National Defence Forces"})
    assert r.status_code == 200, r.text
    assert set(r.json()["corrected_fields"]) == {"fatalities", "actor2", "inter2"}  # the NDF's code came along
    ev = s.json(f"/events/{ambush['id']}")
    assert ev["fatalities"] == {"low": 14, "best": 14, "high": 14} and ev["actor2"] == "NDF: National Defence Forces"
    assert ev["corrected_fields"] == ["actor2", "fatalities", "inter2"] and ev["inter2"] == 3
    trail = {a["field"]: a for a in ev["audit"]}
    assert trail["fatalities"]["old"] == {"low": 9, "best": 9, "high": 11}
    assert trail["fatalities"]["new"] == {"low": 14, "best": 14, "high": 14} and trail["fatalities"]["user"] == "alice"
    assert trail["actor2"]["old"] == "Military Forces of Syria"
    # the filters see the corrected values
    assert ambush["id"] in {e["id"] for e in all_events(s, min_fatalities=14)}
    assert ambush["id"] in {e["id"] for e in all_events(s, actor="NDF: National Defence Forces")}
    assert ambush["id"] not in {e["id"] for e in all_events(s, actor="Military Forces of Syria")}
    table = pandas.read_csv(io.StringIO(s.get("/export.csv").text))
    row = table[table["event_id_cnty"] == f"SYR{ambush['id']}"].iloc[0]
    assert row["fatalities"] == 14 and row["actor2"] == "NDF: National Defence Forces"
    assert "Analyst correction: fatalities 9/9/11 → 14/14/14 (alice)" in row["notes"]
    assert "Analyst correction: actor2 Military Forces of Syria → NDF: National Defence Forces (alice)" in row["notes"]
    fc = s.json("/export.geojson")
    props = next(f["properties"] for f in fc["features"] if f["id"] == ambush["id"])
    assert props["fatalities_best"] == 14


def test_merge_and_split_round_trip(writer: tuple[Server, str, Path]) -> None:
    s, token, _db = writer
    auth = {"Authorization": f"Bearer {token}"}
    a, b = [e for e in all_events(s, sort="id") if e["report_count"] == 1][:2]
    before = s.json("/events")["total"]
    assert s.client.post(f"/events/{a['id']}/merge", json={"other_id": a["id"]}, headers=auth).status_code == 422
    assert s.client.post(f"/events/{a['id']}/merge", json={"other_id": "x"}, headers=auth).status_code == 422
    r = s.client.post(f"/events/{a['id']}/merge", json={"other_id": b["id"]}, headers=auth)
    assert r.status_code == 200, r.text
    assert s.get(f"/events/{b['id']}").status_code == 404
    merged = s.json(f"/events/{a['id']}")
    assert merged["report_count"] == 2 and s.json("/events")["total"] == before - 1
    moved = [rep["report_id"] for rep in merged["reports"] if rep["merge_reason"].get("from_event") == b["id"]]
    assert len(moved) == 1
    assert s.client.post(f"/events/{a['id']}/split", json={"report_ids": [999999]}, headers=auth).status_code == 422
    r = s.client.post(f"/events/{a['id']}/split", json={"report_ids": moved}, headers=auth)
    assert r.status_code == 200, r.text
    new = r.json()["new_event_id"]
    back = s.json(f"/events/{new}")
    assert [rep["report_id"] for rep in back["reports"]] == moved
    assert back["date"] == b["date"] and back["fatalities"] == b["fatalities"]
    assert s.json(f"/events/{a['id']}")["report_count"] == 1 and s.json("/events")["total"] == before
    assert [x["action"] for x in s.json(f"/events/{a['id']}")["audit"]] == ["merge", "split"]


def test_rejected_events_leave_the_list_and_the_exports(writer: tuple[Server, str, Path]) -> None:
    s, token, _db = writer
    auth = {"Authorization": f"Bearer {token}"}
    victim = all_events(s, q="كفرنبل")[0]
    before = s.json("/events")["total"]
    r = s.client.post(f"/events/{victim['id']}/reject", json={"note": "duplicate of a wire report"}, headers=auth)
    assert r.status_code == 200
    assert victim["id"] not in {e["id"] for e in all_events(s)} and s.json("/events")["total"] == before - 1
    shown = {e["id"]: e for e in all_events(s, status="all")}
    assert shown[victim["id"]]["status"] == "rejected"
    assert [e["id"] for e in all_events(s, status="rejected")] == [victim["id"]]
    table = pandas.read_csv(io.StringIO(s.get("/export.csv", status="all").text))
    assert f"SYR{victim['id']}" not in set(table["event_id_cnty"]) and len(table) == before - 1
    assert victim["id"] not in {f["id"] for f in s.json("/export.geojson")["features"]}
    assert victim["id"] not in {f["id"] for f in s.json("/map")["features"]}
    audit = s.json(f"/events/{victim['id']}")["audit"]
    assert audit[-1]["action"] == "reject" and audit[-1]["note"] == "duplicate of a wire report"


def test_open_writes_still_refuse_cross_site_forms(rasad_cmd: list[str], tmp_path: Path) -> None:
    db = _db(rasad_cmd, tmp_path)
    s = Server(rasad_cmd, db, "--open-writes")
    try:
        ev = all_events(s)[0]
        form = s.client.post(f"/events/{ev['id']}/confirm", content="a=b",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert form.status_code == 403
        r = s.client.post(f"/events/{ev['id']}/confirm", json={})
        assert r.status_code == 200
        assert s.json(f"/events/{ev['id']}")["audit"][0]["user"] == "anonymous"
    finally:
        s.stop()


@pytest.mark.skipif(not os.environ.get("RASAD_TEST_PG"), reason="RASAD_TEST_PG is not set")
def test_the_api_on_postgresql(rasad_cmd: list[str], tmp_path: Path) -> None:
    """The same server over PostgreSQL: filters, text search, the map built by the database, the timeline,
    facets, a correction and the CSV export."""
    import sqlalchemy as sa

    from rasad.database.store import Store

    url = os.environ["RASAD_TEST_PG"]
    with Store(url).engine.begin() as conn:
        for t in ("claims", "reports", "statistics", "corrections", "quarantine", "documents", "events", "users",
                  "boundaries", "rollup_events", "map_rollup", "reason_rollup"):  # (the rollups a test before left)
            conn.execute(sa.text(f"DELETE FROM {t}"))
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(BATCH) + "\n", encoding="utf-8")
    run(rasad_cmd, "ingest", str(REPO / "examples"), str(batch), "--db", url, "--no-progress")
    token = run(rasad_cmd, "users", "add", "pg-analyst", "--db", url).stdout.strip()
    s = Server(rasad_cmd, url)
    try:
        everything = all_events(s)
        assert len(everything) >= 8
        homs = all_events(s, admin1="حمص")
        assert homs and all(e["admin1"] == "Homs" for e in homs)
        assert {e["id"] for e in all_events(s, q="كفرنبل")} == {
            e["id"] for e in everything if "كفرنبل" in (e["location"] or "")}
        sukhnah = {e["id"] for e in all_events(s, q="السخنة")}
        assert sukhnah and {e["id"] for e in all_events(s, q="سخن")} == sukhnah
        assert all_events(s, q='"*') == [] and all_events(s, q="كلمة-لا-توجد") == []
        fc = s.json("/map")
        assert {f["id"] for f in fc["features"]} == {e["id"] for e in everything if e["lat"] is not None}
        cells = s.json("/map", limit=2, zoom=6)
        assert cells["aggregated"] and sum(c["properties"]["count"] for c in cells["features"]) == len(fc["features"])
        assert sum(c["properties"]["fatalities"] for c in cells["features"]) == sum(
            f["properties"]["fatalities"] or 0 for f in fc["features"])
        assert sum(d["events"] for d in s.json("/timeline", bin="week")) == len([e for e in everything if e["date"]])
        assert s.json("/facets")["admin1"]
        ambush = next(e for e in homs if e["report_count"] == 2)
        r = s.client.patch(f"/events/{ambush['id']}", json={"fatalities": {"low": 14, "best": 14, "high": 14}},
                           headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200, r.text
        table = pandas.read_csv(io.StringIO(s.get("/export.csv", min_fatalities=14).text))
        assert list(table["event_id_cnty"]) == [f"SYR{ambush['id']}"]
        assert "Analyst correction: fatalities 9/9/11 → 14/14/14 (pg-analyst)" in table["notes"][0]
    finally:
        s.stop()


# -- several workers --------------------------------------------------------------------------------


def _workers(pid: int) -> set[int]:
    """The worker processes of the server PID (multiprocessing's spawned children, not its resource tracker)."""
    kids = {int(c) for t in Path(f"/proc/{pid}/task").iterdir() for c in (t / "children").read_text().split()}
    return {k for k in kids if b"spawn_main" in Path(f"/proc/{k}/cmdline").read_bytes()}


def _serving_pid(pids: set[int], client_port: int) -> int:
    """The process among PIDS whose socket is the server's end of the connection from CLIENT_PORT (Linux /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            f = line.split()
            if int(f[2].rsplit(":", 1)[1], 16) == client_port:  # rem_address: the client's port
                inodes.add(f[9])
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                return pid
    raise AssertionError(f"no worker holds the connection from port {client_port}")


def _port(r: httpx.Response) -> int:
    return int(r.extensions["network_stream"].get_extra_info("client_addr")[1])


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="finds the serving worker through Linux's /proc")
def test_several_workers_share_sessions_and_writes(rasad_cmd: list[str], tmp_path: Path) -> None:
    """`rasad serve --workers 2`: a browser signs in through one request and writes through another, each on a
    connection of its own, many times; both workers serve, a session opened by one is known to the other, and
    every write lands in the audit trail."""
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(BATCH) + "\n", encoding="utf-8")
    db = tmp_path / "w.db"
    run(rasad_cmd, "ingest", str(batch), "--db", str(db), "--no-progress")
    token = run(rasad_cmd, "users", "add", "wendy", "--db", str(db)).stdout.strip()
    s = Server(rasad_cmd, db, "--workers", "2")
    try:
        eid = s.json("/events", sort="id")["events"][0]["id"]
        deadline = time.monotonic() + 60
        while len(workers := _workers(s.proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) == 2
        served: list[tuple[int, int]] = []
        for i in range(30):
            with httpx.Client(base_url=s.url + "/api/v1", timeout=30) as signin:
                r = signin.post("/session", json={"token": token})
                assert r.status_code == 200, r.text
                by = _serving_pid(workers, _port(r))
                cookie, csrf = r.cookies["rasad_session"], r.json()["csrf_token"]
            with httpx.Client(base_url=s.url + "/api/v1", timeout=30, cookies={"rasad_session": cookie}) as browser:
                w = browser.post(f"/events/{eid}/confirm", json={"note": f"write {i}"}, headers={"X-CSRF-Token": csrf})
                assert w.status_code == 200, w.text
                served.append((by, _serving_pid(workers, _port(w))))
        assert {p for pair in served for p in pair} == workers  # both workers served
        assert any(a != b for a, b in served)  # signed in through one worker, wrote through the other
        audit = s.json(f"/events/{eid}")["audit"]
        notes = [a["note"] for a in audit if a["action"] == "confirm" and a["user"] == "wendy"]
        assert notes == [f"write {i}" for i in range(30)]
    finally:
        s.stop()
