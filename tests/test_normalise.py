"""Tests for rasad.pipeline.normalise: the orthographic rules and the offset map back to the original.

Every Arabic sentence here is written for these tests. `hypothesis` is not installed in the
project's environment, so the property tests draw their strings from `random.Random(seed)`:
deterministic, yet covering thousands of mixed strings.
"""

from __future__ import annotations

import random
import re

import pytest

from rasad.pipeline.normalise import Normalised, norm, normalise, rx

FATHA, DAMMA, KASRA, SHADDA, SUKUN, TANWIN_FATH, DAGGER_ALEF = (
    "\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b", "\u0670",
)
TATWEEL = "\u0640"
ZWNJ, ZWJ, LRM, RLM, BOM = "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff"


def check_map(n: Normalised) -> None:
    """Every span of the normalised text maps back to original text that normalises to it."""
    assert n.orig(0) >= 0
    assert n.orig(len(n.text)) <= len(n.original)
    for m in re.finditer(r"\w+", n.text):
        s, e = n.orig_span(m.start(), m.end())
        assert 0 <= s < e <= len(n.original)
        assert norm(n.original[s:e]) == m.group(), (n.original, m.group(), n.original[s:e])


# --------------------------------------------------------------------------------------------- letters


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("أحمد", "احمد"),
        ("إدلب", "ادلب"),
        ("آبار", "ابار"),
        ("ٱلقرية", "القريه"),
        ("مؤسسة", "موسسه"),
        ("رئيس", "رييس"),
        ("طائرة", "طايره"),
        ("مدينة", "مدينه"),
        ("مستشفى", "مستشفي"),
        ("على", "علي"),
        ("ی", "ي"),  # Persian yeh
        ("ک", "ك"),  # keheh
    ],
)
def test_letter_variants(written: str, expected: str) -> None:
    assert norm(written) == expected
    n = normalise(written)
    assert n.text == expected
    assert len(n.text) == len(written)  # one letter for one letter: the map is the identity
    assert [n.orig(i) for i in range(len(n.text) + 1)] == list(range(len(written) + 1))


def test_hamza_forms_in_a_sentence() -> None:
    text = "أعلنت إدارة المنطقة أنّ آليات الجيش انسحبت، وأكد مسؤول أن الطائرات ستعود."
    assert norm(text) == "اعلنت اداره المنطقه ان اليات الجيش انسحبت، واكد مسوول ان الطايرات ستعود."


# --------------------------------------------------------------------------------------------- diacritics


def test_diacritics_removed() -> None:
    text = f"قُتِلَ ثلاثةٌ{SHADDA} وجُرِحَ عشرةً{SUKUN} هٰذا"
    assert norm(text) == "قتل ثلاثه وجرح عشره هذا"
    for mark in (FATHA, DAMMA, KASRA, SHADDA, SUKUN, TANWIN_FATH, DAGGER_ALEF, "\u064c", "\u064d", "\u0653"):
        assert norm("ب" + mark + "ت") == "بت", hex(ord(mark))


def test_diacritics_map_back_to_the_written_word() -> None:
    text = "أَفادَ مُراسِلُنا بِسُقوطِ قَذيفَتَيْنِ على السّوق."
    n = normalise(text)
    assert n.text == "افاد مراسلنا بسقوط قذيفتين علي السوق."
    m = re.search("قذيفتين", n.text)
    assert m is not None
    s, e = n.orig_span(m.start(), m.end())
    assert text[s:e] == "قَذيفَتَيْن"  # the final kasra is after the last kept letter
    m = re.search("السوق", n.text)
    assert m is not None
    s, e = n.orig_span(*m.span())
    assert text[s:e] == "السّوق"


# --------------------------------------------------------------------------------------------- tatweel


def test_tatweel_inside_words_removed() -> None:
    text = "هجـــوم بطـائرة مسيّـرة على قريـة"
    assert norm(text) == "هجوم بطايره مسيره علي قريه"
    n = normalise(text)
    check_map(n)
    m = re.search("هجوم", n.text)
    assert m is not None
    assert text[slice(*n.orig_span(*m.span()))] == "هجـــوم"


