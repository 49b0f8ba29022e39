"""Unit tests for place expressions (governorates, descriptors, roads, destinations), on sentences written here."""

from __future__ import annotations

import pytest

from rasad import extract_text
from rasad.pipeline.annotate.places import Spans, find_places, in_spans, is_multi_governorate
from rasad.pipeline.normalise import norm

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


def test_a_nationality_adjective_or_a_time_word_ends_a_place_name() -> None:
    from rasad.pipeline.annotate.places import find_places

    t = norm("هجوم كيميائي في مدينة دوما السورية الأسبوع الماضي")
    assert [p.name for p in find_places(t, 0, len(t))] == [norm("دوما")]


def test_rural_damascus_is_a_governorate_not_the_countryside_of_a_town() -> None:
    from rasad.pipeline.annotate.places import find_places

    t = norm("قتل 3 مدنيين بقصف على منطقة الكسوة في ريف دمشق اليوم.")
    assert [(p.name, p.admin1) for p in find_places(t, 0, len(t))][-1] == (norm("ريف دمشق"), "Rural Damascus")
    assert extract_text("قتل 3 مدنيين بقصف على منطقة الكسوة في ريف دمشق اليوم.",
                        published="2022-03-09")["events"][0]["admin1"] == "Rural Damascus"


def test_names_that_contain_a_place_name_are_no_place() -> None:
    from rasad.pipeline.annotate.places import not_place_spans

    t = norm("أفاد مراسل الميادين في حلب أن عناصر من حرس الثورة وصلوا إلى بلدة الميادين")
    quoted = [t[a:b] for a, b in not_place_spans(t, 0, len(t))]
    assert norm("مراسل الميادين") in quoted and norm("حلب") in quoted and norm("حرس الثورة") in quoted
    assert [p.admin1 for p in find_places(t, 0, len(t))] == [None]  # only "بلدة الميادين": Aleppo is his base


@pytest.mark.parametrize("text", [
    "قتل 8 أشخاص أمس في قصف على حمص، حماة، طرطوس",  # listed with commas only
    "قتل 8 أشخاص أمس في هجمات متفرقة في محافظات عدة، منهم ثلاثة في حمص",  # several said, one named
    "قتل 8 أشخاص أمس في عدد من المحافظات، منهم ثلاثة في حمص",
])
def test_a_roundup_over_several_governorates(text: str) -> None:
    t = norm(text)
    assert is_multi_governorate(t, 0, len(t), find_places(t, 0, len(t)))


def test_a_descriptor_of_a_descriptor_is_one_place() -> None:
    # "ريف مدينة حماة" is the countryside of the city: one place, not also the city itself
    assert places("قصف مدفعي على قرى في ريف مدينة حماة") == [("حماه", "countryside", 2, "Hama", False)]


def test_a_name_headed_by_a_descriptor_keeps_its_specificity() -> None:
    # "منطقة جبل الأربعين": an area whose name is a mountain's, as specific as the mountain (one place)
    assert places("غارات على منطقة جبل الأربعين بريف إدلب")[0][:3] == (norm("جبل الأربعين"), "area", 5)


def test_a_descriptor_inside_a_place_found_before_among_many() -> None:
    # (the place a descriptor lies inside is looked up by offset, not by a scan of every place found: the
    # same answer after hundreds of places as alone)
    nested = ["غارات على منطقة جبل الأربعين بريف إدلب", "قصف مدفعي على قرى في ريف مدينة حماة"]
    before = " ".join(f"بلدة {name}" for name in ("كفرزيتا", "اللطامنة", "مورك", "التمانعة") * 100) + "، و"
    for text in nested:
        alone = places(text)
        assert places(before + text)[-len(alone):] == alone


def test_a_word_of_violence_after_a_descriptor_is_no_name() -> None:
    # "وأدى" (it led to) reads as "وادي" (valley) once hamza is normalised away; what follows is the attack
    assert [p[0] for p in places("وأدى القصف إلى إصابة خمسة أشخاص")] == []
    assert [p[0] for p in places("وأدت الغارات إلى دمار واسع في حي الصاخور")] == ["الصاخور"]


def test_spans_answer_as_the_scan_of_a_list() -> None:
    # Spans: whether an offset lies in a span, in constant time, spans added in any order and overlapping
    spans = [(30, 34), (12, 20), (15, 25), (40, 40), (3, 5), (8, 13)]
    index = Spans(10, spans[:2])
    index.extend(spans[2:])
    assert list(index) == spans
    for i in range(-2, 50):
        assert (i in index) == (i >= 10 and in_spans(i, spans)), i


def test_governorates_named_alone_among_thousands() -> None:
    # (a governorate is checked against the places found before it by offset, not by a scan of them: a clause
    # naming Aleppo 5,000 times is read in linear time, with the same places as one naming it twice)
    incident = "قُتل ثلاثة مدنيين بقصف مدفعي على بلدة كفرنبل بريف إدلب الجنوبي"

    def read(n: int) -> list[tuple[int, int, str, str | None]]:
        text = "حلب " * n + incident
        return [(p.start - len(text), p.end - len(text), p.kind, p.admin1) for p in find_places(text, 0, len(text))]

    many, two = read(5000), read(2)
    assert len(many) == 5001 and many[-3:] == two
    assert all(p[2:] == ("admin1", "Aleppo") for p in many[:-1])
