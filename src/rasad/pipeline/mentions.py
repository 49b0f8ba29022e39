"""Turn a part's sentences and clauses into mentions: one clause holding a word of violence that the
filters keep (pipeline/filters.py decides), with what it tells (who, where, when, how many).

The reader goes through a part sentence by sentence in reading order; it carries the claimant of a
sentence over to the next one that goes on with it ("وأضاف"), the date of a clause over to the next
clause that gives none, and remembers the governorate the text last spoke of.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rasad.document import Document, Part, Sentence
from rasad.lang.lexicon import Hit, cue_matcher, governorate_matcher, trigger_matcher, weapon_matcher
from rasad.lang.patterns import (
    ANAPHOR_RE,
    BACKREF_RE,
    MOTIVE_RE,
    OTHER_AFTER_RE,
    OTHER_PLACES_RE,
    PLUPERFECT_RE,
    SUSPECT_BEFORE_RE,
)
from rasad.pipeline.annotate import dates as dates_mod
from rasad.pipeline.annotate.actors import ActorMention
from rasad.pipeline.annotate.claimants import (
    COMPLEMENTISER_RE,
    REPORT_VERB_RE,
    SAYING_VERB_RE,
    Claimant,
    continues_previous,
    find_claimant,
)
from rasad.pipeline.annotate.places import PlaceMention, admin1_of
from rasad.pipeline.figures import Claim
from rasad.pipeline.filters import (
    ATTACK_CLASSES,
    Clause,
    Drop,
    SentenceContext,
    Verdict,
    counted_triggers,
    judge_clause,
    judge_sentence,
)
from rasad.pipeline.record import statistic

if TYPE_CHECKING:
    from rasad.pipeline.trace import Trace

# where the places a mention names may lie, by the gazetteer (geocode.Geocoder.mention_points)
Locate = Callable[["Mention"], dict[str, tuple[tuple[float, float, str | None], ...]]]
RECALLED_DAYS = 6  # news is of the last days: an incident dated before them is recalled
SKIPPED_ROLES = ("furniture", "caption")  # sentences that are no part of the report
# how far (characters) a word may stand from what it qualifies
BACKREF_WITHIN = 30  # "وبعد ساعات من" opens the clause
SUSPECT_BEFORE = 30  # "يشتبه بأن" before the attacker it hedges
OTHER_AFTER = 14  # "آخر", "مماثلة" right after the attack word


@dataclass
class Mention:
    """One kept clause holding a word of violence, with what it tells: who, where, when, how many."""

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


def pluperfect(text: str, c0: int, c1: int) -> bool:
    """The clause tells what had happened before ("وكانت إسرائيل قد قصفت"); a statement made before
    ("وكان التلفزيون قد أكد تعرض المواقع لقصف") tells the incident at hand."""
    return any(not SAYING_VERB_RE.match(text, m.end()) for m in PLUPERFECT_RE.finditer(text, c0, c1))


def latest_day(d: dates_mod.Resolved) -> dt.date:
    """The latest day a resolved date allows; for a week-precise date its day ("قبل أسبوع": a week ago)."""
    assert d.window is not None
    return d.date if d.precision == "week" and d.date else d.window[1]


def per_governorate(m: Mention) -> list[Mention]:
    """One mention a governorate, for a strike told over several ("في ريفي حماة وحلب")."""
    govs = admin1_of(m.places)
    if not m.spread or len(govs) < 2:
        return [m]
    return [dataclasses.replace(m, admin1=g, places=[p for p in m.places if p.admin1 in (None, g)], spread=False,
                                only_admin1=g, points={k: tuple(pt for pt in v if pt[2] == g) for k, v in m.points.items()})
            for g in govs]


def report_dates(text: str, sent_start: int, ds: list[dates_mod.DateExpr]) -> list[bool]:
    """For each date of a sentence (in order), whether it dates the report, not the incident: it stands after
    a reporting verb with no trigger word or complementiser between them. The verbs and what may stand
    between are found once for the sentence (per date, the scan from the sentence's start grew quadratic
    on a sentence of many dates)."""
    if not ds:
        return []
    head = text[sent_start : max(d.start for d in ds)]
    verb_ends = [m.end() for m in REPORT_VERB_RE.finditer(head)]
    if not verb_ends:
        return [False] * len(ds)
    between = sorted([(h.start, h.end) for h in trigger_matcher().finditer(head)]
                     + [m.span() for m in COMPLEMENTISER_RE.finditer(head)])
    starts = [b[0] for b in between]
    out = []
    for d in ds:
        end = d.start - sent_start
        k = bisect_right(verb_ends, end) - 1  # the last reporting verb before the date
        if k < 0:
            out.append(False)
            continue
        i = bisect_left(starts, verb_ends[k])
        while i < len(between) and between[i][0] < end and between[i][1] > end:
            i += 1
        out.append(not (i < len(between) and between[i][0] < end))
    return out


def moves_or_holds(text: str) -> bool:
    """The text speaks of people displaced, detained or missing (a count of them is a tally even without violence)."""
    return any(h.value == "moved_or_held" for h in cue_matcher().finditer(text, 0, len(text)))


class MentionReader:
    """Reads the mentions of one document, part after part, in reading order; records its statistics."""

    def __init__(self, doc: Document, date_exprs: dict[str, list[dates_mod.DateExpr]], default_org: str | None,
                 off_topic: bool, locate: Locate | None = None, trace: Trace | None = None) -> None:
        self.doc = doc
        self.locate = locate  # a gazetteer's view of place names, to know one place under two names
        self.date_exprs = date_exprs
        self.default_org = default_org
        self.off_topic = off_topic
        self.trace = trace  # filled only when explaining
        self.order = 0
        self.last_admin1: str | None = None
        self._gov_hits: list[tuple[int, str]] | None = None
        self._gov_part: Part | None = None
        self._gov_positions: list[int] = []
        self._starts: dict[str, list[int]] = {}  # the start of each date expression of a part

    def read(self, part: Part) -> list[Mention]:
        """The mentions of one part, sentence after sentence."""
        text = part.ntext
        out: list[Mention] = []
        trig_all = trigger_matcher().findall(text)
        if not trig_all:  # no word of violence: only counts of people displaced, detained or missing to read
            for s in part.sentences:
                if s.role not in SKIPPED_ROLES:
                    self._moved_or_held(part, s, find_claimant(text, s.start, s.end, part.original_words), -10)
            self.note_governorates(part, part.sentences)
            return out
        prev_claimant: Claimant | None = None
        prev_stat = -10
        ti = 0
        for s in part.sentences:
            self.order += 1
            if s.role in SKIPPED_ROLES:
                continue
            while ti < len(trig_all) and trig_all[ti].start < s.start:
                ti += 1
            tj = ti
            while tj < len(trig_all) and trig_all[tj].start < s.end:
                tj += 1
            trig = trig_all[ti:tj]
            claimant = find_claimant(text, s.start, s.end, part.original_words)
            if claimant is None and prev_claimant is not None and continues_previous(text, s.start):
                claimant = prev_claimant
            if claimant is not None:
                prev_claimant = claimant
            if not trig:
                self._moved_or_held(part, s, claimant, prev_stat)
                self.note_governorates(part, [s])
                continue
            sent_dates = self.dates_in(part, s.start, s.end)
            verdict = self._sentence_verdict(part, s, sent_dates, prev_stat, trig)
            if verdict is not None:
                if verdict.outcome == "STATISTIC" and self._statistic(part, s, claimant, sent_dates):
                    prev_stat = s.index
                continue
            out += self._clauses(part, s, trig, claimant, sent_dates)
            self.note_governorates(part, [s])
        return out

    def _moved_or_held(self, part: Part, s: Sentence, claimant: Claimant | None, prev_stat: int) -> None:
        """A sentence without a word of violence that counts people displaced, detained or missing is a tally too."""
        hits = list(cue_matcher().finditer(part.ntext, s.start, s.end))
        cues = [h for h in hits if h.value == "moved_or_held"]
        if not cues:
            return
        sent_dates = self.dates_in(part, s.start, s.end)
        verdict = self._sentence_verdict(part, s, sent_dates, prev_stat, cues, hits)
        if verdict is not None and verdict.outcome == "STATISTIC":
            self._statistic(part, s, claimant, sent_dates)

    def _sentence_verdict(self, part: Part, s: Sentence, sent_dates: list[tuple[dates_mod.DateExpr, bool]],
                          prev_stat: int, trig: list[Hit], cues: list[Hit] | None = None) -> Verdict | None:
        """A statistic or a block for the whole sentence (filters.SENTENCE_RULES), or None; `cues`: the
        sentence's cue words when the caller has found them already."""
        if cues is None:
            cues = list(cue_matcher().finditer(part.ntext, s.start, s.end))
        ctx = SentenceContext(self.doc, part, s, cues, sent_dates, prev_stat, trig)
        verdict = judge_sentence(ctx)
        if verdict is not None and self.trace is not None:
            self.trace.sentence(part, s, trig, verdict)
        return verdict

    def _statistic(self, part: Part, s: Sentence, claimant: Claimant | None,
                   sent_dates: list[tuple[dates_mod.DateExpr, bool]]) -> bool:
        stat = statistic(self.doc, part, s, claimant, self.default_org, sent_dates)
        if stat is not None:
            self.doc.statistics.append(stat)
        if self.trace is not None:
            self.trace.statistic_recorded(part, s, stat)
        return stat is not None

    def _clauses(self, part: Part, s: Sentence, trig: list[Hit], claimant: Claimant | None,
                 sent_dates: list[tuple[dates_mod.DateExpr, bool]]) -> list[Mention]:
        """The mentions of one sentence's clauses; a clause without a date of its own takes the one before's."""
        out: list[Mention] = []
        inherited: tuple[dates_mod.Resolved, tuple[int, int]] | None = None
        for c0, c1 in s.clauses:
            ctrig = [h for h in trig if c0 <= h.start < c1]
            # the speaker named in the clause, else the sentence's when it is named before the clause
            cl = find_claimant(part.ntext, c0, c1, part.original_words) if c0 > s.start else None
            if cl is None and claimant is not None and claimant.start < c1:
                cl = claimant
            m = self.mention(part, s, c0, c1, ctrig, cl, sent_dates, inherited)
            if m is not None and m.date is not None and m.date_span is not None:
                inherited = (m.date, m.date_span)
            if m is not None:
                copies = per_governorate(m)
                if self.trace is not None:
                    self.trace.split(m, copies)
                out.extend(copies)
        return out

    def note_governorates(self, part: Part, sentences: list[Sentence]) -> None:
        """Remember the governorate the text last spoke of (for sentences that name none)."""
        if self._gov_hits is None or self._gov_part is not part:
            self._gov_part = part
            self._gov_hits = [(h.start, h.value) for h in governorate_matcher().finditer(part.ntext)]
            self._gov_positions = [pos for pos, _a in self._gov_hits]
        positions = self._gov_positions
        for s in sentences:
            if s.role in SKIPPED_ROLES:
                continue
            k = bisect_left(positions, s.start)
            if k < len(positions) and positions[k] < s.end:
                self.last_admin1 = self._gov_hits[k][1]

    def dates_in(self, part: Part, start: int, end: int) -> list[tuple[dates_mod.DateExpr, bool]]:
        """Date expressions in [start, end), each with a flag: True when it dates a report
        (between a reporting verb and what is reported), not the incident."""
        starts = self._date_starts(part.name)  # (find_dates gives them in text order)
        ds = self.date_exprs.get(part.name, [])[bisect_left(starts, start) : bisect_left(starts, end)]
        return list(zip(ds, report_dates(part.ntext, start, ds), strict=True))

    def _date_starts(self, name: str) -> list[int]:
        if name not in self._starts:
            self._starts[name] = [d.start for d in self.date_exprs.get(name, [])]
        return self._starts[name]

    def mention(self, part: Part, s: Sentence, c0: int, c1: int, trig: list[Hit], claimant: Claimant | None,
                sent_dates: list[tuple[dates_mod.DateExpr, bool]],
                inherited: tuple[dates_mod.Resolved, tuple[int, int]] | None) -> Mention | None:
        """The mention of clause [c0, c1), or None when no trigger word counts or a filter drops it."""
        if not trig:
            return None
        tracing = self.trace is not None
        dropped: list[tuple[Hit, Verdict]] | None = [] if tracing else None
        counted = counted_triggers(part.ntext, c0, c1, trig, dropped)
        if not counted and not tracing:
            return None
        c = Clause(self.doc, part, s, c0, c1, counted, claimant, sent_dates, inherited, self.default_org,
                   self.off_topic, self.order)
        if tracing:
            c.figure_notes = []
        verdict = judge_clause(c) if counted else (dropped[-1][1] if dropped else Drop("no_trigger", "no trigger word counts"))
        m = self._build(c) if verdict.outcome == "KEPT" else None
        if self.trace is not None:
            self.trace.clause(c, trig, dropped or [], verdict, m)
        return m

    def _build(self, c: Clause) -> Mention:
        """The mention of a clause the filters keep."""
        text, c0, c1, part = c.text, c.c0, c.c1, c.part
        ref = self.doc.reference_date
        date_res, date_span = c.dated
        admin = admin1_of(c.places)
        other = ("other" in c.cues and any(OTHER_AFTER_RE.match(text[h.end : h.end + OTHER_AFTER])
                                           for h in c.triggers if h.value in ATTACK_CLASSES)) \
            or OTHER_PLACES_RE.search(text, c0, c1) is not None  # "قتل تسعة آخرون في مناطق أخرى": losses elsewhere
        m = Mention(
            part=part, sent=c.sent, start=c0, end=c1, order=self.order, role=c.sent.role if part.name == "text" else "headline",
            spread=c.spread, hedged={a.name for a in c.actors if a.name in c.attackers
                                     and SUSPECT_BEFORE_RE.search(text, max(c0, a.start - SUSPECT_BEFORE), a.start)},
            triggers=c.triggers, classes=c.classes, cues=c.cues, actors=c.actors, attackers=c.attackers,
            victims=c.victims, places=c.places, admin1=admin[0] if admin else None, date=date_res, date_span=date_span,
            claims=c.claims, weapons=[(h.value, h) for h in weapon_matcher().finditer(text, c0, c1)],
            victim_kinds=c.figures[1], claimant=c.claimant, backref=bool(BACKREF_RE.match(text[c0 : c0 + BACKREF_WITHIN])),
            anaphor=not date_res and not c.specific and ANAPHOR_RE.search(text, c0, c1) is not None,
            other=other, uncertain="uncertain" in c.cues, context_admin1=self.last_admin1, dependent=c.dependent,
            retold=pluperfect(text, c0, c1) or MOTIVE_RE.match(text, c0) is not None
            or bool(ref and date_res and date_res.window and (ref - latest_day(date_res)).days > RECALLED_DAYS),
        )
        if self.locate is not None:
            m.points = self.locate(m)
        return m


__all__ = ["Locate", "Mention", "MentionReader", "moves_or_holds", "per_governorate"]
