"""Export merged events to the formats analysts load elsewhere: ACLED-style CSV, a UCDP GED-like CSV,
GeoJSON and JSONL.

Every function here is pure: it takes merged events (dicts as the store hands them out, see
`rasad.database.store.Store.iter_events`) and returns rows or writes to an open text file. Nothing reads the
database.

ACLED conventions followed:
- fatalities is the most conservative figure reported (the lowest); the notes name every distinct
  figure and who gave it when reports disagree;
- time_precision 1 = day, 2 = week, 3 = month (or an estimated date);
- interaction is the two inter codes, lower first ("12"), or the first code and 0 when there is no
  second actor ("20").

UCDP GED conventions followed (a subset of its columns):
- type_of_violence 1 state-based, 2 non-state, 3 one-sided (against civilians);
- where_prec 1 exact place, 2 within 25 km, 4 first-order admin, 6 country;
- date_prec 1 day, 2 within a week, 3 month, 5 unknown;
- best / low / high with low <= best <= high.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, cast

from rasad.lang.lexicon import read_rows
from rasad.schema import Figures, MergedClaim, StoredEvent

ACLED_COLUMNS: list[str] = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]

UCDP_COLUMNS: list[str] = [
    "id", "year", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b", "source_article",
    "source_office", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude", "longitude", "country",
    "region", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low",
]

COUNTRY = "Syria"
COUNTRY_ISO = 760
REGION = "Middle East"
CNTY_PREFIX = "SYR"
SOURCE_SCALE = "National-International"
# Syria's bounding box (degrees), a little generous
SYRIA_BBOX = (32.3, 37.4, 35.6, 42.4)  # lat min, lat max, lon min, lon max

TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
UCDP_DATE_PREC = {"day": 1, "week": 2, "month": 3}
UCDP_WHERE_PREC = {1: 1, 2: 2, 3: 4}

STATE_INTER = 1
CIVILIAN_INTER = 7
STATE_PREFIXES = ("Military Forces of ", "Police Forces of ", "Government of ")
SYRIAN_STATE = ("Military Forces of Syria", "Police Forces of Syria", "Government of Syria")

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]

# what actor1 did to actor2, by sub-event type: (with actor2, without actor2)
_VERBS: dict[str, tuple[str, str]] = {
    "Armed clash": ("clashed with {b}", "engaged in an armed clash"),
    "Government regains territory": ("regained territory from {b}", "regained territory"),
    "Non-state actor overtakes territory": ("took territory from {b}", "took territory"),
    "Air/drone strike": ("carried out an air/drone strike on {b}", "carried out an air/drone strike"),
    "Shelling/artillery/missile attack": ("shelled {b}", "carried out shelling"),
    "Remote explosive/landmine/IED": ("targeted {b} with an explosive device", "detonated an explosive device"),
    "Suicide bomb": ("carried out a suicide bombing against {b}", "carried out a suicide bombing"),
    "Grenade": ("threw a grenade at {b}", "threw a grenade"),
    "Chemical weapon": ("used chemical weapons against {b}", "used chemical weapons"),
    "Abduction/forced disappearance": ("abducted {b}", "abducted people"),
    "Attack": ("attacked {b}", "carried out an attack"),
}


# -- small helpers ----------------------------------------------------------------------------------


def _s(x: Any) -> str:
    return "" if x is None else str(x)


def _join(items: Iterable[Any] | None) -> str:
    return "; ".join(str(x) for x in (items or []) if x not in (None, ""))


def _date(s: str | None) -> dt.date | None:
    if not s:
        return None
    try:
        return dt.date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


def _coords(ev: StoredEvent) -> tuple[float, float] | None:
    """(lat, lon) when both are present, finite and on the globe."""
    lat, lon = ev.get("lat"), ev.get("lon")
    if lat is None or lon is None:
        return None
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _fig(f: Figures | None, key: str) -> int | None:
    if not f:
        return None
    v = f.get(key)
    return None if v is None else int(v)


def _outlets(ev: StoredEvent) -> list[str]:
    out: list[str] = []
    for s in list(ev.get("sources") or []) + [r.get("source") for r in ev.get("reports") or []]:
        if s and s not in out:
            out.append(s)
    return out


def _timestamp(s: str | None) -> int | str:
    if not s:
        return ""
    try:
        t = dt.datetime.fromisoformat(str(s))
    except ValueError:
        return ""
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return int(t.timestamp())


def _place(ev: StoredEvent) -> str:
    return ev.get("place_name_en") or ev.get("location") or ""


def is_state(name: str | None, inter: int | None) -> bool:
    """A state's forces: ACLED inter 1, or a foreign state's military or police (ACLED codes them 8)."""
    if inter == STATE_INTER:
        return True
    return bool(name) and str(name).startswith(STATE_PREFIXES)


def _civilian_side(name: str | None, inter: int | None) -> bool:
    return inter == CIVILIAN_INTER or (bool(name) and str(name).split(" (")[0] == "Civilians")


# -- claims and notes -------------------------------------------------------------------------------


def _claim_figure(c: MergedClaim) -> str:
    lo, be, hi = c.get("low"), c.get("best"), c.get("high")
    if be is not None:
        return str(be)
    if lo is not None and hi is not None and lo != hi:
        return f"{lo}-{hi}"
    if lo:
        return f"at least {lo}"
    return "an unspecified number"


def _claimant(c: MergedClaim) -> str:
    name = c.get("claimant")
    if not name or name == "outlet":
        return c.get("source") or "unattributed"
    return str(name)


def claim_figures(ev: StoredEvent, kind: str) -> list[tuple[str, str]]:
    """(claimant, figure) for every live claim of one kind, each pair once, in the order reported.

    An outlet's own unattributed figure is left out when a named claimant gives the same figure (the
    outlet repeating it)."""
    out: list[tuple[str, str]] = []
    claims = [c for c in ev.get("claims") or [] if c.get("kind") == kind]
    live = [c for c in claims if not c.get("superseded")] or claims
    named = {_claim_figure(c) for c in live if c.get("claimant_type") != "outlet"}
    for c in live:
        if c.get("claimant_type") == "outlet" and _claim_figure(c) in named:
            continue
        pair = (_claimant(c), _claim_figure(c))
        if pair not in out:
            out.append(pair)
    return out


def disputed(ev: StoredEvent, kind: str = "fatalities") -> bool:
    """Reports disagree: the figure spans a range, or claimants give different figures."""
    f = ev.get(kind) or {}
    lo, hi = f.get("low"), f.get("high")
    if lo is not None and hi is not None and lo != hi:
        return True
    return len({fig for _c, fig in claim_figures(ev, kind)}) > 1


def _when(ev: StoredEvent) -> str:
    d = _date(ev.get("date"))
    if d is None:
        return "On an unknown date"
    day = f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    prec = ev.get("date_precision") or "unknown"
    if prec == "day":
        return f"On {day}"
    if prec == "week":
        return f"In the week of {day}"
    if prec == "month":
        return f"In {_MONTHS[d.month - 1]} {d.year}"
    return f"Around {day}"


def _actor_phrase(name: str | None) -> str:
    if not name:
        return ""
    return "civilians" if str(name).split(" (")[0] == "Civilians" else str(name)


def _where(ev: StoredEvent) -> str:
    place = _place(ev)
    admin1 = ev.get("admin1") or ""
    if place:
        prep = "in" if ev.get("geo_precision") in (1, None) else "near"
        return f"{prep} {place}" + (f", {admin1}" if admin1 and admin1 != place else "")
    if admin1:
        return f"in {admin1} governorate"
    return "at an unspecified location"


def _casualties(ev: StoredEvent, kind: str, word: str) -> str | None:
    f = ev.get(kind)
    pairs = claim_figures(ev, kind)
    lo, be = _fig(f, "low"), _fig(f, "best")
    if be is not None:
        head = f"{be} {word}"
    elif lo:
        head = f"at least {lo} {word}"
    elif pairs:
        head = f"an unspecified number {word}"
    else:
        return None
    if len({fig for _c, fig in pairs}) > 1:
        head += " (" + "; ".join(f"{c} {fig}" for c, fig in pairs) + ")"
    elif pairs:
        names: list[str] = []
        for c, _ in pairs:
            if c not in names:
                names.append(c)
        head += " (according to " + " and ".join(names) + ")"
    return head


def notes(ev: StoredEvent) -> str:
    """A one-paragraph English summary in ACLED's manner."""
    a1, a2 = _actor_phrase(ev.get("actor1")), _actor_phrase(ev.get("actor2"))
    if a1 == "civilians" and not a2:  # the civilians were the target, the attacker is not named
        a1, a2 = "", a1
    sub = ev.get("sub_event_type") or ""
    with_b, alone = _VERBS.get(sub, _VERBS["Armed clash"] if ev.get("event_type") == "Battles" else _VERBS["Attack"])
    subject = a1 or "unidentified actors"
    verb = with_b.format(b=a2) if a2 else alone
    parts = [f"{_when(ev)}, {subject} {verb} {_where(ev)}."]
    killed = _casualties(ev, "fatalities", "killed")
    wounded = _casualties(ev, "wounded", "wounded")
    figs = [x for x in (killed or "no fatalities reported", wounded) if x]
    text = ", ".join(figs)
    parts.append(text[0].upper() + text[1:] + ".")
    fixes = [c for c in ev.get("corrections") or [] if c.get("action") == "correct"]
    corrected = [str(f) for f in ev.get("corrected_fields") or []]
    if fixes:  # the audit trail is at hand (the store's events): say what changed, from what, by whom
        parts += [f"Analyst correction: {c.get('field')} {_value(c.get('old'))} → {_value(c.get('new'))} "
                  f"({c.get('user')})." for c in fixes]
    elif corrected:
        parts.append(f"[corrected by analyst: {', '.join(corrected)}]")
    return " ".join(parts)


