"""Integrity of the data files of the dates and numbers annotators: every entry well formed, every month
and weekday present, every phrase found in a sentence of its own, no entry repeated once normalised."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import pytest

from rasad.lang.lexicon import read_rows
from rasad.pipeline.annotate.dates import DateExpr, find_dates
from rasad.pipeline.normalise import norm

DATA = resources.files("rasad").joinpath("data")
PARTS = {"dawn", "morning", "noon", "afternoon", "evening", "night"}
Check = Callable[[str], bool]


def _int(lo: int, hi: int) -> Check:
    return lambda v: v.lstrip("-").isdigit() and lo <= int(v) <= hi


def _one_of(values: set[str]) -> Check:
    return lambda v: v in values


def _empty_or(check: Check) -> Check:
    return lambda v: v == "" or check(v)


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
