"""End-to-end behaviour of the extractor on sentences written for these tests.

Each test names the phenomenon of Arabic or of the domain it checks (issue 2, sections 3-5).
"""

from __future__ import annotations

import pytest

from rasad import extract_text

PUB = "2022-03-09"  # a Wednesday


def one(text: str, published: str | None = PUB, title: str | None = None) -> dict:
    rec = extract_text(text, published=published, title=title)
    assert len(rec["events"]) == 1, [e["evidence"][0]["text"] for e in rec["events"]]
    return rec["events"][0]


def events_of(text: str) -> list[dict]:
    return extract_text(text, published=PUB)["events"]


def none_(text: str, published: str | None = PUB) -> dict:
    rec = extract_text(text, published=published)
    assert rec["events"] == [], [e["evidence"][0]["text"] for e in rec["events"]]
    return rec


def fat(ev: dict) -> tuple:
    f = ev["fatalities"] or {}
    return f.get("low"), f.get("best"), f.get("high")


# -- verbs and nouns of killing and injury ------------------------------------------------------


def test_passive_kill_with_dual_subject_and_yesterday() -> None:
    ev = one("قُتل جنديان من الجيش السوري، أمس الثلاثاء، بهجوم شنّه مسلحون مجهولون على حاجز في بلدة الصنمين بريف درعا.")
    assert fat(ev) == (2, 2, 2)
    assert ev["date"] == "2022-03-08" and ev["date_precision"] == "day"
    assert ev["actor1"] == "Unidentified Armed Group" and ev["actor2"] == "Military Forces of Syria"
    assert ev["admin1"] == "Dar'a"


def test_laqiya_hatfahu_and_active_attack_by_named_group() -> None:
    ev = one("لقي ثلاثة عناصر من قوات سوريا الديمقراطية حتفهم، مساء أمس، في هجوم لخلايا تنظيم داعش على نقطة لهم قرب بلدة الكسرة بريف دير الزور.")
    assert fat(ev) == (3, 3, 3)
    assert (ev["actor1"], ev["actor2"]) == ("Islamic State", "SDF: Syrian Democratic Forces")
    assert ev["location"] == "بلدة الكسرة"


def test_asfara_an_with_coordinated_victims_and_wounded() -> None:
    ev = one("أسفر قصف مدفعي لقوات النظام على قرية كفرنبل، فجر اليوم، عن مقتل امرأة وطفلين وإصابة خمسة مدنيين آخرين.")
    assert fat(ev) == (3, 3, 3)
    assert ev["wounded"] == {"low": 5, "best": 5, "high": 5}
    assert ev["victims"] == "civilians"
    assert ev["sub_event_type"] == "Shelling/artillery/missile attack"


def test_plural_without_figure_counts_three_at_least() -> None:
    ev = one("سقط قتلى وجرحى من عناصر هيئة تحرير الشام، اليوم، إثر اشتباكات عنيفة مع قوات النظام على محور كبانة في ريف اللاذقية.")
    assert ev["fatalities"] == {"low": 3, "best": None, "high": None}
    assert {ev["actor1"], ev["actor2"]} == {"Hayat Tahrir al-Sham", "Military Forces of Syria"}
    assert ev["event_type"] == "Battles"


def test_qualifiers_at_least_and_more_than() -> None:
    ev = one("قُتل ما لا يقل عن 9 عناصر من الفيلق الخامس، اليوم، في كمين لتنظيم داعش قرب مدينة تدمر بريف حمص.")
    assert fat(ev) == (9, 9, None)
    assert ev["units"] == ["5th Corps"] or ev["actor2"] == "5th Corps"
    ev = one("أُصيب أكثر من 20 مدنياً، اليوم، بقصف صاروخي لقوات النظام على مدينة الأتارب بريف حلب الغربي.")
    assert ev["wounded"]["low"] == 21 and ev["wounded"]["high"] is None


def test_single_person_is_one() -> None:
    ev = one("أعلنت وزارة الدفاع البريطانية مقتل جندي بريطاني بانفجار عبوة ناسفة قرب مدينة منبج بريف حلب.")
    assert fat(ev) == (1, 1, 1)
    assert ev["actor2"] == "Military Forces of the United Kingdom"


def test_subset_figure_is_not_added() -> None:
    ev = one("قُتل 15 عنصراً من قوات النظام بينهم ثلاثة ضباط، اليوم، في هجوم لتنظيم داعش على مواقعهم في بادية الميادين.")
    assert fat(ev) == (15, 15, 15)


# -- attack vocabulary and ACLED types ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "etype", "sub"),
    [
        ("شنّت طائرات حربية روسية غارات جوية على بلدة معرة مصرين بريف إدلب، اليوم، ما أدى إلى مقتل 4 مدنيين.",
         "Explosions/Remote violence", "Air/drone strike"),
        ("قُتل عنصران من الشرطة وأصيب ثالث بانفجار عبوة ناسفة زرعها مجهولون بسيارتهم في مدينة عفرين، أمس.",
         "Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("فجّر انتحاري يرتدي حزاماً ناسفاً نفسه وسط تجمع لعناصر الأمن في مدينة القامشلي، ما أسفر عن مقتل ستة منهم.",
         "Explosions/Remote violence", "Suicide bomb"),
        ("اندلعت اشتباكات عنيفة بين فصائل المعارضة وقوات النظام على محور بلدة كفرنبودة، اليوم، قُتل خلالها 5 مقاتلين.",
         "Battles", "Armed clash"),
        ("نصب مسلحون كميناً لدورية من الجيش السوري قرب بلدة الشيخ مسكين، اليوم، وقتلوا عنصرين منها.",
         "Battles", "Armed clash"),
        ("أطلق مسلحون مجهولون النار على ثلاثة عمال في قرية الطيبة بريف درعا، اليوم، فقتلوهم جميعاً وأصابوا رابعاً.",
         "Violence against civilians", "Attack"),
    ],
)
def test_event_types(text: str, etype: str, sub: str) -> None:
    rec = extract_text(text, published=PUB)
    assert rec["events"], text
    ev = rec["events"][0]
    assert (ev["event_type"], ev["sub_event_type"]) == (etype, sub)
    assert ev["disorder_type"] == "Political violence"


