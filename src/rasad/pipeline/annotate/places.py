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

import re
from dataclasses import dataclass

from rasad.lang.lexicon import (
    country_matcher,
    descriptor_matcher,
    governorate_matcher,
    nationality_forms,
    region_matcher,
    trigger_matcher,
    weapon_matcher,
)
from rasad.pipeline.normalise import norm, rx

_DIRECTION = r"(?:ال)?(?:شرقي|غربي|شمالي|جنوبي)(?:ه)?(?:\s+(?:ال)?(?:شرقي|غربي|شمالي|جنوبي)(?:ه)?)?"
_DIR_AFTER_RE = rx(rf"\s*{_DIRECTION}(?!\w)")
_STOP_RAW = {
    "في", "على", "من", "الى", "عن", "قرب", "بالقرب", "جنوب", "شمال", "شرق", "غرب", "جنوبي", "شمالي", "شرقي",
    "غربي", "ضمن", "التابعه", "التابع", "الواقعه", "الواقع", "حيث", "بين", "مع", "و", "او", "ثم", "بعد", "قبل",
    "عند", "اثناء", "خلال", "منذ", "حتى", "لدى", "نحو", "باتجاه", "وسط", "القريبه", "القريب", "المحاذي",
    "المحاذيه", "الذي", "التي", "الذين", "انه", "ان", "كما", "وقد", "قد", "لم", "لا", "ما", "اليوم", "امس",
    "فجر", "صباح", "مساء", "ليل", "ظهر", "يوم", "بعض", "عده", "كل", "جميع", "هذه", "هذا", "ذلك", "تلك",
    "له", "لها", "لهم", "لهما", "فيه", "فيها", "فيهم", "منه", "منها", "منهم", "عليه", "عليها", "عليهم", "به", "بها",
    "بهم", "تابع", "تابعه", "التابعين", "اخرى", "اخر", "واحد", "واحده", "جديد", "جديده", "رئيسي", "رئيسيه",
    "الخاضعه", "الخاضع", "خاضعه", "خاضع", "واقعه", "واقع", "قريبه", "قريب", "المحاصره", "المحاصر", "الاسبوع",
    "الشهر", "العام", "السنه", "الليله",
}
_STOP = {norm(w) for w in _STOP_RAW}
_ADJ_KEEP = rx(r"^(?:ال)?(?:نفطي|نفطيه|غازي|عسكري|عسكريه|العسكري|الدولي|الجوي|جوي|جويه|بحري|بحريه|الزراعي|الحدودي|الحدوديه)$")
RELATION_RE = rx(
    r"(?:قرب|بالقرب من|محيط|في محيط|اطراف|على اطراف|اسفل|داخل|جنوب|شمال|شرق|غرب|"
    r"جنوبي|شمالي|شرقي|غربي|(?:جنوب|شمال)\s+(?:شرق|غرب)(?:ي)?|على بعد\s+\S+\s+(?:كم|كيلومترات|كيلومتر|كيلو)\s+من)"
    r"\s*$"
)
DEST_RE = rx(
    r"(?:الى|إلى|نحو|باتجاه|بإتجاه|في طريقهم الى|في طريقها الى|متجهه الى|متجهين الى|متوجهين الى|قادمه من|قادمين من|"
    r"القادمه من|نقلهم الى|نقله الى|نقلت الى|عائدين الى|عودتهم الى)\s*$"
)
# where people come from is not where the event happened: "من ابناء قرية X", "من اهالي X"
ORIGIN_RE = rx(r"(?:ابناء|أهالي|اهالي|سكان|مواليد|ينحدر من|ينحدرون من|المنحدر من|المنحدرين من|نازحي|مهجري|"
               # where the fire came from: "قذيفة أطلقت من منطقة الغوطة على ضاحية ..."
               r"اطلقت من|اطلق من|انطلقت من|انطلق من|مصدرها|قادمه من|قادما من)\s*(?:\S+\s+)?$")


def elsewhere(before: str) -> bool:
    """True when the words before a place make it a destination or an origin, not the scene."""
    return bool(DEST_RE.search(before) or ORIGIN_RE.search(before))


# the capital standing for the government: "اتهمت دمشق", "قالت دمشق إن", "حكومة دمشق", "دمشق تنفي"
_GOVERNMENT_RE = rx(
    r"(?:(?:قالت|اتهمت|أعلنت|اكدت|نفت|حملت|طالبت|ردت|هددت|توعدت|حكومه|نظام|سلطات|اعلان|بيان|اتهام|اتهامات|"
    r"روايه|تصريحات|رد|موقف)\s+(?:ال)?دمشق(?!\w))|"
    r"(?:دمشق\s+(?:تنفي|تتهم|تعلن|تؤكد|ترد|تحمل|تطالب|تندد|تدين|نفت|اتهمت|اعلنت|اكدت|قالت|ردت))"
)


