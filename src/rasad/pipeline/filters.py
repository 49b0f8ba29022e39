"""Every decision that keeps or drops a clause, or turns a sentence into a statistic or blocks it.

A *sentence* holding a word of violence is first read as a whole: a tally over a period becomes a
statistic (SENTENCE_RULES, Statistic), a habitual or celebratory statement is blocked (Block). Each
*clause* of the other sentences then loses the trigger words that do not count (TRIGGER_RULES: a
negated trigger, an RPG that is no shelling, a wound by illness, a figurative strike, a verb that needs
its means named); what is left is kept as a mention unless one of CLAUSE_RULES drops it (a denial, a
plan, a summary, history, an accident ...).

Each rule is a function of a context (`SentenceContext`, `TriggerContext`, `Clause`), taking its
annotations from it (each found once, when a rule first asks), and returns a Verdict, or None to pass
the clause on to the next rule. The lists are ordered: the first rule that returns a verdict decides.
Cues come from ``data/cues.tsv``, patterns from ``rasad.lang.patterns``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

from rasad.document import Document, Part, Sentence
from rasad.lang.lexicon import Hit, actors, cue_matcher, topic_matcher
from rasad.lang.patterns import (
    ACCUSATION_DATED,
    FILTER_AIR_DEFENCE,
    FILTER_ANNIVERSARY,
    FILTER_ANSWERS_WHAT_HAPPENED,
    FILTER_ATTACK_COUNT,
    FILTER_BELONGS_BEFORE,
    FILTER_CIVILIAN_TARGET,
    FILTER_COMES_AS,
    FILTER_CONFIRM_OR_DENY,
    FILTER_DAY_OF_WAR,
    FILTER_DENIED_CLAIM,
    FILTER_DENIED_PARTY,
    FILTER_FIGURATIVE_AFTER,
    FILTER_FIRST_SINCE,
    FILTER_FRONT,
    FILTER_MILITARY_TARGET,
    FILTER_NEGATION_BEFORE,
    FILTER_OFFENSIVE,
    FILTER_OLD_YEAR,
    FILTER_OTHER_PLACES,
    FILTER_RPG,
    FILTER_SEPARATE,
    FILTER_SINCE_WORD,
    FILTER_SITES_COUNT,
    FILTER_SITES_NOUN,
    FILTER_SPAN_OF_DAYS,
    FILTER_SUPERLATIVE_TOLL,
    FILTER_TALLY_GOES_ON,
    FILTER_TIMES_COUNT,
    FILTER_UNTIL_BEFORE,
    FILTER_WOUND_BY,
    FILTER_WOUND_VIOLENT,
    MENTION_MOTIVE,
    REGISTRY,
    word_set,
)
from rasad.pipeline.annotate import dates as dates_mod
from rasad.pipeline.annotate.actors import ActorMention, assign_sides, find_actors, is_armed
from rasad.pipeline.annotate.claimants import Claimant
from rasad.pipeline.annotate.numbers import Quantity, find_quantities, parse_number_words
from rasad.pipeline.annotate.places import PlaceMention, find_places, is_multi_governorate
from rasad.pipeline.figures import MAX_TOLL, Claim, Speaker, clause_figures

TALLY_DAYS = 7  # a sentence counting since a moment further back than this is a tally
TALLY_GOES_ON = 2  # a sentence this close after a tally, opening on "كما" / "وقتلوا", goes on counting
BACKGROUND_DAYS = 45  # an incident dated further back than this before the report is background
OLD_YEARS = 1  # a clause dated only by a year more than this before the report's is history
NEGATION_BEFORE = 12  # characters before a trigger word that may negate it ("لم يسفر عن قتلى")
TALLY_OPENING = 12  # characters of a sentence's opening read for "كما" / "وقتلوا"
SITES_COUNTED = 5  # hospitals, schools ... hit, counted in this many or more with no day, are a tally
MOVED_OR_HELD = 100  # people displaced, detained or missing counted in this many or more are a tally
THOUSANDS = 1000  # a vague figure of at least this many ("آلاف") is no one incident's toll
BELONGS_BEFORE = 14  # "تابعة ل" this close before an armed party makes it the target's owner

# trigger classes (data/triggers.tsv)
KILL = {"kill"}
WOUND = {"wound"}
CASUALTY = KILL | WOUND
ATTACK_CLASSES = {
    "attack", "ambush", "clash", "air", "drone", "shell", "ied", "explosion", "suicide", "landing",
    "grenade", "abduction", "execution", "assassination", "gunfire", "chemical", "control",
}
REMOTE = {"air", "drone", "shell", "ied", "explosion", "suicide", "grenade", "chemical"}


def strikes_from_afar(attackers: Sequence[str]) -> bool:
    """The first attacker is a foreign force whose attacks in Syria come from afar, from the air (actors.tsv,
    column "afar"): an attack of theirs on armed targets with no means named is an air strike (their fire on
    civilians may be gunfire: the Gaza border protests)."""
    info = actors().get(attackers[0]) if attackers else None
    return info is not None and info.from_afar


# the classes of a ground attack: with one of these the attack was not from afar
GROUND_CLASSES = {"ambush", "gunfire", "landing", "abduction", "execution", "assassination", "grenade", "control"}
FIRE_FROM_AFAR = REMOTE - {"explosion"}  # remote fire with a shooter: a blast alone may be an accident
NEEDS_MEANS = {"attack_present", "intercept", "aggression"}  # trigger classes that are an attack only with its means named
# the remote fire a means names: air defences meeting missiles, aircraft or drones meet a strike from afar
FIRE_OF = {"artillery": "shell", "shell": "shell", "aircraft": "air", "air": "air", "drone": "drone"}
OFF_TOPICS = {"sport", "culture", "economy", "technology"}


def is_strike(classes: set[str]) -> bool:
    """Remote fire: an air strike, shelling, a drone ... or an attack told with its aircraft or artillery."""
    return bool(classes & FIRE_FROM_AFAR or ("attack" in classes and classes & {"aircraft", "artillery"}))


# ---------------------------------------------------------------------------------------------
# verdicts


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a rule decided about a sentence, a trigger word or a clause (its outcome), and why."""

    rule: str
    reason: str
    outcome: str = "KEPT"  # KEPT | DROPPED | STATISTIC | BLOCKED


