"""Who puts each figure forward: the claimant a sentence names ("بحسب المرصد", "قالت وكالة سانا").

How competing figures become low / best / high: rasad.pipeline.figures (Claim, combine).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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

@dataclass(slots=True)
class Claimant:
    name: str
    type: str
    start: int = -1
    end: int = -1


def find_claimant(text: str, start: int, end: int, original: Callable[[int, int], str] | None = None) -> Claimant | None:
    """The claimant named in a sentence: the first claimant word introduced by a reporting verb
    or preposition ("بحسب المرصد", "قال المرصد", "نقلت وكالة سانا", "ذكرت شبكة X المحلية")."""
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
        return Claimant(name, ctype, h.start, e)
    return None


def continues_previous(text: str, start: int) -> bool:
    """A sentence that goes on with the previous speaker ("وأضاف", "وأوضح") without naming one."""
    return bool(SPEAKER_CONTINUES.match(text[start : start + 20]))
