"""An index on events (admin1, date) for the merge block.

Revision ID: 0003_merge_perf
Revises: 0001

Each new report reads the events of its block: one governorate and a date within two days. With
only ix_events_admin1 and ix_events_date, SQLite searched by governorate and read every event of it,
so a report cost grew with the store (the whole merge with the square of its size). With this index
the block is one range of the index.
"""

from __future__ import annotations

from alembic import op

revision = "0003_merge_perf"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_admin1_date", "events", ["admin1", "date"])


def downgrade() -> None:
    op.drop_index("ix_events_admin1_date", table_name="events")
