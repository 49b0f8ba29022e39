"""The merge block of undated events through a partial index.

Revision ID: 0006
Revises: 0005

Each dated report also reads its governorate's undated events (`date IS NULL`, in id order). With the
wide covering index of 0003 leading (admin1, date, ...), SQLite preferred ix_events_admin1 for that query,
to get id order for free, and read every event of the governorate to find the undated ones: the cost of
a report grew with the store (bench/bench_merge.py: 0.5 ms of block query per report at 10,000 events,
3.9 ms at 40,000). A partial index of the undated events by (admin1, id) answers it in a few rows.

Frozen like 0001-0005.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_undated", "events", ["admin1", "id"], sqlite_where=sa.text("date IS NULL"),
                    postgresql_where=sa.text("date IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_events_undated", table_name="events")
