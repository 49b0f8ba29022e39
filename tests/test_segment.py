"""Tests for rasad.pipeline.segment: line roles, sentences and clauses.

Every Arabic text here is written for these tests.
"""

from __future__ import annotations

import re

import pytest

import rasad
from rasad.document import Part, Sentence
from rasad.lang.patterns import SENTENCE_END
from rasad.pipeline.segment import segment, split_clauses

BODY_1 = "اندلعت اشتباكات عنيفة صباح اليوم بين مجموعتين مسلحتين في قرية صغيرة شمال المدينة."
BODY_2 = "وقال شهود إن المواجهات استمرت حتى ساعات الظهر قبل أن تتدخل وجهاء المنطقة."


def seg(text: str, name: str = "text", plain_page: bool = True) -> tuple[Part, list[Sentence]]:
    part = Part(name, text)
    sentences = segment(part, plain_page=plain_page)
    assert part.sentences is sentences
    return part, sentences


def roles(text: str, **kw: bool) -> list[tuple[str, str]]:
    """(role, original words) for every sentence."""
    part, sentences = seg(text, **kw)
    return [(s.role, part.original_words(s.start, s.end)) for s in sentences]


def role_of(text: str, line: str, **kw: bool) -> str:
    found = [r for r, words in roles(text, **kw) if words == line]
    assert len(found) == 1, roles(text, **kw)
    return found[0]


# --------------------------------------------------------------------------------------------- headline


def test_first_short_line_is_the_headline() -> None:
    title = "اشتباكات عنيفة بين فصيلين مسلحين في ريف حلب الشمالي"
    assert roles(f"{title}\n\n{BODY_1}") == [("headline", title), ("body", BODY_1)]


def test_headline_after_leading_blank_lines_and_furniture() -> None:
    title = "اشتباكات عنيفة بين فصيلين مسلحين في ريف حلب الشمالي"
    text = f"\n   \nشارك على فيسبوك\n{title}\n{BODY_1}"
    assert roles(text) == [("furniture", "شارك على فيسبوك"), ("headline", title), ("body", BODY_1)]


def test_first_line_ending_with_a_full_stop_is_body() -> None:
    assert roles(f"{BODY_1}\n{BODY_2}") == [("body", BODY_1), ("body", BODY_2)]


def test_long_first_line_is_body() -> None:
    long_line = "قصفت المدفعية " + "مواقع متفرقة في محيط البلدة " * 8 + "دون توقف"
    assert len(long_line) > 160
    assert role_of(f"{long_line}\n{BODY_1}", long_line) == "body"


def test_no_headline_when_not_a_plain_page() -> None:
    first = "اشتباكات عنيفة بين فصيلين مسلحين في ريف حلب الشمالي ومقتل عنصرين"
    assert role_of(f"{first}\n{BODY_1}", first, plain_page=False) == "subhead"


def test_only_the_first_line_is_a_headline() -> None:
    text = f"عنوان الخبر عن اشتباكات في ريف حلب\n{BODY_1}\nتفاصيل المواجهات في القرية\n{BODY_2}"
    assert [r for r, _ in roles(text)] == ["headline", "body", "subhead", "body"]


def test_title_part_is_a_headline() -> None:
    title = "مقتل جنديين بهجوم على حاجز عسكري في البادية"
    assert roles(title, name="title", plain_page=False) == [("headline", title)]
    # even when it ends with a full stop or is long
    long_title = "مقتل جنديين بهجوم على حاجز عسكري في البادية " * 5 + "."
    assert {r for r, _ in roles(long_title, name="title", plain_page=False)} == {"headline"}


def test_short_title_part_is_a_headline() -> None:
    assert roles("انفجار بحلب", name="title", plain_page=False) == [("headline", "انفجار بحلب")]


# --------------------------------------------------------------------------------------------- furniture


@pytest.mark.parametrize(
    "line",
    [
        "شارك على فيسبوك",
        "شارك هذا المقال",
        "Facebook",
        "Twitter",
        "WhatsApp",
        "فيسبوك",
        "تويتر",
        "واتساب",
        "تابعونا على تلغرام",
        "اضغط هنا للاشتراك في النشرة",
        "جميع الحقوق محفوظة للموقع",
        "- الخط +",
        "https://example.org/news/123",
        "12:45",
        "• تويتر",
    ],
)
def test_share_labels_and_social_lines_are_furniture(line: str) -> None:
    title = "اشتباكات عنيفة بين فصيلين مسلحين في ريف حلب"
    assert role_of(f"{title}\n{line}\n{BODY_1}", line) == "furniture"


