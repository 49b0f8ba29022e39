"""Provenance of every report, and the kind of every document, for `rasad reprocess`.

Revision ID: 0008
Revises: 0007

`reports.provenance` is JSON: the rasad version and the fingerprints of the lexicons, the extraction
code and the gazetteer that made the report. `documents.kind` (txt, html, jsonl) is how the document
was read, so that a re-extraction reads its stored text as the first one did. Both are null on rows
stored before this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reports", sa.Column("provenance", sa.Text))
    op.add_column("documents", sa.Column("kind", sa.String(8)))


def downgrade() -> None:
    # SQLite drops a column in place (3.35+); a batch copy of `reports` would trip the claims' foreign key
    for table, column in (("documents", "kind"), ("reports", "provenance")):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            op.drop_column(table, column)
