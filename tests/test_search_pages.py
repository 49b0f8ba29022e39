"""A `q=` page found the fast way (`api._common_word_page`: a walk in date order, with the '10,000+' proved by
whole words, the words a typed prefix completes to, or the prefixes) is the page the plain query gives, and
its total the one counting gives; and PostgreSQL's event_words (migration 0013) follows event_search.

The caps are made small (TOTAL_CAP 60, PROBE_WALK 40) so that a store of 500 events takes every way. Runs
against SQLite always, and against PostgreSQL too when RASAD_TEST_PG holds a URL.
"""

from __future__ import annotations

import json
import random

import pytest
import sqlalchemy as sa

from rasad.database import review, rollups
from rasad.database.merge import index_columns
from rasad.database.store import Store, event_search, events, now, search_text
from rasad.server import api

# نبل is a town, and the end of كفرنبل: a word of q matches at the start of a word only
PLACES = [("معرة النعمان", 5), ("السخنة", 4), ("كفرنبل", 3), ("نبل", 3), ("الباب", 3), ("البوكمال", 2)]
# معر قص: each word starts words of many events (قصف in 30%), but too few have both for a '10,000+'
QUERIES = ["هجوم", "السخنة", "نبل", "معر النع", "كفرن", "ال", "الب", "مقتل 1", "تدمر", "تدم", "تدمر هجوم",
           "معر قص", "الباب منبج", "زززز"]


def _fill(store: Store, n: int = 500) -> None:
    """n events over 50 days (several a day, so that the id breaks ties), each at a place drawn by weight."""
    rng = random.Random(11)
    names, weights = zip(*PLACES, strict=True)
    rows = []
    for i in range(n):
        place = "تدمر" if i % 97 == 0 else rng.choices(names, weights)[0]
        rec = {"date": f"2024-0{1 + i % 5}-{10 + rng.randrange(10)}", "admin1": "Homs", "event_type": "Battles",
               "actor1": "Islamic State", "location": f"بلدة {place}", "place_name_ar": place,
               "fatalities": {"low": rng.randrange(20), "best": None, "high": None}}
        title = f"مقتل {rec['fatalities']['low']} {'بقصف' if i % 10 < 3 else 'بهجوم'} في {place}"
        rows.append(({"id": i + 1, **index_columns(rec), "record": json.dumps(rec, ensure_ascii=False),
                      "reviewed": False, "updated_at": now()}, search_text(rec, [title])))
    with store.engine.begin() as conn:
        conn.execute(events.insert(), [r for r, _t in rows])
        conn.execute(event_search.insert(), [{"event_id": r["id"], "text": t} for r, t in rows])
        rollups.sync(conn, [r["id"] for r, _t in rows])
        if store.search_mode == "tsvector":  # the planner's statistics of the words, as autovacuum gathers them
            conn.exec_driver_sql("ANALYZE event_words")
    for eid in range(3, n, 41):  # rejected events are left out of the list, and of the proof's count
        review.reject(store, eid, "alice")