def test_tatweel_at_word_edges_removed() -> None:
    assert norm(f"بـ{TATWEEL} قصف") == "ب قصف"
    assert norm("لـالمدينة") == "لالمدينه"
    assert norm(f"{TATWEEL}قصف") == "قصف"


def test_tatweel_between_spaces_is_a_dash() -> None:
    text = f"درعا {TATWEEL} قال ناشطون إن القصف استمر"
    assert norm(text) == "درعا - قال ناشطون ان القصف استمر"
    n = normalise(text)
    i = n.text.index("-")
    assert text[n.orig(i)] == TATWEEL
    check_map(n)


@pytest.mark.parametrize("dash", [TATWEEL * 2, TATWEEL * 3])
def test_several_tatweels_between_spaces_are_a_dash(dash: str) -> None:
    out = norm(f"درعا {dash} قال ناشطون إن القصف استمر")
    assert re.fullmatch("درعا -+ قال ناشطون ان القصف استمر", out), out


def test_tatweel_alone_is_a_dash() -> None:
    assert norm(TATWEEL) == "-"
    assert norm(f"\n{TATWEEL}\n") == "\n-\n"


# --------------------------------------------------------------------------------------------- punctuation


@pytest.mark.parametrize("quote", ["“", "”", "«", "»", "‘", "’", "„", "‹", "›"])
def test_quotes_become_ascii_double_quote(quote: str) -> None:
    assert norm(quote) == '"'
    assert norm(f"نقلت شبكة {quote}الرصد{quote} عن مصادر") == 'نقلت شبكه "الرصد" عن مصادر'


def test_mixed_quotes_in_a_sentence() -> None:
    assert norm("قال «المصدر» إن “الوضع” هادئ و‘حذر’") == 'قال "المصدر" ان "الوضع" هادي و"حذر"'


@pytest.mark.parametrize("dash", ["–", "—", "‒", "−", "―", "‐", "‑"])
def test_dashes_become_hyphen(dash: str) -> None:
    assert norm(f"حلب {dash} حماة") == "حلب - حماه"


def test_exotic_spaces_become_plain_spaces() -> None:
    assert norm("ريف\u00a0حلب\u2009الغربي\u202fاليوم\tمساء") == "ريف حلب الغربي اليوم مساء"


# --------------------------------------------------------------------------------------------- digits


