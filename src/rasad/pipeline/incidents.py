"""Within one article: which mentions tell one incident (across documents, database/merge.py decides).

Mentions are read in order; each joins the incident it is compatible with and most similar to, or starts
a new one (group_mentions, best_incident). Two mentions are incompatible (compatibility) when they give
different days, different governorates, different victims (civilians vs combatants, or other armed
parties), reversed roles, different attackers, or different specific places with their own figures. A
headline or subhead never starts an incident when the body has one: it only adds evidence.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from rasad.document import DocumentTooLarge
from rasad.gazetteer import km_between
from rasad.lang.patterns import (
    EDGE_OF_PLACE,
    INCIDENT_ALSO,
    INCIDENT_NEW,
    INCIDENT_PLURAL_PLACE,
    INCIDENT_TARGET_NOUN,
    MENTION_ANAPHOR,
    SYRIA,
)
from rasad.pipeline.annotate import dates as dates_mod
from rasad.pipeline.annotate.actors import same_camp
from rasad.pipeline.annotate.places import PlaceMention, country_of
from rasad.pipeline.filters import ATTACK_CLASSES, CASUALTY, REMOTE, is_strike
from rasad.pipeline.mentions import Mention
from rasad.pipeline.record import UNDATED_DAYS, UNKNOWN_ACTOR

if TYPE_CHECKING:
    from rasad.pipeline.trace import Trace

T = TypeVar("T")

RECENT_INCIDENTS = 30  # incidents of one document a new mention is compared with
SAME_SITE_KM = 3.0  # two names of places this close are one site
SITES_APART_KM = 5.0  # two sites at least this far apart are two places struck, not one told twice
JOIN_SCORE = 2  # a mention with a place, a day or a figure of its own joins an incident this similar
JOIN_SCORE_WEAK = 1  # a headline, a mention referring back, or one without its own, joins one this similar
OPENS_ON_DAY = 8  # characters from a sentence's start within which its date opens it ("وأمس", "وفي 18")
ALSO_AFTER = 25  # characters after a word of attack within which "أيضا" says another site was struck as well
# the comparisons of a clause with an incident one document may need (counted, so that a document is refused
# on every machine alike): of 5,079 real articles (5,000 ANT, the development set) the most needed 133, one
# article repeated to 990,000 characters needs 17,475; a text of thousands of incidents up to RECENT_INCIDENTS
# a clause, some 30 µs each
MAX_COMPARISONS = 250_000


@dataclass
class _Told:
    """What the mentions an incident is read from tell, kept as each joins (compatibility asks the same values
    of an incident for every mention it weighs: recomputed over all its mentions each time, a long article grew
    quadratic). Each value is the one computed over the whole list, in its order, from scratch."""

    mentions: list[Mention] = field(default_factory=list)
    site_names: set[str] = field(default_factory=set)  # the specific places they name
    place_names: set[str] = field(default_factory=set)  # every place they name
    first: Mention | None = None  # the first of the least order
    last: Mention | None = None  # the first of the greatest order
    dated: dict[str, dates_mod.Resolved] = field(default_factory=dict)  # precision -> the first date of it
    location: tuple[PlaceMention, str | None, Mention] | None = None  # the first place of the highest rank
    admin1: str | None = None  # the first mention's governorate
    country: str | None = None  # the first country a mention places it in
    firm: dict[str, None] = field(default_factory=dict)  # attackers not named as a suspicion, in order
    attackers: dict[str, None] = field(default_factory=dict)  # every attacker, in order
    victims: dict[str, None] = field(default_factory=dict)
    classes: set[str] = field(default_factory=set)
    victim_kinds: set[str] = field(default_factory=set)
    precise_kill: set[int] = field(default_factory=set)
    claimants: set[str] = field(default_factory=set)  # who puts forward their figures
    points: dict[tuple[float, float], None] = field(default_factory=dict)  # where their places may lie
    own_points: dict[tuple[float, float], None] = field(default_factory=dict)  # of the scene itself (_own_points)
    targets: set[str] = field(default_factory=set)  # their target nouns, of the mentions up to `targets_of`
    targets_of: int = 0

    def add(self, m: Mention) -> None:
        self.mentions.append(m)
        self.site_names.update(p.name for p in m.specific_places())
        self.place_names.update(p.name for p in m.places)
        if self.first is None or m.order < self.first.order:
            self.first = m
        if self.last is None or m.order > self.last.order:
            self.last = m
        if m.date and m.date.date and m.date.precision not in self.dated:
            self.dated[m.date.precision] = m.date
        for p in m.places:
            if not p.destination and (self.location is None or p.rank > self.location[0].rank):
                self.location = (p, p.admin1 or m.admin1, m)
        self.admin1 = self.admin1 or m.admin1
        self.country = self.country or country(m)
        self.firm.update((a, None) for a in m.attackers if a not in m.hedged)
        self.attackers.update((a, None) for a in m.attackers)
        self.victims.update((v, None) for v in m.victims)
        self.classes |= m.classes
        self.victim_kinds |= m.victim_kinds
        self.precise_kill |= m.precise_kill
        self.claimants.update(c.claimant for c in m.claims)
        self.points.update((pt[:2], None) for pts in m.points.values() for pt in pts)
        self.own_points.update((pt[:2], None) for pt in _own_points(m))

    def target_nouns(self) -> set[str]:
        """The target nouns they name (found once a mention, when first asked)."""
        for mm in self.mentions[self.targets_of:]:
            self.targets.update(INCIDENT_TARGET_NOUN.findall(mm.part.ntext, mm.start, mm.end))
        self.targets_of = len(self.mentions)
        return self.targets


class _FromTold(Generic[T]):
    """An incident's value that is one of its _Told's, read as it stands (a read-only attribute)."""

    def __init__(self, attr: str, doc: str) -> None:
        self.attr, self.__doc__ = attr, doc

    def __get__(self, incident: Incident | None, owner: type | None = None) -> T:
        if incident is None:
            raise AttributeError(self.attr)
        value: T = getattr(incident._told, self.attr)
        return value


@dataclass
class Incident:
    """The mentions of one article that tell one incident. Its values are read from its body: the mentions of
    the article's text, else (an incident told only in the headline) all of them."""

    mentions: list[Mention] = field(default_factory=list)
    last_order: int = 0
    _told: _Told = field(default_factory=_Told, repr=False, compare=False)  # of its body, kept as mentions join
    _sites_of: set[tuple[int, int]] = field(default_factory=set, repr=False, compare=False)  # their site_of

    def add(self, m: Mention) -> None:
        self.mentions.append(m)
        self.last_order = m.order
        if m.site_of is not None:
            self._sites_of.add(m.site_of)
        if m.role == "body" and self._told.mentions and self._told.mentions[0].role != "body":
            self._told = _Told()  # the first of the body: the headline's mentions no longer count
        if m.role == "body" or not self._told.mentions or self._told.mentions[0].role != "body":
            self._told.add(m)

    # what its body tells, read from _told (the values kept as mentions join)
    body = _FromTold[list[Mention]]("mentions", "The mentions of its body.")
    site_names = _FromTold[set[str]]("site_names", "The specific places its body names.")
    place_names = _FromTold[set[str]]("place_names", "Every place its body names.")
    location = _FromTold[tuple[PlaceMention, str | None, Mention] | None](
        "location", "The first place of the highest rank its body names, its governorate, and the mention.")
    country = _FromTold[str | None]("country", "The country its body first places it in (country).")
    classes = _FromTold[set[str]]("classes", "The classes of the words of attack of its body.")
    victim_kinds = _FromTold[set[str]]("victim_kinds", "The kinds of victims its body names.")
    claimants = _FromTold[set[str]]("claimants", "Who puts forward the figures of its body.")

    @property
    def first(self) -> Mention:
        """The mention the article tells the incident with first."""
        assert self._told.first is not None
        return self._told.first

    @property
    def last(self) -> Mention:
        """The mention of its body the article tells last."""
        assert self._told.last is not None
        return self._told.last

    @property
    def date(self) -> dates_mod.Resolved | None:
        for prec in ("day", "week", "month"):
            if prec in self._told.dated:
                return self._told.dated[prec]
        return None

    @property
    def admin1(self) -> str | None:
        loc = self.location
        if loc is not None and loc[1]:
            return loc[1]
        return self._told.admin1

    @property
    def attackers(self) -> list[str]:
        # a suspicion counts only when nothing firmer names the attacker
        firm = list(self._told.firm)
        return firm if [a for a in firm if a != UNKNOWN_ACTOR] else list(self._told.attackers)

    @property
    def victims(self) -> list[str]:
        att = self.attackers
        return [v for v in self._told.victims if v not in att[:1]]

    def precise_kill(self) -> set[int]:
        return self._told.precise_kill

    @property
    def points(self) -> Iterable[tuple[float, float]]:
        """Where the places its body names may lie (each gazetteer candidate once)."""
        return self._told.points.keys()

    @property
    def own_points(self) -> Iterable[tuple[float, float]]:
        """Where the places its body names as the scene itself may lie (_own_points; each once)."""
        return self._told.own_points.keys()

    def target_nouns(self) -> set[str]:
        """The target nouns its body names ("قافلة", "مطار")."""
        return self._told.target_nouns()

    def has_site_of(self, clause: tuple[int, int]) -> bool:
        """One of its mentions is a copy of this clause (per_site)."""
        return clause in self._sites_of


