"""A small date grammar for Arabic news: find date expressions, then resolve them to dates.

`find_dates(text)` works on NORMALISED text (see `rasad.pipeline.normalise`); spans are offsets in the
text passed in. It recognises

* full dates: "2 من كانون الأول 2021", "03 أكتوبر 2020", "1 كانون الثاني/ يناير 2021",
  "24 مارس/آذار 2019", "آذار (مارس)", numeric "2021-12-02", "02/12/2021" (day/month/year),
  optionally led by a weekday ("الخميس 2 من كانون الأول", "الخميس الموافق ...") or a relative
  day, and the day of a relative month ("في 16 الشهر الماضي");
* months in a date context ("شهر أيلول", "أيلول الماضي", "مطلع تشرين الثاني الماضي",
  "في آب", "أيار 2019") and years ("عام 2017", "العام 2017", "أواخر عام 2019");
* weekdays ("يوم الخميس", "الأربعاء الماضي", "أمس، الخميس", "اليوم السبت");
* relative days and spans ("أمس", "أول من أمس", "فجر اليوم", "الليلة الماضية", "غدا",
  "الأسبوع الماضي", "الشهر الجاري", "منتصف الشهر الماضي", "العام الماضي",
  "خلال الساعات الماضية", "خلال الـ 24 ساعة الماضية").

Expressions about the future ("الخميس المقبل", "أيلول القادم") and the span ends "حتى اليوم" /
"يومنا هذا" are not emitted. An expression that opens a period ("منذ ...", "اعتبارا من ...",
"... وحتى") is emitted with `since=True`.

`resolve(expr, ref, years)` turns an expression into a date using the project's rules: a date
the text does not fix stays unknown (see `_resolve` for the details).

The words live in data files: month names in `data/months.tsv`, weekday names in
`data/weekdays.tsv`, and `data/date_*.tsv`, `data/words/date_*.txt` (relative days, parts of the day,
parts of a month, units, ordinal days, "ago" counts and units, past/current qualifiers, titles before
العام, phrases that open a period). The grammar patterns built from them are in
`rasad.lang.patterns` (section "dates").

Guards against ordinary words that look like dates (all heuristics, tested in
tests/test_dates.py):

* a bare month name is a date only in a date context (a day number, a year, شهر / مطلع / منتصف
  / أواخر / في / منذ / خلال before it, الماضي / الجاري after it), so "آب" (father), "مارس"
  (practised), "أيار" never match alone; "تشرين" / "كانون" alone give month None;
* الأحد is Sunday only after يوم, a relative day or a part of the day, or before a date,
  الماضي, a comma or a full stop ("لم يصب الأحد" is "nobody");
* اليوم is not today in "اليومية", "اليوم الأول/التالي/الوطني"(اليوم + a definite word),
  "اليوم نفسه", "ذلك اليوم", "في اليوم", "مثل هذا اليوم", "حتى اليوم"; "يومنا هذا" never matches;
* غدا is not tomorrow after قد/لقد or at the start of a clause before a word (the verb "became");
* العام + الحالي/الجاري after a definite noun is the adjective "general" ("الأمين العام الحالي");
* a number is a date only with a month name / الشهر after it, as a year (19xx/20xx), in a
  numeric date, or as a count of hours ("دير الزور 24" is not a date).

Speed: one regex scan finds anchor words (month and weekday names, أمس, اليوم, الشهر, ...,
numbers in a date position); the grammar patterns are then tried only at each anchor and at
the few lead words just before it. Text without anchors costs one scan.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rasad.lang.patterns import (
    DATE_AGO,
    DATE_AGO_WORD,
    DATE_ANCHOR,
    DATE_ARTICLE,
    DATE_BI,
    DATE_CLAUSE_END,
    DATE_CLITICS,
    DATE_CONJUNCTIONS,
    DATE_DAY,
    DATE_FEMININE,
    DATE_FROM,
    DATE_FUTURE_AFTER,
    DATE_GENERAL_BEFORE,
    DATE_LAST_HOURS,
    DATE_LEAD_WORDS,
    DATE_MONTH,
    DATE_OF_AFTER,
    DATE_RELATIVE_SPAN,
    DATE_SINCE,
    DATE_SINCE_AFTER,
    DATE_SINCE_PAIRS,
    DATE_STARTS_WITH,
    DATE_SUNDAY,
    DATE_SUNDAY_AFTER_OK,
    DATE_THEN,
    DATE_THEN_WORD,
    DATE_TITLES,
    DATE_TO_AFTER,
    DATE_TODAY,
    DATE_TODAY_AFTER_BAD,
    DATE_TODAY_BEFORE_BAD,
    DATE_TOMORROW,
    DATE_TOMORROW_BEFORE_BAD,
    DATE_YEAR,
    date_table,
    named_numbers,
    word_set,
)

__all__ = ["DateExpr", "Resolved", "find_dates", "infer_year", "resolve"]


@dataclass(slots=True, frozen=True)
class DateExpr:
    """One date expression found in (normalised) text."""

    start: int
    end: int  # span in the text passed to find_dates
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None  # 0=Monday ... 6=Sunday
    # day offset from the reference date (اليوم 0, أمس -1, غدا +1), or, with relative_unit,
    # the offset in that unit (الشهر الماضي: -1 "month"; خلال الساعات الماضية: 0 "hours")
    relative: int | None = None
    relative_unit: str | None = None  # "day" | "week" | "month" | "year" | "hours"
    part_of_day: str | None = None  # dawn | morning | noon | afternoon | evening | night
    period: str | None = None  # start | mid | end (of a month, or a third of a year)
    since: bool = False  # opens a period (منذ / اعتبارا من / ... وحتى): not an event's day
    past: bool = False  # weekday or month name followed by الماضي / الفائت / المنصرم
    then: bool = False  # "حينها": the time told last before it, copied here (it dates what is said then too)


class _Cand(NamedTuple):
    """A candidate expression (cheaper to build than a frozen DateExpr)."""

    start: int
    end: int
    day: int | None
    month: int | None
    year: int | None
    weekday: int | None
    relative: int | None
    relative_unit: str | None
    part_of_day: str | None
    period: str | None
    past: bool


@dataclass(slots=True, frozen=True)
class Resolved:
    date: datetime.date | None
    precision: str  # "day" | "week" | "month" | "unknown"
    window: tuple[datetime.date, datetime.date] | None
    part_of_day: str | None = None  # from the expression: a night ("ليل الأحد") may be told as either day



# ---------------------------------------------------------------------------------------------
# lexicon (data files; the patterns built from them are in rasad.lang.patterns)

_MONTHS = named_numbers("months.tsv")  # 0 = ambiguous
_SAME_MONTH = "same month"  # a provisional unit, replaced in find_dates
_WEEKDAYS = named_numbers("weekdays.tsv")
# relative day -> (days from the reference date, part of the day)
_REL_DAYS: dict[str, tuple[int, str | None]] = {
    k: (int(v[0]), v[1] if len(v) > 1 and v[1] else None) for k, v in date_table("date_relative_days.tsv").items()
}
_PARTS: dict[str, str] = {k: v[0] for k, v in date_table("date_parts_of_day.tsv").items()}  # "فجر الخميس"
_PART_ADVERBS: dict[str, str] = {k: v[0] for k, v in date_table("date_part_adverbs.tsv").items()}  # "الخميس فجرا"
_PERIODS: dict[str, str] = {k: v[0] for k, v in date_table("date_periods.tsv").items()}
_QUAL_PAST = word_set("date_past")
_UNITS: dict[str, str] = {k: v[0] for k, v in date_table("date_units.tsv").items()}
_ORDINAL_DAYS: dict[str, int] = {k: int(v[0]) for k, v in date_table("date_ordinal_days.tsv").items()}
_AGO_NUMBERS: dict[str, int] = {k: int(v[0]) for k, v in date_table("date_ago_counts.tsv").items()}
# unit of time -> (unit, how many it means by itself; None for a plural)
_AGO_UNITS: dict[str, tuple[str, int | None]] = {
    k: (v[0], int(v[1]) if len(v) > 1 and v[1] else None) for k, v in date_table("date_ago_units.tsv").items()
}

_PATTERN = {"A": DATE_DAY, "B": DATE_MONTH, "C": DATE_RELATIVE_SPAN, "H": DATE_LAST_HOURS, "D": DATE_YEAR}
_DIGIT_KINDS = ("A", "H")
_MAX_LEAD = 5
_WORD_AFTER = re.compile(r"\s+[^\W\d_]")


# ---------------------------------------------------------------------------------------------
# finding


def _day_number(s: str) -> int:
    """The day of the month written in digits or as an ordinal ("السابع من الشهر الجاري")."""
    return int(s) if s.isdigit() else _ORDINAL_DAYS[" ".join(s.split())]


def _ws(s: str) -> str:
    return " ".join(s.split())


def _month_of(g: dict[str, str | None]) -> int | None:
    for k in ("m1", "m2", "m3"):
        v = g.get(k)
        if v:
            n = _MONTHS.get(_ws(v), 0)
            if n:
                return n
    return None


def _qual(q: str | None) -> str | None:
    if not q:
        return None
    q = q[:-1] if q.endswith(DATE_FEMININE) else q
    return "past" if q in _QUAL_PAST else "cur"


def _period(g: dict[str, str | None]) -> str | None:
    """The part of a month or year named before it ("مطلع", "أواخر"), if any."""
    per = g.get("per")
    return _PERIODS[_ws(per)] if per else None


def _first_start(m: re.Match[str], groups: tuple[str, ...]) -> int | None:
    """Where an expression starts: at the first of `groups` that matched."""
    for name in groups:
        if m.group(name):
            return m.start(name)
    return None


def _valid_dm(day: int, month: int | None, year: int | None) -> bool:
    if month is None:
        return True
    last = calendar.monthrange(year if year is not None else 2000, month)[1]  # 2000: leap year
    return day <= last


def _build_a(m: re.Match[str], text: str) -> _Cand | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    rel = _ws(g["rel"]) if g.get("rel") else None
    wd_txt = _ws(g["wd"]) if g.get("wd") else None
    day = month = year = None
    relative: int | None = None
    unit: str | None = None
    pod = _PARTS[_ws(g["pod"])] if g.get("pod") else None
    if g.get("pod2") and pod is None:
        pod = _PART_ADVERBS[_ws(g["pod2"])]
    has_date = False
    if g.get("iy"):
        year, month, day = int(g["iy"]), int(g["im"]), int(g["id"])
        has_date = True
    elif g.get("nd"):
        day, month, year = int(g["nd"]), int(g["nm"]), int(g["ny"])
        has_date = True
    elif g.get("dday"):
        day = _day_number(g["dday"])
        month = _month_of(g)
        year = int(g["year"]) if g.get("year") else None
        has_date = True
    elif g.get("rday"):
        day = _day_number(g["rday"])
        relative = -1 if _qual(g.get("rqual")) == "past" else 0
        unit = _SAME_MONTH if g.get("rsame") else "month"  # "22 من الشهر نفسه": the month named before
        has_date = True
    if not (has_date or g.get("rel") or g.get("wd")):
        return None
    if has_date and day is not None and not _valid_dm(day, month, year):
        return None
    if rel is not None:
        off, rel_pod = _REL_DAYS[rel]
        pod = pod or rel_pod
        if unit is None:
            relative = off
        if rel == DATE_TODAY and wd_txt is None and not has_date:
            if DATE_TODAY_AFTER_BAD.match(text, end):
                return None
            if g.get("pod") is None and g.get("yom") is None and DATE_TODAY_BEFORE_BAD.search(text, max(0, start - 16), start):
                return None
        if rel == DATE_TOMORROW and wd_txt is None and not has_date:
            bad = DATE_TOMORROW_BEFORE_BAD.search(text, max(0, start - 12), start)
            if bad and (bad.group("qad") or _WORD_AFTER.match(text, end)):
                return None
    weekday = _WEEKDAYS[wd_txt] if wd_txt else None
    past = bool(g.get("past"))
    if wd_txt == DATE_SUNDAY and not (
        g.get("yom") or g.get("yom2") or rel or g.get("pod") or past or has_date
        or DATE_SUNDAY_AFTER_OK.match(text, end)
    ):
        return None
    return _Cand(start, end, day, month, year, weekday, relative, unit, pod, None, past)


def _build_b(m: re.Match[str], text: str) -> _Cand | None:
    g = m.groupdict()
    q = _qual(g.get("qual"))
    if not (g.get("per") or g.get("shahr") or g.get("prep") or q or g.get("year")):
        return None
    start = _first_start(m, ("per", "shahr", "shahr2"))
    if start is None:
        start = m.start("m1")
        if start > 0 and text[start - 1].isalnum() and (text[start - 1] == DATE_BI or len(g["m1"]) < 3):
            return None  # "باب" (door) is not ب + آب
    month = _month_of(g)
    year = int(g["year"]) if g.get("year") else None
    period = _period(g)
    relative, unit = (0, "month") if q == "cur" else (None, None)
    return _Cand(start, m.end(), None, month, year, None, relative, unit, None, period, q == "past")


def _build_c(m: re.Match[str], text: str) -> _Cand | None:
    g = m.groupdict()
    unit_txt = g.get("unit") or g.get("unit2") or ""
    unit = _UNITS[_ws(unit_txt)]
    q = _qual(g.get("qual"))
    if unit == "year" and g.get("unit") and not g.get("per"):
        head = DATE_GENERAL_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if head and (q == "cur" or _ws(head.group()) in DATE_TITLES):
            return None
    period = _period(g)
    relative = -1 if q == "past" else 0
    return _Cand(m.start(), m.end(), None, None, None, None, relative, unit, None, period, False)


def _build_h(m: re.Match[str], text: str) -> _Cand | None:
    g = m.groupdict()
    n = int(g.get("hn") or g.get("hn2") or 24)
    if n == 0:
        return None
    days = -(-n // 24)  # ceil
    return _Cand(m.start(), m.end(), None, None, None, None, 1 - days, "hours", None, None, False)


def _build_d(m: re.Match[str], text: str) -> _Cand | None:
    g = m.groupdict()
    start = _first_start(m, ("per", "kw", "year"))
    assert start is not None  # the year always matches
    period = _period(g)
    return _Cand(start, m.end(), None, None, int(g["year"]), None, None, None, None, period, False)


_BUILDERS = {"A": _build_a, "B": _build_b, "C": _build_c, "H": _build_h, "D": _build_d}


def _starts(text: str, a: int, kinds: tuple[str, ...]) -> list[tuple[int, tuple[str, ...]]]:
    """Where an expression holding the anchor at `a` may start, with the patterns worth trying
    there: the anchor itself (`kinds`), "ال" glued to a number ("ال24 ساعة"), an opening
    parenthesis, and up to _MAX_LEAD lead words before it ("صباح يوم", "مطلع", "في", "أول من")."""
    starts = [(a, kinds)]
    p = a
    while p > 0 and text[p - 1].isalnum():
        p -= 1
    if p != a and text[p:a] == DATE_ARTICLE:
        starts.append((p, ("H",)))
    if p > 0 and text[p - 1] == "(":
        p -= 1
        starts.append((p, ("A",)))
    for _ in range(_MAX_LEAD):
        q = p - 1  # text[q] must be whitespace
        if q < 1 or not text[q].isspace():
            break
        while q > 0 and text[q - 1].isspace():
            q -= 1
        lo = max(0, q - 12)  # lead words are short
        r = q  # the lead word starts after a space or a punctuation mark ("استهدفت،ليل الثلاثاء")
        while r > lo and text[r - 1].isalnum():
            r -= 1
        tok = text[r:q]
        if tok not in DATE_LEAD_WORDS:
            if len(tok) > 2 and tok[0] in DATE_CLITICS and tok[1:] in DATE_LEAD_WORDS:
                tok = tok[1:]
                r += 1
            else:
                break
        k = DATE_STARTS_WITH.get(tok)
        if k:
            starts.append((r, k))
        p = r
    return starts



def _ago(text: str) -> list[_Cand]:
    """ "قبل أسبوع" is a week before the report; a count without a number ("قبل أيام") is not fixed."""
    out: list[_Cand] = []
    for m in DATE_AGO.finditer(text):
        if DATE_OF_AFTER.match(text, m.end()):
            continue  # "قبل أسبوع من الانتخابات": before another moment, not before the report
        unit, k = _AGO_UNITS[m.group("u")]
        n = m.group("n")
        if n is not None:
            if k is not None:
                continue  # "قبل 3 يوم": not a form news uses
            k = int(n) if n.isdigit() else _AGO_NUMBERS[n]
        if unit == "hours":
            k = 0  # "قبل ساعات": today
        elif k is None:
            continue
        out.append(_Cand(m.start(), m.end(), None, None, None, None, -k, None if unit == "day" else unit, None, None,
                         False))
    return out


def find_dates(text: str) -> list[DateExpr]:
    """Date expressions in normalised `text`: sorted, non-overlapping, longest match wins."""
    cands: list[_Cand] = _ago(text) if DATE_AGO_WORD in text else []
    tried: set[int] = set()
    covered = -1  # end of the furthest candidate so far: anchors inside it need no new attempt
    for am in DATE_ANCHOR.finditer(text):
        w = am.group("w")
        if w is None:
            a, kinds = am.start(), _DIGIT_KINDS
        else:
            a, kinds = am.start("w"), DATE_STARTS_WITH.get(w.split()[0], ())
        if a < covered:
            continue
        # leftmost start first; once a candidate covers the anchor, later starts only give
        # shorter versions of it
        for p, ks in reversed(_starts(text, a, kinds)):
            if p in tried:
                continue
            tried.add(p)
            for kind in ks:
                m = _PATTERN[kind].match(text, p)
                if m is None:
                    continue
                c = _BUILDERS[kind](m, text)
                if c is not None and c.end > c.start:
                    cands.append(c)
                    covered = max(covered, c.end)
            if covered > a:
                break
    if not cands:
        return []
    return _then(text, _choose(text, cands))


def _choose(text: str, cands: list[_Cand]) -> list[DateExpr]:
    """The candidates that overlap none longer: sorted, each resolved against the month named before."""
    # longest first; keep a candidate when it overlaps none kept so far
    cands.sort(key=lambda e: (e.start - e.end, e.start))
    starts: list[int] = []
    chosen: list[_Cand] = []
    for e in cands:
        i = bisect_right(starts, e.start)
        if i > 0 and chosen[i - 1].end > e.start:
            continue
        if i < len(chosen) and chosen[i].start < e.end:
            continue
        starts.insert(i, e.start)
        chosen.insert(i, e)
    return [
        DateExpr(
            c.start, c.end, c.day, c.month, c.year, c.weekday, c.relative, c.relative_unit,
            c.part_of_day, c.period, _is_since(text, c.start, c.end), c.past,
        )
        for c in _same_month(chosen)
        if not DATE_FUTURE_AFTER.match(text, c.end)  # "الخميس المقبل", "أيلول القادم": not an event's date
    ]


def _then(text: str, exprs: list[DateExpr]) -> list[DateExpr]:
    """ "وأفادت حينها الوكالة": a word of "then" takes the time told last before it, when that is no period's start."""
    if not exprs or not DATE_THEN_WORD.search(text):
        return exprs
    out = list(exprs)
    for m in DATE_THEN.finditer(text):
        i = bisect_right([e.start for e in out], m.start())
        if (i > 0 and out[i - 1].end > m.start()) or (i < len(out) and out[i].start < m.end()):
            continue
        before = next((e for e in reversed(out[:i]) if not e.since), None)
        if before is not None:
            out.insert(i, dataclasses.replace(before, start=m.start(), end=m.end(), then=True))
    return out


