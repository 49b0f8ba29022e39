"""Geocoding: find the places an event's sentences name, resolve them in the gazetteer, and give the
event a point, its admin hierarchy and ACLED's geo_precision.

Toponyms come from two sources. One is the place expressions of ``places.py``: descriptor names
("بلدة الرصافة", "حقل التيم النفطي") and governorates. The other is any gazetteer name found in the
sentence, with clitics allowed. Many village names are also common words (النصر، الحرية), so a bare
name counts only after a locative word (في، قرب، محيط، شمال …), after a descriptor, or when the place
is prominent.

Resolution of a name with several candidates (الرصافة is in Raqqa, Hama, Idleb and Aleppo) scores
each candidate by:
- whether its governorate is named in the clause, the sentence or the document;
- whether its kind agrees with the descriptor (حقل → oil/gas field, مطار → airbase, جبل → mountain);
- its closeness to the other places of the document;
- its prominence.

A near tie between governorates is reported in `warnings`.

geo_precision follows ACLED:
- 1: the named place itself.
- 2: near it, part of it, a district-sized area, or the countryside of a town.
- 3: only a governorate or a large region.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from rasad.gazetteer import ADMIN1, Gazetteer, Place, admin1_name, km, name_key
from rasad.lang.lexicon import governorate_matcher, read_rows
from rasad.lang.patterns import (
    ADJECTIVE_LOOKALIKES,
    ARTICLE,
    BI,
    CAPITAL,
    DEFINITE_NOUN_BEFORE,
    LAM,
    LIST_SEPARATOR,
    LOCATIVE_BEFORE,
    PLACE_AS_WRITTEN_EDGES,
    PLACE_RELATION,
    PROCLITIC_LETTERS,
    SITE_ADJECTIVE_END,
    word_list,
)
from rasad.pipeline.annotate.places import (
    PLACE_BEFORE,
    PlaceMention,
    elsewhere,
    in_spans,
    names_government,
    not_place_spans,
)

# common nouns that gazetteers also list as names ("المدينة" is a village in al-Hasakeh), and words of injury
_GENERIC = frozenset(word_list("generic_place_nouns"))
_NAME_OPENERS = frozenset(name_key(w) for w in word_list("place_name_openers"))  # "خربة", "تل", "عين" ...

_DESCRIPTOR_KINDS = {
    "oil_gas_field": {"oil_gas_field"},
    "airport_airbase": {"airport_airbase", "military_site"},
    "mountain": {"mountain"},
    "desert_region": {"desert_region", "populated_place", "area"},
    "populated_place": {"populated_place", "neighbourhood", "admin3", "admin2"},
    "neighbourhood": {"neighbourhood", "populated_place"},
    "dam": {"dam", "lake"},
    "river": {"river"},
    "border_crossing": {"border_crossing"},
    "road": {"road"},
    "military_site": {"military_site", "airport_airbase"},
    "camp": {"populated_place", "neighbourhood"},
    "area": {"area", "populated_place", "desert_region", "admin3"},
    "countryside": {"populated_place", "admin2", "admin3"},
}
# the first word each kind of site is introduced with (data/place_descriptors.tsv): "مطار" for airports
_SITE_WORD = {r[1]: r[0] for r in reversed(list(read_rows("place_descriptors.tsv", 3)))
              if r[1] in ("airport_airbase", "military_site", "oil_gas_field", "dam", "border_crossing")}
WIDE = {"mountain", "desert_region", "road", "river", "area", "lake", "admin1", "admin2", "region", "country"}
_KIND_RANK = {"neighbourhood": 7, "populated_place": 6, "oil_gas_field": 6, "airport_airbase": 6, "military_site": 6,
              "dam": 6, "border_crossing": 6, "admin3": 5, "mountain": 4, "road": 4, "area": 4, "desert_region": 3,
              "river": 3, "lake": 3, "admin2": 3, "admin1": 1}
PROMINENT_POPULATION = 20000
KM_PER_DEGREE = 111.2  # of latitude
CAPITAL_CITY, CAPITAL_SURROUNDS = "Damascus", "Rural Damascus"  # the capital is a governorate of its own
# place expressions that name a governorate, a region, or the countryside or desert of one: an area, not a site
_GOVERNORATE_AREAS = frozenset({"countryside", "desert_region", "admin1", "region"})
MAX_POINTS = 4  # a name with more gazetteer candidates than this does not tell one place from another
COUNTRYSIDE_KM = 15.0  # "ريف حلب الغربي": this far from the governorate's city on the side the text names
# the side of a city its countryside lies on (data/countryside_directions.tsv): normalised adjective -> bearing
_SIDES = {name_key(r[0]): float(r[1]) for r in read_rows("countryside_directions.tsv", 2)}


@dataclass(slots=True)
class Toponym:
    """A place name in an event's text, with its gazetteer candidates."""

    start: int
    end: int
    key: str
    part: Any
    clause: tuple[int, int]
    sentence: tuple[int, int]
    descriptor_kind: str | None = None
    relation: str | None = None
    rank: int = 0
    candidates: list[Place] | None = None


