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

from rasad.lang.lexicon import Hit, actor_matcher, actors, nationality_forms, state_matcher, unit_matcher
from rasad.pipeline.normalise import rx

ATTACKER = "attacker"
VICTIM = "victim"
AFTER_VERB = "after_verb"  # right after a verb of attack: its subject, unless the subject came first
ASSOC = "assoc"  # "مدعومة بـ X": on the side of the actor before it

_W = r"[^\s]+"  # one token
_ATTACK_NOUN = r"(?:هجوم|هجوما|هجمات|هجمه|بهجوم|لهجوم|كمين|كمينا|بكمين|كمائن|تفجير|قصف|غاره|غارات|ضربات|ضربه|اعتداء|عمليه|استهداف)"
_ATTACK_VERB = (
    r"(?:شن|شنت|شنوا|يشن|تشن|نفذ|نفذت|نفذوا|هاجم|هاجمت|هاجموا|يهاجم|تهاجم|استهدف|استهدفت|استهدفوا|قصف|قصفت|"
    r"قصفوا|تبني|تبنت|تبنى|فجر|فجرت|فجروا|نصب|نصبت|نصبوا|اطلق|اطلقت|اطلقوا|اغتال|اغتالت|اعدم|اعدمت|اختطف|"
    r"اختطفت|خطف|خطفت|قتل|قتلت|قتلوا|يشتبك|تشتبك|اشتبك|اشتبكت|بدات|بدا|قامت|قام|شنها|يستهدف|تستهدف|زرع|زرعت|"
    r"زرعوا|هاجمته|هاجمها|اعدمت|اعدموا|اقتحم|اقتحمت|اقتحموا|اعتدي|اعتدت|اعتدوا)"
)
_FORCE = r"(?:خلايا|خليه|عناصر|عنصر|مقاتلو|مقاتلي|مسلحو|مسلحي|طائرات|طائره|طيران|مدفعيه|قوات|مجموعه|مجموعات|وحدات|جنود|مروحيات|مسيرات|دوريه)"
_TARGET = (
    r"(?:مواقع|موقع|نقطه|نقاط|حاجز|حواجز|رتل|رتلا|قافله|حافله|حافلات|دوريه|اليه|اليات|سياره|سيارات|مقر|مقرات|"
    r"ثكنه|تجمعات|تجمع|معسكر|مخزن|مستودع|مركز|قاعده|تحصينات|عربه|مدرعه|انتشار)"
)
_AGENT_PRE = rx(
    rf"(?:(?:شنه|شنته|شنها|نفذه|نفذته|نفذها|نفذتها|اعدته|اعده|اعدها|تبناه|تبنته|تبناها|زرعها|زرعه|زرعتها|زرعوها|"
    rf"(?:تقوم|يقوم|قامت|قام)\s+(?:به|بها))"
    rf"(?:\s+{_W}){{0,3}}|من قبل(?:\s+{_W}){{0,2}}|على يد(?:ي)?(?:\s+{_W}){{0,2}}|"
    rf"(?:يعتقد|يرجح|يشتبه)\s+(?:انها|انهم|انه|ان)(?:\s+{_W}){{0,2}}|"
    rf"(?:تنتمي|ينتمي|ينتمون|تتبع|يتبعون)\s+(?:الى|ل)|بتوقيع|بصمات|"
    # "قيام تنظيم داعش بقتل ...", "اقدام مسلحين على ...": the doer of a verbal noun
    rf"(?<!\w)(?:قيام|اقدام|تمكن)|"
    # by the fire of: "برصاص جنود الاحتلال", "بنيران الجيش", "بغارة للتحالف"
    rf"(?<!\w)(?:برصاص|بنيران|نيران|رصاص|بقصف|بغاره|بغارات|بقذائف|بقذيفه|بصاروخ|بصواريخ|بايدي|بيد)(?:\s+(?:ل|من))?\s*\"?\s*$|"
    # the weapon or arm of an actor: "مدفعية قوات النظام", "طائرات التحالف", "قناصة الجيش"
    rf"(?<!\w)(?:[وب]?ال)?(?:مدفعيه|طائرات|طائره|طيران|مروحيات|مروحيه|مسيرات|مسيره|راجمات|دبابات|قناص|قناصه|قناصو|بوارج|زوارق)(?:\s+(?:حربيه|مسيره|حربي))?)\s*\"?\s*$"
)
# an attack noun, at most two qualifying words (not a target: "الهجوم على حافلة لـ"), then ل + the actor
_QUALIFIER = rf"(?:\s+(?!(?:علي|ضد|في|من|الي|قرب|داخل|بين)(?!\w))(?!(?:ال)?{_TARGET}(?!\w))\S+)"
_AGENT_NOUN_PRE = rx(rf"{_ATTACK_NOUN}{_QUALIFIER}{{0,2}}?\s+ل?(?:{_FORCE}\s+)?\"?$|{_ATTACK_NOUN}\s+{_FORCE}\s+\"?$")
_VSO_PRE = rx(rf"(?<!\w){_ATTACK_VERB}\s*(?:\s+{_FORCE})?\s+\"?$")
_SUPPORT = r"(?:مدعومه|مدعومين|مدعوما|مدعومون|بدعم|بمسانده|بمؤازره|بغطاء|بالتعاون|الى جانب)"
_SVO_POST = rx(
    rf"^\"?\s*(?:،?\s*{_SUPPORT}[^،.]{{0,70}}،\s*)?"
    rf"(?:ال\S+\s+(?:في|ب|علي|قرب)\s+(?:\S+\s+){{0,4}}?)?(?:(?!(?:جراء|بسبب|اثر|نتيجه|بعد|عقب)(?!\w))\S+\s+){{0,3}}?"
    rf"\"?{_ATTACK_VERB}(?!\w)"
)
# the accused, after the accusers: "اتهمت روسيا وسوريا إسرائيل (بشن الغارة)" names the attacker as they see it
_ACCUSED_PRE = rx(r"(?<!\w)[وف]?(?:اتهم|اتهمت|اتهموا|تتهم|يتهم|حمل|حملت|حملوا)\s+(?:\S+\s+){1,4}\"?$")
# (the accusers themselves stay unassigned: a party blames others for strikes on itself as often as a third party does)
_ASSOC_PRE = rx(rf"{_SUPPORT}\s+(?:من\s+)?(?:\S+\s+){{0,2}}?(?:ب|من)?\"?$|{_SUPPORT}\s+\S*\s*(?:\S+\s+)?(?:و\S*\s+)?\"?$")
_VICTIM_POST = rx(r"^\"?\s*(?:\S+\s+){0,4}?(?:تعرض|تعرضت|تعرضوا|وقعوا في|وقعت في|قتلوا|قتل|لقوا|اصيبوا|خسر|خسرت|فقد|فقدت)(?!\w)")
_PERSON = (
    r"(?:عنصر|عنصرا|عنصران|عنصرين|عناصر|عناصرها|افراد|فرد|فردا|جنود|جندي|جنديا|جنديين|ضابط|ضباط|مقاتل|مقاتلا|"
    r"مقاتلين|مقاتلي|قتلى|قتيل|قتيلا|جرحى|مسلحي|عسكريين|عسكريا|اعضاء|منتسبي|قيادي|قياديا|قياديين|قائد|قائدا|قاده|\d+)"
)
_VICTIM_PRE = rx(
    rf"(?:(?:{_PERSON}|صفوف|ضد|بين)(?:\s+{_W}){{0,2}}?\s+(?:من|ل|في|تابعين ل|التابعين ل|تابعين|التابعين|ينتمون ل|ينتمون الى|يتبعون ل)|"
    # "40 قتيلا من عناصر قوات النظام": the casualties' unit noun between the figure and the party
    rf"{_PERSON}(?:\s+{_W}){{0,2}}?\s+(?:من|في صفوف)\s+(?:عناصر|افراد|مقاتلي|جنود|منتسبي|ضباط|اعضاء)|"
    rf"(?:مقتل|قتل|اصابه|جرح|استشهاد|اعدام|اغتيال|خطف|اختطاف|اسر)\s+(?:{_W}\s+){{0,2}}?{_PERSON}\s+|صفوف\s+|"
    rf"(?<!\w)(?:مقتل|اصابه|استشهاد|اعدام|اغتيال|اختطاف|اصيب)\s+|"
    rf"(?:قتلي|جرحي|ضحايا)(?:\s+و\S+)?\s+(?:من|في صفوف)\s+(?:{_PERSON}\s+)?|"
    # the other side of a fight: "اشتباكات عنيفة مع قوات النظام"
    rf"(?:اشتباكات|اشتباك|مواجهات|معارك|اشتبك|اشتبكت|اشتبكوا|يشتبك|تشتبك)(?:\s+{_W})?\s+مع\s+|"
    rf"{_TARGET}(?:\s+{_W}){{0,3}}?\s+(?:ل|تابعه ل|تابع ل|التابعه ل|التابع ل|لعناصر|لقوات)?|"
    rf"(?:{_ATTACK_NOUN}|{_ATTACK_VERB})(?:\s+{_W}){{0,2}}?\s+(?:علي|ضد)(?:\s+{_TARGET})?|"
    rf"(?:{_ATTACK_VERB})\s+{_TARGET}\s+|صفوف|ضد|قتلي|جرحي|خسائر)\s*\"?\s*$"
)


