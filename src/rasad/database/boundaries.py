"""Governorate (admin1) and district (admin2) outlines and main roads for the explorer's map: a GeoJSON
FeatureCollection the user imports (`rasad boundaries import FILE [--level admin2|roads]`), checked and stored in
the boundaries table, one row a level; until governorates are imported the map draws the outlines installed with
the front-end libraries (Natural Earth's, named by `with_rasad_names` at install time). No district outlines and
no roads are installed: no registry package carries roads under a usable licence."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from rasad.database.store import Store, boundaries, now
from rasad.lang.patterns import ARABIC_LETTER

POLYGONS = ("Polygon", "MultiPolygon")
LINES = ("LineString", "MultiLineString")
# where a governorate layer keeps its names: OCHA's ADM1_EN / ADM1_AR, Natural Earth's name and name_alt ("a|b|c")
NAME_FIELDS = ("ADM1_EN", "ADM1_AR", "name", "name_en", "name_alt")
PRECISION = 4  # decimal places of a degree kept by with_rasad_names: about 10 m, finer than the map draws
_APPROXIMATE = re.compile(r"(?<![a-z])approx", re.I)  # admin2_approx, "APPROXIMATE: ..."


@dataclass(frozen=True)
class Level:
    """A level of shapes: what one of them is, the properties the map reads its names from (filled at
    import), the properties (any case) that may name it in a file, best first, and whether each needs a name;
    the geometry types it takes; the properties that may hold its number (stored as `ref`); and the box
    (minlon, minlat, maxlon, maxlat) outside which its features are dropped at import, if any."""

    noun: str
    en: str
    ar: str
    names: tuple[str, ...]
    named: bool
    geometries: tuple[str, ...] = POLYGONS
    refs: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None

    @property
    def shapes(self) -> str:
        """What the command line counts: "district outlines", "roads"."""
        return f"{self.noun}s" if self.geometries == LINES else f"{self.noun} outlines"


def _level(n: int, noun: str, named: bool) -> Level:
    # OCHA's CODs (ADM2_EN, older admin2Name_en), HDX-style admin2_en, GADM's NAME_2, geoBoundaries' shapeName
    return Level(noun, f"ADM{n}_EN", f"ADM{n}_AR", (
        f"ADM{n}_EN", f"ADM{n}_AR", f"admin{n}_en", f"admin{n}_ar", f"admin{n}Name_en", f"admin{n}Name_ar",
        f"ADM{n}_NAME", f"admin{n}Name", f"NAME_{n}", "shapeName", f"{noun}_en", f"{noun}_ar", noun,
        "name_en", "name_ar", "name"), named)


# Syria's surroundings: a world file of roads (Natural Earth's ne_10m_roads) is cut to these at import
SURROUNDINGS = (34.5, 31.5, 43.0, 38.0)
# governorate files stay accepted without names, as before districts came; a district needs its name; a road
# may have none (OSM's name, name:en, name:ar; Natural Earth's name, namealt), its number in OSM's ref
LEVELS = {"admin1": _level(1, "governorate", named=False), "admin2": _level(2, "district", named=True),
          "roads": Level("road", "name_en", "name_ar", ("name_en", "name:en", "name_ar", "name:ar", "name",
                                                        "namealt", "road_name"), named=False, geometries=LINES,
                         refs=("ref", "int_ref", "road_ref", "number"), bbox=SURROUNDINGS)}


class BoundaryError(ValueError):
    """The file is not a usable FeatureCollection (the message says where)."""


def check(gj: Any, level: str = "admin1") -> int:
    """The number of features of a FeatureCollection of LEVEL's geometries ((multi)polygons, or for roads
    (multi)linestrings), or BoundaryError naming the first feature that is not one."""
    geometries = LEVELS[level].geometries
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
        if not isinstance(g, dict) or g.get("type") not in geometries or not isinstance(g.get("coordinates"), list):
            got = g.get("type") if isinstance(g, dict) else g
            raise BoundaryError(f"features[{i}]: expected a {' or '.join(geometries)} geometry with coordinates "
                                f"for --level {level}, got {got!r}")
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


def read(path: Path) -> Any:
    """The JSON of the file at PATH, or BoundaryError saying why it is not."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise BoundaryError(f"not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise BoundaryError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc


