"""What each figure of a clause counts, and how the figures of one incident combine into low / best / high.

A figure counts the killed, the wounded, both together (then it is no claim of either) or something
else; "بينهم 8 ضباط" is a part of the figure before it. Figures of one kind joined by و add up
("مقتل امراة وطفلين": three). A casualty word with a singular person noun after it is one person
("مقتل جندي"); "لقي مصرعه" counts one, "لقيا مصرعهما" two.

Counting rules (see README and ../shared/gold/README.md):

* an exact figure N: low = best = high = N
* "at least N": low = best = N, high unknown; "more than N": N+1
* a plural with no figure: low 3 (an Arabic plural counts three or more), best unknown
* different figures from different claimants: low = smallest, high = largest, best = the figure of
  the most independent claimant (a monitor over an activist or local network, over the outlet
  itself, over state media and officials, over a party's own claim); within one claimant the
  latest figure wins (tolls rise as a story develops); vague figures ("dozens") only count when
  nobody gives a precise one.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from rasad.lang.lexicon import Hit, person_singulars
from rasad.lang.patterns import (
    FIGURE_COORDINATION_GAP,
    FIGURE_COUNT_NOUN,
    FIGURE_JUST_AND,
    FIGURE_KILLED_AND_WOUNDED,
    FIGURE_NEXT_PERSON,
    FIGURE_NEXT_SINGULAR,
    FIGURE_PREV_PERSON,
    FIGURE_RANGE_BEFORE,
    FIGURE_RISEN_TO,
    FIGURE_SUBSET,
    FIGURE_UNIT_SIZE,
    FILTER_NEGATION_BEFORE,
    suffix_counts,
    word_set,
)
from rasad.pipeline.annotate.numbers import Quantity, find_quantities

# how far (characters) a casualty word may stand from the figure it counts
BEFORE_FIGURE = 70  # the word before the figure: "مقتل 4"
AFTER_FIGURE = 60  # the word after it: "40 عنصرا ... قتلوا"
PASSIVE_AFTER = 30  # when a word before counts it too, only a passive verb this close after it does
BARE_FIGURE = 40  # a figure without its noun counts only this close to the word
SUBSET_BEFORE = 40  # "بينهم" this far before a figure makes it a part of the one before
COUNT_NOUN_BEFORE = 12  # "عدد القتلى": the noun of a count
NEGATION_BEFORE = 30  # "لم يسفر عن قتلى"
SUFFIX_FIGURE_BEFORE = 60  # a figure this far before "مصرعه" counts them instead of the pronoun
PREV_PERSON_BEFORE = 40  # "ان جنديا بريطانيا قتل": the noun before a passive verb
BOTH_AFTER = 12  # "والجرحى" this close after "القتلى" makes one figure of both
RANGE_BEFORE = 10  # "ما بين" just before the first of two figures makes them a range
UNIT_SIZE_BEFORE = 60  # "رتل من 300 عنصر": the group's noun this far before its size
GOVERNS_GROUP = 3  # a casualty word this close before the group's noun counts the group ("مقتل مجموعة من 5")

PRIORITY = {
    "monitor": 7,
    "activist": 6,
    "local_network": 6,
    "local_sources": 5,
    "media": 5,
    "outlet": 4,
    "state_media": 3,
    "official": 3,
    "party": 1,
}


# the largest figure one incident's toll can be: more killed or wounded in one incident than this is a misread
# (a population, a sum of money, a typo), not a casualty count; it also keeps every stored figure far inside
# the database's 32-bit integer columns
MAX_TOLL = 1_000_000


@dataclass(slots=True)
class Claim:
    """One claimant's figure of the killed or the wounded; where it is written (start, end) matters only
    to extraction, which keeps the text it was read from beside it."""

    kind: str  # fatalities | wounded
    low: int | None
    best: int | None
    high: int | None
    qualifier: str | None
    precise: bool
    claimant: str
    claimant_type: str
    order: tuple[int, int]  # (sentence in the document's reading order, offset in it); merging: (report, index)
    rising: bool = False
    superseded: bool = False
    start: int = 0  # normalised span in the part it was read from (extraction only)
    end: int = 0

    @property
    def implausible(self) -> bool:
        """A figure above MAX_TOLL: no incident's toll."""
        return any(v is not None and v > MAX_TOLL for v in (self.low, self.best, self.high))

    def to_json(self, part: Any) -> dict[str, Any]:
        """The claim as output, with its words read from `part`."""
        ev = part.evidence(self.start, self.end, self.kind)
        return {
            "kind": self.kind,
            "low": self.low,
            "best": self.best,
            "high": self.high,
            "qualifier": self.qualifier,
            "claimant": self.claimant,
            "claimant_type": self.claimant_type,
            "superseded": self.superseded,
            "start": ev["start"],
            "end": ev["end"],
            "text": ev["text"],
            **({"in": ev["in"]} if "in" in ev else {}),
        }


