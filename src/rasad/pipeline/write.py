"""Writers for extraction results: JSONL (one document a line, the scorer's format), JSON, CSV
(one event a row) and a readable table."""

from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from collections.abc import Iterable
from typing import IO, Any, NamedTuple

from rasad.schema import DocumentRecord, EventRecord, Figures

CSV_COLUMNS = [
    "doc", "event_index", "date", "date_precision", "event_type", "sub_event_type", "disorder_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "location", "admin1", "lat", "lon",
    "fatalities_low", "fatalities_best", "fatalities_high", "fatalities_acled", "wounded_low", "wounded_best",
    "wounded_high", "victims", "weapons", "units", "claims", "evidence",
]


class Writer:
    def __init__(self, fmt: str, out: IO[str]) -> None:
        self.fmt = fmt
        self.out = out
        self.n = 0
        if fmt == "json":
            out.write("[\n")
        elif fmt == "csv":
            csv.writer(out).writerow(CSV_COLUMNS)

    def write(self, rec: DocumentRecord) -> None:
        self.write_rendered(render(self.fmt, rec))

    def write_rendered(self, text: str) -> None:
        """A record as `render` gave it for this writer's format (a Dask worker renders its records)."""
        self.out.write((",\n" if self.n and self.fmt == "json" else "") + text)
        self.n += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n")
        self.out.flush()


def render(fmt: str, rec: DocumentRecord, width: int | None = None) -> str:
    """One record as the output format writes it (`json`: without the separator from the record before)."""
    if fmt == "jsonl":
        return json.dumps(rec, ensure_ascii=False) + "\n"
    if fmt == "json":
        return json.dumps(rec, ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf).writerows(csv_row(rec, i, ev) for i, ev in enumerate(rec["events"]))
        return buf.getvalue()
    return table(rec, width)


def table_width() -> int:
    """The readable table's width: the terminal's, within 60 to 120 columns."""
    return max(60, min(120, shutil.get_terminal_size((100, 20)).columns))


class Rendered(NamedTuple):
    """What `rasad extract` needs of a record, with the record already in the output format: a Dask worker
    renders, the client only writes, so the client's work per record stays small."""

    doc: str
    events: int
    at: str  # where the document was read from, for messages
    skipped: str | None  # why it was not read (too large)
    error: str | None  # the extractor's internal error, as its warning words it
    text: str | None  # None: left out by --events-only


class Render(NamedTuple):
    """How to render: the output format, whether to leave out records with no event and no statistic, and
    the table's width (the client's terminal, not a worker's)."""

    fmt: str
    events_only: bool = False
    width: int | None = None

    def __call__(self, rec: dict[str, Any]) -> Rendered:
        at = rec.pop("at", rec["doc"])
        skipped = rec.pop("skipped", None)
        error = rec["warnings"][0] if rec.pop("error", None) is not None else None
        keep = not (self.events_only and not rec["events"] and not rec["statistics"])
        return Rendered(rec["doc"], len(rec["events"]), at, skipped, error,
                        render(self.fmt, rec, self.width) if keep else None)  # type: ignore[arg-type]


def _fig(f: Figures | None, key: str) -> Any:
    return "" if not f or f.get(key) is None else f[key]


def csv_row(rec: DocumentRecord, i: int, ev: EventRecord) -> list[Any]:
    claims = "; ".join(
        f"{c['kind']} {c['best'] if c['best'] is not None else ('≥' + str(c['low']) if c['low'] else '?')} ({c['claimant']}, {c['claimant_type']})"
        for c in ev["claims"]
    )
    evidence = " | ".join(e["text"] for e in ev["evidence"] if e["field"] == "event")
    return [
        rec["doc"], i + 1, ev["date"] or "", ev["date_precision"], ev["event_type"], ev["sub_event_type"],
        ev["disorder_type"], ev["actor1"] or "", "; ".join(ev["assoc_actor_1"]), ev["inter1"] or "", ev["actor2"] or "",
        "; ".join(ev["assoc_actor_2"]), ev["inter2"] or "", ev["location"] or "", ev["admin1"] or "",
        ev["lat"] if ev["lat"] is not None else "", ev["lon"] if ev["lon"] is not None else "",
        _fig(ev["fatalities"], "low"), _fig(ev["fatalities"], "best"), _fig(ev["fatalities"], "high"),
        ev["fatalities_acled"], _fig(ev["wounded"], "low"), _fig(ev["wounded"], "best"), _fig(ev["wounded"], "high"),
        ev["victims"], "; ".join(ev["weapons"]), "; ".join(ev["units"]), claims, evidence,
    ]


def _figtext(f: Figures | None) -> str:
    if not f:
        return "?"
    lo, be, hi = f.get("low"), f.get("best"), f.get("high")
    if be is not None and lo == be == hi:
        return str(be)
    core = str(be) if be is not None else "?"
    return f"{core} [{'' if lo is None else lo}–{'' if hi is None else hi}]"


def table(rec: DocumentRecord, width: int | None = None) -> str:
    width = width or table_width()
    lines = [f"== {rec['doc']}" + (f"  ({rec['source']})" if rec.get("source") else "")
             + (f"  report date {rec['reference_date']} ({rec['reference_basis']})" if rec.get("reference_date") else "")]
    if not rec["events"]:
        lines.append("   no events")
    for i, ev in enumerate(rec["events"], 1):
        date = ev["date"] or "date unknown"
        if ev["date"] and ev["date_precision"] != "day":
            date += f" ({ev['date_precision']})"
        who = f"{ev['actor1']} → {ev['actor2'] or '?'}"
        where = ", ".join(x for x in (ev["location"], ev["admin1"]) if x) or "place unknown"
        lines.append(f"{i:>3}. {date} | {ev['event_type']} / {ev['sub_event_type']}")
        lines.append(f"     {who} | {where}")
        lines.append(f"     killed {_figtext(ev['fatalities'])}, wounded {_figtext(ev['wounded'])}"
                     + (f" | weapons: {', '.join(ev['weapons'])}" if ev["weapons"] else "")
                     + (f" | units: {', '.join(ev['units'])}" if ev["units"] else ""))
        for c in ev["claims"]:
            fig = c["best"] if c["best"] is not None else (f"≥{c['low']}" if c["low"] else "some")
            lines.append(f"       claim: {c['kind']} {fig} — {c['claimant']} ({c['claimant_type']})"
                         + (" [superseded]" if c["superseded"] else ""))
        quote = next((e["text"] for e in ev["evidence"] if e["field"] == "event"), "")
        for q in textwrap.wrap("“" + quote.strip() + "”", width - 8)[:3]:
            lines.append("       " + q)
    for s in rec["statistics"]:
        counts = ", ".join(f"{c['value']} {c['category'] or ''}".strip() for c in s["counts"])
        lines.append(f"   statistic since {s['period_start'] or '?'}: {counts} ({s['claimant']})")
    for w in rec["warnings"]:
        lines.append(f"   warning: {w}")
    return "\n".join(lines) + "\n\n"


def write_all(records: Iterable[DocumentRecord], fmt: str, out: IO[str]) -> int:
    w = Writer(fmt, out)
    for r in records:
        w.write(r)
    w.close()
    return w.n
