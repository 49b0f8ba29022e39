"""The review queue's reasons (rasad.database.queue): computed when an event is built, kept in step by
corrections, merges and splits, filled for databases made before them by migration 0009, and served by
/api/v1/review/reasons and the reason= filter.

Runs against SQLite always, and against PostgreSQL too when RASAD_TEST_PG holds a URL.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from rasad.database import review
from rasad.database.ingest import ingest
from rasad.database.queue import REASONS, reasons
from rasad.database.store import Store, event_reasons, upgrade
from rasad.gazetteer import open_gazetteer
from rasad.pipeline.geocode import Geocoder
from rasad.server import create_app

RECORDS = [
    {"id": "q-hedged", "source": "Test Wire", "published": "2023-08-03", "title": "قصف على كفرنبل",
     "text": "قُتل خمسة عناصر من قوات النظام اليوم بقصف صاروخي يعتقد أنها طائرات روسية نفذته على بلدة كفرنبل "
             "في ريف إدلب الجنوبي."},
    {"id": "q-governorate", "source": "Test Wire", "published": "2023-08-02", "title": "قتلى بقصف في ريف حماة",
     "text": "قُتل ثلاثة مدنيين اليوم الأربعاء بقصف مدفعي لقوات النظام على ريف حماة."},
    {"id": "q-nowhere", "source": "Test Wire", "published": "2023-08-02", "title": "مقتل جنديين",
     "text": "قُتل جنديان من قوات النظام اليوم بانفجار عبوة ناسفة استهدفت دوريتهما."},
]


def _stored(store: Store) -> dict[int, list[str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(event_reasons.c.event_id, event_reasons.c.reason)).all()
    out: dict[int, list[str]] = {}
    for eid, r in rows:
        out.setdefault(eid, []).append(r)
    return {k: sorted(v, key=REASONS.index) for k, v in out.items()}


def _by_doc(store: Store) -> dict[str, int]:
    return {r["doc"]: ev["event_id"] for ev in store.iter_events() for r in ev["reports"]}


def _load(store: Store, tmp_path: Path) -> dict[str, int]:
    f = tmp_path / "needs-a-look.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    ingest(store, [str(f)], None, Geocoder(open_gazetteer(None)))  # the built-in gazetteer
    return _by_doc(store)


def test_reasons_read_the_warnings_and_the_record() -> None:
    hedged = {"warnings": ["reported with hedging (believed / reports of): treat as unconfirmed"], "retold": False,
              "country": "Syria"}
    placed = {"admin1": "Hama", "geo_precision": 3, "lat": 35.1, "lon": 36.7, "date": "2023-08-02"}
    assert reasons([hedged], placed) == ["hedged", "admin1_level"]
    assert reasons([{"retold": True}, {"retold": True}], {"admin1": "Homs", "geo_precision": 1, "lat": 1, "lon": 1,
                                                          "date": "2020-01-01"}) == ["recalled"]
    assert reasons([{"retold": True}, {"retold": False}], {"admin1": "Homs", "lat": 1, "lon": 1, "date": "x"}) == []
    assert reasons([{"country": "Lebanon"}], {}) == ["no_admin1", "no_coordinates", "undated", "outside_syria"]


def test_ingest_stores_the_reasons_and_review_keeps_them_in_step(store: Store, tmp_path: Path) -> None:
    ids = _load(store, tmp_path)
    got = _stored(store)
    assert "hedged" in got[ids["q-hedged"]]
    assert "admin1_level" in got[ids["q-governorate"]]
    assert {"no_admin1", "no_coordinates"} <= set(got[ids["q-nowhere"]])
    # a correction that fills the governorate and the point takes those reasons away
    review.correct(store, ids["q-nowhere"], "alice", {"admin1": "Homs", "lat": 34.7, "lon": 36.7})
    after = _stored(store).get(ids["q-nowhere"], [])
    assert "no_admin1" not in after and "no_coordinates" not in after
    # a merge: the event merged away leaves no reasons behind, the kept one has those of both reports
    review.merge(store, ids["q-governorate"], ids["q-hedged"], "alice")
    got = _stored(store)
    assert ids["q-hedged"] not in got
    assert "hedged" in got[ids["q-governorate"]]
    # and a split gives each event its own again
    ev = store.event(ids["q-governorate"])
    hedged_report = next(r["report_id"] for r in ev["reports"] if r["doc"] == "q-hedged")
    new = review.split(store, ids["q-governorate"], [hedged_report], "alice")
    got = _stored(store)
    assert "hedged" in got[new] and "hedged" not in got.get(ids["q-governorate"], [])


def test_migration_0009_fills_the_reasons_of_events_stored_before_it(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "old.db"))
    ids = _load(store, tmp_path)
    want = _stored(store)
    assert want
    with store.engine.begin() as conn:  # back to 0008: as a database made before the queue (and before 0010's sessions,
        # 0012's rollups and 0015's bulk_deferred)
        for table in ("sessions", "rollup_events", "map_rollup", "reason_rollup", "bulk_deferred"):
            conn.execute(sa.text(f"DROP TABLE {table}"))
        conn.execute(sa.text("DROP TABLE event_reasons"))
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0008'"))
    upgrade(store.engine)
    assert _stored(store) == want and ids


def test_the_api_counts_and_filters_by_reason(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "api.db"))
    ids = _load(store, tmp_path)
    client = TestClient(create_app(str(tmp_path / "api.db")))
    body = client.get("/api/v1/review/reasons").json()
    assert [r["reason"] for r in body["reasons"]] == list(REASONS)
    counts = {r["reason"]: r["count"] for r in body["reasons"]}
    assert counts["hedged"] == 1 and counts["admin1_level"] == 1 and counts["no_admin1"] == 1
    assert body["total"] == 3
    listed = client.get("/api/v1/events?reason=hedged").json()
    assert [e["id"] for e in listed["events"]] == [ids["q-hedged"]] and "hedged" in listed["events"][0]["reasons"]
    assert client.get("/api/v1/events?reason=any&sort=-reasons").json()["total"] == 3
    assert client.get("/api/v1/review/reasons?admin1=Hama").json()["total"] == 1
    assert client.get("/api/v1/events?reason=nonsense").status_code == 422
    assert "hedged" in client.get(f"/api/v1/events/{ids['q-hedged']}").json()["reasons"]
