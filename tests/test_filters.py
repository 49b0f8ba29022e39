"""The named rules of pipeline/filters.py, one sentence each (written here): the sentence -> the rule that decides.

Each sentence is extracted with a trace (as `rasad extract --explain` does) and the test checks that the
expected rule decided one of its clauses, and how (KEPT / DROPPED / STATISTIC / BLOCKED)."""

from __future__ import annotations

import datetime as dt

import pytest

from rasad.document import Document, Source
from rasad.lang.lexicon import read_rows, trigger_matcher
from rasad.lang.patterns import word_list
from rasad.pipeline import filters
from rasad.pipeline.normalise import norm
from rasad.pipeline.run import extract
from rasad.pipeline.segment import segment
from rasad.pipeline.trace import Trace

PUBLISHED = dt.date(2024, 3, 4)  # a Monday: "يوم الأحد" is 2024-03-03

# sentence -> the rule that decides one of its clauses
CASES = [
    # sentences
    ("ووثق المرصد السوري لحقوق الإنسان مقتل 1200 شخص منذ بداية العام الجاري.", "tally_cue", "STATISTIC"),
    ("في اليوم 144 من العدوان على غزة قتل 30 فلسطينيا في غارات إسرائيلية.", "day_of_war", "STATISTIC"),
    ("قتل أكثر من 350 ألف شخص منذ منتصف آذار 2011 في الحرب السورية.", "counts_since_long_ago", "STATISTIC"),
    ("وقصفت الطائرات الحربية محطة الكهرباء في البلدة ست مرات.", "count_of_attacks", "STATISTIC"),
    ("تعرضت القواعد الأجنبية لأكثر من 60 هجوما بالطائرات المسيرة والصواريخ.", "count_of_attacks", "STATISTIC"),
    ("قتل 45 مسلحا في اشتباكات مع الجيش على مدى ثلاثة أيام في ريف حماة.", "span_of_days", "STATISTIC"),
    ("وبلغ عدد القتلى في المعارك الدائرة حول المدينة 80 شخصا حتى الآن.", "so_far", "STATISTIC"),
    ("وتعرضت ثمانية مستشفيات و14 مدرسة في ريف حمص للقصف المدفعي.", "count_of_sites_hit", "STATISTIC"),
    ("وقالت المنظمة إن أكثر من 50 ألف مدني نزحوا هربا من الغارات على ريف إدلب.", "people_moved_or_held", "STATISTIC"),
    ("ووثق المرصد مقتل 1200 شخص منذ بداية العام. كما قتل 40 طفلا في الغارات.", "continues_a_tally", "STATISTIC"),
    ("تقصف الطائرات الحربية بلدات ريف إدلب بشكل متكرر.", "generic_statement", "BLOCKED"),
    ("أطلق المسلحون النار ابتهاجا في حلب فقتل طفل.", "celebratory_sentence", "BLOCKED"),
    # trigger words
    ("ولم يقتل أحد.", "negated_trigger", "DROPPED"),
    ("وضبطت الشرطة قذائف آر بي جي في المدينة.", "rpg_not_shelling", "DROPPED"),
    ("أصيب بالسرطان رئيس الوزراء.", "wound_by_illness", "DROPPED"),
    ("وجهت المحكمة ضربة دبلوماسية للحكومة.", "figurative_strike", "DROPPED"),
    ("العقوبات تستهدف شركات النفط.", "means_not_named", "DROPPED"),
    # clauses
    ("شوهدت طائرات حربية في سماء المدينة.", "only_a_weapon_named", "DROPPED"),
    ("ونفى الجيش أي قصف على المدينة.", "denial", "DROPPED"),
    ("يعتزم الجيش قصف المدينة.", "plan", "DROPPED"),
    ("وقام عناصر من تنظيم داعش بمحاولة هجوم على حاجز في ريف حمص.", "attempt", "DROPPED"),
    ("هدد الجيش بقصف مدينة حلب.", "threat", "DROPPED"),
    ("فتحت السلطات تحقيقا في الهجوم على حاجز للجيش في حمص.", "investigation", "DROPPED"),
    ("وتبين أن المقطع الذي يظهر قصف طائرة روسية لرتل لتنظيم داعش في حلب مأخوذ من لعبة فيديو.", "fake_or_game", "DROPPED"),
    ("وغادرت مئات العائلات بلدات ريف حماة خوفا من هجوم لقوات النظام.", "feared_attack", "DROPPED"),
    ("ودان وزير الخارجية الفرنسي القصف على مدينة حلب.", "condemnation", "DROPPED"),
    ("وقتل الآلاف من سكان المدينة في غارات النظام.", "thousands_without_day", "DROPPED"),
    ("وتعلن الفصائل مواصلتها استهداف مواقع الجيش في ريف اللاذقية.", "campaign_or_offensive", "DROPPED"),
    ("ويعد ضحايا غارات الأحد أكبر عدد من القتلى يسقط في هجوم واحد على المحافظة هذا العام.", "comparison", "DROPPED"),
    ("قصفت قوات النظام بلدة كفرنبل يوم الأحد. ويأتي القصف بعد وصول تعزيزات للجيش إلى ريف إدلب منذ السبت.",
     "frame_of_what_follows", "DROPPED"),
    ("وتحاول الفصائل صد هجوم تشنه قوات النظام على ريف درعا منذ أيام.", "campaign_or_offensive", "DROPPED"),
    ("رفضت وزارة الدفاع، الأحد، ادعاءات بقصف أمريكي على المدينة.", "denied_claim", "DROPPED"),
    ("سجل المهاجم هدفا في مباراة كرة القدم بعد هجوم سريع.", "off_topic_clause", "DROPPED"),
    ("أطلقت القوات التركية هجوما على مواقع قسد.", "campaign_or_offensive", "DROPPED"),
    ("قتل 5 مدنيين في قصف على ريفي حماة وإدلب.", "spread_over_governorates", "DROPPED"),
    ("بعد مرور عام على الغارة التي قتلت 20 مدنيا في إدلب.", "anniversary", "DROPPED"),
    ("قصفت قوات النظام مواقع في ريف حلب، ردا على الضربات المتعاقبة.", "motive_in_passing", "DROPPED"),
    ("تتواصل الاشتباكات في سوريا.", "generic_plural", "DROPPED"),
    ("نفذ التنظيم يوم الأحد هجمات منفصلة في مدينة الرقة.", "separate_incidents", "DROPPED"),
    ("وتواصل القتل في المدينة.", "loss_without_figure_or_attack", "DROPPED"),
    ("وقع هجوم في المدينة يوم الأحد.", "no_armed_party_or_site", "DROPPED"),
    ("هاجم تنظيم داعش.", "attack_without_place_day_or_sides", "DROPPED"),
    ("فاز الفريق في المباراة على الملعب وتصدر الدوري في البطولة. وقتل 3 أشخاص في انفجار في حلب يوم الأحد.",
     "off_topic_article", "DROPPED"),
    ("اندلع حريق في مستودع في حمص أدى إلى مقتل 3 عمال يوم الأحد.", "accident", "DROPPED"),
    ("وفي عام 2012 قتل 40 مدنيا في قصف على حمص.", "old_year", "DROPPED"),
    ("قتل 10 مدنيين في قصف على حمص في 3 كانون الثاني 2024.", "background", "DROPPED"),
    ("قتل 10 مدنيين في قصف على حمص في العام الماضي.", "period_ended_long_ago", "DROPPED"),
    ("وقتل تسعة آخرون في مناطق أخرى.", "other_places", "DROPPED"),
    # kept
    ("قتل 3 جنود في هجوم لتنظيم داعش على حاجز في ريف دير الزور يوم الأحد.", "casualties", "KEPT"),
    ("قصفت طائرات إسرائيلية مطار الشعيرات العسكري يوم الأحد.", "attack", "KEPT"),
    ("ارتفعت الحصيلة إلى 15 قتيلا.", "figure_for_an_incident_told_elsewhere", "KEPT"),
    # "حتى الآن" with the incident's day, and "منذ" after a superlative, count nothing over a period
    ("قتل خمسة مدنيين في قصف على بلدة كفرنبل يوم الأحد ولم تعرف الجهة المنفذة حتى الآن.", "casualties", "KEPT"),
    ("قتل 30 مدنيا يوم الأحد في غارات على دوما، في حصيلة هي الأعلى منذ بداية العام.", "casualties", "KEPT"),
    ("قصفت المدفعية بلدة كفرنبل أربع مرات يوم الأحد.", "attack", "KEPT"),
]