def _value(v: Any) -> str:
    """A corrected value in one short phrase: figures as low/best/high, lists joined, null as 'none'."""
    if v is None or v == "":
        return "none"
    if isinstance(v, dict) and set(v) <= {"low", "best", "high"}:
        return "/".join("?" if v.get(k) is None else str(v.get(k)) for k in ("low", "best", "high"))
    if isinstance(v, list):
        return "; ".join(str(x) for x in v) or "none"
    return str(v)


def tags(ev: StoredEvent) -> str:
    out: list[str] = []
    if disputed(ev, "fatalities"):
        out.append("fatalities disputed")
    f = ev.get("fatalities")
    if f and f.get("best") is None:
        out.append("unconfirmed")
    return "; ".join(out)


# -- ACLED --------------------------------------------------------------------------------------------


def interaction(ev: StoredEvent) -> str:
    i1, i2 = ev.get("inter1"), (ev.get("inter2") if ev.get("actor2") else None)
    codes = [int(x) for x in (i1, i2) if x is not None]
    if not codes:
        return ""
    if len(codes) == 1:
        return f"{codes[0]}0"
    a, b = sorted(codes)
    return f"{a}{b}"


def _named_country(ev: StoredEvent) -> str:
    """The country the extractor placed the incident in (an incident abroad: other_events), else Syria."""
    return str(cast(dict[str, Any], ev).get("country") or COUNTRY)


