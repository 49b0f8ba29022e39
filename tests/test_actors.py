"""Unit tests for actor roles (who attacked, who was attacked), on sentences written here."""

from __future__ import annotations

import pytest

from rasad import extract_text
from rasad.pipeline.annotate.actors import assign_sides, find_actors
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
        # VSO with the conjunction glued to the verb
        ("وشنت المقاتلات الروسية غارات على قرى جبل الأكراد", ["Military Forces of Russia"], []),
        ("واستهدفت قوات النظام بالمدفعية مواقع لهيئة تحرير الشام", ["Military Forces of Syria"], ["Hayat Tahrir al-Sham"]),
        # a hedge between the aircraft and their nationality
        ("قُتل 5 مدنيين بغارات لطائرات حربية يُرجّح أنها روسية على بلدة كنصفرة", ["Military Forces of Russia"], []),
        # the accused right after the verb, the accuser before it, what it is accused of after a date
        ("وكانت دمشق قد اتهمت إسرائيل مساء الأحد بشن غارة على مطار المزة", ["Military Forces of Israel"],
         ["Military Forces of Syria"]),
        # the relative pronoun is the verb's subject: the actor after the verb is its object
        ("قُتل جنديان في الهجوم الذي استهدف القوات الأميركية قرب الحدود", [], ["Military Forces of the United States"]),
        # the owner of the base attacked is the target; "اعده" is no agent verb inside "قاعدة"
        ("أعلنت المقاومة الإسلامية في العراق استهداف قاعدة الاحتلال الأميركي في الشدادي بطائرة مسيرة",
         ["Islamic Resistance in Iraq"], ["Military Forces of the United States"]),
        ("سقطت صواريخ على قاعدة الاحتلال الأميركي في حقل كونيكو", [], ["Military Forces of the United States"]),
        # a claim of responsibility, a statement between
        ("أعلنت هيئة تحرير الشام، في بيان مقتضب، أنها استهدفت رتلاً لقوات النظام", ["Hayat Tahrir al-Sham"],
         ["Military Forces of Syria"]),
        # an indefinite target (accusative) owned by a party
        ("استهدفت مسيّرة مقراً لقسد قرب بلدة تل تمر", [], ["SDF: Syrian Democratic Forces"]),
        # a state's air force or side, and two air forces in the dual with coordinated nationalities
        ("شن سلاحا الجو الأردني والعراقي غارات على مواقع لداعش قرب الحدود",
         ["Military Forces of Jordan", "Military Forces of Iraq"], ["Islamic State"]),
        ("بدأ التصعيد من الجانب التركي، الذي قصف بالمدفعية قرى في ريف عين عيسى", ["Military Forces of Turkey"], []),
        # VSO with a partitive after the force noun: "فصائل من المعارضة"
        ("هاجمت فصائل من المعارضة المسلحة حاجزاً لقوات النظام", ["Syrian Opposition"], ["Military Forces of Syria"]),
        # the doer of a launch; state media's unnamed "terrorist groups"
        ("سقطت قذائف أطلقتها المجموعات الإرهابية على بلدة محردة", ["Unidentified Armed Group"], []),
        # a military source of a nationality is a source, not its forces
        ("قال مصدر عسكري سوري إن صواريخ استهدفت مستودعاً قرب مصياف", [], []),
        # a target qualified by a nationality after its name is that state's; a place after a preposition is no target
        ("سقطت ثلاثة صواريخ على قاعدة الشدادي الأميركية مساء أمس", [], ["Military Forces of the United States"]),
        ("قصفت طائرات مجهولة مواقع عسكرية إيرانية قرب البوكمال", [], ["Military Forces of Iran"]),
        ("انفجرت عبوة بحافلة متجهة إلى البادية السورية", [], []),
        ("قصفت الطائرات مدرسة الموسيقى للفنان السوري في الحي", [], []),  # a civil thing: no state hit
        # the claim after its subject
        ("هيئة تحرير الشام، تعلن في بيان استهداف رتل عسكري قرب سراقب", ["Hayat Tahrir al-Sham"], []),
        # a dual target owned by a party
        ("استهدفت مسيرة سيارتين عسكريتين تابعتين لقسد قرب الدرباسية", [], ["SDF: Syrian Democratic Forces"]),
        # "حرس الثورة" is the IRGC
        ("اغتالت غارة جوية قيادياً في حرس الثورة قرب دمشق", [], ["Islamic Revolutionary Guard Corps"]),
        # "aggression" is a noun of attack: what it is "on" is hit
        ("قُتل عسكريان في العدوان على قوات النظام قرب مصياف", [], ["Military Forces of Syria"]),
        ("خرج مطار المزة عن الخدمة بعدوان إسرائيلي على المطار فجراً", ["Military Forces of Israel"],
         ["Military Forces of Syria"]),
        # a verb whose passive reads the same, an attacker named after it: the party after the verb was hit
        ("قتل ضابط روسي بقصف لفصائل المعارضة قرب كسب", ["Syrian Opposition"], ["Military Forces of Russia"]),
        # the nominative dual of a nationality; "فجر اليوم" is dawn, not "detonated"
        ("جنديان تركيان فجر الاثنين قتلا بقذيفة", [], []),
        # the doer after a verb that takes the attacks as its object ("استأنفها": resumed them)
        ("تركزت الهجمات التي استأنفها التنظيم، فجر اليوم، على مواقع لقوات النظام", ["Islamic State"],
         ["Military Forces of Syria"]),
        # "aggression" qualified by a nationality is a strike by that state
        ("قُتل جنديان بعدوان إسرائيلي استهدف موقعاً عسكرياً في ريف القنيطرة", ["Military Forces of Israel"], []),
        # a named occupier's forces are that state's, not Israel's
        ("نفذت قوات الاحتلال الأميركي غارة على نقطة في ريف البوكمال", ["Military Forces of the United States"], []),
        # "the enemy" of state and resistance media
        ("استهدف العدو الإسرائيلي بصاروخين مستودعاً في ريف طرطوس", ["Military Forces of Israel"], []),
        # auxiliary forces fighting beside the army
        ("قُتل ثلاثة عناصر من القوات الرديفة بهجوم لتنظيم داعش", ["Islamic State"], ["NDF: National Defence Forces"]),
        # "the Workers' Party" alone is the PKK
        ("هاجم مسلحو حزب العمال نقطة للجيش التركي قرب الحدود", ["PKK: Kurdistan Workers Party"], ["Military Forces of Turkey"]),
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


