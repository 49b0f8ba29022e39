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
from bisect import bisect_right
from dataclasses import dataclass

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
# tatweel inside a word goes; a run of tatweel between spaces is a dash and stays (translated to "-")
_DELETE_RE = re.compile(rf"[{_DELETE}]|(?<=[^\s\u0640])\u0640+|\u0640+(?=[^\s\u0640])")
# the lam-alef ligatures (U+FEF5 to U+FEFC: ﻵ ﻶ ﻷ ﻸ ﻹ ﻺ ﻻ ﻼ) expand to lam and alef
_LIGATURES = {chr(c): chr(_LAM) + chr(_ALEF) for c in range(0xFEF5, 0xFEFD)}
_LIG_RE = re.compile("[" + "".join(_LIGATURES) + "]")
_TABLE = str.maketrans({**_SUBST, _TATWEEL: "-"})


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


def normalise(text: str) -> Normalised:
    """Normalise `text`, keeping a map from normalised offsets back to `text`."""
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
        return Normalised(text.translate(_TABLE), text)
    pieces.append(text[last:])
    out = "".join(pieces).translate(_TABLE)
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
