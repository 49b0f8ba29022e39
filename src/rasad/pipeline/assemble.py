"""Assemble events from annotated clauses: decide what is an incident, what is a statistic and
what is neither, and merge the clauses that describe one incident.

A *mention* is one clause holding a word of violence. Mentions are dropped when they deny, plan,
threaten, investigate, generalise or celebrate (cues in ``data/cues.tsv``), when they summarise
several incidents (several governorates joined together; plural "attacks" without a figure, a
place or a day), or when their day lies well before the report (background). Mentions in a
sentence that counts over a period become ``statistics``.

Within a document, mentions are read in order; each joins the event it is compatible with and
most similar to, or starts a new one. Two mentions are incompatible when they give different days,
different governorates, different victims (civilians vs combatants, or other armed parties),
reversed roles, different attackers, or different specific places with their own figures. A
headline or subhead never starts an event when the body has one: it only adds evidence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rasad.document import Document, Part, Sentence
from rasad.gazetteer import km_between
from rasad.lang.lexicon import (
    Hit,
    cue_matcher,
    governorate_matcher,
    person_singulars,
    topic_matcher,
    trigger_matcher,
    weapon_matcher,
)
from rasad.pipeline.annotate import dates as dates_mod
from rasad.pipeline.annotate.actors import (
    ActorMention,
    assign_sides,
    find_actors,
    inter_code,
    is_armed,
    same_camp,
)
from rasad.pipeline.annotate.claimants import (
    COMPLEMENTISER_RE,
    REPORT_VERB_RE,
    SAYING_VERB_RE,
    Claim,
    Claimant,
    combine,
    continues_previous,
    find_claimant,
)
from rasad.pipeline.annotate.numbers import Quantity, find_quantities
from rasad.pipeline.annotate.places import PlaceMention, admin1_of, find_places, is_multi_governorate
from rasad.pipeline.normalise import norm, rx

# where the places a mention names may lie, by the gazetteer (geocode.Geocoder.mention_points)
Locate = Callable[["Mention"], dict[str, tuple[tuple[float, float, str | None], ...]]]
RECENT_EVENTS = 30  # events of one document a new mention is compared with
UNDATED_DAYS = 6  # an incident the text does not date lies within this many days before the report
RECALLED_DAYS = 6  # news is of the last days: an incident dated before them is recalled
TALLY_DAYS = 7  # a sentence counting since a moment further back than this is a tally
KILL = {"kill"}
WOUND = {"wound"}
CASUALTY = KILL | WOUND
ATTACK_CLASSES = {
    "attack", "ambush", "clash", "air", "drone", "shell", "ied", "explosion", "suicide", "landing",
    "grenade", "abduction", "execution", "assassination", "gunfire", "chemical",
}
REMOTE = {"air", "drone", "shell", "ied", "explosion", "suicide", "grenade", "chemical"}
PLURAL_GENERIC_RAW = {"هجمات", "اعتداءات", "تفجيرات", "كمائن", "عمليات", "مواجهات", "اشتباكات", "معارك", "انفجارات"}
PLURAL_GENERIC = {norm(w) for w in PLURAL_GENERIC_RAW}
BLOCKING = {"denial", "plan", "threat", "investigation", "celebratory"}
NEEDS_MEANS = {"attack_present", "intercept", "aggression"}  # trigger classes that are an attack only with its means named
# the remote fire a means names: air defences meeting missiles, aircraft or drones meet a strike from afar
_FIRE_OF = {"artillery": "shell", "shell": "shell", "aircraft": "air", "air": "air", "drone": "drone"}
SENTENCE_BLOCKING = {"generic", "celebratory"}
_BACKREF_RE = rx(r"^\W*و?(?:بعد|قبل|عقب|في اعقاب|اثر)\s+(?:ساعات|ايام|يوم|اسبوع|مرور|ساعه|يومين)")
# the strike told before, named again with the article: "وأسفرت الضربة عن مقتل 14", "قتلوا في الغارة"
_ANAPHOR_RE = rx(r"(?<!\w)(?:و|ف|ب|في|جراء|اثر|خلال)?\s*(?:هذه|هذا|تلك|ذلك)?\s*"
                 r"ال(?:ضربه|ضربات|غاره|غارات|هجوم|هجمه|قصف|تفجير|انفجار|اعتداء|عدوان|استهداف)(?!\w)")
# the pluperfect, كان ... قد + verb: what had happened before the news of the day
_PLUPERFECT_RE = rx(r"(?<!\w)و?(?:كان|كانت|كانوا|كانا)\s+(?:\S+\s+){0,4}?قد\s+(?=\w)")
# "بينهم 8 ضباط", "بينهم نساء وأطفال وأكثر من 5": a part of the figure before, not another figure
_SUBSET_RE = rx(r"(?<!\w)(?:بينهم|بينهن|منهم|منهن|من بينهم|بينها|منها|بينهما)\s+(?:[^\s،,.؛]+\s+){0,5}$|"
                r"(?<!\w)(?:بينهم|بينهن|منهم|منهن|من بينهم|بينها|منها|بينهما)\s*$")
# a sentence that opens on another incident: "كما", "وفي ريف ...", "في سياق منفصل", "الى ذلك"
_NEW_INCIDENT_RE = rx(r"\W*(?:كما|كذلك|وفي|في سياق منفصل|وفي سياق منفصل|من جهه اخرى|ومن جهه اخرى|الى ذلك|والى ذلك|في غضون ذلك|وفي غضون ذلك)(?!\w)")
# what was hit: shared target nouns tie two mentions to one incident
# a clause naming what an attack answered: "ردا على هجوم كيماوي في دوما" is an earlier incident
_MOTIVE_RE = rx(r"\s*،?\s*(?:و)?(?:ردا على|ردا علي|انتقاما|ثارا)(?!\w)")
_BELONGS_PRE = rx(r"(?<!\w)(?:تابع|تابعه|التابع|التابعه|تابعين|التابعين|تابعا)\s+ل\s*\"?$")
# the anniversary of an attack, or what it answered without a day or toll of its own, is history
_ANNIVERSARY_RE = rx(
    r"(?<!\w)(?:مرور|ذكري|ذكرى)\s+(?:\S+\s+)?(?:عام|عامين|سنه|سنتين|اعوام|سنوات|شهر|شهرين|اشهر|اسبوع)\s+على(?!\w)"
    r"|(?<!\w)(?:ال)?(?:ذكرى|ذكري)\s+(?:السنويه|ال\s*\d+|الاولى|الثانيه|الثالثه|الرابعه|الخامسه|العاشره)(?!\w)")
_BARE_STRIKE = {norm(w) for w in ("ضربة", "ضربات", "ضربتين")}
_FIGURATIVE_AFTER_RE = rx(r"\s+(?:ال)?(?:دبلوماسيه|ديبلوماسيه|سياسيه|اقتصاديه|اعلاميه|قانونيه|ماليه|معنويه|جزاء|حره|راس|شمس|حظ|موجعه لل|قاصمه لل)(?!\w)")
_SUSPECT_PRE = rx(r"(?<!\w)(?:يشتبه|يرجح|مرجحه|مرجحا|يعتقد|تعتقد|نعتقد|للاعتقاد|الاعتقاد|يحتمل|ربما|يظن)\"?(?:\s+\S+){0,3}\s*\"?$")
# "رفضت وزارة الدفاع، الأحد، ادعاءات بقصف أمريكي": a denial with the denier between verb and claim
_DENY = r"(?<!\w)[وف]?(?:نفى|نفت|ينفي|تنفي)"
_DENIED_CLAIM_RE = rx(rf"(?:{_DENY}|(?<!\w)[وف]?(?:رفض|رفضت))\s+(?:\S+\s+){{0,6}}?\"?(?:ال)?(?:ادعاءات|اتهامات|مزاعم|انباء)\s+(?:ب|عن|حول)")
# "نفت واشنطن قيامها بقصف المواقع": who did it is denied, not that it happened
_DENIED_PARTY_RE = rx(rf"(?:{_DENY}|(?<!\w)[وف]?نفي)\s+(?:\S+\s+){{0,8}}?(?:اي\s+)?(?:ال)?(?:قيام|مسؤولي|تورط|علاق|ضلوع)\w*")
_OTHER_PLACES_RE = rx(r"(?<!\w)(?:ال)?(?:مناطق|اماكن|مدن|بلدات|قرى|احياء|انحاء|محافظات)\s+(?:اخرى|اخري|متفرقه)(?!\w)")
_MILITARY_TARGET_RE = rx(r"(?<!\w)(?:ال)?(?:مواقع|موقع|مقرات|مقر|قواعد|قاعده|نقاط|نقطه|ثكنه|ثكنات|مستودعات|مستودع)\s+(?:ال)?(?:عسكريه|عسكري|للجيش|للنظام|لقوات)(?!\w)")
_TARGET_NOUN_RE = rx(r"(?<!\w)(?:ال|ب|لل|ل)?(قافله|حافله|رتل|دوريه|حاجز|كمين|مستودع|مخزن|سجن|مستشفى|مدرسه|سوق|مسجد|كنيسه|سياره|شاحنه|صهريج|مقر|ثكنه|معسكر|مطار|قاعده|جسر|عرس|جنازه|خيمه|مخيم)(?!\w)")
_WOUND_BY_RE = rx(r"\s+(?:ال)?ب\S")
_WOUND_VIOLENT_RE = rx(r"\s+(?:ال)?(?:ب|بال)(?:جروح|جراح|جرح|رصاص|رصاصه|رصاصات|طلق|طلقات|شظايا|شظيه|حروق|كسور|اصابات|عيار|الرصاص)")
_OLD_YEAR_RE = rx(r"(?<!\w)(?:عام|العام|سنه|السنه|في)\s+(1[0-9]{3}|20[0-9]{2}|[0-9]{1,3})(?!\d)|(?<!\d)([0-9]{1,4})\s+قبل الميلاد")
_NEXT_WORD_RE = rx(r'\s+(?:(?:خلالها|خلاله|فيها|فيه|جراءها|جراءه|على اثرها|ايضا)\s+)?"?(?:ال)?(\w+)(?!\s*(?:من\s+)?\d)')
# between two coordinated figures: "و", or a short qualifier first ("قيادي في تنظيم داعش وعنصران")
_COORD_GAP_RE = rx(r'\s*(?:(?:في|من|ب|ل)\S*(?:\s+"?\S+"?){0,2}\s*)?،?\s*(?:و|مقابل|في مقابل|بالاضافه الى)\s*')
_PREV_PERSON_RE = rx(r'(?<!\w)(?:ان|إن|بان)\s+"?(\w+)(?:\s+\w+)?\s*،?\s*$')
_SUFFIX_COUNT = {norm(w): n for w, n in (("مصرعه", 1), ("مصرعها", 1), ("حتفه", 1), ("حتفها", 1),
                                          ("مصرعهما", 2), ("حتفهما", 2))}
_PASSIVE_VERBS = {norm(w) for w in (
    "قتل", "قتلوا", "قتلا", "قتلت", "أصيب", "أصيبوا", "أصيبا", "أصيبت", "جرح", "لقوا حتفهم", "لقي حتفه", "لقيا حتفهما",
    "لقوا مصرعهم", "لقي مصرعه", "استشهد", "استشهدوا", "استشهدت", "قتلوهم", "قتلوه", "قتلوها", "قتلتهم")}
# "في اليوم الـ144 من العدوان": a running total of a war, not an incident
_DAY_OF_WAR_RE = rx(r"(?:في|خلال)\s+اليوم\s+(?:ال)?\s*\d+")
_OFFENSIVE_RE = rx(r"(?<!\w)(?:بدات|بدا|اطلقت|اطلق|بدؤوا|بداوا|باشرت|باشر)\s+(?:\S+\s+){0,5}?(?:ب)?(?:هجوما|هجوم|عمليه عسكريه|معركه)(?!\w)")
_SEPARATE_RE = rx(r"(?:هجمات|هجمتين|اعتداءات|تفجيرات|غارات|عمليات|حوادث)\s+(?:\S+\s+)?(?:منفصله|متفرقه|متفرقة|منفصلة|متعدده)(?!\w)")
_COUNT_NOUN_RE = rx(r"(?:عدد|تعداد|حصيلة|حصيلتي|ارقام|أعداد)\s*\"?$")
_COMBINED_RE = rx(r"^\s*و\s*$")
_NEG_BEFORE_RE = rx(r"(?<!\w)(?:لم|لن|دون|بدون|ولم|ولن|من دون)\s+(?:\S+\s+){0,3}$")
_RPG_RE = rx(r"\s*(?:ال)?(?:ار بي جي|اربي جي|الار بي جي)")
_CIVILIAN_TARGET_RE = rx(r"(?<!\w)(?:مدنيين|المدنيين|مدنيون|اطفال|الاطفال|نساء|عمال|العمال|رعاه|الرعاه|مزارعين|المواطنين|مواطنين|سكان|الاهالي|اهالي)(?!\w)")


@dataclass
class Mention:
    part: Part
    sent: Sentence
    start: int
    end: int
    order: int
    role: str
    triggers: list[Hit]
    classes: set[str]
    cues: set[str]
    actors: list[ActorMention]
    attackers: list[str]
    victims: list[str]
    places: list[PlaceMention]
    admin1: str | None
    date: dates_mod.Resolved | None
    date_span: tuple[int, int] | None
    claims: list[Claim]
    weapons: list[tuple[str, Hit]]
    victim_kinds: set[str]
    claimant: Claimant | None
    backref: bool = False
    other: bool = False
    uncertain: bool = False
    # an earlier incident recalled: told in the pluperfect ("وكانت دمشق قد اتهمت"), as what an attack answered
    # ("ردا على"), or dated more than RECALLED_DAYS before the report ("قبل أسبوع")
    retold: bool = False
    context_admin1: str | None = None  # the governorate the text was last speaking of
    dependent: bool = False  # adds to an incident told elsewhere; never starts one
    anaphor: bool = False  # names an attack with the article and no place or day of its own: the one told before
    spread: bool = False  # one strike told over several governorates joined together
    only_admin1: str | None = None  # a copy of a spread mention: the one governorate it stands for
    hedged: set[str] = field(default_factory=set)  # attackers named only as a suspicion ("يشتبه بأنه هجوم أميركي")
    # specific place -> where it may lie: (lat, lon, governorate) of its gazetteer candidates
    points: dict[str, tuple[tuple[float, float, str | None], ...]] = field(default_factory=dict)
    toponyms: list[Any] | None = None  # the geocoder's toponyms of this clause, found once (geocode.Toponym)

    @property
    def precise_kill(self) -> set[int]:
        return {c.best for c in self.claims if c.kind == "fatalities" and c.precise and c.best is not None}

    def specific_places(self) -> list[PlaceMention]:
        return [p for p in self.places if not p.destination and p.rank >= 4]


@dataclass
class Event:
    mentions: list[Mention] = field(default_factory=list)
    last_order: int = 0

    def add(self, m: Mention) -> None:
        self.mentions.append(m)
        self.last_order = m.order

    @property
    def body(self) -> list[Mention]:
        return [m for m in self.mentions if m.role == "body"] or self.mentions

    @property
    def first(self) -> Mention:
        """The mention the article tells the incident with first."""
        return min(self.body, key=lambda m: m.order)

    @property
    def date(self) -> dates_mod.Resolved | None:
        for prec in ("day", "week", "month"):
            for m in self.body:
                if m.date and m.date.date and m.date.precision == prec:
                    return m.date
        return None

    @property
    def admin1(self) -> str | None:
        loc = self.location
        if loc is not None and loc[1]:
            return loc[1]
        for m in self.body:
            if m.admin1:
                return m.admin1
        return None

    @property
    def location(self) -> tuple[PlaceMention, str | None, Mention] | None:
        best: tuple[PlaceMention, str | None, Mention] | None = None
        for m in self.body:
            for p in m.places:
                if p.destination:
                    continue
                if best is None or p.rank > best[0].rank:
                    best = (p, p.admin1 or m.admin1, m)
        return best

    @property
    def attackers(self) -> list[str]:
        # a suspicion counts only when nothing firmer names the attacker
        firm = _ordered(a for m in self.body for a in m.attackers if a not in m.hedged)
        return firm if [a for a in firm if a != "Unidentified Armed Group"] else _ordered(
            a for m in self.body for a in m.attackers)

    @property
    def victims(self) -> list[str]:
        out = _ordered(v for m in self.body for v in m.victims)
        att = self.attackers
        return [v for v in out if v not in att[:1]]

    @property
    def classes(self) -> set[str]:
        return {c for m in self.body for c in m.classes}

    @property
    def victim_kinds(self) -> set[str]:
        return {k for m in self.body for k in m.victim_kinds}

    def precise_kill(self) -> set[int]:
        return {x for m in self.body for x in m.precise_kill}


def _is_strike(classes: set[str]) -> bool:
    """Remote fire: an air strike, shelling, a drone ... or an attack told with its aircraft or artillery."""
    return bool(classes & (REMOTE - {"explosion"}) or ("attack" in classes and classes & {"aircraft", "artillery"}))


def _strike_on_a_site(m: Mention) -> bool:
    """A strike on a named site ("هجوم صاروخي على مطار الشعيرات"): an incident even in a headline alone."""
    return _is_strike(m.classes) and any(p.rank >= 5 and not p.destination for p in m.places)


def _pluperfect(text: str, c0: int, c1: int) -> bool:
    """The clause tells what had happened before ("وكانت إسرائيل قد قصفت"); a statement made before
    ("وكان التلفزيون قد أكد تعرض المواقع لقصف") tells the incident at hand."""
    return any(not SAYING_VERB_RE.match(text, m.end()) for m in _PLUPERFECT_RE.finditer(text, c0, c1))


def _with_means(trig: list[Hit]) -> list[Hit]:
    """Triggers of NEEDS_MEANS classes count only with a means named in the clause: then air defence
    meeting it, or "aggression" with it, is remote fire of that one means, and a present-tense strike
    verb an attack; without one they are dropped."""
    if not any(h.value in NEEDS_MEANS for h in trig):
        return trig
    fire = {_FIRE_OF[h.value] for h in trig if h.value in _FIRE_OF}
    if not fire:
        return [h for h in trig if h.value not in NEEDS_MEANS]

    def meant(h: Hit) -> Hit:
        if h.value not in NEEDS_MEANS:
            return h
        one = h.value in ("intercept", "aggression") and len(fire) == 1
        return dataclasses.replace(h, value=next(iter(fire)) if one else "attack")
    return [meant(h) for h in trig]


def _per_governorate(m: Mention) -> list[Mention]:
    """One mention a governorate, for a strike told over several ("في ريفي حماة وحلب")."""
    govs = admin1_of(m.places)
    if not m.spread or len(govs) < 2:
        return [m]
    return [dataclasses.replace(m, admin1=g, places=[p for p in m.places if p.admin1 in (None, g)], spread=False,
                                only_admin1=g, points={k: tuple(pt for pt in v if pt[2] == g) for k, v in m.points.items()})
            for g in govs]


def _latest(d: dates_mod.Resolved) -> dt.date:
    """The latest day a resolved date allows; for a week-precise date its day ("قبل أسبوع": a week ago)."""
    assert d.window is not None
    return d.date if d.precision == "week" and d.date else d.window[1]


def _ordered(items: Any) -> list[str]:
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


# ---------------------------------------------------------------------------------------------


class Assembler:
    """Turns one segmented document into events, statistics and warnings."""

    def __init__(self, doc: Document, date_exprs: dict[str, list[dates_mod.DateExpr]], default_org: str | None,
                 off_topic: bool, locate: Locate | None = None) -> None:
        self.doc = doc
        self.locate = locate  # a gazetteer's view of place names, to know one place under two names
        self.date_exprs = date_exprs
        self.default_org = default_org
        self.off_topic = off_topic
        self.order = 0
        self.last_admin1: str | None = None
        self.dyads: dict[str, set[str]] = {}  # victim -> attackers named against it
        self._gov_hits: list[tuple[int, str]] | None = None
        self._gov_part: Part | None = None
        self._gov_positions: list[int] = []

    # -- mentions -------------------------------------------------------------------------------

    def mentions(self, part: Part) -> list[Mention]:
        text = part.ntext
        out: list[Mention] = []
        prev_claimant: Claimant | None = None
        prev_stat = -10
        trig_all = trigger_matcher().findall(text)
        if not trig_all:
            self._note_governorates(part, part.sentences)
            return out
        ti = 0
        for s in part.sentences:
            self.order += 1
            if s.role in ("furniture", "caption"):
                continue
            while ti < len(trig_all) and trig_all[ti].start < s.start:
                ti += 1
            trig = []
            tj = ti
            while tj < len(trig_all) and trig_all[tj].start < s.end:
                trig.append(trig_all[tj])
                tj += 1
            claimant = find_claimant(text, s.start, s.end, part.original_words)
            if claimant is None and prev_claimant is not None and continues_previous(text, s.start):
                claimant = prev_claimant
            if claimant is not None:
                prev_claimant = claimant
            if not trig:
                self._note_governorates(part, [s])
                continue
            sent_cues = {h.value for h in cue_matcher().finditer(text, s.start, s.end)}
            is_stat = "aggregate" in sent_cues or _DAY_OF_WAR_RE.search(text, s.start, s.end) is not None \
                or self._counts_since_long_ago(part, s) or (
                s.index - prev_stat <= 2 and re.match(r"^\W*(?:و|ف)?(?:كما|كذلك|قتلوا|وقتلوا)", text[s.start : s.start + 12])
            )
            if is_stat:
                if self._statistic(part, s, claimant):
                    prev_stat = s.index
                continue
            if sent_cues & SENTENCE_BLOCKING:
                continue
            sent_dates = self._dates_in(part, s.start, s.end)
            inherited: tuple[dates_mod.Resolved, tuple[int, int]] | None = None
            for c0, c1 in s.clauses:
                ctrig = [h for h in trig if c0 <= h.start < c1]
                # the speaker named in the clause, else the sentence's when it is named before the clause
                cl = find_claimant(text, c0, c1, part.original_words) if c0 > s.start else None
                if cl is None and claimant is not None and claimant.start < c1:
                    cl = claimant
                m = self._mention(part, s, c0, c1, ctrig, cl, sent_dates, inherited)
                if m is not None and m.date is not None and m.date_span is not None:
                    inherited = (m.date, m.date_span)
                if m is not None:
                    out.extend(_per_governorate(m))
            self._note_governorates(part, [s])
        return out

    def _note_governorates(self, part: Part, sentences: list[Sentence]) -> None:
        """Remember the governorate the text last spoke of (for sentences that name none)."""
        if self._gov_hits is None or self._gov_part is not part:
            self._gov_part = part
            self._gov_hits = [(h.start, h.value) for h in governorate_matcher().finditer(part.ntext)]
            self._gov_positions = [pos for pos, _a in self._gov_hits]
        positions = self._gov_positions
        for s in sentences:
            if s.role in ("furniture", "caption"):
                continue
            k = bisect_left(positions, s.start)
            if k < len(positions) and positions[k] < s.end:
                self.last_admin1 = self._gov_hits[k][1]

    def _dates_in(self, part: Part, start: int, end: int) -> list[tuple[dates_mod.DateExpr, bool]]:
        """Date expressions in [start, end), each with a flag: True when it dates a report
        (between a reporting verb and what is reported), not the incident."""
        text = part.ntext
        out = []
        for d in self.date_exprs.get(part.name, []):
            if d.start < start or d.start >= end:
                continue
            out.append((d, self._is_report_date(text, d, start)))
        return out

    def _counts_since_long_ago(self, part: Part, s: Sentence) -> bool:
        """ "منذ منتصف آذار 2011 ... ما أدى إلى مقتل أكثر من 350 ألف شخص": a period that opened well
        before the report, counted: a tally, never an incident."""
        ref = self.doc.reference_date
        if ref is None:
            return False
        for d, _rep in self._dates_in(part, s.start, s.end):
            if not d.since:
                continue
            r = dates_mod.resolve(d, ref, self.doc.years)
            first = r.window[0] if r.window else r.date
            if first is not None and (ref - first).days > TALLY_DAYS:
                return True
        return False

    @staticmethod
    def _is_report_date(text: str, d: dates_mod.DateExpr, sent_start: int) -> bool:
        before = text[sent_start : d.start]
        verbs = list(REPORT_VERB_RE.finditer(before))
        if not verbs:
            return False
        v = verbs[-1]
        between = before[v.end() :]
        if trigger_matcher().search(between) or COMPLEMENTISER_RE.search(between):
            return False
        return True

    def _mention(self, part: Part, s: Sentence, c0: int, c1: int, trig: list[Hit], claimant: Claimant | None,
                 sent_dates: list[tuple[dates_mod.DateExpr, bool]],
                 inherited: tuple[dates_mod.Resolved, tuple[int, int]] | None) -> Mention | None:
        text = part.ntext
        # triggers negated in place ("لم يسفر عن قتلى") do not count
        trig = [h for h in trig if not _NEG_BEFORE_RE.search(text[max(c0, h.start - 12) : h.start])]
        trig = [h for h in trig if not (h.value == "shell" and _RPG_RE.match(text, h.end))]
        # "اصيب بجروح / برصاص" is violence; "اصيب بالسرطان / بفيروس / بخيبة" is not
        trig = [h for h in trig if not (h.value == "wound" and _WOUND_BY_RE.match(text, h.end) and not _WOUND_VIOLENT_RE.match(text, h.end))]
        # "ضربة دبلوماسية", "ضربة جزاء": a figure of speech
        trig = [h for h in trig if not (h.entry in _BARE_STRIKE and _FIGURATIVE_AFTER_RE.match(text, h.end))]
        # the present tense ("تستهدف") tells a strike as it happens only with its means ("صواريخ تستهدف
        # المطار"); without them it is habitual or general ("العقوبات تستهدف شركات", "داعش تستهدف كل إعلامي")
        # likewise air defences meeting a strike ("تصدت الدفاعات الجوية لصاروخين إسرائيليين")
        # and state media's "aggression" with its means ("تعرضت لعدوان بصواريخ"; alone: "العدوان على غزة")
        trig = _with_means(trig)
        if not trig:
            return None
        cues = {h.value for h in cue_matcher().finditer(text, c0, c1)}
        classes = {h.value for h in trig}
        attack_cls = classes & ATTACK_CLASSES
        if not (attack_cls or classes & CASUALTY):
            return None  # only a weapon or an aircraft named
        denied_party = _DENIED_PARTY_RE.search(text, c0, c1)
        if denied_party:
            cues = cues - {"denial"}
        if cues & BLOCKING or _DENIED_CLAIM_RE.search(text, c0, c1):
            return None
        topics = {h.value for h in topic_matcher().finditer(text, c0, c1)}
        if topics & {"sport", "culture", "economy", "technology"}:
            return None
        accident = "accident" in topics and not (attack_cls - {"explosion"})
        if ("campaign" in cues or _OFFENSIVE_RE.search(text, c0, c1)) and not (attack_cls & (REMOTE | {"clash"})) \
                and not (classes & CASUALTY):
            return None  # a campaign or an offensive that begins, with no strike or loss reported
        places = find_places(text, c0, c1)
        spread = is_multi_governorate(text, c0, c1, places)
        acts = find_actors(text, c0, c1, self.default_org)
        attackers, victims = assign_sides(acts)
        if denied_party:
            # the party that denies and the one it clears, named before the strike, are no party to it
            # ("نفت مصادر أمريكية قيام التحالف الدولي ضد داعش بقصف مواقع للنظام": the regime is the target)
            strike_at = min((h.start for h in trig if h.start >= denied_party.end() and h.value in ATTACK_CLASSES),
                            default=c1)
            cleared = {a.name for a in acts if a.start < strike_at}
            attackers = []
            victims = [v for v in victims if v not in cleared]
        # figures
        claims: list[Claim] = []
        victim_kinds: set[str] = set()
        cas = [h for h in trig if h.value in CASUALTY]
        ctype = claimant.type if claimant else "outlet"
        cname = claimant.name if claimant else (self.doc.source.source or "outlet")
        for q in find_quantities(text[c0:c1]):
            q = _shift(q, c0)
            if q.kind == "plural" and _COUNT_NOUN_RE.search(text[max(c0, q.start - 12) : q.start]):
                continue  # "عدد القتلى", "حصيلة الجرحى": the noun of a count, not a figure
            if _NEG_BEFORE_RE.search(text[max(c0, q.start - 30) : q.start]):
                continue  # "من دون ان تذكر سقوط ضحايا", "لم يسفر عن قتلى"
            kind = self._figure_kind(text, q, cas, c0, c1)
            if kind is None:
                continue
            if q.kind == "vague" and q.noun is None and q.category is None and not any(0 <= q.start - h.end <= 2 for h in cas):
                continue  # "عدة هجمات": a vague count of something else
            if q.category in ("civilian",):
                victim_kinds.add("civilians")
            elif q.category == "combatant":
                victim_kinds.add("combatants")
            if kind == "both":
                continue
            precise = q.kind in ("digits", "words", "dual")
            claims.append(Claim(kind, q.low, q.best, q.high, q.qualifier, precise, cname, ctype, q.start, q.end, part,
                                self.order * 1000 + (q.start - s.start), rising="rising" in cues))
        claims = _coordinate(text, claims)
        # one person: "مقتل جندي", "اصابة مدني بجروح" (a singular person noun right after the word)
        for h in cas:
            if any(c.start <= h.end + 2 and c.end >= h.end for c in claims):
                continue
            kind, at = ("fatalities" if h.value == "kill" else "wounded"), (h.start, h.end)
            # "لقي مدير المركز مصرعه": the pronoun on مصرع / حتف counts them (one, or two for هما), unless a
            # figure before it does
            n = _SUFFIX_COUNT.get(h.entry.split()[-1], 0)
            if n and any(c.kind == "fatalities" and h.start - 60 <= c.start < h.start for c in claims):
                n = 0
            if not n:
                m1 = _NEXT_WORD_RE.match(text, h.end, c1)
                if not (m1 and m1.group(1) in person_singulars()):
                    # "ان جنديا بريطانيا قتل": the noun before a passive verb
                    m1 = _PREV_PERSON_RE.search(text, max(c0, h.start - 40), h.start)
                    if m1 and (m1.group(1) not in person_singulars() or h.value != "kill" or h.entry not in ("قتل", "اصيب")):
                        m1 = None
                if m1 is None:
                    continue
                n, at = 1, (m1.start(1), m1.end(1))
            claims.append(Claim(kind, n, n, n, None, True, cname, ctype, *at, part,
                                self.order * 1000 + (h.start - s.start), rising=False))
        claims = _coordinate(text, sorted(claims, key=lambda c: c.start))
        if _CIVILIAN_TARGET_RE.search(text, c0, c1) and not victims:
            victim_kinds.add("civilians")
        for v in victims:
            if v == "Civilians":
                victim_kinds.add("civilians")
            elif is_armed(v):
                victim_kinds.add("combatants")
        if "civilians" in victim_kinds and "Civilians" not in victims:
            victims.append("Civilians")
        # what this clause is
        has_figure = any(c.precise for c in claims)
        generic_only = all(h.entry in PLURAL_GENERIC or h.value in CASUALTY for h in trig) and any(h.entry in PLURAL_GENERIC for h in trig)
        day_dates = [(d, rep) for d, rep in sent_dates if c0 <= d.start < c1 and not rep]
        date_res: dates_mod.Resolved | None = None
        date_span: tuple[int, int] | None = None
        for d, _rep in day_dates:
            r = dates_mod.resolve(d, self.doc.reference_date, self.doc.years)
            if d.since and not (attack_cls & REMOTE):
                continue
            date_res, date_span = r, (d.start, d.end)
            break
        if date_res is None and inherited is not None:
            date_res, date_span = inherited
        if spread and (has_figure or not (attack_cls & (REMOTE - {"explosion"}))
                       or not (date_res or _MILITARY_TARGET_RE.search(text, c0, c1))):
            # several governorates joined: a summary, unless one strike, dated or on military sites, hit
            # each of them ("تعرض مواقع عسكرية في ريفي حماة وحلب لقصف صاروخي"): one incident a governorate
            return None
        if _ANNIVERSARY_RE.search(text, c0, c1):
            return None  # "بعد مرور عام على ضربة ...": history
        if _MOTIVE_RE.match(text, c0) and not has_figure and not (date_res and date_res.precision == "day"):
            return None  # "ردا على الضربات المتعاقبة": what an attack answered, named in passing
        specific = [p for p in places if not p.destination and p.rank >= 4]
        if generic_only and not has_figure and not specific and not (date_res and date_res.precision == "day"):
            return None
        if _SEPARATE_RE.search(text, c0, c1) and not has_figure:
            return None  # "عدة هجمات منفصلة": a summary of incidents told one by one elsewhere
        armed = [a for a in attackers + victims if is_armed(a)]
        # a party the target belongs to, though its role is not told: "مستودعات تابعة للحرس الثوري"
        named_armed = armed or [a.name for a in acts if is_armed(a.name)
                                and _BELONGS_PRE.search(text, max(c0, a.start - 14), a.start)]
        where = [p for p in places if not p.destination]
        casualties = [c for c in claims if c.kind in ("fatalities", "wounded")]
        # what makes a report of an incident: people killed or hurt in an attack or at a place or by
        # a named party; or an attack with a named armed party and a place, a day or a target
        dependent = False
        military_site = any(p.kind in ("airport_airbase", "military_site") and not p.destination for p in places)
        if casualties:
            if not (attack_cls or armed or where or victims):
                # "ارتفعت الحصيلة الى 15 قتيلا": a figure for an incident told elsewhere
                dependent = True
        elif attack_cls:
            strike = _is_strike(classes)
            military_target = military_site or _MILITARY_TARGET_RE.search(text, c0, c1) is not None
            if not named_armed and not (strike and (military_target or any(p.rank >= 5 and not p.destination for p in places))) \
                    and not ("explosion" in attack_cls and military_site) \
                    and not ("attack" in attack_cls and military_site and date_res and date_res.precision == "day"):
                # an attack needs a named armed party, or a strike on a named or a military site ("قصف
                # صاروخي على مواقع عسكرية"); explosions, a military airport or base ("انفجارات تهز مطار حماة العسكري");
                # an attack on a military airport or base on a given day ("هجوم على مطار الشعيرات مساء الاثنين")
                return None
            if not (where or date_res or len(attackers + victims) >= 2 or attack_cls & (REMOTE - {"explosion"})):
                return None
        else:
            return None
        if self.off_topic and not armed:
            return None
        if accident and not (military_site or named_armed):
            return None  # a fire or a blast with no armed party and at no military site: an accident
        # history: a clause dated only by a year well before the report
        years = [int(y) for m in _OLD_YEAR_RE.finditer(text, c0, c1) for y in m.groups() if y]
        if years and ref_year(self.doc) and max(years) < ref_year(self.doc) - 1 and not (date_res and date_res.precision == "day"):
            return None
        # background: an incident dated well before the report
        ref = self.doc.reference_date
        if ref and date_res and date_res.date and date_res.precision in ("day", "month"):
            if (ref - date_res.date).days > 45:
                return None
        if ref and date_res and not date_res.date and date_res.window and (ref - date_res.window[1]).days > 45:
            return None  # "في العام الماضي": a period that ended well before the report
        admin = admin1_of(places)
        admin1 = admin[0] if admin else None
        weapons = [(h.value, h) for h in weapon_matcher().finditer(text, c0, c1)]
        other = "other" in cues and any(
            re.match(r'^\s*"?(?:ال)?(?:اخر|اخري|مماثل|مماثله|منفصله|منفصل|متفرقه)(?!\w)', text[h.end : h.end + 14])
            for h in trig if h.value in ATTACK_CLASSES
        )
        # "قتل تسعة آخرون في مناطق أخرى": losses elsewhere, another incident than the one just told
        if _OTHER_PLACES_RE.search(text, c0, c1):
            if not specific:
                return None  # a remainder over places it does not name: no incident of its own
            other = True
        hedged = {a.name for a in acts if a.name in attackers and _SUSPECT_PRE.search(text, max(c0, a.start - 30), a.start)}
        m = Mention(
            part=part, sent=s, start=c0, end=c1, order=self.order, role=s.role if part.name == "text" else "headline",
            spread=spread, hedged=hedged,
            triggers=trig, classes=classes, cues=cues, actors=acts, attackers=attackers, victims=victims,
            places=places, admin1=admin1, date=date_res, date_span=date_span, claims=claims, weapons=weapons,
            victim_kinds=victim_kinds, claimant=claimant, backref=bool(_BACKREF_RE.match(text[c0 : c0 + 30])),
            anaphor=not date_res and not any(p.rank >= 4 and not p.destination for p in places)
            and _ANAPHOR_RE.search(text, c0, c1) is not None,
            other=other, uncertain="uncertain" in cues, context_admin1=self.last_admin1, dependent=dependent,
            retold=_pluperfect(text, c0, c1) or _MOTIVE_RE.match(text, c0) is not None
            or bool(ref and date_res and date_res.window and (ref - _latest(date_res)).days > RECALLED_DAYS),
        )
        if self.locate is not None:
            m.points = self.locate(m)
        return m

    @staticmethod
    def _figure_kind(text: str, q: Quantity, cas: list[Hit], c0: int, c1: int) -> str | None:
        """fatalities / wounded / both (a combined "killed and wounded" figure) / None."""
        if _SUBSET_RE.search(text[max(c0, q.start - 40) : q.start]):
            return None
        if q.category == "killed":
            after = text[q.end : q.end + 12]
            # "عشرات القتلى والجرحى": one figure for both; a bare plural counts each side apart
            combined = q.kind != "plural" and re.match(r"^\s*و\s*(?:ال)?(?:جرحي|مصابين|اصابات)", after)
            return "both" if combined else "fatalities"
        if q.category == "wounded":
            return "wounded"
        best: tuple[float, Hit] | None = None
        # a figure follows the word that counts it ("مقتل 4 واصابة 2"); a word after the figure
        # counts it only as a passive verb ("40 عنصرا ... قتلوا")
        preceding = any(h.end <= q.start and q.start - h.end <= 70 for h in cas)
        for h in cas:
            if h.end <= q.start:
                gap = q.start - h.end
                if gap > 70:
                    continue
                score = gap
            elif h.start >= q.end:
                gap = h.start - q.end
                if gap > 60 or (preceding and not (h.entry in _PASSIVE_VERBS and gap <= 30)):
                    continue
                score = gap * 1.3 + 5
            else:
                continue
            if best is None or score < best[0]:
                best = (score, h)
        if best is None:
            return None
        h = best[1]
        if q.noun is None and q.kind not in ("dual",) and abs(h.end - q.start) > 40 and not re.search(r"الي\s*$", text[max(c0, q.start - 6) : q.start]):
            return None
        # "مقتل واصابة N" / "N قتلى وجرحى": one combined figure
        if h.end <= q.start:
            prev = [x for x in cas if x.end <= h.start and h.start - x.end <= 3]
            if prev and _COMBINED_RE.match(text[prev[-1].end : h.start]) and prev[-1].value != h.value:
                return "both"
        return "fatalities" if h.value == "kill" else "wounded"

    def _statistic(self, part: Part, s: Sentence, claimant: Claimant | None) -> bool:
        text = part.ntext
        counts = []
        acts = find_actors(text, s.start, s.end, self.default_org)
        for q in find_quantities(text[s.start : s.end]):
            q = _shift(q, s.start)
            if q.best is None and q.low is None:
                continue
            ev = part.evidence(q.start, q.end, "count")
            # the party counted: an actor named right after the figure ("1339 قتيلا من قوات السلطة")
            party = next((a.name for a in acts if q.end <= a.start <= q.end + 40), None)
            counts.append({"value": q.best if q.best is not None else q.low, "qualifier": q.qualifier,
                           "category": q.noun, "party": party, "text": ev["text"], "start": ev["start"],
                           "end": ev["end"]})
        if not counts:
            return False
        period_start = None
        for d, _rep in self._dates_in(part, s.start, s.end):
            r = dates_mod.resolve(d, self.doc.reference_date, self.doc.years)
            if r.date:
                period_start = r.date.isoformat()
                break
        self.doc.statistics.append({
            "period_start": period_start,
            "period_end": self.doc.reference_date.isoformat() if self.doc.reference_date else None,
            "counts": counts,
            "claimant": claimant.name if claimant else (self.doc.source.source or "outlet"),
            "claimant_type": claimant.type if claimant else "outlet",
            "evidence": [part.evidence(s.start, s.end, "statistic")],
        })
        return True

    # -- merging --------------------------------------------------------------------------------

    def merge(self, mentions: list[Mention]) -> list[Event]:
        # who attacks whom in this article: an incident told without its attacker takes the one
        # that the article names against the same victims
        for m in mentions:
            for a in m.attackers:
                if a != "Unidentified Armed Group":
                    for v in m.victims:
                        self.dyads.setdefault(v, set()).add(a)
        events: list[Event] = []
        body = [m for m in mentions if m.role == "body"]
        heads = [m for m in mentions if m.role != "body"]
        for m in body:
            target = self._best(m, events)
            if target is None and m.dependent:
                continue
            if target is None:
                e = Event()
                e.add(m)
                events.append(e)
            else:
                target.add(m)
        for m in heads:
            target = self._best(m, events, headline=True)
            if target is not None:
                target.add(m)
            elif not events and (m.claims or (m.attackers and m.victims) or _strike_on_a_site(m)):
                e = Event()
                e.add(m)
                events.append(e)
        return events

    def _best(self, m: Mention, events: list[Event], headline: bool = False) -> Event | None:
        best: tuple[float, Event] | None = None
        latest = max(events, key=lambda e: e.last_order) if events else None
        # an article refers back to incidents it told recently: the last few suffice, and keep a long
        # text linear rather than quadratic
        recent = events if len(events) <= RECENT_EVENTS else sorted(events, key=lambda e: e.last_order)[-RECENT_EVENTS:]
        for e in recent:
            score = _compat(m, e, self.doc.reference_date)
            if score is None:
                continue
            if e is latest:
                if m.other:
                    continue
                if m.anaphor and not headline:
                    return e  # "the attack" without a place or day of its own: the incident just told
                score += 1.0
            if best is None or score > best[0]:
                best = (score, e)
        if best is None:
            return None
        score, e = best
        own_info = bool(m.date or m.precise_kill or m.specific_places())
        if headline or m.backref or m.dependent or m.anaphor:
            return e if score >= 1 else None
        if not own_info:
            return e if score >= 1 or e is latest else None
        return e if score >= 2 else None


def _compat(m: Mention, e: Event, ref: dt.date | None = None) -> float | None:
    """None when m cannot describe e's incident, else a similarity score."""
    score = 0.0
    ed = e.date
    if m.retold and not e.first.retold and not (
            m.date and ed and m.date.precision == "day" and ed.precision == "day" and m.date.date == ed.date):
        return None  # an earlier incident recalled is not the news the article opened with
    if m.date and ed and m.date.date and ed.date:
        if m.date.precision == "day" and ed.precision == "day":
            if m.date.date != ed.date:
                return None
            score += 3
    elif ref and m.date and m.date.date and m.date.precision == "day" and not (ed and ed.date) and m.role == "body" \
            and not ref - dt.timedelta(days=UNDATED_DAYS) <= m.date.date <= ref:
        return None  # an undated incident is one of the report's last days: a strike a month before is another
    ea = e.admin1
    if m.admin1 and ea:
        if m.admin1 != ea:
            return None
        score += 1
    ek = e.victim_kinds
    if m.victim_kinds and ek and not (m.victim_kinds & ek) and m.role == "body" and not m.anaphor:
        return None
    e_att, e_vic = e.attackers, e.victims
    symmetric = m.classes <= (CASUALTY | {"clash", "attack", "ambush", "gunfire"})
    if m.attackers and e_vic and set(m.attackers) & set(e_vic) and not (set(m.attackers) & set(e_att)):
        if not symmetric or (m.classes & REMOTE):
            return None
    # roles reversed: those hit here are the attackers there (only a battle hurts both sides)
    if m.victims and e_att and set(m.victims) & set(e_att) and not set(m.victims) & set(e_vic):
        if "clash" not in e.classes | m.classes:
            return None
    if m.attackers and e_att and not set(m.attackers) & set(e_att):
        # (an attacker named only as a suspicion does not tell the incidents apart)
        known = [a for a in m.attackers + e_att if a != "Unidentified Armed Group" and a not in m.hedged]
        if len(set(known)) > 1 and not all(same_camp(known[0], a) for a in known[1:]):
            return None
    armed_v = [v for v in m.victims if v != "Civilians"]
    e_armed_v = [v for v in e_vic if v != "Civilians"]
    allied = any(same_camp(v, w) for v in armed_v for w in e_armed_v)  # "regime forces" and "Iranian fighters"
    if armed_v and e_armed_v and not set(armed_v) & (set(e_vic) | set(e_att)) and m.role == "body" and not m.anaphor \
            and not allied:
        # different armed victims: another incident unless they are allied units named differently
        if not (m.attackers and set(m.attackers) & set(e_att)):
            return None
    if set(m.attackers + m.victims) & set(e_att + e_vic):
        score += 1
    # places
    mp = {p.name for p in m.specific_places()}
    ep = {p.name for mm in e.body for p in mm.specific_places()}
    if mp and not ep and ea and not m.admin1 and _site_in(m, ea):
        score += 1.5  # a site within the area told before: "غارة في ريف دير الزور ... على بلدة الهري"
    elif (mp or m.admin1) and not ep and not ea:
        score += 1  # the first place told of an incident told without one ("هجمات جنوبي سوريا ... مدينة السويداء")
    if mp and ep:
        if mp & ep or any(a in b or b in a for a in mp for b in ep) or _same_site(m, e):
            score += 2
        elif m.precise_kill and e.precise_kill() and not (m.precise_kill & e.precise_kill()):
            return None
        elif _NEW_INCIDENT_RE.match(m.part.ntext, m.sent.start) and m.start == m.sent.start and (
            {p.name for p in m.places if p.rank >= 5 and not p.destination}
            and not {p.name for p in m.places if p.rank >= 5} & {p.name for mm in e.body for p in mm.places}
        ):
            return None
    shared = (m.classes & e.classes) - CASUALTY - {"attack"}
    if shared:
        score += 1
    mt = set(_TARGET_NOUN_RE.findall(m.part.ntext, m.start, m.end))
    if mt and mt & {t for mm in e.body for t in _TARGET_NOUN_RE.findall(mm.part.ntext, mm.start, mm.end)}:
        score += 1
    mk, ek2 = m.precise_kill, e.precise_kill()
    if mk and ek2:
        if mk & ek2:
            score += 2
        elif "rising" in m.cues:
            score += 1.5
        elif m.claimant and all(c.claimant == m.claimant.name for mm in e.body for c in mm.claims):
            return None
    if m.backref:
        score += 0.5
    last = max(e.body, key=lambda x: x.order)
    if m.claimant and last.claimant and m.claimant.type == last.claimant.type and m.claimant.type != "outlet":
        score += 1  # the same speaker goes on about the same incident
    if (m.classes & REMOTE) and (e.classes & REMOTE) and (m.classes & e.classes & REMOTE):
        score += 0.5
    return score