def _same_month(chosen: list[_Cand]) -> list[_Cand]:
    """"في 22 من الشهر نفسه" takes the month (and year) of the last expression before it that names
    one ("في 30 تشرين الأول ... وفي 22 من الشهر نفسه" is 22 October); with none, the current month."""
    out: list[_Cand] = []
    month: tuple[int, int | None] | None = None
    for c in chosen:
        if c.relative_unit == _SAME_MONTH:
            if month is not None:
                c = c._replace(month=month[0], year=month[1], relative=None, relative_unit=None)
            else:
                c = c._replace(relative_unit="month")
        elif c.month:
            month = (c.month, c.year)
        out.append(c)
    return out


def _is_since(text: str, start: int, end: int) -> bool:
    """Does `e` open a period: منذ / اعتبارا من ... within three words before it (no clause
    break between), or وحتى / حتى after it, or من before it and إلى after it?"""
    if DATE_SINCE_AFTER.match(text, end):
        return True
    toks = text[max(0, start - 48) : start].split()
    n = len(toks)
    for i in range(n - 1, max(n - 4, -1), -1):
        tok = toks[i]
        if tok[-1] in DATE_CLAUSE_END:
            break
        w = tok[1:] if len(tok) > 3 and tok[0] in DATE_CONJUNCTIONS else tok
        if w == DATE_SINCE:
            return True
        firsts = DATE_SINCE_PAIRS.get(w)
        if firsts and i > 0:
            prev = toks[i - 1]
            if prev in firsts or (prev[0] in DATE_CONJUNCTIONS and prev[1:] in firsts):
                return True
    return n > 0 and toks[-1] in DATE_FROM and DATE_TO_AFTER.match(text, end) is not None