def test_an_attacker_named_only_as_a_suspicion_gives_way_to_a_firm_one() -> None:
    text = ("قال مسؤولان إن إسرائيل نفذت ضربات استهدفت مطار التيفور العسكري قرب حمص فجر اليوم. "
            "وقالت الوكالة الرسمية في البداية عن الضربة الصاروخية على مطار التيفور إنه يشتبه بأنه هجوم أميركي.")
    evs = extract_text(text, published="2022-03-09")["events"]
    assert len(evs) == 1 and evs[0]["actor1"] == "Military Forces of Israel" and evs[0]["assoc_actor_1"] == []
    # alone, the suspicion is all the text says of the attacker
    ev = extract_text("قالت الوكالة إن صواريخ استهدفت مطار التيفور العسكري، ويشتبه بأنه هجوم أميركي.",
                      published="2022-03-09")["events"][0]
    assert ev["actor1"] == "Military Forces of the United States"


# -- victims implied, not named ----------------------------------------------------------------------


def test_people_counted_with_no_party_are_civilians() -> None:
    # people or martyrs killed in a strike, with no party named: the victims are civilians
    assert sides("قُتل سبعة أشخاص في غارات جوية على بلدة معرة حرمة فجر اليوم") == ([], ["Civilians"])
    assert sides("سقط 4 شهداء بقصف صاروخي على حي الشيخ مقصود") == ([], ["Civilians"])
    # a named victim wins over the implied one, and military martyrs are no civilians
    assert sides("قُتل 3 أشخاص من عناصر قوات النظام بقصف على حاجز قرب خان شيخون")[1] == ["Military Forces of Syria"]
    assert sides("ارتقى 6 شهداء عسكريين بغارة على موقع في ريف حمص")[1] == []
    # homes struck are civilians'
    assert sides("دمرت غارة جوية منازل في قرية الهبيط") == ([], ["Civilians"])
    # with no strike or attack named, people killed are no victims of one (a crash, a storm, a shooting spree)
    assert sides("قتل 9 أشخاص في حادث سير على الطريق الدولي") == ([], [])