@pytest.mark.parametrize("prefix", ["اقرأ أيضاً: ", "اقرأ أيضا: ", "إقرأ أيضاً - ", "اقرا ايضا: "])
def test_read_also_line_is_furniture(prefix: str) -> None:
    link = prefix + "مقتل قيادي في هجوم على حاجز قرب المدينة"
    text = f"عنوان عن اشتباكات في ريف حلب\n{BODY_1}\n{link}"
    assert roles(text)[-1] == ("furniture", link)
    assert roles(text)[1] == ("body", BODY_1)


@pytest.mark.parametrize("heading", ["مقالات ذات صلة", "مقالات متعلقة", "مواضيع ذات صلة"])
def test_lines_after_a_related_articles_heading_are_furniture(heading: str) -> None:
    related = [
        "انفجار عبوة ناسفة في سوق المدينة يوقع قتلى وجرحى",
        "وقتل ثلاثة مدنيين بقصف مدفعي على قرية في ريف إدلب الجنوبي أمس.",
    ]
    text = "\n".join(["اشتباكات عنيفة في ريف حلب", BODY_1, heading, *related])
    assert roles(text) == [
        ("headline", "اشتباكات عنيفة في ريف حلب"),
        ("body", BODY_1),
        ("furniture", heading),
        ("furniture", related[0]),
        ("furniture", related[1][: related[1].index(".") + 1]),
    ]


def test_related_heading_line_itself_is_furniture() -> None:
    for heading in ("مقالات ذات صلة", "مقالات متعلقة", "أخبار ذات صلة"):
        assert role_of(f"عنوان عن اشتباكات في ريف حلب\n{BODY_1}\n{heading}", heading) == "furniture"


def test_lines_after_read_more_heading_are_furniture() -> None:
    after = "هجوم جديد على نقطة عسكرية في البادية أدى إلى مقتل جنديين."
    text = f"عنوان عن اشتباكات في ريف حلب\n{BODY_1}\nاقرأ المزيد\n{after}"
    assert [r for r, _ in roles(text)] == ["headline", "body", "furniture", "furniture"]


def test_sentence_starting_with_the_verb_to_take_part_is_body() -> None:
    sentence = "شاركت طائرات حربية روسية في قصف بلدة كفرنبل جنوب إدلب صباح اليوم، ما أدى إلى مقتل خمسة مدنيين."
    assert role_of(f"قصف على ريف إدلب\n{sentence}", sentence) == "body"


def test_sentence_starting_with_the_verb_to_take_part_gives_an_event() -> None:
    text = "شاركت طائرات حربية روسية في قصف بلدة كفرنبل جنوب إدلب صباح اليوم، ما أدى إلى مقتل خمسة مدنيين."
    assert rasad.extract_text(text, published="2021-05-04")["events"]


# --------------------------------------------------------------------------------------------- captions, subheads


@pytest.mark.parametrize(
    "caption",
    [
        "عناصر من الفصيل خلال الاشتباكات قرب البلدة (رويترز)",
        "دخان يتصاعد فوق القرية بعد القصف (فيسبوك/ شبكة محلية)",
        "آثار الدمار في السوق الشعبي (AFP)",
        "سيارة محترقة على الطريق الدولي (ا ف ب)",
        "مقاتلون على خط التماس (فرانس برس)",
    ],
)
def test_caption_with_photo_credit(caption: str) -> None:
    text = f"اشتباكات عنيفة في ريف حلب\n{BODY_1}\n{caption}\n{BODY_2}"
    assert role_of(text, caption) == "caption"


def test_caption_before_the_headline_does_not_take_its_place() -> None:
    caption = "عناصر من الفصيل خلال الاشتباكات قرب البلدة (رويترز)"
    title = "اشتباكات عنيفة في ريف حلب"
    assert [r for r, _ in roles(f"{caption}\n{title}\n{BODY_1}")] == ["caption", "headline", "body"]