def _country(ev: StoredEvent) -> str:
    named = cast(dict[str, Any], ev).get("country")
    if named:
        return str(named)  # the country the extractor placed it in (an incident abroad: other_events)
    c = _coords(ev)
    if c is not None and ev.get("admin1") is None:
        lat0, lat1, lon0, lon1 = SYRIA_BBOX
        if not (lat0 <= c[0] <= lat1 and lon0 <= c[1] <= lon1):
            return ""
    return COUNTRY


@functools.cache
def country_codes() -> dict[str, tuple[int, str, str]]:
    """ISO numeric, ISO alpha-3 and ACLED region by English country name (data/country_codes.tsv)."""
    return {r[0].lower(): (int(r[1]), r[2], r[3]) for r in read_rows("country_codes.tsv", 4)}


def _codes(country: str) -> tuple[int | str, str, str]:
    """(iso, event id prefix, region) of an exported row's country; empty codes for a country not listed."""
    got = country_codes().get(country.lower()) if country else None
    if got is None:
        return ("", "", "") if country else (COUNTRY_ISO, CNTY_PREFIX, REGION)
    return got


def acled_row(ev: StoredEvent) -> dict[str, Any]:
    """One merged event as an ACLED row (every column of ACLED_COLUMNS)."""
    d = _date(ev.get("date"))
    c = _coords(ev)
    fat = ev.get("fatalities_acled")
    if fat is None:
        fat = _fig(ev.get("fatalities"), "low") or 0
    country = _country(ev)
    iso, prefix, region = _codes(country)
    return {
        "event_id_cnty": f"{prefix}{ev.get('event_id')}",
        "event_date": d.isoformat() if d else "",
        "year": d.year if d else "",
        "time_precision": TIME_PRECISION.get(ev.get("date_precision") or "", 3) if d else "",
        "disorder_type": _s(ev.get("disorder_type")),
        "event_type": _s(ev.get("event_type")),
        "sub_event_type": _s(ev.get("sub_event_type")),
        "actor1": _s(ev.get("actor1")),
        "assoc_actor_1": _join(ev.get("assoc_actor_1")),
        "inter1": _s(ev.get("inter1")),
        "actor2": _s(ev.get("actor2")),
        "assoc_actor_2": _join(ev.get("assoc_actor_2")),
        "inter2": _s(ev.get("inter2")) if ev.get("actor2") else "",
        "interaction": interaction(ev),
        "civilian_targeting": _s(ev.get("civilian_targeting")),
        "iso": iso,
        "region": region,
        "country": country,
        "admin1": _s(ev.get("admin1")),
        "admin2": _s(ev.get("admin2")),
        "admin3": _s(ev.get("admin3")),
        "location": _place(ev),
        "latitude": f"{c[0]:.4f}" if c else "",
        "longitude": f"{c[1]:.4f}" if c else "",
        "geo_precision": _s(ev.get("geo_precision")),
        "source": _join(_outlets(ev)),
        "source_scale": SOURCE_SCALE,
        "notes": notes(ev),
        "fatalities": int(fat),
        "tags": tags(ev),
        "timestamp": _timestamp(ev.get("updated_at")),
    }


