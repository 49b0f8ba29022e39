"""Who puts each figure forward: the claimant a sentence names ("بحسب المرصد", "قالت وكالة سانا").

How competing figures become low / best / high: rasad.pipeline.figures (Claim, combine).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rasad.lang.lexicon import claimant_matcher
from rasad.pipeline.normalise import rx

# reporting verbs and prepositions that introduce a claimant
_ATTRIB_PRE = rx(
    r"(?:بحسب|حسب|وفق|وفقا ل|وفقا|نقلا عن|نقل|نقلت|قال|قالت|افاد|افادت|ذكر|ذكرت|اكد|اكدت|اعلن|اعلنت|وثق|"
    r"وثقت|اشار|اشارت|اوضح|اوضحت|اضاف|اضافت|اورد|اوردت|نشر|نشرت|نشرته|تحدث|تحدثت|رصد|رصدت|اعترف|اعترفت|"
    r"زعم|زعمت|بث|بثت|في بيان|بيان|عبر|لـ|ل|اكدته|نقله|نقلته|نقلتها|اوردته|اوردتها|تحدثت|تحدث|افادت به|افاد به)"
    r"(?:\s+\S+){0,2}\s*\"?$"
)
# verbs of saying, in the perfect
_SAYING = r"قال|قالت|افاد|افادت|ذكر|ذكرت|اكد|اكدت|اعلن|اعلنت|اشار|اشارت|نقل|نقلت|بث|بثت|اورد|اوردت"
SAYING_VERB_RE = rx(rf"(?:{_SAYING})(?!\w)")
REPORT_VERB_RE = rx(
    rf"(?<!\w)(?:و|ف)?(?:{_SAYING}|وثق|وثقت|اوضح|اوضحت|اضاف|اضافت|نشر|نشرت|نشرته|نشرتها|رصد|رصدت|تبنى|تبني|تبنت|"
    # an accusation is told the same way: "اتهم الحشد الشعبي الاثنين التحالف بشن غارة ليل الأحد"
    r"اتهم|اتهمت|نسب|نسبت|حمل|حملت|"
    # the imperfect, after "قبل ان" / "بعد ان" or in a running report: "قبل أن يعلن، اليوم، ارتفاع الحصيلة"
    r"يقول|تقول|يعلن|تعلن|يؤكد|تؤكد|يذكر|تذكر|يفيد|تفيد|ينقل|تنقل|يوثق|توثق)(?!\w)"
)
COMPLEMENTISER_RE = rx(r"(?<!\w)(?:ان|بان|إن|انه|انها|انهم)(?!\w)")
_CONTINUE_RE = rx(r"^\W*(?:و|ف)?(?:اضاف|اضافت|اوضح|اوضحت|اشار|اشارت|تابع|تابعت|تابعوا|تابع)(?!\w)")
_NAMED = rx(r'\s*"?([^\s،,."]+(?:\s+[^\s،,."]+)?)')

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
        if not _ATTRIB_PRE.search(pre) and h.start - start > 3:
            continue
        e = h.end
        if ctype in ("activist", "local_network") and h.entry in ("الناشط", "ناشط", "شبكه", "موقع", "الناشط الاعلامي"):
            m = _NAMED.match(text, h.end, end)
            if m:
                e = m.end()
                # a network's name runs to the adjective المحليه ("شبكة دير الزور 24 المحلية")
                loc = re.match(r"[^،,.]{0,30}?المحلي[هة]?", text[h.end : end])
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
    return bool(_CONTINUE_RE.match(text[start : start + 20]))
