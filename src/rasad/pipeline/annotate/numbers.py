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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from itertools import accumulate

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


def _words(s: str) -> list[str]:
    return norm(s).split()


# ---------------------------------------------------------------------------------------------
# clitics
# ---------------------------------------------------------------------------------------------

# proclitic conjunctions/prepositions that may be glued to a number word or noun
_P1: tuple[str, ...] = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك")
# article forms, with the number of leading letters that are *not* part of the noun phrase
_ART: dict[str, int] = {
    "ال": 0, "وال": 1, "فال": 1, "بال": 1, "كال": 1, "لل": 0, "ولل": 1, "فلل": 1, "وبال": 2, "فبال": 2,
}
_PREFIX_SKIP: dict[str, int] = {**{p: len(p) for p in _P1}, **_ART}
_PREFIXES: tuple[str, ...] = tuple(sorted(_PREFIX_SKIP, key=len, reverse=True))
_ARTICLE_ONLY: tuple[str, ...] = ("ال",)  # a counted noun right after its number takes no و/ب/ل
_SUFFIXES: tuple[str, ...] = ("ه", "ها", "هم", "هما", "هن", "نا", "كم")


def _in(w: str, vocab: frozenset[str]) -> bool:
    """`w` or `w` without one proclitic/article prefix is in `vocab`."""
    if w in vocab:
        return True
    for p in _PREFIXES:
        if w.startswith(p) and w[len(p) :] in vocab:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# number words
# ---------------------------------------------------------------------------------------------

_U, _T1, _TEN, _TENS, _H, _TH, _THP = range(7)  # word classes

_WORDS: dict[str, tuple[int, int]] = {}  # normalised word -> (value, class)


def _add_words(value: int, cls: int, forms: str) -> None:
    for w in _words(forms):
        _WORDS.setdefault(w, (value, cls))


for _v, _f in {
    1: "واحد واحدة", 2: "اثنان اثنين اثنتان اثنتين ثنتان ثنتين", 3: "ثلاثة ثلاث", 4: "أربعة أربع",
    5: "خمسة خمس", 6: "ستة ست", 7: "سبعة سبع", 8: "ثمانية ثماني ثمان", 9: "تسعة تسع",
}.items():
    _add_words(_v, _U, _f)
_add_words(1, _T1, "أحد إحدى")  # only before عشر/عشرة
_add_words(2, _T1, "اثنا اثني اثنتا اثنتي")
_add_words(10, _TEN, "عشرة عشر")
for _v, _f in {
    20: "عشرون عشرين", 30: "ثلاثون ثلاثين", 40: "أربعون أربعين", 50: "خمسون خمسين", 60: "ستون ستين",
    70: "سبعون سبعين", 80: "ثمانون ثمانين", 90: "تسعون تسعين",
}.items():
    _add_words(_v, _TENS, _f)
_add_words(100, _H, "مئة مائة")
_add_words(200, _H, "مئتان مئتين مائتان مائتين مئتا مائتا مئتي مائتي")
for _v, _f in {3: "ثلاث", 4: "أربع", 5: "خمس", 6: "ست", 7: "سبع", 8: "ثمان ثماني", 9: "تسع"}.items():
    for _stem in _words(_f):
        _add_words(_v * 100, _H, _stem + "مئة " + _stem + "مائة")
_add_words(1000, _TH, "ألف ألفا")
_add_words(2000, _TH, "ألفان ألفين ألفي")
_add_words(1000, _THP, "آلاف")

_TEEN_SECOND = frozenset(_words("عشر عشرة"))
_HUNDRED = frozenset(_words("مئة مائة"))
_MULT_1000 = frozenset(_words("ألف ألفا آلاف"))
_LEVEL = {_U: 0, _T1: 1, _TEN: 1, _TENS: 2, _H: 3, _TH: 4}
# which term levels may follow a term of a given level after و (0 units, 1 teens/10, 2 tens,
# 3 hundreds, 4 thousands): "خمسة وعشرون", "مئة وخمسة وأربعون", "ألف ومئتان"
_NEXT_OK: dict[int, frozenset[int]] = {
    0: frozenset({2}), 1: frozenset(), 2: frozenset(), 3: frozenset({0, 1, 2}), 4: frozenset({0, 1, 2, 3}),
}
_TWO = frozenset(_words("اثنان اثنين اثنتان اثنتين"))
_BLOCK = frozenset(_words("لست ولست فلست"))  # "لست" = "I am not", not ل + ست

