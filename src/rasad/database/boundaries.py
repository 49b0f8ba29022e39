"""Governorate outlines for the explorer's map: a GeoJSON FeatureCollection the user imports
(`rasad boundaries import FILE`), checked and stored in the boundaries table; until then the map draws the
outlines installed with the front-end libraries (Natural Earth's, named by `with_rasad_names` at install time)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from rasad.database.store import Store, boundaries, now

GEOMETRIES = {"Polygon", "MultiPolygon"}
# where a governorate layer keeps its names: OCHA's ADM1_EN / ADM1_AR, Natural Earth's name and name_alt ("a|b|c")
NAME_FIELDS = ("ADM1_EN", "ADM1_AR", "name", "name_en", "name_alt")
PRECISION = 4  # decimal places of a degree kept by with_rasad_names: about 10 m, finer than the map draws


class BoundaryError(ValueError):
    """The file is not a usable FeatureCollection (the message says where)."""


def check(gj: Any) -> int:
    """The number of features of a FeatureCollection of (multi)polygons, or BoundaryError."""
    if not isinstance(gj, dict) or gj.get("type") != "FeatureCollection":
        got = gj.get("type") if isinstance(gj, dict) else type(gj).__name__
        raise BoundaryError(f"expected a GeoJSON FeatureCollection, got {got!r}")
    feats = gj.get("features")
    if not isinstance(feats, list) or not feats:
        raise BoundaryError("the FeatureCollection has no features")
    for i, f in enumerate(feats):
        if not isinstance(f, dict) or f.get("type") != "Feature":
            raise BoundaryError(f"features[{i}] is not a Feature")
        g = f.get("geometry")
        if not isinstance(g, dict) or g.get("type") not in GEOMETRIES or not isinstance(g.get("coordinates"), list):
            raise BoundaryError(f"features[{i}]: expected a Polygon or MultiPolygon geometry with coordinates")
    return len(feats)


def _rounded(coords: Any) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        return [round(c, PRECISION) for c in coords]
    return [_rounded(c) for c in coords]


def with_rasad_names(data: bytes) -> bytes:
    """A governorate layer (GeoJSON bytes) as the map draws it: each feature's properties are rasad's
    canonical governorate name (ADM1_EN, the OCHA English name of data/admin1.tsv, e.g. "Dar'a" for Natural
    Earth's "Dar`a") and its Arabic name (ADM1_AR), read from whichever of NAME_FIELDS knows it; a shape no
    name matches (Natural Earth's UNDOF zone) keeps its own `name`. Coordinates are rounded to PRECISION."""
    from rasad.gazetteer import ADMIN1, admin1_name

    gj = json.loads(data)
    check(gj)
    for f in gj["features"]:
        props = f.get("properties") or {}
        names = [n for k in NAME_FIELDS if isinstance(props.get(k), str) for n in props[k].split("|")]
        canonical = next((c for c in map(admin1_name, names) if c), None)
        f["properties"] = ({"ADM1_EN": canonical, "ADM1_AR": ADMIN1[canonical][0]} if canonical
                           else {"name": names[0]} if names else {})
        f["geometry"]["coordinates"] = _rounded(f["geometry"]["coordinates"])
    return json.dumps(gj, ensure_ascii=False, separators=(",", ":")).encode()


def import_admin1(store: Store, path: Path) -> int:
    try:
        gj = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise BoundaryError(f"not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise BoundaryError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    n = check(gj)
    with store.engine.begin() as conn:
        conn.execute(boundaries.delete().where(boundaries.c.level == "admin1"))
        conn.execute(boundaries.insert().values(level="admin1", source=str(path), imported_at=now(),
                                                geojson=json.dumps(gj, ensure_ascii=False, separators=(",", ":"))))
    return n


def admin1(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(boundaries.c.geojson).where(boundaries.c.level == "admin1")).scalar()
