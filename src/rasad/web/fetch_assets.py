"""Fetch the explorer's front-end libraries from the npm registry, verified against assets.lock.json.

    python -m rasad.web.fetch_assets [--force] [--dest DIR]

Each package's tarball is downloaded with urllib, its sha512 compared with the registry's integrity
recorded in the lock file, and only the listed files are extracted into static/vendor/ (a world GeoJSON
layer named under "clip" keeps only the shapes that meet the given bounding box; a governorate layer named
under "admin1" gets rasad's governorate names, see rasad.database.boundaries.with_rasad_names). Run at
install time (`make install`); nothing is fetched when the explorer runs.

The lock file names no registry host: like a package manager's lock file it keeps name, version and
integrity, and the tarball is asked of the registry this machine is configured for —
`NPM_CONFIG_REGISTRY` / `npm_config_registry`, else `npm config get registry` when npm is installed,
else https://registry.npmjs.org/. The integrity pins the bytes whichever registry (or mirror) serves them.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from rasad.web import LOCK_FILE, VENDOR_DIR

TIMEOUT = 60
DEFAULT_REGISTRY = "https://registry.npmjs.org/"


class AssetError(RuntimeError):
    pass


def registry() -> str:
    """The npm registry this machine is configured for, ending in a slash."""
    url = os.environ.get("NPM_CONFIG_REGISTRY") or os.environ.get("npm_config_registry")
    if not url and shutil.which("npm"):
        try:
            out = subprocess.run(["npm", "config", "get", "registry"], capture_output=True, text=True, timeout=30)
            if out.returncode == 0 and out.stdout.strip().startswith(("http://", "https://")):
                url = out.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            url = None
    url = url or DEFAULT_REGISTRY
    return url if url.endswith("/") else url + "/"


def tarball_url(name: str, version: str, base: str) -> str:
    """Where a registry keeps a package's tarball: {registry}{name}/-/{name without scope}-{version}.tgz"""
    return f"{base}{name}/-/{name.split('/')[-1]}-{version}.tgz"


def _download(url: str) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "rasad-fetch-assets"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
            return resp.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise AssetError(
            f"could not download {url}: {exc}\n"
            "The explorer's front-end libraries come from the npm registry at install time "
            "(the one npm is configured for, or NPM_CONFIG_REGISTRY). "
            "Connect to the internet (or set HTTPS_PROXY) and run `python -m rasad.web.fetch_assets` again."
        ) from exc


def _check_integrity(data: bytes, integrity: str, name: str) -> None:
    algo, _, expected = integrity.partition("-")
    if algo != "sha512":
        raise AssetError(f"{name}: unsupported integrity algorithm {algo!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise AssetError(
            f"{name}: integrity mismatch (expected sha512-{expected}, got sha512-{actual}); "
            "the tarball is not the one the lock file pins, so nothing was extracted"
        )


def _bbox_hits(coords: Any, box: list[float]) -> bool:
    """Whether the bounding box of a line or ring ([[lon, lat], ...]) meets box [minlon, minlat, maxlon, maxlat]."""
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    return bool(xs) and max(xs) >= box[0] and min(xs) <= box[2] and max(ys) >= box[1] and min(ys) <= box[3]


def clip_geojson(data: bytes, box: list[float]) -> bytes:
    """The features of a GeoJSON file (a FeatureCollection, GeometryCollection, Feature or geometry) that meet
    box, as a compact FeatureCollection: each polygon, line or point is kept whole or left out, so a world
    layer shrinks to the region the map shows without cutting a shape."""
    doc = json.loads(data)
    out: list[dict[str, Any]] = []

    def keep(geom: dict[str, Any] | None, props: dict[str, Any]) -> None:
        if not geom:
            return
        kind, coords = geom.get("type"), geom.get("coordinates")
        if kind == "GeometryCollection":
            for g in geom.get("geometries", []):
                keep(g, props)
            return
        parts: list[Any]
        if kind == "Point":
            parts = [c for c in [coords] if _bbox_hits([c], box)]
        elif kind in ("LineString", "MultiPoint"):
            parts = [coords] if _bbox_hits(coords, box) else []
        elif kind == "MultiLineString":
            parts = [line for line in coords if _bbox_hits(line, box)]
        elif kind == "Polygon":
            parts = [coords] if _bbox_hits(coords[0], box) else []
        elif kind == "MultiPolygon":
            parts = [poly for poly in coords if _bbox_hits(poly[0], box)]
        else:
            return
        if parts:
            multi = kind in ("MultiLineString", "MultiPolygon")
            out.append({"type": "Feature", "properties": props,
                        "geometry": {"type": kind, "coordinates": parts if multi else parts[0]}})

    kind = doc.get("type")
    if kind == "FeatureCollection":
        for f in doc.get("features", []):
            keep(f.get("geometry"), f.get("properties") or {})
    elif kind == "Feature":
        keep(doc.get("geometry"), doc.get("properties") or {})
    else:
        keep(doc, {})
    return json.dumps({"type": "FeatureCollection", "bbox": box, "features": out},
                      separators=(",", ":")).encode()


def name_governorates(data: bytes, where: str) -> bytes:
    """A governorate layer with rasad's names (ADM1_EN / ADM1_AR), or AssetError saying what is wrong."""
    from rasad.database.boundaries import BoundaryError, with_rasad_names

    try:
        return with_rasad_names(data)
    except (BoundaryError, json.JSONDecodeError) as exc:
        raise AssetError(f"{where}: not a governorate layer ({exc})") from exc


def fetch(dest: Path = VENDOR_DIR, force: bool = False, log=print) -> int:
    lock = json.loads(LOCK_FILE.read_text(encoding="utf-8"))
    fetched = 0
    base = None
    for pkg in lock["packages"]:
        name, version = pkg["name"], pkg["version"]
        targets = {src: dest / out for src, out in pkg["files"].items()}
        flat = name.replace("/", "__")  # a scoped name's stamp stays a file of dest
        stamp = dest / f".{flat}@{version}"
        if not force and stamp.is_file() and all(p.is_file() for p in targets.values()):
            continue
        base = base or registry()
        data = _download(tarball_url(name, version, base))
        _check_integrity(data, pkg["integrity"], f"{name}@{version}")
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for src, out in targets.items():
                try:
                    member = tar.getmember(src)
                except KeyError as exc:
                    raise AssetError(f"{name}@{version}: {src} is not in the tarball") from exc
                fh = tar.extractfile(member)
                if fh is None:
                    raise AssetError(f"{name}@{version}: {src} is not a regular file")
                content = fh.read()
                if src in pkg.get("clip", {}):  # a world layer: only what lies near the map's region
                    content = clip_geojson(content, pkg["clip"][src])
                if src in pkg.get("admin1", []):  # governorate outlines: named as rasad names them
                    content = name_governorates(content, f"{name}@{version}: {src}")
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(content)
        for old in dest.glob(f".{flat}@*"):
            old.unlink()
        stamp.write_text(pkg["integrity"] + "\n", encoding="utf-8")
        log(f"fetched {name}@{version} ({len(data) // 1024} KiB, integrity verified)")
        fetched += 1
    return fetched


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="download again even when present")
    ap.add_argument("--dest", type=Path, default=VENDOR_DIR)
    args = ap.parse_args(argv)
    try:
        n = fetch(args.dest, args.force)
    except AssetError as exc:
        print(f"rasad: {exc}", file=sys.stderr)
        return 1
    print(f"front-end libraries in {args.dest} ({n} fetched, the rest already present)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
