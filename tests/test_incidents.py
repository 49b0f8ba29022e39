"""Within one article: which clauses tell one incident (pipeline/incidents.py) and what the record says
(pipeline/record.py), on articles written here."""

from __future__ import annotations

import datetime as dt

from rasad.document import Document, Source
from rasad.pipeline.annotate.dates import find_dates
from rasad.pipeline.incidents import compatibility, group_mentions
from rasad.pipeline.mentions import MentionReader
from rasad.pipeline.run import extract, resolve_reference_date
from rasad.pipeline.segment import segment

PUBLISHED = dt.date(2024, 3, 4)


def mentions(text: str) -> list:  # type: ignore[type-arg]
    doc = Document.from_source(Source(doc="t", text=text, published=PUBLISHED))
    segment(doc.body, plain_page=True)
    exprs = {"text": find_dates(doc.body.ntext)}
    resolve_reference_date(doc, exprs)
    return MentionReader(doc, exprs, None, off_topic=False).read(doc.body)


def events(text: str) -> list[dict]:  # type: ignore[type-arg]
    return extract(Source(doc="t", text=text, published=PUBLISHED))["events"]


def test_two_reports_of_one_strike_are_one_incident() -> None:
    text = ("قتل 4 مدنيين في قصف مدفعي لقوات النظام على بلدة كفرنبل في ريف إدلب يوم الأحد. "
            "وأسفر القصف على كفرنبل عن مقتل 4 مدنيين بحسب المرصد السوري.")
    assert len(group_mentions(mentions(text), PUBLISHED)) == 1
    assert len(events(text)) == 1


def test_different_days_are_two_incidents_and_say_why() -> None:
    ms = mentions("قتل 4 مدنيين في قصف على بلدة كفرنبل في ريف إدلب يوم الأحد. "
                  "وقتل 3 مدنيين في قصف على بلدة كفرنبل في ريف إدلب يوم السبت.")
    incidents = group_mentions(ms[:1], PUBLISHED)
    why: list[str] = []
    assert compatibility(ms[1], incidents[0], PUBLISHED, why) is None
    assert why[-1] == "different days (2024-03-02 / 2024-03-03)"


def test_different_governorates_are_two_incidents() -> None:
    text = ("قتل 4 مدنيين في قصف لقوات النظام على ريف إدلب يوم الأحد. "
            "وقتل 3 جنود في هجوم لتنظيم داعش على حاجز في ريف دير الزور يوم الأحد.")
    got = events(text)
    assert [e["admin1"] for e in got] == ["Idleb", "Deir-ez-Zor"]


def test_the_record_has_no_side_channel() -> None:
    rec = events("قتل 3 جنود في هجوم لتنظيم داعش على حاجز في ريف دير الزور يوم الأحد.")[0]
    assert "admin1_text" not in rec
    assert rec["event_type"] == "Battles" and rec["actor1"] == "Islamic State"
    assert rec["fatalities"] == {"low": 3, "best": 3, "high": 3}
    assert [e["field"] for e in rec["evidence"]][:1] == ["event"]


def geocoded_events(text: str) -> list[dict]:  # type: ignore[type-arg]
    """The events of `text` with the built-in gazetteer: the grouping then knows where places lie."""
    from rasad.gazetteer import open_gazetteer
    from rasad.pipeline.geocode import Geocoder

    return extract(Source(doc="t", text=text, published=PUBLISHED), Geocoder(open_gazetteer(None)))["events"]


def test_two_towns_far_apart_are_two_incidents() -> None:
    # no toll of their own tells them apart: the gazetteer does (tens of km between them)
    got = geocoded_events("قصفت طائرات حربية روسية أطراف مدينة جسر الشغور بغارتين. "
                          "وسجلت 30 غارة جوية في محيط مدينة معرة النعمان.")
    assert len(got) == 2


def test_the_outskirts_of_a_governorate_city_are_a_place_of_their_own() -> None:
    got = geocoded_events("استهدف الطيران الروسي بغارتين أطراف مدينة جسر الشغور. "
                          "وشنت الطائرات الروسية 30 غارة جوية على مواقع المسلحين في محيط إدلب.")
    assert len(got) == 2
    assert got[1]["admin1"] == "Idleb" and got[1]["location"] == "إدلب"


def test_a_base_near_a_city_is_no_other_site() -> None:
    # "قرب مدينة حمص" says where the base lies; the base named next is the same strike's
    got = geocoded_events("اتهمت سوريا إسرائيل بقصف قاعدة جوية قرب مدينة حمص. "
                          "وقتل 14 شخصا في القصف الذي استهدف قاعدة تياس الجوية.")
    assert len(got) == 1


def test_a_follow_up_on_the_same_town_joins_it() -> None:
    got = geocoded_events("قصفت طائرات حربية روسية مدينة جسر الشغور بغارتين صباح اليوم. "
                          "وأفاد ناشطون بأن الغارات على مدينة جسر الشغور أدت إلى دمار كبير.")
    assert len(got) == 1


def test_a_strike_abroad_told_next_is_another_incident() -> None:
    out = extract(Source(doc="t", published=PUBLISHED, text=(
        "أعلنت فصائل عراقية استهداف القاعدة الأميركية في حقل العمر النفطي بريف دير الزور صباح اليوم. "
        "كما استهدفت عند الفجر مركزا تابعا للاحتلال الإسرائيلي قرب أربيل في إقليم كردستان العراق.")))
    assert len(out["events"]) == 1 and len(out["other_events"]) == 1
    assert out["other_events"][0]["country"] == "Iraq"


def test_the_attack_named_again_elsewhere_is_a_disputed_place_not_another_attack() -> None:
    out = extract(Source(doc="t", published=PUBLISHED, text=(
        "قتل ثلاثة جنود أميركيين بهجوم بطائرة مسيرة على موقع عسكري في الأردن قرب الحدود مع سوريا. "
        "وقال متحدث أردني إن الهجوم الذي استهدف القوات الأميركية وقع في قاعدة التنف داخل سوريا.")))
    assert len(out["events"]) + len(out["other_events"]) == 1


def test_bases_listed_one_by_one_are_one_incident_each() -> None:
    # "، والقاعدة الأميركية في …": another target opens each site; al-Shaddadi by its news spelling
    got = geocoded_events("أكدت فصائل عراقية أمس استهدافها قاعدتين أميركيتين، وهما القاعدة الأميركية في حقل العمر "
                          "النفطي بريف دير الزور، والقاعدة الأميركية في الشدادي جنوبي الحسكة.")
    assert [e["admin1"] for e in got] == ["Deir-ez-Zor", "Al-Hasakeh"]