class Geocoder:
    def __init__(self, gazetteer: Gazetteer) -> None:
        import ahocorasick

        self.gaz = gazetteer
        auto = ahocorasick.Automaton()
        for key in gazetteer.arabic_keys():
            if len(key) < 3:
                continue
            auto.add_word(key, (key, len(key)))
            if key.startswith(ARTICLE) and len(key) > 4:
                variant = LAM + key[2:]  # "للرقه": the article's lam after a clitic lam
                if variant not in auto:
                    auto.add_word(variant, (key, len(variant)))
        auto.make_automaton()
        self.auto = auto
        self.admin1_places = {p.admin1_en: p for p in gazetteer.places.values() if p.kind == "admin1"}
        self.seats = governorate_cities(gazetteer)
        self._doc_govs: tuple[Any, dict[str, int]] = (None, {})  # the last document's governorates (apply)

    # -- recognition ---------------------------------------------------------------------------

    def toponyms_in(self, text: str, start: int, end: int) -> list[tuple[int, int, int, str]]:
        """Gazetteer names in text[start:end] on word boundaries (clitics allowed), longest first, as
        (start of the clitics, start of the name, end, key)."""
        found: list[tuple[int, int, int, str]] = []
        if end <= start:
            return found
        for last, (key, length) in self.auto.iter(text, start, end):
            e = last + 1
            s = e - length
            if e < len(text) and (text[e].isalnum() or text[e] == "_"):
                continue
            b = s
            while b > start and text[b - 1] in PROCLITIC_LETTERS and s - b < 3:
                b -= 1
            if b > 0 and (text[b - 1].isalnum() or text[b - 1] == "_"):
                continue
            found.append((b, s, e, key))
        found.sort(key=lambda t: (t[1], -(t[2] - t[1])))
        out: list[tuple[int, int, int, str]] = []
        for t in found:
            if out and t[1] < out[-1][2]:
                if t[2] - t[1] > out[-1][2] - out[-1][1] and t[1] == out[-1][1]:
                    out[-1] = t
                continue
            out.append(t)
        return out

    def event_toponyms(self, mentions: list[Any]) -> list[Toponym]:
        tops: list[Toponym] = []
        for m in mentions:
            found = getattr(m, "toponyms", None)  # found once, when the assembler asked (mention_points)
            if found is None:
                found = self._mention_toponyms(m)
            only = getattr(m, "only_admin1", None)  # one governorate's share of a strike told over several
            if only:
                for t in found:
                    # (a site named after the capital lies around it: "مطاري دمشق وحلب")
                    around = CAPITAL_SURROUNDS if only == CAPITAL_CITY and t.descriptor_kind else only
                    inside = [c for c in t.candidates or [] if c.admin1_en in (only, around)]
                    if inside:
                        tops.append(replace(t, candidates=inside))
                continue
            tops.extend(found)
        return tops

    def _mention_toponyms(self, m: Any) -> list[Toponym]:
        tops: list[Toponym] = []
        text = m.part.ntext
        clause = (m.start, m.end)
        sentence = (m.sent.start, m.sent.end)
        covered: list[tuple[int, int]] = [(p.start, p.end) for p in m.places]
        covered += not_place_spans(text, m.start, m.end)  # "مراسل الميادين", "حرس الثورة"
        if m.claimant is not None and m.claimant.start >= 0:
            covered.append((m.claimant.start, m.claimant.end))  # "شبكة الخابور المحلية" names a source
        for p in m.places:
            if p.destination or p.kind == "country":
                continue
            t = self._from_place_mention(p, m.part, clause, sentence)
            if t is not None:
                tops.append(t)
                covered.append((p.start, p.end))
        for b, s, e, key in self.toponyms_in(text, m.start, m.end):
            if in_spans(s, covered):
                continue
            if key in _GENERIC or (key.startswith(ARTICLE) and key[2:] in _GENERIC):
                continue  # "المدينة", "المنطقة": a place already named, not a name
            if key == CAPITAL and names_government(text, s, e, m.start, m.end):
                continue  # "إعلان دمشق": the government
            cands = [self.gaz.places[i] for i in self.gaz.by_key.get(key, [])]
            prominent = any(c.population >= PROMINENT_POPULATION or c.source in ("rasad_supplement", "rasad_admin1")
                            or c.kind in ("admin1", "admin2", "oil_gas_field", "airport_airbase") for c in cands)
            locative = BI in text[b:s] or LOCATIVE_BEFORE.search(text[max(0, b - 16) : b])  # "بالميادين"
            if key in ADJECTIVE_LOOKALIKES and b == s and not locative and DEFINITE_NOUN_BEFORE.search(text, max(0, b - 20), b):
                continue  # "الاحتجاجات السلمية": the adjective, not Salamiyah
            if not prominent and not locative:
                continue
            before = text[max(0, s - PLACE_BEFORE) : s]
            if elsewhere(before):
                continue  # destinations and origins
            m_rel = PLACE_RELATION.search(text[max(0, b - 40) : b])  # "قرب", "شمال", "على بعد 5 كم من"
            rel = m_rel.group().strip() if m_rel else None
            ranks = [_KIND_RANK.get(c.kind, 5) for c in cands]
            tops.append(Toponym(s, e, key, m.part, clause, sentence, relation=rel, rank=max(ranks) if ranks else 0,
                                candidates=cands))
        return tops

    def _from_place_mention(self, p: PlaceMention, part: Any, clause: tuple[int, int],
                            sentence: tuple[int, int]) -> Toponym | None:
        text = part.ntext
        names = [text[p.start : p.end], p.name]
        if p.admin1 and p.kind in _SITE_WORD:
            # a site named after a governorate's city, as the gazetteer lists it with the singular word:
            # "مطاري دمشق وحلب" -> "مطار دمشق"
            names.insert(1, f"{_SITE_WORD[p.kind]} {p.name}")
        if p.kind in ("countryside", "desert_region", "admin1") and p.admin1:
            names = [p.name]
        cands: list[Place] = []
        for nm in names:
            for key in (name_key(nm), name_key(SITE_ADJECTIVE_END.sub("", nm))):
                for pid in self.gaz.by_key.get(key, []):
                    pl = self.gaz.places[pid]
                    if pl not in cands:
                        cands.append(pl)
            if cands:
                break
        if not cands and p.kind not in _GOVERNORATE_AREAS:
            # names are written with and without the article: "قاعدة تيفور", "مطار التيفور"
            bare = name_key(p.name)
            other = bare[2:] if bare.startswith(ARTICLE) and len(bare) > 4 else ARTICLE + bare
            cands = [self.gaz.places[i] for i in self.gaz.by_key.get(other, [])]
        if not cands and p.kind not in _GOVERNORATE_AREAS and p.kind != "road":
            # the name read too far ("مطار التيفور ووسائط دفاعنا"): its longest opening words that name a place
            words = name_key(p.name).split(" ")
            for k in range(len(words) - 1, 0, -1):
                if k == 1 and name_key(words[0]) in _NAME_OPENERS:
                    break  # "قرية خربة خوي": "خربة" alone is no place
                cands = [self.gaz.places[i] for i in self.gaz.by_key.get(" ".join(words[:k]), [])]
                if cands:
                    break
        # a region of one governorate that the gazetteer knows: "جبل الزاوية" (its mountain); an area a governorate
        # is also called after ("الغوطة الشرقية", "القلمون" for Rural Damascus) is that area, not the governorate
        alias = p.kind == "admin1" and admin1_name(p.name) is None
        own = [c for c in cands if c.admin1_en == p.admin1 and c.kind != "admin1"] if p.kind == "region" or alias else []
        if own:
            cands = own
        elif p.admin1 and p.kind in _GOVERNORATE_AREAS:
            a1 = self.admin1_places.get(p.admin1)
            cands = [a1] if a1 else cands
        if not cands and not p.admin1:
            return None
        return Toponym(p.start, p.end, name_key(p.name), part, clause, sentence, descriptor_kind=p.kind,
                       relation=p.relation, rank=p.rank, candidates=cands)

    def _countryside_side(self, rec: dict[str, Any], t: Toponym, place: Place) -> None:
        """ "ريف حلب الغربي" lies on that side of the city of Aleppo: its point is COUNTRYSIDE_KM from the city on
        that bearing (from the governorate's point when the gazetteer lacks the city), not the governorate's centroid."""
        words = t.part.ntext[t.start : t.end].split()
        side = next((_SIDES[k] for n in (2, 1) if len(words) > n and (k := " ".join(words[-n:])) in _SIDES), None)
        city = self.seats.get(admin1_name(place.admin1_en) or "", place)
        if side is None or city.lat is None or city.lon is None:
            return
        rad = math.radians(side)
        dlat = COUNTRYSIDE_KM * math.cos(rad) / KM_PER_DEGREE
        dlon = COUNTRYSIDE_KM * math.sin(rad) / (KM_PER_DEGREE * math.cos(math.radians(city.lat)))
        rec["lat"], rec["lon"] = round(city.lat + dlat, 5), round(city.lon + dlon, 5)

    def mention_points(self, m: Any) -> dict[str, tuple[tuple[float, float, str | None], ...]]:
        """Where the places one mention names may lie: for each toponym the clause ties to the incident
        (as event_toponyms finds them), (lat, lon, governorate) of its point-like gazetteer candidates;
        none for a name the gazetteer lacks, or one so common that it names many places."""
        out: dict[str, tuple[tuple[float, float, str | None], ...]] = {}
        m.toponyms = self._mention_toponyms(m)  # kept: geocoding the event reads them again
        for t in self.event_toponyms([m]):
            cands = [c for c in t.candidates if c.kind not in WIDE and c.lat is not None and c.lon is not None]
            if t.descriptor_kind in _GOVERNORATE_AREAS or len(t.candidates) > MAX_POINTS:
                cands = []
            if cands or t.key not in out:  # (the city's outskirts, then its governorate: the points stay)
                out[t.key] = tuple((c.lat, c.lon, c.admin1_en) for c in cands)  # type: ignore[misc]
        return out

    # -- resolution ------------------------------------------------------------------------------

    @staticmethod
    def score(t: Toponym, c: Place, clause_govs: set[str], sentence_govs: set[str], doc_govs: dict[str, int],
              anchors: list[Place]) -> float:
        s = 0.0
        if c.admin1_en in clause_govs:
            s += 4
        elif c.admin1_en in sentence_govs:
            s += 2.5
        total = sum(doc_govs.values())
        if total and c.admin1_en in doc_govs:
            s += 2.0 * doc_govs[c.admin1_en] / total
        if t.descriptor_kind and c.kind in _DESCRIPTOR_KINDS.get(t.descriptor_kind, set()):
            s += 2
        s += min(3.0, math.log10(c.population + 1) / 2) + seat_bonus(c)
        if c.source in ("rasad_supplement", "manual_approx"):
            s += 0.5
        near = [km(c, a) for a in anchors if a is not c]
        if near:
            d = min(near)
            s += 2 if d < 30 else 1 if d < 80 else 0
        return s

    def apply(self, rec: dict[str, Any], event: Any, doc: Any, text_admin1: str | None = None) -> None:
        """Fill the geographic fields of one event record; `text_admin1` is the governorate the text names
        for the event (a place spanning governorates takes it)."""
        body = event.body
        tops = self.event_toponyms(body)
        heads = [m for m in event.mentions if m.role != "body"]
        if heads and body is not event.mentions and not any(
                c.kind not in WIDE for t in tops for c in t.candidates):
            # the body names only areas ("قاعدة جوية بحمص"): the headline that joined it may name the site
            tops += self.event_toponyms(heads)
        if self._doc_govs[0] is not doc:  # counted once per document, not once per event
            self._doc_govs = (doc, doc_governorates(doc))
        doc_govs = self._doc_govs[1]
        anchors: list[Place] = []
        resolved: list[tuple[Toponym, Place, float, float]] = []
        for t in tops:
            if not t.candidates:
                continue
            part = t.part
            clause_govs = {h.value for h in governorate_matcher().finditer(part.ntext, *t.clause)}
            sentence_govs = {h.value for h in governorate_matcher().finditer(part.ntext, *t.sentence)}
            cands = t.candidates
            if clause_govs:
                # the text puts it in a governorate: a namesake elsewhere is another place (a site the text
                # names after the capital lies in the governorate around the city: "مطار دمشق" is in Rif Dimashq)
                around = CAPITAL_CITY in clause_govs and t.descriptor_kind is not None
                allowed = clause_govs | ({CAPITAL_SURROUNDS} if around else set())
                inside = [c for c in cands if c.admin1_en in allowed or c.admin1_en is None]
                if not inside:
                    continue
                cands = inside
            scored = sorted(((self.score(t, c, clause_govs, sentence_govs, doc_govs, anchors), c) for c in cands),
                            key=lambda x: -x[0])
            best_score, best = scored[0]
            second = scored[1][0] if len(scored) > 1 and scored[1][1].admin1_en != best.admin1_en else -math.inf
            resolved.append((t, best, best_score, second))
            if best.kind not in WIDE:
                anchors.append(best)
        if not resolved:
            if rec.get("admin1"):
                a1 = self.admin1_places.get(rec["admin1"])
                if a1:
                    _fill(rec, a1, 3, None)
            return
        # the most specific place the text ties to the event: a point-like place over an area over a
        # governorate or region; among equals, a place without a relation word, then the one the event's sentences name most, then the first
        counts: dict[int, int] = {}
        for _t, p, _s, _2 in resolved:
            counts[p.id] = counts.get(p.id, 0) + 1

        def specificity(x: tuple[Toponym, Place, float, float]) -> tuple[int, bool, int, int]:
            t, p = x[0], x[1]
            # a site named as the scene beats a town the scene is "near" ("قرب مدينة حمص")
            return (_bucket(t, p), not t.relation, counts[p.id], -t.start)

        t, place, sc, second = max(resolved, key=specificity)
        precision = 1
        if place.kind == "admin1" or t.descriptor_kind == "admin1" or (t.descriptor_kind == "region" and t.rank < 2):
            precision = 3
        elif place.kind in WIDE or t.relation or t.descriptor_kind in ("countryside", "desert_region", "area"):
            precision = 2
        written = t.part.original_words(t.start, t.end).strip(PLACE_AS_WRITTEN_EDGES)
        _fill(rec, place, precision, written)
        if t.descriptor_kind == "countryside" and place.kind == "admin1":
            self._countryside_side(rec, t, place)
        if place.kind in WIDE and place.kind != "admin1" and text_admin1 and text_admin1 != place.admin1_en:
            rec["admin1"] = text_admin1  # a mountain or desert spanning governorates: the text says which
            # (a governorate the text names as the place is its own governorate)
        ev = t.part.evidence(t.start, t.end, "location")
        rec["evidence"] = [e for e in rec["evidence"] if e["field"] != "location"] + [ev]
        if second > -math.inf and sc - second < 0.75:
            rec["warnings"].append(
                f"place {written!r} is ambiguous: {place.admin1_en} chosen over another governorate by a small margin")


