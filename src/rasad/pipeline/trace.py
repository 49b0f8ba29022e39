"""Why a document gave the events it gave: a trace the stages fill only when asked (`rasad extract --explain`).

For every clause holding a trigger word: its verdict (KEPT / DROPPED / STATISTIC / BLOCKED) with the rule
and its reason, the annotations seen (actors and their roles, places and their governorate, the date, the
figures and what each counts) and where its figures went; then, for each kept mention, which incident it
joined or started, and why. Without a trace the stages skip all of this (`trace is None`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rasad.document import Part, Sentence
from rasad.lang.lexicon import Hit

if TYPE_CHECKING:
    from rasad.pipeline.filters import Clause, Verdict
    from rasad.pipeline.incidents import Incident
    from rasad.pipeline.mentions import Mention

SHORT = 100  # characters of a clause shown


def _short(s: str) -> str:
    s = " ".join(s.split())
    return s if len(s) <= SHORT else s[: SHORT - 1] + "…"


@dataclass
class ClauseNote:
    """What the stages saw and decided about one clause holding a trigger word."""

    part: str
    sentence: int  # the sentence's index in its part
    text: str
    verdict: Verdict
    triggers: list[str]
    dropped_triggers: list[str] = field(default_factory=list)
    annotations: list[str] = field(default_factory=list)
    figures: list[tuple[Any, str]] = field(default_factory=list)  # (claim or None, how it reads)
    mentions: list[Mention] = field(default_factory=list)  # the kept mention (one a governorate when spread)
    statistic: str | None = None


@dataclass
class JoinNote:
    what: str  # started / joined / ignored: ...
    incident: Incident | None
    why: list[str]


class Trace:
    """Filled by MentionReader (clauses, sentences) and group_mentions (joins); rendered by `render`."""

    def __init__(self) -> None:
        self.notes: list[ClauseNote] = []
        self.joins: dict[int, JoinNote] = {}
        self.created: list[Incident] = []
        self.number: dict[int, int] = {}  # id(incident) -> its number in the output (1, 2 ...)
        self._by_sentence: dict[tuple[str, int], list[ClauseNote]] = {}

    # -- filled by the stages
    def sentence(self, part: Part, s: Sentence, trig: list[Hit], verdict: Verdict) -> None:
        """A sentence made a statistic or blocked: one note for each of its clauses with a trigger word."""
        for c0, c1 in s.clauses or [(s.start, s.end)]:
            words = [f"{h.entry} ({h.value})" for h in trig if c0 <= h.start < c1]
            if words:
                self._add(ClauseNote(part.name, s.index, part.original_words(c0, c1), verdict, words))

    def statistic_recorded(self, part: Part, s: Sentence, stat: dict[str, Any] | None) -> None:
        told = ("recorded a statistic: " + ", ".join(f"{c['value']} {c.get('category') or ''}".strip() for c in stat["counts"])
                if stat else "no figure in the sentence: no statistic recorded")
        for n in self._by_sentence.get((part.name, s.index), []):
            n.statistic = told

    def clause(self, c: Clause, trig: list[Hit], dropped: list[tuple[Hit, Verdict]], verdict: Verdict,
               m: Mention | None) -> None:
        n = ClauseNote(c.part.name, c.sent.index, c.part.original_words(c.c0, c.c1), verdict,
                       [f"{h.entry} ({h.value})" for h in trig],
                       [f"{h.entry}: {v.rule} ({v.reason})" for h, v in dropped])
        n.annotations = _annotations(c)
        n.figures = [(cl, f"{cl.kind} {_figure(cl)} by {cl.claimant} ({cl.claimant_type})") for cl in c.claims]
        n.figures += [(None, f"{c.part.original_words(s, e)!r} ignored: {why}") for s, e, why in c.figure_notes or []]
        if m is not None:
            n.mentions = [m]
        self._add(n)

    def split(self, m: Mention, copies: list[Mention]) -> None:
        """A mention spread over several governorates became one a governorate, or one naming several sites
        struck, one a site."""
        for n in reversed(self.notes):
            if n.mentions and n.mentions[0] is m:
                n.mentions = copies
                return

    def joined(self, m: Mention, what: str, incident: Incident | None, why: list[str]) -> None:
        if what.startswith("started") and incident is not None:
            self.created.append(incident)
        self.joins[id(m)] = JoinNote(what, incident, list(why))

    def numbered(self, incidents: list[Incident]) -> None:
        """The incidents in output order."""
        self.number = {id(e): i for i, e in enumerate(incidents, 1)}

    def _add(self, n: ClauseNote) -> None:
        self.notes.append(n)
        self._by_sentence.setdefault((n.part, n.sentence), []).append(n)

    # -- rendering
    def render(self, rec: dict[str, Any]) -> str:
        """The explanation, given the document's output record."""
        lines = [f"document {rec['doc']}: reference date {rec.get('reference_date') or 'unknown'}"
                 f" ({rec.get('reference_basis') or 'none'})"]
        if not self.notes:
            lines.append("  no clause holds a trigger word")
        for n in self.notes:
            lines += self._render_note(n)
        lines.append("")
        lines.append(f"{len(rec['events'])} incident(s), {len(rec['statistics'])} statistic(s)")
        for i, ev in enumerate(rec["events"], 1):
            lines.append(_incident_line(i, ev))
        return "\n".join(lines) + "\n"

    def _render_note(self, n: ClauseNote) -> list[str]:
        v = n.verdict
        out = [f"[{n.part} sentence {n.sentence + 1}] «{_short(n.text)}»",
               f"  {v.outcome:<9} {v.rule}: {v.reason}",
               "  triggers: " + ", ".join(n.triggers)]
        if n.dropped_triggers:
            out.append("  not counted: " + "; ".join(n.dropped_triggers))
        out += ["  " + a for a in n.annotations]
        if n.statistic:
            out.append("  " + n.statistic)
        if not n.figures and n.verdict.outcome in ("KEPT", "DROPPED"):
            out.append("  figures: none")
        for claim, told in n.figures:
            out.append("  figure: " + told + (self._destination(n, claim) if claim is not None else ""))
        for m in n.mentions:
            out.append("  incident: " + self._join_text(m))
        return out

    def _incident_name(self, e: Incident | None) -> str:
        return f"incident {self.number.get(id(e), '?')}" if e is not None else "no incident"

    def _join_text(self, m: Mention) -> str:
        j = self.joins.get(id(m))
        if j is None:
            return "not grouped"
        gov = f" [{m.only_admin1}]" if m.only_admin1 else ""
        if m.told is not None and not m.only_admin1:  # one site of a clause that names several struck
            gov = f" [site «{m.part.original_words(*m.told).strip()[:60]}»]"
        head = f"{j.what} {self._incident_name(j.incident)}" if j.incident is not None else j.what
        if m.joined_by:
            head += f" by {m.joined_by}"  # the JOIN_RULES name the event records
        if j.what == "started" and not j.why:
            head += " (the first incident of the article)"
        why = [re.sub(r"incident@(\d+)", lambda x: self._incident_name(self.created[int(x.group(1))]), w) for w in j.why]
        return head + gov + (" — " + "; ".join(why) if why else "")

    def _destination(self, n: ClauseNote, claim: Any) -> str:
        """Where a figure went: the incident whose claims it joined, counted or superseded, or why ignored."""
        if not n.mentions:
            return " -> ignored: the clause is not kept"
        out = []
        for m in n.mentions:
            j = self.joins.get(id(m))
            if j is None or j.incident is None:
                out.append("ignored: its mention joined no incident")
                continue
            body = j.incident.body
            if m not in body:
                state = "listed among its claims, not combined (the body gives the figures)"
            else:
                state = "superseded by a later figure of the same claimant" if claim.superseded else "combined into low/best/high"
            out.append(f"{self._incident_name(j.incident)}: {state}")
        return (" -> " + "; ".join(out)) if out else ""