def test_clash_takes_precedence_over_remote_tactics_in_one_battle() -> None:
    text = (
        "هاجمت خلايا تنظيم داعش مواقع لقوات النظام في محيط حقل الشاعر بريف حمص، اليوم، ودارت مواجهات عنيفة "
        "استخدم فيها المهاجمون قذائف الهاون وأحزمة ناسفة، ما أدى إلى مقتل 11 عنصراً من قوات النظام."
    )
    ev = one(text)
    assert (ev["event_type"], ev["sub_event_type"]) == ("Battles", "Armed clash")
    assert {"mortar", "suicide belt"} <= set(ev["weapons"])


def test_air_landing_with_missile_strike_is_an_air_strike() -> None:
    ev = one("نفذت قوات التحالف الدولي إنزالاً جوياً في بلدة الصور بريف دير الزور فجر اليوم، واستهدفت مروحية منزلاً بالصواريخ، ما أدى إلى مقتل قيادي في تنظيم داعش وعنصرين آخرين.")
    assert ev["sub_event_type"] == "Air/drone strike"
    assert (ev["actor1"], ev["actor2"]) == ("International Coalition", "Islamic State")
    assert fat(ev) == (3, 3, 3)


# -- negation, modality, non-events --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "نفت وزارة الدفاع التركية مقتل أي من جنودها في هجوم على قاعدة عسكرية قرب مدينة الباب.",  # denial
        "تخطط قوات النظام لشن هجوم واسع على مواقع فصائل المعارضة في ريف إدلب الجنوبي.",  # plan
        "هدد تنظيم داعش بشن هجمات على مواقع قوات سوريا الديمقراطية في ريف الحسكة.",  # threat
        "حذّرت الأمم المتحدة من هجوم وشيك لقوات النظام على مدينة إدلب.",  # warning
        "فتحت السلطات تحقيقاً في الهجوم الذي استهدف حافلة للجيش السوري في ريف حمص.",  # investigation
        "رفعت القوات الأمريكية حالة التأهب تحسباً لهجوم محتمل على قاعدة التنف.",  # possible attack
        "أطلق مسلحون النار في الهواء ابتهاجاً بعودة أحد القادة إلى مدينة جاسم بريف درعا.",  # celebratory gunfire
        "أطلقت قوات النظام حملة عسكرية لتمشيط البادية السورية من خلايا تنظيم داعش.",  # campaign
        "وكان تنظيم داعش قد سيطر على مدينة تدمر عام 2015 بعد معارك عنيفة قُتل فيها العشرات.",  # background
        "شنّ لاعبو برشلونة هجوماً مكثفاً على مرمى منافسهم، وقصف المهاجم المرمى بكرة قوية في الشوط الثاني.",  # sport
        "وتشن خلايا التنظيم هجمات متكررة على مواقع قوات النظام في البادية بشكل شبه يومي.",  # habitual
        "لم يسفر القصف عن وقوع إصابات بين المدنيين في البلدة.",  # nothing reported
        "أصيب ثلاثة أطفال بالحصبة في مخيم الركبان خلال الأسبوع الماضي.",  # disease, not violence
    ],
)
def test_not_an_event(text: str) -> None:
    none_(text)


def test_summary_over_two_governorates_is_not_an_event() -> None:
    none_("كثّف عناصر التنظيم هجماتهم على مواقع قوات النظام في محافظتي الرقة ودير الزور خلال الساعات الماضية.")


def test_hedged_report_is_kept_with_a_warning() -> None:
    ev = one("انفجرت عبوة ناسفة يُعتقد أن خلايا تابعة لتنظيم داعش زرعتها على طريق دير الزور - الميادين، ما أدى إلى مقتل ثلاثة عناصر من الدفاع الوطني.")
    assert ev["actor1"] == "Islamic State" and ev["actor2"] == "NDF: National Defence Forces"
    assert any("unconfirmed" in w for w in ev["warnings"])


def test_tally_over_a_period_is_a_statistic() -> None:
    rec = none_("ووثّق المرصد السوري لحقوق الإنسان مقتل 312 عنصراً من قوات النظام في البادية السورية منذ مطلع العام الجاري.")
    assert len(rec["statistics"]) == 1
    st = rec["statistics"][0]
    assert st["counts"][0]["value"] == 312
    assert st["counts"][0]["party"] == "Military Forces of Syria"
    assert st["claimant_type"] == "monitor"


def test_page_furniture_never_makes_events() -> None:
    text = (
        "مقتل عنصرين من قسد بهجوم في ريف دير الزور\n\n"
        "قُتل عنصران من قوات سوريا الديمقراطية، اليوم، بهجوم لمسلحين مجهولين على حاجز في بلدة ذيبان بريف دير الزور.\n\n"
        "اقرأ أيضاً: مقتل خمسة عناصر من قوات النظام بكمين في بادية حمص\n\n"
        "مقالات ذات صلة\n\n"
        "مقتل 7 مدنيين بقصف على ريف إدلب\n"
    )
    rec = extract_text(text, published=PUB)
    assert len(rec["events"]) == 1
    assert rec["events"][0]["actor2"] == "SDF: Syrian Democratic Forces"


# -- one incident, one event ----------------------------------------------------------------------


def test_headline_lead_and_body_merge_and_the_toll_rises() -> None:
    text = (
        "مقتل 12 عنصراً من قوات النظام بكمين لتنظيم الدولة في بادية حمص\n\n"
        "قُتل 12 عنصراً من قوات النظام السوري، أمس الثلاثاء، بكمين نصبه عناصر تنظيم الدولة لحافلة عسكرية قرب مدينة السخنة في بادية حمص.\n\n"
        "وقال المرصد السوري لحقوق الإنسان إن عناصر التنظيم فجروا عبوة ناسفة بالحافلة ثم هاجموها بالأسلحة الرشاشة.\n\n"
        "وأشار المرصد لاحقاً إلى ارتفاع حصيلة القتلى إلى 15 عنصراً، فيما تحدثت وكالة أعماق التابعة للتنظيم عن مقتل 20 عنصراً.\n"
    )
    ev = one(text)
    assert ev["fatalities"] == {"low": 12, "best": 15, "high": 20}
    claimants = {(c["claimant_type"], c["best"]) for c in ev["claims"] if c["kind"] == "fatalities"}
    assert ("monitor", 15) in claimants and ("party", 20) in claimants
    assert ev["fatalities_acled"] == 12
    assert ev["date"] == "2022-03-08"
    assert ev["location"] == "مدينة السخنة" and ev["admin1"] == "Homs"


