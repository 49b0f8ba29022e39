"""Numeric expressions that count people, found in normalised Arabic text.

`find_quantities(text)` scans text produced by `rasad.pipeline.normalise` and returns `Quantity` spans:

* digits ("17", "1,339") and number words (units, teens, tens, hundreds, thousands and their
  compounds with و: "مئة وخمسة وأربعون"), optionally followed by a counted person noun from
  ``data/person_nouns.tsv`` ("15 عنصرا", "ثلاثة من العناصر", "أربعة أطفال");
* qualifiers before the figure ("أكثر من", "نحو", "ما لا يقل عن", "أقل من", ...) or after it
  ("على الأقل", "تقريبا");
* vague counts ("عشرات", "مئات الآلاف", "عدة", "عدد من", "بضعة");
* dual person nouns, which are themselves the figure 2 ("عنصرين", "طفلين", "امرأتين");
* casualty plurals without a figure ("سقوط قتلى وجرحى") and "آخرين" ("وإصابة آخرين").

Numbers that are clearly not head counts (years, days of the month, times, money, distances,
percentages, unit numbers such as "الفرقة 17", phone numbers) are skipped. A figure with no person
noun is still returned (noun=None): the caller decides whether it counts people.

Matching is token based: the text is split once into letter runs and digit runs, and every token
is looked up in one dictionary, so an article without figures costs a single pass.

The words live in data files: `data/number_words.tsv` (number words), `number_qualifiers.tsv`,
`number_vague.tsv`, `number_others.tsv` (آخر), `number_affixes.tsv` (proclitics, articles, suffixes),
`months.tsv` and `hijri_months.tsv` (a figure next to a month is a date), `person_nouns.tsv`, and the
lists `data/words/number_*.txt` (measure and time units, identifier nouns, year context, ordinals,
time words, look-alikes). The grammar words and noun endings are in `rasad.lang.patterns` ("numbers").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from rasad.lang.lexicon import person_nouns, read_rows
from rasad.lang.patterns import (
    NUM_ALIF,
    NUM_ALIF_MAQSURA,
    NUM_ARTICLE,
    NUM_CONJUNCTION_WA,
    NUM_DUAL_NOMINATIVE,
    NUM_DUAL_OBLIQUE,
    NUM_HAMZA_ENDING,
    NUM_HAMZA_SEATS,
    NUM_NO_ACCUSATIVE_PLURAL,
    NUM_NO_ACCUSATIVE_SINGULAR,
    NUM_PERCENT_SIGNS,
    NUM_PREPOSITION_LI,
    NUM_PREPOSITION_MIN,
    NUM_SOUND_PLURAL_ENDINGS,
    NUM_TA,
    NUM_TA_MARBUTA,
    NUMBER_TOKEN,
    named_numbers,
    word_list,
    word_set,
)
from rasad.pipeline.normalise import norm

__all__ = ["Quantity", "find_quantities", "parse_number_words"]


@dataclass(slots=True, frozen=True)
class Quantity:
    """A count of people (or a figure that may be one) in normalised text."""

    start: int  # span of qualifier + number + counted noun
    end: int
    low: int | None
    best: int | None
    high: int | None
    qualifier: str | None  # at_least | more_than | about | less_than | at_most | None
    kind: str  # digits | words | dual | vague | plural
    noun: str | None  # normalised singular lemma of the counted person noun
    category: str | None  # combatant | civilian | person | killed | wounded
    num_start: int  # span of the number alone (the noun itself for duals and plurals)
    num_end: int


# ---------------------------------------------------------------------------------------------
# clitics (data/number_affixes.tsv)
# ---------------------------------------------------------------------------------------------


def _affixes(kind: str) -> dict[str, int]:
    """Affixes of one kind, in file order -> letters left out of a figure's span (a proclitic: all of them;
    an article: the third column; a suffix: none)."""
    out: dict[str, int] = {}
    for row in read_rows("number_affixes.tsv", 2):
        if row[1] == kind:
            form = norm(row[0])
            out[form] = len(form) if kind == "proclitic" else int(row[2]) if kind == "article" else 0
    return out


# proclitic conjunctions/prepositions that may be glued to a number word or noun
_PROCLITIC_SKIP: dict[str, int] = _affixes("proclitic")
_P1: tuple[str, ...] = tuple(_PROCLITIC_SKIP)
# article forms, with the number of leading letters that are *not* part of the noun phrase
_ART: dict[str, int] = _affixes("article")
_PREFIX_SKIP: dict[str, int] = {**_PROCLITIC_SKIP, **_ART}
_PREFIXES: tuple[str, ...] = tuple(sorted(_PREFIX_SKIP, key=len, reverse=True))
_ARTICLE_ONLY: tuple[str, ...] = (NUM_ARTICLE,)  # a counted noun right after its number takes no و/ب/ل
_SUFFIXES: tuple[str, ...] = tuple(_affixes("suffix"))


def _in(w: str, vocab: frozenset[str]) -> bool:
    """`w` or `w` without one proclitic/article prefix is in `vocab`."""
    if w in vocab:
        return True
    for p in _PREFIXES:
        if w.startswith(p) and w[len(p) :] in vocab:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# number words (data/number_words.tsv)
# ---------------------------------------------------------------------------------------------

_U, _T1, _TEN, _TENS, _H, _TH, _THP = range(7)  # word classes
_CLASSES = {"unit": _U, "teen_first": _T1, "ten": _TEN, "tens": _TENS, "hundreds": _H, "thousand": _TH,
            "thousands": _THP}

_WORDS: dict[str, tuple[int, int]] = {}  # normalised word -> (value, class); the first line of a form wins
for _row in read_rows("number_words.tsv", 3):
    _WORDS.setdefault(norm(_row[0]), (int(_row[1]), _CLASSES[_row[2]]))

_TEEN_SECOND = frozenset(w for w, (_, cls) in _WORDS.items() if cls == _TEN)  # ثلاثة عشر
_HUNDRED = frozenset(w for w, (v, cls) in _WORDS.items() if (v, cls) == (100, _H))  # ثلاث مئة
_MULT_1000 = frozenset(w for w, (v, cls) in _WORDS.items() if v == 1000)  # خمسة آلاف، عشرون ألفا
_LEVEL = {_U: 0, _T1: 1, _TEN: 1, _TENS: 2, _H: 3, _TH: 4}
# which term levels may follow a term of a given level after و (0 units, 1 teens/10, 2 tens,
# 3 hundreds, 4 thousands): "خمسة وعشرون", "مئة وخمسة وأربعون", "ألف ومئتان"
_NEXT_OK: dict[int, frozenset[int]] = {
    0: frozenset({2}), 1: frozenset(), 2: frozenset(), 3: frozenset({0, 1, 2}), 4: frozenset({0, 1, 2, 3}),
}
_TWO = word_set("number_two_forms")
_BLOCK = word_set("number_lookalikes")

# ---------------------------------------------------------------------------------------------
# qualifiers (data/number_qualifiers.tsv)
# ---------------------------------------------------------------------------------------------

_QUALIFIER_ROWS = list(read_rows("number_qualifiers.tsv", 2))
_QUALIFIERS: dict[str, str] = {r[0]: r[1] for r in _QUALIFIER_ROWS}
# last word -> [(words, qualifier, letters of the first word to leave out of the span)], longest first
_QUAL_BY_LAST: dict[str, list[tuple[tuple[str, ...], str, int]]] = {}
for _q, _name in _QUALIFIERS.items():
    _seq = tuple(norm(_q).split())
    for _p in ("", *_P1):
        _v_seq = (_p + _seq[0], *_seq[1:])
        _QUAL_BY_LAST.setdefault(_v_seq[-1], []).append((_v_seq, _name, len(_p)))
for _lst in _QUAL_BY_LAST.values():
    _lst.sort(key=lambda e: -len(e[0]))
# qualifiers that may also follow the figure and its noun ("20 قتيلا على الأقل"), in file order
_QUAL_AFTER: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(norm(r[0]).split()), r[1]) for r in _QUALIFIER_ROWS if r[2:] == ["after"])

# ---------------------------------------------------------------------------------------------
# context that rules a figure out
# ---------------------------------------------------------------------------------------------

_UNIT_FORMS = word_list("number_units")
_UNITS = frozenset(w for w in _UNIT_FORMS if " " not in w)
_UNIT_PHRASES = tuple(tuple(w.split()) for w in _UNIT_FORMS if " " in w)  # في المئة
# month names (their first words: "كانون", "ربيع"), Gregorian and Hijri: a figure next to one is a date
_MONTHS = frozenset(name.split()[0] for file in ("months.tsv", "hijri_months.tsv") for name in named_numbers(file))
# the figure right after these is an identifier (unit, road, resolution, hour, aircraft), not a count
_ID_BEFORE = word_set("number_id_before")
_YEAR_CONTEXT = word_set("number_year_context")
_ORDINALS = word_set("number_ordinals")
# time words that may follow an accusative singular ("قتلت شابا اليوم"): not a dual construct
_TIME_WORDS = word_set("number_time_words")
_OTHERS_USES = {norm(r[0]): r[1].split(",") for r in read_rows("number_others.tsv", 2)}
_OTHERS = frozenset(w for w, uses in _OTHERS_USES.items() if "alone" in uses)
_OTHERS_ADJ = frozenset(w for w, uses in _OTHERS_USES.items() if "after_noun" in uses)  # "3 عناصر آخرين"
_OTHERS_AFTER_NUMBER = frozenset(w for w, uses in _OTHERS_USES.items() if "after_number" in uses)  # "وأصيب 4 آخرون"
_OTHERS_LEMMA = next(w for w, uses in _OTHERS_USES.items() if "lemma" in uses)
_FROM = NUM_PREPOSITION_MIN
_AL = NUM_ARTICLE
_WA = NUM_CONJUNCTION_WA
_GLUE = frozenset((*_P1, *_ART))  # tokens that may be glued to digits: "بـ4" -> "ب4", "الـ20" -> "ال20"
_THOUSANDS_AFTER_VAGUE = word_set("number_thousands_after_vague")

# ---------------------------------------------------------------------------------------------
# person nouns (data/person_nouns.tsv, read by rasad.lang.lexicon.person_nouns)
# ---------------------------------------------------------------------------------------------

_SG, _PL, _DU, _DUC = "sg", "pl", "du", "duc"


def _with_suffixes(form: str, plural: bool = False) -> list[str]:
    """`form` with a possessive pronoun: عناصرها، مقاتليه، ضحيته، أبنائه، جرحاهم."""
    if form.endswith(NUM_TA_MARBUTA):
        bases = [form[:-1] + NUM_TA]
    elif form.endswith(NUM_SOUND_PLURAL_ENDINGS):
        bases = [form[:-1]]  # مقاتلين -> مقاتليها
    elif form.endswith(NUM_HAMZA_ENDING):
        bases = [form, *(form[:-1] + seat for seat in NUM_HAMZA_SEATS)]  # أبناءه، أبنائه، أبناؤه
    elif plural and form.endswith(NUM_ALIF_MAQSURA):
        bases = [form, form[:-1] + NUM_ALIF]  # قتلى -> قتلاهم
    else:
        bases = [form]
    return [b + s for b in bases for s in _SUFFIXES]


_NOUN: dict[str, tuple[str, str, str]] = {}  # surface form -> (lemma, category, sg|pl|du|duc)
_DUALS: dict[str, tuple[str, str, str]] = {}
_CASUALTY_PLURALS: dict[str, tuple[str, str]] = {}


def _add_singular(sg: str, lemma: str, cat: str) -> None:
    """A singular, its accusative (عنصرا، جنديا) and its forms with a possessive pronoun."""
    _NOUN.setdefault(sg, (lemma, cat, _SG))
    if not sg.endswith(NUM_NO_ACCUSATIVE_SINGULAR) or sg.endswith(NUM_ALIF_MAQSURA) and len(sg) > 3:
        _NOUN.setdefault(sg + NUM_ALIF, (lemma, cat, _SG))
    for f in _with_suffixes(sg):
        _NOUN.setdefault(f, (lemma, cat, _SG))


def _add_plural(pl: str, lemma: str, cat: str) -> None:
    """A plural, its forms with a possessive pronoun and its accusative (أطفالا، رجالا)."""
    _NOUN.setdefault(pl, (lemma, cat, _PL))
    for f in _with_suffixes(pl, plural=True):
        _NOUN.setdefault(f, (lemma, cat, _PL))
    if not pl.endswith(NUM_NO_ACCUSATIVE_PLURAL):
        _NOUN.setdefault(pl + NUM_ALIF, (lemma, cat, _PL))
    if cat in ("killed", "wounded"):
        _CASUALTY_PLURALS[pl] = (lemma, cat)


def _add_duals(sgs: tuple[str, ...], sound: bool, cat: str, taken: set[str]) -> None:
    """The duals of a noun's singulars (عنصران، عنصرين، construct عنصرا), unless the form is another word."""
    lemma = sgs[0]
    for sg in sgs:
        stem = sg[:-1] + NUM_TA if sg.endswith(NUM_TA_MARBUTA) else sg
        forms = [(stem + NUM_DUAL_NOMINATIVE, _DU)]
        if not sound:
            forms += [(stem + NUM_DUAL_OBLIQUE, _DU), (stem + NUM_ALIF, _DUC)]
        for f, t in forms:
            if f in _WORDS or (f in taken and t == _DU):
                continue  # e.g. فتيان is a plural of فتى
            _DUALS.setdefault(f, (lemma, cat, t))
            _NOUN.setdefault(f, (lemma, cat, t))


