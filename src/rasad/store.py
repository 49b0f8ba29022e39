"""The event store: SQLite by default, PostgreSQL for teams, one schema through SQLAlchemy Core.

Tables:
- documents: one per distinct content. An ingested text never comes twice: the SHA-256 of its id,
  title and text is unique.
- reports: one event as extracted from one document, with its record and evidence.
- events: the incidents, merged across documents, each with the record recomputed from all its reports.
- claims: every figure, its claimant and claimant type, and the report it came from.
- statistics: tallies over a period, kept apart from events.
- corrections: the audit trail of merges, splits and analysts' edits.
- quarantine: inputs that could not be read, with the error.

Each document is ingested in its own transaction: extraction, storage and merging commit together or
not at all. An interrupted run (Ctrl-C, a killed process) leaves the database consistent, and running
it again carries on where it stopped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

metadata = sa.MetaData()

documents = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("doc", sa.Text, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("published", sa.String(10)),
    sa.Column("reference_date", sa.String(10)),
    sa.Column("title", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("warnings", sa.Text),
    sa.Column("ingested_at", sa.String(32), nullable=False),
)
events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.String(10), index=True),
    sa.Column("date_precision", sa.String(10)),
    sa.Column("admin1", sa.String(40), index=True),
    sa.Column("event_type", sa.String(40)),
    sa.Column("actor1", sa.Text),
    sa.Column("actor2", sa.Text),
    sa.Column("fatalities_low", sa.Integer),
    sa.Column("fatalities_best", sa.Integer),
    sa.Column("fatalities_high", sa.Integer),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("record", sa.Text, nullable=False),
    sa.Column("reviewed", sa.Boolean, nullable=False, default=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Index("ix_events_admin1_date", "admin1", "date"),  # the merge block (migration 0003_merge_perf)
)
reports = sa.Table(
    "reports", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False, index=True),
    sa.Column("idx", sa.Integer, nullable=False),
    sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), index=True),
    sa.Column("date", sa.String(10)),
    sa.Column("admin1", sa.String(40)),
    sa.Column("record", sa.Text, nullable=False),
    sa.Column("merge_reason", sa.Text),
    sa.UniqueConstraint("document_id", "idx"),
)
claims = sa.Table(
    "claims", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("low", sa.Integer),
    sa.Column("best", sa.Integer),
    sa.Column("high", sa.Integer),
    sa.Column("qualifier", sa.String(20)),
    sa.Column("claimant", sa.Text),
    sa.Column("claimant_type", sa.String(20)),
    sa.Column("superseded", sa.Boolean, nullable=False, default=False),
)
statistics = sa.Table(
    "statistics", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False, index=True),
    sa.Column("period_start", sa.String(10)),
    sa.Column("period_end", sa.String(10)),
    sa.Column("claimant", sa.Text),
    sa.Column("claimant_type", sa.String(20)),
    sa.Column("counts", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text),
)
corrections = sa.Table(
    "corrections", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("event_id", sa.Integer, index=True),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("field", sa.Text),
    sa.Column("old", sa.Text),
    sa.Column("new", sa.Text),
    sa.Column("note", sa.Text),
)
quarantine = sa.Table(
    "quarantine", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("path", sa.Text),
    sa.Column("doc", sa.Text),
    sa.Column("line", sa.Integer),
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
)

# statements run for every document and report, built once (SQLAlchemy then reuses their compiled form)
_HAS_DOCUMENT = sa.select(documents.c.id).where(documents.c.content_hash == sa.bindparam("h"))
_INSERT_DOCUMENT = documents.insert()
_INSERT_STATISTIC = statistics.insert()
_INSERT_REPORT = reports.insert()
_INSERT_CLAIM = claims.insert()


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def db_url(spec: str | None) -> str:
    """A SQLAlchemy URL from --db: a URL as given, a file path as SQLite (default: rasad.db)."""
    spec = spec or "rasad.db"
    if "://" in spec:
        if spec.startswith("postgresql://"):
            return "postgresql+psycopg://" + spec[len("postgresql://"):]
        return spec
    return f"sqlite:///{Path(spec).expanduser()}"


def content_hash(doc: str, title: str | None, text: str) -> str:
    h = hashlib.sha256()
    for part in (doc, title or "", text):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


class Store:
    def __init__(self, url: str | None = None, migrate: bool = True) -> None:
        self.url = db_url(url)
        self.engine: Engine = sa.create_engine(self.url, future=True)
        if self.engine.dialect.name == "sqlite":
            @sa.event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_con: Any, _record: Any) -> None:
                cur = dbapi_con.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA busy_timeout=10000")
                cur.close()
        if migrate:
            upgrade(self.engine)

    # -- reading ---------------------------------------------------------------------------------

    def has_document(self, conn: Connection, h: str) -> bool:
        return conn.execute(_HAS_DOCUMENT, {"h": h}).first() is not None

    def event(self, event_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(events).where(events.c.id == event_id)).mappings().first()
            if row is None:
                return None
            return self._full_event(conn, dict(row))

    def _full_event(self, conn: Connection, row: dict[str, Any]) -> dict[str, Any]:
        rec = json.loads(row["record"])
        rec["event_id"] = row["id"]
        rec["reviewed"] = bool(row["reviewed"])
        rec["updated_at"] = row["updated_at"]
        reps = []
        q = (sa.select(reports, documents.c.doc, documents.c.url, documents.c.outlet, documents.c.published,
                       documents.c.title)
             .join(documents, documents.c.id == reports.c.document_id)
             .where(reports.c.event_id == row["id"]).order_by(reports.c.id))
        for r in conn.execute(q).mappings():
            reps.append({"report_id": r["id"], "doc": r["doc"], "url": r["url"], "source": r["outlet"],
                         "published": r["published"], "title": r["title"], "event": json.loads(r["record"]),
                         "merge_reason": json.loads(r["merge_reason"]) if r["merge_reason"] else None})
        rec["reports"] = reps
        rec.setdefault("corrected_fields", [])
        return rec

    def iter_events(self, where: Any = None, order: Any = None) -> Iterator[dict[str, Any]]:
        with self.engine.connect() as conn:
            q = sa.select(events)
            if where is not None:
                q = q.where(where)
            q = q.order_by(*(order if order is not None else [events.c.date, events.c.id]))
            for row in conn.execute(q).mappings().all():
                yield self._full_event(conn, dict(row))

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                    for t in (documents, reports, events, claims, statistics, corrections, quarantine)}

    # -- writing ---------------------------------------------------------------------------------

    def quarantine(self, path: str | None, doc: str | None, line: int | None, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(quarantine.insert().values(path=path, doc=doc, line=line, error=error, at=now()))

    def add_document(self, conn: Connection, src: Any, rec: dict[str, Any], h: str) -> int:
        doc_id = conn.execute(_INSERT_DOCUMENT, {
            "content_hash": h, "doc": src.doc, "url": src.url, "outlet": src.source,
            "published": src.published.isoformat() if src.published else None,
            "reference_date": rec.get("reference_date"), "title": src.title, "text": src.text,
            "warnings": json.dumps(rec.get("warnings") or [], ensure_ascii=False), "ingested_at": now(),
        }).inserted_primary_key[0]
        for st in rec.get("statistics") or []:
            conn.execute(_INSERT_STATISTIC, {
                "document_id": doc_id, "period_start": st.get("period_start"), "period_end": st.get("period_end"),
                "claimant": st.get("claimant"), "claimant_type": st.get("claimant_type"),
                "counts": json.dumps(st.get("counts"), ensure_ascii=False),
                "evidence": json.dumps(st.get("evidence"), ensure_ascii=False)})
        return int(doc_id)

    def add_report(self, conn: Connection, doc_id: int, idx: int, ev: dict[str, Any], outlet: str | None) -> int:
        # fixed statements with their values as parameters: compiled once, not rebuilt for every report
        rid = conn.execute(_INSERT_REPORT, {
            "document_id": doc_id, "idx": idx, "date": ev.get("date"), "admin1": ev.get("admin1"),
            "record": json.dumps(ev, ensure_ascii=False)}).inserted_primary_key[0]
        rows = []
        for c in ev.get("claims") or []:
            claimant = c.get("claimant")
            if c.get("claimant_type") == "outlet":
                claimant = outlet or claimant  # the outlet that published this report
            rows.append({"report_id": rid, "kind": c["kind"], "low": c.get("low"), "best": c.get("best"),
                         "high": c.get("high"), "qualifier": c.get("qualifier"), "claimant": claimant,
                         "claimant_type": c.get("claimant_type"), "superseded": bool(c.get("superseded"))})
        if rows:
            conn.execute(_INSERT_CLAIM, rows)
        return int(rid)

    def log(self, conn: Connection, event_id: int | None, user: str, action: str, field: str | None = None,
            old: Any = None, new: Any = None, note: str | None = None) -> None:
        conn.execute(corrections.insert().values(
            event_id=event_id, user=user, at=now(), action=action, field=field,
            old=None if old is None else json.dumps(old, ensure_ascii=False),
            new=None if new is None else json.dumps(new, ensure_ascii=False), note=note))


def upgrade(engine: Engine) -> None:
    """Bring the schema to the latest migration (Alembic), creating it on a new database."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        # "heads": revisions made on parallel branches (0003_merge_perf and another 0002, both after 0001)
        # are all applied without needing a merge revision first
        command.upgrade(cfg, "heads")
