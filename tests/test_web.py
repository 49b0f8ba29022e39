"""The explorer's asset pipeline and static files, without a browser (tests/test_e2e.py drives one)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rasad import web
from rasad.web import fetch_assets

STATIC = Path(web.STATIC_DIR)
REAL_DOWNLOAD = fetch_assets._download


def _tarball(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


@pytest.fixture
def fake_lock(tmp_path, monkeypatch):
    data = _tarball({"package/dist/lib.js": b"window.lib = 1;", "package/LICENSE": b"ISC"})
    lock = {"packages": [{"name": "lib", "version": "1.0.0",
                          "integrity": _integrity(data),
                          "files": {"package/dist/lib.js": "lib/lib.js", "package/LICENSE": "lib/LICENSE"}}]}
    path = tmp_path / "assets.lock.json"
    path.write_text(json.dumps(lock))
    monkeypatch.setattr(fetch_assets, "LOCK_FILE", path)
    calls = []
    monkeypatch.setattr(fetch_assets, "_download", lambda url: calls.append(url) or data)
    return lock, calls


def test_fetch_verifies_and_extracts_only_the_listed_files(tmp_path, fake_lock):
    _, calls = fake_lock
    dest = tmp_path / "vendor"
    assert fetch_assets.fetch(dest, log=lambda *_: None) == 1
    assert (dest / "lib/lib.js").read_bytes() == b"window.lib = 1;"
    assert sorted(p.name for p in (dest / "lib").iterdir()) == ["LICENSE", "lib.js"]
    assert fetch_assets.fetch(dest, log=lambda *_: None) == 0  # already there: nothing downloaded again
    assert len(calls) == 1


def test_fetch_refuses_a_tarball_whose_integrity_differs(tmp_path, fake_lock, monkeypatch):
    monkeypatch.setattr(fetch_assets, "_download", lambda url: _tarball({"package/dist/lib.js": b"evil()"}))
    with pytest.raises(fetch_assets.AssetError, match="integrity mismatch"):
        fetch_assets.fetch(tmp_path / "vendor", log=lambda *_: None)
    assert not (tmp_path / "vendor" / "lib" / "lib.js").exists()


def test_fetch_offline_fails_with_a_clear_message(tmp_path, fake_lock, monkeypatch, capsys):
    monkeypatch.setenv("NPM_CONFIG_REGISTRY", "http://127.0.0.1:9/")  # nothing listens on the discard port
    monkeypatch.setattr(fetch_assets, "_download", REAL_DOWNLOAD)
    monkeypatch.setattr(fetch_assets, "TIMEOUT", 2)
    assert fetch_assets.main(["--dest", str(tmp_path / "vendor")]) == 1
    err = capsys.readouterr().err
    assert "could not download" in err and "python -m rasad.web.fetch_assets" in err


@pytest.fixture
def local_registry(monkeypatch):
    """A registry on this machine, named by NPM_CONFIG_REGISTRY: serves the tarballs put in its dict."""
    served: dict[str, bytes] = {}
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            asked.append(self.path)
            body = served.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("NPM_CONFIG_REGISTRY", f"http://127.0.0.1:{server.server_port}/mirror")
    monkeypatch.delenv("npm_config_registry", raising=False)
    yield served, asked
    server.shutdown()
    server.server_close()


def _lock_for(tmp_path, monkeypatch, name, version, data):
    lock = {"packages": [{"name": name, "version": version, "integrity": _integrity(data),
                          "files": {"package/dist/lib.js": "lib/lib.js"}}]}
    path = tmp_path / "assets.lock.json"
    path.write_text(json.dumps(lock))
    monkeypatch.setattr(fetch_assets, "LOCK_FILE", path)
    monkeypatch.setattr(fetch_assets, "_download", REAL_DOWNLOAD)


def test_fetch_asks_the_configured_registry_and_verifies(tmp_path, monkeypatch, local_registry):
    served, asked = local_registry
    data = _tarball({"package/dist/lib.js": b"window.lib = 2;"})
    served["/mirror/@scope/lib/-/lib-2.0.0.tgz"] = data  # a scoped name: the file is named without the scope
    _lock_for(tmp_path, monkeypatch, "@scope/lib", "2.0.0", data)
    assert fetch_assets.main(["--dest", str(tmp_path / "vendor")]) == 0
    assert asked == ["/mirror/@scope/lib/-/lib-2.0.0.tgz"]
    assert (tmp_path / "vendor" / "lib" / "lib.js").read_bytes() == b"window.lib = 2;"


def test_fetch_refuses_what_a_registry_serves_with_another_integrity(tmp_path, monkeypatch, local_registry, capsys):
    served, _ = local_registry
    good = _tarball({"package/dist/lib.js": b"window.lib = 2;"})
    served["/mirror/lib/-/lib-2.0.0.tgz"] = _tarball({"package/dist/lib.js": b"evil()"})
    _lock_for(tmp_path, monkeypatch, "lib", "2.0.0", good)
    assert fetch_assets.main(["--dest", str(tmp_path / "vendor")]) == 1
    err = capsys.readouterr().err
    assert "lib@2.0.0: integrity mismatch" in err and "nothing was extracted" in err
    assert not (tmp_path / "vendor" / "lib" / "lib.js").exists()


def test_registry_comes_from_the_environment_else_npm_else_the_public_one(monkeypatch, tmp_path):
    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:1/r")
    monkeypatch.delenv("NPM_CONFIG_REGISTRY", raising=False)
    assert fetch_assets.registry() == "http://127.0.0.1:1/r/"
    monkeypatch.delenv("npm_config_registry")
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm: the public registry
    assert fetch_assets.registry() == fetch_assets.DEFAULT_REGISTRY


def test_lock_file_pins_packages_by_integrity_and_names_no_registry():
    lock = json.loads(web.LOCK_FILE.read_text(encoding="utf-8"))
    names = {p["name"] for p in lock["packages"]}
    assert {"leaflet", "leaflet.markercluster", "world-atlas", "topojson-client", "d3"} <= names
    assert "registry.npmjs.org" not in web.LOCK_FILE.read_text(encoding="utf-8")
    for p in lock["packages"]:
        assert "tarball" not in p
        assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", p["integrity"])
        assert re.fullmatch(r"\d+\.\d+\.\d+", p["version"])  # exact versions only


def test_no_third_party_code_is_committed():
    """vendor/ is filled at install time and gitignored; the repository holds only our own files."""
    gitignore = (Path(__file__).resolve().parents[1] / ".gitignore").read_text()
    assert "src/rasad/web/static/vendor/" in gitignore
    ours = {p.name for p in STATIC.iterdir() if p.is_file()}
    assert ours <= {"index.html", "app.js", "app.css", "i18n.js", "api.js", "dom.js", "map.js", "timeline.js",
                    "highlight.js", "event.js", "explorer.js", "review.js", "correction.js", "tallies.js", "favicon.svg"}


def test_static_files_respect_the_csp_and_never_inject_markup():
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    # no inline script or handler, nothing from another origin
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    for path in STATIC.glob("*"):
        if path.suffix not in {".js", ".html", ".css"}:
            continue
        src = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", src), path.name
        assert "url(http" not in src, path.name
        if path.suffix == ".js":
            # data reaches the page only as text: no innerHTML / outerHTML / insertAdjacentHTML / document.write
            assert not re.search(r"\.(inner|outer)HTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function",
                                 src), path.name


def test_every_string_key_exists_in_both_languages():
    src = (STATIC / "i18n.js").read_text(encoding="utf-8")
    table = src[src.index("const STRINGS = {\n") + 18:src.index("\n};\n")]
    # one string a line, `key: [English, Arabic],`: each a quoted text or a function of its arguments
    value = r"(?:'[^']*'|\([\w, ]*\) => `[^`]*`)"
    rows = [line for line in table.splitlines() if line.strip() and not line.strip().startswith("//")]
    pairs = [re.fullmatch(rf"  (\w+): \[(?P<en>{value}), (?P<ar>{value})\],", line) for line in rows]
    assert all(pairs), [r for r, m in zip(rows, pairs, strict=True) if not m]
    arabic = re.compile("[\u0600-\u06ff]")
    english_only = {"export_geojson", "language"}  # the same word in both; the name of the other language
    assert not [m[1] for m in pairs if not arabic.search(m["ar"]) and m[1] not in english_only]
    keys = {m[1] for m in pairs}
    used = set(re.findall(r"\bt\('(\w+)'", "".join(p.read_text(encoding="utf-8") for p in STATIC.glob("*.js"))))
    used |= set(re.findall(r'data-i18n(?:-placeholder|-title)?="(\w+)"', (STATIC / "index.html").read_text()))
    assert used <= keys, used - keys


def test_missing_assets_names_what_rasad_serve_lacks(tmp_path, monkeypatch):
    assert web.missing_assets() == []  # make install fetched them
    monkeypatch.setattr(web, "VENDOR_DIR", tmp_path)
    missing = web.missing_assets()
    assert "leaflet/leaflet.js" in missing and "d3/d3.min.js" in missing
    assert "python -m rasad.web.fetch_assets" in web.ASSETS_HINT


def test_clip_keeps_whole_shapes_that_meet_the_box():
    world = {"type": "GeometryCollection", "geometries": [
        {"type": "MultiPolygon", "coordinates": [
            [[[36, 34], [37, 34], [37, 35], [36, 34]]],          # in Syria: kept
            [[[43, 38], [46, 38], [46, 39], [43, 38]]],          # crosses the box's edge: kept whole
            [[[-70, 10], [-69, 10], [-69, 11], [-70, 10]]],      # elsewhere: left out
        ]},
        {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},  # left out
        {"type": "Point", "coordinates": [38, 35]},              # kept
    ]}
    out = json.loads(fetch_assets.clip_geojson(json.dumps(world).encode(), [33.5, 30.5, 44.5, 38.5]))
    assert out["type"] == "FeatureCollection"
    kinds = [f["geometry"]["type"] for f in out["features"]]
    assert kinds == ["MultiPolygon", "Point"]
    polys = out["features"][0]["geometry"]["coordinates"]
    assert len(polys) == 2 and polys[1][0][2] == [46, 39]


def _governorate_lock(tmp_path, monkeypatch, layer: object) -> None:
    data = _tarball({"package/syr.json": json.dumps(layer).encode()})
    lock = {"packages": [{"name": "shapes", "version": "1.0.0", "integrity": _integrity(data),
                          "files": {"package/syr.json": "governorates/syr.geo.json"}, "admin1": ["package/syr.json"]}]}
    path = tmp_path / "assets.lock.json"
    path.write_text(json.dumps(lock))
    monkeypatch.setattr(fetch_assets, "LOCK_FILE", path)
    monkeypatch.setattr(fetch_assets, "_download", lambda url: data)


def test_fetch_names_a_governorate_layer_as_rasad_does(tmp_path, monkeypatch):
    square = {"type": "Polygon", "coordinates": [[[36.123456, 32.1], [36.2, 32.1], [36.2, 32.2], [36.123456, 32.1]]]}
    layer = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Dar`a", "name_alt": "Dara'a|Hauran", "gn_id": 1}, "geometry": square},
        {"type": "Feature", "properties": {"name": "Hasaka (Al Haksa)", "name_alt": "Al Hasaka|Hassakeh"},
         "geometry": square},
        {"type": "Feature", "properties": {"name": "UNDOF", "name_alt": None}, "geometry": square},
    ]}
    _governorate_lock(tmp_path, monkeypatch, layer)
    assert fetch_assets.fetch(tmp_path / "vendor", log=lambda *_: None) == 1
    out = json.loads((tmp_path / "vendor/governorates/syr.geo.json").read_text(encoding="utf-8"))
    # Natural Earth's spellings become rasad's canonical names (data/admin1.tsv), with their Arabic
    assert [f["properties"] for f in out["features"]] == [
        {"ADM1_EN": "Dar'a", "ADM1_AR": "درعا"}, {"ADM1_EN": "Al-Hasakeh", "ADM1_AR": "الحسكة"}, {"name": "UNDOF"}]
    assert out["features"][0]["geometry"]["coordinates"][0][0] == [36.1235, 32.1]  # about 10 m


def test_fetch_refuses_a_governorate_layer_that_is_not_one(tmp_path, monkeypatch):
    _governorate_lock(tmp_path, monkeypatch, {"type": "LineString", "coordinates": [[36, 32], [37, 33]]})
    with pytest.raises(fetch_assets.AssetError, match="shapes@1.0.0: package/syr.json: not a governorate layer"):
        fetch_assets.fetch(tmp_path / "vendor", log=lambda *_: None)


def test_place_labels_governorates_first_fewer_further_out_and_never_overlapping():
    from rasad.gazetteer import Place
    from rasad.server.api import place_labels

    places = [Place(1, "دمشق", "Damascus", "admin1", 33.51, 36.29),
              Place(2, "دمشق", "Damascus", "populated_place", 33.51, 36.29, population=1_569_394),
              Place(3, "جرمانا", "Jaramana", "populated_place", 33.49, 36.35, population=114_363),
              Place(4, "قرية", "Small village", "populated_place", 33.80, 36.60, population=800),
              Place(5, "بيروت", "Beirut", "populated_place", 33.89, 35.50, population=1_900_000)]
    box = (36.0, 33.0, 37.0, 34.0)  # Beirut lies outside
    wide = place_labels(places, box, 6)
    assert [(p["name_en"], p["kind"]) for p in wide] == [("Damascus", "admin1")]  # the city under it overlaps
    close = place_labels(places, box, 12)
    assert [p["name_en"] for p in close] == ["Damascus", "Jaramana", "Small village"]
    # the district of the same name a little off the governorate's point is not named twice
    places.append(Place(6, "دمشق", "Damascus district", "admin2", 33.60, 36.45))
    assert [p["name_en"] for p in place_labels(places, box, 12)] == ["Damascus", "Jaramana", "Small village"]
