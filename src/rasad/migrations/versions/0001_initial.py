"""The first schema: documents, reports, events, claims, statistics, corrections, quarantine.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

from rasad.store import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind)  # the tables as rasad.store declares them at this revision


def downgrade() -> None:
    bind = op.get_bind()
    metadata.drop_all(bind)