def governorate_cities(gaz: Gazetteer) -> dict[str, Place]:
    """The city each governorate is named after ("حلب" in Aleppo), where the gazetteer lists it."""
    out: dict[str, Place] = {}
    for a1, (ar, _spellings) in ADMIN1.items():
        cities = [c for c in gaz.lookup(ar) if c.kind == "populated_place" and c.lat is not None
                  and admin1_name(c.admin1_en) == a1]
        if cities:
            out[a1] = max(cities, key=lambda c: (c.population, seat_bonus(c)))
    return out


def seat_bonus(c: Place) -> float:
    """Prominence without a population figure: the seat of a district or subdistrict shares its name."""
    bonus = 0.3 if c.geonames_id else 0.0
    names = {name_key(n) for n in (c.name_en, c.name_ar) if n}
    for level, weight in ((c.admin2_en, 1.5), (c.admin2_ar, 1.5), (c.admin3_en, 1.0), (c.admin3_ar, 1.0)):
        if level and (name_key(level) in names or any(n and n in name_key(level).split(" ") for n in names)):
            return bonus + weight
    return bonus


_POINTS = {"populated_place", "neighbourhood", "oil_gas_field", "airport_airbase", "military_site", "dam",
           "border_crossing", "landmark"}


def _bucket(t: Toponym, p: Place) -> int:
    if t.descriptor_kind == "region" and p.kind != "admin1":
        # "البادية", "شرق الفرات": a whole region; "جبل الزاوية", a region of one governorate, is an area in it
        return 2 if t.rank >= 2 else 0
    if p.kind == "admin1" or t.descriptor_kind in ("admin1", "region"):
        return 1
    if p.kind in _POINTS and t.descriptor_kind != "countryside":
        return 3
    if p.kind in ("desert_region", "area", "river", "lake") and (p.name_ar or "").startswith(ARTICLE) and " " in (p.name_ar or ""):
        return 0  # "البادية السورية": a whole region
    return 2


