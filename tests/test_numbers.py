"""Unit tests for rasad.pipeline.annotate.numbers on hand-written sentences."""

from __future__ import annotations

from importlib.resources import files

import pytest

from rasad.pipeline.annotate.numbers import Quantity, find_quantities, parse_number_words, read_figure
from rasad.pipeline.normalise import norm, normalise


def quantities(text: str) -> tuple[str, list[Quantity]]:
    n = normalise(text).text
    return n, find_quantities(n)


def only(text: str) -> tuple[str, Quantity]:
    n, qs = quantities(text)
    assert len(qs) == 1, [(n[q.start : q.end], q) for q in qs]
    return n, qs[0]


def span(n: str, q: Quantity) -> str:
    return n[q.start : q.end]


def num_span(n: str, q: Quantity) -> str:
    return n[q.num_start : q.num_end]


# --------------------------------------------------------------------------------------------- digits


def test_digits_with_counted_noun() -> None:
    n, q = only("قتل 17 عنصرا من قوات الحرس في الهجوم")
    assert (q.low, q.best, q.high, q.qualifier, q.kind) == (17, 17, 17, None, "digits")
    assert (q.noun, q.category) == (norm("عنصر"), "combatant")
    assert span(n, q) == "17 عنصرا"
    assert num_span(n, q) == "17"


def test_arabic_indic_and_persian_digits_map_back_to_original() -> None:
    text = "قُتل ١٧ عنصرًا وأصيب ۲۵ مدنيا"
    nd = normalise(text)
    qs = find_quantities(nd.text)
    assert [(q.best, q.noun) for q in qs] == [(17, norm("عنصر")), (25, norm("مدني"))]
    s, e = nd.orig_span(qs[0].start, qs[0].end)
    assert text[s:e] == "١٧ عنصرًا"
    s, e = nd.orig_span(qs[1].num_start, qs[1].num_end)
    assert text[s:e] == "۲۵"


@pytest.mark.parametrize(
    ("text", "value", "num"),
    [
        ("ارتفعت الحصيلة إلى 1,339 قتيلا", 1339, "1,339"),
        ("ارتفعت الحصيلة إلى 1339 قتيلا", 1339, "1339"),
        ("ارتفعت الحصيلة إلى ١٬٣٣٩ قتيلا", 1339, "1,339"),
        ("ارتفعت الحصيلة إلى 1.339 قتيلا", 1339, "1.339"),
        ("نزح 3 آلاف شخص من القرية", 3000, "3 الاف"),
        ("نزح 20 ألف مدني من القرية", 20000, "20 الف"),
        # thousands separators and decimal marks in both conventions
        ("بلغ عدد النازحين 1.250.000 نازح حتى الآن", 1250000, "1.250.000"),
        ("بلغ عدد النازحين 1,250,000 نازح حتى الآن", 1250000, "1,250,000"),
        ("نزح 2.5 ألف مدني من القرية", 2500, "2.5 الف"),
        ("نزح 2,5 ألف مدني من القرية", 2500, "2,5 الف"),
        ("نزح 1.500 ألف مدني من القرية", 1500, "1.500 الف"),
    ],
)
def test_digit_forms(text: str, value: int, num: str) -> None:
    n, q = only(text)
    assert (q.low, q.best, q.high, q.kind) == (value, value, value, "digits")
    assert num_span(n, q) == num


@pytest.mark.parametrize("text", ["رقم المعاملة 1.2.3 في السجل", "الإصدار 4,56,7 من البرنامج", "قتل 1.500,5 شخص"])
def test_figures_with_malformed_separators_are_skipped_not_fatal(text: str) -> None:
    assert quantities(text)[1] == []


def test_read_figure_tolerates_both_conventions() -> None:
    assert read_figure("1.500.000") == (1500000.0, True, None)
    assert read_figure("1,339") == (1339.0, True, None)
    assert read_figure("1.500") == (1500.0, True, 1.5)
    assert read_figure("2,5") == (2.5, False, 2.5)
    assert read_figure("1,500.25") == (1500.25, False, 1500.25)
    assert read_figure("1.500,25") == (1500.25, False, 1500.25)
    assert read_figure("1.2.3") is None


