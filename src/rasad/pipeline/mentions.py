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
from rasad.gazetteer import km_between
from rasad.lang.lexicon import Hit, cue_matcher, governorate_matcher, trigger_matcher, weapon_matcher
from rasad.lang.patterns import (
    FILTER_OTHER_PLACES,
    INCIDENT_TARGET_NOUN,
    MENTION_ANAPHOR,
    MENTION_BACKREF,
    MENTION_MOTIVE,
    MENTION_OTHER_AFTER,
    MENTION_PLUPERFECT,
    MENTION_SUSPECT_BEFORE,
    SITES_BETWEEN,
    SITES_JOINED,
    SITES_NEXT_TARGET,
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
from rasad.pipeline.annotate.places import PlaceMention, admin1_of, government_not_place
from rasad.pipeline.figures import Claim
from rasad.pipeline.filters import (
    ATTACK_CLASSES,
    REMOTE,
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
SITE_RANK = 5  # a town, a village, a base, an airport, a field: a site of its own
SITES_GAP = 24  # characters at most between two sites listed in one clause without a word of attack between
SAME_SITE_KM = 3.0  # two names of places this close are one site
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
    # a copy of a clause that names several sites struck (per_site): the clause's span, shared by its copies
    site_of: tuple[int, int] | None = None
    told: tuple[int, int] | None = None  # the stretch of the clause that tells this copy's site (its evidence)
    hedged: set[str] = field(default_factory=set)  # attackers named only as a suspicion ("يشتبه بأنه هجوم أميركي")
    # specific place -> where it may lie: (lat, lon, governorate) of its gazetteer candidates
    points: dict[str, tuple[tuple[float, float, str | None], ...]] = field(default_factory=dict)
    toponyms: list[Any] | None = None  # the geocoder's toponyms of this clause, found once (geocode.Toponym)
    kept_by: str = ""  # the rule that kept its clause (filters.why_kept)
    joined_by: str = ""  # how it went into its incident (incidents.JOIN_RULES)

    @property
    def precise_kill(self) -> set[int]:
        return {c.best for c in self.claims if c.kind == "fatalities" and c.precise and c.best is not None}

    def specific_places(self) -> list[PlaceMention]:
        return [p for p in self.places if not p.destination and p.rank >= 4]


def pluperfect(text: str, c0: int, c1: int) -> bool:
    """The clause tells what had happened before ("وكانت إسرائيل قد قصفت"); a statement made before
    ("وكان التلفزيون قد أكد تعرض المواقع لقصف") tells the incident at hand."""
    return any(not SAYING_VERB_RE.match(text, m.end()) for m in MENTION_PLUPERFECT.finditer(text, c0, c1))


def latest_day(d: dates_mod.Resolved) -> dt.date:
    """The latest day a resolved date allows; for a week-precise date its day ("قبل أسبوع": a week ago)."""
    assert d.window is not None
    return d.date if d.precision == "week" and d.date else d.window[1]


def per_governorate(m: Mention) -> list[Mention]:
    """One mention a governorate, for a strike told over several ("في ريفي حماة وحلب")."""
    govs = admin1_of(m.places)
    if not m.spread or len(govs) < 2:
        return [m]
    # each governorate's stretch of the clause, its evidence: from the end of the name before it (a descriptor may
    # stand for both: "في ريفي إدلب واللاذقية") to where the next one is named
    firsts = [min((p for p in m.places if p.admin1 == g and not p.destination), key=lambda p: p.start) for g in govs]
    lo = [m.start, *(p.end for p in firsts[:-1])]
    hi = [*(p.start for p in firsts[1:]), m.end]
    return [dataclasses.replace(m, admin1=g, places=[p for p in m.places if p.admin1 in (None, g)], spread=False,
                                only_admin1=g, told=(lo[i], hi[i]),
                                points={k: tuple(pt for pt in v if pt[2] == g) for k, v in m.points.items()})
            for i, g in enumerate(govs)]


def per_site(m: Mention) -> list[Mention]:
    """One mention a site, for a strike without a figure told on several sites joined by و ("استهداف قاعدة
    حقل العمر بـ 4 صواريخ، واستهداف قاعدة خراب الجير"، "قاعدتي خراب الجير والمالكية"): each site is its own
    incident. A figure told for them all makes one incident (at the area); two names of one site, or a site
    and the place it lies in ("القرية الخضراء في حقل العمر"), are one."""
    if m.claims or m.only_admin1 or not (m.classes & SITE_SPLIT_CLASSES) or m.classes & {"clash"}:
        return [m]
    sites = struck_sites(m)
    if len(sites) < 2:
        return [m]
    text = m.part.ntext
    cuts = [m.start] + [SITES_JOINED.search(text, a1, b0).start()  # type: ignore[union-attr]
                        for (_a0, a1, _k), (b0, _b1, _l) in zip(sites, sites[1:], strict=False)] + [m.end]
    first = sites[0][0]
    out = []
    for i, (_s0, _s1, key) in enumerate(sites):
        lo, hi = cuts[i], cuts[i + 1]

        def mine(pos: int, rank: int, lo: int = lo, hi: int = hi) -> bool:
            # its own stretch of the clause, or what the clause says before its first site ("في ريف حلب، بلدتي …")
            return lo <= pos < hi or (pos < first and rank < SITE_RANK)

        keep = [p for p in m.places if mine(p.start, p.rank)]
        tops = None if m.toponyms is None else [t for t in m.toponyms if mine(t.start, t.rank)]
        names = {key} | {p.name for p in keep} | {t.key for t in tops or []}
        govs = admin1_of(keep)
        out.append(dataclasses.replace(m, places=keep, toponyms=tops, site_of=(m.start, m.end), told=(lo, hi),
                                       admin1=govs[0] if govs else m.admin1,
                                       points={k: v for k, v in m.points.items() if k in names}))
    return out


def struck_sites(m: Mention) -> list[tuple[int, int, str]]:
    """The sites a clause names (a place of a town's or a site's rank, by its descriptor or the gazetteer), in
    order, when each is joined to the one before by و and they are not one site; else []."""
    found: list[tuple[int, int, str]] = [(p.start, p.end, p.name) for p in m.places
                                         if p.rank >= SITE_RANK and not p.destination]
    for t in m.toponyms or []:
        if t.rank >= SITE_RANK and t.candidates and not any(a < t.end and t.start < b for a, b, _k in found):
            found.append((t.start, t.end, t.key))
    found.sort()
    text = m.part.ntext
    for (a0, a1, ka), (b0, _b1, kb) in zip(found, found[1:], strict=False):
        if not SITES_JOINED.search(text, a1, b0) or ka in kb or kb in ka or SITES_BETWEEN.search(text, a0, b0):
            return []  # not joined, one name in the other, or "بين حمص وتدمر": where a site lies, not two sites
        if b0 - a1 > SITES_GAP and not INCIDENT_TARGET_NOUN.search(text, a1, b0) and not SITES_NEXT_TARGET.search(text, a1, b0) and not any(
                a1 <= h.start < b0 and h.value in SITE_SPLIT_CLASSES for h in m.triggers):
            return []  # far apart, unless a word of attack or another target opens the next ("، واستهداف قاعدة")
        pa, pb = m.points.get(ka, ()), m.points.get(kb, ())
        if any(km_between(x[:2], y[:2]) <= SAME_SITE_KM for x in pa for y in pb):
            return []
    return found


def said_long_ago(c: Clause) -> bool:
    """The clause reports what a party said more than RECALLED_DAYS before the report ("وكان تنظيم X أعلن في
    شباط الماضي أن عناصره قتلوا"): what it said happened before it said it, an earlier incident recalled."""
    ref = c.doc.reference_date
    if ref is None:
        return False
    for d, rep in c.sent_dates:
        if rep and c.c0 <= d.start < c.c1:
            r = dates_mod.resolve(d, ref, c.doc.years)
            if r.window and (ref - latest_day(r)).days > RECALLED_DAYS:
                return True
    return False


def report_dates(text: str, sent_start: int, ds: list[dates_mod.DateExpr]) -> list[bool]:
    """For each date of a sentence (in order), whether it dates the report, not the incident: it stands after
    a reporting verb with no trigger word or complementiser between them ("then", "وأفادت حينها", points back
    at the incident's time and never dates the report). The verbs and what may stand
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
        if k < 0 or d.then:
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


SITE_SPLIT_CLASSES = REMOTE | ATTACK_CLASSES  # strikes and attacks: one per site struck


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
        moved = moves_or_holds(text)  # (without a word of people displaced, detained or missing, no sentence asks)
        if not trig_all:  # no word of violence: only counts of people displaced, detained or missing to read
            for s in part.sentences if moved else ():
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
                if moved:
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
                copies = [c for g in per_governorate(m) for c in per_site(g)]
                if self.trace is not None:
                    self.trace.split(m, copies)
                out.extend(copies)
        return out

    def note_governorates(self, part: Part, sentences: list[Sentence]) -> None:
        """Remember the governorate the text last spoke of (for sentences that name none)."""
        if self._gov_hits is None or self._gov_part is not part:
            self._gov_part = part
            text = part.ntext  # (the capital standing for the government, "موالين لدمشق", is no place spoken of)
            self._gov_hits = [(h.start, h.value) for h in governorate_matcher().finditer(text)
                              if not government_not_place(text, h)]
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
        if m is not None:
            m.kept_by = verdict.rule
        if self.trace is not None:
            self.trace.clause(c, trig, dropped or [], verdict, m)
        return m

    def _build(self, c: Clause) -> Mention:
        """The mention of a clause the filters keep."""
        text, c0, c1, part = c.text, c.c0, c.c1, c.part
        ref = self.doc.reference_date
        date_res, date_span = c.dated
        admin = admin1_of(c.places)
        other = ("other" in c.cues and any(MENTION_OTHER_AFTER.match(text[h.end : h.end + OTHER_AFTER])
                                           for h in c.triggers if h.value in ATTACK_CLASSES)) \
            or FILTER_OTHER_PLACES.search(text, c0, c1) is not None  # "قتل تسعة آخرون في مناطق أخرى": losses elsewhere
        m = Mention(
            part=part, sent=c.sent, start=c0, end=c1, order=self.order, role=c.sent.role if part.name == "text" else "headline",
            spread=c.spread, hedged={a.name for a in c.actors if a.name in c.attackers
                                     and MENTION_SUSPECT_BEFORE.search(text, max(c0, a.start - SUSPECT_BEFORE), a.start)},
            triggers=c.triggers, classes=c.classes, cues=c.cues, actors=c.actors, attackers=c.attackers,
            victims=c.victims, places=c.places, admin1=admin[0] if admin else None, date=date_res, date_span=date_span,
            claims=c.claims, weapons=[(h.value, h) for h in weapon_matcher().finditer(text, c0, c1)],
            victim_kinds=c.figures[1], claimant=c.claimant, backref=bool(MENTION_BACKREF.match(text[c0 : c0 + BACKREF_WITHIN])),
            anaphor=not date_res and not c.specific and MENTION_ANAPHOR.search(text, c0, c1) is not None,
            other=other, uncertain="uncertain" in c.cues, context_admin1=self.last_admin1, dependent=c.dependent,
            retold=pluperfect(text, c0, c1) or MENTION_MOTIVE.match(text, c0) is not None
            or bool(ref and date_res and date_res.window and (ref - latest_day(date_res)).days > RECALLED_DAYS)
            or said_long_ago(c),
        )
        if self.locate is not None:
            m.points = self.locate(m)
        return m


__all__ = ["Locate", "Mention", "MentionReader", "moves_or_holds", "per_governorate", "per_site"]
