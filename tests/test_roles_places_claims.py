"""Unit tests for actor roles, place expressions and the counting rules, on sentences written here."""

from __future__ import annotations

import pytest

from rasad import extract_text
from rasad.pipeline.annotate.actors import assign_sides, find_actors
from rasad.pipeline.annotate.places import find_places, is_multi_governorate
from rasad.pipeline.figures import Claim, combine
from rasad.pipeline.normalise import norm


def sides(text: str, org: str | None = "Islamic State") -> tuple[list[str], list[str]]:
    t = norm(text)
    return assign_sides(find_actors(t, 0, len(t), org))


# -- who attacked whom -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "attackers", "victims"),
    [
        # passive verb + victims, agent after the attack noun
        ("قُتل عنصران من قوات النظام بهجوم شنّه تنظيم الدولة", ["Islamic State"], ["Military Forces of Syria"]),
        ("بهجوم لتنظيم داعش على مواقع لقوات النظام", ["Islamic State"], ["Military Forces of Syria"]),
        # VSO: the verb's subject follows it; the next actor is the object
        ("هاجمت خلايا تنظيم داعش الميليشيات الإيرانية في البادية", ["Islamic State"], ["Pro-Iranian militias"]),
        # SVO
        ("وكان عناصر التنظيم شنوا هجوماً على نقطة لمليشيا حرس القرى", ["Islamic State"], ["Village Guards"]),
        # the victim suffered an attack carried out by a group believed to belong to another
        ("تعرضت ميليشيا لواء القدس لهجوم نفذته مجموعات يُعتقد أنها تنتمي إلى تنظيم داعش", ["Islamic State"], ["Liwa al-Quds"]),
        # support: the supporters are on the attacker's side
        ("بدأت قوات النظام مدعومة بقوات الدفاع الوطني هجوماً على مواقع تنظيم داعش",
         ["Military Forces of Syria", "NDF: National Defence Forces"], ["Islamic State"]),
        # weapon-named attacker and nationality
        ("قُتل مدنيان بغارة إسرائيلية على منزل في بلدة بيت جن", ["Military Forces of Israel"], []),
        ("مدفعية قوات النظام استهدفت خلايا داعش", ["Military Forces of Syria"], ["Islamic State"]),
        # the doer of a verbal noun: "قيام X بقتل"
        ("بعد أيام من قيام تنظيم داعش بقتل خمسة أفراد تابعين لقوات النظام", ["Islamic State"], ["Military Forces of Syria"]),
        # civilians are never the attacker, and "جراء" (because of) separates the victims from the verb
        ("قُتل ثلاثة مدنيين، اليوم، جراء قصف مدفعي لقوات النظام على بلدة", ["Military Forces of Syria"], []),
        # a military unit stands for its army
        ("مقتل 40 عنصراً من الفرقة الرابعة بكمين للتنظيم", ["Islamic State"], ["Military Forces of Syria"]),
    ],
)
def test_roles(text: str, attackers: list[str], victims: list[str]) -> None:
    a, v = sides(text)
    assert a == attackers
    assert [x for x in v if x != "Civilians"] == victims


def test_the_organisation_resolves_to_the_group_of_the_article() -> None:
    a, _ = sides("نصب مقاتلو التنظيم كميناً لدورية من الجيش السوري", org="Islamic State")
    assert a == ["Islamic State"]
    a, _ = sides("نصب مقاتلو التنظيم كميناً لدورية من الجيش السوري", org=None)
    assert a == []


# -- places ----------------------------------------------------------------------------------------


def places(text: str) -> list[tuple[str, str, int, str | None, bool]]:
    t = norm(text)
    return [(p.name, p.kind, p.rank, p.admin1, p.destination) for p in find_places(t, 0, len(t))]