class TooMuchWork(DocumentTooLarge):
    """A document whose clauses would need more than MAX_COMPARISONS comparisons with its incidents: refused
    whole (quarantined by `rasad ingest`, reported by `rasad extract`), whatever the machine's load."""


# the reasons of a decision, collected only when explaining (None otherwise)
Why = list[str] | None


def article_dyads(mentions: list[Mention]) -> dict[str, set[str]]:
    """Who attacks whom in this article (victim -> attackers): an incident told without its attacker takes
    the one the article names against the same victims."""
    dyads: dict[str, set[str]] = {}
    for m in mentions:
        for a in m.attackers:
            if a != UNKNOWN_ACTOR:
                for v in m.victims:
                    dyads.setdefault(v, set()).add(a)
    return dyads


def strike_on_a_site(m: Mention) -> bool:
    """A strike on a named site ("هجوم صاروخي على مطار الشعيرات"): an incident even in a headline alone."""
    return is_strike(m.classes) and any(p.rank >= 5 and not p.destination for p in m.places)


class _Article:
    """The incidents of one article so far, in the order they were started, and by when each was last told
    (the order of sorting them by last_order each time, kept as mentions join: a text of thousands of
    incidents grew quadratic)."""

    def __init__(self) -> None:
        self.incidents: list[Incident] = []
        self._keys: list[tuple[int, int]] = []  # (last_order, index), sorted
        self._by_time: list[Incident] = []  # the incidents in the order of _keys
        self._key_of: dict[int, tuple[int, int]] = {}  # id(incident) -> its key
        self.comparisons = 0  # of a clause with an incident, so far

    def compared(self, n: int) -> None:
        """n more comparisons are to be made: past MAX_COMPARISONS, the document is refused (TooMuchWork)."""
        self.comparisons += n
        if self.comparisons > MAX_COMPARISONS:
            raise TooMuchWork(
                f"its clauses need more than {MAX_COMPARISONS:,} comparisons with the incidents they may tell "
                "(a news article needs a few hundred at most): split the text into its articles")

    def join(self, e: Incident, m: Mention) -> None:
        """m joins e (an incident of the article, or a new one, which is started)."""
        old = self._key_of.get(id(e))
        if old is None:
            old = (e.last_order, len(self.incidents))
            self.incidents.append(e)
        else:
            i = bisect.bisect_left(self._keys, old)
            del self._keys[i], self._by_time[i]
        e.add(m)
        key = self._key_of[id(e)] = (e.last_order, old[1])
        i = bisect.bisect_left(self._keys, key)
        self._keys.insert(i, key)
        self._by_time.insert(i, e)

    def latest(self) -> Incident | None:
        """The incident told last (of those told last at once, the first started)."""
        if not self._keys:
            return None
        return self._by_time[bisect.bisect_left(self._keys, (self._keys[-1][0], -1))]

    def recent(self) -> list[Incident]:
        """The incidents a mention is compared with: all, or the RECENT_INCIDENTS told last, by when."""
        return self.incidents if len(self.incidents) <= RECENT_INCIDENTS else self._by_time[-RECENT_INCIDENTS:]