def _fill(rec: dict[str, Any], p: Place, precision: int, written: str | None) -> None:
    if written:
        rec["location"] = written
    rec.update({
        "place_name_ar": p.name_ar, "place_name_en": p.name_en, "place_kind": p.kind, "lat": p.lat, "lon": p.lon,
        "admin1": p.admin1_en or rec.get("admin1"), "admin1_ar": p.admin1_ar or (ADMIN1[p.admin1_en][0] if p.admin1_en in ADMIN1 else None),
        "admin2": p.admin2_en, "admin2_ar": p.admin2_ar, "admin3": p.admin3_en, "admin3_ar": p.admin3_ar,
        "pcode": p.pcode, "geonames_id": p.geonames_id, "geo_precision": precision,
    })


def doc_governorates(doc: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for part in doc.parts:
        for h in governorate_matcher().finditer(part.ntext):
            counts[h.value] = counts.get(h.value, 0) + 1
    return counts


def lookup_report(gaz: Gazetteer, name: str, context: str | None = None) -> list[dict[str, Any]]:
    """Candidates for NAME with their scores (for `rasad gazetteer lookup`), best first."""
    govs = {admin1_name(g) for g in LIST_SEPARATOR.split(context or "") if admin1_name(g.strip())}
    t = Toponym(0, 0, name_key(name), None, (0, 0), (0, 0))
    out = []
    for c in gaz.lookup(name):
        out.append({"score": round(Geocoder.score(t, c, govs, set(), {}, []), 2), **c.to_json()})
    return sorted(out, key=lambda d: -d["score"])