def names_government(text: str, s: int, e: int, lo: int = 0, hi: int | None = None) -> bool:
    """The capital at text[s:e] stands for the government ("قالت دمشق", "إعلان دمشق"), not the place."""
    hi = len(text) if hi is None else hi
    return _GOVERNMENT_RE.search(text[max(lo, s - 25) : min(hi, e + 25)]) is not None


_COORD_RE = rx(r"(?<!\w)(?:محافظتي|محافظات|باديتي|ريفي|مدينتي|مدن|ارياف|بوادي|مناطق)(?!\w)")
_WORD_RE = rx(r'[^\s،,.:;؛!?؟()"\-]+')
_NOT_PLACE_AFTER = {"طريق": rx(r"(?<!\w)عن\s*$")}


_CLITIC_ARTICLE = ("بال", "لل", "وال", "فال", "كال")


def _nationality(tok: str) -> bool:
    """A nationality adjective ("السورية", "الإيراني")."""
    return (tok[2:] if tok.startswith("ال") else tok) in nationality_forms()


def _means_word(tok: str) -> bool:
    """A word of violence or of its means ("بصواريخ", "وقصف"): no part of a place's name."""
    m = trigger_matcher().search(tok) or weapon_matcher().search(tok)
    return m is not None and m.start == 0 and m.end == len(tok)


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
    country: str | None = None  # set for a country named as the place


# what may stand between a descriptor and the governorate it qualifies: "ضواحي العاصمة دمشق", "بضاحية شرقي دمشق"
_CAPITAL = r'(?:ال)?عاصمه\s+(?:(?:ال)?سوريه\s+)?'
_CAPITAL_RE = rx(rf'{_CAPITAL}"?')
_SUBURB_OF_RE = rx(rf'(?:(?:شرق|غرب|جنوب|شمال)ي?\s+)?(?:{_CAPITAL})?"?')
_SUBURB = {norm("ضواحي"), norm("ضاحية")}
_DUAL = {norm("بلدتي"), norm("مدينتي"), norm("قريتي")}  # "two towns": two names joined by و