# ---------------------------------------------------------------------------------------------
# qualifiers
# ---------------------------------------------------------------------------------------------

_QUALIFIERS: dict[str, str] = {
    "أكثر من": "more_than", "ما يزيد عن": "more_than", "ما يزيد على": "more_than",
    "يزيد عن": "more_than", "يزيد على": "more_than", "أزيد من": "more_than", "ما يفوق": "more_than",
    "ما يربو على": "more_than", "ما يربو عن": "more_than",
    "ما لا يقل عن": "at_least", "لا يقل عن": "at_least", "على الأقل": "at_least",
    "نحو": "about", "نحو من": "about", "قرابة": "about", "حوالي": "about", "حوالى": "about",
    "زهاء": "about", "ما يقارب": "about", "يقارب": "about", "ما يقرب من": "about", "تقريبا": "about",
    "أقل من": "less_than",
    "ما لا يزيد عن": "at_most", "ما لا يزيد على": "at_most", "لا يزيد عن": "at_most",
    "لا يزيد على": "at_most", "لا يتجاوز": "at_most", "ما لا يتجاوز": "at_most", "لا يتعدى": "at_most",
}
# last word -> [(words, qualifier, letters of the first word to leave out of the span)], longest first
_QUAL_BY_LAST: dict[str, list[tuple[tuple[str, ...], str, int]]] = {}
for _q, _name in _QUALIFIERS.items():
    _seq = tuple(_words(_q))
    for _p in ("", *_P1):
        _v_seq = (_p + _seq[0], *_seq[1:])
        _QUAL_BY_LAST.setdefault(_v_seq[-1], []).append((_v_seq, _name, len(_p)))
for _lst in _QUAL_BY_LAST.values():
    _lst.sort(key=lambda e: -len(e[0]))
_POST_AT_LEAST = tuple(_words("على الأقل"))
_POST_ABOUT = norm("تقريبا")

# ---------------------------------------------------------------------------------------------
# context that rules a figure out
# ---------------------------------------------------------------------------------------------

_UNITS = frozenset(_words(
    "كم كلم كيلومتر كيلومترا كيلومترات كيلو كيلوغرام كيلوغراما كغ كلغ غرام طن أطنان متر مترا أمتار سم ملم "
    "ميل أميال هكتار دونم دونما برميل درجة درجات "
    "دولار دولارا دولارات يورو ليرة ليرات دينار دينارا دنانير ريال ريالا ريالات جنيه جنيها جنيهات "
    "درهم درهما دراهم شيكل شيكلا مليون ملايين مليار مليارات ترليون "
    "بالمئة بالمائة % ٪ km kg m "
    "ثانية ثوان دقيقة دقائق ساعة ساعات يوم يوما أيام ليلة ليال أسبوع أسبوعا أسابيع شهر شهرا أشهر شهور "
    "عام عاما أعوام سنة سنوات سنين مرة مرات "
    "صباحا مساء مساءا ظهرا فجرا عصرا ليلا"
))
_PERCENT_AFTER_FI = frozenset(_words("المئة المائة"))
_MONTHS = frozenset(_words(
    "يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
    "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين "
    "جانفي فيفري أفريل ماي جوان جويلية أوت "
    "محرم صفر ربيع جمادى جمادي رجب شعبان رمضان شوال ذو ذي"
))
# the figure right after these is an identifier (unit, road, resolution, hour, aircraft), not a count
_ID_BEFORE = frozenset(_words(
    "فرقة لواء فوج كتيبة سرية رقم قرار مادة بند فقرة طريق ساعة كيلو صفحة مرحلة حاجز نقطة مبنى شارع "
    "بوابة غرفة قناة طراز إف اف ميغ سو جولة دورة حلقة طابق فصل عام سنة عامي"
))
_YEAR_CONTEXT = frozenset(_words(
    "منذ في حتى خلال مطلع أوائل أواخر نهاية بداية منتصف قبل بعد صيف شتاء ربيع خريف"
))
_ORDINALS = frozenset(_words(
    "حادي حادية ثاني ثانية ثالث ثالثة رابع رابعة خامس خامسة سادس سادسة سابع سابعة ثامن ثامنة "
    "تاسع تاسعة عاشر عاشرة"
))
# time words that may follow an accusative singular ("قتلت شابا اليوم"): not a dual construct
_TIME_WORDS = frozenset(_words(
    "اليوم الليلة البارحة الأسبوع الشهر العام الماضي الماضية الجاري الحالي الاثنين الثلاثاء الأربعاء "
    "الخميس الجمعة السبت الأحد صباح الصباح المساء الفجر الظهر"
))
_OTHERS = frozenset(_words("آخرين آخرون آخريات"))
_OTHERS_ADJ = frozenset(_words("آخرين آخرون آخريات أخرى آخر آخران"))  # "3 عناصر آخرين"
_OTHERS_AFTER_NUMBER = frozenset(_words("آخرين آخرون آخريات آخران"))  # "وأصيب 4 آخرون"
_OTHERS_LEMMA = norm("آخر")
_FROM = norm("من")
_FI = norm("في")
_AL = "ال"
_WA = "و"
_GLUE = frozenset((*_P1, *_ART))  # tokens that may be glued to digits: "بـ4" -> "ب4", "الـ20" -> "ال20"
_THOUSANDS_AFTER_VAGUE = frozenset(_words("آلاف الآلاف ألوف الألوف"))

