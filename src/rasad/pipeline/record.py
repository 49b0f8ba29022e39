"""The output records: an incident's event record (ACLED type, date, actors, location, figures and the
evidence of each), a statistic, and the record of a whole document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rasad.document import Document, Part, Sentence
from rasad.lang.lexicon import actors
from rasad.lang.patterns import PLACE_TRIM
from rasad.pipeline.annotate import dates as dates_mod
from rasad.pipeline.annotate.actors import find_actors, inter_code
from rasad.pipeline.annotate.claimants import Claimant
from rasad.pipeline.annotate.numbers import find_quantities
from rasad.pipeline.annotate.places import country_of
from rasad.pipeline.figures import combine, unique_claims
from rasad.pipeline.filters import GROUND_CLASSES, KILL, REMOTE, is_strike, strikes_from_afar, times_counted

if TYPE_CHECKING:
    from rasad.pipeline.incidents import Incident
    from rasad.pipeline.mentions import Mention

UNDATED_DAYS = 6  # an incident the text does not date lies within this many days before the report
UNKNOWN_ACTOR = "Unidentified Armed Group"
PARTY_AFTER_FIGURE = 40  # a statistic's party is an actor named this close after its figure
# weapons (data/weapons.tsv) that strike from afar: an attack told with one is a strike; from the air, an air strike
REMOTE_WEAPONS = {"drone", "aircraft", "helicopter", "missile", "guided missile", "artillery", "mortar", "Grad rockets",
                  "rocket launcher", "barrel bomb"}
AIR_WEAPONS = {"drone", "aircraft", "helicopter", "barrel bomb"}
STATE_FORCES = 1  # ACLED's inter code of a state's own forces: territory they take is regained

EVENT_TYPES = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


def remote_weapon_type(e: Incident) -> str | None:
    """The sub-event type of an attack told with a weapon of remote fire and no ground tactic ("استهدفت المسيرة
    الثانية مقرا"، "قتل جنديان بصاروخ موجه"): air/drone strike for aircraft, shelling for missiles and artillery."""
    if not e.classes & {"attack", "kill", "wound", "explosion"} or e.classes & GROUND_CLASSES:
        return None
    weapons = {w for m in e.body for w, _h in m.weapons}
    if weapons & AIR_WEAPONS:
        return "Air/drone strike"
    if weapons & (REMOTE_WEAPONS - AIR_WEAPONS):
        return "Shelling/artillery/missile attack"
    return None


def classify(e: Incident) -> tuple[str, str]:
    """ACLED event type and sub-event type. Territory taken by force is a battle over territory; when tactics
    co-occur: a reported exchange of fire
    makes a battle; otherwise a suicide bombing, then an air/drone strike, then shelling, then
    an explosive device; a ground attack on civilians is violence against civilians; anything
    else with armed targets is an armed clash."""
    c = e.classes
    victims = e.victims
    civilians_only = bool(victims) and all(v == "Civilians" for v in victims) or (
        e.victim_kinds == {"civilians"} and not [v for v in victims if v != "Civilians"]
    )
    if "control" in c:  # territory taken: the government's forces regain it, any other party overtakes it
        first = actors().get(e.attackers[0]) if e.attackers else None
        regains = first is not None and first.inter == STATE_FORCES
        return "Battles", "Government regains territory" if regains else "Non-state actor overtakes territory"
    if "clash" in c:
        return "Battles", "Armed clash"
    if "chemical" in c:
        return "Explosions/Remote violence", "Chemical weapon"
    if "suicide" in c:
        return "Explosions/Remote violence", "Suicide bomb"
    if c & {"air", "drone"} or ("aircraft" in c and c & {"attack", "kill", "wound", "explosion", "shell"}):
        return "Explosions/Remote violence", "Air/drone strike"
    if "shell" in c or ("artillery" in c and c & {"attack", "kill", "wound", "explosion"}):
        return "Explosions/Remote violence", "Shelling/artillery/missile attack"
    by_weapon = remote_weapon_type(e)
    if by_weapon is not None:
        return "Explosions/Remote violence", by_weapon
    if c & {"ied", "explosion"}:
        return "Explosions/Remote violence", "Remote explosive/landmine/IED"
    if "grenade" in c:
        return "Explosions/Remote violence", "Grenade"
    if "abduction" in c and not (c & KILL):
        return "Violence against civilians", "Abduction/forced disappearance"
    if not c & GROUND_CLASSES and strikes_from_afar(e.attackers) and not civilians_only:
        # no means named: a force that strikes Syria from the air (actors.tsv, "afar"; its fire on civilians may be
        # gunfire: the Gaza border protests)
        return "Explosions/Remote violence", "Air/drone strike"
    if civilians_only:
        return "Violence against civilians", "Attack"
    return "Battles", "Armed clash"


class Evidence:
    """The evidence list of one record: each span once per field, in the order added."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._seen: set[tuple[str, int, int, str]] = set()

    def add(self, part: Part, start: int, end: int, field_name: str) -> None:
        key = (part.name, start, end, field_name)
        if key in self._seen or end <= start:
            return
        self._seen.add(key)
        self.items.append(part.evidence(start, end, field_name))


def ordered(items: Any) -> list[str]:
    """The distinct items in the order first seen."""
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def date_fields(e: Incident, doc: Document, ev: Evidence) -> dict[str, Any]:
    """date, its precision, window and time of day: the incident's own, else the reporting week."""
    date = e.date
    out: dict[str, Any] = {"date": None, "date_precision": "unknown", "date_window": None, "time_of_day": None}
    window = None
    if date and date.date:
        out["date"], out["date_precision"] = date.date.isoformat(), date.precision
        window = date.window
        out["time_of_day"] = date.part_of_day
        for m in e.body:
            if m.date is date and m.date_span:
                ev.add(m.part, *m.date_span, "date")
                break
    elif doc.reference_date is not None and not e.first.retold:
        # no day in the text: the incident happened within the reporting week (an earlier one recalled
        # without its day, "وكانت اسرائيل قد شنت ضربات مماثلة", happened at a time the text does not fix)
        out["date"], out["date_precision"] = doc.reference_date.isoformat(), "week"
        window = (doc.reference_date - dt.timedelta(days=UNDATED_DAYS), doc.reference_date)
    out["date_window"] = [window[0].isoformat(), window[1].isoformat()] if window else None
    return out




def from_afar(m: Mention) -> bool:
    """A strike from afar: its trigger says so, or an attack told with a weapon of remote fire ("استهدفت مسيرة")."""
    return is_strike(m.classes) or bool(m.classes & {"attack"} and {w for w, _h in m.weapons} & REMOTE_WEAPONS)


def article_strikers(mentions: Sequence[Mention]) -> set[str]:
    """The attackers the article names for its strikes from afar (air, missiles, shelling, blasts)."""
    return {a for m in mentions if from_afar(m) for a in m.attackers
            if a != UNKNOWN_ACTOR and a not in m.hedged}


def actor_fields(e: Incident, dyads: dict[str, set[str]], ev: Evidence, warnings: list[str],
                 strikers: set[str] = frozenset()) -> dict[str, Any]:
    """actor1 (the attacker) and actor2 (the first hit), their associates, their words and units.
    An incident told without its attacker takes the one the article names against the same victims
    (`dyads`), or, for a strike from afar, the one party the article names for its strikes (`strikers`):
    a passive report ("استهدفت صواريخ مطار X") keeps the article's attacker where it is unambiguous. A strike told
    without its target takes the one party the article names as hit by the same attacker."""
    attackers, victims = e.attackers, e.victims
    # of several attackers, the one named in the sentences that tell the losses first
    lossy = ordered(a for m in e.body if m.claims for a in m.attackers if a in attackers)
    if lossy and lossy[0] != attackers[0]:
        attackers = lossy + [a for a in attackers if a not in lossy]
        victims = [v for v in e.victims if v != attackers[0]]
    if not attackers and victims:
        known = {a for v in victims for a in dyads.get(v, ())} - set(victims)
        if len(known) == 1:
            attackers = [known.pop()]
            warnings.append(f"actor1 not named for this incident; taken from the rest of the article ({attackers[0]})")
    if not attackers and any(from_afar(m) for m in e.body):  # (armed men named but not identified stay so)
        known = set(strikers) - set(victims)
        if len(known) == 1:
            attackers = [known.pop()]
            warnings.append(f"actor1 not named for this strike; the one the article names for its strikes ({attackers[0]})")
    if not attackers and len([v for v in victims if v != "Civilians"]) >= 2 and not (e.classes & REMOTE):
        attackers = [victims[0]]  # a fight between two named sides, losses on both: the first named is actor1
    if not attackers:
        attackers = [UNKNOWN_ACTOR]
    if not victims and attackers[0] != UNKNOWN_ACTOR and any(from_afar(m) for m in e.body):
        # a strike told without its target: the one party the article names as hit by the same attacker
        hit = {v for v, atts in dyads.items() if attackers[0] in atts} - set(attackers)
        if len(hit) == 1:
            victims = [hit.pop()]
            warnings.append(f"actor2 not named for this strike; the one the article names as hit by {attackers[0]} ({victims[0]})")
    victims = [v for v in victims if v != attackers[0]]
    actor1 = attackers[0]
    actor2 = victims[0] if victims else None
    surface: dict[str, list[str]] = {}
    units: list[str] = []
    for m in e.body:
        for a in m.actors:
            words = surface.setdefault(a.name, [])
            w = m.part.original_words(a.start, a.end)
            if w not in words:
                words.append(w)
            if a.name in (actor1, actor2):
                ev.add(m.part, a.start, a.end, "actor1" if a.name == actor1 else "actor2")
            if a.unit and a.unit not in units:
                units.append(a.unit)
    return {"actor1": actor1, "assoc_actor_1": [a for a in attackers[1:] if a != actor2], "inter1": inter_code(actor1),
            "actor2": actor2, "assoc_actor_2": list(victims[1:]), "inter2": inter_code(actor2),
            "actor_surface": surface, "units": units}


def location_fields(e: Incident, ev: Evidence, warnings: list[str]) -> dict[str, Any]:
    """The place the text names for the incident and its governorate (the text's; geocoding may refine it)."""
    loc = e.location
    location = None
    admin1 = e.admin1
    if loc is not None:
        p, _a1, m = loc
        location = m.part.original_words(p.start, p.end).strip(PLACE_TRIM)
        ev.add(m.part, p.start, p.end, "location")
    if admin1 is None:
        admin1 = next((m.context_admin1 for m in e.body if m.context_admin1), None)
        if admin1 is not None:
            warnings.append("governorate not named in the sentence; taken from the preceding text")
    # the country its own sentences put it in, Syria when any of them does (None: they name no country and no
    # governorate; run.py decides)
    country = country_of([p for m in e.mentions for p in m.places])
    return {"location": location, "admin1": admin1, "country": country}


def figure_fields(e: Incident, ev: Evidence, warnings: list[str]) -> dict[str, Any]:
    """Killed and wounded (low / best / high over the body's claims), every claim, weapons and victims."""
    all_claims = [(c, m.part) for m in e.mentions for c in m.claims]
    body_claims = [(c, m.part) for m in e.body for c in m.claims] or all_claims
    fat = combine([c for c, _p in body_claims if c.kind == "fatalities"])
    wnd = combine([c for c, _p in body_claims if c.kind == "wounded"])
    for c, part in body_claims:
        ev.add(part, c.start, c.end, c.kind)
    weapons = ordered(w for m in e.body for w, _h in m.weapons)
    for m in e.body:
        for _w, h in m.weapons:
            ev.add(m.part, h.core_start, h.end, "weapons")
    kinds = e.victim_kinds
    if any(m.uncertain for m in e.body):
        warnings.append("reported with hedging (believed / reports of): treat as unconfirmed")
    if fat and fat["best"] is None and fat["low"] is not None:
        warnings.append("fatalities given without a figure; low bound only")
    return {"fatalities": fat, "wounded": wnd, "fatalities_acled": (fat or {}).get("low") or 0,
            "claims": unique_claims(all_claims),
            "victims": "mixed" if len(kinds) > 1 else (next(iter(kinds)) if kinds else "unknown"),
            "weapons": weapons, "civilian_targeting": "Civilian targeting" if "civilians" in kinds else ""}


_GEO_FIELDS = ("admin1_ar", "admin2", "admin2_ar", "admin3", "admin3_ar", "lat", "lon", "geo_precision",
               "place_name_ar", "place_name_en", "place_kind", "pcode", "geonames_id")


def rules_fired(e: Incident) -> list[str]:
    """The named rules that made the incident, in the order they first fired: for each of its mentions the
    filter rule that kept its clause (filters.why_kept), the split of a clause over several governorates or sites
    (mentions.per_governorate, per_site), and how it went into the incident (incidents.JOIN_RULES)."""
    fired = []
    for m in e.mentions:
        fired += [m.kept_by, "per_governorate" if m.only_admin1 else "", "per_site" if m.site_of else "", m.joined_by]
    return ordered(r for r in fired if r)


def event_record(e: Incident, doc: Document, dyads: dict[str, set[str]], strikers: set[str] = frozenset()) -> dict[str, Any]:
    """The record of one incident; `dyads` (victim -> attackers the article names against it) and `strikers`
    (the attackers of the article's strikes, `article_strikers`) name an attacker the incident's own
    sentences leave out."""
    ev_type, sub = classify(e)
    ev = Evidence()
    for m in e.mentions:
        ev.add(m.part, *(m.told or (m.start, m.end)), "event")
    warnings: list[str] = []
    when = date_fields(e, doc, ev)
    who = actor_fields(e, dyads, ev, warnings, strikers)
    where = location_fields(e, ev, warnings)
    what = figure_fields(e, ev, warnings)
    rec: dict[str, Any] = {**when, "event_type": ev_type, "sub_event_type": sub, "disorder_type": EVENT_TYPES[ev_type]}
    for k in ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "actor_surface"):
        rec[k] = who[k]
    rec.update(where)
    rec.update(dict.fromkeys(_GEO_FIELDS))
    for k in ("fatalities", "wounded", "fatalities_acled", "claims", "victims", "weapons"):
        rec[k] = what[k]
    rec["units"] = who["units"]
    rec["civilian_targeting"] = what["civilian_targeting"]
    rec["evidence"] = ev.items
    rec["warnings"] = warnings
    rec["rules"] = rules_fired(e)
    # the sentence that first told it recalls it ("وكانت دمشق قد اتهمت ..."); later ones only add detail
    rec["retold"] = e.first.retold
    return rec