# ---------------------------------------------------------------------------------------------
# resolving

_UNKNOWN = Resolved(None, "unknown", None)
_FORWARD_TOLERANCE = datetime.timedelta(days=7)  # a day+month may lie this far after ref
_MAX_BACK = datetime.timedelta(days=335)  # ... or up to ~11 months before it


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _day(d: datetime.date | None) -> Resolved:
    return Resolved(d, "day", (d, d)) if d is not None else _UNKNOWN


def _shift_month(year: int, month: int, k: int) -> tuple[int, int]:
    i = year * 12 + (month - 1) + k
    return i // 12, i % 12 + 1


def _month_window(year: int, month: int, period: str | None) -> Resolved:
    last = calendar.monthrange(year, month)[1]
    lo, hi = {"start": (1, 10), "mid": (11, 20), "end": (21, last)}.get(period or "", (1, last))
    first = datetime.date(year, month, 1)
    return Resolved(first, "month", (datetime.date(year, month, lo), datetime.date(year, month, hi)))


def _year_window(year: int, period: str | None) -> Resolved:
    lo, hi = {"start": ((1, 1), (4, 30)), "mid": ((5, 1), (8, 31)), "end": ((9, 1), (12, 31))}.get(
        period or "", ((1, 1), (12, 31))
    )
    return Resolved(None, "unknown", (datetime.date(year, *lo), datetime.date(year, *hi)))