# a verdict of each outcome, made as `Drop(rule, reason)`
Keep, Drop, Statistic, Block = (partial(Verdict, outcome=o) for o in ("KEPT", "DROPPED", "STATISTIC", "BLOCKED"))


def first_verdict(rules: list[Callable[[Any], Verdict | None]], ctx: Any) -> Verdict | None:
    """The verdict of the first rule of `rules` that returns one."""
    for rule in rules:
        v = rule(ctx)
        if v is not None:
            return v
    return None


def _cue(part: Part, hits: list[Hit], value: str) -> str:
    """The words of the first cue of class `value`, as written."""
    return next((part.original_words(h.core_start, h.end) for h in hits if h.value == value), "")


# ---------------------------------------------------------------------------------------------
# sentences


@dataclass
class SentenceContext:
    """A sentence holding a word of violence, read as a whole before its clauses."""

    doc: Document
    part: Part
    sent: Sentence
    cue_hits: list[Hit]
    dates: list[tuple[dates_mod.DateExpr, bool]]  # its date expressions, each flagged when it dates a report
    prev_statistic: int  # the index of the last sentence made a statistic (-10: none)
    triggers: list[Hit] = dataclasses.field(default_factory=list)  # its words of violence

    @cached_property
    def cues(self) -> set[str]:
        return {h.value for h in self.cue_hits}

    @cached_property
    def quantities(self) -> list[Quantity]:
        """Its figures (find_quantities), read once for the rules that ask."""
        return find_quantities(self.part.ntext[self.sent.start : self.sent.end], self.part.duals, self.sent.start)

    @cached_property
    def day_told(self) -> bool:
        """The sentence dates an incident to a day (not the report, not the start or the end of a period)."""
        for d, rep in self.dates:
            if rep or d.since or FILTER_UNTIL_BEFORE.search(self.part.ntext, max(self.sent.start, d.start - 20), d.start):
                continue
            if dates_mod.resolve(d, self.doc.reference_date, self.doc.years).precision == "day":
                return True
        return False


def tally_cue(s: SentenceContext) -> Verdict | None:
    """A sentence that counts over a period ("منذ بداية العام", "حصيلة الشهر") is a tally."""
    # "الأكثر دموية منذ", "لأول مرة منذ": what follows compares with the past and counts nothing
    cmp = FILTER_FIRST_SINCE.search(s.part.ntext, s.sent.start, s.sent.end)
    for h in s.cue_hits:
        if h.value == "aggregate" and not (cmp and h.start >= cmp.start() and FILTER_SINCE_WORD.match(s.part.ntext, h.start)):
            return Statistic("tally_cue", f"counts over a period: cue {s.part.original_words(h.core_start, h.end)!r}")
    return None


def day_of_war(s: SentenceContext) -> Verdict | None:
    """"في اليوم الـ144 من العدوان": the running total of a war, not an incident."""
    m = FILTER_DAY_OF_WAR.search(s.part.ntext, s.sent.start, s.sent.end)
    if m is not None:
        return Statistic("day_of_war", f"a running total of a war: {m.group()!r}")
    return None


def counts_since_long_ago(s: SentenceContext) -> Verdict | None:
    """A period that opened well before the report, counted ("منذ منتصف آذار 2011 ... مقتل 350 ألف")."""
    ref = s.doc.reference_date
    if ref is None:
        return None
    for d, _rep in s.dates:
        if not d.since:
            continue
        r = dates_mod.resolve(d, ref, s.doc.years)
        first = r.window[0] if r.window else r.date
        if first is not None and (ref - first).days > TALLY_DAYS:
            return Statistic("counts_since_long_ago", f"counts since {first.isoformat()}, more than {TALLY_DAYS} days before the report")
    return None


def continues_a_tally(s: SentenceContext) -> Verdict | None:
    """A sentence right after a tally that opens on "كما" or "وقتلوا" goes on counting."""
    if s.sent.index - s.prev_statistic <= TALLY_GOES_ON and FILTER_TALLY_GOES_ON.match(
            s.part.ntext[s.sent.start : s.sent.start + TALLY_OPENING]):
        return Statistic("continues_a_tally", "goes on with the tally of the sentence before")
    return None