def _build_nouns() -> None:
    rows = person_nouns()
    for sgs, pls, cat in rows:
        for sg in sgs:
            _add_singular(sg, sgs[0], cat)
        for pl in pls:
            _add_plural(pl, sgs[0], cat)
    taken = set(_NOUN) | set(_WORDS)
    for sgs, pls, cat in rows:
        _add_duals(sgs, any(p.endswith(NUM_SOUND_PLURAL_ENDINGS) for p in pls), cat, taken)


_build_nouns()

# ---------------------------------------------------------------------------------------------
# trigger dictionary: every token that can start a quantity
# ---------------------------------------------------------------------------------------------

_NUM, _VAGUE, _DUAL, _PLURAL, _DEF = range(5)
# vague count -> (lowest number it means, options: article | from | clitic_noun), from number_vague.tsv
_VAGUE_OPTIONS = {
    norm(r[0]): (int(r[1]), r[2].split(",") if len(r) > 2 else []) for r in read_rows("number_vague.tsv", 2)
}
_VAGUE_LOW: dict[str, int] = {w: low for w, (low, _) in _VAGUE_OPTIONS.items()}
_VAGUE_ARTICLE = frozenset(w for w, (_, opts) in _VAGUE_OPTIONS.items() if "article" in opts)
_VAGUE_NEED_FROM = frozenset(w for w, (_, opts) in _VAGUE_OPTIONS.items() if "from" in opts)
_VAGUE_CLITIC_NOUN = frozenset(w for w, (_, opts) in _VAGUE_OPTIONS.items() if "clitic_noun" in opts)
# key -> (type, payload, letters to leave out at the start)
_TRIG: dict[str, tuple[int, object, int]] = {}


