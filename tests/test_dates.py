"""Tests for rasad.pipeline.annotate.dates: the date grammar and the resolution rules.

All sentences are written for these tests. Text is normalised first, as in the pipeline.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rasad.pipeline.annotate.dates import DateExpr, Resolved, find_dates, infer_year, resolve
from rasad.pipeline.normalise import norm

D = dt.date


def found(sentence: str) -> tuple[str, list[DateExpr]]:
    text = norm(sentence)
    return text, find_dates(text)


def one(sentence: str) -> tuple[str, DateExpr]:
    text, exprs = found(sentence)
    assert len(exprs) == 1, [text[e.start : e.end] for e in exprs]
    return text, exprs[0]


def span(text: str, e: DateExpr) -> str:
    return text[e.start : e.end]


def day_of(sentence: str, ref: dt.date | None, years: tuple[int, ...] = ()) -> dt.date | None:
    _, e = one(sentence)
    return resolve(e, ref, years).date


# --- full dates --------------------------------------------------------------------------------


def test_levantine_full_date() -> None:
    text, e = one("قُتل مدنيان في 2 من كانون الأول 2021 بقصف مدفعي على أطراف البلدة.")
    assert span(text, e) == norm("2 من كانون الأول 2021")
    assert (e.day, e.month, e.year) == (2, 12, 2021)
    assert resolve(e, None) == Resolved(D(2021, 12, 2), "day", (D(2021, 12, 2), D(2021, 12, 2)))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("اندلعت اشتباكات عنيفة يوم 03 أكتوبر 2020 قرب المطار.", D(2020, 10, 3)),
        ("أغلقت السلطات المعبر في 17 فبراير 2022 بعد هجوم.", D(2022, 2, 17)),
        ("وقع التفجير في 9 إبريل 2018 وسط السوق.", D(2018, 4, 9)),
        ("تظاهر الطلاب في 21 يونيه 2019 أمام الجامعة.", D(2019, 6, 21)),
        ("أعلنت الشرطة في 30 أغسطس 2023 توقيف مشتبه به.", D(2023, 8, 30)),
        ("انسحبت القوات في 14 غشت 2019 من المنطقة.", D(2019, 8, 14)),
        ("اعتقل صحفي في 8 جويلية 2020 بالعاصمة.", D(2020, 7, 8)),
        ("هاجم مسلحون الحاجز في 11 تموز 2016 ليلا.", D(2016, 7, 11)),
        ("قصفت الطائرات القرية في 6 شباط 2015.", D(2015, 2, 6)),
    ],
)
def test_month_names_egyptian_levantine_maghrebi(sentence: str, expected: dt.date) -> None:
    assert day_of(sentence, None) == expected


@pytest.mark.parametrize(
    ("sentence", "expected_span", "expected"),
    [
        ("أعلنت الوزارة في 1 كانون الثاني/ يناير 2021 خطة أمنية.", "1 كانون الثاني/ يناير 2021", D(2021, 1, 1)),
        ("سقطت قذائف على الحي في 24 مارس/آذار 2019.", "24 مارس/آذار 2019", D(2019, 3, 24)),
        ("سقطت قذائف على الحي في 24 آذار/مارس 2019.", "24 آذار/مارس 2019", D(2019, 3, 24)),
        ("بدأ الحصار في 5 أيلول - سبتمبر 2013.", "5 أيلول - سبتمبر 2013", D(2013, 9, 5)),
        ("جرى التبادل في 12 نيسان (أبريل) 2017.", "12 نيسان (أبريل) 2017", D(2017, 4, 12)),
    ],
)
def test_paired_month_forms(sentence: str, expected_span: str, expected: dt.date) -> None:
    text, e = one(sentence)
    assert span(text, e) == norm(expected_span)
    assert resolve(e, None).date == expected


def test_paired_month_paren_without_day() -> None:
    text, e = one("تصاعدت المواجهات في آذار (مارس) الماضي على الجبهة الجنوبية.")
    assert span(text, e) == norm("آذار (مارس) الماضي")
    assert (e.month, e.past) == (3, True)


@pytest.mark.parametrize("numeric", ["2021-12-02", "02/12/2021", "2/12/2021", "2.12.2021"])
def test_numeric_dates_are_day_month_year(numeric: str) -> None:
    text, e = one(f"صدر البيان بتاريخ {numeric} عن قيادة الشرطة.")
    assert span(text, e) == numeric
    assert resolve(e, None).date == D(2021, 12, 2)


def test_invalid_numeric_date_is_not_a_date() -> None:
    assert found("رقم القضية 31/02/2021 لدى المحكمة.")[1] == []


def test_first_of_month_in_words() -> None:
    text, e = one("في الأول من أيار 2020 استهدفت مسيرة سيارة مدنية.")
    assert (e.day, e.month, e.year) == (1, 5, 2020)


def test_full_date_is_one_expression_longest_wins() -> None:
    text, exprs = found("ذكر البيان أن الهجوم وقع صباح يوم الثلاثاء الموافق 7 كانون الأول 2021 على الطريق الدولي.")
    assert len(exprs) == 1
    e = exprs[0]
    assert span(text, e) == norm("صباح يوم الثلاثاء الموافق 7 كانون الأول 2021")
    assert (e.day, e.month, e.year, e.weekday, e.part_of_day) == (7, 12, 2021, 1, "morning")


def test_results_sorted_and_non_overlapping() -> None:
    text, exprs = found("قُتل شرطي أمس الخميس، وكان قد أصيب آخر في 3 تشرين الثاني 2021، ثم هدأت الجبهة الشهر الماضي.")
    assert [span(text, e) for e in exprs] == [
        norm("أمس الخميس"), norm("3 تشرين الثاني 2021"), norm("الشهر الماضي")
    ]
    assert all(a.end <= b.start for a, b in zip(exprs, exprs[1:], strict=False))


# --- day + month without year: inference ------------------------------------------------------


def test_weekday_fixes_the_year() -> None:
    text, e = one("قُتل ثلاثة عناصر الخميس 2 من كانون الأول في كمين قرب الحدود.")
    assert span(text, e) == norm("الخميس 2 من كانون الأول")
    assert (e.day, e.month, e.year, e.weekday) == (2, 12, None, 3)
    # ref 2022-01-10: candidates 2022 and 2021; 2 Dec was a Thursday only in 2021
    r = resolve(e, D(2022, 1, 10))
    assert (r.date, r.precision) == (D(2021, 12, 2), "day")
    # no ref, but the article's years: candidates 2020-2022
    assert resolve(e, None, years=(2021,)).date == D(2021, 12, 2)


def test_weekday_with_two_fitting_years_stays_unknown() -> None:
    _, e = one("اعتُقل ناشطان الأربعاء 2 كانون الأول أثناء مداهمة.")
    # 2 December was a Wednesday in both 2015 and 2020
    assert infer_year(2, 12, 2, None, (2015, 2020)) is None
    assert resolve(e, None, years=(2015, 2020)) == Resolved(None, "unknown", None)
    assert resolve(e, None, years=(2020,)).date == D(2020, 12, 2)


def test_weekday_without_candidates_stays_unknown() -> None:
    _, e = one("اعتُقل ناشطان الأربعاء 2 كانون الأول أثناء مداهمة.")
    assert infer_year(2, 12, 2, None, ()) is None
    assert resolve(e, None).date is None


def test_infer_year_candidates() -> None:
    # 10 September: Friday in 2021, Thursday in 2020, Saturday in 2022
    assert infer_year(10, 9, 4, None, (2021,)) == 2021
    assert infer_year(10, 9, 4, D(2022, 3, 1), ()) == 2021  # ref.year and ref.year - 1
    assert infer_year(10, 9, 0, D(2022, 3, 1), ()) is None  # Monday fits neither


def test_day_month_without_ref_is_unknown() -> None:
    _, e = one("أُفرج عن المخطوفين في 20 تشرين الثاني بعد مفاوضات.")
    assert resolve(e, None) == Resolved(None, "unknown", None)
    assert resolve(e, None, years=(2019,)).date is None  # years alone never fix a day+month


def test_day_month_with_ref_takes_this_or_last_year() -> None:
    sentence = "أُفرج عن المخطوفين في 20 تشرين الثاني بعد مفاوضات."
    assert day_of(sentence, D(2021, 12, 4)) == D(2021, 11, 20)
    assert day_of(sentence, D(2022, 3, 10)) == D(2021, 11, 20)
    # a few days after ref is tolerated ...
    assert day_of("يبدأ الإضراب في 10 كانون الأول في المدارس.", D(2021, 12, 4)) == D(2021, 12, 10)
    # ... and early January is next year's
    assert day_of("يبدأ الإضراب في 5 كانون الثاني في المدارس.", D(2021, 12, 29)) == D(2022, 1, 5)
    # but a day ~3 weeks after ref is neither this year's nor (11.5 months back) last year's
    assert day_of("يبدأ الإضراب في 25 كانون الأول في المدارس.", D(2021, 12, 4)) is None


# --- relative days ------------------------------------------------------------------------------

REF = D(2021, 12, 4)  # a Saturday


@pytest.mark.parametrize(
    ("sentence", "expected_span", "offset", "part"),
    [
        ("أعلن الجيش اليوم مقتل اثنين من جنوده.", "اليوم", 0, None),
        ("أعلن الجيش أمس مقتل اثنين من جنوده.", "أمس", -1, None),
        ("وأعلن الجيش البارحة مقتل جنديين.", "البارحة", -1, None),
        ("سقطت قذيفة أول من أمس على مدرسة.", "أول من أمس", -2, None),
        ("سقطت قذيفة أول أمس على مدرسة.", "أول أمس", -2, None),
        ("سقطت قذيفة الأول من أمس على مدرسة.", "الأول من أمس", -2, None),
        ("انفجرت سيارة مفخخة مساء الأول من أمس قرب السوق.", "مساء الأول من أمس", -2, "evening"),
        ("انفجرت عبوة ناسفة فجر اليوم قرب الجسر.", "فجر اليوم", 0, "dawn"),
        ("انفجرت عبوة ناسفة صباح اليوم قرب الجسر.", "صباح اليوم", 0, "morning"),
        ("انفجرت عبوة ناسفة ظهر اليوم قرب الجسر.", "ظهر اليوم", 0, "noon"),
        ("انفجرت عبوة ناسفة بعد ظهر أمس قرب الجسر.", "بعد ظهر أمس", -1, "afternoon"),
        ("انفجرت عبوة ناسفة مساء أمس قرب الجسر.", "مساء أمس", -1, "evening"),
        ("انفجرت عبوة ناسفة ليلة أمس قرب الجسر.", "ليلة أمس", -1, "night"),
        ("انفجرت عبوة ناسفة فجر أمس قرب الجسر.", "فجر أمس", -1, "dawn"),
        ("دارت اشتباكات متقطعة الليلة الماضية في الأحياء الشرقية.", "الليلة الماضية", -1, "night"),
        ("تعقد اللجنة اجتماعها غدا في مقر المحافظة.", "غدا", 1, None),
    ],
)
def test_relative_days(sentence: str, expected_span: str, offset: int, part: str | None) -> None:
    text, e = one(sentence)
    assert span(text, e) == norm(expected_span)
    assert (e.relative, e.relative_unit, e.part_of_day) == (offset, None, part)
    r = resolve(e, REF)
    assert (r.date, r.precision) == (REF + dt.timedelta(days=offset), "day")


def test_relative_day_without_ref_is_unknown() -> None:
    _, e = one("أعلن الجيش أمس مقتل اثنين من جنوده.")
    assert resolve(e, None) == Resolved(None, "unknown", None)


@pytest.mark.parametrize(
    "sentence",
    ["قال المرصد أمس الخميس إن الغارة أصابت مخبزا.", "قال المرصد أمس، الخميس، إن الغارة أصابت مخبزا."],
)
def test_yesterday_with_weekday_agreeing_and_disagreeing(sentence: str) -> None:
    text, e = one(sentence)
    assert (e.relative, e.weekday) == (-1, 3)
    assert span(text, e).endswith(norm("الخميس"))
    assert resolve(e, D(2021, 12, 3)).date == D(2021, 12, 2)  # ref Friday: they agree
    assert resolve(e, D(2021, 12, 4)).date == D(2021, 12, 2)  # ref Saturday: the weekday wins


def test_yom_ams_weekday_and_today_weekday() -> None:
    text, exprs = found("قُتل شاب يوم أمس الجمعة برصاص مجهولين، وخرجت جنازته اليوم السبت.")
    assert [span(text, e) for e in exprs] == [norm("يوم أمس الجمعة"), norm("اليوم السبت")]
    assert [resolve(e, REF).date for e in exprs] == [D(2021, 12, 3), D(2021, 12, 4)]


# --- weekdays ----------------------------------------------------------------------------------


def test_weekday_alone_and_past_weekday() -> None:
    wed = D(2021, 12, 8)
    _, plain = one("داهمت القوات منزلا في القرية يوم الأربعاء واعتقلت شابين.")
    _, past = one("داهمت القوات منزلا في القرية الأربعاء الماضي واعتقلت شابين.")
    assert (plain.weekday, plain.past) == (2, False)
    assert (past.weekday, past.past) == (2, True)
    assert resolve(plain, wed).date == wed  # today counts ...
    assert resolve(past, wed).date == D(2021, 12, 1)  # ... unless marked الماضي
    assert resolve(past, D(2021, 12, 10)).date == D(2021, 12, 8)
    assert resolve(plain, None) == Resolved(None, "unknown", None)


def test_feminine_past_weekday() -> None:
    text, e = one("شُيّع الضحايا بعد صلاة الجمعة الماضية في البلدة.")
    assert span(text, e) == norm("الجمعة الماضية")
    assert (e.weekday, e.past) == (4, True)


def test_sunday_only_in_a_date_context() -> None:
    assert found("لم يُصب الأحد من الركاب بأذى.")[1] == []
    for sentence, expected in [
        ("اجتمع المجلس يوم الأحد لبحث الوضع.", "يوم الأحد"),
        ("اجتمع المجلس الأحد، وبحث الوضع.", "الأحد"),
        ("اجتمع المجلس الأحد الماضي لبحث الوضع.", "الأحد الماضي"),
        ("قصفت المدفعية القرية صباح الأحد دون إصابات.", "صباح الأحد"),
    ]:
        text, e = one(sentence)
        assert (span(text, e), e.weekday) == (norm(expected), 6)


def test_weekday_in_parentheses() -> None:
    text, e = one("قُتل جنديان (الخميس) في هجوم على نقطة تفتيش.")
    assert span(text, e) == norm("(الخميس)")
    assert e.weekday == 3


def test_future_weekday_and_month_are_not_emitted() -> None:
    assert found("سيُعقد الاجتماع الخميس المقبل في العاصمة.")[1] == []
    assert found("تُجرى الانتخابات في أيلول القادم.")[1] == []


# --- months, periods, spans ------------------------------------------------------------------


def test_day_of_last_month() -> None:
    text, e = one("اغتيل مسؤول محلي في 16 الشهر الماضي بريف المدينة.")
    assert span(text, e) == norm("16 الشهر الماضي")
    assert (e.day, e.relative, e.relative_unit) == (16, -1, "month")
    assert resolve(e, REF).date == D(2021, 11, 16)
    assert resolve(e, D(2022, 1, 5)).date == D(2021, 12, 16)
    assert resolve(e, None).date is None


def test_last_month_and_this_month() -> None:
    ref = D(2022, 1, 15)
    text, exprs = found("تراجعت الهجمات الشهر الماضي لكنها عادت الشهر الجاري.")
    assert [(e.relative, e.relative_unit) for e in exprs] == [(-1, "month"), (0, "month")]
    last, this = (resolve(e, ref) for e in exprs)
    assert last == Resolved(D(2021, 12, 1), "month", (D(2021, 12, 1), D(2021, 12, 31)))
    assert this == Resolved(D(2022, 1, 1), "month", (D(2022, 1, 1), D(2022, 1, 31)))


@pytest.mark.parametrize(
    ("sentence", "period", "window"),
    [
        ("وصلت تعزيزات مطلع الشهر الجاري إلى المدينة.", "start", (D(2024, 3, 1), D(2024, 3, 10))),
        ("وصلت تعزيزات منتصف الشهر الجاري إلى المدينة.", "mid", (D(2024, 3, 11), D(2024, 3, 20))),
        ("وصلت تعزيزات أواخر الشهر الماضي إلى المدينة.", "end", (D(2024, 2, 21), D(2024, 2, 29))),
        ("وصلت تعزيزات نهاية الشهر الماضي إلى المدينة.", "end", (D(2024, 2, 21), D(2024, 2, 29))),
    ],
)
def test_period_of_relative_month(sentence: str, period: str, window: tuple[dt.date, dt.date]) -> None:
    _, e = one(sentence)
    assert e.period == period
    r = resolve(e, D(2024, 3, 25))
    assert (r.precision, r.window, r.date) == ("month", window, window[0].replace(day=1))


def test_named_month_only() -> None:
    text, exprs = found("جرت الانتخابات في شهر أيلول، ثم اعتُقل ناشطون مطلع تشرين الثاني الماضي.")
    assert [span(text, e) for e in exprs] == [norm("شهر أيلول"), norm("مطلع تشرين الثاني الماضي")]
    sep, nov = exprs
    assert (sep.month, sep.past) == (9, False)
    assert (nov.month, nov.period, nov.past) == (11, "start", True)
    ref = D(2022, 2, 1)
    assert resolve(sep, ref) == Resolved(D(2021, 9, 1), "month", (D(2021, 9, 1), D(2021, 9, 30)))
    assert resolve(nov, ref) == Resolved(D(2021, 11, 1), "month", (D(2021, 11, 1), D(2021, 11, 10)))
    assert resolve(sep, None) == Resolved(None, "unknown", None)


def test_past_month_is_the_latest_before_ref() -> None:
    _, e = one("قُتل العشرات في أيلول الماضي خلال معارك الريف.")
    assert resolve(e, D(2021, 12, 4)).date == D(2021, 9, 1)
    assert resolve(e, D(2021, 9, 20)).date == D(2020, 9, 1)  # same month: last year's


def test_month_and_year() -> None:
    text, e = one("نزح آلاف السكان في أيار 2019 عن قراهم.")
    assert span(text, e) == norm("أيار 2019")
    assert resolve(e, None) == Resolved(D(2019, 5, 1), "month", (D(2019, 5, 1), D(2019, 5, 31)))


def test_aab_only_as_a_month_in_a_date_context() -> None:
    for sentence, expected in [
        ("تعرض الحي لقصف في 5 آب أسفر عن جرحى.", "5 آب"),
        ("تعرض الحي لقصف في آب الماضي أسفر عن جرحى.", "آب الماضي"),
        ("تعرض الحي لقصف في آب 2020 أسفر عن جرحى.", "آب 2020"),
        ("تعرض الحي لقصف خلال شهر آب أسفر عن جرحى.", "شهر آب"),
        ("تعرض الحي لقصف في آب أسفر عن جرحى.", "آب"),
    ]:
        text, e = one(sentence)
        assert (span(text, e), e.month) == (norm(expected), 8)
    assert found("وقف الأب أمام باب المنزل مع الآباء وقرأ الكتاب 2020 مرة.")[1] == []
    assert found("قال إن أب الضحية وصل إلى المستشفى.")[1] == []


def test_ambiguous_tishreen_alone() -> None:
    text, e = one("اندلعت الاحتجاجات في تشرين واستمرت أسابيع.")
    assert (span(text, e), e.month) == (norm("تشرين"), None)
    assert resolve(e, REF).date is None


def test_adar_and_maris_verb() -> None:
    assert found("مارس الوفد ضغوطا كبيرة على الطرفين.")[1] == []
    text, e = one("مارس الوفد ضغوطا كبيرة في مارس الماضي.")
    assert (span(text, e), e.month) == ("مارس الماضي", 3)


def test_year_only() -> None:
    text, exprs = found("بدأت العملية عام 2017 وانتهت العام 2019.")
    assert [span(text, e) for e in exprs] == [norm("عام 2017"), norm("العام 2019")]
    r = resolve(exprs[0], REF)
    assert r == Resolved(None, "unknown", (D(2017, 1, 1), D(2017, 12, 31)))


def test_year_period_and_last_year() -> None:
    _, e = one("تصاعدت عمليات الخطف أواخر عام 2019 في المحافظة.")
    assert (e.year, e.period) == (2019, "end")
    assert resolve(e, None).window == (D(2019, 9, 1), D(2019, 12, 31))
    _, last = one("تراجعت عمليات الخطف العام الماضي في المحافظة.")
    assert (last.relative, last.relative_unit) == (-1, "year")
    assert resolve(last, REF) == Resolved(None, "unknown", (D(2020, 1, 1), D(2020, 12, 31)))


def test_last_week() -> None:
    _, e = one("شهد الأسبوع الماضي هدوءا حذرا على خطوط التماس.")
    assert (e.relative, e.relative_unit) == (-1, "week")
    assert resolve(e, REF) == Resolved(D(2021, 11, 27), "week", (D(2021, 11, 27), D(2021, 12, 3)))


@pytest.mark.parametrize(
    ("sentence", "expected_span"),
    [
        ("قُتل خمسة أشخاص خلال الساعات الماضية في حوادث متفرقة.", "خلال الساعات الماضية"),
        ("قُتل خمسة أشخاص خلال الساعات القليلة الماضية في حوادث متفرقة.", "خلال الساعات القليلة الماضية"),
        ("قُتل خمسة أشخاص في الساعات الأخيرة في حوادث متفرقة.", "في الساعات الأخيرة"),
        ("قُتل خمسة أشخاص خلال الساعات الفائتة في حوادث متفرقة.", "خلال الساعات الفائتة"),
        ("قُتل خمسة أشخاص خلال الـ 24 ساعة الماضية في حوادث متفرقة.", "خلال الـ 24 ساعة الماضية"),
        ("قُتل خمسة أشخاص خلال الـ24 ساعة الماضية في حوادث متفرقة.", "خلال الـ24 ساعة الماضية"),
    ],
)
def test_last_hours(sentence: str, expected_span: str) -> None:
    text, e = one(sentence)
    assert span(text, e) == norm(expected_span)
    assert (e.relative, e.relative_unit) == (0, "hours")
    assert resolve(e, REF) == Resolved(REF, "day", (D(2021, 12, 3), REF))
    assert resolve(e, None).date is None


def test_last_48_hours() -> None:
    _, e = one("سُجلت عشرات الخروقات خلال الـ48 ساعة الماضية.")
    r = resolve(e, REF)
    assert (r.date, r.precision, r.window) == (REF, "week", (D(2021, 12, 2), REF))


# --- since ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected_span"),
    [
        ("قُتل عشرون شخصا منذ مطلع الشهر الجاري في المحافظة.", "مطلع الشهر الجاري"),
        ("قُتل الآلاف منذ عام 2011 في البلاد.", "عام 2011"),
        ("تُغلق المعابر اعتبارا من 5 أيار أمام الشاحنات.", "5 أيار"),
        ("تُغلق المعابر ابتداء من يوم السبت أمام الشاحنات.", "يوم السبت"),
        ("يسري القرار من تاريخ 15 تموز 2022 على جميع المعابر.", "15 تموز 2022"),
        ("تراجعت الحوادث خلال الفترة الممتدة من مطلع أيار الفائت.", "مطلع أيار الفائت"),
        ("لم يتوقف القصف منذ صباح أمس على الأحياء.", "صباح أمس"),
        ("سُجلت 40 حادثة من 3 آب إلى 9 آب في الريف.", "3 آب"),
    ],
)
def test_since(sentence: str, expected_span: str) -> None:
    text, exprs = found(sentence)
    assert span(text, exprs[0]) == norm(expected_span)
    assert exprs[0].since


def test_since_period_start_and_end() -> None:
    text, exprs = found("خلال الفترة الممتدة من 1 كانون الثاني وحتى 31 آذار 2021 سُجلت 40 حادثة.")
    assert [(span(text, e), e.since) for e in exprs] == [
        (norm("1 كانون الثاني"), True), (norm("31 آذار 2021"), False)
    ]
    assert resolve(exprs[0], D(2021, 4, 2)).date == D(2021, 1, 1)  # since does not change resolution


def test_not_since_when_far_or_across_a_clause() -> None:
    _, e = one("أُطلق سراحه منذ سنوات، وقال أمس إنه تعرض للتعذيب.")
    assert not e.since
    _, e = one("وصلت القافلة أمس إلى المدينة المحاصرة.")
    assert not e.since


# --- no false dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "نشرت الصحيفة اليومية تقريرا مطولا عن الأوضاع.",
        "وصل المراسل إلى دير الزور 24 بعد رحلة طويلة.",
        "بثت قناة دير الزور 24 صورا للحريق.",
        "في اليوم الأول من المعركة سقط عدد من القتلى.",
        "سقط القتلى في اليوم التالي للهدنة.",
        "لا يزال النزاع مستمرا حتى اليوم في الشمال.",
        "استمر الحصار من مطلع الربيع وحتى اليوم.",
        "يعيش الناس في خوف حتى يومنا هذا.",
        "منذ ذلك اليوم لم يعد أحد إلى القرية.",
        "يتناول المرضى الدواء ثلاث مرات في اليوم.",
        "أكد الأمين العام الحالي للمنظمة قلقه من التصعيد.",
        "وقد غدا الوضع الإنساني أكثر صعوبة.",
        "غدا الوضع الإنساني أكثر صعوبة في المخيمات.",
        "أطلق المسلحون 12 قذيفة على 3 قرى.",
        "تضم القائمة 2000 اسم من المعتقلين.",
    ],
)
def test_no_false_dates(sentence: str) -> None:
    text, exprs = found(sentence)
    assert exprs == [], [span(text, e) for e in exprs]


def test_today_with_clitic_is_kept() -> None:
    text, e = one("واليوم أعلنت الفصائل وقف إطلاق النار.")
    assert (span(text, e), e.relative) == (norm("اليوم"), 0)


@pytest.mark.parametrize(
    ("sentence", "expected_span", "expected"),
    [
        ("ومساء أمس قصفت المدفعية أطراف الحي.", "مساء أمس", D(2021, 12, 3)),
        ("بالأمس سقط صاروخ على مستودع للحبوب.", "الأمس", D(2021, 12, 3)),
        ("اعتُقل قبل يومين ثلاثة شبان عند الحاجز.", "قبل يومين", D(2021, 12, 2)),
        ("شهدت ليل السبت - الأحد قصفا متقطعا.", "ليل السبت - الأحد", D(2021, 12, 4)),
        ("قُتل مدني في 3 الشهر الجاري بانفجار لغم.", "3 الشهر الجاري", D(2021, 12, 3)),
        ("قُتل مدني في 1 من هذا الشهر بانفجار لغم.", "1 من هذا الشهر", D(2021, 12, 1)),
        ("صدر الحكم في 2021/12/02 بحق المتهمين.", "2021/12/02", D(2021, 12, 2)),
        ("وفي صباح يوم الجمعة هاجم مسلحون دورية.", "صباح يوم الجمعة", D(2021, 12, 3)),
    ],
)
def test_more_forms(sentence: str, expected_span: str, expected: dt.date) -> None:
    text, e = one(sentence)
    assert span(text, e) == norm(expected_span)
    assert resolve(e, REF).date == expected


def test_year_after_preposition() -> None:
    text, exprs = found("في 2019 قُتل 300 شخص، وبحلول عام 2020 تضاعف العدد.")
    assert [(span(text, e), e.year) for e in exprs] == [("2019", 2019), (norm("عام 2020"), 2020)]


# --- a date the text does not fix stays unknown ----------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "قُتل شاب الجمعة برصاص قناص.",
        "قُتل شاب أمس برصاص قناص.",
        "قُتل شاب في 14 حزيران برصاص قناص.",
        "قُتل شاب الشهر الماضي برصاص قناص.",
        "قُتل شاب خلال الساعات الماضية برصاص قناص.",
        "قُتل شاب في حزيران الماضي برصاص قناص.",
    ],
)
def test_unfixed_dates_stay_unknown_without_ref(sentence: str) -> None:
    _, e = one(sentence)
    assert resolve(e, None) == Resolved(None, "unknown", None)


# --- data and speed -------------------------------------------------------------------------


def test_month_table_covers_every_month() -> None:
    from rasad.lang.patterns import named_numbers

    months, weekdays = named_numbers("months.tsv"), named_numbers("weekdays.tsv")
    assert set(months.values()) == set(range(13))  # 0: ambiguous names
    assert set(weekdays.values()) == set(range(7))
    assert months[norm("أيار")] == 5 and months[norm("كانون الأول")] == 12



def test_part_of_day_glued_to_a_comma_is_read() -> None:
    # a missing space after the comma: "استهدفت،ليل الثلاثاء" is still the night of Tuesday
    text, e = one("الضربة التي استهدفت،ليل الثلاثاء، مستودعا للأسلحة")
    assert e.part_of_day == "night" and e.weekday == 1 and span(text, e) == "ليل الثلاثاء"
    r = resolve(e, dt.date(2018, 5, 9))
    assert r.date == dt.date(2018, 5, 8) and r.part_of_day == "night"


@pytest.mark.parametrize("sentence,expected", [
    ("وأدت ضربة في التاسع من نيسان إلى مقتل سبعة", dt.date(2018, 4, 9)),
    ("اندلعت الاشتباكات في الحادي والعشرين من أيار 2017", dt.date(2017, 5, 21)),
    ("قُتل يوم الثاني عشر من شباط", dt.date(2018, 2, 12)),
    ("في الأول من آذار/مارس", dt.date(2018, 3, 1)),
])
def test_ordinal_days_in_words(sentence: str, expected: dt.date) -> None:
    assert day_of(sentence, dt.date(2018, 5, 9)) == expected


def test_an_ordinal_without_a_month_is_no_date() -> None:
    assert found("وصل الرتل الثاني من القوات إلى المدينة")[1] == []


@pytest.mark.parametrize(
    ("sentence", "day", "precision"),
    [
        ("قُتل ثلاثة عناصر في كمين قبل ثلاثة أيام", D(2022, 3, 6), "day"),
        ("انفجرت سيارة مفخخة قبل 5 أيام في المدينة", D(2022, 3, 4), "day"),
        ("شنت الطائرات غارات على البلدة قبل أسبوع", D(2022, 3, 2), "week"),
        ("وصل الرتل إلى القاعدة قبل ساعات", D(2022, 3, 9), "day"),
        ("سيطرت القوات على البلدة قبل شهرين", D(2022, 1, 1), "month"),
    ],
)
def test_time_ago_counts_back_from_the_report(sentence: str, day: dt.date, precision: str) -> None:
    _, e = one(sentence)
    r = resolve(e, D(2022, 3, 9), ())
    assert (r.date, r.precision) == (day, precision)


def test_time_ago_without_a_count_or_before_another_moment_is_no_date() -> None:
    assert found("تعرضت القرية لقصف قبل أيام")[1] == []
    assert found("وقع الانفجار قبل أسبوع من الانتخابات")[1] == []
    _, e = one("كان المطار هدفا لهجوم قبل عامين")
    assert resolve(e, D(2022, 3, 9), ()).window == (D(2020, 1, 1), D(2020, 12, 31))


def test_the_night_between_two_days_without_a_dash_keeps_the_first() -> None:
    text, e = one("شنت الطائرات غارة ليل الأحد الاثنين على البلدة")
    assert span(text, e) == norm("ليل الأحد الاثنين")
    assert resolve(e, D(2022, 3, 9), ()).date == D(2022, 3, 6) and e.part_of_day == "night"


# --- the same month -----------------------------------------------------------------------------


def test_day_of_the_same_month_takes_the_month_named_before() -> None:
    text, exprs = found(
        "وفي 14 أيلول الماضي انفجرت عبوة قرب الجسر. وفي 3 من الشهر نفسه سقطت قذيفة، وفي 9 من الشهر ذاته قصفت الطائرات."
    )
    ref = D(2021, 12, 4)
    days = [resolve(e, ref).date for e in exprs]
    assert days == [D(2021, 9, 14), D(2021, 9, 3), D(2021, 9, 9)]
    assert span(text, exprs[1]) == norm("3 من الشهر نفسه")


def test_day_of_the_same_month_with_no_month_before_is_this_month() -> None:
    assert day_of("وفي 2 من الشهر نفسه سقطت قذيفة على المدرسة.", D(2021, 12, 4)) == D(2021, 12, 2)


@pytest.mark.parametrize(("text", "reports"), [
    # a date after a reporting verb, before what is reported, dates the report
    ("قال المرصد أمس الثلاثاء إن خمسة مدنيين قتلوا", [True]),
    # a trigger word or a complementiser between the verb and the date: the date is the incident's
    ("قال المرصد إن خمسة مدنيين قتلوا أمس الثلاثاء", [False]),
    ("أفاد المرصد بمقتل خمسة مدنيين أمس الثلاثاء", [False]),
    # no reporting verb before it
    ("قُتل خمسة مدنيين أمس الثلاثاء بقصف على البلدة", [False]),
    # two dates: the first between the verb and what is reported, the second after the killing
    ("ذكر المرصد يوم الأربعاء أن غارة قتلت خمسة مدنيين يوم الاثنين", [True, False]),
])
def test_a_date_between_a_reporting_verb_and_the_report_dates_the_report(text: str, reports: list[bool]) -> None:
    from rasad.pipeline.mentions import report_dates

    t = norm(text)
    assert report_dates(t, 0, find_dates(t)) == reports