def _counts(s: SentenceContext) -> bool:
    """The sentence holds a count (of people, attacks or times): a tally needs one."""
    return bool(s.quantities) or bool(times_counted(s.part.ntext, s.sent.start, s.sent.end))


def times_counted(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """The counts of times in text[start:end] ("4 مرات", "أربع مرات"): (value, start, end) of each."""
    out = []
    for m in FILTER_TIMES_COUNT.finditer(text, start, end):
        w = m.group(1)
        n = int(w) if w.isdigit() else parse_number_words(w)
        if n is not None and n >= 3:
            out.append((n, m.start(), m.end()))
    return out


def count_of_attacks(s: SentenceContext) -> Verdict | None:
    """Attacks counted ("استُهدف المطار 4 مرات", "تعرضت لأكثر من 60 هجوما") with no day of their own: a tally."""
    text, a, b = s.part.ntext, s.sent.start, s.sent.end
    m = FILTER_ATTACK_COUNT.search(text, a, b)
    times = times_counted(text, a, b)
    if (m is not None or times) and not s.day_told:
        what = m.group() if m is not None else text[times[0][1] : times[0][2]]
        return Statistic("count_of_attacks", f"attacks counted, no day of their own: {what!r}")
    return None


def count_of_sites_hit(s: SentenceContext) -> Verdict | None:
    """Hospitals, schools or facilities counted ("تعرضت خمسة مستشفيات و26 مدرسة للقصف") with no day of their own: a tally."""
    if not FILTER_SITES_NOUN.search(s.part.ntext, s.sent.start, s.sent.end):
        return None
    for m in FILTER_SITES_COUNT.finditer(s.part.ntext, s.sent.start, s.sent.end):
        n = int(m.group(1)) if m.group(1) else parse_number_words(m.group(2))
        if n is not None and n >= SITES_COUNTED and not s.day_told:
            return Statistic("count_of_sites_hit", f"buildings counted, no day of their own: {m.group()!r}")
    return None


def span_of_days(s: SentenceContext) -> Verdict | None:
    """Counts over a span of days ("قتل 20 خلال 5 أيام", "في الفترة ما بين 3 و9") are a tally."""
    m = FILTER_SPAN_OF_DAYS.search(s.part.ntext, s.sent.start, s.sent.end)
    if m is not None and _counts(s):
        return Statistic("span_of_days", f"counts over a span of days: {m.group()!r}")
    return None


def so_far(s: SentenceContext) -> Verdict | None:
    """"حتى الآن" counts up to now, unless the sentence tells an incident's day ("قتل 5 اليوم ... حتى الآن")."""
    if "so_far" in s.cues and not s.day_told and _counts(s):
        return Statistic("so_far", f"counts up to now: cue {_cue(s.part, s.cue_hits, 'so_far')!r}")
    return None


def people_moved_or_held(s: SentenceContext) -> Verdict | None:
    """Hundreds or more displaced, evacuated, detained or missing ("نزح 320 ألف مدني") with no one killed: a tally."""
    if "moved_or_held" not in s.cues or any(h.value in CASUALTY for h in s.triggers):
        return None
    if any((q.best or q.low or 0) >= MOVED_OR_HELD for q in s.quantities):
        return Statistic("people_moved_or_held",
                         f"people displaced, detained or missing, counted: cue {_cue(s.part, s.cue_hits, 'moved_or_held')!r}")
    return None


def generic_statement(s: SentenceContext) -> Verdict | None:
    """A habitual or general statement ("عادة ما", "بشكل متكرر") tells no incident."""
    if "generic" in s.cues:
        return Block("generic_statement", f"a general statement: cue {_cue(s.part, s.cue_hits, 'generic')!r}")
    return None


def celebratory_sentence(s: SentenceContext) -> Verdict | None:
    """Celebratory gunfire ("إطلاق نار ابتهاجا") is no attack."""
    if "celebratory" in s.cues:
        return Block("celebratory_sentence", f"celebratory gunfire: cue {_cue(s.part, s.cue_hits, 'celebratory')!r}")
    return None


SENTENCE_RULES: list[Callable[[SentenceContext], Verdict | None]] = [
    tally_cue, day_of_war, counts_since_long_ago, count_of_attacks, count_of_sites_hit, span_of_days, so_far,
    people_moved_or_held, continues_a_tally, generic_statement, celebratory_sentence,
]


# ---------------------------------------------------------------------------------------------
# trigger words


@dataclass
class TriggerContext:
    """The trigger words of one clause; rules see those that earlier rules left."""

    text: str
    c0: int
    c1: int
    triggers: list[Hit]


def negated_trigger(t: TriggerContext, h: Hit) -> Verdict | None:
    """A trigger negated in place ("لم يسفر عن قتلى") does not count."""
    m = FILTER_NEGATION_BEFORE.search(t.text[max(t.c0, h.start - NEGATION_BEFORE) : h.start])
    if m is not None:
        return Drop("negated_trigger", f"negated: {m.group().strip()!r} before it")
    return None


def rpg_not_shelling(t: TriggerContext, h: Hit) -> Verdict | None:
    """"قذائف الآر بي جي" names a weapon carried by hand, not shelling."""
    if h.value == "shell" and FILTER_RPG.match(t.text, h.end):
        return Drop("rpg_not_shelling", "an RPG shell, not shelling")
    return None


def wound_by_illness(t: TriggerContext, h: Hit) -> Verdict | None:
    """"اصيب بالسرطان / بفيروس / بخيبة" is no wound of violence ("اصيب بجروح / برصاص" is)."""
    if h.value == "wound" and FILTER_WOUND_BY.match(t.text, h.end) and not FILTER_WOUND_VIOLENT.match(t.text, h.end):
        return Drop("wound_by_illness", f"struck by something other than violence: {t.text[h.start : h.end + 12]!r}")
    return None


def figurative_strike(t: TriggerContext, h: Hit) -> Verdict | None:
    """"ضربة دبلوماسية", "ضربة جزاء": a figure of speech."""
    if h.entry in word_set("filter_bare_strikes"):
        m = FILTER_FIGURATIVE_AFTER.match(t.text, h.end)
        if m is not None:
            return Drop("figurative_strike", f"a figure of speech: {m.group().strip()!r} after it")
    return None


def means_not_named(t: TriggerContext, h: Hit) -> Verdict | None:
    """"تستهدف", air defence meeting a strike, "عدوان": an attack only with its means named, else general talk."""
    if h.value in NEEDS_MEANS and not any(x.value in FIRE_OF for x in t.triggers) \
            and not (h.value == "intercept" and FILTER_AIR_DEFENCE.search(t.text, t.c0, t.c1)):
        return Drop("means_not_named", f"{h.value} without its means (missiles, aircraft, drones, artillery) named")
    return None


TRIGGER_RULES: list[Callable[[TriggerContext, Hit], Verdict | None]] = [
    negated_trigger, rpg_not_shelling, wound_by_illness, figurative_strike, means_not_named,
]


def counted_triggers(text: str, c0: int, c1: int, trig: list[Hit],
                     dropped: list[tuple[Hit, Verdict]] | None = None) -> list[Hit]:
    """The trigger words of a clause that count, each rule applied in turn to those left; a word of a
    NEEDS_MEANS class then stands for the remote fire its means names. With `dropped`, each word left
    out is added to it with its verdict."""
    t = TriggerContext(text, c0, c1, trig)
    for rule in TRIGGER_RULES:
        kept = []
        for h in t.triggers:
            v = rule(t, h)
            if v is None:
                kept.append(h)
            elif dropped is not None:
                dropped.append((h, v))
        t.triggers = kept
    return name_the_means(t.triggers, FILTER_AIR_DEFENCE.search(text, c0, c1) is not None)


def name_the_means(trig: list[Hit], air_defence: bool = False) -> list[Hit]:
    """Air defence meeting one means, or "aggression" with it, is remote fire of that means (air defence meeting
    what it does not name met something in the air); a present-tense strike verb with its means is an attack."""
    if not any(h.value in NEEDS_MEANS for h in trig):
        return trig
    fire = {FIRE_OF[h.value] for h in trig if h.value in FIRE_OF}
    if not fire and air_defence and any(h.value == "intercept" for h in trig):
        fire = {"air"}

    def meant(h: Hit) -> Hit:
        if h.value not in NEEDS_MEANS:
            return h
        one = h.value in ("intercept", "aggression") and len(fire) == 1
        return dataclasses.replace(h, value=next(iter(fire)) if one else "attack")
    return [meant(h) for h in trig]


# ---------------------------------------------------------------------------------------------
# clauses


class Clause:
    """One clause with trigger words that count, and its annotations, each found once when first asked for."""

    def __init__(self, doc: Document, part: Part, sent: Sentence, c0: int, c1: int, triggers: list[Hit],
                 claimant: Claimant | None, dates: list[tuple[dates_mod.DateExpr, bool]],
                 inherited: tuple[dates_mod.Resolved, tuple[int, int]] | None, default_org: str | None,
                 off_topic: bool, order: int) -> None:
        self.doc, self.part, self.text, self.sent = doc, part, part.ntext, sent
        self.c0, self.c1 = c0, c1
        self.triggers = triggers
        self.claimant = claimant
        self.sent_dates = dates
        self.inherited = inherited  # the date of the clause before, for a clause that gives none
        self.default_org = default_org
        self.off_topic = off_topic  # the article is about sport, culture, the economy or technology
        self.order = order
        self.figure_notes: list[tuple[int, int, str]] | None = None  # figures left out and why (when explaining)

    # -- what the words say
    @cached_property
    def classes(self) -> set[str]:
        return {h.value for h in self.triggers}

    @cached_property
    def attack_classes(self) -> set[str]:
        return self.classes & ATTACK_CLASSES

    @cached_property
    def cue_hits(self) -> list[Hit]:
        return list(cue_matcher().finditer(self.text, self.c0, self.c1))

    @cached_property
    def denied_party(self) -> Any:
        """"نفت واشنطن قيامها بقصف": who did it is denied, not that it happened."""
        return FILTER_DENIED_PARTY.search(self.text, self.c0, self.c1)

    @cached_property
    def cues(self) -> set[str]:
        cues = {h.value for h in self.cue_hits}
        # who did it denied ("نفت واشنطن قيامها بقصف"), or neither confirmed nor denied ("تأكيد أو نفي"): no denial
        neither = "denial" in cues and FILTER_CONFIRM_OR_DENY.search(self.text, self.c0, self.c1) is not None
        return cues - {"denial"} if self.denied_party or neither else cues

    @cached_property
    def topics(self) -> set[str]:
        return {h.value for h in topic_matcher().finditer(self.text, self.c0, self.c1)}

    # -- where
    @cached_property
    def places(self) -> list[PlaceMention]:
        return find_places(self.text, self.c0, self.c1)

    @cached_property
    def spread(self) -> bool:
        """Several governorates joined together ("في ريفي حماة وحلب")."""
        return is_multi_governorate(self.text, self.c0, self.c1, self.places)

    @cached_property
    def specific(self) -> list[PlaceMention]:
        return [p for p in self.places if not p.destination and p.rank >= 4]

    @cached_property
    def where(self) -> list[PlaceMention]:
        return [p for p in self.places if not p.destination]

    @cached_property
    def military_site(self) -> bool:
        return any(p.kind in ("airport_airbase", "military_site") and not p.destination for p in self.places)

    @cached_property
    def military_target(self) -> bool:
        """Military sites named as what was hit ("مواقع عسكرية")."""
        return FILTER_MILITARY_TARGET.search(self.text, self.c0, self.c1) is not None

    # -- who
    @cached_property
    def actors(self) -> list[ActorMention]:
        return find_actors(self.text, self.c0, self.c1, self.default_org)

    @cached_property
    def _sides(self) -> tuple[list[str], list[str]]:
        attackers, victims = assign_sides(self.actors)
        if self.denied_party:
            # the party that denies and the one it clears, named before the strike, are no party to it
            # ("نفت مصادر أمريكية قيام التحالف الدولي ضد داعش بقصف مواقع للنظام": the regime is the target)
            after = self.denied_party.end()
            strike_at = min((h.start for h in self.triggers if h.start >= after and h.value in ATTACK_CLASSES),
                            default=self.c1)
            cleared = {a.name for a in self.actors if a.start < strike_at}
            attackers = []
            victims = [v for v in victims if v not in cleared]
        return attackers, victims

    @property
    def attackers(self) -> list[str]:
        return self._sides[0]

    @property
    def victims(self) -> list[str]:
        """Those hit; "Civilians" added when a figure or a word names civilians."""
        return self.figures[2]

    @cached_property
    def armed(self) -> list[str]:
        return [a for a in self.attackers + self.victims if is_armed(a)]

    @cached_property
    def named_armed(self) -> list[str]:
        """The armed parties named; also a party the target belongs to, though its role is not told
        ("مستودعات تابعة للحرس الثوري"), and two sides of a clash at a place ("اشتباكات بين داعش وقسد في الباغوز")."""
        if self.armed:
            return self.armed
        named = {a.name for a in self.actors if is_armed(a.name)}
        if "clash" in self.classes and len(named) >= 2 and self.where:
            return sorted(named)
        return [a.name for a in self.actors if is_armed(a.name)
                and FILTER_BELONGS_BEFORE.search(self.text, max(self.c0, a.start - BELONGS_BEFORE), a.start)]

    # -- how many
    @cached_property
    def figures(self) -> tuple[list[Claim], set[str], list[str]]:
        """The clause's claims, the kinds of victim it names and its victims."""
        cl = self.claimant
        who = Speaker(cl.name if cl else (self.doc.source.source or "outlet"), cl.type if cl else "outlet",
                      self.order, self.sent.start, "rising" in self.cues)
        cas = [h for h in self.triggers if h.value in CASUALTY]
        claims, kinds = clause_figures(self.text, self.c0, self.c1, cas, who, self.figure_notes, self.part.duals)
        if any(c.implausible for c in claims):  # a misread, not a toll: said, and left out
            self.doc.warn(f"a figure above {MAX_TOLL:,} killed or wounded is no incident's toll: left out")
            claims = [c for c in claims if not c.implausible]
        victims = list(self._sides[1])
        if FILTER_CIVILIAN_TARGET.search(self.text, self.c0, self.c1) and not victims:
            kinds.add("civilians")
        for v in victims:
            if v == "Civilians":
                kinds.add("civilians")
            elif is_armed(v):
                kinds.add("combatants")
        if "civilians" in kinds and "Civilians" not in victims:
            victims.append("Civilians")
        return claims, kinds, victims

    @property
    def claims(self) -> list[Claim]:
        return self.figures[0]

    @cached_property
    def has_figure(self) -> bool:
        return any(c.precise for c in self.claims)

    @cached_property
    def casualties(self) -> list[Claim]:
        return [c for c in self.claims if c.kind in ("fatalities", "wounded")]

    # -- when
    @cached_property
    def dated(self) -> tuple[dates_mod.Resolved | None, tuple[int, int] | None]:
        """The clause's date and its span: its own (a "since" dates only remote fire), else the clause before's."""
        for d, rep in self.sent_dates:
            if not (self.c0 <= d.start < self.c1) or rep or (d.since and not (self.attack_classes & REMOTE)):
                continue
            return dates_mod.resolve(d, self.doc.reference_date, self.doc.years), (d.start, d.end)
        if self.inherited is not None:
            return self.inherited
        for d, rep in self.sent_dates:  # "اتهمت دمشق إسرائيل في التاسع من نيسان بشن غارة": the strike's day
            if rep and self.c0 <= d.start < self.c1 and ACCUSATION_DATED.search(self.text, self.c0, d.start):
                return dates_mod.resolve(d, self.doc.reference_date, self.doc.years), (d.start, d.end)
        return None, None

    @property
    def date(self) -> dates_mod.Resolved | None:
        return self.dated[0]

    @property
    def on_a_day(self) -> bool:
        d = self.date
        return bool(d and d.precision == "day")

    @cached_property
    def dependent(self) -> bool:
        """A figure for an incident told elsewhere ("ارتفعت الحصيلة الى 15 قتيلا"): no attack, party or place."""
        return bool(self.casualties) and not (self.attack_classes or self.armed or self.where or self.victims)


def ref_year(doc: Document) -> int | None:
    if doc.reference_date:
        return doc.reference_date.year
    return max(doc.years) if doc.years else None


# -- the rules, in the order they are tried ---------------------------------------------------


def only_a_weapon_named(c: Clause) -> Verdict | None:
    """A clause that names only a weapon or an aircraft tells no attack and no loss."""
    if not (c.attack_classes or c.classes & CASUALTY):
        return Drop("only_a_weapon_named", f"names only {', '.join(sorted(c.classes))}: no attack, no loss")
    return None


def _cue_rule(name: str, cue: str, what: str, why: str,
              unless: Callable[[Clause], bool] | None = None) -> Callable[[Clause], Verdict | None]:
    """The clause rule `name`: a clause holding a cue word of class `cue` (data/cues.tsv) tells `what`, no
    incident, `unless` it holds what makes one; `why` is the rule's docstring (one line, as every rule's)."""
    def rule(c: Clause) -> Verdict | None:
        if cue in c.cues and not (unless and unless(c)):
            return Drop(name, f"{what}: cue {_cue(c.part, c.cue_hits, cue)!r}")
        return None

    rule.__name__ = rule.__qualname__ = name
    rule.__doc__ = why
    return rule


def _answered_attack_told(c: Clause) -> bool:
    """The attack a threat vows to answer, told with its toll, happened ("توعد بالرد على الهجوم الذي وقع في
    البلدة وأسقط 60 قتيلا")."""
    return bool(c.casualties) and FILTER_ANSWERS_WHAT_HAPPENED.search(c.text, c.c0, c.c1) is not None


# the rules that a cue word alone decides, one a row: (name, cue class, what the clause tells instead, why
# that is no incident); the words of each class are in data/cues.tsv
denial, plan, threat, investigation, celebratory, fake_or_game = (_cue_rule(*row) for row in (
    ("denial", "denial", "the clause denies the violence", "The clause denies the violence (a denial cue)."),
    ("plan", "plan", "an intention or a plan, not an incident",
     "An intention, a preparation, the future (a plan cue) is no incident yet."),
    ("threat", "threat", "a threat or a warning",
     "A threat or a warning (a threat cue) is no incident (the attack it vows to answer, told with its toll, is).",
     _answered_attack_told),
    ("investigation", "investigation", "an inquiry or a trial",
     "An inquiry or a trial about an attack (an investigation cue) tells no new incident."),
    ("celebratory", "celebratory", "celebratory gunfire", "Celebratory gunfire (a celebratory cue) is no attack."),
    ("fake_or_game", "fake", "a video game or a doctored picture",
     "A video game or a doctored picture (a fake cue) shows no incident."),
))


def _pattern_rule(name: str, regex: re.Pattern[str], what: str, why: str,
                  unless: Callable[[Clause], bool] | None = None) -> Callable[[Clause], Verdict | None]:
    """The clause rule `name`: a clause where `regex` (a pattern of lang/patterns.py) finds words tells `what`,
    no incident, `unless` it holds what makes one; its docstring is `why` and the pattern's example."""
    def rule(c: Clause) -> Verdict | None:
        m = regex.search(c.text, c.c0, c.c1)
        if m is not None and not (unless and unless(c)):
            return Drop(name, f"{what}: {m.group()!r}")
        return None

    example = next(p.example for p in REGISTRY.values() if p.regex is regex)
    rule.__name__ = rule.__qualname__ = name
    rule.__doc__ = f'{why} ("{example}")'
    return rule


# the rules that a pattern decides, one a row: (name, pattern, what the clause tells instead, why, and what
# makes it an incident all the same)
denied_claim, anniversary, comparison, separate_incidents, other_places = (_pattern_rule(*row) for row in (
    ("denied_claim", FILTER_DENIED_CLAIM, "rejects a claim", "A rejected claim: the denier stands between verb and claim."),
    ("anniversary", FILTER_ANNIVERSARY, "an anniversary", "The anniversary of an attack is history."),
    ("comparison", FILTER_SUPERLATIVE_TOLL, "a comparison with other incidents",
     "A comparison with no figure or day of its own reports nothing new.", lambda c: c.has_figure or c.on_a_day),
    ("separate_incidents", FILTER_SEPARATE, "a summary of separate incidents",
     "Separate attacks without a figure: a summary of incidents told one by one elsewhere.", lambda c: c.has_figure),
    ("other_places", FILTER_OTHER_PLACES, "losses over places it does not name",
     "A remainder over places it does not name, no incident of its own.", lambda c: bool(c.specific)),
))


def attempt(c: Clause) -> Verdict | None:
    """An attempt ("محاولة اقتحام") is no incident unless a clash or a loss is told with it."""
    if "attempt" in c.cues and not (c.classes & (CASUALTY | {"clash"})):
        return Drop("attempt", f"an attempt, with no clash or loss told: cue {_cue(c.part, c.cue_hits, 'attempt')!r}")
    return None


def feared_attack(c: Clause) -> Verdict | None:
    """What people fled or feared ("نزحوا خوفا من هجوم"), with no loss told, has not happened."""
    if "fear" in c.cues and not c.casualties:
        return Drop("feared_attack", f"an attack feared, not told: cue {_cue(c.part, c.cue_hits, 'fear')!r}")
    return None


def condemnation(c: Clause) -> Verdict | None:
    """A condemnation ("دانت قصف الغوطة") with no figure and no day of its own tells no incident."""
    if "condolence" in c.cues and not c.has_figure and not c.on_a_day:
        return Drop("condemnation", f"a condemnation, no figure or day of its own: cue {_cue(c.part, c.cue_hits, 'condolence')!r}")
    return None


def thousands_without_day(c: Clause) -> Verdict | None:
    """Losses told only as "thousands" ("قتل آلاف المدنيين"), with no day, are a war's toll, not an incident."""
    cas = c.casualties
    if cas and all(not x.precise and (x.low or 0) >= THOUSANDS for x in cas) and not c.on_a_day:
        return Drop("thousands_without_day", "losses told only as thousands, with no day: a war's toll")
    return None


def frame_of_what_follows(c: Clause) -> Verdict | None:
    """"ويأتي القصف مع إرسال تعزيزات": the attack just told, named as the frame of other news, with no figure of its own."""
    m = FILTER_COMES_AS.match(c.text, c.c0)
    if m is not None and not c.has_figure:
        return Drop("frame_of_what_follows", f"the attack told before, framing other news: {m.group().strip()!r}")
    return None


def off_topic_clause(c: Clause) -> Verdict | None:
    """Words of sport, culture, the economy or technology ("هجوم" in football, "ضربة" in the markets)."""
    off = c.topics & OFF_TOPICS
    if off:
        return Drop("off_topic_clause", f"speaks of {', '.join(sorted(off))}")
    return None


def campaign_or_offensive(c: Clause) -> Verdict | None:
    """A campaign or an offensive that begins, with no strike or loss reported, is no incident."""
    if c.attack_classes & (REMOTE | {"clash"}) or c.classes & CASUALTY:
        return None
    if "campaign" in c.cues:
        return Drop("campaign_or_offensive", f"a campaign over time: cue {_cue(c.part, c.cue_hits, 'campaign')!r}")
    m = FILTER_OFFENSIVE.search(c.text, c.c0, c.c1)
    if m is not None:
        return Drop("campaign_or_offensive", f"an offensive begins: {m.group()!r}")
    return None


def spread_over_governorates(c: Clause) -> Verdict | None:
    """"في ريفي حماة وحلب": a summary, unless one dated strike, or one on military sites or an armed party, hit each."""
    if not c.spread:
        return None
    armed_target = c.military_target or FILTER_FRONT.search(c.text, c.c0, c.c1) is not None or any(is_armed(v) for v in c.victims)
    # a state that strikes Syria from the air attacks armed targets from afar, means named or not
    from_afar = c.attack_classes & FIRE_FROM_AFAR or (
        armed_target and any(strikes_from_afar([a]) for a in c.attackers) and not c.classes & GROUND_CLASSES)
    if c.has_figure or not from_afar or not (c.date or armed_target):
        return Drop("spread_over_governorates", "several governorates joined together: a summary")
    return None


def motive_in_passing(c: Clause) -> Verdict | None:
    """"ردا على الضربات المتعاقبة": what an attack answered, named in passing (no figure, no day)."""
    if MENTION_MOTIVE.match(c.text, c.c0) and not c.has_figure and not c.on_a_day:
        return Drop("motive_in_passing", "what an attack answered, named in passing")
    return None


def generic_plural(c: Clause) -> Verdict | None:
    """Plural "attacks" ("هجمات", "اشتباكات") without a figure, a specific place or a day: a generalisation."""
    trig = c.triggers
    plurals = word_set("filter_generic_plurals")
    if all(h.entry in plurals or h.value in CASUALTY for h in trig) and any(h.entry in plurals for h in trig) \
            and not c.has_figure and not c.specific and not c.on_a_day:
        return Drop("generic_plural", "attacks in general: a plural without a figure, a place or a day")
    return None


def loss_without_figure_or_attack(c: Clause) -> Verdict | None:
    """A word of killing or wounding with no figure counted and no attack named tells nothing to record."""
    if not c.casualties and not c.attack_classes:
        return Drop("loss_without_figure_or_attack", "a word of loss, but no figure and no attack")
    return None


def no_armed_party_or_site(c: Clause) -> Verdict | None:
    """An attack with no loss needs a named armed party, a strike on a site, or a blast or dated attack at a military site."""
    if c.casualties or not c.attack_classes:
        return None
    attack = c.attack_classes
    strike = is_strike(c.classes)
    if not c.named_armed and not (strike and (c.military_site or c.military_target or any(p.rank >= 5 and not p.destination for p in c.places))) \
            and not ("explosion" in attack and c.military_site) \
            and not ("attack" in attack and c.military_site and c.on_a_day):
        return Drop("no_armed_party_or_site", "an attack with no loss, no named armed party and no site struck")
    return None


def attack_without_place_day_or_sides(c: Clause) -> Verdict | None:
    """An attack without casualties needs a place, a day, two parties, or remote fire."""
    if c.casualties or not c.attack_classes:
        return None
    if not (c.where or c.date or len(c.attackers + c.victims) >= 2 or c.attack_classes & FIRE_FROM_AFAR):
        return Drop("attack_without_place_day_or_sides", "an attack with no loss, no place, no day and one party at most")
    return None


def off_topic_article(c: Clause) -> Verdict | None:
    """In an article about sport, culture, the economy or technology, only a clause naming an armed party counts."""
    if c.off_topic and not c.armed:
        return Drop("off_topic_article", "the article is off-topic and the clause names no armed party")
    return None


def accident(c: Clause) -> Verdict | None:
    """A fire or a blast with no armed party and at no military site is an accident."""
    if "accident" in c.topics and not (c.attack_classes - {"explosion"}) and not (c.military_site or c.named_armed):
        return Drop("accident", "an accident: no attack, no armed party, no military site")
    return None


def old_year(c: Clause) -> Verdict | None:
    """A clause dated only by a year well before the report's ("في عام 2012") is history."""
    years = [int(y) for m in FILTER_OLD_YEAR.finditer(c.text, c.c0, c.c1) for y in m.groups() if y]
    ry = ref_year(c.doc)
    if years and ry and max(years) < ry - OLD_YEARS and not c.on_a_day:
        return Drop("old_year", f"dated by the year {max(years)}, before the report's ({ry})")
    return None


def background(c: Clause) -> Verdict | None:
    """An incident dated more than BACKGROUND_DAYS before the report is background."""
    ref, d = c.doc.reference_date, c.date
    if ref and d and d.date and d.precision in ("day", "month") and (ref - d.date).days > BACKGROUND_DAYS:
        return Drop("background", f"dated {d.date.isoformat()}, more than {BACKGROUND_DAYS} days before the report")
    return None


def period_ended_long_ago(c: Clause) -> Verdict | None:
    """"في العام الماضي": a period that ended more than BACKGROUND_DAYS before the report."""
    ref, d = c.doc.reference_date, c.date
    if ref and d and not d.date and d.window and (ref - d.window[1]).days > BACKGROUND_DAYS:
        return Drop("period_ended_long_ago", f"a period that ended {d.window[1].isoformat()}, well before the report")
    return None


CLAUSE_RULES: list[Callable[[Clause], Verdict | None]] = [
    only_a_weapon_named, denial, plan, attempt, threat, investigation, celebratory, fake_or_game, feared_attack, condemnation,
    thousands_without_day, comparison, frame_of_what_follows, denied_claim, off_topic_clause,
    campaign_or_offensive, spread_over_governorates, anniversary, motive_in_passing, generic_plural,
    separate_incidents, loss_without_figure_or_attack, no_armed_party_or_site, attack_without_place_day_or_sides,
    off_topic_article, accident, old_year, background, period_ended_long_ago, other_places,
]


def why_kept(c: Clause) -> Verdict:
    """The reason a clause that no rule dropped is a report of an incident."""
    if c.dependent:
        return Keep("figure_for_an_incident_told_elsewhere", "a figure with no attack, party or place: it joins an incident told elsewhere")
    if c.casualties:
        return Keep("casualties", "people killed or hurt in an attack, at a place or by a named party")
    return Keep("attack", "an attack with a named armed party or on a site, and a place, a day or two parties")


def judge_clause(c: Clause) -> Verdict:
    """The verdict of CLAUSE_RULES on a clause: the first rule's that drops it, else why it is kept."""
    return first_verdict(CLAUSE_RULES, c) or why_kept(c)  # type: ignore[arg-type]


def judge_sentence(s: SentenceContext) -> Verdict | None:
    """A statistic or a block for the whole sentence, or None to read its clauses."""
    return first_verdict(SENTENCE_RULES, s)  # type: ignore[arg-type]


__all__ = [
    "ATTACK_CLASSES", "CASUALTY", "CLAUSE_RULES", "KILL", "REMOTE", "SENTENCE_RULES", "TRIGGER_RULES", "Block",
    "Clause", "Drop", "Keep", "SentenceContext", "Statistic", "Verdict", "counted_triggers", "is_strike",
    "judge_clause", "judge_sentence", "ref_year",
]
