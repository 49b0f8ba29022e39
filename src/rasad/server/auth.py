"""Users, tokens, browser sessions and CSRF.

- A user's token is shown once by `rasad users add NAME`; the database keeps only its SHA-256.
- API clients send `Authorization: Bearer TOKEN` (no CSRF check: a browser never adds that header
  to a cross-site request by itself).
- A browser trades the token for a session (`POST /api/v1/session`): an HttpOnly, SameSite=Strict
  cookie, plus a CSRF token the page must send back in `X-CSRF-Token` with every write.
Sessions live in the server process: restarting the server signs everyone out. A session ends after
SESSION_IDLE seconds unused or SESSION_MAX seconds in all; `rasad users revoke NAME` removes a user, whose
token then stops working and whose sessions end at their next request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from rasad.database.store import Store, now, users

SESSION_COOKIE = "rasad_session"
CSRF_HEADER = "X-CSRF-Token"
SESSION_IDLE = 8 * 3600  # seconds a session may go unused
SESSION_MAX = 24 * 3600  # seconds a session lives at most
MAX_SESSIONS = 10_000  # sessions kept at most; the oldest go first


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class UserError(ValueError):
    pass


def add_user(store: Store, name: str) -> str:
    """Create a user and return a new token (shown once; only its hash is stored)."""
    name = name.strip()
    if not name or len(name) > 80:
        raise UserError("a user name is 1 to 80 characters")
    token = secrets.token_urlsafe(32)
    with store.engine.begin() as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.name == name)).first() is not None:
            raise UserError(f"user {name!r} exists already")
        conn.execute(users.insert().values(name=name, token_hash=hash_token(token), created_at=now()))
    return token


def list_users(store: Store) -> list[dict[str, str]]:
    with store.engine.connect() as conn:
        return [{"name": r.name, "created_at": r.created_at}
                for r in conn.execute(sa.select(users.c.name, users.c.created_at).order_by(users.c.name))]


def revoke_user(store: Store, name: str) -> None:
    """Remove a user: its token stops working at once, its browser sessions at their next request."""
    with store.engine.begin() as conn:
        if conn.execute(users.delete().where(users.c.name == name)).rowcount == 0:
            raise UserError(f"no user {name!r}")


def user_exists(store: Store, name: str) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(users.c.id).where(users.c.name == name)).first() is not None


def user_for_token(store: Store, token: str | None) -> str | None:
    if not token:
        return None
    with store.engine.connect() as conn:
        return conn.execute(sa.select(users.c.name).where(users.c.token_hash == hash_token(token))).scalar()


@dataclass(frozen=True)
class Session:
    user: str
    csrf: str
    created: float = 0.0


class Sessions:
    """Browser sessions of this server process: session id -> (user, CSRF token), each with its expiry."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._by_id: dict[str, Session] = {}
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def open(self, user: str) -> tuple[str, Session]:
        sid = secrets.token_urlsafe(32)
        t = self._clock()
        s = Session(user, secrets.token_urlsafe(32), t)
        with self._lock:
            while len(self._by_id) >= MAX_SESSIONS:  # (dicts keep their order: the first is the oldest)
                self._drop(next(iter(self._by_id)))
            self._by_id[sid] = s
            self._seen[sid] = t
        return sid, s

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        t = self._clock()
        with self._lock:
            s = self._by_id.get(sid)
            if s is None:
                return None
            if t - self._seen[sid] > SESSION_IDLE or t - s.created > SESSION_MAX:
                self._drop(sid)
                return None
            self._seen[sid] = t
            return s

    def close(self, sid: str | None) -> None:
        if sid:
            with self._lock:
                self._drop(sid)

    def _drop(self, sid: str) -> None:
        self._by_id.pop(sid, None)
        self._seen.pop(sid, None)


def csrf_ok(session: Session, header: str | None) -> bool:
    return bool(header) and hmac.compare_digest(session.csrf.encode(), (header or "").encode())
