"""A word index for `?q=`: FTS5 on SQLite, a GIN index on PostgreSQL, and words without proclitics.

Revision ID: 0004
Revises: 0003

Measured with bench/bench_api.py: `?q=` read the search text of every event (p95 184 ms at 100,000
events). Now:
- every row of event_search gains, after its text, the bare forms of its words (without و ف, ب ل ك
  and ال), so that "الرقة" finds "بالرقة";
- SQLite: an FTS5 table `event_fts` with event_search as its external content (the text is stored
  once), kept in step by triggers on event_search, filled here by FTS5's 'rebuild'. A SQLite library
  built without FTS5 gets no table and no triggers, and the server then scans the text as before
  (`Store.search_mode`). The table is not in rasad.database.store's declared metadata: SQLAlchemy cannot
  declare a virtual table, and its shadow tables are FTS5's own;
- PostgreSQL: a GIN index on `to_tsvector('simple'::regconfig, text)`.

Frozen like 0001-0003 (the bare forms are computed by a copy of the code here, not rasad.database.store's).
The downgrade drops the index and leaves the bare forms in the text: 0003's substring search finds
the same events with them.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

WORD = re.compile(r"[^\W_]+")

FTS_DDL = [
    "CREATE VIRTUAL TABLE event_fts USING fts5(text, content='event_search', content_rowid='event_id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER event_search_fts_insert AFTER INSERT ON event_search BEGIN "
    "INSERT INTO event_fts (rowid, text) VALUES (new.event_id, new.text); END",
    "CREATE TRIGGER event_search_fts_delete AFTER DELETE ON event_search BEGIN "
    "INSERT INTO event_fts (event_fts, rowid, text) VALUES ('delete', old.event_id, old.text); END",
    "CREATE TRIGGER event_search_fts_update AFTER UPDATE ON event_search BEGIN "
    "INSERT INTO event_fts (event_fts, rowid, text) VALUES ('delete', old.event_id, old.text); "
    "INSERT INTO event_fts (rowid, text) VALUES (new.event_id, new.text); END",
    "INSERT INTO event_fts (event_fts) VALUES ('rebuild')",
]


# A frozen copy of rasad.database.store.bare_forms as it was when this revision was written, Arabic
# letters included, on purpose (`duplicates` pairs the two): store.py may change its search text, and
# this revision must still rewrite old rows exactly as it always did.
def _bare_forms(word: str) -> set[str]:
    stems = {word}
    if len(word) > 3 and word[0] in "وف":
        stems.add(word[1:])
    for w in list(stems):
        if len(w) > 3 and w[0] in "بلك":
            stems.add(w[1:])
            if w[0] == "ل" and w[1] == "ل" and len(w) > 4:
                stems.add("ا" + w[1:])
    for w in list(stems):
        if len(w) > 4 and w.startswith("ال"):
            stems.add(w[2:])
    return stems - {word}


def _with_bare_forms(text: str) -> str:
    words = WORD.findall(text)
    have = set(words)
    extra: list[str] = []
    for w in words:
        for b in sorted(_bare_forms(w)):
            if b not in have:
                have.add(b)
                extra.append(b)
    return f"{text} | {' '.join(extra)}" if extra else text


def _has_fts5() -> bool:
    try:
        op.execute("CREATE VIRTUAL TABLE temp.rasad_fts5_probe USING fts5(x)")
    except sa.exc.OperationalError:
        return False
    op.execute("DROP TABLE temp.rasad_fts5_probe")
    return True


def upgrade() -> None:
    bind = op.get_bind()
    search = sa.table("event_search", sa.column("event_id", sa.Integer), sa.column("text", sa.Text))
    rows = bind.execute(sa.select(search.c.event_id, search.c.text)).all()
    changed = [{"eid": eid, "t": new} for eid, text in rows if (new := _with_bare_forms(text)) != text]
    if changed:
        bind.execute(search.update().where(search.c.event_id == sa.bindparam("eid")).values(text=sa.bindparam("t")),
                     changed)
    if bind.dialect.name == "sqlite":
        if _has_fts5():
            for ddl in FTS_DDL:
                op.execute(ddl)
    elif bind.dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_event_search_tsv ON event_search USING gin (to_tsvector('simple'::regconfig, text))")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("event_search_fts_insert", "event_search_fts_delete", "event_search_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS event_fts")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_event_search_tsv")