def test_governorate_with_clitic_countryside_and_direction() -> None:
    assert places("بريف دير الزور الغربي") == [("دير الزور", "countryside", 2, "Deir-ez-Zor", False)]
    assert places("في بادية حمص الشرقية")[0][:4] == ("حمص", "desert_region", 3, "Homs")
    assert places("والرقة")[0][3] == "Ar-Raqqa"


def test_descriptor_names_and_adjectives() -> None:
    assert places("في حقل العمر النفطي")[0][:3] == ("العمر", "oil_gas_field", 6)
    assert places("قرب بلدة تل حميس شمال")[0][0] == "تل حميس"
    assert places("في منطقة الشعيطات")[0][:2] == ("الشعيطات", "area")


def test_road_between_two_governorates_has_no_single_governorate() -> None:
    p = places("على طريق حلب – الرقة")
    assert p[0][0] == "حلب - الرقه" and p[0][1] == "road" and p[0][3] is None


def test_destination_and_origin_are_not_where_it_happened() -> None:
    assert places("كانوا في طريقهم إلى حماة")[0][4] is True
    assert places("وهو من أبناء قرية الجرذي")[0][4] is True


def test_large_region_is_not_a_precise_place() -> None:
    p = places("في منطقة البادية السورية")
    assert p[0][:3] == ("الباديه السوريه", "region", 1)


@pytest.mark.parametrize(
    ("text", "multi"),
    [
        ("في محافظتي الرقة ودير الزور", True),
        ("في باديتي حمص وحلب", True),
        ("في ريف دير الزور والرقة والحسكة", True),
        ("على طريق حمص – دير الزور", False),
        ("في بادية دير الزور الغربية", False),
    ],
)
def test_multi_governorate_summaries(text: str, multi: bool) -> None:
    t = norm(text)
    assert is_multi_governorate(t, 0, len(t), find_places(t, 0, len(t))) is multi


# -- counting rules ----------------------------------------------------------------------------------


def claim(best: int | None, low: int | None, high: int | None, ctype: str, order: int, precise: bool = True,
          rising: bool = False, name: str | None = None) -> Claim:
    return Claim("fatalities", low, best, high, None, precise, name or ctype, ctype, divmod(order, 1000), rising=rising)


def test_exact_figure() -> None:
    assert combine([claim(5, 5, 5, "outlet", 1)]) == {"low": 5, "best": 5, "high": 5}


def test_at_least() -> None:
    assert combine([claim(20, 20, None, "activist", 1)]) == {"low": 20, "best": 20, "high": None}


def test_monitor_over_party_claim() -> None:
    got = combine([claim(40, 40, 40, "party", 1), claim(39, 39, 39, "monitor", 2)])
    assert got == {"low": 39, "best": 39, "high": 40}


def test_latest_figure_of_a_claimant_wins() -> None:
    got = combine([claim(12, 12, 12, "monitor", 1), claim(15, 15, 15, "monitor", 2, rising=True)])
    assert got == {"low": 15, "best": 15, "high": 15}


def test_vague_figures_count_only_without_a_precise_one() -> None:
    vague = claim(None, 20, None, "outlet", 1, precise=False)
    assert combine([vague]) == {"low": 20, "best": None, "high": None}
    assert combine([vague, claim(7, 7, 7, "monitor", 2)]) == {"low": 7, "best": 7, "high": 7}


def test_the_accused_is_the_attacker_and_the_accuser_keeps_its_role() -> None:
    from rasad import extract_text

    text = ("اتهمت دمشق وطهران إسرائيل بالمسؤولية عن الغارة التي استهدفت مطار الضبعة العسكري في ريف حمص فجر اليوم "
            "وأسفرت عن مقتل 6 عناصر من قوات النظام.")
    ev = extract_text(text, published="2022-03-09")["events"][0]
    assert ev["actor1"] == "Military Forces of Israel" and ev["actor2"] == "Military Forces of Syria"
    # a party that blames another for an attack on its own fighters is still the side that was hit
    text = "اتهمت قوات سوريا الديمقراطية تنظيم داعش بتنفيذ الهجوم الذي أودى بحياة 4 من عناصرها قرب بلدة الشحيل أمس."
    ev = extract_text(text, published="2022-03-09")["events"][0]
    assert ev["actor1"] == "Islamic State" and ev["actor2"] == "SDF: Syrian Democratic Forces"


