"""Governorate outlines for the explorer's map: a GeoJSON FeatureCollection the user imports
(`rasad boundaries import FILE`), checked and stored in the boundaries table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from rasad.database.store import Store, boundaries, now

GEOMETRIES = {"Polygon", "MultiPolygon"}


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