def _build_triggers() -> None:
    for w, (_, cls) in _WORDS.items():
        if cls != _THP:
            _TRIG.setdefault(w, (_NUM, w, 0))
    for w, (_, cls) in _WORDS.items():
        if cls != _THP:
            for p in _P1:
                if p + w not in _BLOCK:
                    _TRIG.setdefault(p + w, (_NUM, w, len(p)))
    for w in _VAGUE_LOW:
        _TRIG.setdefault(w, (_VAGUE, w, 0))
        for p in _P1:
            _TRIG.setdefault(p + w, (_VAGUE, w, len(p)))
        if w in _VAGUE_ARTICLE:
            for p, skip in _ART.items():
                _TRIG.setdefault(p + w, (_VAGUE, w, skip))
    for w, (v, cls) in _WORDS.items():  # "الجنود الثلاثة": a number with the article after its noun
        if cls in (_U, _TENS) and v >= 3:
            _TRIG.setdefault(_AL + w, (_DEF, w, 0))
    for w, info in _DUALS.items():
        _TRIG.setdefault(w, (_DUAL, info, 0))
        for p in _P1:
            _TRIG.setdefault(p + w, (_DUAL, info, len(p)))
        if info[2] == _DU:
            for p, skip in _ART.items():
                _TRIG.setdefault(p + w, (_DUAL, info, skip))
    plurals: dict[str, tuple[str, str]] = dict(_CASUALTY_PLURALS)
    plurals.update({w: (_OTHERS_LEMMA, "person") for w in _OTHERS})
    for w, info2 in plurals.items():
        _TRIG.setdefault(w, (_PLURAL, info2, 0))
        for p in _P1:
            _TRIG.setdefault(p + w, (_PLURAL, info2, len(p)))