def test_number_without_noun_is_still_returned() -> None:
    n, q = only("وارتفع العدد إلى 12 بحسب المصدر")
    assert (q.best, q.noun, q.category) == (12, None, None)
    assert span(n, q) == "12"


# --------------------------------------------------------------------------------------------- words

WORD_CASES = [
    # units, masculine / feminine, cases
    ("قتل ثلاثة جنود", 3, "جندي"),
    ("أصيبت ثلاث نساء", 3, "امرأة"),
    ("قتل اثنان من المسلحين", 2, "مسلح"),
    ("اعتقل اثنين من الرعاة", 2, "راعي"),
    ("أصيبت اثنتان من الفتيات", 2, "فتاة"),
    ("أسرت اثنتين من الممرضات", 2, "ممرضة"),
    ("قتلت واحدة من النساء", 1, "امرأة"),
    ("مقتل أربعة أطفال", 4, "طفل"),
    ("مقتل أربع سيدات", 4, "سيدة"),
    ("إصابة خمسة أشخاص", 5, "شخص"),
    ("إصابة خمس فتيات", 5, "فتاة"),
    ("مقتل ستة مدنيين", 6, "مدني"),
    ("مقتل ست نساء", 6, "امرأة"),
    ("مقتل سبعة عناصر", 7, "عنصر"),
    ("مقتل ثمانية ضباط", 8, "ضابط"),
    ("مقتل ثماني نساء", 8, "امرأة"),
    ("مقتل تسعة رجال", 9, "رجل"),
    ("مقتل عشرة جنود", 10, "جندي"),
    ("مقتل عشر نساء", 10, "امرأة"),
    # teens
    ("مقتل أحد عشر شخصا", 11, "شخص"),
    ("مقتل إحدى عشرة امرأة", 11, "امرأة"),
    ("مقتل اثنا عشر مقاتلا", 12, "مقاتل"),
    ("مقتل اثني عشر جنديا", 12, "جندي"),
    ("مقتل اثنتي عشرة فتاة", 12, "فتاة"),
    ("مقتل ثلاثة عشر مدنيا", 13, "مدني"),
    ("مقتل خمس عشرة سيدة", 15, "سيدة"),
    ("مقتل تسعة عشر عنصرا", 19, "عنصر"),
    # tens
    ("مقتل عشرون شخصا", 20, "شخص"),
    ("مقتل عشرين مدنيا", 20, "مدني"),
    ("مقتل ثلاثين عنصرا", 30, "عنصر"),
    ("مقتل أربعون جنديا", 40, "جندي"),
    ("مقتل خمسين مسلحا", 50, "مسلح"),
    ("مقتل ستين شخصا", 60, "شخص"),
    ("مقتل سبعون مقاتلا", 70, "مقاتل"),
    ("مقتل ثمانين مدنيا", 80, "مدني"),
    ("مقتل تسعين عنصرا", 90, "عنصر"),
    # hundreds
    ("مقتل مئة شخص", 100, "شخص"),
    ("مقتل مائة شخص", 100, "شخص"),
    ("مقتل مئتي شخص", 200, "شخص"),
    ("مقتل مئتان من العناصر", 200, "عنصر"),
    ("مقتل ثلاثمئة مقاتل", 300, "مقاتل"),
    ("مقتل ثلاث مئة مقاتل", 300, "مقاتل"),
    ("مقتل خمسمائة جندي", 500, "جندي"),
    ("مقتل ثمانمئة شخص", 800, "شخص"),
    # thousands
    ("نزوح ألف شخص", 1000, "شخص"),
    ("نزوح ألفين من المدنيين", 2000, "مدني"),
    ("نزوح ثلاثة آلاف مدني", 3000, "مدني"),
    ("نزوح عشرة آلاف شخص", 10000, "شخص"),
    ("نزوح خمسة وعشرين ألف شخص", 25000, "شخص"),
    ("نزوح مئة ألف شخص", 100000, "شخص"),
    # compounds with و
    ("مقتل خمسة وعشرين عنصرا", 25, "عنصر"),
    ("مقتل خمسة و عشرين عنصرا", 25, "عنصر"),
    ("مقتل واحد وعشرين مدنيا", 21, "مدني"),
    ("مقتل مئة وخمسة وأربعين شخصا", 145, "شخص"),
    ("مقتل ثلاثمئة وعشرة أشخاص", 310, "شخص"),
    ("أسر ألف ومئتين وخمسين عنصرا", 1250, "عنصر"),
    ("نزوح ثلاثة آلاف وخمسمئة طفل", 3500, "طفل"),
]


