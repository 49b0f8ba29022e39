"""Users, tokens, browser sessions and CSRF.

- A user's token is shown once by `rasad users add NAME`; the database keeps only its SHA-256.
- API clients send `Authorization: Bearer TOKEN` (no CSRF check: a browser never adds that header
  to a cross-site request by itself).
- A browser trades the token for a session (`POST /api/v1/session`): an HttpOnly, SameSite=Strict
  cookie, plus a CSRF token the page must send back in `X-CSRF-Token` with every write.
Sessions live in the server process: restarting the server signs everyone out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass

import sqlalchemy as sa

from rasad.database.store import Store, now, users

SESSION_COOKIE = "rasad_session"
CSRF_HEADER = "X-CSRF-Token"


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


def user_for_token(store: Store, token: str | None) -> str | None:
    if not token:
        return None
    with store.engine.connect() as conn:
        return conn.execute(sa.select(users.c.name).where(users.c.token_hash == hash_token(token))).scalar()


@dataclass(frozen=True)
class Session:
    user: str
    csrf: str


class Sessions:
    """Browser sessions of this server process: session id -> (user, CSRF token)."""

    def __init__(self) -> None:
        self._by_id: dict[str, Session] = {}
        self._lock = threading.Lock()

    def open(self, user: str) -> tuple[str, Session]:
        sid = secrets.token_urlsafe(32)
        s = Session(user, secrets.token_urlsafe(32))
        with self._lock:
            self._by_id[sid] = s
        return sid, s

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            return self._by_id.get(sid)

    def close(self, sid: str | None) -> None:
        if sid:
            with self._lock:
                self._by_id.pop(sid, None)


def csrf_ok(session: Session, header: str | None) -> bool:
    return bool(header) and hmac.compare_digest(session.csrf.encode(), (header or "").encode())
