"""Analysts' review through the library (rasad.database.review): corrections that keep the machine record and
keep applying when new reports join, confirm / reject, merge / split, validation, and the gold export
read by the official scorer.

Runs against SQLite always, and against PostgreSQL too when RASAD_TEST_PG holds a URL.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from rasad.cli import main
from rasad.database import review
from rasad.database.ingest import ingest
from rasad.database.store import Store, events
from test_store import BATCH


def _ingest(store: Store, tmp_path: Path, *lines: str) -> None:
    f = tmp_path / f"batch{len(list(tmp_path.glob('batch*')))}.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest(store, [str(f)])


def _machine(store: Store, event_id: int) -> dict:
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(events).where(events.c.id == event_id)).mappings().one()
    return {**dict(row), "record": json.loads(row["record"])}


def test_a_correction_keeps_the_machine_record_and_survives_new_reports(store: Store, tmp_path: Path) -> None:
    _ingest(store, tmp_path, BATCH[0])  # Outlet A: 9 killed near as-Sukhnah
    (ev,) = list(store.iter_events())
    eid = ev["event_id"]
    got = review.correct(store, eid, "alice", {"fatalities": {"low": 20, "best": 20, "high": 20},
                                               "actor2": "NDF: National Defence Forces"}, note="checked the video")
    assert got["corrected_fields"] == ["actor2", "fatalities", "inter2"]  # ACLED's code for the NDF came along
    _ingest(store, tmp_path, BATCH[1])  # Outlet B reports the same ambush (11 killed): it joins the event
    (ev,) = list(store.iter_events())
    assert ev["event_id"] == eid and len(ev["reports"]) == 2
    assert ev["fatalities"] == {"low": 20, "best": 20, "high": 20} and ev["fatalities_acled"] == 20
    assert ev["actor2"] == "NDF: National Defence Forces" and ev["corrected_fields"] == ["actor2", "fatalities", "inter2"]
    assert ev["inter2"] == 3
    row = _machine(store, eid)
    assert row["record"]["fatalities"] == {"low": 9, "best": 9, "high": 11}  # the machine's merge, untouched
    assert row["record"]["actor2"] == "Military Forces of Syria"
    assert (row["fatalities_low"], row["actor2"]) == (20, "NDF: National Defence Forces")  # what filters read
    trail = [(c["user"], c["action"], c["field"], c["old"], c["new"], c["note"]) for c in ev["corrections"]]
    assert ("alice", "correct", "fatalities", {"low": 9, "best": 9, "high": 9}, {"low": 20, "best": 20, "high": 20},
            "checked the video") in trail
    # the same value again changes nothing and logs nothing
    assert review.correct(store, eid, "alice", {"actor2": "NDF: National Defence Forces"})["changed"] == {}
    assert len(store.event(eid)["corrections"]) == 3


def test_inter_codes_follow_acled_for_a_known_actor(store: Store, tmp_path: Path) -> None:
    """A corrected inter code must be ACLED's for the event's actor when rasad's actor table knows it (any 0 to 8
    for an actor it does not know); a corrected actor brings its code along; no actor, no code."""
    from rasad.pipeline.annotate.actors import inter_code

    _ingest(store, tmp_path, BATCH[0])  # Islamic State (2) against Military Forces of Syria (1)
    (ev,) = list(store.iter_events())
    eid = ev["event_id"]
    assert (ev["actor1"], ev["inter1"], ev["actor2"], ev["inter2"]) == ("Islamic State", 2, "Military Forces of Syria", 1)
    for changes, message in (({"inter1": 3}, "ACLED's inter code for Islamic State is 2, not 3"),
                             ({"inter2": 7}, "ACLED's inter code for Military Forces of Syria is 1"),
                             ({"actor1": "Military Forces of Syria", "inter1": 2}, "is 1, not 2"),
                             ({"actor2": None, "inter2": 1}, "no actor2")):
        with pytest.raises(review.ReviewError, match=message):
            review.correct(store, eid, "alice", changes)
    assert store.event(eid)["corrections"] == []  # nothing half-done
    assert review.correct(store, eid, "alice", {"inter1": 2})["changed"] == {}  # ACLED's own: nothing to change
    # an actor the table does not know: any code 0 to 8, as the analyst says
    assert inter_code("Tribal militia of the village") is None
    got = review.correct(store, eid, "alice", {"actor1": "Tribal militia of the village", "inter1": 4})
    assert got["changed"] == {"actor1": "Tribal militia of the village", "inter1": 4}
    # a known actor again, without its code: the code follows
    got = review.correct(store, eid, "alice", {"actor1": "Islamic State"})
    assert got["changed"] == {"actor1": "Islamic State", "inter1": 2}
    got = review.correct(store, eid, "alice", {"actor2": None})
    assert got["changed"] == {"actor2": None, "inter2": None}
    ev = store.event(eid)
    assert (ev["actor1"], ev["inter1"], ev["actor2"], ev["inter2"]) == ("Islamic State", 2, None, None)
    trail = [(c["field"], c["old"], c["new"]) for c in ev["corrections"]]
    assert ("inter2", 1, None) in trail and ("inter1", 4, 2) in trail


def test_confirm_and_reject_are_logged_and_rejected_events_leave_the_stats(store: Store, tmp_path: Path) -> None:
    _ingest(store, tmp_path, *BATCH)
    first, *_rest, last = list(store.iter_events())
    review.confirm(store, first["event_id"], "bob")
    review.reject(store, last["event_id"], "bob", note="not an incident")
    assert store.event(first["event_id"])["status"] == "confirmed"
    assert [(c["action"], c["new"], c["note"]) for c in store.event(last["event_id"])["corrections"]] == [
        ("reject", "rejected", "not an incident")]
    assert sum(c["events"] for c in store.stats()["cells"]) == 2
    with pytest.raises(review.NotFound):
        review.confirm(store, 999999, "bob")


def test_merge_and_split_through_the_library(store: Store, tmp_path: Path) -> None:
    _ingest(store, tmp_path, *BATCH)
    evs = {len(e["reports"]): e for e in store.iter_events()}
    pair = evs[2]
    single = next(e for e in store.iter_events() if e["event_id"] != pair["event_id"])
    res = review.merge(store, pair["event_id"], single["event_id"], "carol")
    assert store.event(single["event_id"]) is None
    merged = store.event(pair["event_id"])
    assert len(merged["reports"]) == 3 and res["reports"] == sorted(r["report_id"] for r in merged["reports"])
    with store.engine.connect() as conn:
        assert [c["action"] for c in store.audit(conn, single["event_id"])] == ["merge"]  # logged on both
        assert [c["action"] for c in store.audit(conn, pair["event_id"])] == ["merge"]
    moved = [r["report_id"] for r in merged["reports"] if (r["merge_reason"] or {}).get("from_event")]
    new = review.split(store, pair["event_id"], moved, "carol")
    assert [r["report_id"] for r in store.event(new)["reports"]] == moved
    assert store.event(new)["date"] == single["date"]
    assert store.event(pair["event_id"])["fatalities"] == pair["fatalities"]
    with pytest.raises(review.ReviewError, match="leave the event empty"):
        review.split(store, new, moved, "carol")
    with pytest.raises(review.ReviewError, match="into itself"):
        review.merge(store, new, new, "carol")


@pytest.mark.parametrize("changes, message", [
    ({}, "at least one field"),
    ({"record": "{}"}, "cannot be corrected"),
    ({"date": "2022-02-30"}, "YYYY-MM-DD"),
    ({"date_precision": "hour"}, "one of day"),
    ({"fatalities": {"low": 3, "best": 2}}, "low <= best <= high"),
    ({"fatalities": {"many": 3}}, "{low, best, high}"),
    ({"wounded": {"low": -1}}, "out of range"),
    ({"lat": 95}, "between -90 and 90"),
    ({"geo_precision": 4}, "out of range"),
    ({"actor1": ""}, "non-empty string"),
    ({"weapons": "IED"}, "list of strings"),
    ({"actor1": "Islamic\x00State"}, "NUL character"),
    ({"weapons": ["IED\x00"]}, "without NUL characters"),
])
def test_corrections_are_validated(changes: dict, message: str) -> None:
    with pytest.raises(review.ReviewError, match=message.replace("{", r"\{").replace("}", r"\}")):
        review.validate(changes)


def test_validation_normalises_governorates_and_dates() -> None:
    assert review.validate({"admin1": "حمص", "date": "2022-03-09", "fatalities": {"low": 2}}) == {
        "admin1": "Homs", "date": "2022-03-09", "fatalities": {"low": 2, "best": None, "high": None}}


def test_gold_export_is_read_by_the_official_scorer(store: Store, shared: Path, tmp_path: Path) -> None:
    """Reviewed seed articles become a gold file; the official scorer reads it and scores rasad's own
    extraction of those articles against it: every reviewed event matches, and the corrected figure is
    the one field that now disagrees."""
    from rasad.gazetteer import open_gazetteer
    from rasad.pipeline.geocode import Geocoder

    corpus = shared / "corpus" / "seeds"
    docs = sorted(corpus.iterdir())[:3]
    ingest(store, [str(p) for p in docs], geocoder=Geocoder(open_gazetteer(None)))
    evs = list(store.iter_events())
    first_doc = docs[0].name
    reviewed = [e for e in evs if any(r["doc"] in (docs[0].name, docs[1].name) for r in e["reports"])]
    assert reviewed
    for e in reviewed[1:]:
        review.confirm(store, e["event_id"], "dana")
    target = reviewed[0]
    f = target["fatalities"] or {}
    wrong = {"low": (f.get("low") or 0) + 7, "best": (f.get("low") or 0) + 7, "high": (f.get("low") or 0) + 7}
    review.correct(store, target["event_id"], "dana", {"fatalities": wrong})

    out = tmp_path / "gold.json"
    r = CliRunner().invoke(main, ["review", "export", "-o", str(out), "--db", store.url])
    assert r.exit_code == 0, r.output
    gold = json.loads(out.read_text(encoding="utf-8"))
    assert gold == review.gold_export(store)
    seeds = json.loads((shared / "gold" / "seeds.json").read_text(encoding="utf-8"))
    assert set(gold) == set(seeds)
    assert {d["doc"] for d in gold["documents"]} <= {first_doc, docs[1].name}
    ge = gold["documents"][0]["events"][0]
    assert set(seeds["documents"][0]["events"][0]) <= set(ge)
    assert set(seeds["documents"][0]["events"][0]["location"]) == set(ge["location"])
    required = [g for d in gold["documents"] for g in d["events"] if g["required"]]
    assert len(required) == len(reviewed) and all(g["anchors"] for g in required)

    # rasad's own extraction of the same documents, as the scorer reads predictions
    pred = tmp_path / "pred.jsonl"
    by_doc: dict[str, list[dict]] = {}
    for e in evs:
        for rep in e["reports"]:
            by_doc.setdefault(rep["doc"], []).append(rep["event"])
    pred.write_text("".join(json.dumps({"doc": d, "events": v}, ensure_ascii=False) + "\n" for d, v in by_doc.items()),
                    encoding="utf-8")
    spec = importlib.util.spec_from_file_location("rasad_official_scorer_review", shared / "eval" / "score.py")
    assert spec and spec.loader
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        scorer.main([str(out), str(pred), "--corpus", str(corpus), "--json"])
    metrics = json.loads(buf.getvalue())
    assert (metrics["tp"], metrics["fn"], metrics["fp"]) == (len(required), 0, 0)
    fat = metrics["fields"]["fatalities_best"]
    assert (fat["correct"], fat["of"]) == (len(required) - 1, len(required))
    assert metrics["fields"]["event_type"]["acc"] == 1.0


def test_users_add_prints_a_token_once_and_stores_only_its_hash(store: Store) -> None:
    from rasad.database.store import users
    from rasad.server.auth import hash_token, user_for_token

    runner = CliRunner()
    r = runner.invoke(main, ["users", "add", "erin", "--db", store.url])
    assert r.exit_code == 0, r.output
    token = r.stdout.strip()
    assert len(token) >= 32 and user_for_token(store, token) == "erin" and user_for_token(store, token + "x") is None
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(users.c.token_hash)).scalars().all()
    assert stored == [hash_token(token)] and token not in stored
    again = runner.invoke(main, ["users", "add", "erin", "--db", store.url])
    assert again.exit_code != 0 and "exists already" in again.output
    listed = runner.invoke(main, ["users", "list", "--db", store.url])
    assert listed.stdout.split("\t")[0] == "erin" and token not in listed.stdout


def test_cli_exports_use_the_corrections_and_leave_rejected_events_out(store: Store, tmp_path: Path) -> None:
    import csv

    _ingest(store, tmp_path, *BATCH)
    evs = list(store.iter_events())
    pair = next(e for e in evs if len(e["reports"]) == 2)
    other = next(e for e in evs if e["event_id"] != pair["event_id"])
    review.correct(store, pair["event_id"], "frank", {"fatalities": {"low": 30, "best": 31, "high": 32}})
    review.reject(store, other["event_id"], "frank")
    runner = CliRunner()
    out = runner.invoke(main, ["export", "--format", "jsonl", "--db", store.url]).stdout
    lines = {e["event_id"]: e for e in map(json.loads, out.splitlines())}
    assert other["event_id"] not in lines and len(lines) == len(evs) - 1
    assert lines[pair["event_id"]]["fatalities"] == {"low": 30, "best": 31, "high": 32}
    assert lines[pair["event_id"]]["corrected_fields"] == ["fatalities"]
    ucdp = list(csv.DictReader(io.StringIO(runner.invoke(main, ["export", "--format", "ucdp-csv", "--db",
                                                                store.url]).stdout)))
    row = next(r for r in ucdp if r["id"] == str(pair["event_id"]))
    assert (row["low"], row["best"], row["high"]) == ("30", "31", "32")
    r = runner.invoke(main, ["export", "--format", "acled-csv", "--db", store.url, "--min-fatalities", "30"])
    (acled,) = list(csv.DictReader(io.StringIO(r.stdout)))
    assert acled["fatalities"] == "30" and "Analyst correction: fatalities 9/9/11 → 30/31/32 (frank)." in acled["notes"]


def test_a_database_of_the_first_schema_upgrades_with_its_events_searchable(store: Store, tmp_path: Path) -> None:
    """A database made before the explorer (migration 0001) gains 0002 and 0003 on open: its events keep
    their data, get their district and search text, and `?q=` finds them."""
    from alembic import command
    from alembic.config import Config

    from rasad.database.store import event_search

    _ingest(store, tmp_path, *BATCH)
    n = len(list(store.iter_events()))
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(review.__file__).with_name("migrations")))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    engine = sa.create_engine(store.url)
    insp = sa.inspect(engine)
    assert "event_search" not in insp.get_table_names() and "status" not in {c["name"] for c in insp.get_columns("events")}
    engine.dispose()
    again = Store(store.url)  # migrates on open
    assert len(list(again.iter_events())) == n
    with again.engine.connect() as conn:
        texts = conn.execute(sa.select(event_search.c.text)).scalars().all()
    assert len(texts) == n and any("كفرنبل" in t for t in texts)
