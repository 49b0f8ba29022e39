"""The server's outer guard, one plain ASGI middleware around everything else (no buffering):

- security headers on every response, errors included: a Content-Security-Policy with
  `frame-ancestors 'none'` (and X-Frame-Options) so that no other site can frame the explorer, nosniff,
  a same-origin referrer;
- a Host allow-list (`allowed_hosts`): a server bound to loopback answers only to loopback names, so
  that a web page cannot reach it through a DNS name it rebinds to 127.0.0.1; a write whose Origin is
  another site is refused;
- a limit on request bodies (`max_body`), checked on Content-Length before anything reads the body or
  checks credentials, and counted while a body without one is received;
- an error boundary: a database that is locked or read-only answers 503 with what to do; any other
  failure answers 500 with the same headers, and is logged.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
# The interactive docs page (/api/v1/docs) loads Swagger UI from its CDN, so that page alone allows it.
DOCS_CSP = ("default-src 'self'; img-src 'self' data: blob: https://fastapi.tiangolo.com; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; frame-ancestors 'none'")
MAX_BODY = 1_000_000  # bytes of a request body: a review's note and corrections fit many times over
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# what a database says when it cannot take a write now or at all (SQLite, PostgreSQL)
UNAVAILABLE_WORDS = ("database is locked", "readonly database", "read-only", "database is busy",
                     "unable to open database")

log = logging.getLogger("rasad.server")
Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
Receive = Callable[[], Awaitable[Message]]


class BodyTooLarge(Exception):
    pass


def host_name(host_header: str) -> str:
    """The name of a Host header without its port ("[::1]:8000" -> "::1")."""
    h = host_header.strip().lower()
    if h.startswith("["):
        return h[1:h.find("]")] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def unavailable(exc: BaseException) -> bool:
    """Whether exc says the database is locked, busy or read-only (not a bug: try again, or fix the file)."""
    text = str(exc).lower()
    return any(w in text for w in UNAVAILABLE_WORDS)


class Guard:
    def __init__(self, app: Any, allowed_hosts: frozenset[str] | None = None, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts  # None: any Host
        self.max_body = max_body

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = (DOCS_CSP if scope.get("path") == "/api/v1/docs" else CSP).encode()
        started = refused = False

        async def send_guarded(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the guard answered already (a body over the limit): what the app sends is dropped
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"content-security-policy", b"x-content-type-options")]
                headers += [(b"content-security-policy", csp), (b"x-content-type-options", b"nosniff"),
                            (b"x-frame-options", b"DENY"), (b"referrer-policy", b"same-origin")]
                message = {**message, "headers": headers}
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await _respond(send_guarded, *refusal)
            return
        received = 0

        async def receive_limited() -> Message:
            nonlocal received, refused
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                # answered here: the framework would turn the exception below into a 400 of its own
                if not started and not refused:
                    await _respond(send_guarded, 413, f"the request body is over {self.max_body} bytes")
                refused = True
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, receive_limited, send_guarded)
        except BodyTooLarge:
            pass
        except Exception as exc:
            if unavailable(exc):
                log.warning("database unavailable: %s", exc)
                if not started:
                    await _respond(send_guarded, 503, "the database is locked by another writer or cannot be "
                                   "written (read-only file or folder): try again shortly, or check its "
                                   "permissions", retry_after=5)
                return
            log.exception("error serving %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await _respond(send_guarded, 500, "internal error: the server's log has the details")

    def _refusal(self, scope: dict[str, Any]) -> tuple[int, str] | None:
        """(status, reason) when the request is refused before the application sees it."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if self.allowed_hosts is not None and host_name(host) not in self.allowed_hosts:
            return 421, (f"this server does not answer to the host {host_name(host)!r} "
                         "(rasad serve --allow-host NAME adds one)")
        origin = headers.get("origin")
        # ("null", the origin of a sandboxed frame or a local file, is another site too)
        if scope.get("method") in UNSAFE_METHODS and origin and urlsplit(origin).netloc.lower() != host.lower():
            return 403, "a write from another site's page is refused"
        length = headers.get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                return 400, "Content-Length is not a number"
            if int(length) > self.max_body:
                return 413, f"the request body is over {self.max_body} bytes"
        return None


async def _respond(send: Send, status: int, detail: str, retry_after: int | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