# how a mention goes into the incidents of its article (group_mentions), each a rule an event records
JOIN_RULES = {
    "starts_an_incident": "a body mention no incident told so far is compatible and similar enough with",
    "joins_the_most_similar": "a mention joins the most similar compatible incident when the score reaches the bar",
    "anaphor_joins_the_one_just_told": "the attack named again, without place or day of its own: the one just told",
    "headline_starts_when_body_tells_none": "a headline tells an incident only when the body tells none",
}


def group_mentions(mentions: list[Mention], ref: dt.date | None, trace: Trace | None = None) -> list[Incident]:
    """The incidents of one article: the body's mentions in order, each joining the best incident or
    starting one; then the headline's, which start one only when the body told none."""
    article = _Article()
    body = [m for m in mentions if m.role == "body"]
    heads = [m for m in mentions if m.role != "body"]
    for m in body:
        why: Why = [] if trace is not None else None
        target = best_incident(m, article, ref, why=why)
        if target is None and not m.dependent:
            target = Incident()
            _note(trace, m, "started", target, why, "starts_an_incident")
        elif target is None:
            _note(trace, m, "ignored: a figure for an incident told elsewhere, and none fits", None, why)
            continue
        else:
            _note(trace, m, "joined", target, why)
        article.join(target, m)
    for m in heads:
        why = [] if trace is not None else None
        target = best_incident(m, article, ref, headline=True, why=why)
        if target is not None:
            article.join(target, m)
            _note(trace, m, "joined", target, why)
        elif not article.incidents and (m.claims or (m.attackers and m.victims) or strike_on_a_site(m)):
            target = Incident()
            article.join(target, m)
            _note(trace, m, "started (the body tells no incident)", target, why, "headline_starts_when_body_tells_none")
        else:
            _note(trace, m, "ignored: a headline only adds to an incident the body tells", None, why)
    return article.incidents