def test_separate_places_stay_separate() -> None:
    text = (
        "قُتل مدنيان، اليوم، جراء قصف مدفعي لقوات النظام على بلدة طفس بريف درعا الغربي.\n"
        "وفي ريف حلب الشرقي، أُصيب ثلاثة عناصر من الجيش الوطني السوري بانفجار عبوة ناسفة قرب مدينة الباب.\n"
    )
    rec = extract_text(text, published=PUB)
    assert [e["admin1"] for e in rec["events"]] == ["Dar'a", "Aleppo"]


def test_same_place_on_different_days_stays_separate() -> None:
    text = (
        "وأسفرت هجمات التنظيم على مواقع قوات النظام قرب بلدة الرصافة، يوم أمس الثلاثاء، عن مقتل 6 عناصر.\n"
        "وتجددت الهجمات على المواقع ذاتها قرب بلدة الرصافة فجر اليوم، ما أدى إلى مقتل عنصرين آخرين.\n"
    )
    rec = extract_text(text, published=PUB)
    assert sorted(e["date"] for e in rec["events"]) == ["2022-03-08", "2022-03-09"]


def test_another_attack_is_another_event() -> None:
    text = "قُتل 4 عناصر من قوات النظام، اليوم، بهجوم لتنظيم داعش في بادية الميادين بريف دير الزور، تزامناً مع هجوم آخر على مواقع للدفاع الوطني في ريف الرقة الجنوبي."
    rec = extract_text(text, published=PUB)
    assert len(rec["events"]) == 2
    assert {e["admin1"] for e in rec["events"]} == {"Deir-ez-Zor", "Ar-Raqqa"}


# -- dates -----------------------------------------------------------------------------------------


def test_a_date_the_text_does_not_fix_stays_unknown() -> None:
    ev = one("قُتل عنصران من قوات النظام بهجوم لتنظيم داعش في بادية الميادين بريف دير الزور، أمس.", published=None)
    assert ev["date"] is None and ev["date_precision"] == "unknown"


def test_weekday_and_date_fix_the_year_and_the_report_day() -> None:
    text = (
        "قُتل ثلاثة عناصر من قوات النظام، أمس الأربعاء، بهجوم لتنظيم الدولة قرب بلدة السخنة.\n"
        "وذكرت شبكة محلية، الأربعاء 9 آذار، أن التنظيم هاجم المواقع بالأسلحة الرشاشة.\n"
        "وكانت المنطقة قد شهدت هجمات مماثلة في عام 2021.\n"
    )
    rec = extract_text(text)
    assert rec["reference_date"] == "2022-03-09"
    assert rec["events"][0]["date"] == "2022-03-09"


def test_report_date_of_a_statement_is_not_the_incident_date() -> None:
    text = (
        "تبنى تنظيم داعش الهجوم على حافلة للجيش السوري قرب مدينة السخنة يوم الإثنين الماضي.\n"
        "وجاء في بيان نشرته وكالة أعماق، الأربعاء 9 آذار 2022، أن 14 عنصراً من قوات النظام قتلوا في الكمين.\n"
    )
    ev = one(text, published=None)
    assert ev["date"] == "2022-03-07"
    assert fat(ev) == (14, 14, 14)


def test_undated_incident_in_a_dated_report_falls_in_the_reporting_week() -> None:
    ev = one("قُتل عنصران من قوات النظام بهجوم لتنظيم داعش على حاجز في بادية الميادين بريف دير الزور.")
    assert ev["date"] == PUB and ev["date_precision"] == "week"
    assert ev["date_window"] == ["2022-03-03", PUB]


# -- evidence ------------------------------------------------------------------------------------


def test_evidence_offsets_point_at_the_original_words() -> None:
    text = "قُتِلَ عُنْصُرانِ مِنْ قُوّاتِ النِّظامِ، أَمْسِ، بِهُجومٍ لِتَنْظيمِ «داعش» في بادِيَةِ المَيادين بِريفِ دَيْرِ الزّور."
    ev = one(text)
    for item in ev["evidence"]:
        assert text[item["start"] : item["end"]] == item["text"]
    fields = {i["field"] for i in ev["evidence"]}
    assert {"event", "date", "actor1", "actor2", "location", "fatalities"} <= fields


def test_title_evidence_is_marked() -> None:
    rec = extract_text(
        "قال ناشطون إن المهاجمين فروا إلى جهة مجهولة بعد الهجوم الذي وقع في ريف دير الزور الشرقي.",
        title="مقتل عنصرين من قسد بهجوم مسلح في بلدة الشحيل",
        published=PUB,
    )
    assert rec["events"]
    assert any(i.get("in") == "title" for i in rec["events"][0]["evidence"])


def test_orthographic_variants_give_the_same_event() -> None:
    a = one("قُتل عنصران من “قوات النظام” بهجوم لـ«داعش» في بادية الميادين، أمس.")
    b = one("قتل عنصران من \"قوات النظام\" بهجوم لداعش في باديه الميادين، امس.")
    c = one("قتـــل عنصران من قوات النظام بهجوم لداعش في بادية الميادين، أمس. ٢")
    for ev in (b, c):
        assert (ev["actor1"], ev["actor2"], fat(ev), ev["date"]) == (a["actor1"], a["actor2"], fat(a), a["date"])


def test_a_title_alone_can_report_an_incident() -> None:
    rec = extract_text("", title="مقتل 3 عناصر من قوات النظام بقصف لفصائل المعارضة على بلدة جورين بريف حماة", published=PUB)
    assert len(rec["events"]) == 1
    ev = rec["events"][0]
    assert fat(ev) == (3, 3, 3) and ev["admin1"] == "Hama"
    assert all(i.get("in") == "title" for i in ev["evidence"])
    # a strike on a named site, in a title over a body that only discusses it
    rec = extract_text("ونفى مسؤولون أي علاقة لبلادهم بالصواريخ، دون تفاصيل أخرى.",
                       title="تفاصيل حول إعلان هجوم صاروخي على مطار حماة العسكري", published=PUB)
    assert len(rec["events"]) == 1 and rec["events"][0]["admin1"] == "Hama"
    # a title that only names violence in general is not enough
    assert extract_text("ونفى مسؤولون ذلك.", title="قصف واشتباكات", published=PUB)["events"] == []


