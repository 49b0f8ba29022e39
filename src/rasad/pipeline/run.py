"""The extraction pipeline: Source -> Document -> events, one small stage after another.

    ingest -> normalise -> segment -> annotate (dates, triggers, actors, places, numbers)
           -> resolve the report's date -> mentions (filters, figures) -> incidents -> records

mentions.py reads clauses into mentions (filters.py decides what is kept, figures.py what each figure
counts), incidents.py groups the mentions of one article into incidents, record.py writes their records.

`extract(source)` is pure: the same input always gives the same output, so documents can be
processed in any order or in parallel.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from typing import Any

from rasad.document import Document, DocumentTooLarge, Source
from rasad.lang.lexicon import governorate_matcher, topic_matcher, trigger_matcher
from rasad.lang.patterns import RUN_AL_QAEDA, RUN_ISLAMIC_STATE, SYRIA
from rasad.pipeline.annotate import dates as dates_mod
from rasad.pipeline.annotate.places import country_of, find_places
from rasad.pipeline.filters import OFF_TOPICS
from rasad.pipeline.geocode import Geocoder
from rasad.pipeline.incidents import Incident, TooMuchWork, article_dyads, group_mentions
from rasad.pipeline.mentions import MentionReader, moves_or_holds
from rasad.pipeline.normalise import rx
from rasad.pipeline.record import article_strikers, event_record, record
from rasad.pipeline.segment import segment
from rasad.pipeline.trace import Trace

_YEAR_RE = rx(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
OFF_TOPIC_MIN = 4  # distinct sport/culture/economy/technology words that make a text off-topic
DATELINE_WITHIN = 400  # a dateline stands within the first characters of the text
DATELINE_EXTRA = 12  # characters a dateline's line may hold besides its date


MAX_CHARS = 1_000_000  # a news article is a few thousand characters; a million is a book


EARLIEST_REPORT_DATE = dt.date(1900, 1, 1)  # no report rasad reads is older; 0001-01-01 is a placeholder
REPORT_DATE_LEAD = dt.timedelta(days=1)  # a report may be dated the day after "now" (a time zone ahead), no later
NOW_ENV = "RASAD_NOW"  # YYYY-MM-DD: the "now" of the report-date bound, so that output can be reproduced


def today() -> dt.date:
    """The day "now" is for the report-date bound: $RASAD_NOW when it holds a date, else the clock's (UTC)."""
    value = os.environ.get(NOW_ENV)
    if value:
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    return dt.datetime.now(dt.UTC).date()


def plausible_report_date(d: dt.date) -> bool:
    """A report date within EARLIEST_REPORT_DATE and the day after "now" (`today`); anything else is a
    placeholder or a typo (0001-01-01, 9999-12-31, 3000-01-01) and would only give nonsense dates."""
    return EARLIEST_REPORT_DATE <= d <= today() + REPORT_DATE_LEAD


def extract(src: Source, geocoder: Geocoder | None = None, trace: Trace | None = None) -> dict[str, Any]:
    """Events, statistics and warnings of one source document (a JSON-ready dict). With a geocoder,
    events also get coordinates, the admin hierarchy and geo_precision; with a trace, the stages note
    why (`rasad extract --explain`)."""
    size = len(src.text) + len(src.title or "")
    if size > MAX_CHARS:
        raise DocumentTooLarge(
            f"{src.doc} has {size:,} characters: rasad reads news articles, up to {MAX_CHARS:,} characters each; "
            "split the text into its articles (one file, or one JSONL record, per article)")
    doc = Document.from_source(src)
    try:
        return analyse(doc, geocoder, trace)
    except TooMuchWork as exc:
        raise TooMuchWork(f"{src.doc}: {exc}") from None