def _note(trace: Trace | None, m: Mention, what: str, incident: Incident | None, why: Why, rule: str = "") -> None:
    """Record how m went into its incident: `rule` (a JOIN_RULES name) when it starts one (best_incident names
    the joins), and the trace's account when explaining."""
    if rule:
        m.joined_by = rule
    if trace is not None:
        trace.joined(m, what, incident, why or [])


def best_incident(m: Mention, article: _Article, ref: dt.date | None, headline: bool = False,
                  why: Why = None) -> Incident | None:
    """The incident m joins: the most similar compatible one of the recent incidents, when similar enough."""
    best: tuple[float, Incident] | None = None
    incidents = article.incidents
    latest = article.latest()
    # an article refers back to incidents it told recently: the last few suffice, and keep a long
    # text linear rather than quadratic
    recent = article.recent()
    article.compared(len(recent))
    for e in recent:
        reasons: Why = [] if why is not None else None
        score = compatibility(m, e, ref, reasons)
        if score is not None and e is latest:
            if m.other:
                score = None
                if reasons is not None:
                    reasons.append("another incident ('another', 'similar') than the one just told")
            elif m.anaphor and not headline:
                _explain(why, e, incidents, score, reasons, "the attack named again, without place or day: the one just told")
                m.joined_by = "anaphor_joins_the_one_just_told"
                return e  # "the attack" without a place or day of its own: the incident just told
            else:
                score += 1.0
                if reasons is not None:
                    reasons.append("the incident just told +1")
        _explain(why, e, incidents, score, reasons)
        if score is not None and (best is None or score > best[0]):
            best = (score, e)
    if best is None:
        return None
    score, e = best
    own_info = bool(m.date or m.precise_kill or m.specific_places())
    if headline or m.backref or m.dependent or m.anaphor:
        need = JOIN_SCORE_WEAK  # a headline, a reference back, a figure for an incident told elsewhere
    elif not own_info:
        need = 0 if e is latest else JOIN_SCORE_WEAK  # nothing of its own: it goes on with the incident just told
    else:
        need = JOIN_SCORE
    if score >= need:
        if why is not None:
            why.append(f"the best score {score:g} reaches {need:g}")
        m.joined_by = "joins_the_most_similar"
        return e
    return _too_weak(why, score, need)