# a military noun qualified by a nationality: "جندي بريطاني", "الطائرات الروسية", "غارات اسرائيلية", also after
# the adjective of its means: "قصف صاروخي اسرائيلي", "غارات جوية روسية"
_MILITARY_NOUN = (
    r"جندي|جنديا|جنديين|جنود|الجنود|عسكري|عسكريا|عسكريين|العسكريين|ضابط|ضابطا|ضباط|قوات|القوات|جيش|الجيش|"
    r"طائرات|الطائرات|طائره|الطائره|طيران|الطيران|مقاتلات|المقاتلات|غارات|الغارات|غاره|الغاره|ضربات|الضربات|"
    r"ضربه|قصف|القصف|مدفعيه|المدفعيه|بوارج|البوارج|مروحيات|المروحيات|مروحيه|مسيرات|المسيرات|مسيره|المسيره|"
    r"دوريه|الدوريه|قافله|رتل|صواريخ|الصواريخ|صاروخ|قوه|القوه|عناصر|جنودا|دبابات|الدبابات|زوارق|سفن حربيه|"
    r"رصاص|الرصاص|نيران|النيران|قذائف|القذائف|المدفعيه|مدمرات|المدمرات|مدمره|سفن|السفن|غواصه|صاروخين|صاروخان|"
    r"هجوم|الهجوم|هجوما|هجمات|الهجمات|قصفا"
)
_INSTRUMENT_RE = rx(r"(?:ال)?(?:هجوم|هجوما|هجمات|قصفا|طائرات|طائره|طيران|مقاتلات|غارات|غاره|ضربات|ضربه|قصف|مدفعيه|بوارج|مروحيات|مروحيه|مسيرات|مسيره|صواريخ|صاروخ|صاروخين|صاروخان|دبابات|زوارق|رصاص|نيران|قذائف|مدمرات|مدمره|سفن|غواصه)$")
_NATIONAL_RE = rx(rf'(?<!\w)[وفبل]?(?P<n>{_MILITARY_NOUN})(?:\s+(?:الحربي|الحربيه|حربيه|حربي|المسيره|مسيره|صاروخي|الصاروخي|صاروخيه|الصاروخيه|جوي|الجوي|جويه|الجويه|مدفعي|المدفعي|البريه|بريه))?\s+(?P<adj>(?:ال)?\w+)(?!\w)')


