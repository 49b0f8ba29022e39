"""Rollups for the explorer at a million events: the map per grid cell × month, list totals, the review queue.

Revision ID: 0012
Revises: 0010

Measured with bench/bench_api.py at 1,000,000 events on SQLite: 9 of the 15 cases took over 100 ms at p95,
the map of everything (321 ms at zoom 6) and of a governorate over a year (380 ms) reading every event's
index entry, the default list counting a million rows (153 ms). Now (rasad.database.rollups):
- map_rollup: events, fatalities and the sums of lon and lat per (zoom 6/8/10, period, cell, event type,
  governorate, status, corrected, low), period a month or "" for all time, cell -1 without coordinates, low
  the low fatality figure up to 10 (so that min_fatalities up to 10 is answered), -1 without one;
- reason_rollup: the events per (review reason or "any", status, corrected);
- rollup_events: per event what the two count it as, and the review queue's order as an index;
- on PostgreSQL, an index of events by (fatalities_low, id), the order of sort=-fatalities, which it sorted
  (a SQLite index ends with the rowid, the id, already).
`rasad.database.rollups.sync` keeps them in step with every write; this revision fills them for the events
already stored.

Frozen like 0001-0010: the tables are declared again here, as store.py declares them today (`duplicates`
pairs the two, on purpose), and the rows are computed by SQL here, not by rasad.database.rollups.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None

ZOOMS = (6, 8, 10)
BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "rollup_events",
        sa.Column("event_id", BIGINT, primary_key=True),
        sa.Column("date", sa.String(10)),
        sa.Column("admin1", sa.String(40), nullable=False),
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("corrected", sa.Integer, nullable=False),
        *(sa.Column(f"cell{z}", sa.Integer, nullable=False) for z in ZOOMS),
        sa.Column("fatalities", BIGINT, nullable=False),
        sa.Column("low", sa.Integer, nullable=False),
        sa.Column("lon", sa.Float),
        sa.Column("lat", sa.Float),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("n_reasons", sa.Integer, nullable=False),
    )
    op.create_index("ix_rollup_events_queue", "rollup_events", ["n_reasons", "date", "event_id"])
    op.create_table(
        "map_rollup",
        *(sa.Column(k, t, primary_key=True) for k, t in (
            ("zoom", sa.Integer), ("period", sa.String(7)), ("cell", sa.Integer), ("event_type", sa.String(40)),
            ("admin1", sa.String(40)), ("status", sa.String(12)), ("corrected", sa.Integer),
            ("low", sa.Integer))),
        sa.Column("events", BIGINT, nullable=False),
        sa.Column("fatalities", BIGINT, nullable=False),
        sa.Column("sum_lon", sa.Float, nullable=False),
        sa.Column("sum_lat", sa.Float, nullable=False),
    )
    op.create_table(
        "reason_rollup",
        sa.Column("reason", sa.String(24), primary_key=True),
        sa.Column("status", sa.String(12), primary_key=True),
        sa.Column("corrected", sa.Integer, primary_key=True),
        sa.Column("events", BIGINT, nullable=False),
    )
    pg = op.get_bind().dialect.name == "postgresql"
    reasons = ("(SELECT string_agg(reason, ',' ORDER BY reason) FROM event_reasons WHERE event_id = e.id)" if pg else
               "(SELECT group_concat(reason, ',') FROM (SELECT reason FROM event_reasons WHERE event_id = e.id "
               "ORDER BY reason))")
    cells = ", ".join(f"coalesce(cell{z}, -1)" for z in ZOOMS)
    op.execute(
        f"INSERT INTO rollup_events (event_id, date, admin1, event_type, status, corrected, "
        f"{', '.join(f'cell{z}' for z in ZOOMS)}, fatalities, low, lon, lat, reasons, n_reasons) "
        f"SELECT id, date, coalesce(admin1, ''), coalesce(event_type, ''), coalesce(status, ''), "
        f"CASE WHEN overrides IS NULL THEN 0 ELSE 1 END, {cells}, coalesce(fatalities_best, fatalities_low, 0), "
        f"CASE WHEN fatalities_low IS NULL THEN -1 WHEN fatalities_low > 10 THEN 10 ELSE fatalities_low END, "
        f"CASE WHEN lat IS NULL THEN NULL ELSE lon END, CASE WHEN lon IS NULL THEN NULL ELSE lat END, "
        f"coalesce({reasons}, ''), (SELECT count(*) FROM event_reasons WHERE event_id = e.id) FROM events e")
    for z in ZOOMS:
        sums = (f"count(*), sum(fatalities), coalesce(sum(CASE WHEN cell{z} <> -1 THEN lon ELSE 0.0 END), 0.0), "
                f"coalesce(sum(CASE WHEN cell{z} <> -1 THEN lat ELSE 0.0 END), 0.0)")
        key = f"cell{z}, event_type, admin1, status, corrected, low"
        op.execute(f"INSERT INTO map_rollup SELECT {z}, '', {key}, {sums} FROM rollup_events GROUP BY {key}")
        op.execute(f"INSERT INTO map_rollup SELECT {z}, substr(date, 1, 7), {key}, {sums} FROM rollup_events "
                   f"WHERE date IS NOT NULL GROUP BY substr(date, 1, 7), {key}")
    op.execute("INSERT INTO reason_rollup SELECT r.reason, e.status, e.corrected, count(*) FROM event_reasons r "
               "JOIN rollup_events e ON e.event_id = r.event_id GROUP BY r.reason, e.status, e.corrected")
    op.execute("INSERT INTO reason_rollup SELECT 'any', status, corrected, count(*) FROM rollup_events "
               "WHERE n_reasons > 0 GROUP BY status, corrected")
    if pg:  # the order of sort=-fatalities (SQLite's index on fatalities_low holds the rowid, the id, already)
        op.execute("CREATE INDEX ix_events_fatalities_id ON events (fatalities_low, id)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_events_fatalities_id")
    op.drop_index("ix_rollup_events_queue", table_name="rollup_events")
    for t in ("reason_rollup", "map_rollup", "rollup_events"):
        op.drop_table(t)