def test_figures_listed_among_the_dead_are_a_subset() -> None:
    ev = one("قُتل 30 مدنياً، بينهم نساء وأطفال وأكثر من 10 من عمال الإغاثة، اليوم، في غارات جوية على سوق بلدة سرمين بريف إدلب.")
    assert fat(ev) == (30, 30, 30)


def test_losses_of_two_sides_add_up_and_name_both_sides() -> None:
    ev = one("أسفرت المعارك على أطراف بلدة حرستا، اليوم، عن مقتل 9 عناصر من قوات النظام مقابل أربعة مقاتلين من جيش الإسلام.")
    assert fat(ev) == (13, 13, 13)
    assert {ev["actor1"], ev["actor2"]} == {"Military Forces of Syria", "Jaish al-Islam"}


def test_a_named_group_that_hits_civilians_is_the_attacker() -> None:
    ev = one("خطف تنظيم داعش 12 مدنياً وقتل ثلاثة آخرين، اليوم، أثناء هجومه على قرية الشبكي بريف السويداء الشرقي.")
    assert ev["actor1"] == "Islamic State" and ev["actor2"] == "Civilians"


def test_chemical_weapon() -> None:
    ev = one("قُتل 15 مدنياً اختناقاً، اليوم، في هجوم كيميائي استهدف أحياء مدينة دوما بريف دمشق.")
    assert ev["sub_event_type"] == "Chemical weapon"


@pytest.mark.parametrize(
    "text",
    [
        "بدأت قوات النظام الأحد هجوماً على مواقع الفصائل المعارضة في محافظة القنيطرة.",  # an offensive begins
        "قال الوزير إن المسلحين يطلقون النار يومياً على مواقع الجيش السوري في ريف حماة.",  # habitual
    ],
)
def test_offensives_and_daily_fire_are_not_incidents(text: str) -> None:
    none_(text)


def test_a_negated_figure_is_no_figure() -> None:
    none_("قال مصدر عسكري إن الطائرات استهدفت مقرات لهيئة تحرير الشام، من دون أن يذكر سقوط ضحايا.")


def test_the_capital_standing_for_the_government_is_not_a_place() -> None:
    ev = one("قالت دمشق إن صواريخ إسرائيلية استهدفت مطار التيفور العسكري في ريف حمص الشرقي فجر اليوم، ما أدى إلى مقتل 5 عسكريين.")
    assert ev["admin1"] == "Homs"


def test_a_strike_on_a_named_site_without_a_named_attacker_is_an_event() -> None:
    ev = one("استهدفت ضربة صاروخية مطار التيفور العسكري في ريف حمص الشرقي فجر اليوم.")
    assert ev["sub_event_type"] in ("Shelling/artillery/missile attack", "Air/drone strike")
    assert ev["actor1"] == "Unidentified Armed Group"


def test_missile_strikes_and_named_victims() -> None:
    ev = one("تصدت الدفاعات الجوية لصاروخين إسرائيليين استهدفا منطقة الكسوة في ريف دمشق فجر اليوم.")
    assert ev["actor1"] == "Military Forces of Israel" and ev["event_type"] == "Explosions/Remote violence"
    ev = one("قُتل مدير مركز الأبحاث بانفجار عبوة ناسفة استهدفت سيارته في مدينة مصياف بريف حماة، اليوم.")
    assert ev["fatalities"] == {"low": 1, "best": 1, "high": 1}


def test_the_strike_named_again_with_the_article_is_the_same_incident() -> None:
    # the second sentence names "the strike" again, with no place or day of its own, and other victims
    text = ("اتهمت دمشق إسرائيل بشن غارة جوية على مطار الضبعة العسكري في ريف حمص فجر اليوم. "
            "وأسفرت الضربة، بحسب المرصد السوري لحقوق الإنسان، عن مقتل 6 عناصر من الميليشيات الموالية لإيران.")
    ev = one(text)
    assert fat(ev) == (6, 6, 6) and ev["admin1"] == "Homs"


def test_a_definite_strike_with_its_own_place_is_not_an_anaphor() -> None:
    text = ("قُتل 3 جنود بغارة جوية على حاجز في بلدة الصنمين بريف درعا أمس. "
            "وفي ريف حماة، قُتل 5 مدنيين في القصف على قرية كفرنبودة اليوم.")
    assert len(events_of(text)) == 2


def test_part_of_the_day_is_kept_for_a_night_incident() -> None:
    ev = one("قُتل جنديان من الجيش السوري بقصف على حاجز في بلدة الصنمين بريف درعا ليل الثلاثاء.")
    assert ev["date"] == "2022-03-08" and ev["time_of_day"] == "night"


def test_a_date_after_a_reporting_verb_in_the_imperfect_dates_the_report() -> None:
    # "before the monitor announced, today, a higher toll": today is when it was said, not the strike's day
    ev = one("قُتل 9 مقاتلين موالين للنظام بقصف صاروخي على مستودع أسلحة في بلدة الكسوة بريف دمشق، "
             "قبل أن يعلن المرصد، اليوم الأربعاء، ارتفاع عدد القتلى إلى 15.")
    assert ev["date_precision"] == "week" and fat(ev) == (15, 15, 15)


@pytest.mark.parametrize("text,n", [
    ("لقي مهندس من أبناء المدينة مصرعه بانفجار عبوة ناسفة استهدفت سيارته في مدينة جبلة أمس.", 1),
    ("لقي شابان من أبناء القرية حتفهما بانفجار لغم أرضي قرب بلدة الصنمين بريف درعا أمس.", 2),
])
def test_the_verb_before_its_subject_and_the_pronoun_that_counts_them(text: str, n: int) -> None:
    ev = one(text)
    assert fat(ev) == (n, n, n) and ev["date"] == "2022-03-08"


def test_the_occupation_alone_is_israel_and_a_named_occupier_is_itself() -> None:
    ev = one("استشهد 5 أشخاص في غارات الاحتلال على منزل في بلدة عيتا الشعب جنوبي لبنان، اليوم.")
    assert ev["actor1"] == "Military Forces of Israel"
    ev = one("قصفت مدفعية الاحتلال التركي قرية تل رفعت بريف حلب الشمالي، أمس، ما أدى إلى مقتل مدنيين اثنين.")
    assert ev["actor1"] == "Military Forces of Turkey" and fat(ev) == (2, 2, 2)