@dataclass(slots=True)
class ActorMention:
    name: str  # canonical
    start: int  # normalised offsets (the alias, clitics excluded)
    end: int
    role: str | None = None
    unit: str | None = None  # a military unit named instead of the army
    verb_at: int = -1  # for AFTER_VERB: where the verb starts
    instrument: bool = False  # named by its weapon or strike ("غارة اسرائيلية"): the attacker


_STRIKE_VERB = (r"(?:شن|شنت|يشن|تشن|يشنون|نفذ|نفذت|ينفذ|تنفذ|وجه|وجهت|توجه|يوجه|قصف|قصفت|تقصف|يقصف|يقصفون|"
                 r"استهدف|استهدفت|تستهدف|ضرب|ضربت|تضرب|اطلق|اطلقت|تطلق|هاجم|هاجمت|تهاجم)")
_VERB_BEFORE_RE = rx(rf"(?<!\w)[وف]?{_STRIKE_VERB}\s+(?:قد\s+)?\"?$")
_VERB_AFTER_RE = rx(rf"\"?\s+(?:(?:و|مع\s+)(?:حلفاوها|حلفاوه|حلفايها|حلفاءها|شركاوها)\s+)?(?:قد\s+)?{_STRIKE_VERB}(?!\w)")
_AND_RE = rx(r"\s*،?\s*و?\s*$")
_OPENER_RE = rx(r"(?<!\w)(?:ان|إن|أن|بان|بأن|حيث|اذ|ثم|وقد|فقد|قد|كما|بعدما|عندما|حين|بعد ان|منذ ان)$")