@pytest.mark.parametrize(("text", "value", "noun"), WORD_CASES)
def test_number_words(text: str, value: int, noun: str | None) -> None:
    n, q = only(text)
    assert (q.low, q.best, q.high, q.qualifier, q.kind) == (value, value, value, None, "words")
    assert q.noun == (norm(noun) if noun else None)
    # the span runs from the number (after the word مقتل etc.) to the end of the sentence
    first = norm(text).split(" ", 1)[1]
    assert span(n, q) == first


def test_number_word_spans() -> None:
    n, q = only("قتل مئة وخمسة وأربعون مدنيا في الغارات")
    assert span(n, q) == norm("مئة وخمسة وأربعون مدنيا")
    assert num_span(n, q) == norm("مئة وخمسة وأربعون")
    assert (q.noun, q.category) == (norm("مدني"), "civilian")


def test_one_and_two_after_the_noun() -> None:
    n, qs = quantities("قتل عنصر واحد ومدنيان اثنان وعسكريين اثنين")
    assert [(span(n, q), q.best, q.noun) for q in qs] == [
        (norm("عنصر واحد"), 1, norm("عنصر")),
        (norm("مدنيان اثنان"), 2, norm("مدني")),
        (norm("عسكريين اثنين"), 2, norm("عسكري")),
    ]


@pytest.mark.parametrize(
    ("text", "covered"),
    [
        ("قالت المصادر إن شابا واحدا على الأقل قتل في القصف", "شابا واحدا علي الاقل"),
        ("أصابت القذيفة عنصرا واحدا من الحرس", "عنصرا واحدا"),
    ],
)
def test_accusative_one_after_the_noun(text: str, covered: str) -> None:
    n, q = only(text)
    assert (q.best, span(n, q)) == (1, covered)


def test_bare_wahid_is_not_a_count() -> None:
    assert quantities("بعد يوم واحد وفي آن واحد")[1] == []
    n, q = only("وقتل واحد من العناصر")
    assert (q.best, span(n, q)) == (1, norm("واحد من العناصر"))


# --------------------------------------------------------------------------------------------- parse_number_words


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("مئة وخمسة وأربعون", 145),
        ("ثلاثة", 3),
        ("ثلاث", 3),
        ("اثنتين", 2),
        ("أحد عشر", 11),
        ("اثنتا عشرة", 12),
        ("سبعة عشر", 17),
        ("تسعين", 90),
        ("ثلاث مئة", 300),
        ("ستمائة", 600),
        ("مئتان وخمسون", 250),
        ("ألف", 1000),
        ("ألفان", 2000),
        ("أربعة آلاف", 4000),
        ("خمسة وعشرون ألفا", 25000),
        ("ألف وتسعمئة وثمانية وستون", 1968),
        ("ثلاثة آلاف وخمسمائة وواحد", 3501),
        ("1,339", 1339),
        ("42", 42),
    ],
)
def test_parse_number_words(words: str, value: int) -> None:
    assert parse_number_words(words) == value


@pytest.mark.parametrize("words", ["", "عنصر", "عشرات", "خمسة عناصر", "عشرون وخمسة وثلاثون", "أحد", "آلاف"])
def test_parse_number_words_rejects(words: str) -> None:
    assert parse_number_words(words) is None


# --------------------------------------------------------------------------------------------- duals


@pytest.mark.parametrize(
    ("word", "lemma", "category"),
    [
        ("عنصران", "عنصر", "combatant"),
        ("عنصرين", "عنصر", "combatant"),
        ("جنديان", "جندي", "combatant"),
        ("جنديين", "جندي", "combatant"),
        ("طفلين", "طفل", "civilian"),
        ("امرأتين", "امرأة", "civilian"),
        ("سيدتين", "سيدة", "civilian"),
        ("شخصين", "شخص", "person"),
        ("ضابطين", "ضابط", "combatant"),
        ("فردين", "فرد", "person"),
        ("رجلين", "رجل", "person"),
        ("قتيلين", "قتيل", "killed"),
        ("جريحين", "جريح", "wounded"),
        ("ضحيتين", "ضحية", "killed"),
    ],
)
def test_dual_noun_is_two(word: str, lemma: str, category: str) -> None:
    n, q = only(f"وأسفر القصف عن {word} في البلدة")
    assert (q.low, q.best, q.high, q.kind) == (2, 2, 2, "dual")
    assert (q.noun, q.category) == (norm(lemma), category)
    assert span(n, q) == num_span(n, q) == norm(word)


