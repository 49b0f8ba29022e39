"""The typed record (`rasad.schema`) says exactly what extraction emits, and README's "Output" tables say
exactly what the schema declares."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any, get_type_hints

import pytest

from rasad import extract_text, schema

README = Path(__file__).resolve().parents[1] / "README.md"
SHARED = Path(__file__).resolve().parents[2] / "shared"
PUB = "2022-03-09"

# sentences written for this test: a body with a toll and a monitor; a title that carries the toll itself
# (so claims and evidence carry "in": "title"); a tally over a period (a statistic)
OWN = [
    {"text": "قُتل 7 عناصر من قوات النظام، أمس الثلاثاء، بكمين لتنظيم داعش قرب بلدة السخنة في بادية حمص، "
             "وأصيب أربعة آخرون بحسب المرصد السوري لحقوق الإنسان.", "title": None},
    {"text": "وقال ناشطون إن المهاجمين انسحبوا بعد الهجوم.",
     "title": "مقتل 5 مدنيين بقصف مدفعي لقوات النظام على بلدة كفرنبل بريف إدلب"},
    {"text": "ووثّق المرصد السوري لحقوق الإنسان مقتل 140 مدنياً في ريف إدلب منذ مطلع العام الجاري.", "title": None},
]


def keys(td: Any) -> set[str]:
    """The keys a TypedDict declares, required or not."""
    return set(get_type_hints(td))


def required(td: Any) -> set[str]:
    return set(td.__required_keys__)


@pytest.fixture(scope="module")
def records(rasad_cmd: list[str]) -> list[dict[str, Any]]:
    """The seeds as `rasad extract` writes them (geocoded with the built-in gazetteer) when ../shared is
    beside the repository, and sentences of this test through `rasad.extract_text`."""
    recs = [extract_text(o["text"], title=o["title"], published=PUB) for o in OWN]
    seeds = SHARED / "corpus" / "seeds"
    if seeds.is_dir():
        out = subprocess.run([*rasad_cmd, "extract", str(seeds), "--no-progress"],
                             capture_output=True, text=True, check=True).stdout
        recs += [json.loads(line) for line in out.splitlines() if line.strip()]
    return recs


def _events(recs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for r in recs for e in r["events"]]


def _check(items: Iterable[dict[str, Any]], td: Any, what: str) -> None:
    """Every item has the required keys and nothing undeclared; together the items use every declared key."""
    items = list(items)
    assert items, f"no {what} in the output to check"
    seen: set[str] = set()
    for it in items:
        assert set(it) <= keys(td), f"{what} emits keys the schema does not declare: {set(it) - keys(td)}"
        assert required(td) <= set(it), f"{what} lacks required keys: {required(td) - set(it)}"
        seen |= set(it)
    assert seen == keys(td), f"{what}: declared but never emitted: {keys(td) - seen}"


def test_documents_match_the_schema(records: list[dict[str, Any]]) -> None:
    _check(records, schema.DocumentRecord, "document")


def test_events_match_the_schema(records: list[dict[str, Any]]) -> None:
    evs = _events(records)
    _check(evs, schema.EventRecord, "event")
    _check((e[k] for e in evs for k in ("fatalities", "wounded") if e[k]), schema.Figures, "figures")
    _check((c for e in evs for c in e["claims"]), schema.ClaimRecord, "claim")
    _check((i for e in evs for i in e["evidence"]), schema.Evidence, "evidence")


def test_statistics_match_the_schema(records: list[dict[str, Any]]) -> None:
    stats = [s for r in records for s in r["statistics"]]
    _check(stats, schema.StatisticRecord, "statistic")
    _check((c for s in stats for c in s["counts"]), schema.StatisticCount, "statistic count")


def test_title_words_are_marked_in_claims_and_evidence(records: list[dict[str, Any]]) -> None:
    # the one optional key: present exactly when the words come from the title
    titled = [r for r in records if r["title"] and r["doc"] == "text" and r["events"]]
    assert titled
    ev = titled[0]["events"][0]
    assert {i.get("in") for i in ev["evidence"]} == {"title"}
    assert {c.get("in") for c in ev["claims"]} == {"title"}
    body = _events([r for r in records if not r["title"] and r["doc"] == "text"])
    assert body and all("in" not in i for e in body for i in e["evidence"])


def test_the_private_governorate_key_is_not_part_of_the_record() -> None:
    # geocoding once read the text's governorate from a side-channel key that was popped before output
    assert "admin1_text" not in keys(schema.EventRecord)


def test_merged_events_match_the_schema(store: Any, tmp_path: Path) -> None:
    from rasad.database.ingest import ingest

    batch = tmp_path / "b.jsonl"
    batch.write_text("\n".join(json.dumps({"id": f"d{i}", "url": None, "source": f"Outlet {i}", "title": o["title"],
                                           "published": PUB, "text": o["text"]}, ensure_ascii=False)
                               for i, o in enumerate(OWN)) + "\n", encoding="utf-8")
    ingest(store, [str(batch)], progress=False)
    stored = list(store.iter_events())
    assert stored
    with store.engine.connect() as conn:
        import sqlalchemy as sa

        from rasad.database.store import events

        machine = [json.loads(r) for (r,) in conn.execute(sa.select(events.c.record))]
    _check(machine, schema.MergedEvent, "merged event")
    _check((c for m in machine for c in m["claims"]), schema.MergedClaim, "merged claim")
    for ev in stored:
        assert set(ev) <= keys(schema.StoredEvent), set(ev) - keys(schema.StoredEvent)


# -- README's field tables -----------------------------------------------------------------------------


def _tables(section: str) -> list[list[str]]:
    """The first-column cells of each markdown table in a README section, table by table."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {section}\n")
    end = text.find("\n## ", start + 1)
    body = text[start: end if end > 0 else len(text)]
    tables: list[list[str]] = []
    current: list[str] | None = None
    for line in body.splitlines():
        if line.startswith("|"):
            cell = line.split("|")[1].strip()
            if current is None:
                current = []
                tables.append(current)
            elif not set(cell) <= set("-: "):
                current.append(cell)
        else:
            current = None
    return tables


def _named(cells: list[str]) -> set[str]:
    return {k for c in cells for k in re.findall(r"`([^`]+)`", c)}


def test_readme_output_tables_list_exactly_the_schemas_keys() -> None:
    tables = _tables("Output")
    assert len(tables) >= 2, "the Output section has the document table, then the event table"
    doc_table, event_table = _named(tables[0]), _named(tables[1])
    assert doc_table == keys(schema.DocumentRecord), (
        f"README document table: missing {keys(schema.DocumentRecord) - doc_table}, "
        f"not in the schema {doc_table - keys(schema.DocumentRecord)}")
    assert event_table == keys(schema.EventRecord), (
        f"README event table: missing {keys(schema.EventRecord) - event_table}, "
        f"not in the schema {event_table - keys(schema.EventRecord)}")


def test_the_readme_table_parser_sees_a_missing_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "README.md"
    fake.write_text("# x\n\n## Output\n\n| field | meaning |\n| --- | --- |\n| `doc`, `url` | a |\n\n"
                    "| field | meaning |\n| --- | --- |\n| `date` | b |\n\n## Rules\n\n| `nope` | c |\n", encoding="utf-8")
    monkeypatch.setitem(globals(), "README", fake)
    assert [_named(t) for t in _tables("Output")] == [{"doc", "url"}, {"date"}]