def _last_weekday(ref: datetime.date, weekday: int, strict: bool) -> datetime.date:
    back = (ref.weekday() - weekday) % 7
    if back == 0 and strict:
        back = 7
    return ref - datetime.timedelta(days=back)


def infer_year(
    day: int, month: int, weekday: int, ref: datetime.date | None, years: Sequence[int]
) -> int | None:
    """The year in which day/month falls on `weekday`, if exactly one candidate year fits.

    Candidates: each of `years` and its neighbours (±1), plus ref.year and ref.year - 1 when
    `ref` is given. No candidates, none fitting, or several fitting -> None.
    """
    cands: set[int] = set()
    for y in years:
        cands.update((y - 1, y, y + 1))
    if ref is not None:
        cands.update((ref.year, ref.year - 1))
    hits = [y for y in sorted(cands) if (d := _date(y, month, day)) is not None and d.weekday() == weekday]
    return hits[0] if len(hits) == 1 else None


def _nearest(day: int, month: int, ref: datetime.date) -> datetime.date | None:
    """The occurrence of day/month a dateline-relative text means: this year's when it is no
    later than ref + 7 days (next year's in the first days of January), otherwise last year's
    if that is at most ~11 months (335 days) before ref; else None."""
    for y in (ref.year + 1, ref.year):
        d = _date(y, month, day)
        if d is not None and d <= ref + _FORWARD_TOLERANCE and (y == ref.year or d >= ref):
            return d
    d = _date(ref.year - 1, month, day)
    if d is not None and d >= ref - _MAX_BACK:
        return d
    return None