def test_a_ministry_statistic_is_a_tally_not_an_event() -> None:
    rec = none_("وتشير آخر إحصائية صادرة عن وزارة الصحة إلى مقتل ما لا يقل عن 800 شخص في المحافظة.")
    assert rec["statistics"] and rec["statistics"][0]["counts"][0]["value"] == 800


@pytest.mark.parametrize("text,actor", [
    ("قُتل 5 عناصر من قوات النظام السوري بقصف صاروخي إسرائيلي على مطار الضبعة العسكري في ريف حمص فجر اليوم.",
     "Military Forces of Israel"),
    ("قُتل 5 مدنيين بغارات جوية روسية على بلدة كفرنبل بريف إدلب أمس.", "Military Forces of Russia"),
])
def test_a_nationality_after_the_adjective_of_the_means_names_the_attacker(text: str, actor: str) -> None:
    assert one(text)["actor1"] == actor


def test_allied_forces_hit_in_one_strike_are_one_incident() -> None:
    # the army and the IRGC fight on one side: victims named differently in two sentences, one strike
    text = ("قُتل 5 عناصر من قوات النظام السوري بقصف صاروخي إسرائيلي على مطار الضبعة العسكري في ريف حمص فجر اليوم. "
            "وأفاد المرصد السوري لحقوق الإنسان بمقتل 4 مقاتلين من الحرس الثوري الإيراني في مطار الضبعة العسكري.")
    ev = one(text)
    assert ev["actor2"] == "Military Forces of Syria" and "Islamic Revolutionary Guard Corps" in ev["assoc_actor_2"]


def test_an_incident_recalled_in_the_pluperfect_is_marked_retold() -> None:
    text = ("قُتل 3 مدنيين بقصف مدفعي على بلدة كفرنبل بريف إدلب اليوم. "
            "وكانت قوات النظام قد قصفت في الثاني من آذار بلدة معرة النعمان ما أسفر عن مقتل 6 مدنيين.")
    evs = events_of(text)
    assert [e["retold"] for e in evs] == [False, True]
    assert evs[1]["date"] == "2022-03-02"


def test_the_attack_named_again_is_the_incident_just_told() -> None:
    # an earlier incident is recalled; "the attack" right after it is that one, not the lead strike
    text = ("قُتل 4 جنود بغارة جوية على مطار الضبعة العسكري في ريف حمص اليوم. "
            "وكانت تقارير قد أفادت بتعرض بلدة كفرنبل في ريف إدلب لقصف بغازات سامة الأسبوع الماضي. "
            "وقال الدفاع المدني إن الهجوم أسفر عن مقتل 30 مدنيا.")
    evs = events_of(text)
    assert fat(evs[0]) == (4, 4, 4)
    assert len(evs) == 2 and fat(evs[1]) == (30, 30, 30)


def test_missiles_targeting_a_site_in_the_present_tense_are_an_attack() -> None:
    # state media report a strike as it happens: "صواريخ تستهدف مطار ..."
    ev = one("قالت وكالة الأنباء الرسمية إن صواريخ تستهدف مطار الضبعة العسكري قرب حمص، وإن الدفاعات الجوية تتصدى لها.")
    assert ev["event_type"] == "Explosions/Remote violence" and ev["admin1"] == "Homs"


def test_a_place_name_ends_before_the_means_and_an_adjective_is_no_name() -> None:
    from rasad.pipeline.annotate.places import find_places
    from rasad.pipeline.normalise import norm

    def names(s: str) -> list[str]:
        t = norm(s)
        return [p.name for p in find_places(t, 0, len(t))]

    assert names("قصف الطيران بلدة كفرنبل بالصواريخ") == [norm("كفرنبل")]
    assert names("غارات على قرية الحويجة والمزارع المحيطة بها") == [norm("الحويجة")]
    assert norm("التيفور") in names("قصفت إسرائيل قاعدة التيفور بصواريخ من فوق لبنان")
    assert names("قصف استهدف قاعدة جوية قرب حمص") == [norm("حمص")]
    assert names("قصف استهدف قاعدة الضمير الجوية") == [norm("الضمير")]


def test_a_state_is_the_attacker_only_as_the_subject_of_a_strike() -> None:
    ev = one("وجهت الولايات المتحدة وبريطانيا وفرنسا ضربات على مواقع عسكرية قرب مدينة حمص فجر اليوم.")
    assert ev["actor1"] == "Military Forces of the United States" and ev["event_type"] == "Explosions/Remote violence"
    assert ev["assoc_actor_1"] == ["Military Forces of the United Kingdom", "Military Forces of France"]
    ev = one("تركيا وحلفاؤها يقصفون قرية جنديرس في ريف حلب الشمالي اليوم.")
    assert ev["actor1"] == "Military Forces of Turkey"
    # a state named in talks, or as the place, is not a party
    ev = one("قالت روسيا إن مسلحين هاجموا حاجزا للجيش السوري في ريف حمص اليوم، ودعت فرنسا إلى التهدئة.")
    assert ev["actor1"] == "Unidentified Armed Group"


def test_a_bare_strike_noun_needs_an_armed_party() -> None:
    assert extract_text("تلقى الاقتصاد ضربة جديدة بعد العقوبات.", published=PUB)["events"] == []
    assert extract_text("وجه المنتخب ضربة قوية لمنافسه في المباراة.", published=PUB)["events"] == []


def test_a_dated_strike_well_before_the_report_does_not_join_an_undated_one() -> None:
    text = ("استهدفت غارة إسرائيلية مستودع أسلحة في منطقة الكسوة بريف دمشق، ما أسفر عن مقتل 9 مقاتلين. "
            "وأدت ضربة في العاشر من شباط إلى مقتل سبعة عسكريين في قاعدة جوية قرب حمص.")
    evs = extract_text(text, published="2022-03-09")["events"]
    assert fat(evs[0]) == (9, 9, 9) and evs[0]["date_precision"] == "week"


def test_a_missile_attack_on_a_named_site_is_an_event_even_when_intercepted() -> None:
    ev = one("قال التلفزيون الرسمي إن الدفاعات الجوية تصدت لهجوم صاروخي استهدف مطار حماة العسكري ليل أمس.")
    assert ev["sub_event_type"] == "Shelling/artillery/missile attack" and ev["admin1"] == "Hama"