@pytest.mark.parametrize("word", ["مدنيين", "مقاتلين", "مسلحين", "عسكريين", "مزارعين", "صحفيين"])
def test_sound_plural_is_not_a_dual(word: str) -> None:
    assert quantities(f"واستهدف القصف {word} في البلدة")[1] == []


def test_dual_with_article_clitic_and_two() -> None:
    n, qs = quantities("وقتل الجنديين وأصيب طفلين اثنين ورجلين آخرين")
    assert [(span(n, q), q.best) for q in qs] == [
        (norm("الجنديين"), 2),
        (norm("طفلين اثنين"), 2),
        (norm("رجلين آخرين"), 2),
    ]


def test_dual_construct_form() -> None:
    n, q = only("وقتل عنصرا الدورية في الكمين")
    assert (q.kind, q.best, span(n, q)) == ("dual", 2, norm("عنصرا"))
    # an accusative singular is one person, not a dual
    assert quantities("قتلت القوات عنصرا من الجيش")[1] == []
    assert quantities("قتلت القوات شابا اليوم")[1] == []


# --------------------------------------------------------------------------------------------- qualifiers

QUALIFIER_CASES = [
    ("أكثر من", "more_than", 21, 21, None),
    ("ما يزيد عن", "more_than", 21, 21, None),
    ("ما يزيد على", "more_than", 21, 21, None),
    ("أزيد من", "more_than", 21, 21, None),
    ("ما لا يقل عن", "at_least", 20, 20, None),
    ("لا يقل عن", "at_least", 20, 20, None),
    ("على الأقل", "at_least", 20, 20, None),
    ("نحو", "about", 20, 20, 20),
    ("قرابة", "about", 20, 20, 20),
    ("قرابة الـ", "about", 20, 20, 20),
    ("حوالي", "about", 20, 20, 20),
    ("حوالى", "about", 20, 20, 20),
    ("زهاء", "about", 20, 20, 20),
    ("ما يقارب", "about", 20, 20, 20),
    ("نحو من", "about", 20, 20, 20),
    ("أقل من", "less_than", 1, None, 19),
    ("ما لا يزيد عن", "at_most", 1, None, 20),
    ("لا يتجاوز", "at_most", 1, None, 20),
]


@pytest.mark.parametrize(("qual", "name", "low", "best", "high"), QUALIFIER_CASES)
@pytest.mark.parametrize("number", ["20", "عشرين"])
def test_qualifiers(qual: str, name: str, low: int, best: int | None, high: int | None, number: str) -> None:
    n, q = only(f"قتل {qual} {number} شخصا في الغارة")
    assert (q.qualifier, q.low, q.best, q.high) == (name, low, best, high)
    assert span(n, q) == norm(f"{qual} {number} شخصا")
    assert num_span(n, q) == norm(number)
    assert q.kind == ("digits" if number.isdigit() else "words")


def test_qualifier_with_clitic() -> None:
    n, q = only("وقتل ما لا يقل عن 5 عناصر ولأكثر من ساعة")
    assert (q.qualifier, q.best) == ("at_least", 5)
    n, q = only("وارتفعت الحصيلة لأكثر من 30 قتيلا")
    assert (q.qualifier, q.low, span(n, q)) == ("more_than", 31, norm("أكثر من 30 قتيلا"))
    n, q = only("قدرت الحصيلة بنحو 40 قتيلا")
    assert (q.qualifier, span(n, q)) == ("about", norm("نحو 40 قتيلا"))