def statistic(doc: Document, part: Part, s: Sentence, claimant: Claimant | None, default_org: str | None,
              sent_dates: list[tuple[dates_mod.DateExpr, bool]]) -> dict[str, Any] | None:
    """The statistic of a tally sentence: its counts (each with the party counted), its period and claimant;
    None when it gives no figure."""
    text = part.ntext
    counts = []
    acts = find_actors(text, s.start, s.end, default_org)
    for q in find_quantities(text[s.start : s.end], part.duals, s.start):
        if q.best is None and q.low is None:
            continue
        q_start, q_end = q.start + s.start, q.end + s.start
        ev = part.evidence(q_start, q_end, "count")
        # the party counted: an actor named right after the figure ("1339 قتيلا من قوات السلطة")
        party = next((a.name for a in acts if q_end <= a.start <= q_end + PARTY_AFTER_FIGURE), None)
        counts.append({"value": q.best if q.best is not None else q.low, "qualifier": q.qualifier,
                       "category": q.noun, "party": party, "text": ev["text"], "start": ev["start"],
                       "end": ev["end"], **({"in": ev["in"]} if "in" in ev else {})})
    if not counts:  # attacks counted in times ("استهدف المطار 4 مرات")
        for n, t0, t1 in times_counted(text, s.start, s.end):
            ev = part.evidence(t0, t1, "count")
            counts.append({"value": n, "qualifier": None, "category": "times", "party": None, "text": ev["text"],
                           "start": ev["start"], "end": ev["end"], **({"in": ev["in"]} if "in" in ev else {})})
    if not counts:
        return None
    period_start = None
    for d, _rep in sent_dates:
        r = dates_mod.resolve(d, doc.reference_date, doc.years)
        if r.date:
            period_start = r.date.isoformat()
            break
    return {
        "period_start": period_start,
        "period_end": doc.reference_date.isoformat() if doc.reference_date else None,
        "counts": counts,
        "claimant": claimant.name if claimant else (doc.source.source or "outlet"),
        "claimant_type": claimant.type if claimant else "outlet",
        "evidence": [part.evidence(s.start, s.end, "statistic")],
    }


def record(doc: Document) -> dict[str, Any]:
    """The output record of a document: its events, statistics and warnings."""
    src = doc.source
    return {
        "doc": src.doc,
        "url": src.url,
        "source": src.source,
        "title": src.title,
        "published": src.published.isoformat() if src.published else None,
        "reference_date": doc.reference_date.isoformat() if doc.reference_date else None,
        "reference_basis": doc.reference_basis,
        "events": doc.events,
        "statistics": doc.statistics,
        "warnings": doc.warnings,
    }


__all__ = ["EVENT_TYPES", "article_strikers", "classify", "event_record", "record", "statistic"]
