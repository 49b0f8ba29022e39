"""Incidents placed outside Syria, stored out of scope.

Revision ID: 0007
Revises: 0006

An extracted record splits its incidents into `events` (Syria) and `other_events` (another country, with
`country`). `rasad ingest` stores the second apart, in their own table: never merged with, counted with,
mapped with or exported with the events of Syria, and read by country (`Store.iter_other_events`,
GET /api/v1/other-events).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # written out in full, like 0001's tables, on purpose: a frozen revision shares no code with another
    op.create_table(
        "other_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("country", sa.String(60)),
        sa.Column("date", sa.String(10)),
        sa.Column("record", sa.Text, nullable=False),
        sa.UniqueConstraint("document_id", "idx"),
    )
    op.create_index("ix_other_events_document_id", "other_events", ["document_id"])
    op.create_index("ix_other_events_country", "other_events", ["country"])


def downgrade() -> None:
    op.drop_index("ix_other_events_country", table_name="other_events")
    op.drop_index("ix_other_events_document_id", table_name="other_events")
    op.drop_table("other_events")