def _explain(why: Why, e: Incident, incidents: list[Incident], score: float | None, reasons: Why,
             extra: str | None = None) -> None:
    if why is None:
        return
    head = f"incident@{incidents.index(e)}: " + ("incompatible" if score is None else f"score {score:g}")
    why.append(head + " (" + "; ".join((reasons or []) + ([extra] if extra else [])) + ")")


def _too_weak(why: Why, score: float, need: float) -> None:
    if why is not None:
        why.append(f"the best score {score:g} is below {need:g}")
    return None


def compatibility(m: Mention, e: Incident, ref: dt.date | None = None, why: Why = None) -> float | None:
    """None when m cannot describe e's incident, else a similarity score (with `why`, the reasons)."""
    if m.site_of is not None and e.has_site_of(m.site_of):
        return _no(why, "another site struck in the same clause")
    ea = e.admin1
    # when, where, who, which site, how many: each may rule the incident out (None) or adds to the score
    aspects: tuple[Callable[[], float | None], ...] = (
        lambda: _when(m, e, ref, why), lambda: _governorate(m, ea, why, e), lambda: _roles(m, e, why),
        lambda: _places(m, e, ea, why), lambda: _figures(m, e, why))
    score = 0.0
    for aspect in aspects:
        got = aspect()
        if got is None:
            return None
        score += got
    return score + _what_and_who_told(m, e, why)


def _no(why: Why, reason: str) -> None:
    if why is not None:
        why.append(reason)
    return None


def _plus(why: Why, points: float, reason: str) -> float:
    if why is not None:
        why.append(f"{reason} +{points:g}")
    return points


def _when(m: Mention, e: Incident, ref: dt.date | None, why: Why) -> float | None:
    """Different days, or an earlier incident recalled against the news, are two incidents; the same day scores 3."""
    ed = e.date
    if m.retold and not e.first.retold and not (
            m.date and ed and m.date.precision == "day" and ed.precision == "day" and m.date.date == ed.date):
        return _no(why, "an earlier incident recalled is not the news the article opened with")
    if m.date and ed and m.date.date and ed.date:
        if m.date.precision == "day" and ed.precision == "day":
            if m.date.date != ed.date:
                return _no(why, f"different days ({m.date.date.isoformat()} / {ed.date.isoformat()})")
            return _plus(why, 3, "same day")
    elif m.date and m.date.precision == "day" and not (ed and ed.date) and m.role == "body" and opens_on_its_day(m) \
            and not m.anaphor:
        # "وأمس الثلاثاء، نفذت الطائرات غارات ...": a sentence that opens on a day of its own moves to another moment
        return _no(why, f"a sentence opening on a day of its own ({m.date.date.isoformat() if m.date.date else '?'}) after an undated incident")
    elif ref and m.date and m.date.date and m.date.precision == "day" and not (ed and ed.date) and m.role == "body" \
            and not ref - dt.timedelta(days=UNDATED_DAYS) <= m.date.date <= ref:
        # an undated incident is one of the report's last days: a strike a month before is another
        return _no(why, f"dated {m.date.date.isoformat()}, not in the last days of the undated incident")
    return 0.0


def country(m: Mention) -> str | None:
    """The country m places its incident in: Syria for a governorate or a place the gazetteer knows, else the
    country of a place abroad named as the scene ("قرب أربيل في إقليم كردستان"); None when it names neither."""
    if m.admin1 or any(m.points.values()):
        return SYRIA
    return country_of(m.places)


def _governorate(m: Mention, ea: str | None, why: Why, e: Incident | None = None) -> float | None:
    """Different governorates, or countries, are two incidents; the same governorate scores 1."""
    mc = country(m)
    # (the attack named again, "الهجوم الذي استهدف القوات", placed elsewhere: where it was is disputed)
    if mc and e is not None and not MENTION_ANAPHOR.search(m.part.ntext, m.start, m.end):
        ec = e.country
        if ec and ec != mc:
            return _no(why, f"different countries ({mc} / {ec})")
    if m.admin1 and ea:
        if m.admin1 != ea:
            return _no(why, f"different governorates ({m.admin1} / {ea})")
        return _plus(why, 1, "same governorate")
    return 0.0