SAME_SITE_KM = 3.0


def _same_site(m: Mention, e: Event) -> bool:
    """One of m's places and one of e's are a single site under two names ("تي فور", "قاعدة تياس"):
    gazetteer candidates within SAME_SITE_KM of each other."""
    mine = [pt for pts in m.points.values() for pt in pts]
    if not mine:
        return False
    theirs = [pt for mm in e.body for pts in mm.points.values() for pt in pts]
    return any(km_between(a[:2], b[:2]) <= SAME_SITE_KM for a in mine for b in theirs)


def _site_in(m: Mention, admin1: str) -> bool:
    """Every place m names specifically lies, by the gazetteer, in the governorate admin1."""
    found = [pts for pts in m.points.values() if pts]
    return bool(found) and all(any(pt[2] == admin1 for pt in pts) for pts in found)


def _coordinate(text: str, claims: list[Claim]) -> list[Claim]:
    """Add up figures of one kind joined by و: "مقتل امراة وطفلين" is three killed."""
    out: list[Claim] = []
    for c in claims:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == c.kind and prev.precise and c.precise and prev.claimant == c.claimant
                and _COORD_GAP_RE.fullmatch(text, prev.end, c.start)):
            out[-1] = dataclasses.replace(
                prev, end=c.end, low=(prev.low or 0) + (c.low or 0), best=(prev.best or 0) + (c.best or 0),
                high=None if prev.high is None or c.high is None else prev.high + c.high,
                qualifier=prev.qualifier or c.qualifier)
        else:
            out.append(c)
    return out