_build_triggers()

_TOKEN_RE = NUMBER_TOKEN  # letters, figures, percent signs; split() keeps the tokens
_DIGIT_RE = re.compile(r"[0-9]")
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+")
_THOUSANDS_ANY_RE = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+|\d+")


MAX_FIGURE_DIGITS = 15  # a figure of more digits is no count (and would overflow a float)


def read_figure(w: str) -> tuple[float, bool, float | None] | None:
    """Value of a figure written with digits and separators, read in both conventions.

    Returns (value, whole, decimal): ``whole`` is true when the figure is a whole number (its
    separators group thousands: "1,339", "1.500.000", "1.500,000"), ``decimal`` the value read with
    its last separator as a decimal point when that reading exists ("1.500" -> 1.5, "2,5" -> 2.5),
    for a multiplier that follows ("1.5 ألف"). None when the separators fit neither convention.
    """
    if sum(c.isdigit() for c in w) > MAX_FIGURE_DIGITS:
        return None  # no count of anything: a code, an account number, a run of digits
    if w.isdigit():
        return float(int(w)), True, None
    seps = {c for c in w if c in ",."}
    if not w[0].isdigit() or not w[-1].isdigit() or not seps or any(not (c.isdigit() or c in seps) for c in w):
        return None
    groups = re.split(r"[,.]", w)
    grouped = len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    if len(seps) == 2:  # one convention's thousands, the other's decimal point: 1,500.5 / 1.500,5
        last = max(w.rfind(","), w.rfind("."))
        head, tail = w[:last], w[last + 1 :]
        if w[last] in head or not _THOUSANDS_ANY_RE.fullmatch(head):
            return None
        value = int(re.sub(r"[,.]", "", head)) + float("0." + tail)
        return value, value == int(value), value
    if grouped:  # thousands: 1,339 / 1.500.000; "1.500" may also be the decimal 1.5 before a multiplier
        decimal = float(groups[0] + "." + groups[1]) if len(groups) == 2 and "." in seps else None
        return float(int("".join(groups))), True, decimal
    if len(groups) == 2:  # a decimal point in either convention: 1.5 / 2,5
        value = float(groups[0] + "." + groups[1])
        return value, False, value
    return None


