"""Within one article: which mentions tell one incident (across documents, database/merge.py decides).

Mentions are read in order; each joins the incident it is compatible with and most similar to, or starts
a new one (group_mentions, best_incident). Two mentions are incompatible (compatibility) when they give
different days, different governorates, different victims (civilians vs combatants, or other armed
parties), reversed roles, different attackers, or different specific places with their own figures. A
headline or subhead never starts an incident when the body has one: it only adds evidence.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from rasad.gazetteer import km_between
from rasad.lang.patterns import ALSO_RE, NEW_INCIDENT_RE, PLURAL_PLACE_RE, TARGET_NOUN_RE
from rasad.pipeline.annotate import dates as dates_mod
from rasad.pipeline.annotate.actors import same_camp
from rasad.pipeline.annotate.places import PlaceMention
from rasad.pipeline.filters import ATTACK_CLASSES, CASUALTY, REMOTE, is_strike
from rasad.pipeline.mentions import Mention
from rasad.pipeline.record import UNDATED_DAYS, UNKNOWN_ACTOR, ordered

if TYPE_CHECKING:
    from rasad.pipeline.trace import Trace

T = TypeVar("T")

RECENT_INCIDENTS = 30  # incidents of one document a new mention is compared with
SAME_SITE_KM = 3.0  # two names of places this close are one site
JOIN_SCORE = 2  # a mention with a place, a day or a figure of its own joins an incident this similar
JOIN_SCORE_WEAK = 1  # a headline, a mention referring back, or one without its own, joins one this similar
OPENS_ON_DAY = 8  # characters from a sentence's start within which its date opens it ("وأمس", "وفي 18")
ALSO_AFTER = 25  # characters after a word of attack within which "أيضا" says another site was struck as well


def _kept(f: Callable[[Incident], T]) -> Callable[[Incident], T]:
    """An incident's value computed once until a mention joins it (compatibility asks the same values of
    an incident for every mention it weighs: recomputed over all its mentions each time, a long article
    grew quadratic). Mentions are not changed once told, so their list alone decides."""
    name = f.__name__

    @functools.wraps(f)
    def get(self: Incident) -> T:
        if name not in self._values:
            self._values[name] = f(self)
        return self._values[name]  # type: ignore[no-any-return]

    return get


@dataclass
class Incident:
    """The mentions of one article that tell one incident."""

    mentions: list[Mention] = field(default_factory=list)
    last_order: int = 0
    _values: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # of the @_kept properties

    def add(self, m: Mention) -> None:
        self.mentions.append(m)
        self.last_order = m.order
        self._values.clear()

    @property
    @_kept
    def body(self) -> list[Mention]:
        return [m for m in self.mentions if m.role == "body"] or self.mentions

    @property
    @_kept
    def site_names(self) -> set[str]:
        """The specific places its body names."""
        return {p.name for mm in self.body for p in mm.specific_places()}

    @property
    @_kept
    def first(self) -> Mention:
        """The mention the article tells the incident with first."""
        return min(self.body, key=lambda m: m.order)

    @property
    @_kept
    def date(self) -> dates_mod.Resolved | None:
        for prec in ("day", "week", "month"):
            for m in self.body:
                if m.date and m.date.date and m.date.precision == prec:
                    return m.date
        return None

    @property
    @_kept
    def admin1(self) -> str | None:
        loc = self.location
        if loc is not None and loc[1]:
            return loc[1]
        for m in self.body:
            if m.admin1:
                return m.admin1
        return None

    @property
    @_kept
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
    @_kept
    def attackers(self) -> list[str]:
        # a suspicion counts only when nothing firmer names the attacker
        firm = ordered(a for m in self.body for a in m.attackers if a not in m.hedged)
        return firm if [a for a in firm if a != UNKNOWN_ACTOR] else ordered(
            a for m in self.body for a in m.attackers)

    @property
    @_kept
    def victims(self) -> list[str]:
        out = ordered(v for m in self.body for v in m.victims)
        att = self.attackers
        return [v for v in out if v not in att[:1]]

    @property
    @_kept
    def classes(self) -> set[str]:
        return {c for m in self.body for c in m.classes}

    @property
    @_kept
    def victim_kinds(self) -> set[str]:
        return {k for m in self.body for k in m.victim_kinds}

    @_kept
    def precise_kill(self) -> set[int]:
        return {x for m in self.body for x in m.precise_kill}


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


def group_mentions(mentions: list[Mention], ref: dt.date | None, trace: Trace | None = None) -> list[Incident]:
    """The incidents of one article: the body's mentions in order, each joining the best incident or
    starting one; then the headline's, which start one only when the body told none."""
    incidents: list[Incident] = []
    body = [m for m in mentions if m.role == "body"]
    heads = [m for m in mentions if m.role != "body"]
    for m in body:
        why: Why = [] if trace is not None else None
        target = best_incident(m, incidents, ref, why=why)
        if target is None and not m.dependent:
            target = Incident()
            incidents.append(target)
            _note(trace, m, "started", target, why)
        elif target is None:
            _note(trace, m, "ignored: a figure for an incident told elsewhere, and none fits", None, why)
            continue
        else:
            _note(trace, m, "joined", target, why)
        target.add(m)
    for m in heads:
        why = [] if trace is not None else None
        target = best_incident(m, incidents, ref, headline=True, why=why)
        if target is not None:
            target.add(m)
            _note(trace, m, "joined", target, why)
        elif not incidents and (m.claims or (m.attackers and m.victims) or strike_on_a_site(m)):
            target = Incident()
            target.add(m)
            incidents.append(target)
            _note(trace, m, "started (the body tells no incident)", target, why)
        else:
            _note(trace, m, "ignored: a headline only adds to an incident the body tells", None, why)
    return incidents