def find_places(text: str, start: int, end: int) -> list[PlaceMention]:
    out: list[PlaceMention] = []
    govs = list(governorate_matcher().finditer(text, start, end))
    gov_at = {h.start: h for h in govs}
    used: list[tuple[int, int]] = []
    regions = list(region_matcher().finditer(text, start, end))
    region_at = {h.start: h for h in regions}
    for h in regions:
        out.append(PlaceMention(h.core_start, h.end, h.entry, "region", 2 if h.value else 1, admin1=h.value))
        used.append((h.start, h.end))
    for h in country_matcher().finditer(text, start, end):
        if not any(a <= h.start < b for a, b in used):
            out.append(PlaceMention(h.core_start, h.end, h.entry, "country", 0, country=h.value))
            used.append((h.start, h.end))
    descs = [d for d in descriptor_matcher().finditer(text, start, end) if not any(a <= d.start < b for a, b in used)]
    desc_at = {d.start: d for d in descs}
    gov_cores = {h.core_start for h in govs}
    for d in descs:
        kind, rank = d.value
        if d.core_start in gov_cores:
            continue  # "ريف دمشق" is a governorate's name, not the countryside of Damascus
        if d.entry in _NOT_PLACE_AFTER and _NOT_PLACE_AFTER[d.entry].search(text[max(start, d.start - 6) : d.start]):
            continue
        nxt = d.end
        while nxt < end and text[nxt] in ' "':
            nxt += 1
        # a descriptor of a descriptor: "ريف محافظة دير الزور", "مطار مدينة دير الزور"
        inner = desc_at.get(nxt)
        if inner is not None and inner.value[0] in ("admin1", "populated_place"):
            nxt = inner.end
            while nxt < end and text[nxt] in ' "':
                nxt += 1
        if nxt in region_at:
            continue  # "منطقة البادية السورية": the region itself
        cap = (_SUBURB_OF_RE if d.entry in _SUBURB else _CAPITAL_RE).match(text, nxt, end)
        if cap and cap.end() in gov_at:
            nxt = cap.end()  # "ضواحي العاصمة دمشق"
        g = gov_at.get(nxt)
        if g is not None and kind != "road":
            # "ريف دير الزور الغربي", "مدينة الرقة", "محافظة حمص"
            e = g.end
            m = _DIR_AFTER_RE.match(text, e, end)
            if m:
                e = m.end()
            if d.entry in _SUBURB:
                kind = "countryside"
            if kind in ("countryside", "desert_region", "admin1"):
                rank = {"countryside": 2, "desert_region": 3, "admin1": 1}[kind]
            admin1 = g.value
            if admin1 == "Damascus" and kind == "countryside":
                admin1 = "Rural Damascus"  # the capital's governorate is the city: its suburbs, its countryside lie in Rif Dimashq
            out.append(PlaceMention(d.core_start, e, g.entry, kind, rank, admin1=admin1))
            used.append((g.start, g.end))
            continue
        words = []
        pos = nxt
        for w in _WORD_RE.finditer(text, nxt, min(end, nxt + 60)):
            if text[pos : w.start()].strip(' "'):
                break  # punctuation between words ends the name
            tok = w.group()
            if tok in _STOP or (tok[:1] == "و" and tok[1:] in _STOP) or (words and descriptor_matcher().search(tok)):
                break  # (a stop word with the conjunction: "قرية X وفي الميادين")
            if words and d.entry in _DUAL and tok[:1] == "و":
                break  # "قريتي كفرنبل وحاس": two places, the first named here
            if words and (tok.startswith(_CLITIC_ARTICLE) or _means_word(tok) or _nationality(tok)):
                # "كفرنبل بالصواريخ", "التيفور ووسائط دفاعنا", "دوما السورية": a new phrase or an
                # adjective, not the name going on
                break
            if words and _ADJ_KEEP.match(tok):
                words.append(tok)
                pos = w.end()
                break
            words.append(tok)
            pos = w.end()
            if len(words) >= 3:
                break
        if not words or len(words[0]) < 2 or words[0][0].isdigit() or _ADJ_KEEP.match(words[0]):
            continue  # "قاعدة جوية قرب حمص": an adjective, no name
        if words[0].startswith(_CLITIC_ARTICLE):
            continue  # "حاجز بالميادين": a preposition follows the noun, not a name
        name = " ".join(w for w in words if not _ADJ_KEEP.match(w))
        admin1 = None
        if kind in ("countryside", "desert_region"):
            rank = 4  # the countryside or desert of a town: "بادية الرصافة", "ريف السخنة"
        # a road or axis between two places: "طريق حمص - دير الزور"; its governorate is known
        # only when both ends lie in one
        if kind == "road":
            m = re.match(r'\s*-\s*"?([^\s،,.]+(?:\s+[^\s،,.]+)?)', text[pos:end])
            ends = [h for h in govs if nxt <= h.start < pos + (m.end() if m else 0) + 1]
            if m:
                name = f"{name} - {m.group(1)}"
                pos += m.end()
            if ends and len({h.value for h in ends}) == 1 and m:
                admin1 = ends[0].value
            used.extend((h.start, h.end) for h in ends)
        out.append(PlaceMention(d.core_start, pos, name, kind, rank, admin1=admin1))
    for g in govs:
        if any(a <= g.start < b for a, b in used) or any(p.start <= g.start < p.end for p in out):
            continue
        if g.value == "Damascus" and names_government(text, g.start, g.end, start, end):
            continue  # "قالت دمشق", "حكومة دمشق": the government, not the place
        e = g.end
        m = _DIR_AFTER_RE.match(text, e, end)
        if m:
            e = m.end()
        out.append(PlaceMention(g.core_start, e, g.entry, "admin1", 1, admin1=g.value))
    out.sort(key=lambda p: p.start)
    for p in out:
        before = text[max(start, p.start - 40) : p.start]
        if elsewhere(before):
            p.destination = True
        r = RELATION_RE.search(before)
        if r:
            p.relation = r.group().strip()
    return out


def admin1_of(places: list[PlaceMention]) -> list[str]:
    """Governorates named by non-destination place expressions, in order."""
    seen: list[str] = []
    for p in places:
        if p.admin1 and not p.destination and p.admin1 not in seen:
            seen.append(p.admin1)
    return seen


def is_multi_governorate(text: str, start: int, end: int, places: list[PlaceMention]) -> bool:
    """True when the clause spreads over several governorates joined together (a summary)."""
    govs = [p for p in places if p.admin1 and not p.destination]
    if len({p.admin1 for p in govs}) < 2:
        return False
    if _COORD_RE.search(text, start, end):
        return True
    for a, b in zip(govs, govs[1:], strict=False):
        gap = text[a.end : b.start + 1]
        if a.admin1 != b.admin1 and re.fullmatch(r'[\s،,"]*و\s*(?:\S+\s+)?\S?', gap) and "و" in gap:
            return True
    return False
