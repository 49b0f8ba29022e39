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