# -- UCDP ---------------------------------------------------------------------------------------------


def type_of_violence(ev: StoredEvent) -> int:
    """1 state-based (a state's forces on one side), 2 non-state, 3 one-sided (against civilians)."""
    a1, a2 = ev.get("actor1"), ev.get("actor2")
    i1, i2 = ev.get("inter1"), (ev.get("inter2") if a2 else None)
    if (ev.get("civilian_targeting") or _civilian_side(a2, i2) or ev.get("event_type") == "Violence against civilians"
            or (not a2 and (ev.get("victims") == "civilians" or _civilian_side(a1, i1)))):
        return 3
    if is_state(a1, i1) or is_state(a2, i2):
        return 1
    return 2


def _gov(name: str) -> str:
    if name in SYRIAN_STATE:
        return "Government"
    for p in STATE_PREFIXES:
        if name.startswith(p):
            return "Government of " + name[len(p):]
    return name


def ucdp_sides(ev: StoredEvent) -> tuple[str, str]:
    a, b = ev.get("actor1"), ev.get("actor2")
    if a and not b and _civilian_side(a, ev.get("inter1")):  # the civilians were the target
        a, b = None, a
    return a or "Unknown", b or ("Civilians" if type_of_violence(ev) == 3 else "Unknown")


def conflict_name(ev: StoredEvent) -> str:
    """e.g. "Syria: Government vs Islamic State": the state side first, a state named as its government."""
    tov = type_of_violence(ev)
    a, b = ucdp_sides(ev)
    i1, i2 = ev.get("inter1"), (ev.get("inter2") if ev.get("actor2") else None)
    la = _gov(a) if is_state(a, i1) else a
    lb = _gov(b) if is_state(b, i2) else b
    if tov == 1 and not is_state(a, i1):
        la, lb = lb, la
    if tov == 3:
        lb = "civilians"
    return f"{_named_country(ev)}: {la} vs {lb}"