def _note(trace: Trace | None, m: Mention, what: str, incident: Incident | None, why: Why) -> None:
    if trace is not None:
        trace.joined(m, what, incident, why or [])


def best_incident(m: Mention, incidents: list[Incident], ref: dt.date | None, headline: bool = False,
                  why: Why = None) -> Incident | None:
    """The incident m joins: the most similar compatible one of the recent incidents, when similar enough."""
    best: tuple[float, Incident] | None = None
    latest = max(incidents, key=lambda e: e.last_order) if incidents else None
    # an article refers back to incidents it told recently: the last few suffice, and keep a long
    # text linear rather than quadratic
    recent = incidents if len(incidents) <= RECENT_INCIDENTS else sorted(incidents, key=lambda e: e.last_order)[-RECENT_INCIDENTS:]
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
    when = _when(m, e, ref, why)
    if when is None:
        return None
    ea = e.admin1
    where = _governorate(m, ea, why)
    if where is None:
        return None
    who = _roles(m, e, why)
    if who is None:
        return None
    site = _places(m, e, ea, why)
    if site is None:
        return None
    toll = _figures(m, e, why)
    if toll is None:
        return None
    return when + where + who + site + toll + _what_and_who_told(m, e, why)


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


def _governorate(m: Mention, ea: str | None, why: Why) -> float | None:
    """Different governorates are two incidents; the same one scores 1."""
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
        elif m.precise_kill and e.precise_kill() and not (m.precise_kill & e.precise_kill()):
            if lead_total(m, e):
                score += _plus(why, 1, "a site and toll within the lead total told over several places")
            else:
                return _no(why, "other sites with other death tolls")
        elif NEW_INCIDENT_RE.match(m.part.ntext, m.sent.start) and m.start == m.sent.start and (
            {p.name for p in m.places if p.rank >= 5 and not p.destination}
            and not {p.name for p in m.places if p.rank >= 5} & {p.name for mm in e.body for p in mm.places}
        ):
            return _no(why, "a sentence opening on another incident at another site")
    return score


def struck_as_well(m: Mention) -> bool:
    """"استهدفت الغارات أيضا مقار في أريحا": "also" right after m's word of attack (not after a verb of saying,
    "وأفادت أيضا بقصف"), at a site of its own."""
    if m.anaphor:
        return False
    text = m.part.ntext
    for a in ALSO_RE.finditer(text, m.start, m.end):
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
    plural = any(PLURAL_PLACE_RE.match(first.part.ntext, p.start) for p in first.places if not p.destination)
    return plural and max(m.precise_kill) < max(first.precise_kill)


def _figures(m: Mention, e: Incident, why: Why) -> float | None:
    """The same death toll scores 2 (a rising one 1.5); one speaker giving two tolls tells two incidents."""
    mk, ek = m.precise_kill, e.precise_kill()
    if mk and ek:
        if mk & ek:
            return _plus(why, 2, "the same death toll")
        if "rising" in m.cues:
            return _plus(why, 1.5, "a rising death toll")
        if m.claimant and all(c.claimant == m.claimant.name for mm in e.body for c in mm.claims):
            return _no(why, "the same speaker gives another death toll")
    return 0.0


def _what_and_who_told(m: Mention, e: Incident, why: Why) -> float:
    """Shared tactics, targets and remote fire, a reference back, and the same speaker going on add up."""
    score = 0.0
    if (m.classes & e.classes) - CASUALTY - {"attack"}:
        score += _plus(why, 1, "the same kind of attack")
    mt = set(TARGET_NOUN_RE.findall(m.part.ntext, m.start, m.end))
    if mt and mt & {t for mm in e.body for t in TARGET_NOUN_RE.findall(mm.part.ntext, mm.start, mm.end)}:
        score += _plus(why, 1, "the same target")
    if m.backref:
        score += _plus(why, 0.5, "refers back")
    last = max(e.body, key=lambda x: x.order)
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
    theirs = [pt for mm in e.body for pts in mm.points.values() for pt in pts]
    return any(km_between(a[:2], b[:2]) <= SAME_SITE_KM for a in mine for b in theirs)


def site_in(m: Mention, admin1: str) -> bool:
    """Every place m names specifically lies, by the gazetteer, in the governorate admin1."""
    found = [pts for pts in m.points.values() if pts]
    return bool(found) and all(any(pt[2] == admin1 for pt in pts) for pts in found)


__all__ = ["Incident", "article_dyads", "best_incident", "compatibility", "group_mentions"]