def test_the_anniversary_of_a_strike_is_history() -> None:
    assert extract_text("بعد مرور عام على ضربة أمريكية استهدفت قاعدة الشعيرات العسكرية في وسط سوريا، عاد الجدل.",
                        published=PUB)["events"] == []
    assert extract_text("أحيا السكان الذكرى السنوية العاشرة لقصف صاروخي أدى إلى مقتل 40 شخصا في المدينة.",
                        published=PUB)["events"] == []


def test_deciding_on_a_strike_is_no_strike() -> None:
    assert extract_text("قال الرئيس إنه سيتخذ القرار بشأن توجيه ضربة لأهداف تابعة للحكومة في ريف دمشق.",
                        published=PUB)["events"] == []


def test_an_attack_told_as_last_year_is_history() -> None:
    text = ("قُتل 3 جنود بقصف على حاجز في ريف حماة اليوم. "
            "وكان مطار حماة العسكري هدفا لهجوم بطائرات مسيرة في العام الماضي أدى إلى مقتل 12 عسكريا.")
    evs = events_of(text)
    assert len(evs) == 1 and fat(evs[0]) == (3, 3, 3)


def test_what_an_attack_answered_is_an_earlier_incident() -> None:
    text = ("شنت الطائرات الإسرائيلية غارات على مواقع في ريف القنيطرة فجر اليوم، "
            "ردا على هجوم صاروخي استهدف بلدة في الجولان المحتل.")
    evs = events_of(text)
    assert len(evs) == 1 and evs[0]["actor1"] == "Military Forces of Israel" and not evs[0]["retold"]
    # told with a toll of its own, it is kept, as an earlier incident
    text = ("شنت الطائرات الإسرائيلية غارات على مواقع في ريف القنيطرة فجر اليوم، "
            "ردا على هجوم صاروخي أسفر عن مقتل 3 جنود في الجولان المحتل أمس.")
    evs = events_of(text)
    assert [e["retold"] for e in evs] == [False, True] and fat(evs[1]) == (3, 3, 3)


def test_an_incident_a_week_before_the_report_is_recalled() -> None:
    text = ("قال المرصد إن 4 عناصر من قوات النظام قتلوا بهجوم لتنظيم داعش في بادية حمص اليوم. "
            "وكان هجوم مماثل قد وقع قبل أسبوعين في ريف دير الزور وأدى إلى مقتل 11 عنصرا.")
    evs = events_of(text)
    assert [e["retold"] for e in evs] == [False, True] and fat(evs[0]) == (4, 4, 4)
    ev = one("قال المرصد إن 9 مدنيين قتلوا بغارة روسية على بلدة كفرنبل قبل ثلاثة أيام.")
    assert ev["date"] == "2022-03-06" and not ev["retold"]


def test_explosions_at_a_military_airport_are_an_event_without_a_named_party() -> None:
    ev = one("هزت انفجارات عنيفة مطار حماة العسكري مساء اليوم، بحسب المرصد.")
    assert ev["event_type"] == "Explosions/Remote violence" and ev["admin1"] == "Hama"
    # explosions in a town, with no party and no site, are not enough
    assert extract_text("سمع دوي انفجارات في مدينة حماة مساء اليوم.", published=PUB)["events"] == []


def test_fires_after_blasts_that_kill_soldiers_are_no_accident() -> None:
    ev = one("قال ناشطون إن 25 قتيلا من عناصر قوات النظام، حصيلة الانفجارات والحرائق التي اندلعت في مستودع ذخيرة قرب مدينة حماة.")
    assert ev["actor2"] == "Military Forces of Syria" and fat(ev) == (25, 25, 25)
    # the same words in a factory, with no armed party, are an accident
    assert extract_text("قتل 3 عمال في انفجار وحريق في مصنع للبلاستيك في حلب.", published=PUB)["events"] == []


def test_a_strike_on_sites_of_a_named_party_is_an_event() -> None:
    ev = one("وأفادت تقارير بأن الغارة التي حدثت الثلاثاء استهدفت مستودعات ومنصات صواريخ تابعة للحرس الثوري الإيراني.")
    assert ev["date"] == "2022-03-08" and ev["event_type"] == "Explosions/Remote violence"


def test_a_toll_since_a_moment_long_before_the_report_is_a_tally() -> None:
    rec = extract_text("ودخلت البلاد في دائرة النزاع منذ منتصف آذار 2011، ما أدى إلى مقتل أكثر من 350 ألف شخص.",
                       published=PUB)
    assert rec["events"] == [] and rec["statistics"][0]["counts"][0]["value"] == 350001
    # since this morning is the incident's own day
    ev = one("قتل 4 مدنيين منذ صباح اليوم بقصف على بلدة كفرنبل في ريف إدلب.")
    assert fat(ev) == (4, 4, 4)


def test_a_state_after_a_verb_is_its_subject_only_when_the_verb_opens_the_clause() -> None:
    assert extract_text("ووصفت ما حدث بأنه جريمة لم تكن تستهدف بريطانيا وحدها.", published=PUB)["events"] == []
    ev = one("وقالت مصادر إن روسيا قصفت بلدة كفرنبل في ريف إدلب اليوم.")
    assert ev["actor1"] == "Military Forces of Russia"


def test_a_party_named_without_a_role_does_not_make_a_war_of_words_an_event() -> None:
    # "هاجم" is also to criticise; a party named in passing is no armed party of an attack
    assert extract_text("هاجم وزير الخارجية جهود إيران في المنطقة خلال جولة وصل منها إلى إسرائيل.",
                        published=PUB)["events"] == []


def test_one_strike_over_two_governorates_is_one_event_in_each() -> None:
    evs = extract_text("أفادت الأنباء بتعرض مواقع عسكرية في ريفي حلب وحماة لضربات جوية صاروخية مساء الأحد.",
                       published=PUB)["events"]
    assert sorted(e["admin1"] for e in evs) == ["Aleppo", "Hama"]
    # with a toll, or without a day or a military target, it is a summary
    assert extract_text("قتل 20 عنصرا بغارات في ريفي حماة وحلب.", published=PUB)["events"] == []
    assert extract_text("واعتبر المصدر أن القصف الإسرائيلي يأتي في سياق دعم المجموعات في درعا والقنيطرة.",
                        published=PUB)["events"] == []