def ucdp_row(ev: StoredEvent) -> dict[str, Any]:
    """One merged event as a UCDP GED-like row (every column of UCDP_COLUMNS)."""
    d = _date(ev.get("date"))
    window = ev.get("date_window") or None
    start = _date(window[0]) if window else d
    end = _date(window[1]) if window and len(window) > 1 else d
    start, end = start or d, end or d
    year = (d or start or end).year if (d or start or end) else ""
    c = _coords(ev)
    f = ev.get("fatalities")
    lo, be, hi = _fig(f, "low"), _fig(f, "best"), _fig(f, "high")
    best = be if be is not None else (lo or 0)
    low = min(lo if lo is not None else best, best)
    high = max(hi if hi is not None else best, best)
    victims = ev.get("victims")
    deaths = {"deaths_a": 0, "deaths_b": 0, "deaths_civilians": 0, "deaths_unknown": 0}
    if victims == "civilians":
        deaths["deaths_civilians"] = best
    elif victims == "combatants":
        deaths["deaths_b"] = best
    else:
        deaths["deaths_unknown"] = best
    a, b = ucdp_sides(ev)
    gp = ev.get("geo_precision")
    reports = ev.get("reports") or []
    articles = [" ".join(x for x in (r.get("doc"), r.get("url")) if x) for r in reports]
    return {
        "id": ev.get("event_id"),
        "year": year,
        "type_of_violence": type_of_violence(ev),
        "conflict_name": conflict_name(ev),
        "dyad_name": f"{a} - {b}",
        "side_a": a,
        "side_b": b,
        "source_article": _join(articles),
        "source_office": _join(_outlets(ev)),
        "where_prec": UCDP_WHERE_PREC.get(gp, 6) if isinstance(gp, int) else 6,
        "where_coordinates": _place(ev) or ev.get("admin1") or _named_country(ev),
        "adm_1": _s(ev.get("admin1")),
        "adm_2": _s(ev.get("admin2")),
        "latitude": f"{c[0]:.4f}" if c else "",
        "longitude": f"{c[1]:.4f}" if c else "",
        "country": _named_country(ev),
        "region": REGION,
        "date_prec": UCDP_DATE_PREC.get(ev.get("date_precision") or "", 5) if d else 5,
        "date_start": start.isoformat() if start else "",
        "date_end": end.isoformat() if end else "",
        **deaths,
        "best": best,
        "high": high,
        "low": low,
    }


# -- GeoJSON ------------------------------------------------------------------------------------------


