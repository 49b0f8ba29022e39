"""Integrity of the data files of the dates and numbers annotators: every entry well formed, every month
and weekday present, every phrase found in a sentence of its own, no entry repeated once normalised."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import pytest

from rasad.lang.lexicon import read_rows
from rasad.pipeline.annotate.dates import DateExpr, find_dates
from rasad.pipeline.annotate.numbers import Quantity, find_quantities, parse_number_words
from rasad.pipeline.normalise import norm

DATA = resources.files("rasad").joinpath("data")
PARTS = {"dawn", "morning", "noon", "afternoon", "evening", "night"}
# qualifier -> (low, best, high) of a figure of 20 with it
QUALIFIERS = {"more_than": (21, 21, None), "at_least": (20, 20, None), "about": (20, 20, 20),
              "less_than": (1, None, 19), "at_most": (1, None, 20)}
Check = Callable[[str], bool]


def _int(lo: int, hi: int) -> Check:
    return lambda v: v.lstrip("-").isdigit() and lo <= int(v) <= hi


def _one_of(values: set[str]) -> Check:
    return lambda v: v in values


def _empty_or(check: Check) -> Check:
    return lambda v: v == "" or check(v)


def _some_of(values: set[str]) -> Check:
    """A comma-separated list of some of `values`."""
    return lambda v: bool(v) and set(v.split(",")) <= values


# file -> a check for each column after the first (a missing optional column reads as "")
COLUMNS = {
    "months.tsv": [_int(0, 12)],
    "weekdays.tsv": [_int(0, 6)],
    "date_relative_days.tsv": [_int(-7, 7), _empty_or(_one_of(PARTS))],
    "date_parts_of_day.tsv": [_one_of(PARTS)],
    "date_part_adverbs.tsv": [_one_of(PARTS)],
    "date_periods.tsv": [_one_of({"start", "mid", "end"})],
    "date_units.tsv": [_one_of({"week", "month", "year"})],
    "date_ordinal_days.tsv": [_int(1, 31)],
    "date_ago_counts.tsv": [_int(1, 99)],
    "date_ago_units.tsv": [_one_of({"day", "week", "month", "year", "hours"}), _empty_or(_int(1, 2))],
    "hijri_months.tsv": [_int(1, 12)],
    "number_words.tsv": [_int(1, 2000), _one_of({"unit", "teen_first", "ten", "tens", "hundreds", "thousand",
                                                 "thousands"})],
    "number_affixes.tsv": [_one_of({"proclitic", "article", "suffix"}), _empty_or(_int(0, 2))],
    "number_qualifiers.tsv": [_one_of(set(QUALIFIERS)), _empty_or(_one_of({"after"}))],
    "number_vague.tsv": [_int(2, 2000), _empty_or(_some_of({"article", "from", "clitic_noun"}))],
    "number_others.tsv": [_some_of({"lemma", "alone", "after_noun", "after_number"})],
}


def _mine() -> list[str]:
    return sorted(p.name for p in DATA.iterdir() if p.name.startswith(("date_", "number_", "hijri_")))


def test_every_file_has_its_columns_checked() -> None:
    assert set(_mine()) <= set(COLUMNS), "add the new file to COLUMNS"


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_rows_are_well_formed(name: str) -> None:
    checks = COLUMNS[name]
    for row in read_rows(name, 2):
        assert len(row) <= len(checks) + 1, (name, row)
        cells = row[1:] + [""] * (len(checks) - len(row) + 1)
        bad = [i for i, (check, cell) in enumerate(zip(checks, cells, strict=True), 1) if not check(cell)]
        assert not bad, f"{name}: column(s) {bad} of {row}"


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_no_entry_is_repeated_once_normalised(name: str) -> None:
    keys = [" ".join(norm(r[0]).split()) for r in read_rows(name, 2)]
    assert sorted({k for k in keys if keys.count(k) > 1}) == []


def test_every_month_and_weekday_is_named() -> None:
    assert {int(r[1]) for r in read_rows("months.tsv", 2)} == set(range(13))  # 0: تشرين / كانون alone
    assert {int(r[1]) for r in read_rows("weekdays.tsv", 2)} == set(range(7))


def test_every_ordinal_day_is_listed_once() -> None:
    assert sorted(int(r[1]) for r in read_rows("date_ordinal_days.tsv", 2)) == list(range(1, 32))


def _only(text: str) -> DateExpr:
    """The one date expression in `text`."""
    found = find_dates(norm(text))
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize("row", list(read_rows("months.tsv", 2)), ids=lambda r: r[1])
def test_every_month_name_is_read_in_a_date(row: list[str]) -> None:
    e = _only(f"وقع الهجوم في 3 {row[0]} 2021")
    assert (e.day, e.month, e.year) == (3, int(row[1]) or None, 2021)


@pytest.mark.parametrize("row", list(read_rows("weekdays.tsv", 2)), ids=lambda r: r[1])
def test_every_weekday_is_read(row: list[str]) -> None:
    assert _only(f"قصفت الطائرات يوم {row[0]} قرية").weekday == int(row[1])


@pytest.mark.parametrize("row", list(read_rows("date_ordinal_days.tsv", 2)), ids=lambda r: r[1])
def test_every_ordinal_day_is_read(row: list[str]) -> None:
    e = _only(f"قتل جندي في {row[0]} من أيار")
    assert (e.day, e.month) == (int(row[1]), 5)


@pytest.mark.parametrize("row", list(read_rows("date_relative_days.tsv", 2)), ids=lambda r: r[0])
def test_every_relative_day_is_read(row: list[str]) -> None:
    e = _only(f"وقتل جندي {row[0]} في قصف")
    assert e.relative == int(row[1]) and e.part_of_day == (row[2] if len(row) > 2 else None)


@pytest.mark.parametrize(("name", "before"), [("date_parts_of_day.tsv", True), ("date_part_adverbs.tsv", False)])
def test_every_part_of_the_day_is_read(name: str, before: bool) -> None:
    for phrase, part in read_rows(name, 2):
        e = _only(f"قصف {phrase} الخميس قرية" if before else f"قصف الخميس {phrase} قرية")
        assert (e.weekday, e.part_of_day) == (3, part), phrase


def test_every_period_and_unit_is_read() -> None:
    for word, period in read_rows("date_periods.tsv", 2):
        assert _only(f"قتل جندي {word} أيار 2020").period == period, word
    for word, unit in read_rows("date_units.tsv", 2):
        assert _only(f"قتل جندي {word} الماضي").relative_unit == unit, word


def test_every_ago_unit_is_read() -> None:
    for word, unit, *count in read_rows("date_ago_units.tsv", 2):
        text = f"قتل جندي قبل {word} في قصف"
        if count and count[0] or unit == "hours":  # "قبل أسبوع"; "قبل ساعات" is today
            e = _only(text)
            expected = 0 if unit == "hours" else -int(count[0])
            assert (e.relative, e.relative_unit) == (expected, None if unit == "day" else unit), word
        else:  # "قبل أيام" does not fix the date
            assert find_dates(norm(text)) == [], word
            e = _only(f"قتل جندي قبل 3 {word} في قصف")
            assert (e.relative, e.relative_unit) == (-3, None if unit == "day" else unit), word


@pytest.mark.parametrize("row", list(read_rows("date_ago_counts.tsv", 2)), ids=lambda r: r[0])
def test_every_ago_count_is_read(row: list[str]) -> None:
    assert _only(f"قتل جندي قبل {row[0]} أيام").relative == -int(row[1])


# --- numbers ---------------------------------------------------------------------------------


def test_every_hijri_month_is_named() -> None:
    assert {int(r[1]) for r in read_rows("hijri_months.tsv", 2)} == set(range(1, 13))


@pytest.mark.parametrize("row", list(read_rows("number_words.tsv", 3)), ids=lambda r: r[1])
def test_every_number_word_parses(row: list[str]) -> None:
    word, value, cls = row[0], int(row[1]), row[2]
    if cls == "teen_first":  # أحد / اثنا only before عشر
        assert parse_number_words(word) is None
        assert parse_number_words(f"{word} عشر") == value + 10
    elif cls == "thousands":  # آلاف only after a number
        assert parse_number_words(f"خمسة {word}") == 5 * value
    else:
        assert parse_number_words(word) == value


def test_number_words_compose() -> None:
    assert parse_number_words("مئة وخمسة وأربعون") == 145
    assert parse_number_words("ثلاثة آلاف ومئتان وعشرون") == 3220
    assert parse_number_words("اثنا عشر") == 12


def _quantity(text: str) -> Quantity:
    """The one figure in `text`."""
    found = find_quantities(norm(text))
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize("row", list(read_rows("number_qualifiers.tsv", 2)), ids=lambda r: r[0])
def test_every_qualifier_is_read(row: list[str]) -> None:
    phrase, qualifier = row[0], row[1]
    q = _quantity(f"قتل {phrase} 20 مدنيا في القصف")
    assert (q.qualifier, (q.low, q.best, q.high)) == (qualifier, QUALIFIERS[qualifier])
    if row[2:] == ["after"]:
        q = _quantity(f"قتل 20 مدنيا {phrase} في القصف")
        assert (q.qualifier, q.noun) == (qualifier, norm("مدني"))


@pytest.mark.parametrize("row", list(read_rows("number_vague.tsv", 2)), ids=lambda r: r[0])
def test_every_vague_count_is_read(row: list[str]) -> None:
    q = _quantity(f"قتل {row[0]} من المدنيين في القصف")
    assert (q.kind, q.low, q.noun) == ("vague", int(row[1]), norm("مدني"))


def test_vague_thousands() -> None:
    for word in read_rows("words/number_thousands_after_vague.txt"):
        assert _quantity(f"نزح عشرات {word[0]} من المدنيين").low == 20000


def _words_of(name: str) -> list[str]:
    return [r[0] for r in read_rows(f"words/{name}.txt")]


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("number_units", "على مسافة 5 {} من القرية"),  # a unit after a figure
        ("number_id_before", "قرب {} 17 في المدينة"),  # an identifier noun before a figure
        ("number_year_context", "وقع ذلك {} 2011 في المدينة"),  # a year after year context
        ("number_ordinals", "الكتيبة ال{} عشرة"),  # an ordinal before a number word
        ("number_lookalikes", "{} أدري ماذا حدث"),  # a look-alike starts no figure
    ],
)
def test_a_figure_next_to_a_listed_word_is_no_count(name: str, sentence: str) -> None:
    for word in _words_of(name):
        assert find_quantities(norm(sentence.format(word))) == [], word


def test_a_figure_next_to_a_month_is_no_count() -> None:
    for file in ("months.tsv", "hijri_months.tsv"):
        for name, _ in read_rows(file, 2):
            assert find_quantities(norm(f"في 15 {name} قتل")) == [], name  # the day of a date
            if " " not in name:
                assert find_quantities(norm(f"في {name} 2011 قتل")) == [], name  # a year


def test_two_after_a_dual_adds_nothing() -> None:
    for word in _words_of("number_two_forms"):
        assert (_quantity(f"قتل عنصرين {word} في القصف").best) == 2, word


def test_the_others_are_counted() -> None:
    assert _quantity("وأصيب 4 آخرون في القصف").noun == norm("آخر")
    assert _quantity("قتل 3 عناصر آخرين").noun == norm("عنصر")
    assert _quantity("وإصابة آخرين").kind == "plural"