def test_brackets_without_a_credit_are_not_a_caption() -> None:
    line = "قتل عنصران من الفصيل خلال الاشتباكات قرب البلدة (بحسب مصادر محلية)."
    assert role_of(f"اشتباكات عنيفة في ريف حلب\n{line}", line) == "body"


@pytest.mark.parametrize("subhead", ["تفاصيل المواجهات", "حصيلة القتلى ترتفع", "ماذا حدث في القرية"])
def test_short_unpunctuated_line_inside_body_is_subhead(subhead: str) -> None:
    text = f"اشتباكات عنيفة في ريف حلب\n{BODY_1}\n{subhead}\n{BODY_2}"
    assert roles(text)[2] == ("subhead", subhead)


def test_short_line_with_final_punctuation_is_body() -> None:
    line = "وانتهت المواجهات مساء."
    assert role_of(f"اشتباكات عنيفة في ريف حلب\n{BODY_1}\n{line}", line) == "body"
    line = "هل تعود المواجهات؟"
    assert role_of(f"اشتباكات عنيفة في ريف حلب\n{BODY_1}\n{line}", line) == "body"


def test_long_unpunctuated_line_is_body() -> None:
    line = "وأفاد ناشطون من أبناء المنطقة بأن الاشتباكات تجددت مساء اليوم على أطراف القرية الشرقية قرب الطريق العام"
    assert len(line) > 90
    assert role_of(f"اشتباكات عنيفة في ريف حلب\n{BODY_1}\n{line}", line) == "body"


# --------------------------------------------------------------------------------------------- sentences


def test_sentences_split_at_full_stop_question_and_exclamation() -> None:
    text = "اشتباكات في البلدة\nتجددت الاشتباكات صباح اليوم. هل ستتوقف؟ لا أحد يعرف! والأهالي قلقون."
    assert [w for _, w in roles(text)][1:] == [
        "تجددت الاشتباكات صباح اليوم.", "هل ستتوقف؟", "لا أحد يعرف!", "والأهالي قلقون.",
    ]


def test_no_split_at_decimals() -> None:
    text = "اشتباكات في البلدة\nاستمرت الاشتباكات 3.5 ساعات وسقطت قذيفة على بعد ٢٫٥ كيلومتر من المدرسة. وهدأ الوضع."
    words = [w for _, w in roles(text)][1:]
    assert words == [
        "استمرت الاشتباكات 3.5 ساعات وسقطت قذيفة على بعد ٢٫٥ كيلومتر من المدرسة.", "وهدأ الوضع.",
    ]


def test_split_after_a_number_at_the_end_of_a_sentence() -> None:
    text = "اشتباكات في البلدة\nبدأت الاشتباكات في عام 2021. ولم تتوقف منذ ذلك الحين."
    assert [w for _, w in roles(text)][1:] == ["بدأت الاشتباكات في عام 2021.", "ولم تتوقف منذ ذلك الحين."]


def test_sentence_ending_with_a_closing_quote() -> None:
    text = 'اشتباكات في البلدة\nوقال القائد: "سنرد على الهجوم." ثم غادر المكان.'
    assert [w for _, w in roles(text)][1:] == ['وقال القائد: "سنرد على الهجوم."', "ثم غادر المكان."]


def test_sentence_indices_paragraphs_and_offsets() -> None:
    text = f"  عنوان عن اشتباكات في ريف حلب  \n\n{BODY_1} {BODY_2}\n\n\n{BODY_2}"
    part, sentences = seg(text)
    assert [s.index for s in sentences] == list(range(len(sentences)))
    assert [s.para for s in sentences] == [0, 1, 1, 2]
    for s in sentences:
        words = part.ntext[s.start : s.end]
        assert words == words.strip() and words
        assert s.clauses[0][0] == s.start and s.clauses[-1][1] == s.end


# --------------------------------------------------------------------------------------------- clauses


def clauses(sentence: str) -> list[str]:
    part, sentences = seg(sentence, plain_page=False)
    assert len(sentences) == 1
    return [part.original_words(a, b).strip() for a, b in sentences[0].clauses]


