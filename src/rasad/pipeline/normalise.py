"""Orthographic normalisation of Arabic text with an offset map back to the original.

Every annotator works on the normalised text, where spelling variants collapse to one form:

* hamza-carrying alefs (أ إ آ ٱ) -> ا, ؤ -> و, ئ -> ي, ة -> ه, ى -> ي
* diacritics (harakat, tanwin, shadda, sukun, dagger alef), tatweel inside words and
  invisible marks (ZWJ, ZWNJ, LRM, RLM, BOM) are removed
* a tatweel standing between spaces (used as a dash: "دمشق ـ دير الزور") becomes "-"
* Arabic-Indic and Persian digits -> ASCII digits
* “ ” « » „ ‟ ″ ‘ ’ and similar quotes -> ", dashes – — ‒ − -> -, exotic spaces -> " "
* lam-alef ligatures expand to two letters

`normalise(text)` returns a `Normalised` whose `orig(i)` maps an offset of the normalised
text to the original, so spans found on the normalised text point at the words as written.
Lexicon entries and regular expressions pass through `norm()` so they match the same forms.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rasad.lang.patterns import GlueWords

# Arabic letters are written as code points (the character in the comment): only the patterns module
# and the data files hold Arabic text; these are characters, not words
_ALEF, _WAW, _YEH, _HEH, _KAF, _LAM = 0x0627, 0x0648, 0x064A, 0x0647, 0x0643, 0x0644
_TATWEEL = 0x0640
_LETTERS = {
    0x0623: _ALEF, 0x0625: _ALEF, 0x0622: _ALEF, 0x0671: _ALEF, 0x0672: _ALEF, 0x0673: _ALEF,  # أ إ آ ٱ ٲ ٳ -> ا
    0x0624: _WAW,  # ؤ -> و
    0x0626: _YEH,  # ئ -> ي
    0x0629: _HEH,  # ة -> ه
    0x0649: _YEH, 0x06CC: _YEH,  # ى ی (Persian yeh) -> ي
    0x06A9: _KAF,  # ک (keheh) -> ك
    0x06C0: _HEH, 0x06D5: _HEH,  # ۀ ە -> ه
}
_SUBST: dict[int | str, int | str] = {
    **_LETTERS,
    "“": '"', "”": '"', "«": '"', "»": '"', "„": '"', "‟": '"', "″": '"', "‶": '"',
    "‘": '"', "’": '"', "‚": '"', "‛": '"', "‹": '"', "›": '"', "〞": '"', "〝": '"',
    "–": "-", "—": "-", "‒": "-", "−": "-", "―": "-", "‐": "-", "‑": "-",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ",
    "\u2007": " ", "\u2008": " ", "\u200a": " ", "\u205f": " ", "\t": " ",
    0x066B: ".", 0x066C: ",",  # Arabic decimal and thousands separators
}
for _i in range(10):
    _SUBST[chr(0x0660 + _i)] = str(_i)
    _SUBST[chr(0x06F0 + _i)] = str(_i)

# characters removed outright (a raw string: the regex engine reads the \u escapes)
_DELETE = (
    r"\u0610-\u061a\u061c\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u00ad\u200b-\u200f"
    r"\u202a-\u202e\u2060\u2066-\u2069\ufeff"
)
# tatweel inside a word goes; a run of tatweel between spaces is a dash and stays (translated to "-").
# The pattern starts with one character class, so that the engine skips fast to the next candidate (a
# leading alternation makes it try every position); the branches after it look back at that character:
# the same matches as '[DELETE]|(?<=[^\s\u0640])\u0640+|\u0640+(?=[^\s\u0640])'
_DELETE_RE = re.compile(
    rf"[{_DELETE}\u0640](?:(?<=[{_DELETE}])|(?<=[^\s\u0640]\u0640)\u0640*|(?<=\u0640)\u0640*(?=[^\s\u0640]))")
# the lam-alef ligatures (U+FEF5 to U+FEFC: ﻵ ﻶ ﻷ ﻸ ﻹ ﻺ ﻻ ﻼ) expand to lam and alef
_LIGATURES = {chr(c): chr(_LAM) + chr(_ALEF) for c in range(0xFEF5, 0xFEFD)}
_LIG_RE = re.compile("[" + "".join(_LIGATURES) + "]")
_TABLE = str.maketrans({**_SUBST, _TATWEEL: "-"})
# the same mapping as (character, replacement) pairs: str.translate looks every character up in the
# table, str.replace skips fast over the (many more) characters that stay. No replacement holds a
# character that is replaced, so the order of the pairs does not matter
_REPLACE = tuple((chr(k), v if isinstance(v, str) else chr(v)) for k, v in _TABLE.items())
assert not any(c in r for _, r in _REPLACE for c, _ in _REPLACE)


def _translate(s: str) -> str:
    """`s.translate(_TABLE)`, faster: one `replace` for each character the text holds."""
    for c, r in _REPLACE:
        if c in s:
            s = s.replace(c, r)
    return s


@dataclass(frozen=True, slots=True)
class Normalised:
    """Normalised text plus the map back to the original offsets."""

    text: str
    original: str
    # sorted positions (in normalised text) at which one or more original chars were dropped,
    # and the cumulative count dropped up to and including that position (None: identity map)
    _cuts: tuple[int, ...] | None = None
    _shift: tuple[int, ...] | None = None
    _index: tuple[int, ...] | None = None  # full map, used only when ligatures expanded

    def orig(self, i: int) -> int:
        """Original offset of normalised offset `i` (0 <= i <= len(text))."""
        if self._index is not None:
            return self._index[i]
        if self._cuts is None:
            return i
        k = bisect_right(self._cuts, i) - 1
        return i + (self._shift[k] if k >= 0 else 0)  # type: ignore[index]

    def orig_end(self, i: int) -> int:
        """Original offset for a span end: just after the last kept char before `i`."""
        if i <= 0:
            return 0
        return self.orig(i - 1) + 1

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        return self.orig(start), self.orig_end(end)


def norm(s: str) -> str:
    """Normalise a lexicon entry or pattern (no offset map)."""
    if _LIG_RE.search(s):
        s = _LIG_RE.sub(lambda m: _LIGATURES[m.group()], s)
    return _DELETE_RE.sub("", s).translate(_TABLE)


@lru_cache(maxsize=1 << 16)
def norm_cached(s: str) -> str:
    """`norm`, kept for the strings seen last: for names that come back again and again (the places, actors and
    types the merge writer compares and indexes for every event it touches)."""
    return norm(s)


def normalise(text: str, split_glued: bool = True) -> Normalised:
    """Normalise `text`, keeping a map from normalised offsets back to `text`.

    With `split_glued`, words the page ran together are split again (a space is inserted, which
    maps to the first letter after it) and a hashtag's ``#`` and underscores become spaces: see
    `_unglue`. Without it, ``normalise(text).text == norm(text)``.
    """
    n = _normalise(text)
    return _unglue(n) if split_glued else n


def _normalise(text: str) -> Normalised:
    if _LIG_RE.search(text):
        return _normalise_slow(text)
    cuts: list[int] = []
    shift: list[int] = []
    dropped = 0
    pieces: list[str] = []
    last = 0
    for m in _DELETE_RE.finditer(text):
        pieces.append(text[last : m.start()])
        dropped += m.end() - m.start()
        last = m.end()
        cuts.append(m.start() - dropped + (m.end() - m.start()))
        shift.append(dropped)
    if not cuts:
        return Normalised(_translate(text), text)
    pieces.append(text[last:])
    out = _translate("".join(pieces))
    return Normalised(out, text, tuple(cuts), tuple(shift))


def _normalise_slow(text: str) -> Normalised:
    chars: list[str] = []
    index: list[int] = []
    deleted = {m.start() + k for m in _DELETE_RE.finditer(text) for k in range(m.end() - m.start())}
    for i, ch in enumerate(text):
        if i in deleted:
            continue
        rep = _LIGATURES.get(ch, ch).translate(_TABLE)
        for c in rep:
            chars.append(c)
            index.append(i)
    index.append(len(text))
    return Normalised("".join(chars), text, _index=tuple(index))


def rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a regular expression written in ordinary Arabic so that it matches normalised text."""
    return re.compile(norm(pattern), flags)