def _figure(c: Any) -> str:
    """A claim's figure: its best, with low and high when they differ; "at least" its low when best is unknown."""
    if c.best is not None:
        return str(c.best) + ("" if c.low == c.best == c.high else f" (low {c.low}, high {c.high})")
    return f"at least {c.low}"


def _annotations(c: Clause) -> list[str]:
    """The annotations of a clause as the rules saw them."""
    roles: list[str] = []
    for name in [a.name for a in c.actors] + c.victims:
        role = "attacker" if name in c.attackers else "victim" if name in c.victims else "role not told"
        if f"{name} ({role})" not in roles:
            roles.append(f"{name} ({role})")
    places = [f"{c.part.original_words(p.start, p.end).strip()} ({p.kind}"
              + (f", governorate {p.admin1})" if p.admin1 else ")") + (" [destination]" if p.destination else "")
              for p in c.places]
    d, span = c.dated
    if d is None:
        date = "none in the clause"
    else:
        told = d.date.isoformat() if d.date else (f"{d.window[0].isoformat()}..{d.window[1].isoformat()}" if d.window else "?")
        date = f"{told} ({d.precision})" + (" from the clause before" if c.inherited is not None and span == c.inherited[1] else
                                           f" «{c.part.original_words(*span)}»" if span else "")
    return ["actors: " + ("; ".join(roles) or "none"), "places: " + ("; ".join(places) or "none"), "date: " + date]


def _low_best_high(f: dict[str, Any] | None) -> str:
    """low/best/high with ? for an unknown part, or ? when the text gives no figure."""
    if not f:
        return "?"
    return "/".join("?" if f.get(k) is None else str(f[k]) for k in ("low", "best", "high"))


def _incident_line(i: int, ev: dict[str, Any]) -> str:
    return (f"  incident {i}: {ev.get('date') or '?'} ({ev.get('date_precision')}) | {ev['event_type']} / "
            f"{ev['sub_event_type']} | {ev['actor1']} -> {ev.get('actor2') or '-'} | {ev.get('location') or '-'}, "
            f"{ev.get('admin1') or '?'} | killed {_low_best_high(ev.get('fatalities'))}, wounded {_low_best_high(ev.get('wounded'))}")


__all__ = ["Trace"]