def _values(n: int, qualifier: str | None) -> tuple[int | None, int | None, int | None]:
    if qualifier is None or qualifier == "about":
        return n, n, n
    if qualifier == "more_than":
        return n + 1, n + 1, None
    if qualifier == "at_least":
        return n, n, None
    if qualifier == "less_than":
        return 1, None, max(n - 1, 0)
    return 1, None, n  # at_most


class _Scan:
    __slots__ = ("text", "starts", "ends", "words", "gaps", "n", "floor", "skip_to", "duals")

    def __init__(self, text: str, parts: list[str] | None = None, duals: frozenset[int] = frozenset()) -> None:
        self.text = text
        self.duals = duals  # ends of the words whose vowels mark the oblique dual ("مدنيَّيْن")
        if parts is None:
            parts = _TOKEN_RE.split(text)
        # parts alternate gap, token, gap, ..., token, gap; offsets follow from the lengths
        offs = list(accumulate(map(len, parts), initial=0))
        self.words: list[str] = parts[1::2]
        self.gaps: list[str] = parts[0::2]  # gaps[k] is the text just before token k
        self.starts: list[int] = offs[1::2]
        self.ends: list[int] = offs[2::2]
        self.n = len(self.words)
        self.floor = 0  # end of the last quantity: earlier tokens are spent
        self.skip_to = 0  # a rejected figure spans tokens up to here: do not rescan its tail

    # -- helpers -------------------------------------------------------------------------------

    def joined(self, k: int) -> bool:
        """Token k follows token k-1 on the same line with only spaces (or nothing) between."""
        if k <= 0 or k >= self.n:
            return False
        g = self.gaps[k]
        return not g or g.count(" ") == len(g)

    def nxt(self, k: int) -> str | None:
        """Word k if it is joined to the token before it."""
        return self.words[k] if self.joined(k) else None

    def prev_ok(self, k: int) -> bool:
        """Token k-1 exists, is joined to k and not spent by an earlier quantity."""
        return k > 0 and self.starts[k - 1] >= self.floor and self.joined(k)

    def noun_at(self, k: int, prefixes: tuple[str, ...] = _PREFIXES) -> tuple[str, str, str, int] | None:
        """Person noun at token k: (lemma, category, sg|pl|du|duc, letters of proclitics)."""
        if k >= self.n:
            return None
        w = self.words[k]
        e = _NOUN.get(w)
        if e is not None:
            return (*e, 0)
        for p in prefixes:
            if w.startswith(p) and len(w) - len(p) >= 2:
                e = _NOUN.get(w[len(p) :])
                if e is not None:
                    return (*e, _PREFIX_SKIP[p])
        return None

    def is_unit(self, k: int) -> bool:
        w = self.nxt(k)
        if w is None:
            return False
        if w in _UNITS or w in _MONTHS or (w.startswith(_AL) and w[len(_AL) :] in _UNITS):
            return True
        return any(w == ph[0] and all(self.nxt(k + i) == ph[i] for i in range(1, len(ph))) for ph in _UNIT_PHRASES)

    def counted(self, k: int, allow_from: bool = True) -> tuple[int, str | None, str | None]:
        """Person noun at k (optionally after من) and trailing "آخرين": (next k, lemma, category)."""
        noun = None
        if self.joined(k):
            noun = self.noun_at(k, _ARTICLE_ONLY)
            if noun is not None:
                k += 1
            elif allow_from and self.words[k] == _FROM and self.joined(k + 1):
                noun = self.noun_at(k + 1, _ARTICLE_ONLY)
                if noun is not None:
                    k += 2
            elif self.words[k] in _OTHERS_AFTER_NUMBER:
                return k + 1, _OTHERS_LEMMA, "person"
        if noun is None:
            return k, None, None
        if self.nxt(k) in _OTHERS_ADJ:
            k += 1
        return k, noun[0], noun[1]

    def qualifier_before(self, k: int) -> tuple[str, int] | None:
        """Qualifier words ending just before token k: (qualifier, start offset)."""
        j = k - 1
        if j >= 0 and self.words[j] == _AL and self.prev_ok(k):  # قرابة الـ 20
            k, j = j, j - 1
        if j < 0 or not self.prev_ok(k):
            return None
        cands = _QUAL_BY_LAST.get(self.words[j])
        if not cands:
            return None
        for seq, name, skip in cands:
            i0 = j - len(seq) + 1
            if i0 < 0 or self.starts[i0] < self.floor:
                continue
            if all(self.words[i0 + t] == seq[t] and (t == 0 or self.joined(i0 + t)) for t in range(len(seq))):
                return name, self.starts[i0] + skip
        return None

    def qualifier_after(self, k: int) -> tuple[str, int] | None:
        """Qualifier words from token k on ("على الأقل", "تقريبا"): (qualifier, the token after them)."""
        for seq, name in _QUAL_AFTER:
            if all(self.nxt(k + t) == seq[t] for t in range(len(seq))):
                return name, k + len(seq)
        return None

    def blocked_before(self, k: int) -> bool:
        """Identifier or year context: "الفرقة 17", "عام 2011", "الساعة 5"."""
        j = k - 1
        if j >= 0 and self.words[j] == _AL:
            j -= 1
        return j >= 0 and _in(self.words[j], _ID_BEFORE)

    # -- assembling ----------------------------------------------------------------------------

    def finish(
        self, k0: int, num_start: int, k2: int, value: int, kind: str, noun_req: bool = False
    ) -> tuple[Quantity, int] | None:
        """Common tail for a figure at tokens [k0, k2): units, noun, qualifiers."""
        num_end = self.ends[k2 - 1]
        if k2 < self.n and self.is_unit(k2):
            return None
        k3, lemma, cat = self.counted(k2) if k2 < self.n else (k2, None, None)
        if noun_req and lemma is None:
            return None
        end = self.ends[k3 - 1]
        qual = None
        start = num_start
        qb = self.qualifier_before(k0)
        if qb is not None:
            qual, start = qb
        if k3 < self.n and qual is None:
            qa = self.qualifier_after(k3)
            if qa is not None:
                qual, k3 = qa
                end = self.ends[k3 - 1]
                if lemma is None and k3 < self.n:
                    k4, lemma, cat = self.counted(k3)
                    if lemma is not None:
                        k3, end = k4, self.ends[k4 - 1]
        low, best, high = _values(value, qual)
        return Quantity(start, end, low, best, high, qual, kind, lemma, cat, num_start, num_end), k3

    # -- handlers ------------------------------------------------------------------------------

    def digits(self, k: int) -> tuple[Quantity, int] | None:
        w = self.words[k]
        text = self.text
        s = self.starts[k]
        if s > 0 and text[s - 1] in "+-/#" or (k > 0 and self.ends[k - 1] == s and self.words[k - 1] not in _GLUE):
            return None  # +963..., F-16, M5
        if k + 1 < self.n and self.starts[k + 1] == self.ends[k] and self.words[k + 1] not in NUM_PERCENT_SIGNS:
            return None  # 5km, 12th
        if ":" in w or "/" in w or "-" in w:
            return None  # times, dates, ranges, scores
        if "," not in w and "." not in w and (len(w) >= 7 or (len(w) > 1 and w[0] == "0")):
            return None  # phone numbers, codes
        read = read_figure(w)
        if read is None:
            return None
        val, whole, decimal = read
        thousand_dot = "." in w and whole and not decimal
        if self.blocked_before(k):
            return None
        k2 = k + 1
        if self.nxt(k2) in _MULT_1000:
            if decimal is not None:
                val = decimal  # "1.5 ألف", "2,5 ألف", "1.500 ألف": the multiplier reads the figure as a decimal
            val, k2 = val * 1000, k2 + 1
            thousand_dot = False
        elif not whole:
            return None  # 1.5 with no multiplier is not a head count
        value = round(val)
        if thousand_dot or (len(w) == 4 and 1900 <= value <= 2100):
            noun = self.counted(k2)[1] if k2 < self.n else None
            if thousand_dot and noun is None:
                return None
            if not thousand_dot and noun is None and self.year_context(k):
                return None
        return self.finish(k, s, k2, value, "digits")

    def year_context(self, k: int) -> bool:
        j = k - 1
        if j >= 0 and self.words[j] == _AL:
            j -= 1
        if j >= 0 and (_in(self.words[j], _MONTHS) or _in(self.words[j], _YEAR_CONTEXT)):
            return True
        return False

    def number_words(self, k: int, w: str, skip: int) -> tuple[Quantity, int] | None:
        if k > 0 and _in(self.words[k - 1], _ORDINALS):
            return None  # الفرقة السابعة عشرة, الذكرى الحادية والعشرين
        r = _parse(self, k, w)
        if r is None:
            return None
        value, k2 = r
        self.skip_to = k2  # "عام ألفين وأربعة عشر": if the figure is rejected, so is its tail
        if k2 < self.n and self.words[k2][0].isdigit() and self.joined(k2):
            return None  # "تسع 500 شخص": the verb تسع, not nine
        if self.blocked_before(k):
            return None
        num_start = self.starts[k] + skip
        res = self.finish(k, num_start, k2, value, "words", noun_req=value == 1)
        if value <= 2 and k2 == k + 1 and self.prev_ok(k):
            # 1 and 2 follow the noun as adjectives: "عنصر واحد", "عسكريين اثنين"
            noun = self.noun_at(k - 1)
            if noun is not None and (noun[2] == _SG) == (value == 1):
                if res is None:
                    res = self.finish(k, num_start, k2, value, "words")
                    if res is None:
                        return None
                q, kk = res
                if q.noun is None:
                    start = self.starts[k - 1] + noun[3]
                    q = Quantity(start, q.end, q.low, q.best, q.high, q.qualifier, "words", noun[0], noun[1],
                                 num_start, q.num_end)
                return q, kk
        return res  # a bare واحد ("في آن واحد") needs a noun after it: "واحد من العناصر"

    def definite_number(self, k: int, w: str) -> tuple[Quantity, int] | None:
        """A number with the article after a definite plural person noun, as its adjective: "المصابين الستين",
        "الجنود الثلاثة" (the sixty wounded, the three soldiers)."""
        e = _WORDS[w[len(_AL) :]]  # (three or more: "الأحد" is Sunday, "الاثنين" Monday)
        noun = self.noun_at(k - 1, _ARTICLE_ONLY) if self.prev_ok(k) else None
        if noun is None or noun[2] != _PL or not self.words[k - 1][noun[3] :].startswith(_AL):
            return None
        after = self.nxt(k + 1) or ""
        if after[:1] == _WA and after[1:].startswith(_AL) and after[1 + len(_AL) :] in _WORDS:
            return None  # "الثلاثة والعشرون": a compound this reading does not add up  # the noun must be a definite plural: "المصابين", not "مصابين" nor "جنود الخميس"
        start = self.starts[k - 1] + noun[3]
        return Quantity(start, self.ends[k], e[0], e[0], e[0], None, "words", noun[0], noun[1], self.starts[k],
                        self.ends[k]), k + 1

    def vague(self, k: int, w: str, skip: int) -> tuple[Quantity, int] | None:
        low = _VAGUE_LOW[w]
        k2 = k + 1
        if w in _VAGUE_NEED_FROM:
            if self.nxt(k2) != _FROM:
                return None
            k2 += 1
        if w in _VAGUE_CLITIC_NOUN and skip and self.words[k][:skip] != NUM_PREPOSITION_LI:
            if self.noun_at(k2) is None or not self.joined(k2):
                return None  # وعده / بعده: "his promise", "after it"
        if low in (20, 200) and self.nxt(k2) in _THOUSANDS_AFTER_VAGUE:
            low, k2 = low * 1000, k2 + 1  # عشرات الآلاف
        if k2 < self.n and self.is_unit(k2):
            return None
        num_start = self.starts[k] + skip
        num_end = self.ends[k2 - 1]
        k3, lemma, cat = self.counted(k2, allow_from=w not in _VAGUE_NEED_FROM) if k2 < self.n else (k2, None, None)
        end = self.ends[k3 - 1]
        return Quantity(num_start, end, low, None, None, None, "vague", lemma, cat, num_start, num_end), k3

    def dual(self, k: int, info: tuple[str, str, str], skip: int) -> tuple[Quantity, int] | None:
        lemma, cat, t = info
        k2 = k + 1
        if t == _DUC:
            w = self.nxt(k2)
            if w is None or not w.startswith(_AL) or w in _TIME_WORDS:
                return None  # "قتلت عنصرا من ..." is one person, accusative
        elif self.nxt(k2) in _TWO:
            k2 += 1
        if self.nxt(k2) in _OTHERS_ADJ:
            k2 += 1
        s, e = self.starts[k] + skip, self.ends[k]
        return Quantity(s, self.ends[k2 - 1], 2, 2, 2, None, "dual", lemma, cat, s, e), k2

    def plural(self, k: int, info: tuple[str, str], skip: int) -> tuple[Quantity, int] | None:
        lemma, cat = info
        s = self.starts[k] + skip
        e = self.ends[k]
        k2 = k + 1
        if lemma == _OTHERS_LEMMA:
            if self.prev_ok(k):  # "مدنيين آخرين": other civilians
                noun = self.noun_at(k - 1)
                if noun is not None and noun[2] == _PL:
                    lemma, cat = noun[0], noun[1]
                    s = self.starts[k - 1] + noun[3]
        elif self.nxt(k2) in _OTHERS_ADJ:
            k2 += 1
        return Quantity(s, self.ends[k2 - 1], 3, None, None, None, "plural", lemma, cat, s, e), k2

    def run(self) -> list[Quantity]:
        out: list[Quantity] = []
        words = self.words
        k = 0
        n = self.n
        while k < n:
            w = words[k]
            if "0" <= w[0] <= "9":
                r = self.digits(k)
            else:
                e = _TRIG.get(w)
                if e is None and self.ends[k] in self.duals:
                    # the vowels say dual where the letters say plural: read it as its nominative dual ("مدنيان")
                    e = _TRIG.get(w[: -len(NUM_DUAL_OBLIQUE)] + NUM_DUAL_NOMINATIVE)
                    e = e if e is not None and e[0] == _DUAL else None
                if e is None:
                    k += 1
                    continue
                typ, payload, skip = e
                if typ == _NUM:
                    r = self.number_words(k, payload, skip)  # type: ignore[arg-type]
                elif typ == _VAGUE:
                    r = self.vague(k, payload, skip)  # type: ignore[arg-type]
                elif typ == _DEF:
                    r = self.definite_number(k, w)
                elif typ == _DUAL:
                    r = self.dual(k, payload, skip)  # type: ignore[arg-type]
                else:
                    r = self.plural(k, payload, skip)  # type: ignore[arg-type]
            if r is None:
                k = max(k + 1, self.skip_to)
                continue
            q, k = r
            out.append(q)
            self.floor = q.end
        return out


