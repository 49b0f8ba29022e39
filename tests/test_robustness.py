"""Nothing crashes, nothing is lost (issue 14): bounds on what enters the extractor, one error boundary per
record in `rasad extract` and `rasad ingest`, concurrent ingests on one database, and the exit codes of the
commands. The fuzz suite is tests/test_fuzz.py; the words it shuffles are here (NUMBERS, DATES, WORDS). Every
Arabic text here is written for these tests.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import rasad
from rasad.document import NUL, REPLACEMENT
from rasad.pipeline.annotate import dates as dates_mod
from rasad.pipeline.annotate.numbers import read_figure
from rasad.pipeline.figures import MAX_TOLL
from rasad.pipeline.run import EARLIEST_REPORT_DATE, NOW_ENV, plausible_report_date, today

REPO = Path(__file__).resolve().parents[1]
RASAD = Path(sys.executable).parent / "rasad"
INT32_MAX = 2**31 - 1

EXTREME_DATES = ["0001-01-01", "9999-12-31", "3000-01-01", "1899-12-31", "1000-06-15"]
RELATIVE = ["الشهر الماضي", "العام الماضي", "الأسبوع الماضي", "قبل ساعات", "غدا", "في 15 آذار", "أمس",
            "قبل 5 أيام", "الأربعاء الماضي", "منتصف الشهر الماضي", "خلال الساعات الماضية", "قبل أسبوعين",
            "في 16 الشهر الماضي", "هذا الأسبوع", "أول من أمس", "فجر اليوم", "ليل السبت الأحد"]


def spans_match(out: dict[str, Any], text: str, title: str | None) -> list[str]:
    """Every evidence span, claim and count of an output whose words are not the text at its offsets (the text as
    rasad reads it: a NUL character becomes U+FFFD, in place)."""
    bad: list[str] = []
    text = text.replace(NUL, REPLACEMENT)
    title = title.replace(NUL, REPLACEMENT) if title is not None else None

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            if isinstance(x.get("start"), int) and isinstance(x.get("end"), int) and isinstance(x.get("text"), str):
                src = title if x.get("in") == "title" else text
                if src is None or src[x["start"]:x["end"]] != x["text"]:
                    bad.append(repr(x))
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(out)
    return bad


def figures_of(out: dict[str, Any]) -> list[int]:
    vals: list[int] = []
    for ev in out["events"] + out.get("other_events", []):
        for k in ("fatalities", "wounded"):
            vals += [v for v in (ev.get(k) or {}).values() if v is not None]
        for c in ev.get("claims") or []:
            vals += [c[k] for k in ("low", "best", "high") if c.get(k) is not None]
    return vals


# -- bounds: figures ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1.000.000 قتيل", "قتل 2.500.000 شخص", "أصيب 1.5.2 شخص",
                                  "قتل 1" + ",000" * 120 + " شخص في حلب", "قتل 1" + ".000" * 120 + " شخص في حلب",
                                  "قتل 1" + ",000" * 102 + " ألف شخص في حلب"])
def test_figures_with_many_separators_do_not_crash(text: str) -> None:
    out = rasad.extract_text(text, published="2024-03-05")
    assert all(v <= MAX_TOLL for v in figures_of(out))


def test_a_run_of_digits_is_no_figure() -> None:
    assert read_figure("1" + "0" * 400) is None
    assert read_figure("1" + ",000" * 10) is None  # 31 digits
    assert read_figure("1.500.000") == (1_500_000.0, True, None)


@pytest.mark.parametrize("text", ["قتل 3,000,000,000 شخص في قصف على حلب", "قتل 1.000.000.000.000 شخص في قصف على حلب",
                                  "قتل 2,000,000 شخص في قصف على حلب"])
def test_a_toll_above_the_bound_is_a_warning_not_a_figure(text: str) -> None:
    out = rasad.extract_text(text, published="2024-03-05")
    assert figures_of(out) == []
    assert any(f"{MAX_TOLL:,}" in w for w in out["warnings"]), out["warnings"]


def test_a_toll_at_the_bound_is_kept() -> None:
    out = rasad.extract_text("قتل 1.000.000 شخص في قصف على حلب", published="2024-03-05")
    assert [e["fatalities"]["best"] for e in out["events"]] == [MAX_TOLL]


def test_coordinated_figures_cannot_add_up_past_the_bound() -> None:
    text = "قتل " + " و".join(["900000 شخص"] * 5) + " في قصف على حلب"
    out = rasad.extract_text(text, published="2024-03-05")
    assert all(v <= MAX_TOLL for v in figures_of(out))


# -- bounds: report dates ----------------------------------------------------------------------


@pytest.mark.parametrize("published", EXTREME_DATES)
@pytest.mark.parametrize("when", RELATIVE)
def test_an_extreme_report_date_is_unknown_with_a_warning(published: str, when: str) -> None:
    out = rasad.extract_text(f"قتل 3 أشخاص في قصف على حلب {when}", published=published)
    assert out["reference_date"] is None
    assert any(published in w and "taken as unknown" in w for w in out["warnings"]), out["warnings"]
    assert all(e["date"] is None for e in out["events"])
    assert len(out["events"]) == 1 and out["events"][0]["fatalities"]["best"] == 3


def test_the_bound_is_1900_to_the_day_after_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NOW_ENV, "2024-03-05")
    assert today() == dt.date(2024, 3, 5)
    assert plausible_report_date(EARLIEST_REPORT_DATE)
    assert not plausible_report_date(EARLIEST_REPORT_DATE - dt.timedelta(days=1))
    assert plausible_report_date(dt.date(2024, 3, 6))  # a time zone ahead
    assert not plausible_report_date(dt.date(2024, 3, 7))
    out = rasad.extract_text("قتل 3 أشخاص في قصف على حلب أمس", published="2024-03-06")
    assert out["events"][0]["date"] == "2024-03-05"
    out = rasad.extract_text("قتل 3 أشخاص في قصف على حلب أمس", published="2024-03-07")
    assert out["reference_date"] is None and out["events"][0]["date"] is None


def test_a_dateline_out_of_range_is_no_report_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NOW_ENV, "2024-03-05")
    out = rasad.extract_text("2 آذار 2090\nقتل 3 أشخاص في قصف على حلب أمس")
    assert out["reference_date"] is None
    out = rasad.extract_text("2 آذار 2024\nقتل 3 أشخاص في قصف على حلب أمس")
    assert out["reference_date"] == "2024-03-02" and out["events"][0]["date"] == "2024-03-01"


def test_resolving_past_the_calendars_ends_is_unknown() -> None:
    for text in RELATIVE:
        for ref in (dt.date.min, dt.date.max):
            for d in dates_mod.find_dates(text):
                r = dates_mod.resolve(d, ref, (1, 9999))
                assert r.date is None or dt.date.min <= r.date <= dt.date.max


# -- what the fuzz suite shuffles (tests/test_fuzz.py) --------------------------------------------------------------------------------------

NUMBERS = ["3", "12", "1.000.000", "2.500.000", "1.5.2", "1,339", "3,000,000,000", "1.500,5", "2,5", "١٢",
           "٣٠٠", "1000000000000", "999999", "ثلاثة", "عشرات", "مئات", "ألف", "ألفين", "مليون", "نحو",
           "أكثر من", "ما لا يقل عن", "بين", "و", "عنصران", "قتيلين", "2021", "24", "15", "0", "007", "1.",
           ".5", "1..2", "5,", "9" * 20, "1" + ",000" * 30]
DATES = RELATIVE + ["الخميس", "يوم الأحد", "أيلول", "كانون الثاني 2021", "2 من كانون الأول 2021", "2021-12-02",
                    "02/12/2021", "عام 2017", "منذ 2011", "اليوم", "الليلة الماضية", "مطلع الشهر الجاري",
                    "قبل 100000 يوم", "قبل 99999 شهرا", "قبل 5000 سنة", "في 31 شباط", "الساعة 5", "أواخر عام 2019"]
WORDS = ["قتل", "مقتل", "قتلى", "أصيب", "جرحى", "استشهد", "قصف", "غارة", "غارات جوية", "هجوم", "اشتباكات",
         "كمين", "انفجار", "عبوة ناسفة", "شخص", "مدنيين", "عناصر", "قوات النظام", "تنظيم داعش", "المرصد السوري",
         "في", "على", "حلب", "ريف إدلب", "بلدة كفرنبل", "دير الزور", "العراق", "بينهم", "نفى", "الحصيلة",
         "ارتفاع", "إلى", "منهم", "الطيران الروسي", "إسرائيل", "وكالة سانا", "،", ".", "\n", "\n\n", "«", "»",
         ":", "-", "/", "(", ")", "ـ", "\u064b", "\ufeff", "\u200f", "x", "😀"]
PUBLISHED = [*EXTREME_DATES, None, "2024-03-05", "1900-01-01", "2011-03-15", "not a date", "2024-02-30"]


# -- the commands: real processes, real databases ----------------------------------------------

PLACES = ["بلدة كفرنبل بريف إدلب", "مدينة السخنة بريف حمص", "بلدة طفس بريف درعا", "مدينة الميادين بريف دير الزور",
          "بلدة تل رفعت بريف حلب"]
ATTACKS = ["قصف مدفعي لقوات النظام على", "غارة جوية روسية على", "انفجار عبوة ناسفة في", "هجوم لتنظيم داعش على"]


def record(i: int, text: str | None = None, published: str | None = None) -> str:
    """One JSON line: a report of its own incident (day, place and attack vary with i)."""
    day = dt.date(2024, 1, 1) + dt.timedelta(days=i)
    text = text or (f"قُتل {i % 9 + 2} مدنيين، اليوم، جراء {ATTACKS[i % len(ATTACKS)]} {PLACES[i % len(PLACES)]}، "
                    "بحسب المرصد السوري لحقوق الإنسان.")
    return json.dumps({"id": f"r{i}", "source": "Outlet", "title": None, "published": published or day.isoformat(),
                       "text": text}, ensure_ascii=False)


def batch_file(path: Path, n: int, extra: dict[int, str] | None = None) -> Path:
    lines = [record(i, published=(dt.date(2024, 1, 1) + dt.timedelta(days=i)).isoformat()) for i in range(n)]
    for at, line in (extra or {}).items():
        lines.insert(at, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src"), "RASAD_NOW": "2026-01-01"}


def rasad_cli(*args: str, prelude: str | None = None, **kw: Any) -> subprocess.CompletedProcess[str]:
    """`rasad ARGS` in a process of its own; with `prelude`, Python run in that process first."""
    cmd = [sys.executable, "-c", f"{prelude}\nfrom rasad.cli import main\nmain()", *args] if prelude else [str(RASAD), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env(), timeout=300, **kw)


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(RASAD), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())


def databases(tmp_path: Path) -> list[str]:
    """A new SQLite file, and the PostgreSQL database of RASAD_TEST_PG emptied (tables dropped) when it is set."""
    dbs = [str(tmp_path / "new.db")]
    pg = os.environ.get("RASAD_TEST_PG")
    if pg:
        import sqlalchemy as sa

        from rasad.database.store import db_url

        engine = sa.create_engine(db_url(pg))
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
        dbs.append(pg)
    return dbs


def counts(db: str) -> dict[str, int]:
    from rasad.database.store import Store

    store = Store(db)
    try:
        return store.counts()
    finally:
        store.engine.dispose()


def test_two_ingests_of_one_file_into_a_new_database(tmp_path: Path) -> None:
    batch = batch_file(tmp_path / "batch.jsonl", 24)
    for db in databases(tmp_path):
        procs = [spawn("ingest", str(batch), "--db", db, "--no-geocode", "--no-progress") for _ in range(2)]
        outs = [p.communicate(timeout=300) for p in procs]
        for p, (_out, err) in zip(procs, outs, strict=True):
            assert p.returncode == 0, err
            assert "Traceback" not in err and "IntegrityError" not in err, err
        c = counts(db)
        assert c["documents"] == 24 and c["quarantine"] == 0, c
        # one run alone gives the same reports: nothing missing, nothing duplicated
        alone = tmp_path / "alone.db"
        assert rasad_cli("ingest", str(batch), "--db", str(alone), "--no-geocode", "--no-progress").returncode == 0
        assert counts(str(alone))["reports"] == c["reports"] and counts(str(alone))["events"] == c["events"]


def test_two_ingests_of_one_file_into_one_database(tmp_path: Path) -> None:
    """The "already stored?" check and the insert are one: neither process meets an IntegrityError."""
    batch = batch_file(tmp_path / "batch.jsonl", 24)
    other = tmp_path / "other.jsonl"
    other.write_text("\n".join(record(i).replace(f'"r{i}"', f'"o{i}"') for i in range(24)) + "\n", encoding="utf-8")
    for db in databases(tmp_path):
        counts(db)  # the schema exists: the processes race on the documents, not on the migrations
        procs = [spawn("ingest", str(f), "--db", db, "--no-geocode", "--no-progress") for f in (batch, batch, other)]
        for p in procs:
            _out, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
            assert "Traceback" not in err and "Error" not in err, err
        c = counts(db)
        assert c["documents"] == 48 and c["quarantine"] == 0, c
        assert c["reports"] == 48, c


# a fault injected into the extractor of the process: a record holding the marker crashes it, as an
# unknown bug would (the reproducers of issue 14 are fixed, so a real one cannot stand in for it)
CRASH = "CRASH-ME"
CRASHING = f"""
import rasad.pipeline.run as run
_extract = run.extract
def extract(src, *args, **kw):
    if {CRASH!r} in src.text:
        raise RuntimeError("injected fault")
    return _extract(src, *args, **kw)