@pytest.mark.parametrize(
    ("text", "name", "covered"),
    [
        ("قتل 12 مدنيا على الأقل في القصف", "at_least", "12 مدنيا على الأقل"),
        ("قتل 12 على الأقل من المدنيين", "at_least", "12 على الأقل من المدنيين"),
        ("قتل 12 مدنيا تقريبا", "about", "12 مدنيا تقريبا"),
    ],
)
def test_trailing_qualifier(text: str, name: str, covered: str) -> None:
    n, q = only(text)
    assert (q.qualifier, q.best, q.noun) == (name, 12, norm("مدني"))
    assert span(n, q) == norm(covered)


# --------------------------------------------------------------------------------------------- vague counts


@pytest.mark.parametrize(
    ("text", "low", "covered", "noun"),
    [
        ("سقط عشرات المدنيين", 20, "عشرات المدنيين", "مدني"),
        ("سقط العشرات في القصف", 20, "العشرات", None),
        ("سقط عشرات من المدنيين", 20, "عشرات من المدنيين", "مدني"),
        ("اعتقل المئات من الشبان", 200, "المئات من الشبان", "شاب"),
        ("نزح مئات المدنيين", 200, "مئات المدنيين", "مدني"),
        ("نزح آلاف الأطفال", 2000, "آلاف الأطفال", "طفل"),
        ("نزح عشرات الآلاف من المدنيين", 20000, "عشرات الآلاف من المدنيين", "مدني"),
        ("اعتقل عدد من الشبان", 2, "عدد من الشبان", "شاب"),
        ("أصيب عدة أشخاص", 3, "عدة أشخاص", "شخص"),
        ("أصيب بضعة عناصر", 3, "بضعة عناصر", "عنصر"),
        ("أصيبت بضع نساء", 3, "بضع نساء", "امرأة"),
        ("ووصل بالعشرات", 20, "العشرات", None),
    ],
)
def test_vague_counts(text: str, low: int, covered: str, noun: str | None) -> None:
    n, q = only(text)
    assert (q.low, q.best, q.high, q.qualifier, q.kind) == (low, None, None, None, "vague")
    assert q.noun == (norm(noun) if noun else None)
    assert span(n, q) == norm(covered)


@pytest.mark.parametrize(
    "text",
    [
        "وقال بعده إن الاتفاق انهار",
        "وعده بالإفراج عن المعتقلين",
        "ارتفع عدد القتلى بحسب المرصد",
        "استمر القصف عدة أيام",
        "على بعد عشرات الكيلومترات",
        "خسائر بمئات الدولارات",
    ],
)
def test_not_vague(text: str) -> None:
    assert quantities(text)[1] == []


# --------------------------------------------------------------------------------------------- plurals without a figure


def test_casualty_plurals_without_figure() -> None:
    n, qs = quantities("ما أدى إلى سقوط قتلى وجرحى وإصابة آخرين")
    assert [(span(n, q), q.noun, q.category, q.low, q.best, q.high, q.kind) for q in qs] == [
        (norm("قتلى"), norm("قتيل"), "killed", 3, None, None, "plural"),
        (norm("جرحى"), norm("جريح"), "wounded", 3, None, None, "plural"),
        (norm("آخرين"), norm("آخر"), "person", 3, None, None, "plural"),
    ]


@pytest.mark.parametrize(("word", "category"), [("ضحايا", "killed"), ("مصابين", "wounded"), ("شهداء", "killed")])
def test_other_casualty_plurals(word: str, category: str) -> None:
    n, q = only(f"وأسفر الانفجار عن {word} بين السكان")
    assert (q.kind, q.low, q.category) == ("plural", 3, category)


def test_others_after_plural_noun_take_its_lemma() -> None:
    n, q = only("وإصابة مدنيين آخرين")
    assert (span(n, q), q.noun, q.category) == (norm("مدنيين آخرين"), norm("مدني"), "civilian")


def test_plain_plurals_and_definite_casualties_are_not_counts() -> None:
    assert quantities("اعتقال مدنيين وعناصر وأطفال ونساء")[1] == []
    assert quantities("نقل القتلى والجرحى والمصابين إلى المستشفى")[1] == []


def test_others_after_a_number_are_the_noun() -> None:
    n, qs = quantities("قتل 3 عناصر آخرين وأصيب 4 آخرون")
    assert [(span(n, q), q.best, q.noun) for q in qs] == [
        (norm("3 عناصر آخرين"), 3, norm("عنصر")),
        (norm("4 آخرون"), 4, norm("آخر")),
    ]