def resolve(expr: DateExpr, ref: datetime.date | None, years: Sequence[int] = ()) -> Resolved:
    """Resolve `expr` against the reference date `ref` (rules in `_resolve`), keeping its part of the day.
    A date past the calendar's ends (year 1 or 9999 and a count of days or months beyond them) is unknown."""
    try:
        r = _resolve(expr, ref, years)
    except (OverflowError, ValueError):
        return _UNKNOWN
    return dataclasses.replace(r, part_of_day=expr.part_of_day) if expr.part_of_day and r.date is not None else r


def _resolve(expr: DateExpr, ref: datetime.date | None, years: Sequence[int] = ()) -> Resolved:
    """Resolve `expr` against the reference (publication) date `ref`.

    Rules (a date the text does not fix stays unknown):

    * day+month+year -> that day (precision "day", window (d, d)).
    * day+month, no year: with a weekday, the year is `infer_year(...)` (exactly one candidate
      year must fit, else unknown — unless a relative day with `ref` fixes it, "أمس الخميس 2
      ..."); without a weekday, with `ref`: this year's day when it is no later than ref + 7
      days, else last year's when that is at most ~11 months (335 days) before ref, else
      unknown (see `_nearest`); without `ref` unknown (`years` alone never fixes it).
    * day of a relative month ("16 الشهر الماضي") -> that day of ref's month shifted.
    * relative day -> ref + offset; when a weekday accompanies it and disagrees, the weekday
      wins: the most recent such weekday on or before ref.
    * weekday alone -> the most recent such weekday on or before ref (before ref when marked
      الماضي).
    * a month (named, "الشهر الماضي", "الشهر الجاري") -> date = 1st of the month, precision
      "month", window the month, or days 1-10 / 11-20 / 21-end for start / mid / end. A named
      month without year: الماضي -> the latest such month before ref's month; الجاري -> ref's
      year; otherwise the latest such month starting no later than ref + 7 days.
    * "الأسبوع الماضي" -> precision "week", date = ref - 7, window (ref - 7, ref - 1);
      "هذا الأسبوع" -> window (ref - 6, ref).
    * "خلال الساعات الماضية" -> date = ref, precision "day", window (ref - 1, ref); for N > 24
      hours the window starts ceil(N/24) days before ref and precision is "week".
    * a year (named or "العام الماضي") -> date None, precision "unknown", window the year (its
      first/middle/last third with start/mid/end).
    * `since` does not change resolution.
    """
    unit = expr.relative_unit
    if expr.day is not None:
        return _resolve_day(expr, expr.day, ref, years)
    if expr.relative is not None and unit is None:
        return _by_relative_day(expr, ref)
    if expr.weekday is not None:
        return _day(_last_weekday(ref, expr.weekday, expr.past)) if ref is not None else _UNKNOWN
    if expr.month is not None:
        return _resolve_month(expr, expr.month, ref)
    if unit is not None and expr.relative is not None:
        return _resolve_span(unit, expr.relative, expr.period, ref) if ref is not None else _UNKNOWN
    if expr.year is not None:
        return _year_window(expr.year, expr.period)
    return _UNKNOWN