def test_arabic_indic_digits() -> None:
    assert norm("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert norm("قتل ١٢ عنصرا في ٢٠٢١") == "قتل 12 عنصرا في 2021"


def test_persian_digits() -> None:
    assert norm("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert norm("أصيب ۲۵ شخصا") == "اصيب 25 شخصا"


def test_arabic_decimal_and_thousands_separators() -> None:
    assert norm("٣٫٥ كيلومتر") == "3.5 كيلومتر"
    assert norm("١٬٣٣٩ قتيلا") == "1,339 قتيلا"


def test_digits_map_one_to_one() -> None:
    text = "سقط ٣ قتلى و۱۴ جريحا"
    n = normalise(text)
    m = re.search(r"\d+", n.text[10:])
    assert m is not None
    s, e = n.orig_span(10 + m.start(), 10 + m.end())
    assert text[s:e] == "۱۴"


# --------------------------------------------------------------------------------------------- ligatures


@pytest.mark.parametrize("lig", ["ﻻ", "ﻼ", "ﻷ", "ﻸ", "ﻹ", "ﻺ", "ﻵ", "ﻶ"])
def test_lam_alef_ligatures_expand(lig: str) -> None:
    assert norm(lig) == "لا"
    assert norm(f"ا{lig}تفاق") == "الاتفاق"


def test_ligature_offsets() -> None:
    text = "ﻻ تزال الاشتباكات مستمرة في البلدة و\u200cﻷسباب مجهولة"
    n = normalise(text)
    assert n.text == "لا تزال الاشتباكات مستمره في البلده ولاسباب مجهوله"
    assert len(n.text) == len(text) + 2 - 1  # two ligatures expanded, one ZWNJ dropped
    # the two letters of an expanded ligature both map to the ligature
    assert n.orig(0) == n.orig(1) == 0
    assert n.orig(2) == 1
    m = re.search("الاشتباكات", n.text)
    assert m is not None
    assert text[slice(*n.orig_span(*m.span()))] == "الاشتباكات"
    m = re.search("لاسباب", n.text)
    assert m is not None
    assert text[slice(*n.orig_span(*m.span()))] == "ﻷسباب"
    assert n.orig(len(n.text)) == len(text)
    check_map(n)


# --------------------------------------------------------------------------------------------- invisible marks


@pytest.mark.parametrize("mark", [ZWNJ, ZWJ, LRM, RLM, BOM, "\u200b", "\u202b", "\u202c", "\u2067", "\u2069"])
def test_invisible_marks_removed(mark: str) -> None:
    text = f"{mark}قصف{mark} مدفعي على حي{mark}\u0651 سكني{mark}"
    n = normalise(text)
    assert n.text == "قصف مدفعي علي حي سكني"
    check_map(n)
    m = re.search("سكني", n.text)
    assert m is not None
    assert text[slice(*n.orig_span(*m.span()))] == "سكني"


# --------------------------------------------------------------------------------------------- the offset map


def test_identity_map_for_plain_text() -> None:
    text = "قصف مدفعي على بلدة في ريف حماة"  # letters change, but one for one
    n = normalise(text)
    assert n.text == "قصف مدفعي علي بلده في ريف حماه"
    assert all(n.orig(i) == i for i in range(len(text) + 1))
    assert n.orig_span(4, 9) == (4, 9)


def test_orig_is_monotonic_and_ends_at_the_end() -> None:
    text = f"{BOM}قُتِـلَ ﻻجئ{ZWJ} في «مُخيّم» الـركبان ٤ــ{SHADDA}"
    n = normalise(text)
    offsets = [n.orig(i) for i in range(len(n.text) + 1)]
    assert offsets == sorted(offsets)
    assert offsets[-1] <= len(text)
    check_map(n)


def test_words_of_a_written_report_map_back() -> None:
    text = (
        f"دمشق {TATWEEL} أفادَ «المرصدُ السوريّ» أنّ ٣ عناصرَ من قـوّات النظام قُتِلوا، "
        f"وأُصيب ۱۲ آخرون{ZWNJ} بجروح — بحسب مصادر محليّة."
    )
    n = normalise(text)
    assert n.text == (
        'دمشق - افاد "المرصد السوري" ان 3 عناصر من قوات النظام قتلوا، '
        "واصيب 12 اخرون بجروح - بحسب مصادر محليه."
    )
    expected_words = {
        "المرصد": "المرصد",  # a mark after the last letter stays out of the span
        "السوري": "السوري",
        "افاد": "أفاد",  # the fatha after the last letter stays out
        "عناصر": "عناصر",
        "قتلوا": "قُتِلوا",  # inner marks stay in
        "قوات": "قـوّات",
        "3": "٣",
        "12": "۱۲",
        "واصيب": "وأُصيب",
        "اخرون": "آخرون",
        "محليه": "محليّة",
    }
    for word, written in expected_words.items():
        m = re.search(rf"(?<!\w){word}(?!\w)", n.text)
        assert m is not None, word
        assert text[slice(*n.orig_span(*m.span()))] == written
    check_map(n)
    # multi-word spans too
    m = re.search('"المرصد السوري"', n.text)
    assert m is not None
    assert text[slice(*n.orig_span(*m.span()))] == "«المرصدُ السوريّ»"  # the quote is kept after the marks


ALPHABET = (
    list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآٱؤئةى")
    + [FATHA, DAMMA, KASRA, SHADDA, SUKUN, TANWIN_FATH, DAGGER_ALEF]
    + [TATWEEL, TATWEEL, " ", " ", " ", "\n", "\u00a0", "\t"]
    + list("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵0123456789")
    + list("“”«»‘’\"–—.،؟٫٬")
    + list("ﻻﻷﻹﻵﻼ")
    + [ZWNJ, ZWJ, LRM, RLM, BOM]
)


def random_strings(seed: int, count: int, max_len: int) -> list[str]:
    r = random.Random(seed)
    return ["".join(r.choice(ALPHABET) for _ in range(r.randint(0, max_len))) for _ in range(count)]


@pytest.mark.parametrize("seed", range(4))
def test_random_words_map_back(seed: int) -> None:
    """Property: for every word found on the normalised text, the original slice normalises to it."""
    for s in random_strings(seed, 500, 60):
        n = normalise(s, split_glued=False)
        assert n.text == norm(s)
        assert n.original == s
        check_map(n)


def test_random_any_span_maps_back() -> None:
    """Property: any span whose ends do not split a ligature maps back to original text that
    normalises to the same string, and original offsets never go backwards."""
    for s in random_strings(1234, 250, 24):
        n = normalise(s, split_glued=False)
        size = len(n.text)
        offsets = [n.orig(i) for i in range(size + 1)]
        assert offsets == sorted(offsets), s
        assert all(0 <= o <= len(s) for o in offsets)

        def inside_ligature(k: int, size: int = size, offsets: list[int] = offsets) -> bool:
            return 0 < k < size and offsets[k] == offsets[k - 1]

        for i in range(size):
            if inside_ligature(i):
                continue
            for j in range(i + 1, size + 1):
                if inside_ligature(j):
                    continue
                a, b = n.orig_span(i, j)
                assert norm(s[a:b]) == n.text[i:j], (s, i, j)


def test_random_normalisation_is_idempotent() -> None:
    for s in random_strings(99, 400, 40):
        once = norm(s)
        assert norm(once) == once, s
        assert normalise(once, split_glued=False).text == once


# --------------------------------------------------------------------------------------------- rx and norm


def test_norm_of_empty_and_ascii() -> None:
    assert norm("") == ""
    assert norm("ISIS 2021 - ok") == "ISIS 2021 - ok"
    n = normalise("")
    assert n.text == "" and n.orig(0) == 0


def test_rx_matches_every_spelling() -> None:
    pattern = rx(r"(?:ال)?طائر(?:ة|ات) (?:الإسرائيلية|الروسية)")
    for written in ("الطائرات الإسرائيلية", "الطائرة الاسرائيليه", "طائرات الروسيّة", "الطـائرات الروسية"):
        assert pattern.search(normalise(written).text), written
    assert pattern.search(normalise("قصفت الطائرات الإسرائيليّة موقعا").text)
    assert not pattern.search(normalise("قصفت الطائرات التركية موقعا").text)


def test_rx_character_classes_and_flags() -> None:
    p = rx(r"[أإ]صاب(?:ة|ات)\b")
    assert p.pattern == r"[اا]صاب(?:ه|ات)\b"
    assert p.search(norm("وقعت إصابة واحدة"))
    assert p.search(norm("سجلت أصابات"))  # a misspelling, normalised the same way
    q = rx(r"reuters|رويترز", re.I)
    assert q.flags & re.I
    assert q.search("REUTERS")
    assert q.search(norm("(رويترز)"))


def test_rx_digits_and_quotes() -> None:
    p = rx(r"«الفرقة ٤»")
    assert p.pattern == '"الفرقه 4"'
    assert p.search(norm("قوات “الفرقة 4” المدرعة"))


# --------------------------------------------------------------------------------------------- glued words


def words_back(text: str) -> list[tuple[str, str]]:
    """(normalised word, the original words behind it) for every word of the normalised text."""
    n = normalise(text)
    check_map(n)
    return [(m.group(), text[slice(*n.orig_span(*m.span()))]) for m in re.finditer(r"\S+", n.text)]


@pytest.mark.parametrize(
    ("written", "first", "second"),
    [
        ("وأعلنت الجهةبسقوط قذائف", "الجهة", "بسقوط"),  # a teh marbuta ends a word
        ("وتوجه الرتل إلىالمعبر شمالا", "إلى", "المعبر"),  # an alef maksura before the article
        ("وكانت طائرة أمريكيةقصفت الموقع", "أمريكية", "قصفت"),
        ("ثم غارات روسيةًعلى القرية", "روسية", "على"),  # a tanwin after the teh marbuta
        # two known words run together
        ("وشن طيران تركياستهدف مواقع", "تركي", "استهدف"),  # a nationality and a trigger verb
        ("قالت مصادر إن الجيش الروسيوأصيب عدد من", "الروسي", "وأصيب"),  # ... with و on the second word
        ("وكان الطيران قدقصف المستودع", "قد", "قصف"),
        ("انسحب المقاتلون سوريافي الأسبوع الماضي", "سوريا", "في"),
        ("وقالت الحركة إنهااستهدفت الموقع", "إنها", "استهدفت"),  # a complementiser with its pronoun
        ("وأصيب جنديان فيالاعتداء على الموقع", "في", "الاعتداء"),  # a preposition before the article
        ("كمااستهدفت الطائرات الموقع", "كما", "استهدفت"),  # كما before a verb
        ("عبر طائرة مُسيّرةألقت قنبلتين", "مُسيّرة", "ألقت"),  # a teh marbuta after a vowelled letter
    ],
)
def test_glued_words_are_split(written: str, first: str, second: str) -> None:
    """After a final letter (ة, ى) a letter begins a new word; two known words run together are two."""
    back = [orig for _, orig in words_back(written)]
    assert first in back and second in back, back


@pytest.mark.parametrize(
    "written",
    [
        "تصاعدت اعتداءاتهم على المدنيين",  # a known word with its suffixes
        "عادت قواتهم إلى مواقعها",
        "أعلنت حالة الطوارىء في المدينة",  # ىء is a hamza spelling inside a word
        "وصل الجنرال الأمريكي إلى المطار",
        "الأرقام الرسمية والأركان العامة",
        "عقد المؤتمر الصحفي في منتصف النهار",
        "وأنهت القوات انتشارها في المدينة",
        "وصلت فيالق الحرس إلى المدينة",  # فيالق is one word
    ],
)
def test_ordinary_words_are_not_split(written: str) -> None:
    n = normalise(written)
    assert n.text == norm(written)


def test_a_token_longer_than_two_words_is_not_split_letter_by_letter() -> None:
    # (a glue point splits a token into two known words, so a longer token has none, and is not tried at every
    # offset: «الحركات» run together 13,000 times took 5 s, quadratic in the token)
    from rasad.pipeline.normalise import _glue_point, _longest_glued

    assert _glue_point("الحركات" * 13_000) is None
    assert _glue_point(norm("سوريافي")) == 5 and len("سوريافي") < _longest_glued()


def test_a_figure_glued_to_a_preposition() -> None:
    assert ("17", "17") in words_back("وقعت الغارة في17 تموز على الموقع")
    assert ("في", "في") in words_back("وقعت الغارة في17 تموز على الموقع")
    assert normalise("صواريخ إس400 الروسية").text == norm("صواريخ إس400 الروسية")  # a model name stays


def test_hashtag_words_are_words() -> None:
    text = "وتداول ناشطون وسم #قصف_المستشفى_الوطني على المنصات"
    n = normalise(text)
    assert len(n.text) == len(text)
    assert "قصف المستشفي الوطني" in n.text
    back = words_back(text)
    assert ("المستشفي", "المستشفى") in back


def test_glued_words_map_back_exactly() -> None:
    text = "أفاد مصدر بأن طيراناً أمريكياًاستهدف موقعاً،وقدقصف المطار في5 آب."
    n = normalise(text)
    for m in re.finditer(r"\S+", n.text):
        s, e = n.orig_span(*m.span())
        assert norm(text[s:e]) == m.group()
    offsets = [n.orig(i) for i in range(len(n.text) + 1)]
    assert offsets == sorted(offsets) and offsets[-1] == len(text)


def test_the_article_joined_to_a_figure_by_a_tatweel() -> None:
    text = "وفي الـ20 من الشهر الجاري قصفت الطائرات"
    n = normalise(text)
    assert norm("ال 20 من") in n.text
    assert ("20", "20") in words_back(text)


def test_the_words_whose_vowels_mark_a_dual() -> None:
    from rasad.pipeline.normalise import vowelled_duals

    n = normalise("مقتل مدنيَّيْن ومقاتلَين وإصابة مدنيِّين")
    ends = sorted(vowelled_duals(n))  # the dual ends, not the plural's (kasra before its ya)
    assert len(ends) == 2 and n.text[: ends[0]].endswith(norm("مدنيين")) and n.text[: ends[1]].endswith(norm("مقاتلين"))
    assert vowelled_duals(normalise("مقتل مدنيين")) == frozenset()
