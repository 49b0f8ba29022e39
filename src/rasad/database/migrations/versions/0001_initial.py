"""The first schema: documents, reports, events, claims, statistics, corrections, quarantine.

Revision ID: 0001
Revises:

Frozen: later schema changes go in new revisions (tests/test_store.py checks that migrating a new
database gives exactly the tables and columns rasad.database.store declares).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The tables as rasad.database.store declared them when this revision was written, copied here on
    # purpose (`duplicates` pairs the two): a migration is frozen, so store.py can change without
    # changing what this revision does to a database.
    op.create_table(
        "documents",
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
    op.create_table(
        "events",
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
        sa.Column("reviewed", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "reports",
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
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("low", sa.Integer),
        sa.Column("best", sa.Integer),
        sa.Column("high", sa.Integer),
        sa.Column("qualifier", sa.String(20)),
        sa.Column("claimant", sa.Text),
        sa.Column("claimant_type", sa.String(20)),
        sa.Column("superseded", sa.Boolean, nullable=False),
    )
    op.create_table(
        "statistics",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False, index=True),
        sa.Column("period_start", sa.String(10)),
        sa.Column("period_end", sa.String(10)),
        sa.Column("claimant", sa.Text),
        sa.Column("claimant_type", sa.String(20)),
        sa.Column("counts", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text),
    )
    op.create_table(
        "corrections",
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
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("path", sa.Text),
        sa.Column("doc", sa.Text),
        sa.Column("line", sa.Integer),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    for table in ("quarantine", "corrections", "statistics", "claims", "reports", "events", "documents"):
        op.drop_table(table)
