"""Users, tokens, browser sessions and CSRF.

- A user's token is shown once by `rasad users add NAME`; the database keeps only its SHA-256.
- API clients send `Authorization: Bearer TOKEN` (no CSRF check: a browser never adds that header
  to a cross-site request by itself).
- A browser trades the token for a session (`POST /api/v1/session`): an HttpOnly, SameSite=Strict
  cookie, plus a CSRF token the page must send back in `X-CSRF-Token` with every write.
Sessions live in the database (the `sessions` table), so that every worker of `rasad serve --workers N`
knows them and a restart signs nobody out. A session ends after SESSION_IDLE seconds unused or SESSION_MAX
seconds in all; `rasad users revoke NAME` removes a user, whose token then stops working and whose sessions
end with it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from rasad.database.store import Store, now, sessions, users

SESSION_COOKIE = "rasad_session"
CSRF_HEADER = "X-CSRF-Token"
SESSION_IDLE = 8 * 3600  # seconds a session may go unused
SESSION_MAX = 24 * 3600  # seconds a session lives at most
SEEN_EVERY = 60  # seconds between two writes of a session's last use (the idle time is that much coarser)


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
    """Remove a user: its token stops working at once, and its browser sessions end."""
    with store.engine.begin() as conn:
        uid = conn.execute(sa.select(users.c.id).where(users.c.name == name)).scalar()
        if uid is not None:  # (the foreign key cascades too; this does not rely on it)
            conn.execute(sessions.delete().where(sessions.c.user_id == uid))
        if conn.execute(users.delete().where(users.c.name == name)).rowcount == 0:
            raise UserError(f"no user {name!r}")


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
    """Browser sessions, in the database's `sessions` table (migration 0010), so that every worker of
    `rasad serve --workers N`, and the server after a restart, knows them. The table keeps the SHA-256 of a
    session id, never the id. A session ends SESSION_IDLE seconds after it was last seen or SESSION_MAX
    seconds after it was opened, and with its user (`rasad users revoke` deletes the user, and its sessions
    with it). `seen` is written at most every SEEN_EVERY seconds, not on every request."""

    def __init__(self, store: Store, clock: Any = time.time) -> None:
        self._store = store
        self._clock = clock

    def open(self, user: str) -> tuple[str, Session]:
        sid = secrets.token_urlsafe(32)
        t = float(self._clock())
        s = Session(user, secrets.token_urlsafe(32), t)
        with self._store.engine.begin() as conn:
            # the ended sessions go when a new one opens: the table holds only live ones (and those of the
            # last SESSION_IDLE seconds)
            conn.execute(sessions.delete().where(sa.or_(sessions.c.seen < t - SESSION_IDLE,
                                                        sessions.c.created < t - SESSION_MAX)))
            uid = conn.execute(sa.select(users.c.id).where(users.c.name == user)).scalar()
            if uid is None:
                raise UserError(f"no user {user!r}")
            conn.execute(sessions.insert().values(id_hash=hash_token(sid), user_id=uid, csrf=s.csrf, created=t,
                                                  seen=t))
        return sid, s

    def get(self, sid: str | None) -> Session | None:
        """The live session of this id, else None (unknown, ended, or its user revoked)."""
        if not sid:
            return None
        t = float(self._clock())
        h = hash_token(sid)
        q = (sa.select(users.c.name, sessions.c.csrf, sessions.c.created, sessions.c.seen)
             .join(users, users.c.id == sessions.c.user_id).where(sessions.c.id_hash == h))
        with self._store.engine.connect() as conn:
            row = conn.execute(q).first()
        if row is None:
            return None
        if t - row.seen > SESSION_IDLE or t - row.created > SESSION_MAX:
            self.close(sid)
            return None
        if t - row.seen >= SEEN_EVERY:
            with self._store.engine.begin() as conn:
                conn.execute(sessions.update().where(sessions.c.id_hash == h).values(seen=t))
        return Session(row.name, row.csrf, row.created)

    def close(self, sid: str | None) -> None:
        if sid:
            with self._store.engine.begin() as conn:
                conn.execute(sessions.delete().where(sessions.c.id_hash == hash_token(sid)))


def csrf_ok(session: Session, header: str | None) -> bool:
    return bool(header) and hmac.compare_digest(session.csrf.encode(), (header or "").encode())