@pytest.mark.parametrize(
    ("first", "connector", "second"),
    [
        ("قصفت المدفعية مواقع المسلحين في التلال", "فيما", "شنت الطائرات غارات على الطريق الدولي."),
        ("قصفت المدفعية مواقع المسلحين في التلال،", "فيما", "شنت الطائرات غارات على الطريق الدولي."),
        ("تواصلت الاشتباكات على أطراف القرية", "بينما", "انسحب المدنيون نحو المخيمات."),
        ("قتل جندي بانفجار لغم على الطريق العام", "تزامناً مع", "وصول تعزيزات عسكرية إلى المنطقة."),
        ("اقتحمت قوة عسكرية البلدة فجرا", "بعد ساعات من", "هجوم مباغت على الحاجز الرئيسي."),
        ("قصفت المدفعية مواقع المسلحين في التلال", "وفيما", "شنت الطائرات غارات على الطريق الدولي."),
    ],
)
def test_clause_split_at_connectors(first: str, connector: str, second: str) -> None:
    assert clauses(f"{first} {connector} {second}") == [first, f"{connector} {second}"]


def test_several_clauses_in_one_sentence() -> None:
    sentence = (
        "قصفت المدفعية مواقع المسلحين في التلال فيما شنت الطائرات غارات على الطريق الدولي "
        "بينما تواصلت الاشتباكات على أطراف القرية تزامناً مع وصول تعزيزات عسكرية كبيرة."
    )
    assert len(clauses(sentence)) == 4


def test_no_clause_split_near_the_edges() -> None:
    assert clauses("قتل جندي فيما نجا آخر من الموت") == ["قتل جندي فيما نجا آخر من الموت"]
    assert clauses("اشتبك مقاتلون في محيط البلدة طويلا بينما نجوا.") == ["اشتبك مقاتلون في محيط البلدة طويلا بينما نجوا."]


@pytest.mark.parametrize(
    "sentence",
    [
        "شنت الطائرات الحربية غارات على مواقع المسلحين في وقت متأخر من يوم الجمعة بحسب المصادر.",
        "قصفت المدفعية أطراف البلدة الشمالية في وقت سابق اليوم وفق ما أفاد ناشطون.",
        "انفجرت عبوة ناسفة قرب دورية للشرطة في وقت مبكر من صباح الأحد دون وقوع إصابات.",
    ],
)
def test_late_or_earlier_on_a_day_is_no_clause_break(sentence: str) -> None:
    assert clauses(sentence) == [sentence]


def test_in_a_time_when_still_opens_a_clause() -> None:
    first = "قصفت المدفعية مواقع المسلحين في التلال"
    second = "في وقت أعلن فيه الجيش وصول تعزيزات إلى المنطقة."
    assert clauses(f"{first} {second}") == [first, second]


def test_connector_inside_a_word_does_not_split() -> None:
    sentence = "تحدث الأهالي عن الاشتباكات العنيفة فيمايلي من التقرير المفصل الطويل."
    assert len(clauses(sentence)) == 1


def test_split_clauses_directly() -> None:
    part = Part("text", "قصفت المدفعية مواقع المسلحين في التلال فيما شنت الطائرات غارات على الطريق الدولي.")
    text = part.ntext
    spans = split_clauses(text, 0, len(text))
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))
    assert text[spans[1][0] :].startswith("فيما")


@pytest.mark.parametrize("text", [
    "قتل شخصان... ثم انسحبوا.", "قتل شخصان!!؟ ثم انسحبوا", "بلغ العدد 5.. ثم ارتفع", "قال: «قتل شخصان.» ثم",
    "قتل شخصان.\" ثم", "عدد 3. وفي", "...... ثم", "." * 5000 + "قتل شخصان. ثم انسحبوا",
])
def test_a_run_of_marks_ends_a_sentence_as_the_plain_rule_says(text: str) -> None:
    # the rule written plainly (slow: it tries a run of marks from every mark of it); SENTENCE_END reads a run once
    plain = re.compile(r'(?<!\d)[.!?؟]+["\)]?(?=\s|$)|(?<=\d)\.(?=\s|$)')
    assert [m.span() for m in SENTENCE_END.finditer(text)] == [m.span() for m in plain.finditer(text)]
