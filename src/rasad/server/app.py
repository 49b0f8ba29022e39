"""The web application: the API under /api/v1, its OpenAPI docs, security headers, and the explorer's
static files at / when they are there."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from rasad import __version__
from rasad.database.store import Store
from rasad.server.api import MAP_LIMIT, router
from rasad.server.auth import Sessions

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"
CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'"


DOCS_CSP = ("default-src 'self'; img-src 'self' data: blob: https://fastapi.tiangolo.com; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net")


class SecurityHeaders:
    """Content-Security-Policy and nosniff on every response (a plain ASGI middleware: no buffering).

    The interactive docs page (/api/v1/docs) loads Swagger UI from its CDN, so that page alone allows it."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = (DOCS_CSP if scope.get("path") == "/api/v1/docs" else CSP).encode()

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"content-security-policy", b"x-content-type-options")]
                headers += [(b"content-security-policy", csp), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"same-origin")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(db_url: str, static_dir: str | Path | None = None, open_writes: bool = False,
               gazetteer: str | None = None, map_limit: int | None = None) -> FastAPI:
    """The app over the database at DB_URL (a path or a SQLAlchemy URL; migrated on open)."""
    app = FastAPI(title="rasad", version=__version__, description="Arabic conflict events with evidence.",
                  openapi_url="/api/v1/openapi.json", docs_url="/api/v1/docs", redoc_url=None)
    app.state.store = Store(db_url, cache_mb=64)
    app.state.sessions = Sessions()
    app.state.open_writes = open_writes
    app.state.map_limit = map_limit or MAP_LIMIT

    @functools.cache
    def _gazetteer() -> Any:
        from rasad.gazetteer import open_gazetteer

        return open_gazetteer(gazetteer)

    app.state.gazetteer = _gazetteer

    app.add_middleware(SecurityHeaders)
    app.include_router(router)
    static = Path(static_dir) if static_dir is not None else STATIC
    if (static / "index.html").is_file():
        app.mount("/", StaticFiles(directory=static, html=True), name="static")
    else:  # no explorer installed: the API's docs are the front page

        @app.get("/", include_in_schema=False)
        def _front() -> RedirectResponse:
            return RedirectResponse("/api/v1/docs")

    return app