def test_a_search_page_is_the_plain_page_whichever_way_it_is_found(store: Store,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(store)
    monkeypatch.setattr(api, "TOTAL_CAP", 60)
    monkeypatch.setattr(api, "PROBE_WALK", 40)
    counted: list[list[str]] = []  # the words each proof counted
    real = api._word_count
    monkeypatch.setattr(api, "_word_count", lambda conn, f, words, limit, whole, planned=None: counted.append(
        words) or real(conn, f, words, limit, whole, planned))
    in_order: list[list[str]] = []  # the words whose events PostgreSQL read from event_words in order
    real_ids = api._word_ids

    def word_ids(conn: sa.Connection, f: api.Filters, words: list[str], limit: int, whole: bool,
                 planned: float | None = None) -> sa.Select:
        ids = real_ids(conn, f, words, limit, whole, planned)
        if api.event_words in ids.get_final_froms():
            in_order.append(words)
        return ids

    monkeypatch.setattr(api, "_word_ids", word_ids)
    gathered: dict[tuple[str, str | None, str], bool] = {}  # whether `_gathered_page` gave the page (or the cap)
    real_gathered = api._gathered_page

    def gathered_page(conn: sa.Connection, f: api.Filters, sort: str, size: int,
                      start: int) -> tuple[list[int] | None, int] | None:
        got = real_gathered(conn, f, sort, size, start)
        gathered[f.q or "", f.status, sort] = got is not None and got[0] is not None
        return got

    monkeypatch.setattr(api, "_gathered_page", gathered_page)
    fast = set()
    for q, status in [(q, None) for q in QUERIES] + [(q, "all") for q in ("هجوم", "تدمر", "معر قص", "زززز")]:
        f = api.Filters(q=q, status=status, search_mode=store.search_mode)
        with store.engine.connect() as conn:
            n = conn.execute(sa.select(sa.func.count()).select_from(events).where(f.where())).scalar_one()
        for sort in ("-date", "date", "-fatalities", "id"):
            for page, size in ((1, 5), (1, 20), (2, 20), (4, 20), (1, 100)):
                got = api.list_events(store, f, page=page, per_page=size, sort=sort)
                with store.engine.connect() as conn:
                    want = list(conn.execute(sa.select(events.c.id).where(f.where()).order_by(*api.SORTS[sort])
                                             .limit(size).offset((page - 1) * size)).scalars())
                    if api._common_word_page(conn, f, sort, size, (page - 1) * size) is not None:
                        fast.add(q)
                assert [e["id"] for e in got["events"]] == want, (q, sort, page, size)
                assert (got["total"], got["total_exact"]) == ((n, True) if n <= 60 else (60, False)), (q, n)
    # the fast way was taken where it can be: every word whole, on PostgreSQL a typed prefix too
    assert {"هجوم", "السخنة", "نبل"} <= fast and not {"تدمر", "تدم", "تدمر هجوم", "معر قص", "الباب منبج", "زززز"} & fast
    if store.search_mode == "tsvector":  # a typed prefix proved by the words it completes to
        assert {"مقتل 1", "معر النع", "كفرن", "ال", "الب"} <= fast and ["معره", "النعمان"] in counted
        # a word in most of the 500 events read in order, a rare one from the index (`api._word_ids`)
        assert ["هجوم"] in in_order and ["تدمر"] in counted and ["تدمر"] not in in_order
        # up to TOTAL_CAP matches: the page and the count gathered in one query, rejected events left out or not
        assert all(gathered[q, status, sort] for q in ("تدمر", "معر قص", "زززز") for status in (None, "all")
                   for sort in ("-date", "-fatalities", "id"))
        assert not gathered["هجوم", None, "-fatalities"] and not gathered["هجوم", "all", "id"]  # more: the plain page
    else:
        assert not any(gathered.values())


def test_event_words_follow_event_search(store: Store) -> None:
    """PostgreSQL: a row of event_words for each row of event_search, with its words, through inserts, updates and
    deletes (a trigger of migration 0013), and the migration fills it for the rows already there."""
    if store.search_mode != "tsvector":
        pytest.skip("event_words is PostgreSQL's")
    _fill(store, 60)
    same = ("SELECT count(*) FROM event_search s FULL JOIN event_words w ON w.event_id = s.event_id "
            "WHERE w.tsv IS DISTINCT FROM strip(to_tsvector('simple'::regconfig, s.text))")
    with store.engine.begin() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM event_words").scalar_one() == 60
        assert conn.exec_driver_sql(same).scalar_one() == 0
        conn.execute(event_search.update().where(event_search.c.event_id == 5).values(text="كلمه جديده"))
        conn.execute(event_search.delete().where(event_search.c.event_id == 7))
        assert conn.exec_driver_sql(same).scalar_one() == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM event_words").scalar_one() == 59
        conn.exec_driver_sql("DELETE FROM event_words")  # as before the migration: its fill gives the same rows
        conn.exec_driver_sql("DROP TRIGGER event_words_sync ON event_search")
        conn.exec_driver_sql("DROP FUNCTION event_words_sync()")
        conn.exec_driver_sql("DROP TABLE event_words")
        conn.exec_driver_sql("DROP INDEX ix_events_by_type")
        conn.exec_driver_sql("DROP TABLE bulk_deferred")  # (0015)
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0012'")
    Store(store.url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql(same).scalar_one() == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM event_words").scalar_one() == 59
    f = api.Filters(q="كلمة", search_mode=store.search_mode)
    assert [e["id"] for e in api.list_events(store, f)["events"]] == [5]


def test_a_gathered_page_is_the_plain_page_when_the_planner_knows_the_counts(store: Store,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: with the planner's estimates replaced by ten times the true counts (a prefix's estimate is 10
    at 500 events, where at 100,000 it is close), `api._gathered_page` counts the matches in the word index
    first, then gathers the events of few but not of many, and common words are read in order: the same pages
    and totals."""
    if store.search_mode != "tsvector":
        pytest.skip("the planner's estimates are PostgreSQL's")
    _fill(store)
    monkeypatch.setattr(api, "TOTAL_CAP", 60)
    monkeypatch.setattr(api, "_planned_rows", lambda conn, query: 10.0 * float(conn.execute(
        sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()))
    gathering: list[str] = []  # the statements that gathered events
    sa.event.listen(store.engine, "before_cursor_execute",
                    lambda _c, _cur, statement, *_a: gathering.append(statement) if "matches AS" in statement else None)
    many, few = ["هجوم", "ال", "السخنة"], ["تدمر", "معر قص", "زززز"]  # matches over 60 + 13 rejected + 1, or not
    for q, status in [(q, None) for q in many + few] + [("هجوم", "all"), ("تدمر", "all")]:
        f = api.Filters(q=q, status=status, search_mode=store.search_mode)
        with store.engine.connect() as conn:
            n = conn.execute(sa.select(sa.func.count()).select_from(events).where(f.where())).scalar_one()
        for sort in ("-fatalities", "id", "-date"):
            for page, size in ((1, 20), (3, 20), (1, 100)):
                gathering.clear()
                got = api.list_events(store, f, page=page, per_page=size, sort=sort)
                with store.engine.connect() as conn:
                    want = list(conn.execute(sa.select(events.c.id).where(f.where()).order_by(*api.SORTS[sort])
                                             .limit(size).offset((page - 1) * size)).scalars())
                assert [e["id"] for e in got["events"]] == want, (q, status, sort, page, size)
                assert (got["total"], got["total_exact"]) == ((n, True) if n <= 60 else (60, False)), (q, n)
                # many: counted in the index, no event looked up to count them; few: gathered
                assert not gathering if q in many else bool(gathering), (q, sort)