def _roles(m: Mention, e: Incident, why: Why) -> float | None:
    """Other victims, roles reversed or other attackers make another incident; a party in common scores 1."""
    ek = e.victim_kinds
    if m.victim_kinds and ek and not (m.victim_kinds & ek) and m.role == "body" and not m.anaphor:
        return _no(why, f"other kinds of victim ({', '.join(sorted(m.victim_kinds))} / {', '.join(sorted(ek))})")
    e_att, e_vic = e.attackers, e.victims
    symmetric = m.classes <= (CASUALTY | {"clash", "attack", "ambush", "gunfire"})
    if m.attackers and e_vic and set(m.attackers) & set(e_vic) and not (set(m.attackers) & set(e_att)):
        if not symmetric or (m.classes & REMOTE):
            return _no(why, "the attackers here are the victims there")
    # roles reversed: those hit here are the attackers there (only a battle hurts both sides)
    if m.victims and e_att and set(m.victims) & set(e_att) and not set(m.victims) & set(e_vic):
        if "clash" not in e.classes | m.classes:
            return _no(why, "the victims here are the attackers there")
    if m.attackers and e_att and not set(m.attackers) & set(e_att):
        # (an attacker named only as a suspicion does not tell the incidents apart)
        known = [a for a in m.attackers + e_att if a != UNKNOWN_ACTOR and a not in m.hedged]
        if len(set(known)) > 1 and not all(same_camp(known[0], a) for a in known[1:]):
            return _no(why, f"other attackers ({', '.join(m.attackers)} / {', '.join(e_att)})")
    armed_v = [v for v in m.victims if v != "Civilians"]
    e_armed_v = [v for v in e_vic if v != "Civilians"]
    allied = any(same_camp(v, w) for v in armed_v for w in e_armed_v)  # "regime forces" and "Iranian fighters"
    if armed_v and e_armed_v and not set(armed_v) & (set(e_vic) | set(e_att)) and m.role == "body" and not m.anaphor \
            and not allied:
        # different armed victims: another incident unless they are allied units named differently
        if not (m.attackers and set(m.attackers) & set(e_att)):
            return _no(why, f"other armed victims ({', '.join(armed_v)} / {', '.join(e_armed_v)})")
    if set(m.attackers + m.victims) & set(e_att + e_vic):
        return _plus(why, 1, "a party in common")
    return 0.0


def _places(m: Mention, e: Incident, ea: str | None, why: Why) -> float | None:
    """The same site scores 2; other specific sites with other death tolls, struck "as well", or told as another
    incident, are two."""
    mp = {p.name for p in m.specific_places()}
    ep = e.site_names
    score = 0.0
    if mp and not ep and ea and not m.admin1 and site_in(m, ea):
        score += _plus(why, 1.5, "a site within the area told before")  # "غارة في ريف دير الزور ... على بلدة الهري"
    elif (mp or m.admin1) and not ep and not ea:
        # the first place told of an incident told without one ("هجمات جنوبي سوريا ... مدينة السويداء")
        score += _plus(why, 1, "the first place told of an incident told without one")
    if mp and ep:
        if mp & ep or any(a in b or b in a for a in mp for b in ep) or same_site(m, e):
            score += _plus(why, 2, "the same site")
        elif struck_as_well(m):
            return _no(why, "another site struck as well ('also')")
        elif (apart := sites_apart(m, e)) is not None:
            return _no(why, f"other sites, {apart:.0f} km apart at least")
        elif m.precise_kill and e.precise_kill() and not (m.precise_kill & e.precise_kill()):
            if lead_total(m, e):
                score += _plus(why, 1, "a site and toll within the lead total told over several places")
            else:
                return _no(why, "other sites with other death tolls")
        elif INCIDENT_NEW.match(m.part.ntext, m.sent.start) and m.start == m.sent.start and (
            {p.name for p in m.places if p.rank >= 5 and not p.destination}
            and not {p.name for p in m.places if p.rank >= 5} & e.place_names
        ):
            return _no(why, "a sentence opening on another incident at another site")
    return score


def struck_as_well(m: Mention) -> bool:
    """"استهدفت الغارات أيضا مقار في أريحا": "also" right after m's word of attack (not after a verb of saying,
    "وأفادت أيضا بقصف"), at a site of its own."""
    if m.anaphor:
        return False
    text = m.part.ntext
    for a in INCIDENT_ALSO.finditer(text, m.start, m.end):
        if any(h.value in ATTACK_CLASSES and 0 <= a.start() - h.end <= ALSO_AFTER for h in m.triggers):
            return True
    return False