def ref_year(doc: Document) -> int | None:
    if doc.reference_date:
        return doc.reference_date.year
    return max(doc.years) if doc.years else None


def _shift(q: Quantity, offset: int) -> Quantity:
    return dataclasses.replace(q, start=q.start + offset, end=q.end + offset, num_start=q.num_start + offset,
                               num_end=q.num_end + offset)


# ---------------------------------------------------------------------------------------------
# classification and output

EVENT_TYPES = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


def classify(e: Event) -> tuple[str, str]:
    """ACLED event type and sub-event type. When tactics co-occur: a reported exchange of fire
    makes a battle; otherwise a suicide bombing, then an air/drone strike, then shelling, then
    an explosive device; a ground attack on civilians is violence against civilians; anything
    else with armed targets is an armed clash."""
    c = e.classes
    victims = e.victims
    civilians_only = bool(victims) and all(v == "Civilians" for v in victims) or (
        e.victim_kinds == {"civilians"} and not [v for v in victims if v != "Civilians"]
    )
    if "clash" in c:
        return "Battles", "Armed clash"
    if "chemical" in c:
        return "Explosions/Remote violence", "Chemical weapon"
    if "suicide" in c:
        return "Explosions/Remote violence", "Suicide bomb"
    if c & {"air", "drone"} or ("aircraft" in c and c & {"attack", "kill", "wound", "explosion"}):
        return "Explosions/Remote violence", "Air/drone strike"
    if "shell" in c or ("artillery" in c and c & {"attack", "kill", "wound", "explosion"}):
        return "Explosions/Remote violence", "Shelling/artillery/missile attack"
    if c & {"ied", "explosion"}:
        return "Explosions/Remote violence", "Remote explosive/landmine/IED"
    if "grenade" in c:
        return "Explosions/Remote violence", "Grenade"
    if "abduction" in c and not (c & KILL):
        return "Violence against civilians", "Abduction/forced disappearance"
    if civilians_only:
        return "Violence against civilians", "Attack"
    return "Battles", "Armed clash"


