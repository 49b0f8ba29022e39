"""The web application: the API under /api/v1, its OpenAPI docs, the guard (security headers, allowed
hosts, body limit, error boundary: guard.py), and the explorer's static files at / when they are there."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from rasad import __version__
from rasad.database.store import Store
from rasad.server.api import MAP_LIMIT, router
from rasad.server.auth import Sessions
from rasad.server.guard import MAX_BODY, Guard

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"


# PostgreSQL settings of the server's connections: its requests are short and many, on a machine shared with
# the database. A parallel plan's workers took 60 ms to start for a 10 ms page of the review queue, and JIT
# compiled plans for 50 ms that ran in less (bench/bench_api.py --pg, a million events)
PG_INTERACTIVE = ("SET jit = off", "SET max_parallel_workers_per_gather = 0")


def _interactive(dbapi_con: Any, _record: Any) -> None:
    with dbapi_con.cursor() as cur:
        for statement in PG_INTERACTIVE:
            cur.execute(statement)
    dbapi_con.commit()  # (a setting made in a transaction rolled back would be undone)


def create_app(db_url: str, static_dir: str | Path | None = None, open_writes: bool = False,
               gazetteer: str | None = None, map_limit: int | None = None,
               allowed_hosts: frozenset[str] | None = None, max_body: int = MAX_BODY) -> FastAPI:
    """The app over the database at DB_URL (a path or a SQLAlchemy URL; migrated on open).

    allowed_hosts: the Host names it answers to (None: any); max_body: the largest request body in bytes."""
    app = FastAPI(title="rasad", version=__version__, description="Arabic conflict events with evidence.",
                  openapi_url="/api/v1/openapi.json", docs_url="/api/v1/docs", redoc_url=None)
    app.state.store = Store(db_url, cache_mb=64)
    if app.state.store.engine.dialect.name == "postgresql":
        sa.event.listen(app.state.store.engine, "connect", _interactive)
        app.state.store.engine.dispose()  # the connections of the migration check go: each new one is set
    app.state.sessions = Sessions(app.state.store)  # in the database: shared by every worker
    app.state.open_writes = open_writes
    app.state.map_limit = map_limit or MAP_LIMIT

    @functools.cache
    def _gazetteer() -> Any:
        from rasad.gazetteer import open_gazetteer

        return open_gazetteer(gazetteer)

    app.state.gazetteer = _gazetteer

    app.add_middleware(Guard, allowed_hosts=allowed_hosts, max_body=max_body)
    app.include_router(router)
    static = Path(static_dir) if static_dir is not None else STATIC
    if (static / "index.html").is_file():
        app.mount("/", StaticFiles(directory=static, html=True), name="static")
    else:  # no explorer installed: the API's docs are the front page

        @app.get("/", include_in_schema=False)
        def _front() -> RedirectResponse:
            return RedirectResponse("/api/v1/docs")

    return app


# `rasad serve --workers N`: the settings of create_app, as JSON, for the workers it spawns
SERVE_ENV = "RASAD_SERVE_APP"


def app_settings(db_url: str, **kw: Any) -> str:
    """create_app's arguments as the JSON `from_environment` reads (allowed_hosts as a list)."""
    hosts = kw.get("allowed_hosts")
    return json.dumps({"db_url": db_url, **kw, "allowed_hosts": sorted(hosts) if hosts is not None else None})


def from_environment() -> FastAPI:
    """The app factory of each worker of `rasad serve --workers N` (uvicorn imports it by name): create_app
    with the settings the parent process put in $RASAD_SERVE_APP. Workers share the database, and with it
    the users and the browser sessions (auth.Sessions)."""
    kw = json.loads(os.environ[SERVE_ENV])
    hosts = kw.pop("allowed_hosts", None)
    return create_app(**kw, allowed_hosts=frozenset(hosts) if hosts is not None else None)