# --------------------------------------------------------------------------------------------
# text glued by the page

_ARABIC = r"\u0621-\u063a\u0641-\u064a"  # Arabic letters (without tatweel)
# a teh marbuta ends a word: a letter right after it begins the next one ("...القناةبسقوط"); an alef
# maksura too, before the article ("...علىالطريق"). Read on the original text (diacritics may follow, or stand
# before it: "مُسيّرةألقت"), since normalisation makes them ه and ي
_FINAL_LETTER_RE = re.compile(  # (each starts with its letter: the engine scans fast for it)
    rf"\u0629(?:(?<=[{_ARABIC}]{{2}}\u0629)|(?<=[{_DELETE}][{_ARABIC}]\u0629)|(?<=[{_ARABIC}][{_DELETE}]\u0629))[{_DELETE}]*(?=[{_ARABIC}]{{2}})(?!\u0621)"
    rf"|\u0649(?<=[{_ARABIC}]{{2}}\u0649)[{_DELETE}]*(?=[\u0627\u0623\u0625]\u0644)"
)
# the words that may hold two: 7 letters at least (4 + 3, 5 + 2), or قد and a verb
_LONG_WORD_RE = re.compile(rf"[{_ARABIC}]{{7,}}")
_QAD_RE = re.compile(rf"\u0642\u062f[{_ARABIC}]{{3,5}}(?![{_ARABIC}])")
_DIGIT_AFTER_LETTER_RE = re.compile(rf"[0-9](?<=[{_ARABIC}][0-9])")
_HASHTAG_RE = re.compile(r"#(?<![^\s(\[\"']#)(?=\w)[\w]+")  # (the lookbehind after the "#": a fast scan)
_ACCUSATIVE_ALEF = chr(_ALEF)


