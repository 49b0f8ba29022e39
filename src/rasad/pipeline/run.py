"""The extraction pipeline: Source -> Document -> events, one small stage after another.

    ingest -> normalise -> segment -> annotate (dates, triggers, actors, places, numbers)
           -> resolve the report's date -> assemble events -> records

`extract(source)` is pure: the same input always gives the same output, so documents can be
processed in any order or in parallel.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from rasad.document import Document, Source
from rasad.lang.lexicon import governorate_matcher, topic_matcher, trigger_matcher
from rasad.pipeline.annotate import dates as dates_mod
from rasad.pipeline.assemble import Assembler, event_record
from rasad.pipeline.geocode import Geocoder
from rasad.pipeline.normalise import rx
from rasad.pipeline.segment import segment

_ORG_RE = rx(r"داعش|تنظيم\W{0,3}الدوله|الدوله الاسلاميه")
_QAEDA_RE = rx(r"تنظيم\W{0,3}القاعده")
_YEAR_RE = rx(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
OFF_TOPIC_MIN = 4  # distinct sport/culture/economy/technology words that make a text off-topic


MAX_CHARS = 1_000_000  # a news article is a few thousand characters; a million is a book


class DocumentTooLarge(ValueError):
    """A text far beyond any news article: refused whole rather than read for an hour."""


def extract(src: Source, geocoder: Geocoder | None = None) -> dict[str, Any]:
    """Events, statistics and warnings of one source document (a JSON-ready dict). With a geocoder,
    events also get coordinates, the admin hierarchy and geo_precision."""
    size = len(src.text) + len(src.title or "")
    if size > MAX_CHARS:
        raise DocumentTooLarge(
            f"{src.doc} has {size:,} characters: rasad reads news articles, up to {MAX_CHARS:,} characters each; "
            "split the text into its articles (one file, or one JSONL record, per article)")
    doc = Document.from_source(src)
    return analyse(doc, geocoder)


def analyse(doc: Document, geocoder: Geocoder | None = None) -> dict[str, Any]:
    src = doc.source
    segment(doc.body, plain_page=src.kind == "txt")
    if doc.title is not None:
        segment(doc.title, plain_page=False)
    parts = doc.parts
    if any(trigger_matcher().search(p.ntext) for p in parts):
        date_exprs = {p.name: dates_mod.find_dates(p.ntext) for p in parts}
        years = {int(y) for p in parts for y in _YEAR_RE.findall(p.ntext)}
        years |= {d.year for ds in date_exprs.values() for d in ds if d.year}
        doc.years = tuple(sorted(years))
        resolve_reference_date(doc, date_exprs)
        whole = doc.body.ntext + "\n" + (doc.title.ntext if doc.title else "")
        default_org = "Islamic State" if _ORG_RE.search(whole) else "Al Qaeda" if _QAEDA_RE.search(whole) else None
        topics = {h.entry for h in topic_matcher().finditer(doc.body.ntext) if h.value in ("sport", "culture", "economy", "technology")}
        asm = Assembler(doc, date_exprs, default_org, off_topic=len(topics) >= OFF_TOPIC_MIN,
                        locate=geocoder.mention_points if geocoder is not None else None)
        mentions = []
        if doc.title is not None:
            mentions += asm.mentions(doc.title)
        mentions += asm.mentions(doc.body)
        events = asm.merge(mentions)
        # in the order the article tells them; of incidents told in one sentence (one strike over several
        # governorates), the one it says more of first, then the one in the governorate it names most
        named = Counter(h.value for h in governorate_matcher().finditer(whole)) if len(events) > 1 else Counter()
        events.sort(key=lambda e: (min(m.order for m in e.body), -len(e.mentions),
                                   -named[e.admin1] if e.admin1 else 0))
        for e in events:
            rec = event_record(e, doc, asm)
            if geocoder is not None:
                geocoder.apply(rec, e, doc)
            rec.pop("admin1_text", None)
            doc.events.append(rec)
    else:
        doc.years = ()
    return record(doc)


def resolve_reference_date(doc: Document, date_exprs: dict[str, list[dates_mod.DateExpr]]) -> None:
    """The day the report speaks from: its publication date, else a dateline, else the latest
    weekday-and-date the text gives (a report names weekdays only for recent days)."""
    if doc.source.published:
        doc.reference_date, doc.reference_basis = doc.source.published, "published"
        return
    text = doc.body.ntext
    for d in date_exprs.get("text", []):
        if d.start > 400:
            break
        if d.day and d.month and d.year:
            line_start = text.rfind("\n", 0, d.start) + 1
            line_end = text.find("\n", d.end)
            line_end = len(text) if line_end < 0 else line_end
            if (line_end - line_start) - (d.end - d.start) <= 12:
                try:
                    doc.reference_date = dt.date(d.year, d.month, d.day)
                except ValueError:
                    continue
                doc.reference_basis = "dateline"
                return
    best: dt.date | None = None
    for d in date_exprs.get("text", []):
        if d.weekday is None or not d.day or not d.month or d.since:
            continue
        r = dates_mod.resolve(d, None, doc.years)
        if r.date and (best is None or r.date > best):
            best = r.date
    if best is not None:
        doc.reference_date, doc.reference_basis = best, "text"
        doc.warn(f"no publication date: the report's date {best.isoformat()} is inferred from a weekday and date in the text")
    elif any(d.relative is not None for ds in date_exprs.values() for d in ds):
        doc.warn("no publication date: relative dates (today, yesterday, last week) cannot be resolved; give --published")


def record(doc: Document) -> dict[str, Any]:
    src = doc.source
    return {
        "doc": src.doc,
        "url": src.url,
        "source": src.source,
        "title": src.title,
        "published": src.published.isoformat() if src.published else None,
        "reference_date": doc.reference_date.isoformat() if doc.reference_date else None,
        "reference_basis": doc.reference_basis,
        "events": doc.events,
        "statistics": doc.statistics,
        "warnings": doc.warnings,
    }
