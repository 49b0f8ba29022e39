"""Place expressions in Arabic reports: governorates and descriptor-introduced names.

Recognised, on normalised text:

* governorate names, alone or qualified: "دير الزور", "ريف حلب الشرقي", "بادية حمص الشرقية",
  "محافظة الرقة", "مدينة الرقة" (with clitics: بريف، والرقة)
* a descriptor followed by a name of one to three words: "حقل التيم النفطي", "بلدة الرصافة",
  "منطقة الشجيري", "قرية حوايج ذيبان", "طريق حمص - دير الزور"
* the relation in front of a place: قرب، محيط، اطراف، جنوب/شمال/شرق/غرب(ي)، على بعد ... كم
* destinations ("في طريقهم الى دير الزور", "باتجاه حلب") are kept apart: they are not where the
  event happened.

Coordinated governorates ("محافظتي الرقة ودير الزور", "باديتي دير الزور وحلب") mark a clause that
summarises several incidents.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter

from rasad.lang.lexicon import (
    Hit,
    actor_matcher,
    country_matcher,
    descriptor_matcher,
    governorate_matcher,
    nationality_forms,
    region_matcher,
    trigger_matcher,
    weapon_matcher,
)
from rasad.lang.patterns import (
    AROUND_CITY,
    ARTICLE,
    BI,
    BY_WAY_OF,
    CAPITAL_AS_GOVERNMENT,
    CAPITAL_BEFORE,
    CLITIC_ARTICLES,
    CONJUNCTION,
    DAY_OF_MONTH,
    DESTINATION,
    DIRECTION_AFTER,
    DUAL_SECOND,
    NAME_NOT_PLACE,
    ORIGIN,
    PLACE_ADJECTIVE,
    PLACE_PLURAL,
    PLACE_RELATION,
    PLACE_WORD,
    PLACES_JOINED,
    PLACES_LISTED,
    REPORTER_BASE,
    ROAD,
    ROAD_OTHER_END,
    SCENE_BEFORE,
    SEVERAL_GOVERNORATES,
    SUBURB_OF,
    SYRIA,
    TIMED_BY_OTHER,
    word_list,
)

# (the words of place expressions are data: data/words/place_name_stops.txt, place_adjectives.txt,
# place_relations.txt, destination_words.txt, origin_words.txt ...; their patterns are in lang/patterns.py)
PLACE_BEFORE = 70  # how far before a place the words that make it no scene may stand
MEANS_PHRASE_AFTER = 30  # how far a phrase of violence or its means may go on after its first word
_STOP = frozenset(word_list("place_name_stops"))  # words that end a name read after a descriptor
_SUBURB = frozenset(word_list("suburb_descriptors"))  # "ضواحي", "ضاحية"
_DUAL = frozenset(word_list("dual_descriptors"))  # "two towns": two names joined by و


def elsewhere(before: str) -> bool:
    """True when the words before a place (up to PLACE_BEFORE characters) make it a destination or an origin, or
    the place of another incident the clause is timed by ("بعد ساعات على الغارة على مطار حلب"), not the scene."""
    return bool(DESTINATION.search(before) or ORIGIN.search(before) or TIMED_BY_OTHER.search(before))


def names_government(text: str, s: int, e: int, lo: int = 0, hi: int | None = None) -> bool:
    """The capital at text[s:e] stands for the government ("قالت دمشق", "إعلان دمشق"), not the place."""
    hi = len(text) if hi is None else hi
    return CAPITAL_AS_GOVERNMENT.search(text[max(lo, s - 25) : min(hi, e + 25)]) is not None


def government_not_place(text: str, g: Hit, lo: int = 0, hi: int | None = None) -> bool:
    """The governorate hit `g` is the capital standing for the government ("قالت دمشق", "موالين لدمشق")."""
    return g.value == "Damascus" and names_government(text, g.start, g.end, lo, hi)


def nationality(word: str) -> str | None:
    """The actor a nationality adjective ("السورية", "الإيراني") stands for; None for any other word."""
    return nationality_forms().get(word[2:] if word.startswith(ARTICLE) else word)


def _means_word(text: str, start: int, end: int) -> bool:
    """A word of violence or of its means ("بصواريخ", "وقصف", "بطائرتين مسيرتين": the phrase may go on after it)
    is the word [start, end): no part of a place's name."""
    limit = min(len(text), end + MEANS_PHRASE_AFTER)
    return any(m.start == start and m.end >= end
               for matcher in (trigger_matcher(), weapon_matcher()) for m in matcher.findall(text, start, limit))


