"""Actor mentions and their roles: who attacked (actor1) and who was attacked (actor2).

Arabic marks the agent of an attack in a handful of ways, all checked on the words around a
mention (normalised text):

* an attack noun followed by ل: "بهجوم لتنظيم الدولة", "كمين لداعش", "اعتداء ارهابي لعناصر التنظيم"
* a verb of attack before its subject (VSO): "هاجمت خلايا التنظيم", "نفذت قوات التحالف", "تبنى داعش"
* the subject before its verb (SVO): "التنظيم شن هجوما", "عناصر التنظيم شنوا"
* agentive phrases: "هجوم شنه X", "كمين اعدته مجموعة تابعة ل X", "من قبل X", "على يد X",
  "يعتقد انهم من X", "تنتمي الى X"

and the victim by: a person noun + من/ل ("عنصران من قوات النظام", "افراد تابعين لميليشيا"),
"صفوف X", a target noun + ل ("مواقع لقوات النظام", "نقطة عسكرية تابعة ل"), "على/ضد X" after an
attack, "X تعرضت لهجوم".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rasad.lang.lexicon import Hit, actor_matcher, actors, state_matcher, unit_matcher
from rasad.lang.patterns import (
    ACCUSED,
    ACCUSED_NEXT,
    ACCUSED_OF,
    AGENT_BEFORE,
    AGENT_NOUN_BEFORE,
    ARMY_SITE_ATTACKED,
    ARMY_SITE_STRUCK,
    ATTACK_WORD,
    CLAIMED_AFTER,
    CLAIMED_BEFORE,
    CLAIMS_AFTER,
    CLASH_BETWEEN_FIRST,
    CLASH_BETWEEN_SECOND,
    CLAUSE_PUNCTUATION,
    CONTROLLED_BY,
    COORDINATED,
    GLUED_PREPOSITIONS,
    IMPLIED_CIVILIANS,
    INSTRUMENT,
    NATIONAL_COORDINATED,
    NATIONAL_FORCE,
    OPENER,
    ORG_ANAPHOR,
    OUR_FORCES,
    OWN_ATTACK_AFTER,
    PASSIVE_READABLE,
    PROCLITIC_PREPOSITIONS,
    RELATIVE_BEFORE,
    RESISTANCE,
    RESISTANCE_ANAPHOR,
    SOURCE_BEFORE,
    SPEAKER_AFTER_VERB,
    STRIKE_VERB_AFTER,
    STRIKE_VERB_BEFORE,
    STRUCK_AREA,
    SUBJECT_BEFORE_VERB,
    SUFFERED_BEFORE,
    SUPPORTED_BY,
    TARGET_OF_STATE,
    TIME_FRAME,
    VERB_BEFORE_SUBJECT,
    VICTIM_AFTER,
    VICTIM_BEFORE,
)
from rasad.pipeline.annotate.places import Spans, nationality

ATTACKER = "attacker"
VICTIM = "victim"
AFTER_VERB = "after_verb"  # right after a verb of attack: its subject, unless the subject came first
ASSOC = "assoc"  # "مدعومة بـ X": on the side of the actor before it
# (the words around a mention that tell its role are patterns in lang/patterns.py, "actors and claimants",
# built from the lists in data/words/: attack_verbs, attack_nouns, target_nouns, party_members ...)


@dataclass(slots=True)
class ActorMention:
    name: str  # canonical
    start: int  # normalised offsets (the alias, clitics excluded)
    end: int
    role: str | None = None
    unit: str | None = None  # a military unit named instead of the army
    verb_at: int = -1  # for AFTER_VERB: where the verb starts
    passive_readable: bool = False  # for AFTER_VERB: the verb reads as a passive too ("قتل")
    instrument: bool = False  # named by its weapon or strike ("غارة اسرائيلية"): the attacker
    implied: bool = False  # a victim implied, not named ("مقتل 5 اشخاص"): counts only when no victim is named
    needs_attacker: bool = False  # an implied victim that counts only when an attacker is named


SYRIAN_ARMY = "Military Forces of Syria"  # who holds an airport struck in Syria
SPEAKER_WITHIN = 200  # how far before "مواقعنا" its speaker may be named, within the sentence


def _clause_initial(text: str, lo: int, at: int) -> bool:
    """The strike verb just before `at` opens its clause (nothing, punctuation, or a complementiser or
    connective before it), so the state after it is its subject, not its object ("جريمة لم تكن تستهدف بريطانيا")."""
    m = STRIKE_VERB_BEFORE.search(text[max(lo, at - 20) : at])
    if m is None:
        return False
    v = max(lo, at - 20) + m.start()
    before = text[max(lo, v - 40) : v].rstrip()
    return not before or before.endswith(CLAUSE_PUNCTUATION) or bool(OPENER.search(before))


def _state_subjects(text: str, states: list[Hit], lo: int, hi: int) -> list[Hit]:
    """The state names that are the subject of a strike verb, alone or coordinated with other states:
    "شنت الولايات المتحدة وبريطانيا وفرنسا ضربات", "تركيا تقصف", "الولايات المتحدة وحلفاؤها يقصفون"."""
    n = len(states)
    vso = [_clause_initial(text, lo, h.start) for h in states]
    svo = [bool(STRIKE_VERB_AFTER.match(text, h.end, hi)) for h in states]
    for i in range(1, n):  # "... وبريطانيا": coordinated with a subject before it
        if vso[i - 1] and COORDINATED.fullmatch(text, states[i - 1].end, states[i].start):
            vso[i] = True
    for i in range(n - 2, -1, -1):  # "فرنسا وبريطانيا تشنان": coordinated with a subject after it
        if svo[i + 1] and COORDINATED.fullmatch(text, states[i].end, states[i + 1].start):
            svo[i] = True
    return [h for h, a, b in zip(states, vso, svo, strict=True) if a or b]


def find_actors(text: str, start: int, end: int, default_org: str | None) -> list[ActorMention]:
    """Actor mentions in text[start:end], with roles where the words around them tell.

    `default_org` resolves the anaphor "التنظيم" ("the organisation") to the group the document
    names elsewhere (usually the Islamic State)."""
    found: list[ActorMention] = []
    taken = Spans(start)
    for h in unit_matcher().finditer(text, start, end):
        unit, actor = h.value
        found.append(ActorMention(actor, h.core_start, h.end, unit=unit))
        taken.append((h.start, h.end))
    for h in actor_matcher().finditer(text, start, end):
        if h.core_start in taken:
            continue
        found.append(ActorMention(h.value, h.core_start, h.end))
        taken.append((h.start, h.end))
    _national_forces(text, start, end, found, taken)
    _states_of_targets(text, start, end, found, taken)
    # (after a preposition, "مرتبطة بإيران", a state is no subject)
    states = [h for h in state_matcher().finditer(text, start, end) if h.core_start not in taken
              and not set(text[h.start : h.core_start]) & PROCLITIC_PREPOSITIONS]
    for h in _state_subjects(text, states, start, end):
        found.append(ActorMention(h.value, h.core_start, h.end, role=ATTACKER))
        taken.append((h.start, h.end))
    _anaphors(text, start, end, default_org, found, taken)
    found = _holders(text, start, found)
    _implied_victims(text, start, end, found, taken)
    # "بعد ساعات على الغارة الإسرائيلية على مطار X، ...": the parties of the incident the clause is timed by, named
    # or implied, are not its own
    frames = Spans(start, (m.span() for m in TIME_FRAME.finditer(text, start, end)))
    found = [a for a in found if a.start not in frames]
    found.sort(key=lambda a: a.start)
    for a in found:
        # civilians are hit, never the attacking party
        if a.role is None:
            a.role = VICTIM if a.name == "Civilians" else _role(text, a, start, end)
    return found


def _national_forces(text: str, start: int, end: int, found: list[ActorMention], taken: Spans) -> None:
    """A military noun qualified by a nationality ("غارات إسرائيلية", "سلاحا الجو الأردني والعراقي")."""
    pos = start
    while (m := NATIONAL_FORCE.search(text, pos, end)) is not None:
        actor = nationality(m.group("adj"))
        # the word after the noun may be another military noun ("غارات لطائرات روسية"): look again from it
        pos = m.end() if actor is not None else m.start("adj")
        if actor is None or m.start("n") in taken \
                or SOURCE_BEFORE.search(text, max(start, m.start("n") - 12), m.start("n")):
            continue
        instrument = bool(INSTRUMENT.match(m.group("n")))
        found.append(ActorMention(actor, m.start("n"), m.end(), instrument=instrument))
        taken.append((m.start(), m.end()))
        c = NATIONAL_COORDINATED.match(text, m.end(), end)
        other = c and nationality(c.group("adj"))
        if other and other != actor:  # "سلاحا الجو الاردني والعراقي": both states
            found.append(ActorMention(other, c.start("adj"), c.end(), instrument=instrument))
            taken.append((c.start(), c.end()))
            pos = c.end()


def _states_of_targets(text: str, start: int, end: int, found: list[ActorMention], taken: Spans) -> None:
    """The state owning a target ("قاعدة التنف الأميركية") is the one hit."""
    for m in TARGET_OF_STATE.finditer(text, start, end):
        at = m.start("rest")
        for word in m.group("rest").split():
            at = text.index(word, at)
            actor = nationality(word)
            if actor is not None:
                if at not in taken:
                    found.append(ActorMention(actor, at, at + len(word), role=VICTIM))
                    taken.append((at, at + len(word)))
                break
            at += len(word)


def _anaphors(text: str, start: int, end: int, default_org: str | None, found: list[ActorMention],
              taken: Spans) -> None:
    """"التنظيم" and "المقاومة" alone: the organisation, the resistance group the document names."""
    if default_org:
        for m in ORG_ANAPHOR.finditer(text, start, end):
            s = m.start("c")
            if s in taken:
                continue
            found.append(ActorMention(default_org, s, m.end()))
    resistance = _resistance_named(text)
    if resistance:
        for m in RESISTANCE_ANAPHOR.finditer(text, start, end):
            s = m.start("c")
            if s not in taken:
                found.append(ActorMention(resistance, s, m.end()))
                taken.append((m.start(), m.end()))


def _holders(text: str, start: int, found: list[ActorMention]) -> list[ActorMention]:
    """Who holds a place is no party to what happens there: "دوما، آخر جيب للفصائل المعارضة", "الدفاع المدني
    في مناطق سيطرة الفصائل", "البلدة الخاضعة لسيطرة قوات النظام" - but when a strike names no victim, the
    party holding the struck area is the one hit ("غارات على مناطق تسيطر عليها الفصائل"): an implied victim,
    with an attacker named."""
    held = []
    for a in found:
        c = CONTROLLED_BY.search(text, max(start, a.start - 40), a.start)
        if c is None:
            held.append(a)
        elif STRUCK_AREA.search(text, max(start, c.start() - 25), c.start()):
            a.role, a.implied, a.needs_attacker = VICTIM, True, True
            held.append(a)
    return held


def _implied_victims(text: str, start: int, end: int, found: list[ActorMention], taken: Spans) -> None:
    """Victims implied, not named: people counted with no party ("مقتل 5 اشخاص") or homes struck, in a clause
    that names a strike; an airport struck."""
    attack_named = ATTACK_WORD.search(text, start, end) is not None
    for m in IMPLIED_CIVILIANS.finditer(text, start, end) if attack_named else ():
        if m.start() not in taken:
            found.append(ActorMention("Civilians", m.start(), m.end(), role=VICTIM, implied=True))
    for m in OUR_FORCES.finditer(text, start, end):
        speaker = _speaker(text, m.start())
        if speaker is None:
            continue
        # "قال الجيش إن مسلحين استهدفوا مواقعنا": the speaker's forces were hit, the speaker no attacker
        named = [a for a in found if a.start == speaker[1]]
        for a in named:
            a.role = VICTIM
        if not named:
            found.append(ActorMention(speaker[0], m.start(), m.end(), role=VICTIM, implied=True))
    for pat in (ARMY_SITE_STRUCK, ARMY_SITE_ATTACKED):
        for m in pat.finditer(text, start, end):
            site = text.rfind(" ", m.start(), m.end()) + 1  # the site word ("مطار"), as its evidence
            found.append(ActorMention(SYRIAN_ARMY, site, m.end(), role=VICTIM, implied=True,
                                      needs_attacker=pat is ARMY_SITE_ATTACKED))


def _speaker(text: str, before: int) -> tuple[str, int] | None:
    """The actor who says the words at `before` and where it is named: right after a verb of saying of its sentence."""
    lo = max(text.rfind(".", 0, before), before - SPEAKER_WITHIN) + 1
    for h in actor_matcher().finditer(text, lo, before):
        if SPEAKER_AFTER_VERB.search(text, lo, h.start):
            return str(h.value), h.core_start
    return None


@lru_cache(maxsize=16)
def _resistance_named(text: str) -> str | None:
    """The one resistance group the text names in full ("المقاومة الإسلامية في العراق"): what "المقاومة" alone
    stands for in it (None when it names none, or several)."""
    named = {h.value for h in actor_matcher().finditer(text, 0, len(text)) if h.entry.startswith(RESISTANCE)}
    return named.pop() if len(named) == 1 else None


def _role(text: str, a: ActorMention, lo: int, hi: int) -> str | None:
    if a.instrument:
        return ATTACKER
    pre = text[max(lo, a.start - 60) : a.start]
    post = text[a.end : min(hi, a.end + 110)]
    # without a proclitic glued to the name ("تابعة لتنظيم" -> "تابعة")
    bare = pre[:-1] if len(pre) > 1 and pre[-1] in GLUED_PREPOSITIONS and pre[-2] == " " else pre
    if AGENT_BEFORE.search(pre) or AGENT_BEFORE.search(bare) or AGENT_NOUN_BEFORE.search(pre):
        return ATTACKER
    if SUPPORTED_BY.search(pre[-45:]):
        return ASSOC
    if CLASH_BETWEEN_SECOND.search(pre):
        return VICTIM  # "اشتباكات بين X وY": Y the other side
    if CLASH_BETWEEN_FIRST.search(pre):
        return ATTACKER
    if ACCUSED.search(pre[-50:]) or (ACCUSED_NEXT.search(pre[-30:]) and ACCUSED_OF.match(post)):
        return ATTACKER
    if (CLAIMED_BEFORE.search(pre[-20:]) and CLAIMED_AFTER.match(post)) or CLAIMS_AFTER.match(post) \
            or OWN_ATTACK_AFTER.match(post):
        return ATTACKER  # "أعلنت X استهداف ...", "X تعلن استهداف ...": who claims the attack made it
    if VICTIM_AFTER.search(post[:45]) or SUFFERED_BEFORE.search(pre[-20:]):
        return VICTIM
    if VICTIM_BEFORE.search(pre):
        return VICTIM
    if SUBJECT_BEFORE_VERB.search(post):
        return ATTACKER
    m = VERB_BEFORE_SUBJECT.search(pre)
    if m:
        if RELATIVE_BEFORE.search(pre, 0, m.start()):
            return VICTIM  # "الهجوم الذي استهدف X": the relative is the subject, X the object
        a.verb_at = a.start - len(pre) + m.start()
        a.passive_readable = PASSIVE_READABLE.match(pre, m.start()) is not None
        return AFTER_VERB
    return None


def assign_sides(mentions: list[ActorMention]) -> tuple[list[str], list[str]]:
    """Attackers and victims (canonical names, in text order, no repeats) of one clause."""
    attackers: list[str] = []
    victims: list[str] = []
    loose: list[str] = []
    implied: list[ActorMention] = []
    side: str | None = None
    for m in mentions:
        role = m.role
        if m.implied:
            implied.append(m)
            continue
        if role == AFTER_VERB:
            # VSO: the subject follows the verb, unless its subject came just before it (SVO: object), or the
            # verb reads as a passive and the attacker is named after ("قتل جنديان سوريان بغارة اسرائيلية")
            svo = any(o.role == ATTACKER and o.end <= m.verb_at and m.verb_at - o.end < 60 for o in mentions)
            passive = m.passive_readable and any(o.role == ATTACKER and o.start > m.end for o in mentions)
            role = VICTIM if svo or passive else ATTACKER
        elif role == ASSOC:
            # support is lent to the side that acts: the attacker when one is named
            role = ATTACKER if attackers else side
        bucket = attackers if role == ATTACKER else victims if role == VICTIM else loose
        if role in (ATTACKER, VICTIM):
            side = role
        if m.name not in bucket:
            bucket.append(m.name)
    victims = [v for v in victims if v not in attackers]
    for name in loose:
        if name in attackers or name in victims:
            continue
        # an actor with no marked role joins the side that is still empty: the attacked side
        # when the attacker is known; the attacking side of civilians when it is not
        if attackers:
            victims.append(name)
        elif victims == ["Civilians"] and name != "Civilians":
            attackers.append(name)
    if not victims:  # no victim named: the implied ones (not enough to make a loose actor the attacker)
        for m in implied:
            if m.name not in attackers and m.name not in victims and (attackers or not m.needs_attacker):
                victims.append(m.name)
    return attackers, victims


def inter_code(name: str | None) -> int | None:
    if not name:
        return None
    info = actors().get(name)
    return info.inter if info else None


def same_camp(a: str | None, b: str | None) -> bool:
    """a and b are one actor, or allies of one camp ("Military Forces of Syria" and the IRGC)."""
    if not a or not b:
        return False
    if a == b:
        return True
    ca, cb = actors().get(a), actors().get(b)
    return bool(ca and cb and ca.camp and ca.camp == cb.camp)


def is_armed(name: str) -> bool:
    info = actors().get(name)
    return bool(info) and info.kind != "civilian"