# ---------------------------------------------------------------------------------------------
# person nouns
# ---------------------------------------------------------------------------------------------

_CATEGORIES = frozenset({"combatant", "civilian", "person", "killed", "wounded"})
_SG, _PL, _DU, _DUC = "sg", "pl", "du", "duc"


def _load_nouns() -> list[tuple[list[str], list[str], str]]:
    rows: list[tuple[list[str], list[str], str]] = []
    raw = (files("rasad") / "data" / "person_nouns.tsv").read_text(encoding="utf-8")
    for line in raw.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) != 3 or cols[2].strip() not in _CATEGORIES:
            raise ValueError(f"bad line in person_nouns.tsv: {line!r}")
        sgs = [norm(s.strip()) for s in cols[0].split(",") if s.strip()]
        pls = [norm(p.strip()) for p in cols[1].split(",") if p.strip()]
        rows.append((sgs, pls, cols[2].strip()))
    return rows


def _with_suffixes(form: str, plural: bool = False) -> list[str]:
    """`form` with a possessive pronoun: عناصرها، مقاتليه، ضحيته، أبنائه، جرحاهم."""
    if form.endswith("ه"):
        bases = [form[:-1] + "ت"]
    elif form.endswith(("ين", "ون")):
        bases = [form[:-1]]  # مقاتلين -> مقاتليها
    elif form.endswith("اء"):
        bases = [form, form[:-1] + "ي", form[:-1] + "و"]  # أبناءه، أبنائه، أبناؤه
    elif plural and form.endswith("ي"):
        bases = [form, form[:-1] + "ا"]  # قتلى -> قتلاهم
    else:
        bases = [form]
    return [b + s for b in bases for s in _SUFFIXES]


_NOUN: dict[str, tuple[str, str, str]] = {}  # surface form -> (lemma, category, sg|pl|du|duc)
_DUALS: dict[str, tuple[str, str, str]] = {}
_CASUALTY_PLURALS: dict[str, tuple[str, str]] = {}


def _build_nouns() -> None:
    rows = _load_nouns()
    for sgs, pls, cat in rows:
        lemma = sgs[0]
        for sg in sgs:
            _NOUN.setdefault(sg, (lemma, cat, _SG))
            if not sg.endswith(("ه", "ا", "ي")) or sg.endswith("ي") and len(sg) > 3:
                _NOUN.setdefault(sg + "ا", (lemma, cat, _SG))  # accusative tanwin: عنصرا، جنديا
            for f in _with_suffixes(sg):
                _NOUN.setdefault(f, (lemma, cat, _SG))
        for pl in pls:
            _NOUN.setdefault(pl, (lemma, cat, _PL))
            for f in _with_suffixes(pl, plural=True):
                _NOUN.setdefault(f, (lemma, cat, _PL))
            if not pl.endswith(("ا", "ي", "ء", "ه", "و", "ات", "ين", "ون")):
                _NOUN.setdefault(pl + "ا", (lemma, cat, _PL))  # أطفالا، رجالا
            if cat in ("killed", "wounded"):
                _CASUALTY_PLURALS[pl] = (lemma, cat)
    taken = set(_NOUN) | set(_WORDS)
    for sgs, pls, cat in rows:
        lemma = sgs[0]
        sound = any(p.endswith(("ين", "ون")) for p in pls)
        for sg in sgs:
            stem = sg[:-1] + "ت" if sg.endswith("ه") else sg
            forms = [(stem + "ان", _DU)]
            if not sound:
                forms += [(stem + "ين", _DU), (stem + "ا", _DUC)]
            for f, t in forms:
                if f in _WORDS or (f in taken and t == _DU):
                    continue  # e.g. فتيان is a plural of فتى
                _DUALS.setdefault(f, (lemma, cat, t))
                _NOUN.setdefault(f, (lemma, cat, t))


