"""End-to-end tests of the `rasad` command, run as a real subprocess (the installed console script).

Every Arabic text here is written for these tests, except the project's own `examples/` folder.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import click
import pytest

from rasad.cli import main as cli_main
from rasad.pipeline.write import CSV_COLUMNS

RASAD = Path(sys.executable).parent / "rasad"
REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"

# A report with the usual hazards for offsets: a byte-order mark, CRLF line ends, diacritics,
# tatweel, «» quotes, Arabic-Indic digits and a lam-alef ligature.
ARTICLE = (
    "مقتل ثلاثة عناصر بهجوم على حاجز في ريف درعا\r\n"
    "\r\n"
    "شارك على فيسبوك\r\n"
    "\r\n"
    "قُتِلَ ثلاثة عناصر من قوات النظام السوري، أمس، بهجومٍ شنّه مسلحون مجهولون على حاجزٍ عسكري "
    "قرب بلدة طفس في ريف درعا الغربي، بحسب «المرصد السوري لحقوق الإنسان».\r\n"
    "\r\n"
    "وأُصيب ٤ مدنيين بجروح جراء القصـف المدفعي الذي أعقب الهجوم، وﻻ تزال المنطقة تشهد توتراً.\r\n"
)
ARTICLE_BYTES = b"\xef\xbb\xbf" + ARTICLE.encode("utf-8")

RECORDS = [
    {"id": "rec-1", "url": "https://example.org/a/1", "source": "Test Wire", "published": "2022-03-08",
     "title": "مقتل جنديين بانفجار لغم في ريف حمص",
     "text": "قُتل جنديان من قوات النظام بانفجار لغم أرضي على طريق ترابي في ريف حمص الشرقي صباح اليوم."},
    {"id": "rec-2", "published": "2022-03-09",
     "text": "أُصيب ثلاثة مدنيين بقصف مدفعي استهدف قرية في ريف إدلب الجنوبي مساء أمس."},
]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(RASAD), *args], input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def jsonl(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def make_inputs(d: Path) -> None:
    """The files the commands below read, all written in `d`."""
    (d / "article.txt").write_bytes(ARTICLE_BYTES)
    (d / "empty.txt").write_bytes(b"  \n\n")
    (d / "report.txt").write_bytes(b"\x00\x01\x02binary\x00\x00\xff\xfe\x00data\x00" * 20)
    good = [json.dumps(r, ensure_ascii=False) for r in RECORDS]
    (d / "batch.jsonl").write_text(f'{good[0]}\n{{"id": "rec-broken", "text": "قصف\n{good[1]}\n', encoding="utf-8")
    news = d / "news"
    (news / "sub" / "deeper").mkdir(parents=True)
    (news / ".hidden").mkdir()
    (news / "a.txt").write_bytes(ARTICLE_BYTES)
    (news / "sub" / "b.txt").write_text(RECORDS[1]["text"], encoding="utf-8")
    (news / "sub" / "deeper" / "c.jsonl").write_text(good[0] + "\n", encoding="utf-8")
    (news / "sub" / "notes.md").write_text("ملاحظات لا تقرأ", encoding="utf-8")
    (news / ".hidden" / "d.txt").write_text(RECORDS[1]["text"], encoding="utf-8")
    (news / "sub" / ".e.txt").write_text(RECORDS[1]["text"], encoding="utf-8")
    (d / "nothing").mkdir()
    (d / "out dir").mkdir()
    (d / "previous.jsonl").write_text("previous results\n", encoding="utf-8")


def commands(d: Path) -> dict[str, tuple[list[str], str | None]]:
    """Every command line the tests look at: name -> (arguments, standard input)."""
    article = str(d / "article.txt")
    batch_lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS)
    cmds: dict[str, tuple[list[str], str | None]] = {
        "help": (["--help"], None),
        "-h": (["-h"], None),
        "version": (["--version"], None),
        "unknown command": (["extrakt"], None),
        "jsonl": (["extract", article, "--format", "jsonl"], None),
        "json": (["extract", article, "--format", "json"], None),
        "csv": (["extract", article, "--format", "csv"], None),
        "table": (["extract", article, "--format", "table"], None),
        "output": (["extract", article, "-o", str(d / "out dir" / "events.jsonl")], None),
        "stdin text": (["extract", "-"], ARTICLE.replace("\r\n", "\n")),
        "stdin jsonl": (["extract", "-"], batch_lines),
        "published": (["extract", article, "--published", "2021-05-04"], None),
        "not a date": (["extract", article, "--published", "notadate"], None),
        "not a date -o": (["extract", article, "--published", "2021-13-45", "-o", str(d / "previous.jsonl")], None),
        "not a date json": (["extract", article, "--published", "notadate", "--format", "json"], None),
        "missing": (["extract", str(d / "no_such_article.txt")], None),
        "empty": (["extract", str(d / "empty.txt")], None),
        "binary": (["extract", str(d / "report.txt")], None),
        "binary and good": (["extract", str(d / "report.txt"), article], None),
        "broken jsonl": (["extract", str(d / "batch.jsonl")], None),
        "folder": (["extract", str(d / "news")], None),
        "empty folder": (["extract", str(d / "nothing")], None),
        "examples": (["extract", str(EXAMPLES), "--jobs", "1"], None),
        "examples jobs 2": (["extract", str(EXAMPLES), "--jobs", "2"], None),
        "jobs 0": (["extract", str(EXAMPLES), "--jobs", "0"], None),
    }
    for name in cli_main.commands:
        cmds[f"help {name}"] = ([name, "--help"], None)
    return cmds


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("cli")
    make_inputs(d)
    return d


@pytest.fixture(scope="module")
def runs(workdir: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    """All the command lines, run as real subprocesses, a few at a time to keep the tests fast."""
    cmds = commands(workdir)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {name: pool.submit(run, *args, stdin=stdin) for name, (args, stdin) in cmds.items()}
        return {name: f.result() for name, f in futures.items()}


Runs = dict[str, subprocess.CompletedProcess[str]]


def test_console_script_exists() -> None:
    assert RASAD.is_file(), f"{RASAD} is missing: install the package (pip install -e .)"


# --------------------------------------------------------------------------------------------- help


@pytest.mark.parametrize("flag", ["help", "-h"])
def test_group_help_lists_commands(runs: Runs, flag: str) -> None:
    assert set(cli_main.commands) == {"extract", "eval", "gazetteer", "ingest", "events", "export", "stats", "serve",
                                      "users", "review", "boundaries", "reprocess"}
    r = runs[flag]
    assert r.returncode == 0, r.stderr
    assert "Usage: rasad" in r.stdout
    for name in cli_main.commands:
        assert name in r.stdout
    assert "--version" in r.stdout


def test_version(runs: Runs) -> None:
    from rasad import __version__

    assert runs["version"].returncode == 0
    assert __version__ in runs["version"].stdout


@pytest.mark.parametrize("command", sorted(cli_main.commands))
def test_command_help_mentions_every_option(runs: Runs, command: str) -> None:
    r = runs[f"help {command}"]
    assert r.returncode == 0, r.stderr
    assert f"Usage: rasad {command}" in r.stdout
    cmd = cli_main.commands[command]
    if isinstance(cmd, click.Group):  # a group: its help lists its subcommands
        for sub in cmd.commands:
            assert sub in r.stdout
        return
    options = [p for p in cmd.params if isinstance(p, click.Option)]
    assert options
    for p in options:
        for opt in [*p.opts, *p.secondary_opts]:
            assert opt in r.stdout, f"{command} --help does not mention {opt}"
        if isinstance(p.type, click.Choice):
            assert "|".join(p.type.choices) in r.stdout


def test_extract_help_names_formats_and_inputs(runs: Runs) -> None:
    out = runs["help extract"].stdout
    for word in ("--published", "--format", "jsonl", "csv", "table", "--output", "--jobs", "stdin", "folders"):
        assert word in out


def test_unknown_command_fails(runs: Runs) -> None:
    r = runs["unknown command"]
    assert r.returncode == 2
    assert "No such command" in r.stderr


# --------------------------------------------------------------------------------------------- formats


def test_jsonl_one_line_with_the_record_keys(runs: Runs) -> None:
    r = runs["jsonl"]
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 1
    rec = json.loads(lines[0])
    assert {"doc", "url", "source", "published", "events", "statistics", "warnings"} <= set(rec)
    assert rec["doc"] == "article.txt"
    assert rec["url"] is None and rec["source"] is None and rec["published"] is None
    assert rec["events"], "the article reports an attack"
    assert isinstance(rec["statistics"], list) and isinstance(rec["warnings"], list)
    assert "1 documents" in r.stderr


def test_evidence_offsets_point_into_the_file(workdir: Path, runs: Runs) -> None:
    rec = jsonl(runs["jsonl"].stdout)[0]
    text = (workdir / "article.txt").read_bytes().decode("utf-8-sig")  # as decoded: CRLF kept, BOM dropped
    assert "\r\n" in text
    n = 0
    for ev in rec["events"]:
        assert "event" in {item["field"] for item in ev["evidence"]}
        for item in ev["evidence"]:
            assert 0 <= item["start"] < item["end"] <= len(text)
            assert text[item["start"] : item["end"]] == item["text"], item
            n += 1
        for claim in ev["claims"]:
            assert text[claim["start"] : claim["end"]] == claim["text"], claim
    assert n >= 3
    quotes = [item["text"] for ev in rec["events"] for item in ev["evidence"]]
    assert any("قُتِلَ ثلاثة عناصر" in q for q in quotes)
    assert any("٤ مدنيين" in q for q in quotes)


def test_json_is_a_list(runs: Runs) -> None:
    r = runs["json"]
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert isinstance(data, list)
    assert data == jsonl(runs["jsonl"].stdout)


def test_csv_has_the_documented_header(runs: Runs) -> None:
    r = runs["csv"]
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0] == CSV_COLUMNS
    events = jsonl(runs["jsonl"].stdout)[0]["events"]
    assert len(rows) == 1 + len(events)
    for i, (row, ev) in enumerate(zip(rows[1:], events, strict=True), start=1):
        cell = dict(zip(CSV_COLUMNS, row, strict=True))
        assert cell["doc"] == "article.txt"
        assert cell["event_index"] == str(i)
        assert cell["event_type"] == ev["event_type"]
        assert cell["actor1"] == (ev["actor1"] or "")


def test_table_prints_the_doc_name(runs: Runs) -> None:
    r = runs["table"]
    assert r.returncode == 0, r.stderr
    assert "== article.txt" in r.stdout
    assert "  1. " in r.stdout


def test_output_file(workdir: Path, runs: Runs) -> None:
    r = runs["output"]
    out = workdir / "out dir" / "events.jsonl"
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    assert out.read_text(encoding="utf-8") == runs["jsonl"].stdout
    assert str(out) in r.stderr


# --------------------------------------------------------------------------------------------- stdin


def test_stdin_plain_text(runs: Runs) -> None:
    r = runs["stdin text"]
    assert r.returncode == 0, r.stderr
    (rec,) = jsonl(r.stdout)
    assert rec["doc"] == "stdin"
    expected = jsonl(runs["jsonl"].stdout)[0]["events"]
    assert [e["event_type"] for e in rec["events"]] == [e["event_type"] for e in expected]
    text = ARTICLE.replace("\r\n", "\n")
    for ev in rec["events"]:
        for item in ev["evidence"]:
            assert text[item["start"] : item["end"]] == item["text"]


def test_stdin_json_lines(runs: Runs) -> None:
    r = runs["stdin jsonl"]
    assert r.returncode == 0, r.stderr
    recs = jsonl(r.stdout)
    assert [x["doc"] for x in recs] == ["rec-1", "rec-2"]
    assert recs[0]["url"] == "https://example.org/a/1" and recs[0]["source"] == "Test Wire"
    assert recs[0]["published"] == "2022-03-08"
    assert all(x["events"] for x in recs)
    # evidence may point into the title: it says so, and its offsets are right there too
    for rec, src in zip(recs, RECORDS, strict=True):
        for ev in rec["events"]:
            for item in ev["evidence"]:
                where = src["title"] if item.get("in") == "title" else src["text"]
                assert where[item["start"] : item["end"]] == item["text"]


# --------------------------------------------------------------------------------------------- dates


def test_published_resolves_yesterday(runs: Runs) -> None:
    r = runs["published"]
    assert r.returncode == 0, r.stderr
    (rec,) = jsonl(r.stdout)
    assert rec["published"] == "2021-05-04"
    attack = next(e for e in rec["events"] if any("أمس" in i["text"] for i in e["evidence"]))
    assert attack["date"] == "2021-05-03"
    assert [i["text"] for i in attack["evidence"] if i["field"] == "date"] == ["أمس"]


def test_without_published_yesterday_is_unresolved(runs: Runs) -> None:
    rec = jsonl(runs["jsonl"].stdout)[0]
    assert all(e["date"] != "2021-05-03" for e in rec["events"])
    assert any("--published" in w for w in rec["warnings"])


def test_published_not_a_date_fails_clearly(runs: Runs) -> None:
    r = runs["not a date"]
    assert r.returncode == 2
    assert r.stdout == ""
    assert "--published" in r.stderr
    assert "'notadate' is not a date" in r.stderr
    assert "YYYY-MM-DD" in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_published_leaves_the_output_file_alone(workdir: Path, runs: Runs) -> None:
    r = runs["not a date -o"]
    assert r.returncode == 2
    assert "'2021-13-45' is not a date" in r.stderr
    assert (workdir / "previous.jsonl").read_text(encoding="utf-8") == "previous results\n"


def test_bad_published_writes_nothing_in_json_format(runs: Runs) -> None:
    r = runs["not a date json"]
    assert r.returncode == 2
    assert r.stdout == ""


# --------------------------------------------------------------------------------------------- bad inputs


def test_missing_path(workdir: Path, runs: Runs) -> None:
    r = runs["missing"]
    assert r.returncode == 1
    assert r.stdout == ""
    assert f"no such file or folder: {workdir / 'no_such_article.txt'}" in r.stderr
    assert "Error: no document could be read" in r.stderr
    assert "Traceback" not in r.stderr


def test_empty_file(workdir: Path, runs: Runs) -> None:
    r = runs["empty"]
    assert r.returncode == 1
    assert r.stdout == ""
    assert "empty" in r.stderr
    assert str(workdir / "empty.txt") in r.stderr
    assert "Traceback" not in r.stderr


def test_binary_file(workdir: Path, runs: Runs) -> None:
    r = runs["binary"]
    assert r.returncode == 1
    assert r.stdout == ""
    assert f"{workdir / 'report.txt'} looks like a binary file" in r.stderr
    assert "Traceback" not in r.stderr


def test_unreadable_file_among_good_ones(runs: Runs) -> None:
    r = runs["binary and good"]
    assert r.returncode == 0, r.stderr
    assert [x["doc"] for x in jsonl(r.stdout)] == ["article.txt"]
    assert "binary" in r.stderr and "1 unreadable" in r.stderr


def test_broken_jsonl_line_among_good_ones(workdir: Path, runs: Runs) -> None:
    r = runs["broken jsonl"]
    assert r.returncode == 0, r.stderr
    assert [x["doc"] for x in jsonl(r.stdout)] == ["rec-1", "rec-2"]
    assert f"{workdir / 'batch.jsonl'}, line 2: not valid JSON" in r.stderr
    assert "line 1" not in r.stderr and "line 3" not in r.stderr
    assert "2 documents" in r.stderr and "1 unreadable" in r.stderr


# --------------------------------------------------------------------------------------------- folders


def test_folder_is_read_recursively(runs: Runs) -> None:
    r = runs["folder"]
    assert r.returncode == 0, r.stderr
    recs = jsonl(r.stdout)
    # sorted by path, sub-folders included; hidden files and folders and unknown extensions skipped
    assert [x["doc"] for x in recs] == ["a.txt", "b.txt", "rec-1"]
    assert all(x["events"] for x in recs)
    assert "3 documents" in r.stderr


def test_empty_folder(runs: Runs) -> None:
    r = runs["empty folder"]
    assert r.returncode == 1
    assert "holds no files to read" in r.stderr


# --------------------------------------------------------------------------------------------- examples


def example_texts() -> list[Path]:
    return sorted(EXAMPLES.glob("*.txt"))


def test_examples_folder(runs: Runs) -> None:
    r = runs["examples"]
    assert r.returncode == 0, r.stderr
    by_doc = {rec["doc"]: rec for rec in jsonl(r.stdout)}
    texts = example_texts()
    assert len(texts) >= 3 and any(p.name == "03_not_events.txt" for p in texts)
    for path in texts:
        assert path.name in by_doc, path.name
        events = by_doc[path.name]["events"]
        if path.name == "03_not_events.txt":
            assert events == [], [e["evidence"][0]["text"] for e in events]
        else:
            assert events, f"no event from {path.name}"
            content = path.read_bytes().decode("utf-8-sig")
            for ev in events:
                for item in ev["evidence"]:
                    assert content[item["start"] : item["end"]] == item["text"]


def test_examples_batch_records(runs: Runs) -> None:
    batch = EXAMPLES / "05_batch.jsonl"
    if not batch.exists():
        pytest.skip("examples/05_batch.jsonl is absent")
    sources = {o["id"]: o for o in map(json.loads, batch.read_text(encoding="utf-8").splitlines())}
    by_doc = {rec["doc"]: rec for rec in jsonl(runs["examples"].stdout)}
    assert set(sources) <= set(by_doc)
    for doc, src in sources.items():
        rec = by_doc[doc]
        assert rec["url"] == src.get("url") and rec["source"] == src.get("source")
        for ev in rec["events"]:
            for item in ev["evidence"]:
                where = src["title"] if item.get("in") == "title" else src["text"]
                assert where[item["start"] : item["end"]] == item["text"]


def test_jobs_2_gives_the_same_output(runs: Runs) -> None:
    r = runs["examples jobs 2"]
    assert r.returncode == 0, r.stderr
    assert r.stdout == runs["examples"].stdout
    assert len(r.stdout.splitlines()) >= len(example_texts())


def test_jobs_out_of_range(runs: Runs) -> None:
    r = runs["jobs 0"]
    assert r.returncode == 2
    assert "--jobs" in r.stderr


def test_export_out_of_scope_writes_each_incident_abroad_with_its_country(tmp_path: Path) -> None:
    """Incidents placed abroad are stored apart: the default export leaves them out, --out-of-scope
    exports them with their own country's codes, --country keeps one country."""
    batch = tmp_path / "mixed.jsonl"
    rows = [
        {"id": "syr-1", "source": "Test Wire", "published": "2022-03-09",
         "text": "قُتل جنديان من قوات النظام بانفجار لغم أرضي على طريق ترابي في ريف حمص الشرقي صباح اليوم."},
        {"id": "irq-1", "source": "Test Wire", "published": "2022-03-09",
         "text": "قُتل أربعة أشخاص بانفجار عبوة ناسفة استهدفت سوقا شعبية في بغداد صباح اليوم."},
    ]
    batch.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = str(tmp_path / "m.db")
    assert run("ingest", str(batch), "--db", db).returncode == 0
    syria = run("export", "--db", db)
    assert syria.returncode == 0 and "Iraq" not in syria.stdout and "Homs" in syria.stdout
    abroad = run("export", "--db", db, "--out-of-scope")
    assert abroad.returncode == 0, abroad.stderr
    [row] = list(csv.DictReader(io.StringIO(abroad.stdout)))
    assert (row["country"], row["iso"], row["region"]) == ("Iraq", "368", "Middle East")
    assert row["event_id_cnty"].startswith("IRQ") and row["fatalities"] == "4"
    assert "1 incidents out of scope" in abroad.stderr
    none = run("export", "--db", db, "--out-of-scope", "--country", "Lebanon")
    assert none.returncode == 0 and list(csv.DictReader(io.StringIO(none.stdout))) == []
    wrong = run("export", "--db", db, "--country", "Iraq")
    assert wrong.returncode != 0 and "--out-of-scope" in wrong.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "table"])
@pytest.mark.parametrize("events_only", [False, True])
def test_records_rendered_in_pool_workers_equal_the_single_process_output(fmt: str, events_only: bool,
                                                                          tmp_path: Path) -> None:
    """With --jobs 2 each record is rendered where it was extracted (`write.Render`) and the parent only writes
    it: the bytes must be those of one process, in every format, with and without --events-only."""
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"{jobs}.{fmt}"
        args = [str(RASAD), "extract", str(EXAMPLES), "--format", fmt, "--jobs", jobs,
                "--no-progress", "-o", str(out)] + (["--events-only"] if events_only else [])
        done = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"})
        assert done.returncode == 0, done.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert outs[0].count(b"\n") >= 5  # several documents were written
