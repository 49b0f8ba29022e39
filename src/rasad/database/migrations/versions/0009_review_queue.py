"""The review queue: why each event needs a look, one row per reason.

Revision ID: 0009
Revises: 0008

`event_reasons` (reason, event_id) holds, for each event, the reasons of rasad.database.queue (hedged,
attacker taken from elsewhere, governorate-level place, no governorate, recalled, outside Syria …),
kept by merge.recompute from then on. This revision fills it for the events already stored.

Frozen like 0001-0007: the reasons are computed by a copy of rasad.database.queue.reasons as it was
when this revision was written.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_REASONS = ("hedged", "attacker_elsewhere", "governorate_inferred", "admin1_level", "no_admin1", "place_ambiguous",
            "no_coordinates", "undated", "no_figure", "recalled", "outside_syria")
_WARNINGS = {
    "hedged": "reported with hedging",
    "attacker_elsewhere": "actor1 not named for this",
    "governorate_inferred": "governorate not named in the sentence",
    "no_figure": "fatalities given without a figure",
}


def _reasons(recs: list[dict[str, Any]], shown: dict[str, Any]) -> list[str]:
    warnings = [w for r in recs for w in (r.get("warnings") or []) if isinstance(w, str)]
    found = {name for name, start in _WARNINGS.items() if any(w.startswith(start) for w in warnings)}
    if any(w.startswith("place ") and " is ambiguous" in w for w in warnings):
        found.add("place_ambiguous")
    if not shown.get("admin1"):
        found.add("no_admin1")
    elif shown.get("geo_precision") == 3:
        found.add("admin1_level")
    if shown.get("lat") is None or shown.get("lon") is None:
        found.add("no_coordinates")
    if not shown.get("date"):
        found.add("undated")
    if recs and all(r.get("retold") for r in recs):
        found.add("recalled")
    if any(r.get("country") not in (None, "Syria") for r in recs):
        found.add("outside_syria")
    return [r for r in _REASONS if r in found]


def upgrade() -> None:
    op.create_table(
        "event_reasons",
        sa.Column("reason", sa.String(24), primary_key=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_event_reasons_event_id", "event_reasons", ["event_id"])
    bind = op.get_bind()
    table = sa.table("event_reasons", sa.column("reason"), sa.column("event_id"))
    # the events as analysts see them: the indexed columns hold the corrected values
    by_event: dict[int, list[dict[str, Any]]] = {}
    for eid, record in bind.execute(sa.text("SELECT event_id, record FROM reports WHERE event_id IS NOT NULL")):
        by_event.setdefault(eid, []).append(json.loads(record))
    rows: list[dict[str, Any]] = []
    q = sa.text("SELECT id, date, admin1, lat, lon, record, overrides FROM events")
    for eid, date, admin1, lat, lon, record, overrides in bind.execute(q):
        rec = json.loads(record)
        over = json.loads(overrides) if overrides else {}
        shown = {"date": date, "admin1": admin1, "lat": lat, "lon": lon,
                 "geo_precision": over.get("geo_precision", rec.get("geo_precision"))}
        rows += [{"reason": r, "event_id": eid} for r in _reasons(by_event.get(eid, []), shown)]
        if len(rows) >= 5000:
            op.bulk_insert(table, rows)
            rows = []
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_index("ix_event_reasons_event_id", table_name="event_reasons")
    op.drop_table("event_reasons")