def _resolve_day(expr: DateExpr, day: int, ref: datetime.date | None, years: Sequence[int]) -> Resolved:
    """A day of the month: of a relative month ("16 الشهر الماضي"), of a named month (its year
    written, inferred from the weekday, or the nearest to `ref`), or of an ambiguous month (تشرين)."""
    if expr.relative_unit == "month":
        if ref is None or expr.relative is None:
            return _UNKNOWN
        y, m = _shift_month(ref.year, ref.month, expr.relative)
        return _day(_date(y, m, day))
    if expr.month is None:
        return _by_relative_day(expr, ref)  # an ambiguous month: only a relative day can still fix it
    if expr.year is not None:
        return _day(_date(expr.year, expr.month, day))
    if expr.weekday is not None:
        y = infer_year(day, expr.month, expr.weekday, ref, years)
        return _day(_date(y, expr.month, day)) if y is not None else _by_relative_day(expr, ref)
    return _day(_nearest(day, expr.month, ref)) if ref is not None else _UNKNOWN


def _by_relative_day(expr: DateExpr, ref: datetime.date | None) -> Resolved:
    """The day a relative day ("أمس", "اليوم") fixes against `ref`; unknown without one or without `ref`."""
    if expr.relative is not None and expr.relative_unit is None and ref is not None:
        return _resolve_relative_day(expr, ref)
    return _UNKNOWN