def vowelled_duals(n: Normalised) -> frozenset[int]:
    """The ends (normalised offsets) of the words whose vowels mark the oblique dual: the count grammar reads them
    as duals (2), not as plurals; whether the word is a person noun's dual is its to decide."""
    from rasad.lang.patterns import FATHA, VOWELLED_DUAL  # (imported late: patterns imports this module)

    if FATHA not in n.original:
        return frozenset()
    out = set()
    for m in VOWELLED_DUAL.finditer(n.original):
        j = bisect_left(range(len(n.text) + 1), m.end() - 1, key=n.orig)  # the nun
        if j < len(n.text) and n.orig(j) == m.end() - 1:
            out.add(j + 1)
    return frozenset(out)
_LAM_CHAR = chr(_LAM)


def _is_letter(c: str) -> bool:
    return 0x0621 <= ord(c) <= 0x064A and not 0x063B <= ord(c) <= 0x0640


def _known(w: str, g: GlueWords) -> bool:
    known = g.known
    return (w in known or (len(w) > 3 and w[0] in g.clitics and w[1:] in known)
            or (len(w) > 4 and w.startswith(g.article) and w[2:] in known))


def _known_left(a: str, g: GlueWords) -> bool:
    """A known word that can end a word: itself, with the article, or with the accusative alef."""
    known = g.known
    if a in known or (len(a) > 4 and a.startswith(g.article) and a[2:] in known):
        return True
    # the accusative alef of an indefinite word ("amrikiyyan"), never after the article
    return len(a) > 4 and a[-1] == _ACCUSATIVE_ALEF and a[:-1] in known and not a.startswith(g.article)


@lru_cache(maxsize=1)
def _glue_words() -> GlueWords:
    from rasad.lang.patterns import glue_words  # (imported late, and once: patterns imports this module)

    return glue_words()


@lru_cache(maxsize=1)
def _longest_glued() -> int:
    """The longest token a glue point can split: two of the longest words, the first with the article or the
    accusative alef, the second with a clitic and the article (each split tries every offset: quadratic in the
    token, 5 s for one of 92,000 letters)."""
    g = _glue_words()
    longest = max(len(w) for words in (g.known, g.verbs, g.left_short, g.right_short, g.before_article)
                  for w in words)
    return 2 * (longest + 3)


