"""Sentence -> expected fields, read from the tables in tests/cases/*.tsv (see tests/cases/README.md).

One row is one case: an id, the report's date, a title, the text, then one expectation a cell. This
module only reads the tables and checks each expectation against `rasad.extract_text`; for every case it
also checks that each evidence span points at the words it quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from rasad import extract_text

CASES = Path(__file__).resolve().parent / "cases"
FIGURE = re.compile(r"(\d+|\?)/(\d+|\?)/(\d+|\?)")
OPERATORS = (" one of ", " has ", " only ", " = ")
ANY_ORDER = " (any order)"


@dataclass(frozen=True)
class Case:
    file: str
    line: int
    id: str
    published: str | None
    title: str | None
    text: str
    expect: tuple[str, ...]


def _cell(value: str) -> str | None:
    value = value.strip()
    return None if value in ("", "-") else value.replace("\\n", "\n")


def read_cases(path: Path) -> list[Case]:
    """The cases of one table: `#` lines are comments, the first other line is the header."""
    out: list[Case] = []
    header = True
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header:
            assert cells[:4] == ["id", "published", "title", "text"], f"{path.name}:{n}: header is id, published, title, text, expect…"
            header = False
            continue
        assert len(cells) >= 5, f"{path.name}:{n}: a case needs id, published, title, text and at least one expectation"
        expect = tuple(c.strip() for c in cells[4:] if c.strip())
        out.append(Case(path.name, n, cells[0].strip(), _cell(cells[1]), _cell(cells[2]), _cell(cells[3]) or "", expect))
    return out


def all_cases() -> list[Case]:
    return [c for f in sorted(CASES.glob("*.tsv")) for c in read_cases(f)]


# -- expectations -------------------------------------------------------------------------------------


def scalar(text: str) -> Any:
    """A value as written in a table: null, true, false, a whole number, L/B/H figures, or text."""
    t = text.strip()
    if t == "null":
        return None
    if t in ("true", "false"):
        return t == "true"
    if re.fullmatch(r"-?\d+", t):
        return int(t)
    m = FIGURE.fullmatch(t)
    if m:
        low, best, high = (None if g == "?" else int(g) for g in m.groups())
        return {"low": low, "best": best, "high": high}
    return t


def items(text: str) -> list[Any]:
    """A list as written in a table: values separated by ` | `; `[]` is the empty list."""
    return [] if text.strip() == "[]" else [scalar(v) for v in text.split(" | ")]


def _claim(c: dict[str, Any]) -> str:
    return f"{c['kind']} {c['best'] if c['best'] is not None else '?'} {c['claimant_type']}"


def _step(obj: Any, key: str) -> Any:
    if isinstance(obj, list):  # a list of records: that key of each (claims.claimant, evidence.in)
        return [x.get(key) if isinstance(x, dict) else None for x in obj]
    if key == "count" and "counts" in obj:  # statistic.count.value: the first figure of a tally
        return obj["counts"][0] if obj["counts"] else None
    if key not in obj:
        raise KeyError(f"no field {key!r} (the fields are {sorted(obj)})")
    value = obj[key]
    return [_claim(c) for c in value] if key == "claims" else value


def resolve(rec: dict[str, Any], path: str) -> Any:
    """The value a path names in a document record (see tests/cases/README.md)."""
    if path in ("events", "statistics"):
        return len(rec[path])
    head, *rest = path.split(".")
    if head == "document":
        return resolve_in(rec, rest)
    if head == "events":
        return [resolve_in(e, rest) for e in rec["events"]]
    m = re.fullmatch(r"event(\d+)", head)
    if m:
        n = int(m.group(1))
        assert len(rec["events"]) >= n, f"{path}: there are only {len(rec['events'])} events"
        return resolve_in(rec["events"][n - 1], rest)
    if head == "statistic":
        assert rec["statistics"], f"{path}: there is no statistic"
        return resolve_in(rec["statistics"][0], rest)
    assert rec["events"], f"{path}: there is no event"
    return resolve_in(rec["events"][0], [head, *rest])


def resolve_in(obj: Any, keys: list[str]) -> Any:
    for k in keys:
        obj = _step(obj, k)
    return obj


def _has(actual: Any, wanted: Any) -> bool:
    if isinstance(actual, str):
        return isinstance(wanted, str) and wanted in actual
    if isinstance(actual, list):
        return wanted in actual or (isinstance(wanted, str) and any(isinstance(a, str) and wanted in a for a in actual))
    return False


def check(rec: dict[str, Any], expectation: str) -> None:
    """Assert one expectation (`path = value`, `path has values`, `path only value`, `path one of values`,
    `a & b = values`; `= values (any order)`)."""
    found = [o for o in OPERATORS if o in expectation]
    assert found, f"{expectation!r}: no operator (=, has, only, one of)"
    op = min(found, key=expectation.index)  # the first one written: a value may contain the others
    left, right = (s.strip() for s in expectation.split(op, 1))
    if "&" in left:  # any order: the fields hold these values, in one order or another
        paths = [p.strip() for p in left.split("&")]
        got = sorted((resolve(rec, p) for p in paths), key=repr)
        want = sorted(items(right), key=repr)
        assert op == " = " and got == want, f"{expectation}: got {got}"
        return
    actual = resolve(rec, left)
    if op == " = " and right.endswith(ANY_ORDER):
        want = items(right[: -len(ANY_ORDER)])
        assert isinstance(actual, list) and sorted(actual, key=repr) == sorted(want, key=repr), f"{expectation}: got {actual!r}"
    elif op == " one of ":
        assert actual in items(right), f"{expectation}: got {actual!r}"
    elif op == " has ":
        missing = [w for w in items(right) if not _has(actual, w)]
        assert not missing, f"{expectation}: {missing} not in {actual!r}"
    elif op == " only ":
        assert isinstance(actual, list) and actual and all(a in items(right) for a in actual), f"{expectation}: got {actual!r}"
    else:
        want = items(right) if isinstance(actual, list) else scalar(right)
        assert actual == want, f"{expectation}: got {actual!r}"


def evidence_points_at_its_words(rec: dict[str, Any], text: str, title: str | None) -> None:
    spans = [i for e in rec["events"] for i in e["evidence"]] + [i for s in rec["statistics"] for i in s["evidence"]]
    spans += [c for e in rec["events"] for c in e["claims"]]
    for i in spans:
        source = title if i.get("in") == "title" else text
        assert source is not None and source[i["start"]:i["end"]] == i["text"], i


# -- the test -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: f"{c.file[:-4]}:{c.id}")
def test_case(case: Case) -> None:
    rec = extract_text(case.text, title=case.title, published=case.published)
    failures = []
    for e in case.expect:
        try:
            check(rec, e)
        except (AssertionError, KeyError) as err:
            failures.append(f"  {e}\n      {err}")
    shown = [ev["evidence"][0]["text"] for ev in rec["events"] if ev["evidence"]]
    assert not failures, f"{case.file}:{case.line} {case.id}\n" + "\n".join(failures) + f"\n  events: {shown}"
    evidence_points_at_its_words(rec, case.text, case.title)


def test_the_tables_have_cases_with_unique_ids() -> None:
    cases = all_cases()
    assert len(cases) >= 100
    ids = [(c.file, c.id) for c in cases]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


# -- the reader and the checker themselves ----------------------------------------------------------------


REC: dict[str, Any] = {
    "events": [
        {"date": "2022-03-08", "fatalities": {"low": 12, "best": 15, "high": 20}, "actor1": "A", "actor2": "B",
         "weapons": ["mortar", "suicide belt"], "warnings": ["reported with hedging: treat as unconfirmed"],
         "retold": False, "claims": [{"kind": "fatalities", "best": 15, "claimant_type": "monitor"}],
         "evidence": [{"field": "event"}, {"field": "date", "in": "title"}]},
        {"date": None, "fatalities": None, "actor1": "C", "actor2": None, "weapons": [], "warnings": [],
         "retold": True, "claims": [], "evidence": []},
    ],
    "statistics": [{"claimant_type": "monitor", "counts": [{"value": 312, "party": "P"}]}],
}


@pytest.mark.parametrize("expectation", [
    "events = 2", "statistics = 1", "date = 2022-03-08", "fatalities = 12/15/20", "fatalities.best = 15",
    "event2.fatalities = null", "event2.date = null", "events.retold = false | true", "actor1 & actor2 = B | A",
    "weapons has suicide belt | mortar", "warnings has unconfirmed", "claims has fatalities 15 monitor",
    "evidence.field has event | date", "evidence.in has title", "actor1 one of X | A", "event2.weapons = []",
    "statistic.count.value = 312", "statistic.count.party = P", "statistic.claimant_type = monitor",
    "events.actor1 = C | A (any order)", "event1.evidence.in only title | null", "document.statistics.claimant_type = monitor",
])
def test_an_expectation_that_holds(expectation: str) -> None:
    check(REC, expectation)


@pytest.mark.parametrize("expectation", [
    "events = 1", "date = 2022-03-09", "fatalities = 12/15/?", "fatalities.high = 21", "events.retold = false",
    "actor1 & actor2 = A | C", "weapons has IED", "claims has fatalities 15 party", "actor1 one of X | Y",
    "event3.date = null", "dat = 2022-03-08", "evidence.in has body", "statistic.count.value = 313", "date 2022",
    "evidence.in only title", "event2.evidence.in only title", "events.actor1 = C | A", "events.actor1 = C (any order)",
])
def test_an_expectation_that_fails(expectation: str) -> None:
    with pytest.raises((AssertionError, KeyError)):
        check(REC, expectation)


def test_a_table_row_becomes_a_case(tmp_path: Path) -> None:
    f = tmp_path / "t.tsv"
    f.write_text("# a comment\nid\tpublished\ttitle\ttext\texpect\n"
                 "one\t2022-03-09\t-\tسطر أول\\nسطر ثان\tevents = 0\tstatistics = 0\n", encoding="utf-8")
    (case,) = read_cases(f)
    assert (case.id, case.published, case.title, case.text) == ("one", "2022-03-09", None, "سطر أول\nسطر ثان")
    assert case.expect == ("events = 0", "statistics = 0") and case.line == 3