def combine(claims: list[Claim]) -> dict[str, int | None] | None:
    """low / best / high of one kind of figure from all its claims."""
    if not claims:
        return None
    live = _latest_per_claimant(claims)
    precise = [c for c in live if c.precise]
    pool = precise or live
    lows = [c.low for c in pool if c.low is not None]
    highs = [c.high for c in pool]
    low = min(lows) if lows else None
    high = max(h for h in highs if h is not None) if highs and all(h is not None for h in highs) else None
    ranked = sorted(pool, key=lambda c: (PRIORITY.get(c.claimant_type, 4), c.order), reverse=True)
    best = ranked[0].best
    if best is not None and low is not None and best < low:
        low = best
    if high is not None and best is not None and high < best:
        high = best
    if high is None and len({c.best for c in pool if c.best is not None}) > 1 and all(c.high is not None for c in pool if c.best is not None):
        high = max(c.high for c in pool if c.high is not None)
    return {"low": low, "best": best, "high": high}


def _latest_per_claimant(claims: list[Claim]) -> list[Claim]:
    """The latest figure of each claimant; the earlier ones are marked superseded."""
    latest: dict[str, Claim] = {}
    for c in sorted(claims, key=lambda c: c.order):
        prev = latest.get(c.claimant)
        if prev is not None and prev.order[0] == c.order[0] and not c.rising and prev.precise:
            c.superseded = True  # a second figure in the same sentence is a detail, not an update
            continue
        if prev is not None and (c.precise or not prev.precise):
            if c.rising or (c.best or 0) >= (prev.best or 0) or not prev.precise:
                prev.superseded = True
                latest[c.claimant] = c
            else:
                c.superseded = True
        elif prev is None:
            latest[c.claimant] = c
        else:
            c.superseded = True
    return list(latest.values())


