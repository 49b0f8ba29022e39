"""The /map grid without a sort: each event's grid cell at zooms 6, 8 and 10, with covering indexes.

Revision ID: 0005
Revises: 0004

Measured with bench/bench_api.py at 100,000 events: the map of everything (p95 471 ms at zoom 6, 358 ms
at zoom 8) grouped by (cell, event_type) computed from lon and lat, which sorts every index entry
(185 ms of it in sqlite3 alone). Now:
- events gains cell6, cell8 and cell10, the cell at that zoom as column << (zoom + 3) | row, where the
  column is floor((lon + 180) / size), the row floor((lat + 90) / size) and size 45° / 2^zoom (as
  rasad.database.store.grid_cell); null without a point. Existing rows are filled here;
- each has a covering index led by (cell, event_type) and holding every filter column, so that the
  grid of everything, or of a period, reads one index in GROUP BY order (27 ms at zoom 6 in sqlite3).

A summary table of counts per cell, kept in step with every write, was the other way measured; it
only helps when no filter applies, and the indexes answer in well under the 100 ms target anyway.

Frozen like 0001-0004 (the cell is computed by a copy of the formula here, not rasad.database.store's).
"""

from __future__ import annotations

import math

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ZOOMS = (6, 8, 10)
FILTER_COLUMNS = ["date", "status", "admin1", "admin2", "event_type", "actor1", "actor2", "fatalities_low",
                  "fatalities_best", "lat", "lon"]


def _cell(lon: float | None, lat: float | None, zoom: int) -> int | None:
    if lon is None or lat is None:
        return None
    size = 45.0 / 2 ** zoom
    return (math.floor((lon + 180) / size) << (zoom + 3)) | math.floor((lat + 90) / size)


def upgrade() -> None:
    for z in ZOOMS:
        op.add_column("events", sa.Column(f"cell{z}", sa.Integer))
    bind = op.get_bind()
    ev = sa.table("events", sa.column("id", sa.Integer), sa.column("lat", sa.Float), sa.column("lon", sa.Float),
                  *(sa.column(f"cell{z}", sa.Integer) for z in ZOOMS))
    rows = bind.execute(sa.select(ev.c.id, ev.c.lon, ev.c.lat).where(ev.c.lat.is_not(None), ev.c.lon.is_not(None))).all()
    update = ev.update().where(ev.c.id == sa.bindparam("eid")).values(
        {f"cell{z}": sa.bindparam(f"c{z}") for z in ZOOMS})
    for i in range(0, len(rows), 10_000):
        bind.execute(update, [{"eid": eid, **{f"c{z}": _cell(lon, lat, z) for z in ZOOMS}}
                              for eid, lon, lat in rows[i:i + 10_000]])
    for z in ZOOMS:
        op.create_index(f"ix_events_cell{z}", "events",
                        [f"cell{z}", "event_type", *(c for c in FILTER_COLUMNS if c != "event_type")])


def downgrade() -> None:
    for z in ZOOMS:
        op.drop_index(f"ix_events_cell{z}", "events")
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE events DROP COLUMN cell{z}")
        else:
            op.drop_column("events", f"cell{z}")
