"""64-bit ids, keys and figures on PostgreSQL; browser sessions in the database.

Revision ID: 0010
Revises: 0009

PostgreSQL's INTEGER is 32-bit: a figure above 2,147,483,647 (a claim's low/best/high, an event's
fatalities) failed the insert, and the serial ids would stop at that count. This revision turns every id,
every foreign key (and corrections.event_id, a key without its constraint) and every figure column into
BIGINT, and the id sequences into bigint sequences. Positions and grid cells (reports.idx, other_events.idx,
quarantine.line, events.cell6/8/10) are small by construction and stay INTEGER.

On SQLite it changes no column: SQLite's INTEGER holds 64 bits already, and an `INTEGER PRIMARY KEY` must
stay declared so to remain the rowid (store.py declares these columns BIGINT with an INTEGER variant for
SQLite).

`sessions` holds the explorer's browser sessions (before, they lived in the memory of one server process):
the SHA-256 of the session id (never the id), its user (deleted with the user, by `rasad users revoke`), its
CSRF token, and when it was opened and last seen (seconds since the epoch), so that several server workers,
and a restarted server, share them.

Frozen like 0001-0009: the columns are listed here, not read from store.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# table -> its columns turned into BIGINT
_WIDENED: dict[str, tuple[str, ...]] = {
    "documents": ("id",),
    "events": ("id", "fatalities_low", "fatalities_best", "fatalities_high"),
    "reports": ("id", "document_id", "event_id"),
    "claims": ("id", "report_id", "low", "best", "high"),
    "other_events": ("id", "document_id"),
    "statistics": ("id", "document_id"),
    "corrections": ("id", "event_id"),
    "event_search": ("event_id",),
    "event_reasons": ("event_id",),
    "users": ("id",),
    "boundaries": ("id",),
    "quarantine": ("id",),
}
# the tables whose id is a serial (its sequence counts in INTEGER until changed)
_SERIAL = ("documents", "events", "reports", "claims", "other_events", "statistics", "corrections", "users",
           "boundaries", "quarantine")


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("seen", sa.Float, nullable=False),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_index("ix_sessions_seen", "sessions", ["seen"])
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: INTEGER is 64-bit already
    for table, columns in _WIDENED.items():
        # one ALTER TABLE per table: PostgreSQL rewrites the table and rebuilds its indexes once
        alters = ", ".join(f"ALTER COLUMN {c} TYPE BIGINT" for c in columns)
        op.execute(f"ALTER TABLE {table} {alters}")
    for table in _SERIAL:
        op.execute(f"DO $$ BEGIN EXECUTE 'ALTER SEQUENCE ' || pg_get_serial_sequence('{table}', 'id') "
                   f"|| ' AS bigint MAXVALUE 9223372036854775807'; END $$")


def downgrade() -> None:
    op.drop_index("ix_sessions_seen", table_name="sessions")
    op.drop_index("ix_sessions_user_id", table_name="sessions")
    op.drop_table("sessions")
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _SERIAL:
        op.execute(f"DO $$ BEGIN EXECUTE 'ALTER SEQUENCE ' || pg_get_serial_sequence('{table}', 'id') "
                   f"|| ' AS integer MAXVALUE 2147483647'; END $$")
    for table, columns in _WIDENED.items():
        alters = ", ".join(f"ALTER COLUMN {c} TYPE INTEGER" for c in columns)
        op.execute(f"ALTER TABLE {table} {alters}")