@dataclass(slots=True)
class PlaceMention:
    start: int  # normalised span of the whole expression (descriptor included)
    end: int
    name: str  # normalised name, descriptor and article-less clitics removed
    kind: str
    rank: int  # specificity: higher is more precise
    admin1: str | None = None  # when the expression itself names a governorate
    relation: str | None = None  # "near", "north of" ... when a relation word precedes
    destination: bool = False
    country: str | None = None  # set for a country (or a place abroad) named as the place
    scene: bool = True  # a country or a place abroad with a word that makes it the scene ("في السودان")


@dataclass(slots=True)
class _Clause:
    """The text of one clause [start, end) and the governorates, regions and descriptors found in it."""

    text: str
    start: int
    end: int
    govs: list[Hit]
    gov_at: dict[int, Hit]
    region_at: dict[int, Hit]
    desc_at: dict[int, Hit]


def find_places(text: str, start: int, end: int) -> list[PlaceMention]:
    """Place expressions in text[start:end] in text order: regions and countries, descriptor phrases,
    governorates named alone; each marked with its relation word and whether it is a destination."""
    blocked = Spans(start, not_place_spans(text, start, end))
    govs = [h for h in governorate_matcher().finditer(text, start, end) if h.core_start not in blocked]
    regions = [h for h in region_matcher().finditer(text, start, end) if h.core_start not in blocked]
    out, used = _wide_places(text, start, end, regions, blocked)
    used.extend(blocked)
    descs = [d for d in descriptor_matcher().finditer(text, start, end) if d.start not in used]
    clause = _Clause(text, start, end, govs, {h.start: h for h in govs}, {h.start: h for h in regions},
                     {d.start: d for d in descs})
    gov_cores = {h.core_start for h in govs}
    inside: dict[int, PlaceMention] = {}  # offset -> the first place of `out` it lies strictly inside
    for p in out:
        _hold(inside, p)
    for d in descs:
        if d.core_start in gov_cores:
            continue  # "ريف دمشق" is a governorate's name, not the countryside of Damascus
        outer = inside.get(d.core_start)  # (a scan of `out` for each descriptor: quadratic over a whole text)
        if outer is not None:
            # "ريف مدينة حماة", "منطقة جبل الأربعين": the descriptor of a descriptor is part of the place read, not
            # another; a name it heads is as specific as it ("جبل الأربعين" is a mountain, whatever the area)
            if outer.admin1 is None and outer.kind not in ("countryside", "desert_region"):
                outer.rank = max(outer.rank, d.value[1])
            continue
        place = _descriptor_place(clause, d, used)
        if place is not None:
            out.append(place)
            _hold(inside, place)
            second = _dual_second(clause, d, place) if d.entry in _DUAL else None
            if second is not None:
                out.append(second)
                _hold(inside, second)
    _add_bare_governorates(clause, used, out)
    out.sort(key=lambda p: p.start)
    for p in out:
        before = text[max(start, p.start - PLACE_BEFORE) : p.start]
        if elsewhere(before):
            p.destination = True
        r = PLACE_RELATION.search(before)
        if r:
            p.relation = r.group().strip()
        if p.kind == "admin1" and AROUND_CITY.search(before):
            # "في محيط إدلب", "على أطراف دير الزور": the outskirts of the city that names the governorate
            p.kind, p.rank = "area", 4
    return out


def _hold(inside: dict[int, PlaceMention], p: PlaceMention) -> None:
    """p, just added to the places found, holds the offsets strictly inside it that no place before it holds."""
    for i in range(p.start + 1, p.end):
        inside.setdefault(i, p)