def analyse(doc: Document, geocoder: Geocoder | None = None, trace: Trace | None = None) -> dict[str, Any]:
    src = doc.source
    segment(doc.body, plain_page=src.kind == "txt")
    if doc.title is not None:
        segment(doc.title, plain_page=False)
    parts = doc.parts
    if not any(trigger_matcher().any(p.ntext) for p in parts) and not moves_or_holds(doc.body.ntext):
        doc.years = ()
        return _split_abroad(record(doc))
    date_exprs = {p.name: dates_mod.find_dates(p.ntext) for p in parts}
    years = {int(y) for p in parts for y in _YEAR_RE.findall(p.ntext)}
    years |= {d.year for ds in date_exprs.values() for d in ds if d.year}
    doc.years = tuple(sorted(years))
    resolve_reference_date(doc, date_exprs)
    whole = doc.body.ntext + "\n" + (doc.title.ntext if doc.title else "")
    default_org = "Islamic State" if RUN_ISLAMIC_STATE.search(whole) else "Al Qaeda" if RUN_AL_QAEDA.search(whole) else None
    topics = {h.entry for h in topic_matcher().finditer(doc.body.ntext) if h.value in OFF_TOPICS}
    reader = MentionReader(doc, date_exprs, default_org, off_topic=len(topics) >= OFF_TOPIC_MIN,
                           locate=geocoder.mention_points if geocoder is not None else None, trace=trace)
    mentions = []
    if doc.title is not None:
        mentions += reader.read(doc.title)
    mentions += reader.read(doc.body)
    incidents = group_mentions(mentions, doc.reference_date, trace)
    _in_reading_order(incidents, whole)
    if trace is not None:
        trace.numbered(incidents)
    dyads, strikers = article_dyads(mentions), article_strikers(mentions)
    doc_country: list[str | None] = []
    for e in incidents:
        rec = event_record(e, doc, dyads, strikers)
        if rec["country"] not in (None, SYRIA):
            rec["admin1"] = None  # placed abroad: a governorate of the text before it is not its own
        elif geocoder is not None:
            geocoder.apply(rec, e, doc, text_admin1=rec["admin1"])
        if rec["country"] is None:
            if not doc_country:
                doc_country.append(_document_country(doc))
            # its own sentences name no country: a Syrian place of the gazetteer, else the article's country
            rec["country"] = SYRIA if rec.get("admin1") or rec.get("lat") is not None else doc_country[0] or SYRIA
        doc.events.append(rec)
    return _split_abroad(record(doc))


def _document_country(doc: Document) -> str | None:
    """The country an article about another country speaks of: the scene abroad it names (places.country_of over
    every part), unless it names Syria or a Syrian governorate or region at all."""
    places = [p for part in doc.parts for p in find_places(part.ntext, 0, len(part.ntext))]
    if any(p.admin1 or p.kind == "region" or p.country == SYRIA for p in places):
        return SYRIA
    return country_of(places)


def _split_abroad(out: dict[str, Any]) -> dict[str, Any]:
    """rasad is for Syria: incidents placed in another country leave `events` for `other_events`."""
    events = out["events"]
    res: dict[str, Any] = {}
    for k, v in out.items():
        if k == "events":
            res["events"] = [e for e in events if e.get("country", SYRIA) == SYRIA]
            res["other_events"] = [e for e in events if e.get("country", SYRIA) != SYRIA]
        else:
            res[k] = v
    return res


def _in_reading_order(incidents: list[Incident], whole: str) -> None:
    """In the order the article tells them; of incidents told in one sentence (one strike over several
    governorates), the one it says more of first, then the one in the governorate it names most."""
    named = Counter(h.value for h in governorate_matcher().finditer(whole)) if len(incidents) > 1 else Counter()
    incidents.sort(key=lambda e: (min(m.order for m in e.body), -len(e.mentions),
                                  -named[e.admin1] if e.admin1 else 0))


def resolve_reference_date(doc: Document, date_exprs: dict[str, list[dates_mod.DateExpr]]) -> None:
    """The day the report speaks from: its publication date, else a dateline, else the latest
    weekday-and-date the text gives (a report names weekdays only for recent days)."""
    published = doc.source.published
    if published and not plausible_report_date(published):
        doc.warn(f"publication date {published.isoformat()} is outside {EARLIEST_REPORT_DATE.isoformat()} to the day "
                 f"after today: taken as unknown")
        published = None
    if published:
        doc.reference_date, doc.reference_basis = published, "published"
        return
    text = doc.body.ntext
    for d in date_exprs.get("text", []):
        if d.start > DATELINE_WITHIN:
            break
        if d.day and d.month and d.year:
            line_start = text.rfind("\n", 0, d.start) + 1
            line_end = text.find("\n", d.end)
            line_end = len(text) if line_end < 0 else line_end
            if (line_end - line_start) - (d.end - d.start) <= DATELINE_EXTRA:
                try:
                    dateline = dt.date(d.year, d.month, d.day)
                except ValueError:
                    continue
                if not plausible_report_date(dateline):
                    continue
                doc.reference_date = dateline
                doc.reference_basis = "dateline"
                return
    best: dt.date | None = None
    for d in date_exprs.get("text", []):
        if d.weekday is None or not d.day or not d.month or d.since:
            continue
        r = dates_mod.resolve(d, None, doc.years)
        if r.date and plausible_report_date(r.date) and (best is None or r.date > best):
            best = r.date
    if best is not None:
        doc.reference_date, doc.reference_basis = best, "text"
        doc.warn(f"no publication date: the report's date {best.isoformat()} is inferred from a weekday and date in the text")
    elif any(d.relative is not None for ds in date_exprs.values() for d in ds):
        doc.warn("no publication date: relative dates (today, yesterday, last week) cannot be resolved; give --published")