def unique_claims(claims: list[tuple[Claim, Any]]) -> list[dict[str, Any]]:
    """Every figure once per claimant: a headline repeating the lead's figure is not a second claim.
    `claims` pairs each claim with the part it was read from."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for c, part in sorted(claims, key=lambda cp: (cp[1].name != "text", cp[0].order)):
        key = (c.kind, c.low, c.best, c.high, c.claimant)
        if key not in seen:
            seen.add(key)
            out.append(c.to_json(part))
    return out


# ---------------------------------------------------------------------------------------------
# what a figure counts


def figure_kind(text: str, q: Quantity, cas: list[Hit], c0: int, c1: int) -> str | None:
    """fatalities / wounded / both (a combined "killed and wounded" figure) / None."""
    if FIGURE_SUBSET.search(text[max(c0, q.start - SUBSET_BEFORE) : q.start]) or unit_size(text, q, cas, c0):
        return None
    if q.category == "killed":
        # "عشرات القتلى والجرحى": one figure for both; a bare plural counts each side apart
        combined = q.kind != "plural" and FIGURE_KILLED_AND_WOUNDED.match(text[q.end : q.end + BOTH_AFTER])
        return "both" if combined else "fatalities"
    if q.category == "wounded":
        return "wounded"
    h = _counting_word(q, cas)
    if h is None:
        return None
    if q.noun is None and q.kind != "dual" and abs(h.end - q.start) > BARE_FIGURE \
            and not FIGURE_RISEN_TO.search(text[max(c0, q.start - 6) : q.start]):
        return None
    # "مقتل واصابة N" / "N قتلى وجرحى": one combined figure
    if h.end <= q.start:
        prev = [x for x in cas if x.end <= h.start and h.start - x.end <= 3]
        if prev and FIGURE_JUST_AND.match(text[prev[-1].end : h.start]) and prev[-1].value != h.value:
            return "both"
    return "fatalities" if h.value == "kill" else "wounded"


def unit_size(text: str, q: Quantity, cas: list[Hit], c0: int) -> bool:
    """Figure q gives the size of a group ("رتل من 300 عنصر قتل نحو 60 منهم", "حافلة تقل 20 جنديا"), not a
    toll; unless a casualty word governs the group itself ("مقتل مجموعة من 5 عناصر")."""
    lo = max(c0, q.start - UNIT_SIZE_BEFORE)
    m = FIGURE_UNIT_SIZE.search(text, lo, q.start)
    if m is None:
        return False
    return not any(0 <= m.start(1) - h.end <= GOVERNS_GROUP for h in cas)


def _counting_word(q: Quantity, cas: list[Hit]) -> Hit | None:
    """The casualty word that counts figure q: a figure follows the word that counts it ("مقتل 4 واصابة 2");
    a word after the figure counts it only as a passive verb ("40 عنصرا ... قتلوا")."""
    best: tuple[float, Hit] | None = None
    preceding = any(h.end <= q.start and q.start - h.end <= BEFORE_FIGURE for h in cas)
    for h in cas:
        if h.end <= q.start:
            gap = q.start - h.end
            if gap > BEFORE_FIGURE:
                continue
            score = gap
        elif h.start >= q.end:
            gap = h.start - q.end
            if gap > AFTER_FIGURE or (preceding and not (h.entry in word_set("figure_passive_verbs") and gap <= PASSIVE_AFTER)):
                continue
            score = gap * 1.3 + 5
        else:
            continue
        if best is None or score < best[0]:
            best = (score, h)
    return best[1] if best is not None else None


def coordinate(text: str, claims: list[Claim]) -> list[Claim]:
    """Add up figures of one kind joined by و: "مقتل امراة وطفلين" is three killed."""
    out: list[Claim] = []
    for c in claims:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == c.kind and prev.precise and c.precise and prev.claimant == c.claimant
                and FIGURE_COORDINATION_GAP.fullmatch(text, prev.end, c.start)):
            if FIGURE_RANGE_BEFORE.search(text, max(0, prev.start - RANGE_BEFORE), prev.start) and \
                    FIGURE_JUST_AND.match(text[prev.end : c.start]):
                # "بين 40 و70 قتيلا": a range from the first to the second
                out[-1] = dataclasses.replace(prev, end=c.end, low=prev.low, best=None, high=c.high or c.best,
                                              qualifier=prev.qualifier or c.qualifier)
                continue
            out[-1] = dataclasses.replace(
                prev, end=c.end, low=(prev.low or 0) + (c.low or 0), best=(prev.best or 0) + (c.best or 0),
                high=None if prev.high is None or c.high is None else prev.high + c.high,
                qualifier=prev.qualifier or c.qualifier)
        else:
            out.append(c)
    return out


def _shift(q: Quantity, offset: int) -> Quantity:
    return dataclasses.replace(q, start=q.start + offset, end=q.end + offset, num_start=q.num_start + offset,
                               num_end=q.num_end + offset)


@dataclass
class Speaker:
    """Who the figures of a clause are claimed by, and where the clause stands in reading order."""

    name: str
    type: str
    order: int  # the sentence's place in the document's reading order
    sent_start: int
    rising: bool


def clause_figures(text: str, c0: int, c1: int, cas: list[Hit], who: Speaker,
                   why: list[tuple[int, int, str]] | None = None,
                   duals: frozenset[int] = frozenset()) -> tuple[list[Claim], set[str]]:
    """The claims of killed and wounded in clause [c0, c1) and the kinds of victim its figures name
    (civilians, combatants). With `why`, each figure left out is added to it with the reason; `duals`: the words
    whose vowels mark a dual (Part.duals)."""
    claims: list[Claim] = []
    kinds: set[str] = set()
    for q in find_quantities(text[c0:c1], duals, c0):
        q = _shift(q, c0)
        kind = _counted(text, q, cas, c0, c1, why)
        if kind is None:
            continue
        if q.category == "civilian":
            kinds.add("civilians")
        elif q.category == "combatant":
            kinds.add("combatants")
        if kind == "both":
            if why is not None:
                why.append((q.start, q.end, "one figure for the killed and the wounded together: it names the victims only"))
            continue
        precise = q.kind in ("digits", "words", "dual")
        claims.append(Claim(kind, q.low, q.best, q.high, q.qualifier, precise, who.name, who.type,
                            (who.order, q.start - who.sent_start), rising=who.rising, start=q.start, end=q.end))
    claims = coordinate(text, claims)
    claims += one_person_claims(text, c0, c1, cas, claims, who)
    claims = coordinate(text, sorted(claims, key=lambda c: c.start))
    if why is not None:
        why.extend((c.start, c.end, f"above {MAX_TOLL:,}: no incident's toll") for c in claims if c.implausible)
    return claims, kinds


def _counted(text: str, q: Quantity, cas: list[Hit], c0: int, c1: int,
             why: list[tuple[int, int, str]] | None) -> str | None:
    """What figure q counts (figure_kind), or None, saying why in `why` when asked."""
    reason = None
    kind = None
    if q.kind == "plural" and FIGURE_COUNT_NOUN.search(text[max(c0, q.start - COUNT_NOUN_BEFORE) : q.start]):
        reason = "the noun of a count (the number of the killed), not a figure"
    elif FILTER_NEGATION_BEFORE.search(text[max(c0, q.start - NEGATION_BEFORE) : q.start]):
        reason = "negated (no one killed)"
    else:
        kind = figure_kind(text, q, cas, c0, c1)
        if kind is None and why is not None:  # (the reason is looked up only when explaining)
            reason = ("a part of the figure before it (among them)"
                      if FIGURE_SUBSET.search(text[max(c0, q.start - SUBSET_BEFORE) : q.start])
                      else "no word of killing or wounding counts it")
        elif q.kind == "vague" and q.noun is None and q.category is None and not any(0 <= q.start - h.end <= 2 for h in cas):
            kind, reason = None, "a vague count of something else (several attacks)"
    if kind is None and why is not None:
        why.append((q.start, q.end, reason or ""))
    return kind


def one_person_claims(text: str, c0: int, c1: int, cas: list[Hit], claims: list[Claim], who: Speaker) -> list[Claim]:
    """One person: "مقتل جندي", "اصابة مدني بجروح" (a singular person noun right after the word); the pronoun
    on مصرع / حتف counts them ("لقي مدير المركز مصرعه": one, two for هما) unless a figure before it does."""
    out: list[Claim] = []
    found = _ByStart(claims)  # the claims so far, by where they start (each word asks of those near it only)
    for h in cas:
        if found.reaches(h.end, 2):
            continue
        kind, at = ("fatalities" if h.value == "kill" else "wounded"), (h.start, h.end)
        n = suffix_counts().get(h.entry.split()[-1], 0)
        if n and any(c.kind == "fatalities" for c in found.starting_in(h.start - SUFFIX_FIGURE_BEFORE, h.start)):
            n = 0
        if not n:
            m1 = FIGURE_NEXT_PERSON.match(text, h.end, c1)
            if not (m1 and m1.group(1) in person_singulars()):
                # "ان جنديا بريطانيا قتل": the noun before a passive verb
                m1 = FIGURE_PREV_PERSON.search(text, max(c0, h.start - PREV_PERSON_BEFORE), h.start)
                if m1 and (m1.group(1) not in person_singulars() or h.value != "kill" or h.entry not in word_set("figure_passive_singulars")):
                    m1 = None
            if m1 is None:
                continue
            n, at = 1, (m1.start(1), m1.end(1))
            # "مقتل رجل وطفلة", "استشهد طفل وامراة وشاب": one for each singular joined by و
            while (m2 := FIGURE_NEXT_SINGULAR.match(text, at[1], c1)) and m2.group(1) in person_singulars():
                n, at = n + 1, (at[0], m2.end(1))
        out.append(Claim(kind, n, n, n, None, True, who.name, who.type, (who.order, h.start - who.sent_start),
                         rising=False, start=at[0], end=at[1]))
        found.add(out[-1])
    return out


class _ByStart:
    """Claims ordered by their start, for the questions one_person_claims asks of each casualty word: is
    there one that reaches a position, one that starts in a window. Each looks at the claims near the
    position only (asking all of them, word after word, made a sentence of many such words quadratic)."""

    def __init__(self, claims: list[Claim]) -> None:
        self.items = sorted(claims, key=lambda c: c.start)
        self.starts = [c.start for c in self.items]
        self.longest = max((c.end - c.start for c in self.items), default=0)

    def add(self, c: Claim) -> None:
        i = bisect_right(self.starts, c.start)
        self.items.insert(i, c)
        self.starts.insert(i, c.start)
        self.longest = max(self.longest, c.end - c.start)

    def reaches(self, pos: int, slack: int) -> bool:
        """Is there a claim with start <= pos + slack and end >= pos? (one that starts before pos - longest
        ends before pos)"""
        i = bisect_right(self.starts, pos + slack) - 1
        while i >= 0 and self.starts[i] >= pos - self.longest:
            if self.items[i].end >= pos:
                return True
            i -= 1
        return False

    def starting_in(self, lo: int, hi: int) -> list[Claim]:
        """The claims with lo <= start < hi."""
        return self.items[bisect_left(self.starts, lo) : bisect_left(self.starts, hi)]


__all__ = ["MAX_TOLL", "Claim", "Speaker", "clause_figures", "combine", "coordinate", "figure_kind", "unique_claims"]