def feature(ev: StoredEvent) -> dict[str, Any] | None:
    """A Point Feature, or None for an event without usable coordinates."""
    c = _coords(ev)
    if c is None:
        return None
    lat, lon = c
    props: dict[str, Any] = {k: (None if v == "" else v) for k, v in acled_row(ev).items()}
    props["latitude"], props["longitude"] = round(lat, 4), round(lon, 4)
    f, w = ev.get("fatalities"), ev.get("wounded")
    props.update({
        "event_id": ev.get("event_id"),
        "fatalities_low": _fig(f, "low"),
        "fatalities_best": _fig(f, "best"),
        "fatalities_high": _fig(f, "high"),
        "wounded_low": _fig(w, "low"),
        "wounded_best": _fig(w, "best"),
        "wounded_high": _fig(w, "high"),
        "sources": _outlets(ev),
        "geo_precision": ev.get("geo_precision"),
    })
    return {"type": "Feature", "id": ev.get("event_id"), "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props}


def geojson(events: Iterable[StoredEvent]) -> dict[str, Any]:
    feats: list[dict[str, Any]] = []
    missing = 0
    for ev in events:
        f = feature(ev)
        if f is None:
            missing += 1
        else:
            feats.append(f)
    return {"type": "FeatureCollection", "features": feats, "rasad": {"without_coordinates": missing}}


# -- writers ------------------------------------------------------------------------------------------


def _write_csv(rows: Iterable[dict[str, Any]], columns: list[str], fh: IO[str]) -> int:
    w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
    w.writeheader()
    n = 0
    for row in rows:
        w.writerow(row)
        n += 1
    return n


def write_acled_csv(events: Iterable[StoredEvent], fh: IO[str]) -> int:
    """ACLED CSV; open fh with newline="" and encoding="utf-8". Returns the number of rows."""
    return _write_csv((acled_row(e) for e in events), ACLED_COLUMNS, fh)


def write_ucdp_csv(events: Iterable[StoredEvent], fh: IO[str]) -> int:
    """UCDP GED-like CSV; open fh with newline="" and encoding="utf-8". Returns the number of rows."""
    return _write_csv((ucdp_row(e) for e in events), UCDP_COLUMNS, fh)


def write_geojson(events: Iterable[StoredEvent], fh: IO[str]) -> int:
    """A GeoJSON FeatureCollection. Returns the number of features."""
    counted: list[int] = []
    for chunk in geojson_chunks(events, counted):
        fh.write(chunk)
    return counted[0]


CHUNK_CHARS = 64_000  # a streamed export is sent in pieces of about this size


def acled_csv_chunks(events: Iterable[StoredEvent]) -> Iterator[str]:
    """write_acled_csv's text in pieces, for a streamed answer that never holds the whole export."""
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=ACLED_COLUMNS, extrasaction="ignore")
    w.writeheader()
    for ev in events:
        w.writerow(acled_row(ev))
        if buf.tell() >= CHUNK_CHARS:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def geojson_chunks(events: Iterable[StoredEvent], counted: list[int] | None = None) -> Iterator[str]:
    """geojson(events) as JSON text (as json.dump writes it, and a new line) in pieces; the number of
    features is appended to `counted` at the end."""
    parts = ['{"type": "FeatureCollection", "features": [']
    size, n, missing = len(parts[0]), 0, 0
    for ev in events:
        f = feature(ev)
        if f is None:
            missing += 1
            continue
        parts.append((", " if n else "") + json.dumps(f, ensure_ascii=False))
        size += len(parts[-1])
        n += 1
        if size >= CHUNK_CHARS:
            yield "".join(parts)
            parts, size = [], 0
    parts.append(f'], "rasad": {{"without_coordinates": {missing}}}}}\n')
    if counted is not None:
        counted.append(n)
    yield "".join(parts)


def write_jsonl(events: Iterable[StoredEvent], fh: IO[str]) -> int:
    """One merged event a line, as given. Returns the number of lines."""
    n = 0
    for ev in events:
        fh.write(json.dumps(ev, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


FORMATS: dict[str, Callable[[Iterable[StoredEvent], IO[str]], int]] = {
    "acled-csv": write_acled_csv,
    "ucdp-csv": write_ucdp_csv,
    "geojson": write_geojson,
    "jsonl": write_jsonl,
}