_build_nouns()

# ---------------------------------------------------------------------------------------------
# trigger dictionary: every token that can start a quantity
# ---------------------------------------------------------------------------------------------

_NUM, _VAGUE, _DUAL, _PLURAL = range(4)
_VAGUE_LOW: dict[str, int] = {
    norm("عشرات"): 20, norm("مئات"): 200, norm("آلاف"): 2000, norm("عدة"): 3, norm("بضعة"): 3,
    norm("بضع"): 3, norm("عدد"): 2, norm("عددا"): 2,
}
_VAGUE_ARTICLE = frozenset(_words("عشرات مئات آلاف"))
_VAGUE_NEED_FROM = frozenset(_words("عدد عددا"))
_IDDA = norm("عدة")
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

# one capturing group, so that split() keeps the tokens: letters (Latin, Arabic), digits, percent signs
_TOKEN_RE = re.compile(r"([A-Za-z\u00c0-\u024f\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]+|[0-9]+(?:[.,:/\-][0-9]+)*|[%٪])")
_DIGIT_RE = re.compile(r"[0-9]")
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+")
_THOUSANDS_DOT_RE = re.compile(r"\d{1,3}(?:\.\d{3})+")


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
    __slots__ = ("text", "starts", "ends", "words", "gaps", "n", "floor", "skip_to")

    def __init__(self, text: str, parts: list[str] | None = None) -> None:
        self.text = text
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
        if w in _UNITS or w in _MONTHS or (w.startswith(_AL) and w[2:] in _UNITS):
            return True
        return w == _FI and self.nxt(k + 1) in _PERCENT_AFTER_FI

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
            w = self.nxt(k3)
            if w == _POST_AT_LEAST[0] and self.nxt(k3 + 1) == _POST_AT_LEAST[1]:
                qual, k3 = "at_least", k3 + 2
            elif w == _POST_ABOUT:
                qual, k3 = "about", k3 + 1
            if qual is not None:
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
        if k + 1 < self.n and self.starts[k + 1] == self.ends[k] and self.words[k + 1] not in ("%", "٪"):
            return None  # 5km, 12th
        if ":" in w or "/" in w or "-" in w:
            return None  # times, dates, ranges, scores
        thousand_dot = False
        if "," in w:
            if not _THOUSANDS_RE.fullmatch(w):
                return None
            val: float = int(w.replace(",", ""))
        elif "." in w:
            thousand_dot = bool(_THOUSANDS_DOT_RE.fullmatch(w))
            val = float(w)
        else:
            if len(w) >= 7 or (len(w) > 1 and w[0] == "0"):
                return None  # phone numbers, codes
            val = int(w)
        if self.blocked_before(k):
            return None
        k2 = k + 1
        if self.nxt(k2) in _MULT_1000:
            val, k2 = val * 1000, k2 + 1
            thousand_dot = False
        elif "." in w:
            if not thousand_dot:
                return None  # 1.5 with no multiplier is not a head count
            val = int(w.replace(".", ""))
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

    def vague(self, k: int, w: str, skip: int) -> tuple[Quantity, int] | None:
        low = _VAGUE_LOW[w]
        k2 = k + 1
        if w in _VAGUE_NEED_FROM:
            if self.nxt(k2) != _FROM:
                return None
            k2 += 1
        if w == _IDDA and skip and self.words[k][:skip] != "ل":
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
                if e is None:
                    k += 1
                    continue
                typ, payload, skip = e
                if typ == _NUM:
                    r = self.number_words(k, payload, skip)  # type: ignore[arg-type]
                elif typ == _VAGUE:
                    r = self.vague(k, payload, skip)  # type: ignore[arg-type]
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


def find_quantities(text: str) -> list[Quantity]:
    """People-count expressions in normalised `text`, sorted by start and non-overlapping."""
    if not text:
        return []
    parts = _TOKEN_RE.split(text)
    if _DIGIT_RE.search(text) is None and _TRIG.keys().isdisjoint(parts):
        return []  # fast path: nothing that can start a quantity
    return _Scan(text, parts).run()