def _resolve_month(expr: DateExpr, month: int, ref: datetime.date | None) -> Resolved:
    """A named month: in its written year, else the past one (الماضي), the current one (الجاري) or
    the latest that starts no later than ref + 7 days."""
    if expr.year is not None:
        return _month_window(expr.year, month, expr.period)
    if ref is None:
        return _UNKNOWN
    if expr.past:
        y = ref.year if month < ref.month else ref.year - 1
    elif expr.relative == 0:
        y = ref.year
    else:
        y = ref.year if datetime.date(ref.year, month, 1) <= ref + _FORWARD_TOLERANCE else ref.year - 1
    return _month_window(y, month, expr.period)


def _resolve_span(unit: str, k: int, period: str | None, ref: datetime.date) -> Resolved:
    """A relative month, week, year or run of hours, `k` units from ref's ("الشهر الماضي": -1)."""
    if unit == "month":
        return _month_window(*_shift_month(ref.year, ref.month, k), period)
    if unit == "week":
        hi = ref + datetime.timedelta(days=7 * k + (6 if k < 0 else 0))
        lo = hi - datetime.timedelta(days=6)
        return Resolved(lo, "week", (lo, hi))
    if unit == "year":
        return _year_window(ref.year + k, period)
    if unit == "hours":
        lo = ref + datetime.timedelta(days=k - 1)
        return Resolved(ref, "day" if k == 0 else "week", (lo, ref))
    return _UNKNOWN


def _resolve_relative_day(expr: DateExpr, ref: datetime.date) -> Resolved:
    d = ref + datetime.timedelta(days=expr.relative or 0)
    if expr.weekday is not None and d.weekday() != expr.weekday:
        d = _last_weekday(ref, expr.weekday, False)
    return _day(d)