def verdicts(text: str) -> list[tuple[str, str]]:
    """(rule, outcome) of every clause of `text` that holds a trigger word."""
    trace = Trace()
    extract(Source(doc="t", text=text, published=PUBLISHED), None, trace)
    return [(n.verdict.rule, n.verdict.outcome) for n in trace.notes]


@pytest.mark.parametrize(("sentence", "rule", "outcome"), CASES, ids=[c[1] for c in CASES])
def test_the_rule_decides_its_sentence(sentence: str, rule: str, outcome: str) -> None:
    assert (rule, outcome) in verdicts(sentence)


def test_the_clause_rule_for_celebratory_gunfire() -> None:
    """A celebratory cue blocks the whole sentence first (celebratory_sentence): the clause rule is the
    same decision for a clause read on its own."""
    text = "أطلق المسلحون النار ابتهاجا في حلب فقتل طفل."
    doc = Document.from_source(Source(doc="t", text=text, published=PUBLISHED))
    segment(doc.body, plain_page=True)
    doc.reference_date = PUBLISHED
    t = doc.body.ntext
    trig = trigger_matcher().findall(t)
    c = filters.Clause(doc, doc.body, doc.body.sentences[0], 0, len(t), trig, None, [], None, None, False, 1)
    v = filters.celebratory(c)
    assert v is not None and v.rule == "celebratory" and v.outcome == "DROPPED"


