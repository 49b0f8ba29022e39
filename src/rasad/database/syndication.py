"""Syndicated copies: one wire story that several outlets publish nearly word for word.

Such copies are one report told several times, not independent confirmation of an incident. When a report
joins an event, its document's text is compared with those of the event's other documents: one whose word
five-grams stand, for SYNDICATED_SHARE of the shorter text's, in the other is a copy. The report's merge
reason then names the document it copies (`syndicated_of`), and the merged event lists its copies
(`syndicated`) and counts its independent reports (`independent_reports`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from rasad.database.store import documents, reports, run
from rasad.pipeline.normalise import norm

SHINGLE_WORDS = 5  # words of a shingle
SYNDICATED_SHARE = 0.8  # of the shorter text's shingles found in the other: a copy
MIN_SHINGLES = 20  # a text shorter than this many shingles (a caption, a headline) is never called a copy

_TEXT_OF = sa.select(documents.c.text).where(documents.c.id == sa.bindparam("doc_id"))
_OTHER_DOCS = (sa.select(documents.c.id, documents.c.doc, documents.c.text)
               .join(reports, reports.c.document_id == documents.c.id)
               .where(reports.c.event_id == sa.bindparam("eid"), documents.c.id != sa.bindparam("doc_id"))
               .distinct().order_by(documents.c.id))


@lru_cache(maxsize=512)
def shingles(text: str) -> frozenset[int]:
    """The hashes of a text's word five-grams, on its normalised words (kept for the last texts: an event's
    documents are compared again each time a report joins it)."""
    words = norm(text).split()
    return frozenset(hash(tuple(words[i : i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1))


def is_copy(a: frozenset[int], b: frozenset[int]) -> bool:
    """Whether two texts' shingles make one a near copy of the other."""
    if min(len(a), len(b)) < MIN_SHINGLES:
        return False
    return len(a & b) >= SYNDICATED_SHARE * min(len(a), len(b))


def copy_of(conn: Connection, doc_id: int, event_id: int, text: str | None = None) -> str | None:
    """The `doc` of an earlier document of the event whose text the document `doc_id` nearly copies, if any
    (`text`: the document's text, read when not given)."""
    if text is None:
        text = (run(conn, _TEXT_OF, {"doc_id": doc_id}).fetchone() or (None,))[0]
    mine = shingles(text or "")
    if len(mine) < MIN_SHINGLES:
        return None
    for _id, doc, other in run(conn, _OTHER_DOCS, {"eid": event_id, "doc_id": doc_id}).fetchall():
        if is_copy(mine, shingles(other or "")):
            return str(doc)
    return None


def syndication(reasons: list[dict[str, Any]], docs: list[str]) -> tuple[list[dict[str, str]], int]:
    """From the merge reasons and documents of an event's reports (in order): its copies ({doc, copy_of})
    and how many of its reports are independent (not copies)."""
    copies = [{"doc": d, "copy_of": r["syndicated_of"]} for r, d in zip(reasons, docs, strict=True)
              if r.get("syndicated_of")]
    return copies, len(docs) - len(copies)
