"""The table where a bulk load keeps what it set aside: `rasad ingest --bulk` (rasad.database.bulk).

Revision ID: 0015
Revises: 0014

A bulk load drops the explorer's covering indexes and the search index's triggers while it stores and merges,
and makes them again when it ends; each row here is one of them (its name, index or trigger, and the statement
that makes it), so that a load that was killed is finished by the next `rasad ingest`. Frozen like 0001-0014:
the table is declared again here as store.py declares it today.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bulk_deferred",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("ddl", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bulk_deferred")
