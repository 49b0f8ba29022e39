"""The explorer at 100,000 events: covering indexes and the search text in a table of its own.

Revision ID: 0003
Revises: 0002

Measured with bench/bench_api.py: any filter that had to read the events table itself (the status of
every row, the search text stored after each record's JSON) read the whole table, about 1.5 kB an
event. Now:
- three covering indexes lead with date, governorate and the low fatality figure, and each holds every
  column the filters and the map read, so counting, filtering, paging and the map read an index only;
- the search text moves from events.search to event_search (one short row an event), so `?q=`
  reads only that text.
The narrower indexes of 0002 are superseded and dropped.

Frozen like 0001 and 0002: later changes go in new revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FILTER_COLUMNS = ["date", "status", "admin1", "admin2", "event_type", "actor1", "actor2", "fatalities_low",
                  "fatalities_best", "lat", "lon"]


def upgrade() -> None:
    op.create_table(
        "event_search",
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.execute("INSERT INTO event_search (event_id, text) SELECT id, search FROM events WHERE search IS NOT NULL")
    op.drop_index("ix_events_map", "events")
    op.drop_index("ix_events_fatalities_low", "events")
    op.drop_index("ix_events_admin1_date", "events")
    _drop_columns("events", ["search"])
    op.create_index("ix_events_by_date", "events", FILTER_COLUMNS)
    op.create_index("ix_events_by_admin1", "events", ["admin1", *(c for c in FILTER_COLUMNS if c != "admin1")])
    op.create_index("ix_events_by_fatalities", "events",
                    ["fatalities_low", *(c for c in FILTER_COLUMNS if c != "fatalities_low")])


# a copy of 0002's _drop_columns, on purpose: each revision is frozen and imports nothing from another
def _drop_columns(table: str, columns: list[str]) -> None:
    """Drop columns in place. Alembic's batch mode would copy the table and drop the old one, which
    SQLite refuses while other tables' rows refer to it (foreign keys are on)."""
    for c in columns:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} DROP COLUMN {c}")  # SQLite >= 3.35
        else:
            op.drop_column(table, c)


def downgrade() -> None:
    for name in ("ix_events_by_fatalities", "ix_events_by_admin1", "ix_events_by_date"):
        op.drop_index(name, "events")
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("search", sa.Text))
    op.execute("UPDATE events SET search = (SELECT text FROM event_search WHERE event_id = events.id)")
    op.create_index("ix_events_admin1_date", "events", ["admin1", "date"])
    op.create_index("ix_events_fatalities_low", "events", ["fatalities_low"])
    op.create_index("ix_events_map", "events", ["date", "id", "lat", "lon", "event_type", "fatalities_best",
                                                "fatalities_low", "status"])
    op.drop_table("event_search")
