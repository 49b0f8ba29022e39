"""The web application: the API under /api/v1, its OpenAPI docs, security headers, and the explorer's
static files at / when they are there."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..store import Store
from .api import router
from .auth import Sessions

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"
CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'"


def create_app(db_url: str, static_dir: str | Path | None = None, open_writes: bool = False,
               gazetteer: str | None = None) -> FastAPI:
    """The app over the database at DB_URL (a path or a SQLAlchemy URL; migrated on open)."""
    app = FastAPI(title="rasad", version=__version__, description="Arabic conflict events with evidence.",
                  openapi_url="/api/v1/openapi.json", docs_url="/api/v1/docs", redoc_url=None)
    app.state.store = Store(db_url)
    app.state.sessions = Sessions()
    app.state.open_writes = open_writes

    @functools.cache
    def _gazetteer() -> Any:
        from ..gazetteer import open_gazetteer

        return open_gazetteer(gazetteer)

    app.state.gazetteer = _gazetteer

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        resp: Response = await call_next(request)
        if request.url.path == "/api/v1/docs":
            # the interactive docs load Swagger UI's script and style from its CDN
            resp.headers["Content-Security-Policy"] = (
                "default-src 'self'; img-src 'self' data: blob: https://fastapi.tiangolo.com; "
                "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
                "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net")
        else:
            resp.headers["Content-Security-Policy"] = CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        return resp

    app.include_router(router)
    static = Path(static_dir) if static_dir is not None else STATIC
    if (static / "index.html").is_file():
        app.mount("/", StaticFiles(directory=static, html=True), name="static")
    return app