def event_record(e: Event, doc: Document, assembler: Assembler) -> dict[str, Any]:
    ev_type, sub = classify(e)
    evidence: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int, str]] = set()

    def add(part: Part, start: int, end: int, field_name: str) -> None:
        key = (part.name, start, end, field_name)
        if key in seen or end <= start:
            return
        seen.add(key)
        evidence.append(part.evidence(start, end, field_name))

    for m in e.mentions:
        add(m.part, m.start, m.end, "event")
    # date
    date = e.date
    date_str: str | None = None
    precision = "unknown"
    window = None
    time_of_day = None
    if date and date.date:
        date_str, precision = date.date.isoformat(), date.precision
        window = date.window
        time_of_day = date.part_of_day
        for m in e.body:
            if m.date is date and m.date_span:
                add(m.part, *m.date_span, "date")
                break
    elif doc.reference_date is not None and not e.first.retold:
        # no day in the text: the incident happened within the reporting week (an earlier one recalled
        # without its day, "وكانت اسرائيل قد شنت ضربات مماثلة", happened at a time the text does not fix)
        date_str, precision = doc.reference_date.isoformat(), "week"
        window = (doc.reference_date - dt.timedelta(days=UNDATED_DAYS), doc.reference_date)
    # actors
    attackers, victims = e.attackers, e.victims
    warnings: list[str] = []
    if not attackers and victims:
        known = {a for v in victims for a in assembler.dyads.get(v, ())} - set(victims)
        if len(known) == 1:
            attackers = [known.pop()]
            warnings.append(f"actor1 not named for this incident; taken from the rest of the article ({attackers[0]})")
    if not attackers and len([v for v in victims if v != "Civilians"]) >= 2 and not (e.classes & REMOTE):
        attackers = [victims[0]]  # a fight between two named sides, losses on both: the first named is actor1
    if not attackers:
        attackers = ["Unidentified Armed Group"]
    victims = [v for v in victims if v != attackers[0]]
    actor1 = attackers[0]
    actor2 = victims[0] if victims else None
    assoc1 = [a for a in attackers[1:] if a != actor2]
    assoc2 = [v for v in victims[1:]]
    surface: dict[str, list[str]] = {}
    units: list[str] = []
    for m in e.body:
        for a in m.actors:
            s, en = m.part.norm.orig_span(a.start, a.end)
            surface.setdefault(a.name, [])
            w = m.part.text[s:en]
            if w not in surface[a.name]:
                surface[a.name].append(w)
            if a.name in (actor1, actor2):
                add(m.part, a.start, a.end, "actor1" if a.name == actor1 else "actor2")
            if a.unit and a.unit not in units:
                units.append(a.unit)
    # location
    loc = e.location
    location = None
    admin1 = e.admin1
    if loc is not None:
        p, _a1, m = loc
        s, en = m.part.norm.orig_span(p.start, p.end)
        location = m.part.text[s:en].strip(' "،')
        add(m.part, p.start, p.end, "location")
    if admin1 is None:
        admin1 = next((m.context_admin1 for m in e.body if m.context_admin1), None)
        if admin1 is not None:
            warnings.append("governorate not named in the sentence; taken from the preceding text")
    # figures
    all_claims = [c for m in e.mentions for c in m.claims]
    body_claims = [c for m in e.body for c in m.claims] or all_claims
    fat = combine([c for c in body_claims if c.kind == "fatalities"])
    wnd = combine([c for c in body_claims if c.kind == "wounded"])
    for c in body_claims:
        add(c.part, c.start, c.end, c.kind)
    weapons = _ordered(w for m in e.body for w, _h in m.weapons)
    for m in e.body:
        for _w, h in m.weapons:
            add(m.part, h.core_start, h.end, "weapons")
    kinds = e.victim_kinds
    victims_kind = "mixed" if len(kinds) > 1 else (next(iter(kinds)) if kinds else "unknown")
    if any(m.uncertain for m in e.body):
        warnings.append("reported with hedging (believed / reports of): treat as unconfirmed")
    if fat and fat["best"] is None and fat["low"] is not None:
        warnings.append("fatalities given without a figure; low bound only")
    acled_fat = (fat or {}).get("low") or 0
    ev_out: dict[str, Any] = {
        "date": date_str,
        "date_precision": precision,
        "date_window": [window[0].isoformat(), window[1].isoformat()] if window else None,
        "time_of_day": time_of_day,
        "event_type": ev_type,
        "sub_event_type": sub,
        "disorder_type": EVENT_TYPES[ev_type],
        "actor1": actor1,
        "assoc_actor_1": assoc1,
        "inter1": inter_code(actor1),
        "actor2": actor2,
        "assoc_actor_2": assoc2,
        "inter2": inter_code(actor2),
        "actor_surface": surface,
        "location": location,
        "admin1": admin1,
        "admin1_ar": None,
        "admin2": None,
        "admin2_ar": None,
        "admin3": None,
        "admin3_ar": None,
        "lat": None,
        "lon": None,
        "geo_precision": None,
        "place_name_ar": None,
        "place_name_en": None,
        "place_kind": None,
        "pcode": None,
        "geonames_id": None,
        "fatalities": fat,
        "wounded": wnd,
        "fatalities_acled": acled_fat,
        "claims": _unique_claims(all_claims),
        "victims": victims_kind,
        "weapons": weapons,
        "units": units,
        "civilian_targeting": "Civilian targeting" if "civilians" in kinds else "",
        "evidence": evidence,
        "warnings": warnings,
        # the sentence that first told it recalls it ("وكانت دمشق قد اتهمت ..."); later ones only add detail
        "retold": e.first.retold,
    }
    ev_out["admin1_text"] = admin1  # what the text says; geocoding may refine admin1 (removed on output)
    return ev_out


def _unique_claims(claims: list[Claim]) -> list[dict[str, Any]]:
    """Every figure once per claimant: a headline repeating the lead's figure is not a second claim."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for c in sorted(claims, key=lambda c: (c.part.name != "text", c.order)):
        key = (c.kind, c.low, c.best, c.high, c.claimant)
        if key not in seen:
            seen.add(key)
            out.append(c.to_json())
    return out


__all__ = ["Assembler", "Event", "Mention", "classify", "event_record"]