def name_features(gj: dict[str, Any], level: Level) -> None:
    """Each feature of a checked FeatureCollection gets its names where the map reads them (level.en, level.ar),
    from the first of level.names (any case) that holds one: English the first without Arabic letters, Arabic
    the first with; and its number as `ref`, from the first of level.refs. A level whose shapes must be named
    raises BoundaryError at the first one without a name."""
    wanted = [k.lower() for k in level.names]
    refs = [k.lower() for k in level.refs]
    for i, f in enumerate(gj["features"]):
        props = f.get("properties") if isinstance(f.get("properties"), dict) else {}
        by_key = {k.lower(): v for k, v in props.items()}
        values = [v.strip() for k in wanted if isinstance(v := by_key.get(k), str) and v.strip()]
        en = next((v for v in values if not ARABIC_LETTER.search(v)), None)
        ar = next((v for v in values if ARABIC_LETTER.search(v)), None)
        if level.named and not (en or ar):
            raise BoundaryError(f"features[{i}] has no {level.noun} name: expected one of the properties "
                                f"{', '.join(level.names)}; it has {', '.join(props) or 'no properties'}")
        ref = next((str(v).strip() for k in refs if isinstance(v := by_key.get(k), (str, int)) and str(v).strip()),
                   None)
        f["properties"] = {**props, **({level.en: en} if en else {}), **({level.ar: ar} if ar else {}),
                           **({"ref": ref} if ref else {})}


def _positions(coords: list[Any]) -> Iterator[list[Any]]:
    if coords and isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            if isinstance(c, list):
                yield from _positions(c)


def within(gj: dict[str, Any], box: tuple[float, float, float, float]) -> int:
    """Keep the features of a checked FeatureCollection that reach into BOX (minlon, minlat, maxlon, maxlat):
    those whose extent overlaps it (a road from Aleppo to Istanbul is kept whole). Returns how many the file
    had; BoundaryError if none is kept."""
    x0, y0, x1, y1 = box
    total = len(gj["features"])

    def reaches(f: dict[str, Any]) -> bool:
        pts = [p for p in _positions(f["geometry"]["coordinates"]) if len(p) >= 2
               and all(isinstance(c, (int, float)) for c in p[:2])]
        return bool(pts) and (min(p[0] for p in pts) <= x1 and max(p[0] for p in pts) >= x0
                              and min(p[1] for p in pts) <= y1 and max(p[1] for p in pts) >= y0)

    gj["features"] = [f for f in gj["features"] if reaches(f)]
    if not gj["features"]:
        raise BoundaryError(f"none of its {total} features reaches into {x0}–{x1} E, {y0}–{y1} N (Syria's surroundings)")
    return total


def approximate(path: Path, gj: dict[str, Any]) -> bool:
    """Whether a file says its lines are approximate: in its name (admin2_approx.geojson), as `approximate: true`
    on the collection or a feature, or in a property's text (`"method": "APPROXIMATE: dissolved from ..."`)."""
    if _APPROXIMATE.search(path.name) or gj.get("approximate") is True:
        return True
    return any(isinstance(f.get("properties"), dict) and any(
        (k.lower() == "approximate" and v is True) or (isinstance(v, str) and _APPROXIMATE.search(v))
        for k, v in f["properties"].items()) for f in gj["features"])


def import_boundaries(store: Store, path: Path, level: str = "admin1") -> dict[str, Any]:
    """Check the FeatureCollection at PATH and store it as LEVEL's shapes (see name_features; `approximate:
    true` when the file says so; for a level with a box, only the features that reach into it, and `"cropped":
    {"bbox", "features"}` saying how many the file had when some were dropped), replacing the level's previous
    ones in one transaction: a file that fails a check raises BoundaryError before anything is deleted.
    Returns the collection stored."""
    gj = read(path)
    check(gj, level)
    if LEVELS[level].bbox and (total := within(gj, LEVELS[level].bbox)) > len(gj["features"]):
        gj["cropped"] = {"bbox": list(LEVELS[level].bbox), "features": total}
    name_features(gj, LEVELS[level])
    if approximate(path, gj):
        gj["approximate"] = True
    with store.engine.begin() as conn:
        conn.execute(boundaries.delete().where(boundaries.c.level == level))
        conn.execute(boundaries.insert().values(level=level, source=str(path), imported_at=now(),
                                                geojson=json.dumps(gj, ensure_ascii=False, separators=(",", ":"))))
    return gj


def outlines(store: Store, level: str) -> str | None:
    """LEVEL's imported outlines as GeoJSON text, or None."""
    with store.engine.connect() as conn:
        return conn.execute(sa.select(boundaries.c.geojson).where(boundaries.c.level == level)).scalar()