def _term(sc: _Scan, w: str, k: int) -> tuple[int, int, int] | None:
    """One term starting with word `w` (token k): (value, level, next token)."""
    e = _WORDS.get(w)
    if e is None:
        return None
    v, cls = e
    nk = k + 1
    if cls in (_U, _T1) and v <= 9 and sc.nxt(nk) in _TEEN_SECOND:
        return v + 10, 1, nk + 1  # ثلاثة عشر، اثنا عشر
    if cls == _T1 or cls == _THP:
        return None
    if cls == _U and 3 <= v <= 9 and sc.nxt(nk) in _HUNDRED:
        return v * 100, 3, nk + 1  # ثلاث مئة
    return v, _LEVEL[cls], nk


def _connector(sc: _Scan, k: int) -> tuple[str, int] | None:
    """A number word joined by و at token k: (word, its token index)."""
    w = sc.nxt(k)
    if w is None:
        return None
    if w == _WA:
        w2 = sc.nxt(k + 1)
        if w2 is not None and w2 in _WORDS:
            return w2, k + 1
        return None
    if w[0] == _WA and w[1:] in _WORDS:
        return w[1:], k
    return None


def _extend(sc: _Scan, value: int, level: int, k: int) -> tuple[int, int]:
    while True:
        c = _connector(sc, k)
        if c is None:
            return value, k
        t = _term(sc, c[0], c[1])
        if t is None or t[1] not in _NEXT_OK[level]:
            return value, k
        value, level, k = value + t[0], t[1], t[2]