def not_place_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of text[start:end] whose place names name no place: dates, outlets ("مراسل الميادين", "مصادر للميادين"),
    organisations ("حرس الثورة"), armed groups rasad knows as actors ("المقاومة الإسلامية في العراق", "قوات سوريا
    الديمقراطية") and the base of a correspondent ("مراسلنا في حلب": the next name)."""
    spans = [(m.start(), m.end()) for m in NAME_NOT_PLACE.finditer(text, start, end)]
    spans += [(m.start(), m.end()) for m in DAY_OF_MONTH.finditer(text, start, end)]  # "25 تشرين الأول"
    for h in actor_matcher().finditer(text, start, end):
        if " " in h.entry:  # a one-word actor ("إسرائيل") may also be the place
            spans.append((h.core_start, h.end))
    for m in REPORTER_BASE.finditer(text, start, end):
        spans.append((m.end(), _base_end(text, m.end(), end)))
    return spans


def _base_end(text: str, s: int, end: int) -> int:
    """The end of the place a correspondent's base names from `s`: a governorate's name, else one word."""
    for h in governorate_matcher().finditer(text, s, min(end, s + 40)):
        if h.start == s:
            return h.end
        break
    w = PLACE_WORD.match(text, s, end)
    return w.end() if w else s


def in_spans(i: int, spans: list[tuple[int, int]]) -> bool:
    """Offset i lies in one of the half-open spans [a, b)."""
    return any(a <= i < b for a, b in spans)


class Spans:
    """Half-open spans [a, b) of a text from offset `base` on (what lies before it is never covered), and whether
    an offset lies in one, in constant time: the offsets covered are marked, a byte a character. `in_spans` scans
    a list for each question, which over a clause of thousands of names is quadratic."""

    def __init__(self, base: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.base = base
        self._spans: list[tuple[int, int]] = []
        self._covered = bytearray()
        self.extend(spans)

    def append(self, span: tuple[int, int]) -> None:
        self._spans.append(span)
        a, b = max(span[0] - self.base, 0), span[1] - self.base
        if b > a:
            if b > len(self._covered):
                self._covered.extend(bytes(b - len(self._covered)))
            self._covered[a:b] = b"\x01" * (b - a)

    def extend(self, spans: Iterable[tuple[int, int]]) -> None:
        for span in spans:
            self.append(span)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self._spans)

    def __contains__(self, i: int) -> bool:
        k = i - self.base
        return 0 <= k < len(self._covered) and self._covered[k] == 1


def _wide_places(text: str, start: int, end: int, regions: list[Hit],
                 blocked: Spans) -> tuple[list[PlaceMention], Spans]:
    """Regions ("البادية السورية", "شرق الفرات") and countries named as the place, and the spans they take."""
    out: list[PlaceMention] = []
    used = Spans(start)
    for h in regions:
        out.append(PlaceMention(h.core_start, h.end, h.entry, "region", 2 if h.value else 1, admin1=h.value))
        used.append((h.start, h.end))
    for h in country_matcher().finditer(text, start, end):
        if h.start not in used and h.core_start not in blocked:
            before = text[max(start, h.start - 25) : h.start]
            # "في السودان", "بالعراق"; not "قالت موسكو", "الحدود مع العراق"
            scene = BI in text[h.start : h.core_start] or SCENE_BEFORE.search(before) is not None
            out.append(PlaceMention(h.core_start, h.end, h.entry, "country", 0, country=h.value, scene=scene))
            used.append((h.start, h.end))
    return out, used


def _descriptor_place(clause: _Clause, d: Hit, used: Spans) -> PlaceMention | None:
    """The place a descriptor introduces: a governorate it qualifies ("ريف دير الزور الغربي") or the name of one
    to three words after it ("بلدة الرصافة"); None when what follows is no place. Spans taken go to `used`."""
    text, end = clause.text, clause.end
    kind, rank = d.value
    if d.entry == ROAD and BY_WAY_OF.search(text[max(clause.start, d.start - 6) : d.start]):
        return None  # "عن طريق": by way of
    nxt = _skip_quotes(text, d.end, end)
    # a descriptor of a descriptor: "ريف محافظة دير الزور", "مطار مدينة دير الزور"
    inner = clause.desc_at.get(nxt)
    if inner is not None and inner.value[0] in ("admin1", "populated_place"):
        nxt = _skip_quotes(text, inner.end, end)
    if nxt in clause.region_at:
        return None  # "منطقة البادية السورية": the region itself
    cap = (SUBURB_OF if d.entry in _SUBURB else CAPITAL_BEFORE).match(text, nxt, end)
    if cap and cap.end() in clause.gov_at:
        nxt = cap.end()  # "ضواحي العاصمة دمشق"
    g = clause.gov_at.get(nxt)
    if g is not None and kind != "road":
        used.append((g.start, g.end))
        return _qualified_governorate(clause, d, g, kind, rank)
    return _named_place(clause, d, nxt, used)


def _dual_second(clause: _Clause, d: Hit, first: PlaceMention) -> PlaceMention | None:
    """The second name after a dual descriptor ("قريتي كفرنبل وحاس", "قاعدتي خراب الجير والمالكية"): a place of
    the same kind; None when a governorate (read as one already) or no name follows the و."""
    m = DUAL_SECOND.match(clause.text, first.end, clause.end)
    if m is None or m.end() in clause.gov_at or first.admin1:
        return None
    words, pos = _name_words(clause.text, d.entry, m.end(), clause.end)
    if not words or len(words[0]) < 2 or PLACE_ADJECTIVE.match(words[0]) or words[0].startswith(CLITIC_ARTICLES):
        return None
    name = " ".join(w for w in words if not PLACE_ADJECTIVE.match(w))
    return PlaceMention(m.end(), pos, name, first.kind, first.rank)


def _skip_quotes(text: str, i: int, end: int) -> int:
    while i < end and text[i] in ' "':
        i += 1
    return i


def _qualified_governorate(clause: _Clause, d: Hit, g: Hit, kind: str, rank: int) -> PlaceMention:
    """A descriptor before a governorate: "ريف دير الزور الغربي", "مدينة الرقة", "محافظة حمص", "ضواحي دمشق"."""
    e = g.end
    m = DIRECTION_AFTER.match(clause.text, e, clause.end)
    if m:
        e = m.end()
    if d.entry in _SUBURB:
        kind = "countryside"
    if kind in ("countryside", "desert_region", "admin1"):
        rank = {"countryside": 2, "desert_region": 3, "admin1": 1}[kind]
    admin1 = g.value
    if admin1 == "Damascus" and kind == "countryside":
        admin1 = "Rural Damascus"  # the capital's governorate is the city: its suburbs, its countryside lie in Rif Dimashq
    return PlaceMention(d.core_start, e, g.entry, kind, rank, admin1=admin1)


def _named_place(clause: _Clause, d: Hit, nxt: int, used: Spans) -> PlaceMention | None:
    """The name after a descriptor ("بلدة الرصافة", "حقل التيم النفطي", "طريق حمص - دير الزور"), or None
    when the words after it are no name (an adjective, a preposition)."""
    kind, rank = d.value
    words, pos = _name_words(clause.text, d.entry, nxt, clause.end)
    if not words or len(words[0]) < 2 or words[0][0].isdigit() or PLACE_ADJECTIVE.match(words[0]):
        return None  # "قاعدة جوية قرب حمص": an adjective, no name
    if words[0].startswith(CLITIC_ARTICLES):
        return None  # "حاجز بالميادين": a preposition follows the noun, not a name
    name = " ".join(w for w in words if not PLACE_ADJECTIVE.match(w))
    admin1 = None
    if kind in ("countryside", "desert_region"):
        rank = 4  # the countryside or desert of a town: "بادية الرصافة", "ريف السخنة"
    if kind == "road":
        name, pos, admin1 = _road(clause, name, nxt, pos, used)
    return PlaceMention(d.core_start, pos, name, kind, rank, admin1=admin1)


def _name_words(text: str, descriptor: str, nxt: int, end: int) -> tuple[list[str], int]:
    """The words of the name that starts at `nxt` (at most three) and where it ends."""
    words: list[str] = []
    pos = nxt
    for w in PLACE_WORD.finditer(text, nxt, min(end, nxt + 60)):
        if text[pos : w.start()].strip(' "'):
            break  # punctuation between words ends the name
        tok = w.group()
        if tok in _STOP or (tok[:1] == CONJUNCTION and tok[1:] in _STOP) or (words and descriptor_matcher().search(tok)):
            break  # (a stop word with the conjunction: "قرية X وفي الميادين")
        if words and descriptor in _DUAL and tok[:1] == CONJUNCTION:
            break  # "قريتي كفرنبل وحاس": two places, the first named here
        if not words and _means_word(text, w.start(), w.end()):
            break  # "وأدى القصف" (normalised as "وادي القصف"), "حي الغارات": a word of violence is no name
        if words and (tok.startswith(CLITIC_ARTICLES) or _means_word(text, w.start(), w.end()) or nationality(tok)):
            # "كفرنبل بالصواريخ", "التيفور ووسائط دفاعنا", "دوما السورية": a new phrase or an
            # adjective, not the name going on
            break
        if words and PLACE_ADJECTIVE.match(tok):
            words.append(tok)
            pos = w.end()
            break
        words.append(tok)
        pos = w.end()
        if len(words) >= 3:
            break
    return words, pos


def _road(clause: _Clause, name: str, nxt: int, pos: int, used: Spans) -> tuple[str, int, str | None]:
    """A road or axis between two places: "طريق حمص - دير الزور" (name, end, governorate); its governorate is
    known only when both ends lie in one."""
    admin1 = None
    m = ROAD_OTHER_END.match(clause.text[pos : clause.end])
    start_of = attrgetter("start")  # clause.govs are in text order: the ends found by bisection, not by a scan
    ends = clause.govs[bisect_left(clause.govs, nxt, key=start_of):
                       bisect_left(clause.govs, pos + (m.end() if m else 0) + 1, key=start_of)]
    if m:
        name = f"{name} - {m.group(1)}"
        pos += m.end()
    if ends and len({h.value for h in ends}) == 1 and m:
        admin1 = ends[0].value
    used.extend((h.start, h.end) for h in ends)
    return name, pos, admin1


def _add_bare_governorates(clause: _Clause, used: Spans, out: list[PlaceMention]) -> None:
    """Governorates named alone ("في دير الزور الغربي"), unless part of a place already found or the capital
    standing for the government ("قالت دمشق")."""
    text = clause.text
    found = Spans(clause.start, ((p.start, p.end) for p in out))
    for g in clause.govs:
        if g.start in used or g.start in found:
            continue
        if government_not_place(text, g, clause.start, clause.end):
            continue  # "قالت دمشق", "حكومة دمشق": the government, not the place
        e = g.end
        m = DIRECTION_AFTER.match(text, e, clause.end)
        if m:
            e = m.end()
        out.append(PlaceMention(g.core_start, e, g.entry, "admin1", 1, admin1=g.value))
        found.append((g.core_start, e))


def admin1_of(places: list[PlaceMention]) -> list[str]:
    """Governorates named by non-destination place expressions, in order."""
    seen: list[str] = []
    for p in places:
        if p.admin1 and not p.destination and p.admin1 not in seen:
            seen.append(p.admin1)
    return seen


def is_multi_governorate(text: str, start: int, end: int, places: list[PlaceMention]) -> bool:
    """True when the clause spreads over several governorates joined together or listed with commas (a
    summary), or says it does whatever it names ("في محافظات عدة، بينهم أربعة في حلب")."""
    govs = [p for p in places if p.admin1 and not p.destination]
    if govs and SEVERAL_GOVERNORATES.search(text, start, end):
        return True
    if len({p.admin1 for p in govs}) < 2:
        return False
    if PLACE_PLURAL.search(text, start, end):
        return True
    for a, b in zip(govs, govs[1:], strict=False):
        gap = text[a.end : b.start + 1]
        if a.admin1 != b.admin1 and (PLACES_JOINED.fullmatch(gap) and CONJUNCTION in gap or PLACES_LISTED.fullmatch(gap)):
            return True
    return False


def country_of(places: list[PlaceMention]) -> str | None:
    """The country the place expressions of an incident put it in: Syria when they name a Syrian governorate or
    region, or Syria itself as the scene, anywhere among them; else the country of the first place abroad named
    as the scene ("في الخرطوم", "على جنوب لبنان"); None when they name neither."""
    foreign = None
    for p in places:
        if p.destination:
            continue
        if p.admin1 or p.kind == "region":
            return SYRIA
        if p.kind == "country" and p.scene:
            if p.country == SYRIA:
                return SYRIA
            foreign = foreign or p.country
    return foreign