def test_a_present_tense_strike_verb_needs_its_means() -> None:
    assert extract_text("أعلنت الوزارة عن عقوبات جديدة مرتبطة بإيران تستهدف شركات طيران.", published=PUB)["events"] == []
    assert extract_text("داعش تستهدف كل إعلامي يعمل ضد النظام في ريف حلب.", published=PUB)["events"] == []
    ev = one("قالت الوكالة إن صواريخ تستهدف مطار حماة العسكري، وإن الدفاعات الجوية تتصدى لها.")
    assert ev["admin1"] == "Hama"


def test_a_figurative_strike_is_no_event() -> None:
    assert extract_text("قالت الصحيفة إن الرئيس يعد لتوجيه ضربة دبلوماسية لإسرائيل.", published=PUB)["events"] == []


def test_the_first_place_told_belongs_to_an_incident_told_without_one() -> None:
    text = ("أسفرت هجمات جنوبي البلاد عن مقتل 40 شخصا على الأقل، بحسب مسؤولين. "
            "وقال صحفي محلي إن مسلحين هاجموا مدينة السويداء من ثلاثة محاور.")
    evs = events_of(text)
    assert len(evs) == 1 and evs[0]["admin1"] == "As-Sweida" and fat(evs[0])[:2] == (40, 40)


def test_an_incident_recalled_does_not_join_the_news_of_the_day() -> None:
    text = ("أعدم تنظيم داعش أحد الرهائن الذين خطفهم من محافظة السويداء، وفق المرصد. "
            "وكان التنظيم قد شن هجوما على السويداء في 25 شباط الماضي، وخلف أكثر من 200 قتيل.")
    evs = events_of(text)
    assert [e["retold"] for e in evs] == [False, True]
    assert evs[0]["date_precision"] == "week" and evs[1]["date"] == "2022-02-25"


def test_the_day_an_accusation_is_made_is_not_the_day_of_the_strike() -> None:
    ev = one("اتهمت الفصائل الاثنين التحالف الدولي بشن غارة ليل الأحد الاثنين على موقع لها في ريف دير الزور.")
    assert ev["date"] == "2022-03-06" and ev["actor1"] == "International Coalition"


def test_the_government_named_by_its_capital_is_no_place() -> None:
    ev = one("وجاء ذلك بعد إعلان دمشق أن التحالف الدولي استهدف ليل الأحد أحد مواقعها العسكرية في بلدة الهري في محافظة دير الزور.")
    assert ev["admin1"] == "Deir-ez-Zor"


def test_a_belief_about_the_attacker_is_a_suspicion() -> None:
    text = ("اتهمت الفصائل التحالف الدولي بشن غارة ليل الأحد على موقع لها في ريف دير الزور. "
            "وقال مسؤول إن لدى بلاده أسبابا تدفعها للاعتقاد\" بأن إسرائيل هي التي شنت الغارة.")
    evs = events_of(text)
    assert len(evs) == 1 and evs[0]["actor1"] == "International Coalition"


def test_air_defences_meeting_missiles_tell_a_strike() -> None:
    ev = one("تصدت الدفاعات الجوية لصاروخين إسرائيليين استهدفا منطقة الكسوة في ريف دمشق الليلة الماضية.")
    assert ev["actor1"] == "Military Forces of Israel" and ev["admin1"] == "Rural Damascus"
    ev = one("قالت الوكالة إن الدفاعات الجوية دمرت صاروخين إسرائيليين فوق منطقة الكسوة اليوم.")
    assert ev["actor1"] == "Military Forces of Israel"
    # destroying without the means of a strike is not one
    assert extract_text("دمرت السيول منازل في البلدة اليوم.", published=PUB)["events"] == []


def test_a_coalition_and_its_members_strike_as_one() -> None:
    text = ("قالت الوكالة إن التحالف الدولي شن غارة ليل الأحد على موقع عسكري في بلدة الصنمين بريف درعا. "
            "وقال مسؤول إن طائرات أمريكية نفذت الغارة على الموقع في الصنمين.")
    assert len(events_of(text)) == 1


def test_rejecting_accusations_is_a_denial() -> None:
    assert extract_text("وقالت الوزارة إنها رفضت الاتهامات بقصف بلدة كفرنبل في ريف إدلب أمس.", published=PUB)["events"] == []
    assert extract_text("رفضت وزارة الدفاع أو \"البنتاغون\"، ادعاءات بقصف أمريكي على قاعدة جوية بمدينة حمص، الأحد.", published=PUB)["events"] == []
    assert extract_text("وأعلن أنه رفض ادعاءات بقصف مستشفى في بلدة كفرنبل أمس.", published=PUB)["events"] == []


def test_where_the_fire_came_from_is_not_the_scene() -> None:
    ev = one("تسببت قذيفة صاروخية أطلقت من منطقة الغوطة الشرقية على بلدة جرمانا في ريف دمشق في مقتل 35 شخصا اليوم.")
    assert ev["location"] == "بلدة جرمانا" and fat(ev) == (35, 35, 35)


def test_a_toll_over_past_weeks_is_a_tally() -> None:
    rec = extract_text("وتسببت الغارات الروسية الأسابيع الماضية في مقتل 1450 مدنيا في الغوطة.", published=PUB)
    assert rec["events"] == [] and rec["statistics"]


def test_air_defences_meeting_missiles_are_a_remote_strike_without_a_place() -> None:
    # the place is in the sentence before, told as sounds heard; the interception is the incident
    ev = one("سمع دوي انفجارات في منطقة الصنمين. وقال التلفزيون الرسمي إن الدفاعات الجوية واجهت ودمرت صاروخين إسرائيليين.")
    assert ev["event_type"] == "Explosions/Remote violence" and ev["actor1"] == "Military Forces of Israel"
    # without its means, air defences "meeting" something is no strike
    none_("قال الوزير إن الدفاعات الجوية تصدت لكل محاولات الاختراق.")


