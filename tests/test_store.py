"""The store: ingest, idempotency, quarantine, merging across documents, split, export, stats, and an
interrupted ingest (SIGKILL) that resumes to the same database as a clean run.

Runs against SQLite always, and against PostgreSQL too when RASAD_TEST_PG holds a URL (CI starts a
server and sets it).
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from rasad.database.ingest import ingest
from rasad.database.store import Store, events

OUTLET_A = "Outlet A"
OUTLET_B = "Outlet B"


def rec(doc: str, source: str, published: str, title: str, text: str) -> str:
    return json.dumps({"id": doc, "url": f"https://example.org/{doc}", "source": source, "title": title,
                       "published": published, "text": text}, ensure_ascii=False)


# two outlets report one ambush; a third report is the next day's attack in the same area; a fourth
# is an attack elsewhere on the same day
BATCH = [
    rec("a1", OUTLET_A, "2022-03-09T10:00:00+03:00", "مقتل 9 عناصر من قوات النظام بكمين لداعش قرب السخنة",
        "قُتل 9 عناصر من قوات النظام السوري، اليوم الأربعاء، بكمين نصبه عناصر تنظيم داعش لحافلة عسكرية قرب مدينة "
        "السخنة في بادية حمص الشرقية، بحسب المرصد السوري لحقوق الإنسان."),
    rec("b1", OUTLET_B, "2022-03-09T18:00:00+03:00", "داعش يتبنى كمين السخنة",
        "قالت مصادر محلية إن 11 جندياً من الجيش السوري قتلوا، اليوم، في كمين لتنظيم داعش استهدف حافلة تقلهم قرب "
        "مدينة السخنة بريف حمص الشرقي، فيما تبنى التنظيم الهجوم عبر وكالة أعماق."),
    rec("a2", OUTLET_A, "2022-03-10T09:00:00+03:00", "هجوم جديد قرب السخنة",
        "قُتل عنصران من قوات النظام، اليوم الخميس، بهجوم جديد لتنظيم داعش على حاجز عسكري قرب مدينة السخنة "
        "بريف حمص الشرقي."),
    rec("b2", OUTLET_B, "2022-03-09T20:00:00+03:00", "قصف على إدلب",
        "قُتل ثلاثة مدنيين، اليوم، جراء قصف مدفعي لقوات النظام على بلدة كفرنبل بريف إدلب الجنوبي."),
]


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    f = tmp_path / "batch.jsonl"
    f.write_text("\n".join(BATCH) + "\n", encoding="utf-8")
    return f


def groups(store: Store) -> list[list[str]]:
    return sorted(sorted(r["doc"] for r in ev["reports"]) for ev in store.iter_events())


def test_one_incident_from_two_outlets_is_one_event(store: Store, batch: Path) -> None:
    res = ingest(store, [str(batch)])
    assert (res.documents, res.reports) == (4, 4)
    assert groups(store) == [["a1", "b1"], ["a2"], ["b2"]]
    ev = next(e for e in store.iter_events() if len(e["reports"]) == 2)
    assert ev["fatalities"] == {"low": 9, "best": 9, "high": 11}  # the monitor's figure is best
    assert set(ev["sources"]) == {OUTLET_A, OUTLET_B}
    assert {c["claimant"] for c in ev["claims"] if c["kind"] == "fatalities"} >= {
        "Syrian Observatory for Human Rights", "local sources"}
    joined = next(r for r in ev["reports"] if not r["merge_reason"].get("new_event"))
    assert any("same day" in why for why in joined["merge_reason"]["reasons"])


@pytest.mark.parametrize("size", ["1", "3"])
def test_ingest_batch_sets_the_documents_a_transaction_and_changes_no_decision(
        store: Store, batch: Path, size: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`rasad ingest --batch N` stores N documents a transaction (the rest in the last); where transactions end
    changes no merge decision."""
    from click.testing import CliRunner

    from rasad import cli
    from rasad.database import ingest as ingest_module

    ingest(store, [str(batch)])
    transactions: list[int] = []
    real = ingest_module.store_batch
    monkeypatch.setattr(ingest_module, "store_batch", lambda st, items, *a: items and transactions.append(len(items))
                        or real(st, items, *a))
    other = tmp_path / "batched.db"
    r = CliRunner().invoke(cli.main, ["ingest", str(batch), "--db", str(other), "--no-progress", "--batch", size])
    assert r.exit_code == 0, r.output
    n = len(BATCH)
    assert transactions == [int(size)] * (n // int(size)) + ([n % int(size)] if n % int(size) else [])
    assert groups(Store(str(other))) == groups(store)


def test_same_content_twice_adds_nothing(store: Store, batch: Path) -> None:
    ingest(store, [str(batch)])
    before = store.counts()
    res = ingest(store, [str(batch)])
    assert (res.documents, res.skipped) == (0, 4)
    assert store.counts() == before


def test_bad_input_is_quarantined_and_nothing_stored_is_lost(store: Store, batch: Path, tmp_path: Path) -> None:
    ingest(store, [str(batch)])
    before = store.counts()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "قُتل جنديان بهجوم في درعا"}\n{broken json\n\x00\x01\n', encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    res = ingest(store, [str(bad), str(tmp_path / "empty.txt"), str(binary)])
    assert res.documents == 1 and res.quarantined >= 3
    after = store.counts()
    assert after["documents"] == before["documents"] + 1
    assert after["quarantine"] >= 3
    assert groups(store)[:3] == [["a1", "b1"], ["a2"], ["b2"]] or ["a1", "b1"] in groups(store)


def test_split_undoes_a_merge_and_is_audited(store: Store, batch: Path) -> None:
    ingest(store, [str(batch)])
    ev = next(e for e in store.iter_events() if len(e["reports"]) == 2)
    rid = ev["reports"][1]["report_id"]
    from click.testing import CliRunner

    from rasad.cli import main

    r = CliRunner().invoke(main, ["events", "split", str(ev["event_id"]), "--report", str(rid), "--db", store.url,
                                  "--user", "tester"])
    assert r.exit_code == 0, r.output
    assert groups(store) == [["a1"], ["a2"], ["b1"], ["b2"]]
    assert store.event(ev["event_id"])["fatalities"]["best"] == 9
    assert store.counts()["corrections"] == 2  # one entry on each event: the one split and the new one


def test_exports_and_stats(store: Store, batch: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rasad.cli import main
    from rasad.database.export import ACLED_COLUMNS
    from rasad.gazetteer import open_gazetteer
    from rasad.pipeline.geocode import Geocoder

    ingest(store, [str(batch)], geocoder=Geocoder(open_gazetteer(None)))
    runner = CliRunner()
    r = runner.invoke(main, ["export", "--format", "acled-csv", "--db", store.url])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0].keys()) == ACLED_COLUMNS and len(rows) == 3
    r = runner.invoke(main, ["export", "--format", "geojson", "--db", store.url, "--admin1", "حمص"])
    fc = json.loads(r.stdout)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 2
    r = runner.invoke(main, ["export", "--format", "jsonl", "--db", store.url, "--min-fatalities", "5"])
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    assert len(lines) == 1 and len(lines[0]["reports"]) == 2
    r = runner.invoke(main, ["stats", "--db", store.url, "--json"])
    cells = json.loads(r.stdout)["cells"]
    assert sum(c["events"] for c in cells) == 3