def _clause_initial(text: str, lo: int, at: int) -> bool:
    """The strike verb just before `at` opens its clause (nothing, punctuation, or a complementiser or
    connective before it), so the state after it is its subject, not its object ("جريمة لم تكن تستهدف بريطانيا")."""
    m = _VERB_BEFORE_RE.search(text[max(lo, at - 20) : at])
    if m is None:
        return False
    v = max(lo, at - 20) + m.start()
    before = text[max(lo, v - 40) : v].rstrip()
    return not before or before.endswith(("،", ",", ".", ":", "؛", '"')) or bool(_OPENER_RE.search(before))


def _state_subjects(text: str, states: list[Hit], lo: int, hi: int) -> list[Hit]:
    """The state names that are the subject of a strike verb, alone or coordinated with other states:
    "شنت الولايات المتحدة وبريطانيا وفرنسا ضربات", "تركيا تقصف", "الولايات المتحدة وحلفاؤها يقصفون"."""
    n = len(states)
    vso = [_clause_initial(text, lo, h.start) for h in states]
    svo = [bool(_VERB_AFTER_RE.match(text, h.end, hi)) for h in states]
    for i in range(1, n):  # "... وبريطانيا": coordinated with a subject before it
        if vso[i - 1] and _AND_RE.fullmatch(text, states[i - 1].end, states[i].start):
            vso[i] = True
    for i in range(n - 2, -1, -1):  # "فرنسا وبريطانيا تشنان": coordinated with a subject after it
        if svo[i + 1] and _AND_RE.fullmatch(text, states[i].end, states[i + 1].start):
            svo[i] = True
    return [h for h, a, b in zip(states, vso, svo, strict=True) if a or b]


_CONTROL_PRE = rx(
    r"(?<!\w)(?:معقل|معاقل|جيب|اخر جيب|مناطق سيطره|منطقه سيطره|مناطق نفوذ|منطقه نفوذ|الخاضعه لسيطره|الخاضع لسيطره|"
    r"الخاضعه ل|الخاضع ل|تحت سيطره|الواقعه تحت سيطره|يسيطر عليها|تسيطر عليها|معقلا|معقل ل)\s*(?:ل|ال|من)?\s*\"?$"
)
_ORG_ANAPHOR = rx(r'(?<!\w)(?:[وفبك]|ل\s?)?"?(?P<c>التنظيم|ل(?=لتنظيم)|تنظيم)(?:لتنظيم)?(?!\w)(?!\s*"?\s*(?:الدوله|داعش|القاعده))')