def _parse(sc: _Scan, k: int, w: str) -> tuple[int, int] | None:
    """A whole number starting with word `w` at token k: (value, next token)."""
    t = _term(sc, w, k)
    if t is None:
        return None
    value, level, k2 = t
    if level < 4:
        value, k2 = _extend(sc, value, level, k2)
        if sc.nxt(k2) not in _MULT_1000:
            return value, k2
        value, k2 = value * 1000, k2 + 1  # خمسة وعشرون ألفا
    value, k2 = _extend(sc, value, 4, k2)
    return value, k2


def parse_number_words(s: str) -> int | None:
    """Value of a number written in words ("مئة وخمسة وأربعون" -> 145) or digits ("1,339").

    The whole string must be one number; returns None otherwise.
    """
    sc = _Scan(norm(s).strip())
    if sc.n == 0:
        return None
    w = sc.words[0]
    if w[0].isdigit():
        if sc.n == 1 and (w.isdigit() or _THOUSANDS_RE.fullmatch(w)):
            return int(w.replace(",", ""))
        return None
    e = _TRIG.get(w)
    if e is None or e[0] != _NUM:
        return None
    r = _parse(sc, 0, e[1])  # type: ignore[arg-type]
    if r is None or r[1] != sc.n:
        return None
    return r[0]


def find_quantities(text: str, duals: frozenset[int] = frozenset(), offset: int = 0) -> list[Quantity]:
    """People-count expressions in normalised `text`, sorted by start and non-overlapping. `duals` holds the ends
    (offsets in the whole part; `text` starts at `offset`) of the words whose vowels mark the oblique dual."""
    if not text:
        return []
    parts = _TOKEN_RE.split(text)
    ends = frozenset(e - offset for e in duals if offset < e <= offset + len(text)) if duals else frozenset()
    if _DIGIT_RE.search(text) is None and not ends and _TRIG.keys().isdisjoint(parts):
        return []  # fast path: nothing that can start a quantity
    return _Scan(text, parts, ends).run()
