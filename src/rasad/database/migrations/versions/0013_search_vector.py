"""PostgreSQL: each event's words stored as a tsvector, so that `?q=` can test an event without parsing its text.

Revision ID: 0013
Revises: 0012

Measured with bench/bench_api.py at 1,000,000 events on PostgreSQL: a word in every event (`q=هجوم`) took
337 ms at p95. The GIN index on `to_tsvector('simple', text)` reads every match of a word before giving the
first, and testing the events one at a time parses each one's text again (about 25 µs an event). Now a table
`event_words` holds, for each row of event_search, `strip(to_tsvector('simple'::regconfig, text))` (its words,
without their positions), kept in step by a trigger on event_search, as FTS5's triggers keep event_fts (0004):
counting the events that have a common word reads it in order, about 0.3 µs an event (`api._word_count`).

A table of its own, with no index but its key: a stored column of event_search would double the pages every
GIN search of event_search reads, and an index on it would let the planner test events one at a time where
gathering the matches is faster. Like event_fts, it is not in rasad.database.store's declared metadata.

SQLite is untouched: FTS5 (0004) answers `?q=` there. Frozen like 0001-0012.
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

DDL = [
    "CREATE TABLE event_words (event_id BIGINT PRIMARY KEY, tsv TSVECTOR NOT NULL)",
    """CREATE FUNCTION event_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM event_words WHERE event_id = OLD.event_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO event_words (event_id, tsv)
            VALUES (NEW.event_id, strip(to_tsvector('simple'::regconfig, NEW.text)));
        END IF;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER event_words_sync AFTER INSERT OR UPDATE OR DELETE ON event_search "
    "FOR EACH ROW EXECUTE FUNCTION event_words_sync()",
    "INSERT INTO event_words (event_id, tsv) "
    "SELECT event_id, strip(to_tsvector('simple'::regconfig, text)) FROM event_search",
    "ANALYZE event_words",  # the planner's statistics of the words: which are common (`api._word_count`)
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DDL:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS event_words_sync ON event_search")
        op.execute("DROP FUNCTION IF EXISTS event_words_sync()")
        op.execute("DROP TABLE IF EXISTS event_words")
