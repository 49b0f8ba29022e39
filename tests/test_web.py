"""The explorer's asset pipeline and static files, without a browser (tests/test_e2e.py drives one)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import tarfile
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
    lock = {"packages": [{"name": "lib", "version": "1.0.0", "tarball": "https://registry.npmjs.org/lib/-/lib-1.0.0.tgz",
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
    lock, _ = fake_lock
    lock["packages"][0]["tarball"] = "http://127.0.0.1:9/lib-1.0.0.tgz"  # nothing listens on the discard port
    fetch_assets.LOCK_FILE.write_text(json.dumps(lock))
    monkeypatch.setattr(fetch_assets, "_download", REAL_DOWNLOAD)
    monkeypatch.setattr(fetch_assets, "TIMEOUT", 2)
    assert fetch_assets.main(["--dest", str(tmp_path / "vendor")]) == 1
    err = capsys.readouterr().err
    assert "could not download" in err and "python -m rasad.web.fetch_assets" in err


def test_lock_file_pins_registry_tarballs_with_sha512():
    lock = json.loads(web.LOCK_FILE.read_text(encoding="utf-8"))
    names = {p["name"] for p in lock["packages"]}
    assert {"leaflet", "leaflet.markercluster", "world-atlas", "topojson-client", "d3"} <= names
    for p in lock["packages"]:
        base = p["name"].split("/")[-1]
        assert p["tarball"] == f"https://registry.npmjs.org/{p['name']}/-/{base}-{p['version']}.tgz"
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
