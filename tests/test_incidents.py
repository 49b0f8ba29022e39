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


# -- an incident's values, kept as mentions join, equal the values computed from scratch -----------------


def _pool() -> list:  # type: ignore[type-arg]
    """The mentions of the example articles and one of our own, located by the built-in gazetteer."""
    import json
    from pathlib import Path

    from rasad.gazetteer import open_gazetteer
    from rasad.pipeline.geocode import Geocoder

    examples = Path(__file__).resolve().parents[1] / "examples"
    texts = [p.read_text(encoding="utf-8") for p in sorted(examples.glob("*.txt"))]
    texts += [json.loads(line)["text"] for line in (examples / "05_batch.jsonl").read_text(encoding="utf-8").splitlines()]
    geocoder = Geocoder(open_gazetteer(None))
    out = []
    for text in texts:
        doc = Document.from_source(Source(doc="t", text=text, published=PUBLISHED))
        segment(doc.body, plain_page=True)
        exprs = {"text": find_dates(doc.body.ntext)}
        resolve_reference_date(doc, exprs)
        out += MentionReader(doc, exprs, None, off_topic=False, locate=geocoder.mention_points).read(doc.body)
    return out


def _from_scratch(ms: list) -> dict:  # type: ignore[type-arg]
    """The values of an incident of these mentions, each computed over all of them (as before issue 14)."""
    from rasad.lang.patterns import INCIDENT_TARGET_NOUN
    from rasad.pipeline.incidents import _own_points, country
    from rasad.pipeline.record import UNKNOWN_ACTOR, ordered

    body = [m for m in ms if m.role == "body"] or ms
    date = next((m.date for prec in ("day", "week", "month") for m in body
                 if m.date and m.date.date and m.date.precision == prec), None)
    location = None
    for m in body:
        for p in m.places:
            if not p.destination and (location is None or p.rank > location[0].rank):
                location = (p, p.admin1 or m.admin1, m)
    firm = ordered(a for m in body for a in m.attackers if a not in m.hedged)
    attackers = firm if [a for a in firm if a != UNKNOWN_ACTOR] else ordered(a for m in body for a in m.attackers)
    return {
        "body": [id(m) for m in body], "first": id(min(body, key=lambda m: m.order)),
        "last": id(max(body, key=lambda m: m.order)), "date": date,
        "location": location and (id(location[0]), location[1], id(location[2])),
        "admin1": location[1] if location and location[1] else next((m.admin1 for m in body if m.admin1), None),
        "country": next((c for c in map(country, body) if c), None),
        "attackers": attackers, "victims": [v for v in ordered(v for m in body for v in m.victims) if v not in attackers[:1]],
        "site_names": {p.name for m in body for p in m.specific_places()},
        "place_names": {p.name for m in body for p in m.places},
        "classes": {c for m in body for c in m.classes}, "victim_kinds": {k for m in body for k in m.victim_kinds},
        "precise_kill": {x for m in body for x in m.precise_kill},
        "claimants": {c.claimant for m in body for c in m.claims},
        "points": {pt[:2] for m in body for pts in m.points.values() for pt in pts},
        "own_points": {pt[:2] for m in body for pt in _own_points(m)},
        "targets": {t for m in body for t in INCIDENT_TARGET_NOUN.findall(m.part.ntext, m.start, m.end)},
        "sites_of": {m.site_of for m in ms if m.site_of is not None},
    }


def _kept(e) -> dict:  # type: ignore[no-untyped-def, type-arg]
    loc = e.location
    return {
        "body": [id(m) for m in e.body], "first": id(e.first), "last": id(e.last), "date": e.date,
        "location": loc and (id(loc[0]), loc[1], id(loc[2])), "admin1": e.admin1, "country": e.country,
        "attackers": e.attackers, "victims": e.victims, "site_names": e.site_names, "place_names": e.place_names,
        "classes": e.classes, "victim_kinds": e.victim_kinds, "precise_kill": e.precise_kill(),
        "claimants": e.claimants, "points": set(e.points), "own_points": set(e.own_points),
        "targets": e.target_nouns(), "sites_of": {m.site_of for m in e.mentions if e.has_site_of(m.site_of)},
    }


def test_kept_values_equal_values_from_scratch() -> None:
    import dataclasses
    import random

    from rasad.pipeline.incidents import Incident

    pool = _pool()
    assert len(pool) > 10 and any(m.points for m in pool) and any(m.claims for m in pool)
    rng = random.Random(14)
    for _ in range(300):
        e, told = Incident(), []
        for _ in range(rng.randint(1, 12)):
            # any role, in any order, orders repeated: the values do not rely on how group_mentions adds them
            m = dataclasses.replace(rng.choice(pool), role=rng.choice(["body", "body", "headline", "subhead"]),
                                    order=rng.randint(0, 6), site_of=rng.choice([None, None, (0, 5), (9, 20)]))
            e.add(m)
            told.append(m)
            if rng.random() < 0.5:  # asked after some joins only, as compatibility asks
                assert _kept(e) == _from_scratch(told)
        assert _kept(e) == _from_scratch(told)


def test_the_recent_incidents_kept_equal_a_sort_from_scratch() -> None:
    import dataclasses
    import random

    from rasad.pipeline.incidents import RECENT_INCIDENTS, Incident, _Article

    pool = _pool()
    rng = random.Random(14)
    for _ in range(50):
        article = _Article()
        for _ in range(rng.randint(1, 150)):
            # a new incident or one of the article's, told at any order (a headline's may be earlier)
            e = rng.choice(article.incidents) if article.incidents and rng.random() < 0.7 else Incident()
            article.join(e, dataclasses.replace(rng.choice(pool), order=rng.randint(0, 20)))
            incidents = article.incidents
            assert article.latest() is max(incidents, key=lambda x: x.last_order)
            expected = incidents if len(incidents) <= RECENT_INCIDENTS else sorted(
                incidents, key=lambda x: x.last_order)[-RECENT_INCIDENTS:]
            assert [id(x) for x in article.recent()] == [id(x) for x in expected]


def test_an_event_records_the_rules_that_made_it() -> None:
    # the follow-up names "the shelling" again, without a place or day of its own: the strike just told
    text = ("قتل ثلاثة مدنيين في قصف مدفعي على بلدة كفرنبل في ريف إدلب، أمس الأحد. "
            "وأدى القصف إلى إصابة خمسة آخرين.")
    [ev] = events(text)
    assert ev["rules"] == ["casualties", "starts_an_incident", "anaphor_joins_the_one_just_told"]
    assert (ev["fatalities"]["best"], ev["wounded"]["best"]) == (3, 5)


def test_the_rules_of_a_headline_incident_and_of_a_clause_split_over_sites() -> None:
    [ev] = extract(Source(doc="t", title="غارة جوية على مطار الشعيرات العسكري في ريف حمص", text="تابعونا على مواقع التواصل.",
                          published=PUBLISHED))["events"]
    assert ev["rules"] == ["attack", "headline_starts_when_body_tells_none"]
    evs = events("استهدفت طائرات مسيرة قاعدة حقل العمر في ريف دير الزور، واستهدفت قاعدة خراب الجير في ريف الحسكة.")
    assert len(evs) == 2 and all("per_site" in e["rules"] or "per_governorate" in e["rules"] for e in evs), evs