def opens_on_its_day(m: Mention) -> bool:
    """The mention's sentence opens on the date of the mention ("وأمس الثلاثاء، ...", "وفي 18 تشرين الأول، ...")."""
    return m.date_span is not None and m.start == m.sent.start and m.date_span[0] - m.sent.start <= OPENS_ON_DAY


def lead_total(m: Mention, e: Incident) -> bool:
    """e was told with a toll over several places ("قتل 44 في غارات على قرى بمحافظة إدلب") and m, undated, names
    one site with a smaller toll: a part of that total, not another incident."""
    first = e.first
    if m.date is not None and m.date.precision == "day" or not first.precise_kill:
        return False
    plural = any(INCIDENT_PLURAL_PLACE.match(first.part.ntext, p.start) for p in first.places if not p.destination)
    return plural and max(m.precise_kill) < max(first.precise_kill)


def _figures(m: Mention, e: Incident, why: Why) -> float | None:
    """The same death toll scores 2 (a rising one 1.5); one speaker giving two tolls tells two incidents."""
    mk, ek = m.precise_kill, e.precise_kill()
    if mk and ek:
        if mk & ek:
            return _plus(why, 2, "the same death toll")
        if "rising" in m.cues:
            return _plus(why, 1.5, "a rising death toll")
        if m.claimant and e.claimants <= {m.claimant.name}:
            return _no(why, "the same speaker gives another death toll")
    return 0.0


def _what_and_who_told(m: Mention, e: Incident, why: Why) -> float:
    """Shared tactics, targets and remote fire, a reference back, and the same speaker going on add up."""
    score = 0.0
    if (m.classes & e.classes) - CASUALTY - {"attack"}:
        score += _plus(why, 1, "the same kind of attack")
    mt = set(INCIDENT_TARGET_NOUN.findall(m.part.ntext, m.start, m.end))
    if mt and mt & e.target_nouns():
        score += _plus(why, 1, "the same target")
    if m.backref:
        score += _plus(why, 0.5, "refers back")
    last = e.last
    if m.claimant and last.claimant and m.claimant.type == last.claimant.type and m.claimant.type != "outlet":
        score += _plus(why, 1, "the same speaker goes on")
    if m.classes & e.classes & REMOTE:
        score += _plus(why, 0.5, "the same remote fire")
    return score


def same_site(m: Mention, e: Incident) -> bool:
    """One of m's places and one of e's are a single site under two names ("تي فور", "قاعدة تياس"):
    gazetteer candidates within SAME_SITE_KM of each other."""
    mine = [pt for pts in m.points.values() for pt in pts]
    if not mine:
        return False
    return any(km_between(a[:2], b) <= SAME_SITE_KM for a in mine for b in e.points)


def sites_apart(m: Mention, e: Incident) -> float | None:
    """How far apart, at least, m's sites and e's lie by the gazetteer (every candidate of each), when more than
    SITES_APART_KM: two towns hit ("جسر الشغور", "محيط إدلب") are two incidents; None when they may be one place
    or the gazetteer does not know both."""
    mine = _own_points(m)
    theirs = e.own_points
    if not mine or not theirs:
        return None
    least = min(km_between(a[:2], b) for a in mine for b in theirs)
    return least if least > SITES_APART_KM else None


def _own_points(m: Mention) -> list[tuple[float, float, str | None]]:
    """The points of the places m names as the scene itself or its edge ("أطراف مدينة جسر الشغور"): not one a
    site lies near or north of ("قاعدة جوية قرب مدينة حمص")."""
    related = {t.key for t in m.toponyms or [] if t.relation and not EDGE_OF_PLACE.search(t.relation)}
    return [pt for k, pts in m.points.items() if k not in related for pt in pts]


def site_in(m: Mention, admin1: str) -> bool:
    """Every place m names specifically lies, by the gazetteer, in the governorate admin1."""
    found = [pts for pts in m.points.values() if pts]
    return bool(found) and all(any(pt[2] == admin1 for pt in pts) for pts in found)


__all__ = ["MAX_COMPARISONS", "Incident", "TooMuchWork", "article_dyads", "best_incident", "compatibility", "group_mentions"]
