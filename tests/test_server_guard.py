"""The server's guard, against a real `rasad serve` process: security headers on every answer (errors
included), out-of-range integers, the body limit before credentials, the Host allow-list and foreign
origins, a locked or damaged database, revoked users, expired sessions, the warning on all interfaces."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import sqlalchemy as sa

import test_server
from rasad.database.store import Store
from rasad.server.auth import SESSION_IDLE, SESSION_MAX, Sessions, add_user, hash_token, revoke_user
from test_server import Server, run

writer = test_server.writer  # the fixture: a server over a database of its own, for this module

HUGE = 2**70


def _secured(r: httpx.Response) -> None:
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"], r.status_code
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"


def test_every_answer_carries_the_security_headers(writer: tuple[Server, str, Path]) -> None:
    s, _token, _db_path = writer
    for path, status in (("/events", 200), ("/events/999999", 404), ("/events/0", 422)):
        r = s.get(path)
        assert r.status_code == status, path
        _secured(r)


def test_out_of_range_integers_are_refused_not_failed(writer: tuple[Server, str, Path]) -> None:
    s, token, _db_path = writer
    for path, params in (("/events", {"page": HUGE}), ("/events", {"offset": HUGE}),
                         ("/events", {"min_fatalities": HUGE}), (f"/events/{HUGE}", {}), (f"/documents/{HUGE}", {}),
                         ("/map", {"min_fatalities": HUGE}), ("/events", {"page": 2**60})):
        r = s.get(path, **params)
        assert r.status_code == 422, (path, params, r.text)
    auth = {"Authorization": f"Bearer {token}"}
    assert s.client.post("/events/1/merge", json={"other_id": HUGE}, headers=auth).status_code == 422
    assert s.client.post("/events/1/split", json={"report_ids": [HUGE]}, headers=auth).status_code == 422
    assert s.client.post(f"/events/{HUGE}/confirm", headers=auth).status_code == 422


def test_a_body_over_the_limit_is_refused_before_credentials(writer: tuple[Server, str, Path]) -> None:
    s, _token, _db_path = writer
    big = b"x" * 1_500_000
    r = s.client.post("/events/1/confirm", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "bytes" in r.json()["detail"]  # not 401: the body was never read
    _secured(r)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it comes
        for _ in range(30):
            yield b"y" * 100_000

    r = s.client.post("/session", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_only_loopback_names_reach_a_loopback_server(writer: tuple[Server, str, Path]) -> None:
    s, token, _db_path = writer
    port = s.url.rsplit(":", 1)[1]
    assert s.client.get("/events", headers={"Host": f"localhost:{port}"}).status_code == 200
    rebound = s.client.get("/events", headers={"Host": f"attacker.example:{port}"})
    assert rebound.status_code == 421 and "--allow-host" in rebound.json()["detail"]
    _secured(rebound)
    foreign = s.client.post("/events/1/confirm", headers={"Origin": "http://attacker.example",
                                                          "Authorization": f"Bearer {token}"})
    assert foreign.status_code == 403
    assert s.client.post("/events/1/confirm", headers={"Origin": "null"}).status_code == 403


def test_a_locked_database_answers_503_with_what_to_do(writer: tuple[Server, str, Path]) -> None:
    s, token, db = writer
    con = sqlite3.connect(db, timeout=1, check_same_thread=False)
    con.execute("BEGIN IMMEDIATE")  # another writer holds the database
    released = threading.Timer(20, con.rollback)
    released.start()
    try:
        r = s.client.post("/events/1/confirm", json={}, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        assert r.status_code == 503, r.text
        assert "locked" in r.json()["detail"] and r.headers["retry-after"] == "5"
        _secured(r)
        assert s.get("/events").status_code == 200  # reading goes on meanwhile
    finally:
        released.cancel()
        con.rollback()
        con.close()


def test_a_damaged_record_answers_500_with_the_headers_and_the_server_goes_on(
        writer: tuple[Server, str, Path]) -> None:
    s, _token, db = writer
    with sqlite3.connect(db) as con:
        eid, record = con.execute("SELECT id, record FROM events ORDER BY id DESC LIMIT 1").fetchone()
        con.execute("UPDATE events SET record = '{not json' WHERE id = ?", (eid,))
    try:
        r = s.get(f"/events/{eid}")
        assert r.status_code == 500 and "log" in r.json()["detail"]
        _secured(r)
        assert s.get(f"/events/{eid - 1}").status_code == 200
    finally:
        with sqlite3.connect(db) as con:
            con.execute("UPDATE events SET record = ? WHERE id = ?", (record, eid))
    deadline = time.monotonic() + 5
    while not any("Traceback" in line for line in s.log) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert any("Traceback" in line for line in s.log)  # the cause is in the server's log


def test_a_revoked_user_can_no_longer_write(rasad_cmd: list[str], writer: tuple[Server, str, Path]) -> None:
    s, _token, db = writer
    token = run(rasad_cmd, "users", "add", "carol", "--db", str(db)).stdout.strip()
    with httpx.Client(base_url=s.url + "/api/v1", timeout=30) as browser:
        signed = browser.post("/session", json={"token": token})
        assert signed.status_code == 200 and browser.get("/session").json()["user"] == "carol"
        run(rasad_cmd, "users", "revoke", "carol", "--db", str(db))
        assert browser.get("/session").json()["user"] is None
        csrf = signed.json()["csrf_token"]
        assert browser.post("/events/1/confirm", json={}, headers={"X-CSRF-Token": csrf}).status_code == 401
    assert s.client.post("/events/1/confirm", json={}, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    again = subprocess.run([*rasad_cmd, "users", "revoke", "carol", "--db", str(db)], capture_output=True, text=True)
    assert again.returncode != 0 and "no user 'carol'" in again.stderr


def test_sessions_end_when_idle_or_old(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.db"))
    add_user(store, "dana")
    now = [1_000_000.0]
    sessions = Sessions(store, clock=lambda: now[0])
    sid, _s = sessions.open("dana")
    now[0] += SESSION_IDLE - 1
    assert sessions.get(sid) is not None  # used: the idle time starts again
    now[0] += SESSION_IDLE + 1
    assert sessions.get(sid) is None
    sid, _s = sessions.open("dana")
    for _ in range(int(SESSION_MAX // (SESSION_IDLE / 2)) + 1):
        now[0] += SESSION_IDLE / 2
        got = sessions.get(sid)
    assert got is None  # kept in use, it still ends after SESSION_MAX


def test_sessions_are_kept_in_the_database_hashed(store: Store) -> None:
    """Another process (another worker, the server after a restart) knows a session; the table holds only the
    SHA-256 of its id; an ended session's row goes when the next one opens; revoking the user ends it. On
    SQLite, and on PostgreSQL when RASAD_TEST_PG is set."""
    from rasad.database.store import sessions as table

    db = store.url
    add_user(Store(db), "erin")
    now = [1_000_000.0]
    sid, s = Sessions(Store(db), clock=lambda: now[0]).open("erin")
    other = Sessions(Store(db), clock=lambda: now[0])
    assert other.get(sid) == s and other.get("forged") is None
    with Store(db).engine.connect() as conn:
        rows = conn.execute(sa.select(table.c.id_hash)).scalars().all()
    assert rows == [hash_token(sid)] and sid not in rows
    now[0] += SESSION_MAX + 1
    other.open("erin")  # sweeps the ended one
    with Store(db).engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 1
    sid2, _s2 = other.open("erin")
    revoke_user(Store(db), "erin")
    assert other.get(sid2) is None
    with Store(db).engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0


def test_serving_on_all_interfaces_warns_after_the_address(rasad_cmd: list[str],
                                                          writer: tuple[Server, str, Path]) -> None:
    _s, _token, db = writer
    with socket.socket() as probe:
        probe.bind(("0.0.0.0", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([*rasad_cmd, "serve", "--db", str(db), "--host", "0.0.0.0", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        assert " at http://0.0.0.0:" in proc.stderr.readline()
        warning = proc.stderr.readline()
        assert "warning" in warning and "plain HTTP" in warning
    finally:
        proc.terminate()
        proc.wait(timeout=10)