def test_every_rule_has_a_sentence_here() -> None:
    named = {c[1] for c in CASES} | {"celebratory"}
    rules = filters.SENTENCE_RULES + filters.TRIGGER_RULES + filters.CLAUSE_RULES
    assert {r.__name__ for r in rules} <= named


@pytest.mark.parametrize("rule", filters.SENTENCE_RULES + filters.TRIGGER_RULES + filters.CLAUSE_RULES,
                         ids=lambda r: r.__name__)
def test_each_rule_says_why_in_one_line(rule: object) -> None:
    doc = (rule.__doc__ or "").strip()  # type: ignore[attr-defined]
    assert doc and "\n" not in doc, f"{rule.__name__}: a one-line docstring saying why"  # type: ignore[attr-defined]


def test_a_rule_names_itself_in_its_verdict() -> None:
    """The verdict's rule is the function's name, so --explain points at the code."""
    for sentence, rule, _outcome in CASES:
        if rule in {f.__name__ for f in filters.CLAUSE_RULES + filters.SENTENCE_RULES + filters.TRIGGER_RULES}:
            assert rule in {r for r, _o in verdicts(sentence)}


def test_the_denial_verbs_are_denial_cues() -> None:
    """Drift: every verb the denial patterns are built from (data/words/filter_denial_verbs.txt) is a
    denial cue of data/cues.tsv, so a clause those patterns read as a denial is also blocked as one."""
    cues = {norm(r[0]) for r in read_rows("cues.tsv", 2) if r[1] == "denial"}
    verbs = word_list("filter_denial_verbs")
    assert verbs
    assert set(verbs) <= cues, f"not denial cues in cues.tsv: {sorted(set(verbs) - cues)}"