@lru_cache(maxsize=1 << 16)
def _glue_point(tok: str) -> int | None:
    """Where a space goes in `tok` (normalised letters), or None when it is one word or unknown.

    Only between two known words: the first of 4 letters or more (or قد and its forms), the second
    of 4 letters or more, optionally with a one-letter proclitic (of 3 after قد), or a short function
    word after a long first word ("سوريافي"); never before the letters of a suffix.
    """
    g = _glue_words()
    known = g.known
    if len(tok) > _longest_glued() or _known(tok, g):
        return None
    for i in range(2, len(tok) - 1):
        a, b = tok[:i], tok[i:]
        if a in g.before_article and b.startswith(g.article) and len(b) > 5 and _known(b, g):
            return i  # "فيالاعتداء": a preposition before a known word with the article
        short_a = a in g.left_short
        if not short_a and (len(a) < 4 or not _known_left(a, g)):
            continue
        if b.startswith(g.suffix_starts):
            continue
        if b in g.right_short and not short_a:
            if len(a) >= (5 if len(b) <= 2 else 4):
                return i
            continue
        if short_a:
            if b in g.verbs or (len(b) > 3 and b[0] in g.clitics and b[1:] in g.verbs):
                return i  # قد + a verb: "قدقصف", "فقدقتل"
            continue
        if a[-1] == _ACCUSATIVE_ALEF and b[0] == _LAM_CHAR and a not in known:
            continue  # "...ارالسيارة" is "...ار السيارة", not an accusative and لسيارة
        core = b[1:] if len(b) > 4 and b[0] in g.clitics and b[1:] in known else b
        if len(core) >= 4 and _known(core, g):
            return i
    return None


def _unglue(n: Normalised) -> Normalised:
    text = n.text
    if "#" in text:  # "#قصف_المدينة": the hashtag's words, one for one (same length, same map)
        text = _HASHTAG_RE.sub(lambda m: " " + m.group()[1:].replace("_", " "), text)
    points: set[int] = set()
    for m in _FINAL_LETTER_RE.finditer(n.original):
        points.add(bisect_left(range(len(text) + 1), m.end(), key=n.orig))
    glued = {w: p for w in set(_LONG_WORD_RE.findall(text)) if (p := _glue_point(w)) is not None}
    if glued:
        for m in _LONG_WORD_RE.finditer(text):
            p = glued.get(m.group())
            if p is not None:
                points.add(m.start() + p)
    for m in _QAD_RE.finditer(text):
        start = m.start()
        if start > 0 and _is_letter(text[start - 1]):  # a one-letter proclitic only: "وقد", "فقد"
            start -= 1
            if start > 0 and _is_letter(text[start - 1]):
                continue
        p = _glue_point(text[start : m.end()])
        if p is not None:
            points.add(start + p)
    g = _glue_words()
    for m in _DIGIT_AFTER_LETTER_RE.finditer(text):
        start = m.start()
        while start > 0 and _is_letter(text[start - 1]):
            start -= 1
        word = text[start : m.start()]
        if word in g.before_digit or (word[:1] in g.clitics and word[1:] in g.before_digit):
            points.add(m.start())
    if not points:
        return n if text == n.text else Normalised(text, n.original, n._cuts, n._shift, n._index)
    chars: list[str] = []
    index: list[int] = []
    full = _orig_map(n, len(text) + 1)
    last = 0
    for p in sorted(points):
        chars.append(text[last:p])
        index.extend(full[last:p])
        chars.append(" ")
        index.append(full[p])
        last = p
    chars.append(text[last:])
    index.extend(full[last:])
    return Normalised("".join(chars), n.original, _index=tuple(index))


def _orig_map(n: Normalised, length: int) -> list[int]:
    """`[n.orig(i) for i in range(length)]`, built a run between two cuts at a time."""
    if n._index is not None:
        return list(n._index[:length])
    if n._cuts is None:
        return list(range(length))
    cuts, shift = n._cuts, n._shift
    assert shift is not None
    out = list(range(min(cuts[0], length)))
    for k, c in enumerate(cuts):
        if c >= length:
            break
        nxt = min(cuts[k + 1], length) if k + 1 < len(cuts) else length
        out.extend(range(c + shift[k], nxt + shift[k]))
    return out

