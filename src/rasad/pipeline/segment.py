"""Split a part's normalised text into paragraphs, sentences and clauses, and tell article text
from page furniture (share labels, captions, related-article links, donation appeals).

Roles:
* ``headline`` — the first line of a plain-text page when it reads like a title
* ``subhead`` — a short line without final punctuation inside the article (a section title or
  caption): it may confirm an event described in the body but never creates one
* ``furniture`` — boilerplate (see ``data/furniture.txt``) and everything after a related-articles
  heading: ignored
* ``caption`` — a photo credit or caption line (``PHOTO_CREDIT``): ignored like furniture
* ``body`` — article text
"""

from __future__ import annotations

import re
from functools import cache

from rasad.document import Part, Sentence
from rasad.lang.lexicon import furniture_prefixes
from rasad.lang.patterns import CLAUSE_BREAK, PHOTO_CREDIT, SENTENCE_END, SENTENCE_FINAL, word_set
from rasad.pipeline.normalise import rx

_PARA_RE = rx(r"[^\n]+")
# a heading alone on its line that opens a list of related articles: everything after it is furniture
_RELATED = word_set("related_headings")

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
        elif PHOTO_CREDIT.search(stripped) and len(stripped) < 200:
            role = "caption"
        elif first_content and plain_page and len(stripped) <= HEADLINE_MAX and not stripped.endswith("."):
            role = "headline"
        elif len(stripped) <= SUBHEAD_MAX and not SENTENCE_FINAL.search(stripped):
            role = "subhead"
        if role not in ("furniture", "caption"):
            first_content = False
        # sentences within the paragraph
        s0 = p_start
        bounds: list[tuple[int, int]] = []
        for m in SENTENCE_END.finditer(text, p_start, p_end):
            if m.end() - s0 > 1:
                bounds.append((s0, m.end()))
            s0 = m.end()
            while s0 < p_end and text[s0].isspace():
                s0 += 1
        if p_end - s0 > 1:
            bounds.append((s0, p_end))
        for s, e in bounds:
            sentences.append(Sentence(s, e, para, len(sentences), role, text))  # (its clauses cut when asked for)
        para += 1
    part.sentences = sentences
    return sentences


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of the sentence [start, end)."""
    cuts = [start]
    for m in CLAUSE_BREAK.finditer(text, start, end):  # a connector that opens another proposition
        pos = m.end()
        if pos - cuts[-1] >= 15 and end - pos >= 15:
            cuts.append(pos)
    cuts.append(end)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