def test_a_definite_target_noun_before_the_party_makes_it_the_victim() -> None:
    # "استهداف المقر العسكري لقوات النظام": the headquarters belong to the regime forces, who were hit
    ev = extract_text("أظهر الفيديو استهداف المقر العسكري لقوات النظام في ريف حماة بالصواريخ.", published="2022-03-09")["events"][0]
    assert ev["actor1"] == "Unidentified Armed Group" and ev["actor2"] == "Military Forces of Syria"


def test_an_attack_qualified_by_a_nationality_names_the_attacker() -> None:
    for text, actor in (("قتل 4 جنود في هجوم تركي على قرية في ريف عفرين.", "Military Forces of Turkey"),
                        ("قتل 15 مقاتلا في هجوم صاروخي إسرائيلي على قاعدة عسكرية جنوب دمشق.", "Military Forces of Israel")):
        assert extract_text(text, published="2022-03-09")["events"][0]["actor1"] == actor


def test_who_holds_the_place_is_no_party_to_the_incident() -> None:
    ev = extract_text("قُتل 5 مدنيين بقصف جوي شنته قوات النظام على مدينة دوما، آخر جيب للفصائل المعارضة في الغوطة.",
                      published="2022-03-09")["events"][0]
    assert ev["actor1"] == "Military Forces of Syria" and ev["actor2"] == "Civilians"
    assert "Syrian Opposition" not in ev["assoc_actor_1"] + ev["assoc_actor_2"]
    ev = extract_text("قتل 3 مدنيين بقصف على بلدة كفرنبل الخاضعة لسيطرة هيئة تحرير الشام.", published="2022-03-09")["events"][0]
    assert ev["actor2"] == "Civilians" and ev["location"] == "بلدة كفرنبل"


def test_a_nationality_adjective_or_a_time_word_ends_a_place_name() -> None:
    from rasad.pipeline.annotate.places import find_places

    t = norm("هجوم كيميائي في مدينة دوما السورية الأسبوع الماضي")
    assert [p.name for p in find_places(t, 0, len(t))] == [norm("دوما")]


def test_an_attacker_named_only_as_a_suspicion_gives_way_to_a_firm_one() -> None:
    text = ("قال مسؤولان إن إسرائيل نفذت ضربات استهدفت مطار التيفور العسكري قرب حمص فجر اليوم. "
            "وقالت الوكالة الرسمية في البداية عن الضربة الصاروخية على مطار التيفور إنه يشتبه بأنه هجوم أميركي.")
    evs = extract_text(text, published="2022-03-09")["events"]
    assert len(evs) == 1 and evs[0]["actor1"] == "Military Forces of Israel" and evs[0]["assoc_actor_1"] == []
    # alone, the suspicion is all the text says of the attacker
    ev = extract_text("قالت الوكالة إن صواريخ استهدفت مطار التيفور العسكري، ويشتبه بأنه هجوم أميركي.",
                      published="2022-03-09")["events"][0]
    assert ev["actor1"] == "Military Forces of the United States"


def test_rural_damascus_is_a_governorate_not_the_countryside_of_a_town() -> None:
    from rasad.pipeline.annotate.places import find_places

    t = norm("قتل 3 مدنيين بقصف على منطقة الكسوة في ريف دمشق اليوم.")
    assert [(p.name, p.admin1) for p in find_places(t, 0, len(t))][-1] == (norm("ريف دمشق"), "Rural Damascus")
    assert extract_text("قتل 3 مدنيين بقصف على منطقة الكسوة في ريف دمشق اليوم.",
                        published="2022-03-09")["events"][0]["admin1"] == "Rural Damascus"
