"""Split a part's normalised text into paragraphs, sentences and clauses, and tell article text
from page furniture (share labels, captions, related-article links, donation appeals).

Roles:
* ``headline`` — the first line of a plain-text page when it reads like a title
* ``subhead`` — a short line without final punctuation inside the article (a section title or
  caption): it may confirm an event described in the body but never creates one
* ``furniture`` — boilerplate (see ``data/furniture.txt``) and everything after a related-articles
  heading: ignored
* ``body`` — article text
"""

from __future__ import annotations

import re
from functools import cache

from rasad.document import Part, Sentence
from rasad.lang.lexicon import furniture_prefixes
from rasad.pipeline.normalise import norm, rx

_PARA_RE = rx(r"[^\n]+")
# sentence ends: . ! ? ؟ followed by space/end — not a decimal point or an initial
_SENT_END_RE = rx(r'(?<!\d)[.!?؟]+["\)]?(?=\s|$)|(?<=\d)\.(?=\s|$)')
# clause boundaries inside a sentence: contrastive/temporal connectors that start another
# proposition ("فيما", "بينما", "تزامنا مع", "بعد ساعات من", "حيث جاء ذلك", "ردا على")
_CLAUSE_RE = rx(
    r"(?:،\s*|\s)(?=(?:و)?(?:فيما|بينما|في حين|تزامنا مع|بالتزامن مع|بعد ساعات|بعد ايام|بعد يوم|"
    r"بعد مرور|بعد اسبوع|قبل ساعات|قبل ايام|حيث جاء|وذلك بعد|وذلك عقب|في اعقاب|في وقت|"
    # the incident answered ("ردا على هجوم ..."): an earlier one, told in a clause of its own
    r"ردا على|ردا علي|انتقاما|ثارا|"
    # "انفجارات قرب مطار الشعيرات وأخرى قرب دمشق": another incident, elsewhere (not "هجوم آخر على")
    r"(?<=\s)واخرى\s+(?:في|قرب|على|بالقرب|شمال|جنوب|شرق|غرب|داخل))\b)"
)
_CREDIT_RE = rx(r"\((?:[^()]{0,40}/[^()]{0,40}|getty|afp|reuters|ا ف ب|رويترز|فرانس برس)[^()]*\)\s*$", re.I)
_VERBISH = rx(r"\w{3,}")
# a heading alone on its line that opens a list of related articles: everything after it is furniture
_RELATED = frozenset(norm(h) for h in ("مقالات متعلقة", "مقالات ذات صلة", "مواضيع ذات صلة", "أخبار ذات صلة",
                                       "اقرأ أيضاً", "اقرأ المزيد", "المزيد من الأخبار", "الأكثر قراءة"))

HEADLINE_MAX = 160
SUBHEAD_MAX = 90


@cache
def _furniture_re() -> re.Pattern[str]:
    alts = "|".join(re.escape(p) for p in sorted(furniture_prefixes(), key=len, reverse=True))
    # whole words only: "شارك" is a share label, "شاركت طائرات ..." is a sentence
    return re.compile(f"(?:{alts})(?!\\w)", re.IGNORECASE)


_ARABIC_WORD_RE = re.compile(r"[\u0621-\u064a]{3,}")


def _is_furniture(line: str) -> bool:
    s = line.strip().lstrip('-•*|:"').strip()
    if not s:
        return True
    if _furniture_re().match(s):
        return True
    # a line of a few characters, or without any Arabic word, is a label or an icon
    return len(s) < 12 or not _ARABIC_WORD_RE.search(s)


def segment(part: Part, plain_page: bool = True) -> list[Sentence]:
    """Fill `part.sentences`. `plain_page` is true for scraped pages whose first line is the title."""
    text = part.ntext
    sentences: list[Sentence] = []
    para = 0
    first_content = True
    in_related = False
    for pm in _PARA_RE.finditer(text):
        line = pm.group()
        if not line.strip():
            continue
        p_start = pm.start() + (len(line) - len(line.lstrip()))
        p_end = pm.end() - (len(line) - len(line.rstrip()))
        stripped = text[p_start:p_end]
        role = "body"
        if stripped.strip(' :.-"') in _RELATED:
            in_related = True
        if part.name == "title":
            role = "headline"
        elif in_related or _is_furniture(stripped):
            role = "furniture"
        elif _CREDIT_RE.search(stripped) and len(stripped) < 200:
            role = "caption"
        elif first_content and plain_page and len(stripped) <= HEADLINE_MAX and not stripped.endswith("."):
            role = "headline"
        elif len(stripped) <= SUBHEAD_MAX and not re.search(r"[.!?؟]\W*$", stripped):
            role = "subhead"
        if role not in ("furniture", "caption"):
            first_content = False
        # sentences within the paragraph
        s0 = p_start
        bounds: list[tuple[int, int]] = []
        for m in _SENT_END_RE.finditer(text, p_start, p_end):
            if m.end() - s0 > 1:
                bounds.append((s0, m.end()))
            s0 = m.end()
            while s0 < p_end and text[s0].isspace():
                s0 += 1
        if p_end - s0 > 1:
            bounds.append((s0, p_end))
        for s, e in bounds:
            sent = Sentence(s, e, para, len(sentences), role)
            sent.clauses = split_clauses(text, s, e)
            sentences.append(sent)
        para += 1
    part.sentences = sentences
    return sentences


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of the sentence [start, end)."""
    cuts = [start]
    for m in _CLAUSE_RE.finditer(text, start, end):
        pos = m.end()
        if pos - cuts[-1] >= 15 and end - pos >= 15:
            cuts.append(pos)
    cuts.append(end)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