# --------------------------------------------------------------------------------------------- not people counts


@pytest.mark.parametrize(
    "text",
    [
        "وفي عام 2011 بدأت الاحتجاجات",
        "منذ العام 2015 والمدينة محاصرة",
        "منذ 2014 والمدينة محاصرة",
        "وقع الهجوم في آذار 2016 قرب الحدود",
        "وقع الهجوم في 15 أيار الماضي",
        "وقع الهجوم في 3 تشرين الثاني",
        "وقع الهجوم يوم 12 يناير",
        "وقع الهجوم بتاريخ 12/5/2023",
        "وقع الهجوم عند الساعة 10 صباحا",
        "وقع الهجوم عند 10:30 ليلا",
        "على بعد 20 كم من المدينة",
        "على بعد 20 كيلومترا من المدينة",
        "على بعد 300 متر من المدينة",
        "فدية قدرها 500 دولار",
        "غرامة 3 ملايين ليرة",
        "بكلفة 2 مليار دينار",
        "بنسبة 10% من السكان",
        "بنسبة 10 بالمئة من السكان",
        "بنسبة 10 في المئة من السكان",
        "استمر الحصار 48 ساعة",
        "استمر الحصار 3 أيام",
        "استمر الحصار 5 أشهر",
        "استمر الحصار 4 سنوات",
        "استمر الحصار ثلاثة أسابيع",
        "استمر القتال عشرة أيام",
        "تكرر القصف 7 مرات",
        "عناصر من الفرقة 17",
        "عناصر من اللواء 93",
        "عناصر من الفوج 46",
        "عناصر من الكتيبة 5",
        "عناصر من الفرقة الـ17",
        "عناصر من الفرقة السابعة عشرة",
        "في الذكرى الحادية والعشرين للمجزرة",
        "قصفت طائرة ميغ 23 المدينة",
        "قصفت طائرات إف-16 المدينة",
        "اتصلوا على الرقم 0933123456",
        "اتصلوا على 0933123456",
        "يوم الاثنين قصفت الطائرات",
        "يوم الثلاثاء والأحد والخميس",
        "لست أدري ما حدث",
        "استهدف القصف ستهدف",
        "في عام ألفين وأربعة عشر",
        "نزح نحو 1.5 مليون شخص",
    ],
)
def test_excluded(text: str) -> None:
    assert quantities(text)[1] == []


def test_year_like_number_with_person_noun_is_kept() -> None:
    n, q = only("نزح 2000 شخص من الحي")
    assert (q.best, q.noun) == (2000, norm("شخص"))


def test_word_number_before_digits_is_a_verb() -> None:
    n, q = only("القاعة تسع 500 شخص")
    assert (q.best, span(n, q)) == (500, norm("500 شخص"))


# --------------------------------------------------------------------------------------------- clitics and boundaries


@pytest.mark.parametrize(
    ("text", "value", "num"),
    [
        ("قتل عنصر وثلاثة مدنيين", 3, "ثلاثه"),
        ("فخمسة منهم أطفال", 5, "خمسه"),
        ("أصيب بثلاثة جروح", 3, "ثلاثه"),
        ("ارتفع العدد لـ 5 أشخاص", 5, "5"),
        ("ارتفع العدد لـ5 أشخاص", 5, "5"),
        ("قدرت الحصيلة بـ4 قتلى", 4, "4"),
        ("وارتفعت الحصيلة إلى الـ 30 قتيلا", 30, "30"),
    ],
)
def test_proclitics(text: str, value: int, num: str) -> None:
    n, q = only(text)
    assert q.best == value
    assert num_span(n, q) == num
    assert q.start == q.num_start  # the clitic letter is not part of the span


def test_counted_noun_with_article_and_pronoun_suffix() -> None:
    n, qs = quantities("قتل 3 من عناصر الجيش و4 من عناصرها وخمسة من مقاتليه وستة من الجنود")
    assert [(span(n, q), q.noun) for q in qs] == [
        (norm("3 من عناصر"), norm("عنصر")),
        (norm("4 من عناصرها"), norm("عنصر")),
        (norm("خمسة من مقاتليه"), norm("مقاتل")),
        (norm("ستة من الجنود"), norm("جندي")),
    ]