def test_interrupted_ingest_resumes_to_the_same_database(shared: Path, rasad_cmd: list[str], tmp_path: Path) -> None:
    """A real process killed with SIGKILL half way, then run again, gives what one clean run gives."""
    import gzip

    sample = tmp_path / "ant.jsonl"
    with gzip.open(shared / "corpus" / "ant" / "articles.jsonl.gz", "rt", encoding="utf-8") as f, \
            sample.open("w", encoding="utf-8") as out:
        n = 0
        for line in f:
            if "-middleEast-" in line[:40]:
                out.write(line)
                n += 1
                if n == 400:
                    break
    env = {**os.environ, "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME", str(tmp_path / "cache"))}
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    r = subprocess.run([*rasad_cmd, "ingest", str(sample), "--db", str(clean), "--no-progress"], capture_output=True,
                       text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    proc = subprocess.Popen([*rasad_cmd, "ingest", str(sample), "--db", str(killed), "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.time() + 300
    while time.time() < deadline:
        time.sleep(0.2)
        try:
            with Store(str(killed), migrate=False).engine.connect() as conn:
                if conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one() >= 150:
                    break
        except Exception:
            continue
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = Store(str(killed)).counts()["documents"]
    assert 0 < partial < 400
    r = subprocess.run([*rasad_cmd, "ingest", str(sample), "--db", str(killed), "--no-progress"], capture_output=True,
                       text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr

    def snapshot(db: Path) -> tuple:
        s = Store(str(db))
        docs = sorted(row[0] for row in s.engine.connect().execute(sa.text("SELECT content_hash FROM documents")))
        evs = sorted((tuple(sorted(x["doc"] for x in e["reports"])), e.get("date") or "", e.get("admin1") or "",
                      json.dumps(e.get("fatalities"), sort_keys=True)) for e in s.iter_events())
        return docs, evs

    assert snapshot(killed) == snapshot(clean)


def test_a_huge_single_document_is_refused_clearly_and_nothing_is_lost(store: Store, batch: Path,
                                                                      tmp_path: Path) -> None:
    from rasad.pipeline.run import MAX_CHARS

    ingest(store, [str(batch)])
    before = store.counts()
    huge = tmp_path / "huge.txt"
    huge.write_text("قُتل جنديان بهجوم في درعا. " * (MAX_CHARS // 20), encoding="utf-8")
    res = ingest(store, [str(huge)])
    assert res.documents == 0 and res.quarantined == 1
    assert "split the text into its articles" in res.errors[0]
    after = store.counts()
    assert {k: v for k, v in after.items() if k != "quarantine"} == {k: v for k, v in before.items() if k != "quarantine"}


def test_migrations_build_exactly_the_declared_schema(tmp_path: Path) -> None:
    """A change to rasad.database.store's tables without a migration fails here."""
    from rasad.database.store import metadata

    s = Store(str(tmp_path / "m.db"))
    insp = sa.inspect(s.engine)
    # migration 0004's FTS5 table and FTS5's shadow tables are not declared (SQLAlchemy has no virtual tables)
    fts = {t for t in insp.get_table_names() if t == "event_fts" or t.startswith("event_fts_")}
    got = {t: sorted(c["name"] for c in insp.get_columns(t)) for t in insp.get_table_names()
           if t != "alembic_version" and t not in fts}
    want = {t.name: sorted(c.name for c in t.columns) for t in metadata.sorted_tables}
    assert got == want
    got_ix = {t: sorted((i["name"], tuple(i["column_names"])) for i in insp.get_indexes(t)) for t in got}
    want_ix = {t.name: sorted((i.name, tuple(c.name for c in i.columns)) for i in t.indexes)
               for t in metadata.sorted_tables}
    assert got_ix == want_ix
    assert s.search_mode == "fts5" and fts == {"event_fts", "event_fts_config", "event_fts_data", "event_fts_docsize",
                                               "event_fts_idx"}
    with s.engine.connect() as conn:
        sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'event_fts'").scalar_one()
        triggers = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                            "AND tbl_name = 'event_search'").scalars())
    assert "fts5" in sql and "content='event_search'" in sql
    assert triggers == {"event_search_fts_insert", "event_search_fts_delete", "event_search_fts_update"}


def _report(store: Store, doc: str, **ev: object) -> tuple[int, dict]:
    """Store a document with one extracted event and merge it, as `rasad ingest` does."""
    from types import SimpleNamespace

    from rasad.database.merge import place_report
    from rasad.database.store import content_hash

    src = SimpleNamespace(doc=doc, url=None, source=f"outlet {doc}", published=None, title=None, text=doc)
    rec = {"date": "2022-03-09", "date_precision": "day", "admin1": "Homs", "lat": 34.52, "lon": 37.63,
           "geo_precision": 1, "place_name_en": "Tiyas (T-4) Airbase", "event_type": "Explosions/Remote violence",
           "actor1": "Unidentified Armed Group", "actor2": None, "claims": [], **ev}
    with store.engine.begin() as conn:
        doc_id = store.add_document(conn, src, {}, content_hash(doc, None, doc))
        rid = store.add_report(conn, doc_id, 0, rec, src.source)
        return place_report(conn, rid, doc_id, rec)


def _claim(n: int, kind: str) -> list[dict]:
    return [{"kind": "fatalities", "low": n, "best": n, "high": n, "qualifier": None, "claimant": kind,
             "claimant_type": kind}]


def test_a_report_that_bridges_two_events_folds_them_into_one(store: Store) -> None:
    e1, _ = _report(store, "state", actor1="Military Forces of Israel", fatalities={"low": 2, "best": 2, "high": 2},
                    claims=_claim(2, "state_media"))
    # undated (the report's week), another type and a far higher toll: not enough to join e1 alone
    e2, why = _report(store, "monitor", date_precision="week", date_window=["2022-03-03", "2022-03-09"],
                      event_type="Battles", fatalities={"low": 14, "best": 14, "high": 14}, claims=_claim(14, "monitor"))
    assert e2 != e1 and why.get("new_event")
    # dated, the attacker of the first and the toll of the second: joins e1, which now agrees with e2
    e3, why = _report(store, "monitor2", actor1="Military Forces of Israel", fatalities={"low": 14, "best": 14, "high": 14},
                      claims=_claim(14, "monitor"))
    assert e3 == e1
    assert store.event(e2) is None
    ev = store.event(e1)
    assert ev is not None and ev["report_count"] == 3
    folded = [r["merge_reason"]["consolidated"] for r in ev["reports"] if "consolidated" in (r["merge_reason"] or {})]
    assert folded and folded[0]["from"] == e2 and folded[0]["reasons"]
    assert ev["fatalities"]["low"] == 2 and ev["fatalities"]["high"] == 14


def test_a_merged_event_never_has_its_attacker_as_its_target(store: Store) -> None:
    # one outlet names the Iraqi forces as attackers, another (wrongly) as the ones hit
    e1, _ = _report(store, "a", actor1="Military Forces of Iraq", actor2="Islamic State")
    e2, _ = _report(store, "b", actor1="Military Forces of Iraq", actor2="Military Forces of Iraq")
    e3, _ = _report(store, "c", actor1="Unidentified Armed Group", actor2="Military Forces of Iraq")
    assert e1 == e2 == e3
    with store.engine.connect() as conn:
        rec = json.loads(conn.execute(sa.select(events.c.record).where(events.c.id == e1)).scalar_one())
    assert rec["actor1"] == "Military Forces of Iraq" and rec["actor2"] == "Islamic State"


def test_an_incident_abroad_is_stored_out_of_scope(store: Store, tmp_path: Path) -> None:
    from rasad.database.export import acled_row
    from rasad.server.api import other_events_list

    f = tmp_path / "abroad.jsonl"
    f.write_text("\n".join(BATCH[3:] + [rec(
        "c1", OUTLET_A, "2022-03-09T12:00:00+03:00", "اشتباكات في الخرطوم",
        "قُتل ثمانية أشخاص، اليوم، في اشتباكات بين الجيش وقوات الدعم السريع في الخرطوم.")]) + "\n", encoding="utf-8")
    res = ingest(store, [str(f)])
    assert (res.documents, res.reports, res.out_of_scope) == (2, 1, 1)
    assert groups(store) == [["b2"]]  # the events, the map, the statistics and the exports see Syria only
    assert sum(c["events"] for c in store.stats()["cells"]) == 1
    abroad = list(store.iter_other_events())
    assert [(e["doc"], e["country"]) for e in abroad] == [("c1", "Sudan")]
    assert list(store.iter_other_events("sudan")) == abroad and list(store.iter_other_events("Iraq")) == []
    assert other_events_list(store, "Sudan") == abroad  # GET /api/v1/other-events?country=Sudan
    row = acled_row(abroad[0])  # an ACLED row of it names its country, with that country's codes
    assert (row["country"], row["iso"], row["region"]) == ("Sudan", 729, "Northern Africa")
    assert row["event_id_cnty"] == f"SDN{abroad[0]['event_id']}" and row["source"] == OUTLET_A


def test_ids_keys_and_figures_are_64_bit(store: Store) -> None:
    """Migration 0010: every column store.py declares as an integer has the declared width in the database
    (BIGINT for ids, keys and figures on PostgreSQL, INTEGER on SQLite, where it holds 64 bits), and the
    id sequences of PostgreSQL count in bigint."""
    from rasad.database.store import metadata

    dialect = store.engine.dialect
    insp = sa.inspect(store.engine)
    want = {(t.name, c.name): c.type.compile(dialect=dialect) for t in metadata.sorted_tables for c in t.columns
            if isinstance(c.type.dialect_impl(dialect), sa.Integer)}
    got = {(t, c["name"]): c["type"].compile(dialect=dialect) for t in {t for t, _c in want}
           for c in insp.get_columns(t) if (t, c["name"]) in want}
    assert got == want
    if dialect.name == "postgresql":
        assert want[("claims", "low")] == "BIGINT" and want[("events", "id")] == "BIGINT"
        with store.engine.connect() as conn:
            kinds = set(conn.exec_driver_sql("SELECT data_type FROM information_schema.sequences").scalars())
        assert kinds == {"bigint"}
    else:
        assert set(want.values()) == {"INTEGER"}  # an INTEGER PRIMARY KEY stays the rowid


def test_a_figure_above_32_bits_round_trips(store: Store) -> None:
    """A toll above 2^31 (no extraction gives one: MAX_TOLL bounds them) still fits the claims and the event's
    columns on both backends, through the store's own path (add_report, then the merge's recompute)."""
    from rasad.database.store import claims
    from rasad.pipeline.figures import MAX_TOLL

    big = 3_000_000_000
    assert big > 2**31 > MAX_TOLL
    eid, _ = _report(store, "huge toll", fatalities={"low": big, "best": big, "high": big + 1},
                     claims=[{"kind": "fatalities", "low": big, "best": big, "high": big + 1, "qualifier": None,
                              "claimant": "monitor", "claimant_type": "monitor"}])
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(events.c.fatalities_low, events.c.fatalities_best, events.c.fatalities_high)
                           .where(events.c.id == eid)).one()
        got = conn.execute(sa.select(claims.c.low, claims.c.best, claims.c.high)).one()
    assert tuple(row) == (big, big, big + 1) and tuple(got) == (big, big, big + 1)
    ev = store.event(eid)
    assert ev is not None and ev["fatalities"]["low"] == big


@pytest.mark.parametrize(("memory_mb", "cache_mb"), [(100, 64), (4096, 512), (8192, 1024), (65536, 1024)])
def test_the_ingest_page_cache_is_an_eighth_of_memory_within_bounds(memory_mb: int, cache_mb: int) -> None:
    from rasad.database.store import ingest_cache_mb

    assert ingest_cache_mb(memory_mb) == cache_mb


def test_a_writer_freezes_its_heap_after_each_batch_and_gives_it_back_at_the_end(tmp_path: Path) -> None:
    """Inside `writer_heap` (every `rasad ingest`), what is alive after a batch, the kept blocks above all, is out
    of the cyclic collector's sight (gc.freeze), and given back when the run ends; objects frozen by someone else
    before are left alone. A cycle made and dropped during the run is collected at the end."""
    import gc
    import weakref

    from rasad.database import ingest as ingest_module
    from rasad.database.ingest import store_batch, writer_heap
    from test_bulk import _docs

    class Node:
        def __init__(self) -> None:
            self.me = self  # a reference cycle: only the cyclic collector frees it

    assert gc.get_freeze_count() == 0
    store = Store(str(tmp_path / "s.db"))
    docs = _docs(40)
    with writer_heap():
        store_batch(store, docs[:20])
        frozen = gc.get_freeze_count()
        assert frozen > 0 and store.kept_blocks.kept is not None
        cycle = Node()
        gone = weakref.ref(cycle)
        store_batch(store, docs[20:])  # frozen after this batch too, while the cycle is still alive
        assert gc.get_freeze_count() > frozen
        del cycle
        gc.collect()
        assert gone() is not None  # frozen: out of the collector's sight
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None  # given back at the end, and collected
    store_batch(store, _docs(45)[40:])  # outside a writer: nothing frozen
    assert gc.get_freeze_count() == 0
    gc.freeze()  # someone else froze objects: a writer leaves them as they are
    try:
        before = gc.get_freeze_count()
        with writer_heap():
            store_batch(store, _docs(50)[45:])
            assert gc.get_freeze_count() <= before  # nothing more frozen (what was is freed when unused)
        assert 0 < gc.get_freeze_count() <= before
    finally:
        gc.unfreeze()
    assert ingest_module._heap.frozen is False


def _log_frames(path: Path) -> tuple[int, int]:
    """(frames in the write-ahead log, frames of it copied into the database), as the log's index says (the -shm
    file: mxFrame at byte 16, nBackfill at byte 96, in the machine's byte order; sqlite.org/walformat.html), read
    without a connection, which could copy the log itself."""
    import struct

    head = (path.parent / f"{path.name}-shm").read_bytes()[:100]
    return struct.unpack_from("=I", head, 16)[0], struct.unpack_from("=I", head, 96)[0]


def test_a_writer_leaves_the_log_to_a_checkpoint_thread_and_keeps_its_blocks(tmp_path: Path) -> None:
    """Inside `Store.background_checkpoints` (every `rasad ingest`), the writer's commits copy nothing into the
    database (its connection's wal_autocheckpoint is 0 during a transaction, and what it was after), a thread
    copies the log after each commit, and the writer still keeps its blocks from one batch to the next (a
    checkpoint is no other connection's write). The thread stops with the context."""
    import threading

    from rasad.database.ingest import store_batch
    from test_bulk import _docs

    path = tmp_path / "s.db"
    store = Store(str(path), cache_mb=64)
    docs = _docs(60)
    with store.background_checkpoints():
        checkpoints = store.checkpoints
        assert checkpoints is not None and any(t.name == "rasad-checkpoints" for t in threading.enumerate())
        with store.writing() as conn:
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 131072  # (`cache_mb`'s setting)
        copied = []
        for i in range(0, 60, 20):
            store_batch(store, docs[i:i + 20])
            assert store.kept_blocks.kept is not None  # taken up by the next batch: nothing else wrote
            for _ in range(200):  # the thread's checkpoint of that commit
                log, done = _log_frames(path)
                if log > 0 and done == log:
                    break
                time.sleep(0.02)
            copied.append((log, done))
        assert all(log > 0 and done == log for log, done in copied), copied
    assert store.checkpoints is None and not any(t.name == "rasad-checkpoints" for t in threading.enumerate())
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(events)).scalar() > 0


def test_a_failed_checkpoint_thread_is_told_when_the_writer_ends(tmp_path: Path) -> None:
    """A checkpoint thread that cannot work (here: its database's folder is gone) does not fail silently: the
    writer's context raises its error, with the file, when it ends."""
    from rasad.database.store import Checkpoints

    checkpoints = Checkpoints(str(tmp_path / "gone" / "s.db"))
    checkpoints.wake()
    with pytest.raises(RuntimeError, match=r"copying the write-ahead log into .*gone.*s\.db failed"):
        checkpoints.close()


def test_postgresql_has_no_checkpoint_thread(store: Store) -> None:
    """On PostgreSQL (and only there) `background_checkpoints` does nothing: the server writes its own log."""
    with store.background_checkpoints():
        assert (store.checkpoints is None) == (store.engine.dialect.name == "postgresql")


@pytest.mark.parametrize("log_pages", [40, 10**9])
def test_a_writer_that_never_pauses_still_lets_the_log_start_over(tmp_path: Path, log_pages: int,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer whose next transaction begins at once (its input ready) while a slow disk copies its last commit:
    the log starts over only when a transaction begins after a complete copy, so past LOG_PAGES pages the writer
    waits for the copy (`settle`), and the log stays small. (With no limit, 10**9, it grows with every batch: what
    the limit prevents.)"""
    from rasad.database.ingest import store_batch
    from rasad.database.store import Checkpoints
    from test_bulk import _docs

    real = Checkpoints._copy

    def slow(con: Any) -> int:
        time.sleep(0.05)  # a slow disk: the writer's next transactions begin meanwhile
        return real(con)

    monkeypatch.setattr(Checkpoints, "_copy", staticmethod(slow))
    monkeypatch.setattr(Checkpoints, "LOG_PAGES", log_pages)
    path = tmp_path / "s.db"
    store = Store(str(path), cache_mb=64)
    docs = _docs(200)
    frames = []
    with store.background_checkpoints():
        for i in range(0, 200, 4):
            store_batch(store, docs[i:i + 4])
            frames.append(_log_frames(path)[0])
    # (until the first copy reports the log's size, nothing is known: the second half of the run is looked at)
    if log_pages == 40:
        assert max(frames[25:]) < 40 + 100, frames  # the limit, and the two transactions around the last copy
    else:
        assert frames[-1] > 1000, frames  # never started over


def test_a_failed_checkpoint_stops_the_writer_at_its_next_transaction(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """When the thread's copy fails (a full disk), the writer's next transaction does not begin: the error is
    raised, with the file, and what was committed before stays stored."""
    import sqlite3

    from rasad.database.ingest import store_batch
    from rasad.database.store import Checkpoints
    from test_bulk import _docs

    def full(con: Any) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Checkpoints, "_copy", staticmethod(full))
    store = Store(str(tmp_path / "s.db"), cache_mb=64)
    docs = _docs(20)
    with pytest.raises(RuntimeError, match=r"copying the write-ahead log into .*s\.db failed: database or disk is full"):
        with store.background_checkpoints():
            store_batch(store, docs[:10])
            assert store.checkpoints is not None
            store.checkpoints._thread.join(10)  # (the thread ends on its error)
            store_batch(store, docs[10:])
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM documents").scalar() == 10