def test_an_airport_struck_is_the_syrian_army_s() -> None:
    assert sides("استهدفت صواريخ معادية مطار المزة العسكري فجر اليوم")[1] == ["Military Forces of Syria"]
    assert sides("شنت طائرات إسرائيلية غارات على مطاري دمشق وحلب") == (["Military Forces of Israel"],
                                                                       ["Military Forces of Syria"])
    # an airport the planes took off from is not struck
    assert sides("أقلعت الطائرات الروسية من مطار حميميم وقصفت بلدة كفرزيتا")[1] == []
    # after a noun of attack, only with an attacker named: an attack on an airport may be a mere prospect
    assert sides("وقال الخبير إن هجوماً على مطار الشعيرات بات ممكناً")[1] == []
    # a victim named wins over the owner of the airport
    assert sides("قُتل 5 عناصر من الحرس الثوري بغارة على مطار التيفور")[1] == ["Islamic Revolutionary Guard Corps"]


def test_the_party_holding_the_struck_area_is_hit_when_no_victim_is_named() -> None:
    assert sides("شنت الطائرات الروسية غارات على مناطق تسيطر عليها فصائل المعارضة في ريف درعا") == (
        ["Military Forces of Russia"], ["Syrian Opposition"])
    # a victim named wins; a road toward an area names no one hit; without an attacker the holder is not enough
    assert sides("قُتل 4 مدنيين بغارات روسية على مناطق سيطرة الفصائل")[1] == ["Civilians"]
    assert sides("استهدفت غارات تركية حاجزاً على الطريق المؤدي باتجاه مناطق سيطرة قوات النظام")[1] == []
    assert sides("سقطت قذائف على مناطق سيطرة الفصائل")[1] == []


def test_a_strike_told_without_its_attacker_takes_the_one_the_article_names_for_its_strikes() -> None:
    text = ("شنت طائرات حربية إسرائيلية فجر اليوم غارات على مواقع في ريف القنيطرة الشمالي. "
            "وفي حمص، قُتل 3 عسكريين مساء أمس بصواريخ استهدفت مطار الشعيرات.")
    evs = extract_text(text, published="2022-03-09")["events"]
    assert len(evs) == 2 and [e["actor1"] for e in evs] == ["Military Forces of Israel"] * 2
    # two parties named for the article's strikes: the one left unnamed stays unknown
    text = ("شنت طائرات حربية إسرائيلية فجر اليوم غارات على مواقع في ريف القنيطرة الشمالي، وقصفت المدفعية التركية "
            "قرية في ريف حلب. وفي حمص، قُتل 3 عسكريين مساء أمس بصواريخ استهدفت مطار الشعيرات.")
    evs = extract_text(text, published="2022-03-09")["events"]
    assert evs[-1]["actor1"] == "Unidentified Armed Group"


def test_the_resistance_alone_is_the_resistance_group_the_article_names() -> None:
    text = "تبنت المقاومة الإسلامية في العراق هجمات سابقة. واستهدفت المقاومة، أمس، قاعدة للقوات الأميركية بالصواريخ"
    assert sides(text) == (["Islamic Resistance in Iraq"], ["Military Forces of the United States"])
    # a qualified resistance is another one, and an article that names none leaves it unresolved
    assert sides("واستهدفت المقاومة الفلسطينية موقعاً للقوات الأميركية")[0] == []
    assert sides("واستهدفت المقاومة، أمس، قاعدة للقوات الأميركية بالصواريخ")[0] == []


def test_armed_men_named_but_not_identified_keep_their_name_in_an_article_of_other_strikes() -> None:
    text = ("شنت طائرات حربية إسرائيلية فجر اليوم غارات على مواقع في ريف القنيطرة الشمالي. "
            "وفي حماة، قُتل مدنيان مساء أمس بقذائف أطلقتها مجموعات مسلحة على بلدة السقيلبية.")
    evs = extract_text(text, published="2022-03-09")["events"]
    assert evs[-1]["actor1"] == "Unidentified Armed Group"


def test_an_attack_told_with_a_weapon_of_remote_fire_is_a_strike_that_takes_the_article_s_striker() -> None:
    text = ("شنت طائرات حربية تركية فجر اليوم غارات على قرى في ريف عفرين. "
            "وفي الحسكة، استهدفت مسيرة مساء أمس سيارة في القامشلي ما أدى إلى مقتل شخصين.")
    evs = extract_text(text, published="2022-03-09")["events"]
    assert len(evs) == 2 and evs[-1]["actor1"] == "Military Forces of Turkey"


def test_two_soldiers_of_a_nationality_are_that_state_s_forces() -> None:
    a = find_actors(norm("أصيب جنديان عراقيان"), 0, 19, None)
    assert [x.name for x in a] == ["Military Forces of Iraq"]
