"""The rows of events, reports and claims a merge writes, inserted in groups.

A merge writes, for most reports, a new event, the report and its claims: three tables, each with its
indexes, one row at a time between the merge's other work. SQLite inserts the same rows several times faster
in a row (its pages, and Python's path to them, stay warm), and nothing reads a new event's rows until a later
report joins that event, or its search text is written. So on SQLite the writer gives the ids itself, as SQLite
would (one more than the table's highest: `INTEGER PRIMARY KEY` without AUTOINCREMENT), keeps the rows, and
inserts them in one statement a table (`write`) before anything reads them: the merge asks `holds_event` /
`holds_document` before it reads an event's or a document's reports, and writes them all before it reads the
events table itself, but for the days of a block (`merge.Blocks`, which adds the new events of those days from
memory). The database is then row for row what inserting each at once leaves, ids included.

On PostgreSQL every row is inserted at once, its id from the table's sequence.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from rasad.database.store import CLAIM_COLUMNS, INDEX_COLUMNS, binds, claims, events, reports, run, run_many

REPORT_COLUMNS = ("document_id", "idx", "date", "admin1", "record", "provenance", "event_id", "merge_reason")
_TABLES = {"events": events, "reports": reports, "claims": claims}
_COLUMNS = {"events": (*INDEX_COLUMNS, "record", "updated_at"), "reports": REPORT_COLUMNS, "claims": CLAIM_COLUMNS}
_FIXED: dict[str, dict[str, Any]] = {"events": {"reviewed": False}, "reports": {}, "claims": {}}
# the inserts of each table with the id given (SQLite), and with the id from the sequence, RETURNING it (PostgreSQL)
_GIVEN = {t: _TABLES[t].insert().values({**binds("id", *_COLUMNS[t]), **_FIXED[t]}) for t in _TABLES}
_SEQUENCE = {t: _TABLES[t].insert().values({**binds(*_COLUMNS[t]), **_FIXED[t]}) for t in _TABLES}
_RETURNING = {t: _SEQUENCE[t].returning(_TABLES[t].c.id) for t in ("events", "reports")}
# the highest id of each table, for the next one (SQLite's own choice of a new rowid)
_HIGHEST = {t: sa.select(sa.func.max(_TABLES[t].c.id)) for t in _TABLES}


class Inserts:
    """New events, reports and claims of one transaction on `conn`, written at once (PostgreSQL) or grouped (SQLite).

    `event` and `report` return the new row's id. A report attached to an event that is stored already (one
    that joins an older event) is inserted at once with `now`, since the merge reads that event's reports next.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.grouped = conn.dialect.name == "sqlite"
        self.next: dict[str, int] = {}  # the next id of each table, read when first needed
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in _TABLES}
        self.events: set[int] = set()  # the events waiting to be written
        self.documents: set[int] = set()  # the documents with a report waiting

    def _id(self, table: str) -> int:
        if table not in self.next:
            self.next[table] = int(run(self.conn, _HIGHEST[table]).fetchone()[0] or 0) + 1
        self.next[table] += 1
        return self.next[table] - 1

    def event(self, row: dict[str, Any]) -> int:
        """A new event (its indexed columns, record and updated_at); its id."""
        if not self.grouped:
            return int(run(self.conn, _RETURNING["events"], row).fetchone()[0])
        eid = self._id("events")
        self.rows["events"].append({**row, "id": eid})
        self.events.add(eid)
        return eid

    def report(self, row: dict[str, Any], claim_rows: list[tuple[Any, ...]], now: bool = False) -> int:
        """A new report (`REPORT_COLUMNS`) with its claims' rows (`CLAIM_COLUMNS`, the report id left out); its id.
        `now`: inserted at once (else it waits, on SQLite, with the events)."""
        if self.grouped:
            rid = self._id("reports")
            later = [{**row, "id": rid}], [self._claim(rid, c) for c in claim_rows]
            if now:
                run_many(self.conn, _GIVEN["reports"], later[0])
                run_many(self.conn, _GIVEN["claims"], later[1])
            else:
                self.rows["reports"] += later[0]
                self.rows["claims"] += later[1]
                self.documents.add(row["document_id"])
            return rid
        rid = int(run(self.conn, _RETURNING["reports"], row).fetchone()[0])
        run_many(self.conn, _SEQUENCE["claims"], [self._claim(rid, c) for c in claim_rows])
        return rid

    def _claim(self, rid: int, row: tuple[Any, ...]) -> dict[str, Any]:
        out = dict(zip(CLAIM_COLUMNS, (rid, *row[1:]), strict=True))
        if self.grouped:
            out["id"] = self._id("claims")
        return out

    def deleted(self, event_id: int) -> None:
        """Event event_id (written) was deleted: SQLite gives its id again when it was the highest."""
        if self.next.get("events") == event_id + 1:
            del self.next["events"]

    def holds_event(self, event_id: int) -> bool:
        return event_id in self.events

    def holds_document(self, document_id: int) -> bool:
        return document_id in self.documents

    def write(self) -> None:
        """Insert every row waiting: events, then reports, then claims (each refers to the one before)."""
        if not self.events and not self.documents:
            return
        for table in ("events", "reports", "claims"):
            run_many(self.conn, _GIVEN[table], self.rows[table])
            self.rows[table] = []
        self.events.clear()
        self.documents.clear()