def test_noun_after_number_takes_no_conjunction() -> None:
    n, qs = quantities("قتل 5 وعنصر آخر")
    assert [(span(n, q), q.noun) for q in qs] == [("5", None)]


@pytest.mark.parametrize("text", ["الخمسينيات", "العشراتية", "ثلاثي الأبعاد", "الستة", "الثلاثاء", "الأربعاء"])
def test_no_match_inside_longer_words(text: str) -> None:
    assert quantities(text)[1] == []


def test_casualty_words_as_counted_nouns() -> None:
    n, qs = quantities("سقط 20 قتيلا و15 جريحا و3 شهداء و7 مصابين وخمس جثث")
    assert [(q.best, q.noun, q.category) for q in qs] == [
        (20, norm("قتيل"), "killed"),
        (15, norm("جريح"), "wounded"),
        (3, norm("شهيد"), "killed"),
        (7, norm("مصاب"), "wounded"),
        (5, norm("جثة"), "killed"),
    ]


# --------------------------------------------------------------------------------------------- whole text


PARAGRAPH = (
    "قالت مصادر محلية إن ١٢ عنصرًا من قوات الأمن قُتلوا وأصيب أكثر من عشرين مدنيا بينهم طفلان، "
    "في هجوم استهدف حاجزا للفرقة 17 صباح الأحد 5 أيار 2019 على بعد 10 كم من المدينة. "
    "وأضافت أن عشرات العائلات نزحت، وأن عدد القتلى مرشح للارتفاع مع وجود جرحى في حالة حرجة."
)


def test_paragraph_sorted_and_non_overlapping() -> None:
    n, qs = quantities(PARAGRAPH)
    assert [(q.kind, q.best, q.low, q.noun) for q in qs] == [
        ("digits", 12, 12, norm("عنصر")),
        ("words", 21, 21, norm("مدني")),
        ("dual", 2, 2, norm("طفل")),
        ("vague", None, 20, None),
        ("plural", None, 3, norm("جريح")),
    ]
    assert all(a.end <= b.start for a, b in zip(qs, qs[1:], strict=False))
    assert all(q.start <= q.num_start <= q.num_end <= q.end for q in qs)


def test_empty_and_number_free_text() -> None:
    assert find_quantities("") == []
    assert quantities("قصفت الطائرات مواقع في ريف المدينة")[1] == []


def test_person_noun_file() -> None:
    raw = (files("rasad") / "data" / "person_nouns.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in raw.splitlines() if line.strip() and not line.startswith("#")]
    assert len(rows) >= 40
    assert all(len(r) == 3 for r in rows)
    assert {r[2] for r in rows} == {"combatant", "civilian", "person", "killed", "wounded"}
    assert raw.startswith("#")


def test_a_dual_told_only_by_its_vowels_is_two() -> None:
    from rasad.pipeline.normalise import vowelled_duals

    n = normalise("قتل مدنيَّيْن وأصيب مدنيِّين")
    qs = find_quantities(n.text, vowelled_duals(n))
    assert [(q.low, q.best, q.kind) for q in qs] == [(2, 2, "dual")]  # the plural's vowels: no figure
    assert find_quantities(n.text) == []  # without the vowels it is read as the plural


@pytest.mark.parametrize(("sentence", "value", "category"), [
    ("وقال إن بعض المصابين الخمسين في حالة خطرة", 50, "wounded"),
    ("دفن القرويون المدنيين السبعة أمس", 7, "civilian"),
])
def test_a_number_with_the_article_after_its_definite_noun(sentence: str, value: int, category: str) -> None:
    qs = find_quantities(norm(sentence))
    assert [(q.low, q.best, q.category) for q in qs] == [(value, value, category)]


@pytest.mark.parametrize("sentence", [
    "اجتمع الوزراء الثلاثة",  # no person noun rasad counts
    "قتل جنود الخميس",  # a weekday, not a number
    "قتل الجنود الثلاثة والعشرون",  # a compound this reading does not add up
    "وصل المدنيين الاثنين",  # the day Monday
])
def test_no_definite_number_without_its_definite_plural(sentence: str) -> None:
    assert find_quantities(norm(sentence)) == []