def find_actors(text: str, start: int, end: int, default_org: str | None) -> list[ActorMention]:
    """Actor mentions in text[start:end], with roles where the words around them tell.

    `default_org` resolves the anaphor "التنظيم" ("the organisation") to the group the document
    names elsewhere (usually the Islamic State)."""
    found: list[ActorMention] = []
    taken: list[tuple[int, int]] = []
    for h in unit_matcher().finditer(text, start, end):
        unit, actor = h.value
        found.append(ActorMention(actor, h.core_start, h.end, unit=unit))
        taken.append((h.start, h.end))
    for h in actor_matcher().finditer(text, start, end):
        if any(a <= h.core_start < b for a, b in taken):
            continue
        found.append(ActorMention(h.value, h.core_start, h.end))
        taken.append((h.start, h.end))
    for m in _NATIONAL_RE.finditer(text, start, end):
        adj = m.group("adj")
        actor = nationality_forms().get(adj[2:] if adj.startswith("ال") else adj)
        if actor is None or any(a <= m.start("n") < b for a, b in taken):
            continue
        instrument = bool(_INSTRUMENT_RE.match(m.group("n")))
        found.append(ActorMention(actor, m.start("n"), m.end(), instrument=instrument))
        taken.append((m.start(), m.end()))
    # (after a preposition, "مرتبطة بإيران", a state is no subject)
    states = [h for h in state_matcher().finditer(text, start, end) if not any(a <= h.core_start < b for a, b in taken)
              and not set(text[h.start : h.core_start]) & set("بلك")]
    for h in _state_subjects(text, states, start, end):
        found.append(ActorMention(h.value, h.core_start, h.end, role=ATTACKER))
        taken.append((h.start, h.end))
    if default_org:
        for m in _ORG_ANAPHOR.finditer(text, start, end):
            s = m.start("c")
            if any(a <= s < b for a, b in taken):
                continue
            found.append(ActorMention(default_org, s, m.end()))
    # who holds a place is no party to what happens there: "دوما، آخر جيب للفصائل المعارضة",
    # "الدفاع المدني في مناطق سيطرة الفصائل", "البلدة الخاضعة لسيطرة قوات النظام"
    found = [a for a in found if not _CONTROL_PRE.search(text, max(start, a.start - 40), a.start)]
    found.sort(key=lambda a: a.start)
    for a in found:
        # civilians are hit, never the attacking party
        if a.role is None:
            a.role = VICTIM if a.name == "Civilians" else _role(text, a, start, end)
    return found


def _role(text: str, a: ActorMention, lo: int, hi: int) -> str | None:
    if a.instrument:
        return ATTACKER
    pre = text[max(lo, a.start - 60) : a.start]
    post = text[a.end : min(hi, a.end + 110)]
    # without a proclitic glued to the name ("تابعة لتنظيم" -> "تابعة")
    bare = pre[:-1] if len(pre) > 1 and pre[-1] in "لب" and pre[-2] == " " else pre
    if _AGENT_PRE.search(pre) or _AGENT_PRE.search(bare) or _AGENT_NOUN_PRE.search(pre):
        return ATTACKER
    if _ASSOC_PRE.search(pre[-45:]):
        return ASSOC
    if _ACCUSED_PRE.search(pre[-50:]):
        return ATTACKER
    if _VICTIM_POST.search(post[:45]):
        return VICTIM
    if _VICTIM_PRE.search(pre):
        return VICTIM
    if _SVO_POST.search(post):
        return ATTACKER
    m = _VSO_PRE.search(pre)
    if m:
        a.verb_at = a.start - len(pre) + m.start()
        return AFTER_VERB
    return None


def assign_sides(mentions: list[ActorMention]) -> tuple[list[str], list[str]]:
    """Attackers and victims (canonical names, in text order, no repeats) of one clause."""
    attackers: list[str] = []
    victims: list[str] = []
    loose: list[str] = []
    side: str | None = None
    for m in mentions:
        role = m.role
        if role == AFTER_VERB:
            # VSO: the subject follows the verb, unless its subject came just before it (SVO: object)
            svo = any(o.role == ATTACKER and o.end <= m.verb_at and m.verb_at - o.end < 60 for o in mentions)
            role = VICTIM if svo else ATTACKER
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