def test_state_medias_aggression_is_a_strike_only_with_its_means() -> None:
    ev = one("قال مصدر عسكري إن مواقع عسكرية في ريف حمص تعرضت مساء أمس لعدوان بصواريخ معادية.")
    assert ev["event_type"] == "Explosions/Remote violence" and ev["admin1"] == "Homs"
    assert ev["date"] == "2022-03-08"
    none_("أدان الوزير في كلمته العدوان على الشعب الفلسطيني.")


def test_denying_who_did_it_is_not_denying_the_strike() -> None:
    # "نفت ... قيام X بقصف": the strike stands, its attacker is unknown; neither party is its target
    ev = one("نفت مصادر أمريكية قيام الولايات المتحدة أو التحالف الدولي ضد داعش بقصف مواقع عسكرية تابعة للجيش السوري "
             "في ريف حماة مساء أمس.")
    assert ev["actor1"] == "Unidentified Armed Group" and ev["actor2"] == "Military Forces of Syria"
    assert ev["date"] == "2022-03-08" and ev["admin1"] == "Hama"
    ev = one("نفى الجيش الإسرائيلي مسؤوليته عن الغارة على مطار الضبعة العسكري في ريف حمص أمس.")
    assert ev["actor1"] == "Unidentified Armed Group"
    # denying that it happened is still a denial
    none_("نفت وزارة الدفاع وقوع أي قصف على مدينة حماة أمس.")


def test_an_earlier_incident_recalled_without_its_day_has_no_date() -> None:
    text = ("قُتل 3 جنود بقصف صاروخي على مطار الضبعة العسكري في ريف حمص اليوم. "
            "وكانت إسرائيل قد شنت ضربات مماثلة على مواقع في ريف دمشق.")
    evs = events_of(text)
    assert [e["retold"] for e in evs] == [False, True]
    assert evs[0]["date"] == PUB
    assert evs[1]["date"] is None and evs[1]["date_precision"] == "unknown"


def test_the_suburbs_of_the_capital_lie_in_rural_damascus() -> None:
    # Damascus governorate is the city; its suburbs and countryside are Rif Dimashq
    ev = one("قُتل 12 مدنيا بقذيفة صاروخية سقطت على سوق في ضواحي العاصمة دمشق اليوم.")
    assert ev["admin1"] == "Rural Damascus"
    ev = one("قُتل 12 مدنيا بقذيفة صاروخية سقطت على سوق في ضاحية شرقي دمشق اليوم.")
    assert ev["admin1"] == "Rural Damascus"
    # another city's suburbs are in its own governorate
    ev = one("قُتل 12 مدنيا بقذيفة صاروخية سقطت على سوق في ضواحي حلب اليوم.")
    assert ev["admin1"] == "Aleppo"


def test_opposition_factions_named_without_the_article() -> None:
    ev = one("أطلقت فصائل معارضة قذيفة صاروخية على حي في مدينة حماة اليوم، ما أدى إلى مقتل 4 مدنيين.")
    assert ev["actor1"] == "Syrian Opposition"


def test_the_force_that_carries_out_a_bombardment_is_its_attacker() -> None:
    ev = one("أسفر القصف الذي يقوم به الجيش التركي على مواقع قسد في ريف حلب عن مقتل 7 عناصر منها اليوم.")
    assert ev["actor1"] == "Military Forces of Turkey" and ev["actor2"] == "SDF: Syrian Democratic Forces"


def test_losses_in_other_places_are_not_the_incident_just_told() -> None:
    text = ("قُتل 20 مدنيا بقذيفة على بلدة جرمانا اليوم. "
            "وقتل تسعة آخرون في مناطق أخرى من الغوطة الشرقية.")
    evs = events_of(text)
    assert len(evs) == 1 and fat(evs[0]) == (20, 20, 20)


def test_a_tally_over_this_period_is_no_incident() -> None:
    text = ("قُتل 20 مدنيا بقذيفة على بلدة جرمانا في ريف دمشق اليوم. "
            "ووثق المرصد خلال هذه الفترة مقتل 50 مدنيا في قذائف على دمشق.")
    evs = events_of(text)
    assert len(evs) == 1 and evs[0]["admin1"] == "Rural Damascus" and fat(evs[0]) == (20, 20, 20)


def test_an_attack_on_a_military_airport_on_a_given_day_is_an_incident() -> None:
    ev = one("نقل التلفزيون الرسمي خبر وقوع هجوم على مطار الشعيرات العسكري في ريف حمص مساء أمس.")
    assert ev["admin1"] == "Homs" and ev["date"] == "2022-03-08"
    # without a day, an attack nobody is named for is too vague
    none_("قال التقرير إن هجوما على مطار الشعيرات العسكري ممكن.")


def test_shares_of_one_strike_go_first_to_the_governorate_the_article_names_most() -> None:
    text = ("أفادت الأنباء بتعرض مواقع عسكرية في ريفي حلب وحماة لضربات صاروخية مساء الأحد. "
            "وكان التلفزيون قد أورد أنباء عن سماع دوي انفجارات في ريف حماة. "
            "وقال سكان في حماة إن الانفجارات هزت المدينة.")
    evs = events_of(text)
    assert [e["admin1"] for e in evs][:2] == ["Hama", "Aleppo"]


def test_a_statement_made_before_tells_the_incident_at_hand() -> None:
    # "وكان التلفزيون قد أكد": the pluperfect of a verb of saying dates the statement, not the strike
    text = ("نشر ناشطون فيديو يرصد انفجارات في مقر عسكري في ريف حماة ليل الأحد. "
            "وكان التلفزيون الرسمي قد أكد تعرض مواقع عسكرية في ريف حماة لقصف صاروخي.")
    evs = events_of(text)
    assert [e["retold"] for e in evs] == [False]
    # an accusation made before recalls an earlier strike
    text = ("قُتل 3 جنود بقصف على مطار الضبعة العسكري في ريف حمص اليوم. "
            "وكانت دمشق قد اتهمت إسرائيل بشن غارة جوية على مطار التيفور العسكري في ريف حمص.")
    evs = events_of(text)
    assert [e["retold"] for e in evs] == [False, True]


def test_two_towns_named_after_a_dual_descriptor() -> None:
    # "بلدتي X وY": the dual introduces two names joined by و; the first is a place of the strike
    ev = one("قال المرصد إن غارة جوية أصابت منطقة قرب بلدتي الصنمين وانخل الخميس ما أدى لمقتل 5 مدنيين.")
    assert ev["location"] == "بلدتي الصنمين"
