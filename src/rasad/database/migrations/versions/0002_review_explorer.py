"""Review and the explorer: users, boundaries, and on events the analyst's status and corrections.

Revision ID: 0002
Revises: 0001

- users: name, SHA-256 of the token, created_at (`rasad users add`).
- boundaries: governorate outlines as GeoJSON (`rasad boundaries import`).
- events.status (null | confirmed | rejected), events.overrides (JSON field -> corrected value; the
  machine record is never overwritten), events.admin2 and events.search (what `?q=` searches), filled
  here for events stored before this revision.
- indexes for the explorer's filters and an index holding every column of the map endpoint, so that
  /api/v1/map reads the index only.

Frozen like 0001: later changes go in new revisions.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # written out in full, like 0001's tables, on purpose: a frozen revision shares no code with another
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "boundaries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("level", sa.String(20), nullable=False, unique=True),
        sa.Column("source", sa.Text),
        sa.Column("geojson", sa.Text, nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False),
    )
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("status", sa.String(12)))
        batch.add_column(sa.Column("overrides", sa.Text))
        batch.add_column(sa.Column("admin2", sa.String(80)))
        batch.add_column(sa.Column("search", sa.Text))
    op.create_index("ix_events_admin1_date", "events", ["admin1", "date"])
    op.create_index("ix_events_fatalities_low", "events", ["fatalities_low"])
    op.create_index("ix_events_map", "events", ["date", "id", "lat", "lon", "event_type", "fatalities_best",
                                                "fatalities_low", "status"])
    # fill admin2 and search for events stored before this revision
    conn = op.get_bind()
    ev = sa.table("events", sa.column("id", sa.Integer), sa.column("record", sa.Text),
                  sa.column("admin2", sa.String), sa.column("search", sa.Text))
    for eid, record in conn.execute(sa.select(ev.c.id, ev.c.record)).all():
        rec = json.loads(record or "{}")
        conn.execute(ev.update().where(ev.c.id == eid).values(admin2=rec.get("admin2"), search=search_text(rec, [])))


def search_text(rec: dict, titles: list[str]) -> str:
    from rasad.pipeline.normalise import norm

    parts = [rec.get(k) for k in ("location", "place_name_ar", "place_name_en", "admin1", "admin1_ar", "admin2",
                                  "admin2_ar", "admin3", "actor1", "actor2", "event_type", "sub_event_type", "notes")]
    parts += list(rec.get("assoc_actor_1") or []) + list(rec.get("assoc_actor_2") or []) + list(rec.get("sources") or [])
    parts += titles
    return " | ".join(norm(str(p)).lower() for p in parts if p)


def _drop_columns(table: str, columns: list[str]) -> None:
    """Drop columns in place. Alembic's batch mode would copy the table and drop the old one, which
    SQLite refuses while other tables' rows refer to it (foreign keys are on)."""
    for c in columns:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} DROP COLUMN {c}")  # SQLite >= 3.35
        else:
            op.drop_column(table, c)


def downgrade() -> None:
    op.drop_index("ix_events_map", "events")
    op.drop_index("ix_events_fatalities_low", "events")
    op.drop_index("ix_events_admin1_date", "events")
    _drop_columns("events", ["search", "admin2", "overrides", "status"])
    op.drop_table("boundaries")
    op.drop_table("users")