run.extract = extract
"""


def test_a_record_that_crashes_the_extractor_does_not_stop_ingest(tmp_path: Path) -> None:
    crashing = record(99, text=f"قُتل 3 مدنيين في قصف على بلدة كفرنبل بريف إدلب {CRASH}", published="2024-03-05")
    batch = batch_file(tmp_path / "batch.jsonl", 6, extra={3: crashing})  # line 4 of 7
    db = str(tmp_path / "r.db")
    args = ("ingest", str(batch), "--db", db, "--no-geocode", "--no-progress")
    first = rasad_cli(*args, prelude=CRASHING)
    assert first.returncode == 3, first.stderr
    assert f"{batch}, line 4" in first.stderr and "RuntimeError: injected fault" in first.stderr
    assert "1 document failed" in first.stderr and "Traceback" not in first.stderr
    c = counts(db)
    assert c["documents"] == 6 and c["quarantine"] == 1, c  # the rest of the batch is stored
    again = rasad_cli(*args, prelude=CRASHING)  # a re-run retries it, fails the same way, and does not die
    assert again.returncode == 3 and "Traceback" not in again.stderr, again.stderr
    assert counts(db)["documents"] == 6 and counts(db)["quarantine"] == 1
    # the bug fixed: --retry-quarantined reads that record alone, stores it, and its quarantine entry goes
    fixed = rasad_cli("ingest", "--retry-quarantined", "--db", db, "--no-geocode", "--no-progress")
    assert fixed.returncode == 0, fixed.stderr
    assert "1 documents stored, 0 already there" in fixed.stderr
    c = counts(db)
    assert c["documents"] == 7 and c["quarantine"] == 0, c
    assert rasad_cli("ingest", "--retry-quarantined", "--db", db).returncode == 0  # nothing left to retry
    # a plain re-run after a fix stores it as well, and clears its entry
    db2 = str(tmp_path / "r2.db")
    assert rasad_cli("ingest", str(batch), "--db", db2, "--no-geocode", prelude=CRASHING).returncode == 3
    again = rasad_cli("ingest", str(batch), "--db", db2, "--no-geocode", "--no-progress")
    assert again.returncode == 0 and "1 documents stored, 6 already there" in again.stderr, again.stderr
    assert counts(db2)["documents"] == 7 and counts(db2)["quarantine"] == 0


def test_a_retry_finds_the_quarantined_file_from_another_directory(tmp_path: Path) -> None:
    """The first run names its file relative to its directory; the retry runs from elsewhere."""
    crashing = record(99, text=f"قُتل 3 مدنيين في قصف على بلدة كفرنبل بريف إدلب {CRASH}", published="2024-03-05")
    first_dir, other_dir = tmp_path / "reports", tmp_path / "elsewhere"
    first_dir.mkdir()
    other_dir.mkdir()
    batch_file(first_dir / "batch.jsonl", 3, extra={1: crashing})
    db = str(tmp_path / "q.db")
    first = rasad_cli("ingest", "batch.jsonl", "--db", db, "--no-geocode", "--no-progress", prelude=CRASHING,
                      cwd=first_dir)
    assert first.returncode == 3 and "batch.jsonl, line 2" in first.stderr, first.stderr
    assert counts(db)["documents"] == 3 and counts(db)["quarantine"] == 1
    retry = rasad_cli("ingest", "--retry-quarantined", "--db", db, "--no-geocode", "--no-progress", cwd=other_dir)
    assert retry.returncode == 0, retry.stderr
    assert "1 documents stored, 0 already there" in retry.stderr, retry.stderr
    c = counts(db)
    assert c["documents"] == 4 and c["quarantine"] == 0, c


def test_a_record_that_crashes_the_extractor_does_not_stop_extract(tmp_path: Path) -> None:
    crashing = record(99, text=f"قُتل 3 مدنيين في قصف على بلدة كفرنبل بريف إدلب {CRASH}", published="2024-03-05")
    batch = batch_file(tmp_path / "batch.jsonl", 4, extra={1: crashing})
    for jobs in ("1", "2"):
        run = rasad_cli("extract", str(batch), "--no-geocode", "--jobs", jobs, prelude=CRASHING)
        assert run.returncode == 3, run.stderr
        assert f"{batch}, line 2" in run.stderr and "r99" in run.stderr and "injected fault" in run.stderr
        out = [json.loads(line) for line in run.stdout.splitlines()]
        assert [r["doc"] for r in out] == ["r0", "r99", "r1", "r2", "r3"]
        assert all(r["events"] for r in out if r["doc"] != "r99")


# -- a work limit per document: counted, so the same document is refused on every machine ------------------


def many_incidents(n: int) -> str:
    """n clauses, each a toll of its own at a site of its own: n incidents, a clause compared with up to 30."""
    rng = random.Random(14)
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهي"
    names = ["".join(rng.choice(letters) for _ in range(5)) for _ in range(n)]
    return "".join(f"قُتل {i % 50 + 2} مدنيين بقصف مدفعي على بلدة {name} أمس. " for i, name in enumerate(names))


def test_a_document_past_the_work_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasad.document import DocumentTooLarge
    from rasad.pipeline import incidents

    text = many_incidents(60)
    counted: list[int] = []
    real = incidents._Article.compared

    def spy(self: Any, n: int) -> None:
        real(self, n)
        counted.append(self.comparisons)

    monkeypatch.setattr(incidents._Article, "compared", spy)
    out = rasad.extract_text(text, published="2024-03-05")
    need = counted[-1]
    assert len(out["events"]) == 60 and need > 1000
    assert counted[-1] < incidents.MAX_COMPARISONS
    monkeypatch.setattr(incidents, "MAX_COMPARISONS", need)  # at the limit: read whole, as without one
    assert rasad.extract_text(text, published="2024-03-05") == out
    monkeypatch.setattr(incidents, "MAX_COMPARISONS", need - 1)  # one comparison more than allowed: refused
    with pytest.raises(incidents.TooMuchWork, match=f"more than {need - 1:,} comparisons") as refused:
        rasad.extract_text(text, published="2024-03-05")
    assert isinstance(refused.value, DocumentTooLarge) and "split the text into its articles" in str(refused.value)


WORK_LIMIT = "import rasad.pipeline.incidents as incidents\nincidents.MAX_COMPARISONS = 1000"


def test_a_document_past_the_work_limit_is_reported_and_quarantined(tmp_path: Path) -> None:
    heavy = json.dumps({"id": "heavy", "published": "2024-03-05", "text": many_incidents(60)}, ensure_ascii=False)
    batch = batch_file(tmp_path / "batch.jsonl", 3, extra={1: heavy})  # line 2 of 4
    run = rasad_cli("extract", str(batch), "--no-geocode", prelude=WORK_LIMIT)
    assert run.returncode == 3, run.stderr
    assert f"rasad: skipped: {batch}, line 2: heavy: its clauses need more than 1,000 comparisons" in run.stderr
    assert "1 document failed" in run.stderr and "Traceback" not in run.stderr
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["doc"] for r in out] == ["r0", "heavy", "r1", "r2"]
    assert not out[1]["events"] and "comparisons" in out[1]["warnings"][0]
    db = str(tmp_path / "w.db")
    stored = rasad_cli("ingest", str(batch), "--db", db, "--no-geocode", "--no-progress", prelude=WORK_LIMIT)
    assert f"rasad: quarantined: {batch}, line 2: heavy: its clauses need more than 1,000" in stored.stderr
    assert "Traceback" not in stored.stderr
    c = counts(db)
    assert c["documents"] == 3 and c["quarantine"] == 1, c


# -- exit codes and validation -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["missing", "empty", "binary", "empty_jsonl", "folder"])
def test_ingest_fails_when_nothing_could_be_read(tmp_path: Path, kind: str) -> None:
    path = tmp_path / {"missing": "nope.txt", "empty": "empty.txt", "binary": "bin.txt",
                       "empty_jsonl": "empty.jsonl", "folder": "folder"}[kind]
    if kind == "empty" or kind == "empty_jsonl":
        path.write_text("\n" if kind == "empty_jsonl" else "", encoding="utf-8")
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 40)
    elif kind == "folder":
        path.mkdir()
    run = rasad_cli("ingest", str(path), "--db", str(tmp_path / "x.db"), "--no-geocode", "--no-progress")
    assert run.returncode == 1, run.stderr
    assert "no document could be read" in run.stderr and "Traceback" not in run.stderr


def test_ingest_of_what_is_stored_already_succeeds(tmp_path: Path) -> None:
    batch = batch_file(tmp_path / "batch.jsonl", 3)
    db = str(tmp_path / "s.db")
    for _ in range(2):
        run = rasad_cli("ingest", str(batch), "--db", db, "--no-geocode", "--no-progress")
        assert run.returncode == 0, run.stderr
    assert "0 documents stored, 3 already there" in run.stderr


def test_a_published_that_is_no_date_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    good = record(0, published="2024-03-05")
    bad = record(1, published="next Tuesday")
    batch = tmp_path / "batch.jsonl"
    batch.write_text(f"{good}\n{bad}\n", encoding="utf-8")
    for args in (("extract", str(batch)), ("ingest", str(batch), "--db", str(tmp_path / "p.db"), "--no-progress")):
        run = rasad_cli(*args, "--no-geocode")
        assert run.returncode == 0, run.stderr
        assert f'rasad: warning: {batch}, line 2: published "next Tuesday" is not a date' in run.stderr, run.stderr
        assert "line 1" not in run.stderr
    out = [json.loads(line) for line in rasad_cli("extract", str(batch), "--no-geocode").stdout.splitlines()]
    assert any("is not a date" in w for w in out[1]["warnings"]) and out[1]["reference_date"] is None
    assert not any("is not a date" in w for w in out[0]["warnings"])
    assert any("is not a date" in w for w in rasad.extract_text("قتل 3 أشخاص", published="soon")["warnings"])


def test_one_id_with_two_texts_is_reported(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(record(0) + "\n" + record(1) + "\n" + record(0, text="نص آخر عن قصف على حلب") + "\n" + record(1) + "\n",
                     encoding="utf-8")
    run = rasad_cli("extract", str(batch), "--no-geocode")
    assert run.returncode == 0
    assert f"{batch}, line 3: record id 'r0' came before with another text ({batch}, line 1)" in run.stderr
    assert "'r1'" not in run.stderr  # the same text twice is no conflict


def test_a_line_too_long_is_not_followed_by_an_empty_file_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasad.pipeline import read

    monkeypatch.setattr(read, "MAX_LINE_BYTES", 1000)
    batch = tmp_path / "long.jsonl"
    batch.write_text(record(0, text="قصف " * 500) + "\n", encoding="utf-8")
    errors: list[Any] = []
    assert list(read.iter_sources([str(batch)], on_error=errors.append)) == []
    assert len(errors) == 1 and "longer than" in str(errors[0])


def test_extract_of_a_document_too_large_exits_non_zero(tmp_path: Path) -> None:
    from rasad.pipeline.run import MAX_CHARS

    huge = tmp_path / "huge.txt"
    huge.write_text("قُتل جنديان بهجوم في درعا. " * (MAX_CHARS // 20), encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text("قُتل جنديان بهجوم في درعا أمس.", encoding="utf-8")
    run = rasad_cli("extract", str(huge), str(small), "--no-geocode", "--published", "2024-03-05")
    assert run.returncode == 3, run.stderr
    assert "huge.txt" in run.stderr and "1 document failed" in run.stderr
    assert [json.loads(line)["doc"] for line in run.stdout.splitlines()] == ["huge.txt", "small.txt"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"inter1": 10**30}, "out of range"), ({"inter2": -1}, "out of range"), ({"inter1": 9}, "out of range"),
    ({"date": "0001-01-01"}, "out of range"), ({"date": "9999-12-31"}, "out of range"),
    ({"fatalities": {"low": 3_000_000_000}}, "out of range"), ({"wounded": {"best": MAX_TOLL + 1}}, "out of range"),
])
def test_a_correction_is_bounded_like_a_record(changes: dict[str, Any], message: str) -> None:
    from rasad.database import review

    with pytest.raises(review.ReviewError, match=message):
        review.validate(changes)
    assert review.validate({"inter1": 8, "date": "2011-03-15", "fatalities": {"low": MAX_TOLL}})["inter1"] == 8


def test_a_note_of_megabytes_is_refused(tmp_path: Path) -> None:
    from rasad.database import review
    from rasad.database.ingest import ingest
    from rasad.database.store import Store

    store = Store(str(tmp_path / "n.db"))
    ingest(store, [str(batch_file(tmp_path / "b.jsonl", 2))])
    eid = next(store.iter_events())["event_id"]
    for act in (lambda n: review.confirm(store, eid, "tester", n), lambda n: review.reject(store, eid, "tester", n),
                lambda n: review.correct(store, eid, "tester", {"inter2": 7}, n)):
        with pytest.raises(review.ReviewError, match="at most"):
            act("x" * (5 << 20))
    assert store.counts()["corrections"] == 0
    review.confirm(store, eid, "tester", "checked against the wire report")
    assert store.counts()["corrections"] == 1


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_a_published_option_out_of_range_fails_clearly(tmp_path: Path, command: str) -> None:
    text = tmp_path / "a.txt"
    text.write_text("قتل 3 أشخاص في قصف على حلب أمس", encoding="utf-8")
    extra = ["--db", str(tmp_path / "o.db")] if command == "ingest" else []
    run = rasad_cli(command, str(text), "--published", "0001-01-01", "--no-geocode", *extra)
    assert run.returncode == 2 and "out of range" in run.stderr and "Traceback" not in run.stderr, run.stderr
