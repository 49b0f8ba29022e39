"""Who puts each figure forward, and how competing figures become low / best / high.

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

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasad.lang.lexicon import claimant_matcher
from rasad.lang.patterns import (
    ATTRIBUTION,
    CLAIMANT_NAME,
    COMPLEMENTISER,
    LOCAL_NETWORK_END,
    REPORT_VERB,
    SAYING_VERB,
    SPEAKER_CONTINUES,
    word_list,
)

# the patterns the assembler reads through this module (lang/patterns.py)
SAYING_VERB_RE = SAYING_VERB
REPORT_VERB_RE = REPORT_VERB
COMPLEMENTISER_RE = COMPLEMENTISER
_NAMED_AFTER = frozenset(word_list("claimant_named_after"))  # "الناشط X", "شبكة X المحلية"

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


@dataclass(slots=True)
class Claimant:
    name: str
    type: str
    start: int = -1
    end: int = -1


def find_claimant(text: str, start: int, end: int, original: Callable[[int, int], str] | None = None) -> Claimant | None:
    """The claimant named in a sentence: the first claimant word introduced by a reporting verb
    or preposition ("بحسب المرصد", "قال المرصد", "نقلت وكالة سانا", "ذكرت شبكة X المحلية")."""
    best: Claimant | None = None
    for h in claimant_matcher().finditer(text, start, end):
        name, ctype = h.value
        pre = text[max(start, h.start - 30) : h.start]
        if not ATTRIBUTION.search(pre) and h.start - start > 3:
            continue
        e = h.end
        if ctype in ("activist", "local_network") and h.entry in _NAMED_AFTER:
            m = CLAIMANT_NAME.match(text, h.end, end)
            if m:
                e = m.end()
                # a network's name runs to the adjective المحليه ("شبكة دير الزور 24 المحلية")
                loc = LOCAL_NETWORK_END.match(text[h.end : end])
                if ctype == "local_network" and loc:
                    e = h.end + loc.end()
                words = original(h.core_start, e) if original else text[h.core_start : e]
                name = re.sub(r'["“”«»]', "", words).strip()
        cand = Claimant(name, ctype, h.start, e)
        if best is None:
            best = cand
    return best


def continues_previous(text: str, start: int) -> bool:
    """A sentence that goes on with the previous speaker ("وأضاف", "وأوضح") without naming one."""
    return bool(SPEAKER_CONTINUES.match(text[start : start + 20]))


@dataclass(slots=True)
class Claim:
    kind: str  # fatalities | wounded
    low: int | None
    best: int | None
    high: int | None
    qualifier: str | None
    precise: bool
    claimant: str
    claimant_type: str
    start: int
    end: int
    part: Any
    order: int  # position in reading order (document-wide)
    rising: bool = False
    superseded: bool = False

    def to_json(self) -> dict[str, Any]:
        ev = self.part.evidence(self.start, self.end, self.kind)
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
    # the latest figure of a claimant supersedes its earlier ones
    latest: dict[str, Claim] = {}
    for c in sorted(claims, key=lambda c: c.order):
        prev = latest.get(c.claimant)
        if prev is not None and prev.order // 1000 == c.order // 1000 and not c.rising and prev.precise:
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
    live = list(latest.values())
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
