"""The records rasad writes, as types: what `rasad extract` emits per document and per event, and what the
store keeps for a merged event.

These are `TypedDict`s: the records stay plain JSON-ready dicts (the JSONL the scorer reads), and the
types say which keys each one has and what they hold. README's "Output" tables list exactly these keys;
`tests/test_schema.py` checks both against real extraction output.

Evidence and claims carry a key named `in` ("title" when the words were found in the record's title,
absent when they are in the body). `in` is a Python keyword, so it is declared once, in the functional
syntax (`_InTitle`), and inherited. The event record and the merged event share their fields of place,
sides and toll (`_Incident`); each declares the ones whose type differs.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class Figures(TypedDict):
    """A casualty figure: the smallest, the most credible and the largest count the claims allow (null when
    the text does not fix it)."""

    low: int | None
    best: int | None
    high: int | None


_InTitle = TypedDict("_InTitle", {"in": NotRequired[str]})  # "title" when the words are in the title


class Evidence(_InTitle):
    """Where a value was read: offsets of the words in the document's text (or its title, with `in`)."""

    field: str  # event (the sentences that report it), date, actor1, actor2, location, fatalities, ...
    start: int
    end: int
    text: str  # the words themselves: text[start:end]


class ClaimRecord(_InTitle):
    """One figure of an event as one claimant gave it, with its offsets."""

    kind: str  # fatalities | wounded
    low: int | None
    best: int | None
    high: int | None
    qualifier: str | None  # at_least, more_than, about, dozens, ... ; null for an exact figure
    claimant: str  # who put the figure forward (canonical name, or "outlet")
    claimant_type: str  # monitor, activist, local_network, local_sources, media, outlet, state_media, official, party
    superseded: bool  # a later figure of the same claimant replaced it
    start: int
    end: int
    text: str


class StatisticCount(TypedDict):
    """One figure of a tally."""

    value: int
    qualifier: str | None
    category: str | None  # the noun counted (civilians, soldiers, ...), as the text names it
    party: str | None  # the actor counted, when the text names one right after the figure
    text: str
    start: int
    end: int


class StatisticRecord(TypedDict):
    """A tally over a period ("since the start of the year, 312 killed"): kept apart from events."""

    period_start: str | None  # YYYY-MM-DD
    period_end: str | None
    counts: list[StatisticCount]
    claimant: str
    claimant_type: str
    evidence: list[Evidence]


class _Incident(TypedDict):
    """The fields an event record and a merged event share, with the same types."""

    # when
    date: str | None  # YYYY-MM-DD
    date_window: list[str] | None  # [first day, last day] the text allows
    time_of_day: str | None  # dawn | morning | noon | afternoon | evening | night
    # who
    assoc_actor_1: list[str]
    inter1: int | None
    actor2: str | None
    assoc_actor_2: list[str]
    inter2: int | None
    # where (all but `location` and `admin1` are filled by geocoding)
    location: str | None
    admin1: str | None
    admin1_ar: str | None
    admin2: str | None
    admin2_ar: str | None
    admin3: str | None
    admin3_ar: str | None
    lat: float | None
    lon: float | None
    geo_precision: int | None  # 1 the place, 2 near it or part of it, 3 a governorate or region
    place_name_ar: str | None
    place_name_en: str | None
    place_kind: str | None
    pcode: str | None
    geonames_id: str | None
    # how many
    fatalities: Figures | None
    wounded: Figures | None
    fatalities_acled: int  # ACLED's single figure: the low bound, 0 when unknown
    victims: str  # combatants | civilians | mixed | unknown
    weapons: list[str]
    units: list[str]
    civilian_targeting: str  # "Civilian targeting" or ""


class EventRecord(_Incident):
    """One incident as one document tells it: what `rasad extract` writes in `events`."""

    date_precision: str  # day | week | month | unknown
    retold: bool  # the sentence that first tells it recalls an earlier incident
    event_type: str
    sub_event_type: str
    disorder_type: str
    actor1: str  # who initiated the violence (Unidentified Armed Group when the text does not say)
    actor_surface: dict[str, list[str]]  # canonical name -> the words the text used
    country: str  # Syria, or the country abroad the text places it in (then it is in other_events)
    claims: list[ClaimRecord]
    evidence: list[Evidence]  # why we believe it
    warnings: list[str]
    rules: list[str]  # the named rules that made it, in the order they fired (pipeline/record.py rules_fired)


class DocumentRecord(TypedDict):
    """What `rasad extract` writes for one document (one JSONL line)."""

    doc: str
    url: str | None
    source: str | None
    title: str | None
    published: str | None  # YYYY-MM-DD
    reference_date: str | None  # the day relative dates are resolved against
    reference_basis: str | None  # published | dateline | text
    events: list[EventRecord]
    other_events: list[EventRecord]  # incidents the text places outside Syria, each with its country
    statistics: list[StatisticRecord]
    warnings: list[str]


# -- the store's side ---------------------------------------------------------------------------------


class MergedClaim(TypedDict):
    """A claim of a merged event: the figure, its claimant, and the report's document and outlet."""

    kind: str
    low: int | None
    best: int | None
    high: int | None
    qualifier: str | None
    claimant: str | None
    claimant_type: str | None
    superseded: bool
    doc: str
    source: str | None


class MergedEvent(_Incident):
    """An event merged from the reports of several documents (`rasad.database.merge.recompute`): the
    event record's fields without the per-document ones (evidence, warnings, rules, actor_surface, retold), and
    the outlets and number of reports. What most reports say, so possibly null where a record is not."""

    sources: list[str]
    report_count: int
    syndicated: list[dict[str, str]]  # reports that copy another of the event's documents: {doc, copy_of}
    independent_reports: int  # report_count without the copies (database/syndication.py)
    claims: list[MergedClaim]  # every claim of every report, with its document
    date_precision: str | None
    event_type: str | None
    sub_event_type: str | None
    disorder_type: str | None
    actor1: str | None


class StoredEvent(MergedEvent, total=False):
    """A merged event as the store hands it out (`Store.iter_events`, `Store.event`): analysts'
    corrections applied, with its id, review state, reports and audit trail. What the exports read."""

    event_id: int
    status: str | None
    reviewed: bool
    updated_at: str
    corrected_fields: list[str]
    reports: list[dict[str, object]]  # each: report_id, document_id, doc, url, source, published, title, event, merge_reason,
    # provenance (rasad version, lexicon, rules and gazetteer fingerprints of the extraction that made it)
    corrections: list[dict[str, object]]


__all__ = [
    "ClaimRecord", "DocumentRecord", "EventRecord", "Evidence", "Figures", "MergedClaim", "MergedEvent",
    "StatisticCount", "StatisticRecord", "StoredEvent",
]
