"""The one module where Arabic regular expressions live, each named, with an example it matches.

Word lists stay in data files (`rasad/data/*.tsv`, `rasad/data/words/*.txt`, one entry a line) and
are turned into regex alternations here by `words()`, so an analyst extends a list without touching
code. Patterns are written in ordinary Arabic and compiled against normalised text (`rx`). Every
pattern is registered by `pattern()` with an example sentence; `tests/test_patterns.py` checks that
each one matches its example. The rest of the package imports the compiled patterns from here: a
test walks the package's syntax tree and fails on an Arabic string constant anywhere else.

Sections follow the pipeline: the annotators first, then the stages that decide what an incident is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from rasad.lang.lexicon import read_rows
from rasad.pipeline.normalise import norm, rx


@dataclass(frozen=True)
class Pattern:
    """A named regular expression over normalised text, with an example that it matches."""

    name: str
    regex: re.Pattern[str]
    example: str


REGISTRY: dict[str, Pattern] = {}


def pattern(name: str, source: str, example: str, flags: int = 0) -> re.Pattern[str]:
    """Compile `source` (ordinary Arabic; normalised here) and register it under `name`."""
    if name in REGISTRY:
        raise ValueError(f"pattern {name!r} is defined twice")
    compiled = rx(source, flags)
    REGISTRY[name] = Pattern(name, compiled, example)
    return compiled


@cache
def word_list(name: str) -> tuple[str, ...]:
    """The entries of `data/words/NAME.txt` (first column), normalised, in file order."""
    return tuple(norm(r[0]) for r in read_rows(f"words/{name}.txt"))


@cache
def word_set(name: str) -> frozenset[str]:
    """The entries of `data/words/NAME.txt`, normalised, as a set to test words against."""
    return frozenset(word_list(name))


def words(name: str) -> str:
    """A regex alternation of the entries of `data/words/NAME.txt`, longest first, escaped; spaces in an
    entry match any run of white space."""
    forms = sorted(set(word_list(name)), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w).replace("\\ ", r"\s+") for w in forms) + ")"


# === normalise, segment, read, run ========================================================

def in_order(name: str) -> str:
    """A regex alternation of the entries of `data/words/NAME.txt` in file order, escaped: for lists where
    an earlier alternative must win over a longer later one (`words()` tries the longest first)."""
    return "(?:" + "|".join(re.escape(w).replace("\\ ", " ") for w in word_list(name)) + ")"


# segment.py: a sentence ends at . ! ? ؟ followed by space or the end: not a decimal point or an initial
# (the pattern starts with the mark, the lookbehinds after it, so that the engine skips fast to the next
# mark: the same matches as '(?<!\d)[.!?؟]+["\)]?(?=\s|$)|(?<=\d)\.(?=\s|$)')
SENTENCE_END = pattern("sentence_end", r'[.!?؟](?:(?<!\d[.!?؟])[.!?؟]*+["\)]?(?=\s|$)|(?<=\d\.)(?=\s|$))', "هل قصف؟ نعم")
# a line that ends like a sentence is no subhead
SENTENCE_FINAL = pattern("sentence_final", r"[.!?؟]\W*$", "ما الذي جرى؟")
# a clause starts at a connector that opens another proposition (words/clause_connectors.txt), or at
# "واخرى في": another incident, elsewhere ("انفجارات قرب مطار وأخرى قرب دمشق"; not "هجوم آخر على")
# ... but "في وقت متأخر من يوم السبت", "في وقت سابق اليوم" ("late on", "earlier") date the clause they stand in
_CLAUSE_TIME_ADJ = r"\s+(?:متأخر|سابق|لاحق|مبكر)\b"
CLAUSE_BREAK = pattern(
    "clause_break",
    r"(?:،\s*|\s)(?=(?:و)?(?:" + in_order("clause_connectors")
    + r"|(?<=\s)واخرى\s+(?:في|قرب|على|بالقرب|شمال|جنوب|شرق|غرب|داخل))\b(?!" + _CLAUSE_TIME_ADJ + r"))",
    "قتل رجل، فيما اصيب اخر",
)
# a photo credit closing a caption line: "(getty)", "(ا ف ب)", "(رويترز)", "(فلان/وكالة)"
PHOTO_CREDIT = pattern(
    "photo_credit", r"\((?:[^()]{0,40}/[^()]{0,40}|getty|afp|reuters|ا ف ب|رويترز|فرانس برس)[^()]*\)\s*$",
    "صورة الدمار (رويترز)", re.I,
)

# normalise.py: words glued where a page's markup was removed are split between two known words
# (data/words/glue_words.txt says which lexicons count as known and lists the function words)
_GLUE_LEXICONS = (  # data file, the columns that hold Arabic words
    ("triggers.tsv", (0,)), ("nationalities.tsv", (0, 1)), ("person_nouns.tsv", (0, 1)), ("weapons.tsv", (0,)),
    ("governorates.tsv", (0,)), ("actor_aliases.tsv", (0,)), ("months.tsv", (0,)), ("weekdays.tsv", (0,)),
)
_GLUE_WORD_LISTS = (
    "attack_verbs", "report_verbs", "saying_verbs", "victim_verbs", "attack_nouns", "harm_nouns",
    "military_nouns", "force_nouns", "target_nouns", "clash_words", "strike_verbs", "agent_verbs",
)
_GLUE_VERB_LISTS = ("attack_verbs", "report_verbs", "saying_verbs", "victim_verbs", "strike_verbs", "agent_verbs")
_GLUE_WORD_RE = re.compile(r"[\u0621-\u064a]{2,}")


@dataclass(frozen=True)
class GlueWords:
    """The words normalise.py may find run together (normalised): see data/words/glue_words.txt."""

    known: frozenset[str]  # every known word, with the article on nationality adjectives
    verbs: frozenset[str]  # the verbs among them (triggers and the verb lists), which may follow قد
    left_short: frozenset[str]
    right_short: frozenset[str]
    before_digit: frozenset[str]
    suffix_starts: tuple[str, ...]
    before_article: frozenset[str] = frozenset()  # a short preposition glued to a known word with the article
    clitics: str = "وفبل"  # one-letter proclitics a glued second word may carry
    article: str = "ال"


@cache
def glue_words() -> GlueWords:
    known: set[str] = set()
    roles: dict[str, set[str]] = {}
    for name, cols in _GLUE_LEXICONS:
        for row in read_rows(name):
            for c in cols:
                if c < len(row):
                    known.update(m.group() for m in _GLUE_WORD_RE.finditer(norm(row[c])))
    for name in _GLUE_WORD_LISTS:
        for entry in word_list(name):
            known.update(m.group() for m in _GLUE_WORD_RE.finditer(entry))
    known.update(ARTICLE + norm(row[0]) for row in read_rows("nationalities.tsv"))
    for word, kinds in read_rows("words/glue_words.txt", 2):
        for role in kinds.split(","):
            roles.setdefault(role.strip(), set()).add(norm(word))
    known |= roles.get("function", set())
    verbs = {norm(row[0]) for row in read_rows("triggers.tsv")} | {w for n in _GLUE_VERB_LISTS for w in word_list(n)}
    return GlueWords(frozenset(known), frozenset(w for w in verbs if " " not in w), frozenset(roles.get("left_short", ())), frozenset(roles.get("right_short", ())),
                     frozenset(roles.get("before_digit", ())), tuple(sorted(roles.get("suffix_start", ()))),
                     frozenset(roles.get("before_article", ())))


# a word ending in fatha (shadda) ya (sukun) nun: the oblique dual as its vowels tell it ("مدنيَّيْن"), which without
# them is spelled like the sound plural ("مدنيِّين"); matched on the original text (normalise.vowelled_duals)
FATHA = "\u064e"
VOWELLED_DUAL = re.compile(r"(?<=[\u0621-\u064a])\u064e\u0651?\u064a\u0652?\u0646(?![\u0621-\u0652])")

# Arabic morphology the matchers share (lang/lexicon.py imports these when a matcher is built)
ARTICLE = "ال"  # the definite article
LAM = "ل"  # the preposition lam: "للدفاع" is ل + الدفاع with the article's alef dropped
LAM_ARTICLE = "لل"  # a clitic lam fused with the article's lam
CONJUNCTION = "و"
# the proclitics a name may carry: و/ف, then ب/ك/ل, then the article ("وبالدفاع", "للدفاع", "و ب")
PROCLITICS = pattern("proclitics", r"(?:[وف] ?)?(?:[بكل] ?)?(?:ال)?|[وف]?لل", "وبال")
# nationality adjectives (data/nationalities.tsv): the forms derived from the masculine singular, in the
# order they are tried: accusative, feminine, sound plurals (سوري: سوريا، سوريه، سوريين، سوريون), duals
# (سوريان، سوريتان، سوريتين: "قاعدتا X وY الأميركيتان"), then after a final ي the doubled form (سورييا)
NISBA_SUFFIXES = ("ا", "ه", "ين", "ون", "ان", "تان", "تين")
NISBA_FINAL, NISBA_DOUBLED = "ي", "يا"
ACCUSATIVE = "ا"  # the accusative ending of a singular noun (person_nouns.tsv: عنصر, عنصرا)

# the organisation a text speaks of when it says "التنظيم" (pipeline/run.py: the default organisation)
ISLAMIC_STATE_RE = pattern("run_islamic_state", r"داعش|تنظيم\W{0,3}الدوله|الدوله الاسلاميه", "مقاتلو تنظيم الدولة")
AL_QAEDA_RE = pattern("run_al_qaeda", r"تنظيم\W{0,3}القاعده", "عناصر تنظيم القاعدة")


# === numbers (pipeline/annotate/numbers.py) ===============================================

# A token of the number scanner: a run of letters (Latin, Arabic), a figure with its separators, a percent sign.
# One capturing group, so that split() keeps the tokens.
NUM_TOKEN = pattern(
    "number_token",
    r"([A-Za-z\u00c0-\u024f\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]+|[0-9]+(?:[.,:/\-][0-9]+)*|[%٪])",
    "قتل 1,339 شخصا و20٪",
)
NUM_PERCENT_SIGNS = ("%", "٪")  # a figure glued to one of these is still a figure ("20%"), then a percentage

# The words the number scanner compares tokens with, normalised.
NUM_ARTICLE = ARTICLE
NUM_CONJUNCTION_WA = CONJUNCTION  # joins the terms of a number: "مئة وخمسة وأربعون"
NUM_PREPOSITION_LI = norm("ل")
NUM_PREPOSITION_MIN = norm("من")  # "ثلاثة من العناصر", "عدد من المدنيين"

# The endings from which the number scanner derives the forms of a person noun (person_nouns.tsv).
NUM_TA_MARBUTA = norm("ة")  # ضحية ...
NUM_TA = norm("ت")  # ... written ت before a suffix or a dual ending: ضحيته، ضحيتان
NUM_ALIF = norm("ا")  # the accusative (عنصرا، أطفالا) and the dual construct (عنصرا الأمن)
NUM_DUAL_NOMINATIVE = norm("ان")  # عنصران
NUM_DUAL_OBLIQUE = norm("ين")  # عنصرين
NUM_SOUND_PLURAL_ENDINGS = (norm("ين"), norm("ون"))  # مقاتلين، مقاتلون: mean no dual in -ين
NUM_FEMININE_PLURAL_ENDING = norm("ات")
NUM_HAMZA_ENDING = norm("اء")  # أبناء: the hamza before a suffix may sit on ي or و (أبنائه، أبناؤه)
NUM_HAMZA = norm("ء")
NUM_HAMZA_SEATS = (norm("ئ"), norm("ؤ"))
NUM_ALIF_MAQSURA = norm("ى")  # قتلى: written with ا before a suffix (قتلاهم)
NUM_WAW = CONJUNCTION
# a singular takes the accusative alif unless it ends in one of these (a long ي after three letters does)
NUM_NO_ACCUSATIVE_SINGULAR = (NUM_TA_MARBUTA, NUM_ALIF, NUM_ALIF_MAQSURA)
# a broken plural takes the accusative alif unless it ends in one of these
NUM_NO_ACCUSATIVE_PLURAL = (
    NUM_ALIF, NUM_ALIF_MAQSURA, NUM_HAMZA, NUM_TA_MARBUTA, NUM_WAW, NUM_FEMININE_PLURAL_ENDING, *NUM_SOUND_PLURAL_ENDINGS,
)


# === dates (pipeline/annotate/dates.py) ===================================================

def _date_key(s: str) -> str:
    """A data-file phrase as the dates annotator keys it: normalised, words joined by one space."""
    return " ".join(norm(s).split())


@cache
def date_table(name: str) -> dict[str, list[str]]:
    """The rows of data/NAME (a TSV of the dates annotator) keyed by their phrase; later lines win."""
    return {_date_key(r[0]): r[1:] for r in read_rows(name, 2)}


@cache
def named_numbers(name: str) -> dict[str, int]:
    """A name<TAB>number file (months.tsv, weekdays.tsv, hijri_months.tsv): normalised name -> number."""
    out: dict[str, int] = {}
    for key, rest in date_table(name).items():
        if not rest[0].isdigit():
            raise ValueError(f"{name}: expected 'name<TAB>number', got {key!r} {rest!r}")
        out[key] = int(rest[0])
    return out


def date_trie(phrases: Iterable[str]) -> str:
    """Alternation of words/phrases factored by common prefixes (much faster to scan than a
    flat alternation); any whitespace inside phrases. A longer entry wins over its prefix."""
    root: dict[str, dict] = {}
    for w in {_date_key(w) for w in phrases}:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + build(node[ch]) for ch in sorted(node) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + build(root) + ")"


# the words of the date grammar itself (lead prepositions, anchors), normalised
DATE_ARTICLE = ARTICLE
DATE_TODAY = _date_key("اليوم")
DATE_TOMORROW = _date_key("غدا")
DATE_SUNDAY = _date_key("الأحد")
DATE_AGO_WORD = _date_key("قبل")  # "قبل أسبوع": the only word an ago expression starts with
DATE_SINCE = _date_key("منذ")
DATE_FROM = frozenset((_date_key("من"), _date_key("ومن")))  # "من 3 إلى 5 آذار": a period
DATE_CLITICS = "وفب"  # one-letter proclitics a lead word may carry ("وفي", "بمطلع")
DATE_BI = norm("ب")  # "باب" (door) is not ب + آب
DATE_FEMININE = norm("ة")  # "الماضية": a qualifier agrees with its noun
DATE_CONJUNCTIONS = "وف"  # before منذ / اعتبارا ("ومنذ")
DATE_CLAUSE_END = frozenset(".,،؛;:!?؟\"()")
# last word -> first words of the two-word phrases that open a period: "اعتبارا من", "من تاريخ"
DATE_SINCE_PAIRS: dict[str, set[str]] = {}
for _date_phrase in word_list("date_since_phrases"):
    _date_first, _date_last = _date_phrase.split()
    DATE_SINCE_PAIRS.setdefault(_date_last, set()).add(_date_first)
DATE_TITLES = word_set("date_titles")  # "الأمين العام": العام is "general"

_DATE_LB = r"(?:(?<![^\W_])|(?<=(?<![^\W_])[وفب]))"  # word start, or after a one-letter clitic و ف ب
_DATE_RB = r"(?![^\W_])"  # word end
_DATE_SEP = r"(?:\s*[,،]\s*|\s+)"
_DATE_MON = date_trie(named_numbers("months.tsv")) + _DATE_RB
_DATE_MONPAIR = rf"(?P<m1>{_DATE_MON})(?:\s*[/\-]\s*(?P<m2>{_DATE_MON})|\s*\(\s*(?P<m3>{_DATE_MON})\s*\))?"
_DATE_WD = date_trie(named_numbers("weekdays.tsv")) + _DATE_RB
# a weekday's name without its article, for the patterns that allow one before it ("(?:ال)?" + WEEKDAY_BARE)
WEEKDAY_BARE = "(?:" + "|".join(sorted(w.removeprefix(ARTICLE) for w in named_numbers("weekdays.tsv"))) + ")"
_DATE_REL = date_trie(date_table("date_relative_days.tsv")) + _DATE_RB
_DATE_POD = date_trie(date_table("date_parts_of_day.tsv")) + _DATE_RB
_DATE_PODADV = date_trie(date_table("date_part_adverbs.tsv")) + _DATE_RB
_DATE_PER = date_trie(date_table("date_periods.tsv")) + _DATE_RB
_DATE_QPAST = "(?:" + "|".join(word_list("date_past")) + ")" + "ه?" + _DATE_RB
_DATE_QCUR = "(?:" + "|".join(word_list("date_current")) + ")" + "ه?" + _DATE_RB
_DATE_UNIT = date_trie(date_table("date_units.tsv")) + _DATE_RB
_DATE_DAYNUM = r"(?<![0-9./:])(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])"
# ordinal days in words before من + a month: "في التاسع من نيسان", "الحادي والعشرين من أيار"
_DATE_ORDINAL = date_trie(date_table("date_ordinal_days.tsv")) + r"(?=\s+من\s)"
_DATE_YEARNUM = r"(?<![0-9./:\-])(?:19[5-9][0-9]|20[0-9][0-9])(?![0-9]|[./\-][0-9])"
_DATE_YEAR = rf"(?P<year>{_DATE_YEARNUM})(?:\s?م{_DATE_RB})?"
_DATE_YEAR_TAIL = norm(rf"(?:\s*[,،]?\s*(?:من\s+)?(?:عام\s+|العام\s+|سنة\s+)?{_DATE_YEAR})")
_DATE_NUMERIC = (
    r"(?<![0-9./\-])(?:"
    r"(?P<iy>(?:19|20)[0-9]{2})(?P<isep>[-/.])(?P<im>0?[1-9]|1[0-2])(?P=isep)(?P<id>0?[1-9]|[12][0-9]|3[01])"
    r"|(?P<nd>0?[1-9]|[12][0-9]|3[01])(?P<nsep>[-/.])(?P<nm>0?[1-9]|1[0-2])(?P=nsep)(?P<ny>(?:19|20)[0-9]{2})"
    r")(?![0-9]|[./\-][0-9])"
)
_DATE_NAMED = norm(
    rf"(?P<dday>{_DATE_DAYNUM}|{_DATE_ORDINAL})\s*(?:من\s+)?(?:شهر\s+)?{_DATE_MONPAIR}(?:{_DATE_YEAR_TAIL})?"
)
_DATE_RELMONTH = norm(
    rf"(?P<rday>{_DATE_DAYNUM}|{_DATE_ORDINAL})\s+(?:من\s+)?(?:(?P<rthis>هذا\s+)?الشهر|شهر)"
    rf"(?:\s+(?:(?P<rqual>{_DATE_QPAST}|{_DATE_QCUR})|(?P<rsame>نفسه|ذاته|عينه)))?{_DATE_RB}"
)
_DATE_DATEPART = rf"(?P<lp2>\(\s*)?(?:{_DATE_NUMERIC}|{_DATE_NAMED}|{_DATE_RELMONTH})(?(lp2)\s*\))"
_DATE_LEAD = norm(rf"(?:(?P<pod>{_DATE_POD})\s+)?(?:(?P<yom>يوم)\s+)?")
# "ليل السبت - الأحد", "ليل الأحد الاثنين", "ليل السبت/الأحد" (the night between two days) keep the first day
_DATE_WDPART = norm(
    rf"(?:(?P<yom2>يوم)\s+)?(?P<lp>\(\s*)?(?P<wd>{_DATE_WD})(?:(?(pod)(?:\s*[-/]\s*|\s+)|\s*-\s*){_DATE_WD})?(?(lp)\s*\))"
    rf"(?:\s+(?P<past>{_DATE_QPAST}))?"
)
_DATE_SEP_DATE = norm(rf"{_DATE_SEP}(?:الموافق\s+(?:ل\s*)?)?")
_DATE_TAIL = rf"(?:\s+(?P<pod2>{_DATE_PODADV}))?"

# A: [part of day] [يوم] [relative day] [weekday] [date] — at least one of the last three
DATE_A = pattern(
    "date_day",
    rf"{_DATE_LB}{_DATE_LEAD}(?P<rel>{_DATE_REL})?(?:(?(rel){_DATE_SEP}){_DATE_WDPART})?"
    rf"(?:(?(rel){_DATE_SEP_DATE}|(?(wd){_DATE_SEP_DATE})){_DATE_DATEPART})?"
    r"(?(rel)|(?(wd)|(?(iy)|(?(nd)|(?(dday)|(?(rday)|(?!)))))))"  # no core: fail fast
    rf"{_DATE_TAIL}",
    "صباح يوم الخميس 2 من كانون الأول 2021",
)
# B: month without a day
DATE_B = pattern(
    "date_month",
    rf"{_DATE_LB}(?:(?P<per>{_DATE_PER})\s+(?:(?P<shahr0>شهر)\s+)?|(?P<shahr>شهر)\s+"
    rf"|(?P<prep>في|منذ|خلال|حتى|بحلول|طيلة|طوال)\s+(?:(?P<shahr2>شهر)\s+)?)?"
    rf"{_DATE_MONPAIR}(?:\s+(?P<qual>{_DATE_QPAST}|{_DATE_QCUR}))?(?:{_DATE_YEAR_TAIL})?",
    "مطلع شهر أيلول الماضي",
)
# C: relative week/month/year ("الشهر الماضي", "منتصف الشهر الجاري", "هذا العام")
DATE_C = pattern(
    "date_relative_span",
    rf"{_DATE_LB}(?:(?P<per>{_DATE_PER})\s+)?(?:(?P<unit>{_DATE_UNIT})\s+(?P<qual>{_DATE_QPAST}|{_DATE_QCUR})|(?:هذا|هذه)\s+(?P<unit2>{_DATE_UNIT}))",
    "منتصف الشهر الجاري",
)
# H: the last hours ("خلال الساعات الماضية", "خلال الـ 24 ساعة الماضية")
DATE_H = pattern(
    "date_last_hours",
    rf"{_DATE_LB}(?:(?:خلال|في|منذ|طيلة|طوال|على\s+مدى|على\s+مدار)\s+)?"
    rf"(?:(?:ال\s*)?(?P<hn>[0-9]{{1,3}})\s*ساعة|الساعات(?:\s+ال\s*(?P<hn2>[0-9]{{1,3}}))?)"
    rf"(?:\s+القليلة)?\s+(?:الماضية|الفائتة|الأخيرة|المنصرمة|المنقضية){_DATE_RB}",
    "خلال الـ 24 ساعة الماضية",
)
# D: a year ("عام 2017", "أواخر العام 2019", "منذ 2011")
DATE_D = pattern(
    "date_year",
    rf"{_DATE_LB}(?:(?P<per>{_DATE_PER})\s+)?(?:(?P<kw>عام|العام|سنة|السنة)\s+|(?P<prep>في|منذ|خلال|بحلول|حتى)\s+)"
    rf"{_DATE_YEAR}",
    "أواخر العام 2019",
)

# Every expression contains an anchor word (or a number). find_dates scans for anchors, then tries
# the patterns at the anchor and at the starts of the "lead" words just before it.
_DATE_ANCHOR_WORDS = [
    *named_numbers("months.tsv"), *named_numbers("weekdays.tsv"), "أمس", "الأمس", "اليوم", "البارحة", "غدا", "غداة",
    "غد", "الليلة", "يومين", "الشهر", "الأسبوع", "العام", "السنة", "عام", "سنة", "الساعات", "ساعة",
]
# a number is an anchor only when it can be part of a date: a year, a day before a month name or
# الشهر, part of a numeric date, or a count of hours
_DATE_DIGIT_ANCHOR = norm(
    r"[0-9](?<![0-9][0-9])"  # (starts with a plain character class: much faster to scan)
    r"(?:(?<=[12])[0-9]{3}(?![0-9])"
    rf"|[0-9]?(?=[./\-][0-9]|\s*(?:من\s+)?(?:هذا\s+)?(?:شهر\s+)?(?:{_DATE_MON}|الشهر{_DATE_RB}))"
    rf"|[0-9]{{0,2}}(?=\s*ساعة{_DATE_RB}))"
)
DATE_ANCHOR = pattern("date_anchor", rf"{_DATE_DIGIT_ANCHOR}|\b[وفب]?(?P<w>{date_trie(_DATE_ANCHOR_WORDS)})\b", "وأمس")

_DATE_PREPS = ["في", "منذ", "خلال", "حتى", "بحلول", "طيلة", "طوال", "على", "مدى", "مدار"]
_DATE_ORDINAL_WORDS = [w for k in date_table("date_ordinal_days.tsv") for w in k.split()]
# the words that may stand before an anchor as part of an expression ("صباح يوم", "مطلع", "في", "أول من")
DATE_LEAD_WORDS = frozenset(
    _date_key(t)
    for t in (
        *(w for k in (*date_table("date_parts_of_day.tsv"), *date_table("date_periods.tsv"), *date_table("date_relative_days.tsv"))
          for w in k.split()),
        *_DATE_PREPS, "يوم", "شهر", "هذا", "هذه", "ال", "من", "قبل", *_DATE_ORDINAL_WORDS,
    )
)


def _date_first_words(*groups: Iterable[str]) -> set[str]:
    return {_date_key(w).split()[0] for g in groups for w in g}


# which patterns may start with a given word
DATE_STARTS_WITH: dict[str, tuple[str, ...]] = {}
for _date_kind, _date_firsts in (
    ("A", _date_first_words(date_table("date_parts_of_day.tsv"), date_table("date_relative_days.tsv"),
                       named_numbers("weekdays.tsv"), ["يوم"], date_table("date_ordinal_days.tsv"))),
    ("B", _date_first_words(date_table("date_periods.tsv"), named_numbers("months.tsv"), _DATE_PREPS, ["شهر"])),
    ("C", _date_first_words(date_table("date_periods.tsv"), date_table("date_units.tsv"), ["هذا", "هذه"])),
    ("H", _date_first_words(["خلال", "في", "منذ", "طيلة", "طوال", "على", "الساعات", "ال"])),
    ("D", _date_first_words(date_table("date_periods.tsv"), _DATE_PREPS, ["عام", "العام", "سنة", "السنة"])),
):
    for _date_w in _date_firsts:
        DATE_STARTS_WITH[_date_w] = (*DATE_STARTS_WITH.get(_date_w, ()), _date_kind)
DATE_STARTS_WITH["("] = ("A",)

# "وأفادت حينها", "آنذاك": the time told last before it
DATE_THEN = pattern("date_then", rf"{_DATE_LB}(?:" + "|".join(word_list("date_then")) + rf"){_DATE_RB}", "وأفادت حينها")
# the words alone, found fast (a pattern that opens on a lookbehind is tried at every position): a text
# without any of them has no match of DATE_THEN, and is not scanned for one
DATE_THEN_WORD = pattern("date_then_word", "(?:" + "|".join(word_list("date_then")) + ")", "حينها")
DATE_FUTURE_AFTER = pattern("date_future_after", rf"\s+(?:المقبل|القادم)ه?{_DATE_RB}", "الخميس المقبل")
DATE_OF_AFTER = pattern("date_of_after", rf"(?:\s+قليله)?(?:\s+فقط)?\s+(?:من|على){_DATE_RB}", "قبل أسبوع من الانتخابات")
DATE_SINCE_AFTER = pattern("date_since_after", rf"\s*[,،]?\s*(?:و\s*)?(?:حتى|لغاية){_DATE_RB}", "3 آذار وحتى")
DATE_TO_AFTER = pattern("date_to_after", rf"\s*(?:الى|إلى){_DATE_RB}", "من 3 إلى 5")
# "اليوم" is not today in "ذلك اليوم", "حتى اليوم", "في اليوم", "مثل هذا اليوم" ...
DATE_TODAY_BEFORE_BAD = pattern(
    "date_today_before_bad",
    r"(?:(?<![^\W_])[وف]?(?:ذلك|تلك|نفس|ذات|حتى|الى|إلى|لغاية|في|مثل\s+هذا)\s*|(?<![^\W_])ب)$",
    "مثل هذا ",
)
# ... nor in "اليوم الأول", "اليوم التالي", "اليوم الوطني", "اليوم نفسه"
DATE_TODAY_AFTER_BAD = pattern(
    "date_today_after_bad", rf"\s+(?:ال[^\W\d_]|نفسه{_DATE_RB}|ذاته{_DATE_RB}|عينه{_DATE_RB}|ذات{_DATE_RB})", " التالي"
)
# "غدا" is also the verb "became": "غدا الوضع ...", "وقد غدا ..."
DATE_TOMORROW_BEFORE_BAD = pattern(
    "date_tomorrow_before_bad", r"(?:(?<![^\W_])[وف]?(?P<qad>قد|لقد)\s*|(?:^|[.!?؟؛:\n\"])\s*[وف]?)$", "وقد "
)
DATE_SUNDAY_AFTER_OK = pattern("date_sunday_after_ok", r"\s*[,،.)]", "، ")
# "العام" is an adjective in "الأمين العام الحالي", "المدير العام ..."
DATE_GENERAL_BEFORE = pattern("date_general_before", r"(?<![^\W_])ال[^\W\d_]+\s+$", "الأمين ")

# R: time ago ("قبل أسبوع", "قبل ثلاثة أيام", "قبل شهرين", "قبل ساعات")
DATE_AGO = pattern(
    "date_ago",
    rf"{_DATE_LB}قبل\s+(?:(?P<n>[0-9]{{1,2}}|{date_trie(date_table('date_ago_counts.tsv'))})\s+)?"
    rf"(?P<u>{date_trie(date_table('date_ago_units.tsv'))}){_DATE_RB}",
    "قبل ثلاثة أيام",
)


# === actors and claimants (pipeline/annotate/actors.py, claimants.py) =====================

# -- claimants: who puts a figure forward
# a reporting verb or preposition (words/attribution_cues.txt), at most two words, then the claimant
ATTRIBUTION = pattern("attribution", in_order("attribution_cues") + r"(?:\s+\S+){0,2}\s*\"?$", "قال مدير")
# verbs of saying, in the perfect
SAYING_VERB = pattern("saying_verb", in_order("saying_verbs") + r"(?!\w)", "قالت")
REPORT_VERB = pattern(
    "report_verb", r"(?<!\w)(?:و|ف)?(?:" + in_order("saying_verbs") + "|" + in_order("report_verbs") + r")(?!\w)",
    "واتهمت")
COMPLEMENTISER = pattern("complementiser", r"(?<!\w)(?:ان|بان|إن|انه|انها|انهم)(?!\w)", "قال انه")
# a sentence that goes on with the previous speaker: "وأضاف", "وأوضح"
SPEAKER_CONTINUES = pattern("speaker_continues", r"^\W*(?:و|ف)?" + in_order("continuation_verbs") + r"(?!\w)", "وأضاف")
# the name after "الناشط", "شبكة": one or two words
CLAIMANT_NAME = pattern("claimant_name", r'\s*"?([^\s،,."]+(?:\s+[^\s،,."]+)?)', " دير الزور")
# a local network's name runs to the adjective المحلية ("شبكة دير الزور 24 المحلية")
LOCAL_NETWORK_END = pattern("local_network_end", r"[^،,.]{0,30}?المحلي[هة]?", " الخابور المحلية")

# -- actors: who attacked (actor1), who was attacked (actor2); words before a mention are matched at
# their end ($), words after it at their start (^)
_ONE_TOKEN = r"[^\s]+"
_ATTACK_NOUN = in_order("attack_nouns")
# ("فجر اليوم", "فجر الاثنين" is dawn, not "detonated")
_ATTACK_VERB = (r"(?!فجر\s+(?:اليوم|امس|يوم|الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت)(?!\w))"
                + in_order("attack_verbs"))
_FORCE = in_order("force_nouns")
_TARGET = in_order("target_nouns")
_SUPPORT = in_order("support_words")
_PARTY_MEMBER = r"(?:" + in_order("party_members")[3:-1] + r"|\d+)"  # a member noun, or a figure
# the doer of an attack (a whole word: "اعده" is no verb inside "قاعده"): "هجوم شنه X", "من قبل X", "على يد X", "يعتقد انهم من X", "تنتمي الى X", "قيام X بقتل",
# "برصاص X", "مدفعية X"
AGENT_BEFORE = pattern(
    "agent_before",
    rf"(?<!\w)[وف]?(?:{in_order('agent_verbs')[:-1]}|"
    rf"(?:تقوم|يقوم|قامت|قام)\s+(?:به|بها))"
    rf"(?:\s+{_ONE_TOKEN}){{0,3}}|من قبل(?:\s+{_ONE_TOKEN}){{0,2}}|على يد(?:ي)?(?:\s+{_ONE_TOKEN}){{0,2}}|"
    rf"(?:يعتقد|يرجح|يشتبه)\s+(?:انها|انهم|انه|ان)(?:\s+{_ONE_TOKEN}){{0,2}}|"
    rf"(?:تنتمي|ينتمي|ينتمون|تتبع|يتبعون)\s+(?:الى|ل)|بتوقيع|بصمات|"
    # "قيام تنظيم داعش بقتل ...", "اقدام مسلحين على ...": the doer of a verbal noun; "أقدمت X على تنفيذ": of the verb
    rf"(?<!\w)(?:قيام|اقدام|تمكن)|(?<!\w)[وف]?(?:اقدمت|اقدم|اقدموا)(?=\s*\"?\s*$)|"
    # by the fire of: "برصاص جنود الاحتلال", "بنيران الجيش", "بغارة للتحالف"
    rf"(?<!\w){in_order('fire_of')}(?:\s+(?:ل|من))?\s*\"?\s*$|"
    # the weapon or arm of an actor: "مدفعية قوات النظام", "طائرات التحالف", "قناصة الجيش"
    rf"(?<!\w)(?:[وب]?ال)?{in_order('weapon_arms')}(?:\s+(?:حربيه|مسيره|حربي))?)\s*\"?\s*$",
    "هجوم شنه عناصر",
)
# an attack noun, at most two qualifying words (not a target: "الهجوم على حافلة لـ"; not a relative clause: "الهجوم
# الذي استهدف X" has X as its object; not a purpose: "هجوما لطرد مقاتلي X" has X as its object), then ل + the actor
_QUALIFIER = rf"(?:\s+(?!(?:علي|ضد|في|من|الي|قرب|داخل|بين|الذي|التي|الذين)(?!\w))(?!(?:ال)?{_TARGET}(?!\w))(?!ل\S{{3}})\S+)"
AGENT_NOUN_BEFORE = pattern(
    "agent_noun_before",
    rf"{_ATTACK_NOUN}{_QUALIFIER}{{0,2}}?\s+ل?(?:{_FORCE}\s+)?\"?$|{_ATTACK_NOUN}\s+{_FORCE}\s+\"?$",
    "بهجوم ارهابي ل",
)
# a verb of attack before its subject (VSO), the conjunction glued to it or not: "هاجمت خلايا التنظيم", "وشنت",
# "شنت فصائل من المعارضة"
VERB_BEFORE_SUBJECT = pattern(
    "verb_before_subject", rf"(?<!\w)[وف]?{_ATTACK_VERB}\s*(?:\s+{_FORCE}(?:\s+من)?)?\s+\"?$", "وهاجمت خلايا ")
# a verb whose passive is written the same ("قُتل جنديان بغارة إسرائيلية"): after it, a party is its subject only when
# no attacker is named after it in the clause
PASSIVE_READABLE = pattern("passive_readable", r"^[وف]?(?:قتل|قتلت|خطف|خطفت|اختطف|اختطفت|اعدم|اعدمت)\s", "وقتل ")
# a relative pronoun before the verb is its subject ("الهجوم الذي استهدف القوات الاميركية"): the actor after the
# verb is its object
RELATIVE_BEFORE = pattern("relative_before", r"(?<!\w)(?:الذي|التي|الذين|اللذين|اللتين|اللذان|اللتان)\s+$", "الهجوم الذي ")
# the subject before its verb (SVO): "التنظيم شن هجوما", "X، المدعومة من Y، هاجمت"
SUBJECT_BEFORE_VERB = pattern(
    "subject_before_verb",
    rf"^\"?\s*(?:،?\s*{_SUPPORT}[^،.]{{0,70}}،\s*)?"
    rf"(?:ال\S+\s+(?:في|ب|علي|قرب)\s+(?:\S+\s+){{0,4}}?)?(?:(?!(?:جراء|بسبب|اثر|نتيجه|بعد|عقب)(?!\w))\S+\s+){{0,3}}?"
    rf"\"?{_ATTACK_VERB}(?!\w)",
    " شن هجوما",
)
# a claim of responsibility: "أعلنت X (في بيان) استهداف ...", "تبنت X الهجوم", "أعلنت X أنها استهدفت", "X تتبنى"
CLAIMED_BEFORE = pattern("claimed_before", r"(?<!\w)[وف]?" + in_order("claim_verbs") + r"\s+\"?$", "وأعلنت ")
CLAIMED_AFTER = pattern(
    "claimed_after",
    r"^\"?\s*(?:،[^،.]{0,30}،\s*)?(?:(?:انها|انه|انهم|عن)\s+)?(?:مسووليت\w*|مسؤوليت\w*|تبني\w*|استهداف\w*|"
    rf"{_ATTACK_VERB}|{_ATTACK_NOUN})(?!\w)",
    " استهداف")
# the claim after its subject: "المقاومة الإسلامية في العراق، تعلن في بيان استهداف ...", "وكانت X قد أعلنت أنها استهدفت"
CLAIMS_AFTER = pattern(
    "claims_after",
    r"^\"?\s*،?\s*(?:قد\s+)?" + in_order("claim_verbs") + r"(?:\s+في\s+بيان\S*)?\s*،?\s*(?:(?:انها|انه|انهم|عن)\s+)?"
    rf"(?:مسؤوليت\w*|تبني\w*|استهداف\w*|{_ATTACK_VERB}|{_ATTACK_NOUN})(?!\w)",
    "، تعلن في بيان استهداف")
# a party that says it made the attack itself: its verb, then the attack with its own pronoun, a day at most
# between ("وكانت المقاومة قد أكدت الأربعاء، استهدافها ثلاث قواعد"): the party is the attacker
OWN_ATTACK_AFTER = pattern(
    "own_attack_after",
    r"^\"?\s*(?:قد\s+)?[^\s،.]+(?:\s+(?:يوم\s+)?(?:ال)?(?:" + WEEKDAY_BARE + r"|امس|يوم))?\s*،?\s*"
    r"استهداف(?:ها|ه|هم|هما)(?!\w)",
    " قد أكدت الأربعاء، استهدافها")
_ACCUSATION, _SUFFERING = in_order("accusation_verbs"), in_order("victim_verbs")
ACCUSED = pattern("accused", rf"(?<!\w)[وف]?{_ACCUSATION}\s+(?:\S+\s+){{1,4}}\"?$", "اتهمت روسيا وسوريا ")
"""The accused, after the accusers: "اتهمت روسيا وسوريا إسرائيل (بشن الغارة)" names the attacker as they see it."""
# a date right after an accusation and its parties ("اتهمت دمشق إسرائيل في التاسع من نيسان بشن غارة"): the day of
# the accused strike when the clause gives it no day of its own (accusations follow strikes within hours)
ACCUSATION_DATED = pattern("accusation_dated", rf"(?<!\w)[وف]?{_ACCUSATION}(?:\s+\S+){{0,4}}?\s+(?:في\s+|يوم\s+)?$",
                           "اتهمت دمشق إسرائيل في ")
# the accused right after the verb, the accuser before it: "دمشق اتهمت إسرائيل بشن غارة" ("... بالمسؤولية عن")
ACCUSED_NEXT = pattern("accused_next", rf"(?<!\w)[وف]?{_ACCUSATION}\s+\"?$", "وكانت دمشق قد اتهمت ")
# (what it is accused of may follow a date or a place: "اتهمت إسرائيل في التاسع من الشهر بشن")
ACCUSED_OF = pattern("accused_of", r"^\"?(?:\s+(?:في|يوم|امس|مساء|صباح|فجر|ليل|ليله|منذ|خلال|مطلع|اواخر)(?:\s+[^\s.،]+){0,4}?)?"
                     r"\s*،?\s*ب" + in_order("accusation_objects") + r"(?!\w)",
                     " في التاسع من الشهر بشن")
SUPPORTED_BY = pattern("supported_by", rf"{_SUPPORT}\s+(?:من\s+)?(?:\S+\s+){{0,2}}?(?:ب|من)?\"?$|"
                       rf"{_SUPPORT}\s+\S*\s*(?:\S+\s+)?(?:و\S*\s+)?\"?$", "بدعم من ")
"""On the side of the actor before: "مدعومة بـ X", "بدعم من X"."""
# the verb of suffering before its subject ("تعرضت القوات الأميركية في قاعدة … للاستهداف", "أفاد بتعرض
# القوات …"): the party is the one hit
SUFFERED_BEFORE = pattern("suffered_before", r"(?<!\w)[وفب]?(?:تعرض|تعرضت|تعرضوا|تتعرض|يتعرض)\s+\"?$", "بتعرض ")
VICTIM_AFTER = pattern("victim_after", rf"^\"?\s*(?:\S+\s+){{0,4}}?{_SUFFERING}(?!\w)", " تعرضت لهجوم")
"""The victim, after it: "X تعرضت لهجوم", "عناصر X قتلوا"."""
# the victim, before it: members of a party ("عنصران من"), "صفوف", a target noun + ل ("مواقع لقوات"), "على/ضد"
# after an attack, the other side of a fight ("اشتباكات مع")
VICTIM_BEFORE = pattern(
    "victim_before",
    rf"(?:(?:{_PARTY_MEMBER}|صفوف|ضد|بين)(?:\s+{_ONE_TOKEN}){{0,2}}?\s+{in_order('belonging_words')}|"
    # "40 قتيلا من عناصر قوات النظام": the casualties' unit noun between the figure and the party
    rf"{_PARTY_MEMBER}(?:\s+{_ONE_TOKEN}){{0,2}}?\s+(?:من|في صفوف)\s+{in_order('member_nouns')}|"
    rf"{in_order('harm_nouns')}\s+(?:{_ONE_TOKEN}\s+){{0,2}}?{_PARTY_MEMBER}\s+|صفوف\s+|"
    rf"(?<!\w){in_order('harm_before_party')}\s+|"
    rf"(?:قتلي|جرحي|ضحايا)(?:\s+و\S+)?\s+(?:من|في صفوف)\s+(?:{_PARTY_MEMBER}\s+)?|"
    # the other side of a fight: "اشتباكات عنيفة مع قوات النظام"
    rf"{in_order('clash_words')}(?:\s+{_ONE_TOKEN})?\s+مع\s+|"
    rf"{_TARGET}(?:\s+{_ONE_TOKEN}){{0,3}}?\s+(?:ل|تابعه ل|تابع ل|التابعه ل|التابع ل|لعناصر|لقوات)?|"
    rf"(?:{_ATTACK_NOUN}|{_ATTACK_VERB})(?:\s+{_ONE_TOKEN}){{0,2}}?\s+(?:علي|ضد)(?:\s+{_TARGET})?|"
    rf"(?:{_ATTACK_VERB})\s+{_TARGET}\s+|صفوف|ضد|قتلي|جرحي|خسائر)\s*\"?\s*$",
    "مقتل عنصرين من ",
)
# a fight between two sides ("اشتباكات اندلعت، الثلاثاء، بين مسلحي داعش وقوات سوريا الديمقراطية"): the first named
# is actor1, the one after و actor2; not a fight named as what accompanied the incident ("بالتزامن مع مواجهات بين")
_CLASH_HEAD = rf"(?<!مع )(?<!\w){in_order('clash_words')}(?:\s+{_ONE_TOKEN}){{0,4}}?\s+بين"
CLASH_BETWEEN_FIRST = pattern(
    "clash_between_first", rf"{_CLASH_HEAD}(?:\s+{_ONE_TOKEN}){{0,2}}?\s+\"?$", "اشتباكات عنيفة بين مسلحي ")
CLASH_BETWEEN_SECOND = pattern(
    "clash_between_second", rf"{_CLASH_HEAD}\s+[^،.]{{3,60}}?\s+و\s*(?:{_ONE_TOKEN}\s+){{0,2}}?\"?$",
    "اشتباكات عنيفة بين مسلحي التنظيم و ")
# a military noun qualified by a nationality: "جندي بريطاني", "الطائرات الروسية", "غارات اسرائيلية", also after
# the adjective of its means: "قصف صاروخي اسرائيلي", "غارات جوية روسية", or a hedge ("طائرات حربية يرجح أنها روسية")
NATIONAL_FORCE = pattern(
    "national_force",
    r"(?<!\w)[وفبل]?(?P<n>" + in_order("military_nouns")[3:-1] + r")(?:\s+"
    + in_order("means_adjectives") + r")?(?:\s+" + in_order("hedges") + r")?\s+(?P<adj>(?:ال)?\w+)(?!\w)",
    "غارات جوية روسية",
)
# a target qualified by a nationality, after its name or its kind: "قاعدة التنف الأميركية", "القاعدة الأميركية في
# حقل العمر", "مواقع عسكرية إيرانية", "قاعدة حميميم الجوية الروسية", "قاعدتا خراب الجير والمالكية الأميركيتين":
# the state that owns it is the one hit
TARGET_OF_STATE = pattern(
    "target_of_state",
    r"(?<!\w)[وفبل]?(?:ال)?" + words("military_targets") + r"(?!\w)(?P<rest>"
    r"(?:\s+(?!(?:في|علي|قرب|من|الي|نحو|باتجاه|داخل|عند|بين|ب)(?!\w)|لل)[^\s،.]+){1,4})",
    "قاعده التنف الاميركيه")
# a source qualified by "military" and a nationality ("مصدر عسكري سوري"): no forces named
SOURCE_BEFORE = pattern("source_before", r"(?<!\w)[وفبل]?(?:ال)?" + words("source_nouns") + r"\s+$", "مصدر ")
# a second nationality coordinated with the first ("سلاحا الجو الاردني والعراقي", "القوات الروسية والسورية")
NATIONAL_COORDINATED = pattern("national_coordinated", r"\s*،?\s*و(?P<adj>(?:ال)?\w+)(?!\w)", " والعراقي")
# the military noun names a weapon or a strike, not men: the nationality is the attacker's
INSTRUMENT = pattern("instrument", r"(?:ال)?" + in_order("instrument_nouns") + "$", "الغارات")
# a state named without its forces is an attacker as the subject of a strike verb (strike_verbs.txt)
_STRIKE_VERB = in_order("strike_verbs")
STRIKE_VERB_BEFORE = pattern("strike_verb_before", rf"(?<!\w)[وف]?{_STRIKE_VERB}\s+(?:قد\s+)?\"?$", "وشنت ")
STRIKE_VERB_AFTER = pattern(
    "strike_verb_after",
    rf"\"?\s+(?:(?:و|مع\s+)(?:حلفاوها|حلفاوه|حلفايها|حلفاءها|شركاوها)\s+)?(?:قد\s+)?{_STRIKE_VERB}(?!\w)",
    " وحلفاؤها يقصفون",
)
COORDINATED = pattern("coordinated", r"\s*،?\s*و?\s*$", " و")  # "X وY": joined by and
# a complementiser or connective that may open a clause before its verb (clause_openers.txt)
OPENER = pattern("opener", r"(?<!\w)" + in_order("clause_openers") + "$", "قالت ان")
CLAUSE_PUNCTUATION = ("،", ",", ".", ":", "؛", '"')  # what may close the clause before a verb
# who holds a place (control_phrases.txt) is no party to what happens there: "مناطق سيطرة الفصائل"
CONTROLLED_BY = pattern(
    "controlled_by", r"(?<!\w)" + in_order("control_phrases") + r"\s*(?:ل|ال|من)?\s*\"?$", "الخاضعة لسيطرة ")
# the area held is the one struck: "غارات على مناطق تسيطر عليها X", "قصف على مناطق سيطرة X" (not "باتجاه مناطق سيطرة")
STRUCK_AREA = pattern("struck_area", r"(?<!\w)(?:علي|ضد)\s+(?:\S+\s+)?$", "غارات علي مناطق ")
# "التنظيم" alone: the organisation the document names elsewhere (not "تنظيم الدولة")
ORG_ANAPHOR = pattern(
    "org_anaphor",
    r'(?<!\w)(?:[وفبك]|ل\s?)?"?(?P<c>التنظيم|ل(?=لتنظيم)|تنظيم)(?:لتنظيم)?(?!\w)(?!\s*"?\s*(?:الدوله|داعش|القاعده))',
    "عناصر التنظيم",
)
# the victim implied, not named (used only when the clause names none): people counted with no party
# ("مقتل 5 اشخاص", "سقوط شهداء"), unless a military word or a party follows them
IMPLIED_CIVILIANS = pattern(
    "implied_civilians",
    r"(?<!\w)[وفبل]?" + words("implied_civilians") + r"(?!\w)(?!\s+(?:عسكري\w*|من|في صفوف|تابعين|ينتمون)(?!\w))",
    "مقتل 5 اشخاص")
# a strike or an attack named in the clause by its noun: implied victims count only then
ATTACK_WORD = pattern(
    "attack_word",
    r"(?<!\w)[وفبل]?(?:ال)?" + words("strike_nouns") + r"(?!\w)",
    "بالغارات")
# an airport struck: "استهدفت صواريخ مطار X" (ARMY_SITE_STRUCK, after a verb of attack), "غارات على مطاري X وY"
# (ARMY_SITE_ATTACKED, after a noun of attack: only with an attacker named, "هجوما على مطار X ممكن" reports no strike)
_ARMY_SITE = rf"(?:\s+{_ONE_TOKEN}){{0,4}}?\s+(?:علي\s+|ضد\s+)?[وفبل]?" + words("army_sites") + r"(?!\w)"
ARMY_SITE_STRUCK = pattern("army_site_struck", rf"(?<!\w)[وف]?{_ATTACK_VERB}{_ARMY_SITE}", "استهدفت صواريخ مطار")
ARMY_SITE_ATTACKED = pattern("army_site_attacked", rf"(?<!\w)[وفبل]?(?:ال)?{_ATTACK_NOUN}{_ARMY_SITE}", "غارات على مطار")
# "المقاومة" alone: the resistance group the document names in full ("المقاومة الإسلامية في العراق"), not a
# qualified one ("المقاومة الفلسطينية") or a word of a name
RESISTANCE = norm("المقاومة")
RESISTANCE_ANAPHOR = pattern(
    "resistance_anaphor",
    r'(?<!\w)[وفبلك]?"?(?P<c>المقاومه)(?!\w)(?!\s*"?\s*(?:ال\w+ه|في|ضد)(?!\w))',
    "استهدفت المقاومه، الثلاثاء،")
PROCLITIC_PREPOSITIONS = frozenset("بلك")  # a state after one of these ("مرتبطة بإيران") is no subject
GLUED_PREPOSITIONS = "لب"  # a proclitic glued to the name: "تابعة لتنظيم" reads "تابعة" before it


# === places and geocoding (pipeline/annotate/places.py, pipeline/geocode.py, gazetteer.py) ==

# -- places (pipeline/annotate/places.py): what a place expression is made of
_DIRECTION_ADJ = r"(?:ال)?(?:شرقي|غربي|شمالي|جنوبي)(?:ه)?"
# a direction after a name: "ريف حلب الشرقي", "بادية حمص الشرقية الجنوبية"
DIRECTION_AFTER = pattern("direction_after", rf"\s*{_DIRECTION_ADJ}(?:\s+{_DIRECTION_ADJ})?(?!\w)", " الشرقي")
# an adjective that belongs to a name ("حقل التيم النفطي"): words/place_adjectives.txt
PLACE_ADJECTIVE = pattern("place_adjective", r"^(?:ال)?" + in_order("place_adjectives") + "$", "النفطي")
# the relation in front of a place: قرب، محيط، اطراف، جنوب/شمال/شرق/غرب(ي)، جنوب شرق، على بعد ... كم من
PLACE_RELATION = pattern(
    "place_relation",
    in_order("place_relations")[:-1] + r"|(?:جنوب|شمال)\s+(?:شرق|غرب)(?:ي)?|"
    r"على بعد\s+\S+\s+(?:كم|كيلومترات|كيلومتر|كيلو)\s+من)\s*$",
    "على بعد 5 كم من ",
)
# a destination ("في طريقهم الى", "باتجاه"), or where people or fire came from ("من ابناء", "اطلقت من")
DESTINATION = pattern("destination", in_order("destination_words") + r"\s*$", "في طريقهم الى ")
# (two words at most between: "من اتجاه بعلبك في لبنان", where a strike came from)
ORIGIN = pattern("origin", in_order("origin_words") + r"\s*(?:\S+\s+){0,2}$", "من ابناء قرية ")
# "قبل ساعات قليلة على الاعتداء على مطار حلب", "بعد يومين على الغارة على": the place of another incident the clause
# is timed by, not its scene
_TIME_FRAME = (rf"(?<!\w)[وف]?(?:قبل|بعد)\s+(?:(?:[0-9]{{1,2}}|{date_trie(date_table('date_ago_counts.tsv'))})\s+)?"
               rf"{date_trie(date_table('date_ago_units.tsv'))}(?!\w)(?:\s+قليله)?(?:\s+فقط)?\s+علي\s+")
TIMED_BY_OTHER = pattern("timed_by_other", _TIME_FRAME + r"[^،.؛:]{0,45}$", "بعد ساعات فقط على آخر اعتداء على ")
# the whole frame, up to the punctuation that closes it: its parties are those of the other incident
TIME_FRAME = pattern("time_frame", _TIME_FRAME + r"[^،.؛:]{0,80}", "قبل ساعات قليلة على الغارة الإسرائيلية")
# the capital standing for the government: "اتهمت دمشق", "حكومة دمشق", "دمشق تنفي", "وكانت دمشق قد اتهمت"
CAPITAL_AS_GOVERNMENT = pattern(
    "capital_as_government",
    r"(?:" + in_order("capital_speaker_before") + r"\s+(?:ال)?دمشق(?!\w))|(?:دمشق\s+(?:قد\s+)?"
    + in_order("capital_speaker_after") + r")|(?:(?<!\w)" + words("capital_allegiance") + r"\s+لدمشق(?!\w))",
    "قالت دمشق",
)
# several places of one kind: "محافظتي الرقة ودير الزور", "ارياف"
PLACE_PLURAL = pattern("place_plural", r"(?<!\w)" + in_order("place_plurals") + r"(?!\w)", "في محافظتي")
PLACE_WORD = pattern("place_word", r'[^\s،,.:;؛!?؟()"\-]+', "الرصافة،")  # a word of a name: no punctuation
ROAD = norm("طريق")  # a descriptor that is no place after "عن": "عن طريق" is "by way of"
BY_WAY_OF = pattern("by_way_of", r"(?<!\w)عن\s*$", "عن ")
# a preposition with the article glued to a word: it starts a new phrase, not a name ("كفرنبل بالصواريخ")
CLITIC_ARTICLES = ("بال", "لل", "وال", "فال", "كال")
# what may stand between a descriptor and the governorate it qualifies: "ضواحي العاصمة دمشق", "بضاحية شرقي دمشق"
_CAPITAL_WORDS = r'(?:ال)?عاصمه\s+(?:(?:ال)?سوريه\s+)?'
CAPITAL_BEFORE = pattern("capital_before", rf'{_CAPITAL_WORDS}"?', "العاصمة السورية ")
SUBURB_OF = pattern("suburb_of", rf'(?:(?:شرق|غرب|جنوب|شمال)ي?\s+)?(?:{_CAPITAL_WORDS})?"?', "شرقي العاصمة ")
# the other end of a road: "طريق حمص - دير الزور"
ROAD_OTHER_END = pattern("road_other_end", r'\s*-\s*"?([^\s،,.]+(?:\s+[^\s،,.]+)?)', " - دير الزور")
# what joins two governorates named in a row: "الرقة ودير الزور", "حلب، وريف ادلب"
PLACES_JOINED = pattern("places_joined", r'[\s،,"]*و\s*(?:\S+\s+)?\S?', "، وريف ا")
# the outskirts of a place: before a governorate's name, of its city ("في محيط إدلب", "على أطراف دير الزور")
AROUND_CITY = pattern("around_city", r"(?<!\w)[وب]?(?:ال)?(?:محيط|اطراف)\s*$", "ومحيط ")
# a relation that keeps the scene at the place, on its edge or inside it ("أطراف مدينة"، "في محيط"، "داخل"), unlike
# one that puts it near or north of it ("قرب"، "شمال")
EDGE_OF_PLACE_RE = pattern("edge_of_place", r"(?<!\w)(?:محيط|اطراف|داخل)$", "على اطراف")
# the second name after a dual descriptor: "قريتي كفرنبل وحاس" (the و, then the name)
DUAL_SECOND = pattern("dual_second", r'\s*و\s*"?', " وحاس")
# "بين حمص وتدمر": the two places say where a site lies, they are not two sites struck
BETWEEN_RE = pattern("sites_between", r"(?<!\w)بين(?!\w)", "مطار التيفور بين حمص وتدمر")
# what joins two sites struck in one clause: a word opening on و ("، واستهداف قاعدة"، "والقرية"), or ثم (one
# after the other: "انفجارات في القاعدة A، ثم سماع دوي انفجارات في القاعدة B")
SITES_JOINED_RE = pattern("sites_joined", r'(?<![^\s،,"])(?:و|ثم(?!\w))', "، ثم سماع دوي انفجارات")

# names that contain a place name but name no place: an outlet after a word of its reporting ("مراسل الميادين",
# "مصادرالميادين" glued, "قناة الجزيرة"), its name with the preposition ل ("مصادر للميادين", "قال للجزيرة") or
# with "نت"; organisations and movements ("حرس الثورة", "حزب البعث"): words/outlet_*.txt, names_not_places.txt
_OUTLETS = words("outlet_names")
_OUTLETS_WITH_LAM = "(?:" + "|".join(
    re.escape("ل" + w[1:]) for w in sorted(set(word_list("outlet_names")), key=lambda w: (-len(w), w))
    if w.startswith("ال")) + ")"
# a day and its month ("25 تشرين الأول/أكتوبر"): a month named like a village ("تشرين") is no place
DAY_OF_MONTH = pattern("day_of_month", _DATE_LB + _DATE_NAMED, "25 تشرين الأول/أكتوبر")
NAME_NOT_PLACE = pattern(
    "name_not_place",
    r"(?<!\w)(?:[وف]?" + words("outlet_nouns") + r"\s*(?:" + _OUTLETS + "|" + _OUTLETS_WITH_LAM + ")|"
    + _OUTLETS_WITH_LAM + "|" + _OUTLETS + r"\s+نت|[وفبل]?" + words("names_not_places") + r")(?!\w)",
    "مراسل الميادين",
)
# a correspondent and the word before his base: "مراسلنا في حلب", "مراسل الميادين في دمشق"
REPORTER_BASE = pattern(
    "reporter_base",
    r"(?<!\w)[وف]?" + words("reporter_nouns") + r"(?:\s*(?:" + _OUTLETS + r"))?\s+في\s+",
    "مراسل الميادين في ",
)

# a word before a country or a foreign place that makes it the scene ("في السودان", "على بغداد", "قرب بيروت"):
# without one, a capital or a country stands for its government or its forces ("قالت موسكو", "قصفت تركيا")
SCENE_BEFORE = pattern("scene_before", r"(?:^|\s|\")[وف]?(?:في|على|قرب|داخل|وسط|محيط|اطراف|شمال|جنوب|شرق|غرب|شمالي|"
                       r"جنوبي|شرقي|غربي|مدينه|عاصمه|العاصمه)\s*\"?$", "في ")
SYRIA = "Syria"  # the country rasad is for: an incident placed elsewhere goes to the record's other_events

# governorates listed with commas only: "على درعا، حلب، إدلب" (the gap and the next name's first letter)
PLACES_LISTED = pattern("places_listed", r'\s*"?[،,]\s*"?\S', "، ح")
# several governorates said, however many are named: "في محافظات عدة", "في عدد من المحافظات", "مختلف المحافظات
# السورية" (a roundup of separate incidents)
SEVERAL_GOVERNORATES = pattern(
    "several_governorates",
    r"(?<!\w)(?:(?:عده|عدد\s+من|مختلف|بعض)\s+(?:ال)?محافظات|محافظات\s+(?:سوريه\s+)?(?:عده|مختلفه|متفرقه|اخري))(?!\w)",
    "في محافظات عدة",
)
# -- geocoding (pipeline/geocode.py)
# a locative word right before a bare name makes it a toponym ("في X", "قرب X", "بلدة X")
LOCATIVE_BEFORE = pattern("locative_before", r"(?:^|\s|\")و?" + in_order("locative_words") + r"\s*\"?$", "قرب ")
# a site adjective dropped from a name to look it up ("حقل التيم النفطي" -> "حقل التيم")
SITE_ADJECTIVE_END = pattern("site_adjective_end", r"\s+(?:ال)?" + in_order("site_adjectives") + "$", "حقل التيم النفطي")
CAPITAL = norm("دمشق")  # the capital, which may stand for the government
PROCLITIC_LETTERS = 'وفبلك"'  # what may stand glued before a gazetteer name: و ف ب ل ك and a quote
BI = "ب"  # the preposition "in, at" glued to a name ("بالميادين") makes it a toponym
# a place name that is also an adjective ("السلمية": peaceful), right after a definite noun: the adjective
# ("الاحتجاجات السلمية"); words/adjective_lookalikes.txt
ADJECTIVE_LOOKALIKES = frozenset(word_list("adjective_lookalikes"))
DEFINITE_NOUN_BEFORE = pattern("definite_noun_before", r"(?<!\w)[وفبلك]?ال\w{2,}\s+$", "الاحتجاجات ")
LIST_SEPARATOR = pattern("list_separator", r"[,،]", "حلب، حمص")  # between the governorates of a context
PLACE_AS_WRITTEN_EDGES = ' "،'  # stripped from the ends of a place's words as written (a quote, a comma)

# -- gazetteer.py
# the word "governorate" before or after a governorate's name, in English or Arabic, written with ة or ه
# (the escape keeps ة: the value is matched as written, not normalised)
GOVERNORATE_WORD = pattern("governorate_word", r"(governorate|province|muhafazat|محافظ(?:\u0629|ه))", "محافظة حلب", re.I)
GOVERNORATE = "محافظة"  # "محافظة حلب": a governorate's name as the gazetteer lists it


# === mentions, filters, figures, incidents, record (the stages after annotation) ==========

# --- mentions (pipeline/mentions.py): what a clause tells besides its verdict

# a clause that refers back to a moment told before: "وبعد ساعات من ..."
BACKREF_RE = pattern(
    "mention_backref", r"^\W*و?(?:بعد|قبل|عقب|في اعقاب|اثر)\s+(?:ساعات|ايام|يوم|اسبوع|مرور|ساعه|يومين)",
    "وبعد ساعات من الغارة")
# the strike told before, named again with the article: "وأسفرت الضربة عن مقتل 14", "قتلوا في الغارة"
ANAPHOR_RE = pattern(
    "mention_anaphor", r"(?<!\w)(?:و|ف|ب|في|جراء|اثر|خلال)?\s*(?:هذه|هذا|تلك|ذلك)?\s*"
    r"ال(?:ضربه|ضربات|غاره|غارات|هجوم|هجمه|قصف|تفجير|انفجار|اعتداء|عدوان|استهداف)(?!\w)",
    "وأسفرت الضربة عن مقتل 14")
# the pluperfect, كان ... قد + verb: what had happened before the news of the day (not after إذا / لو)
PLUPERFECT_RE = pattern(
    "mention_pluperfect", r"(?<!\w)(?<!إذا\s)(?<!لو\s)و?(?:كان|كانت|كانوا|كانا)\s+(?:\S+\s+){0,4}?قد\s+(?=\w)",
    "وكانت إسرائيل قد قصفت")  # not "ما إذا كان القصف قد تسبب" (whether it had), nor "لو كان"
# a clause naming what an attack answered: "ردا على هجوم كيماوي في دوما" is an earlier incident
MOTIVE_RE = pattern("mention_motive", r"\s*،?\s*(?:و)?(?:ردا على|انتقاما|ثارا)(?!\w)", "ردا على الضربات")
# an attacker named only as a suspicion: "يشتبه بأنه هجوم أميركي"
SUSPECT_BEFORE_RE = pattern(
    "mention_suspect_before",
    r"(?<!\w)(?:يشتبه|يرجح|مرجحه|مرجحا|يعتقد|تعتقد|نعتقد|للاعتقاد|الاعتقاد|يحتمل|ربما|يظن)\"?(?:\s+\S+){0,3}\s*\"?$",
    "هجوم يشتبه بأن")
# "هجوم آخر", "غارة مماثلة": never the incident just told
OTHER_AFTER_RE = pattern(
    "mention_other_after", r'^\s*"?(?:ال)?(?:اخر|اخري|مماثل|مماثله|منفصله|منفصل|متفرقه)(?!\w)', " آخر")

# --- filters (pipeline/filters.py): what keeps or drops a clause, or makes a sentence a statistic

# the verbs that deny (data/words/filter_denial_verbs.txt; each is a denial cue of data/cues.tsv too)
_DENY = rf"(?<!\w)[وف]?{words('filter_denial_verbs')}"
# "رفضت وزارة الدفاع، الأحد، ادعاءات بقصف أمريكي": a denial with the denier between verb and claim
DENIED_CLAIM_RE = pattern(
    "filter_denied_claim",
    rf"(?:{_DENY}|(?<!\w)[وف]?(?:رفض|رفضت))\s+(?:\S+\s+){{0,6}}?\"?(?:ال)?(?:ادعاءات|اتهامات|مزاعم|انباء)\s+(?:ب|عن|حول)",
    "رفضت وزارة الدفاع، الأحد، ادعاءات بقصف أمريكي")
# "نفت واشنطن قيامها بقصف المواقع": who did it is denied, not that it happened
DENIED_PARTY_RE = pattern(
    "filter_denied_party", rf"(?:{_DENY}|(?<!\w)[وف]?نفي)\s+(?:\S+\s+){{0,8}}?(?:اي\s+)?(?:ال)?(?:قيام|مسؤولي|تورط|علاق|ضلوع)\w*",
    "نفت واشنطن قيامها بقصف المواقع")
# a threat to answer an attack that happened ("توعد برد قوي على الهجوم الكيماوي، الذي وقع في مدينة دوما … وأسقط
# 60 قتيلا"): the attack it answers is told, with its toll
ANSWERS_WHAT_HAPPENED_RE = pattern(
    "filter_answers_what_happened",
    r"(?<!\w)ب?(?:رد|ردا|الرد)(?!\w)[^.،]{0,40}?(?<!\w)على\s[^.]{0,60}?(?:الذي|التي)\s+(?:وقع|وقعت)(?!\w)",
    "توعد الرئيس برد قوي على الهجوم الكيماوي، الذي وقع في مدينة دوما")
# "من دون أن يتمكن من تأكيد أو نفي استخدام الغازات": neither confirmed nor denied, no denial
CONFIRM_OR_DENY_RE = pattern(
    "filter_confirm_or_deny",
    r"(?<!\w)(?:ال)?(?:تأكيد|يؤكد|تؤكد|أكد)\s*\"?\s*(?:أو|ولا|ولم)\s+\"?(?:ال)?(?:نفي|ينفي|تنفي|ينف|تنف)(?!\w)",
    "من دون أن يتمكن من \"تأكيد أو نفي\" استخدام الغازات")
# "في اليوم الـ144 من العدوان": a running total of a war, not an incident
DAY_OF_WAR_RE = pattern("filter_day_of_war", r"(?:في|خلال)\s+اليوم\s+(?:ال)?\s*\d+", "في اليوم 144 من العدوان")
# a sentence going on with the tally before it: "كما قتل ...", "وقتلوا ..."
TALLY_GOES_ON_RE = pattern("filter_tally_goes_on", r"^\W*(?:و|ف)?(?:كما|كذلك|قتلوا|وقتلوا)", "كما قتل 5")
# an offensive that begins: "أطلقت القوات هجوما واسعا"
OFFENSIVE_RE = pattern(
    "filter_offensive",
    r"(?<!\w)(?:بدات|بدا|اطلقت|اطلق|بدؤوا|بداوا|باشرت|باشر)\s+(?:\S+\s+){0,5}?(?:ب)?(?:هجوما|هجوم|عمليه عسكريه|معركه)(?!\w)",
    "أطلقت القوات هجوما واسعا")
# "عدة هجمات منفصلة": a summary of incidents told one by one elsewhere
SEPARATE_RE = pattern(
    "filter_separate",
    r"(?:هجمات|هجمتين|اعتداءات|تفجيرات|غارات|عمليات|حوادث)\s+(?:\S+\s+)?(?:منفصله|متفرقه|متعدده)(?!\w)",
    "عدة هجمات منفصلة")
# the anniversary of an attack is history
ANNIVERSARY_RE = pattern(
    "filter_anniversary",
    r"(?<!\w)(?:مرور|ذكرى)\s+(?:\S+\s+)?(?:عام|عامين|سنه|سنتين|اعوام|سنوات|شهر|شهرين|اشهر|اسبوع)\s+على(?!\w)"
    r"|(?<!\w)(?:ال)?ذكرى\s+(?:السنويه|ال\s*\d+|الاولى|الثانيه|الثالثه|الرابعه|الخامسه|العاشره)(?!\w)",
    "بعد مرور عام على الضربة")
# "ضربة دبلوماسية", "ضربة جزاء": a figure of speech
FIGURATIVE_AFTER_RE = pattern(
    "filter_figurative_after",
    r"\s+(?:ال)?(?:دبلوماسيه|ديبلوماسيه|سياسيه|اقتصاديه|اعلاميه|قانونيه|ماليه|معنويه|جزاء|حره|راس|شمس|حظ|موجعه لل|قاصمه لل)(?!\w)",
    " دبلوماسية")
# "اصيب بجروح / برصاص" is violence; "اصيب بالسرطان / بفيروس / بخيبة" is not
WOUND_BY_RE = pattern("filter_wound_by", r"\s+(?:ال)?ب(?!ين|(?:ها|ه|هم|هما)(?!\w))\S", " بالسرطان")  # "بين الطرفين", "أصيب بها" name no cause
WOUND_VIOLENT_RE = pattern(
    "filter_wound_violent",
    r"\s+(?:ال)?(?:ب|بال)(?:جروح|جراح|جرح|رصاص|رصاصه|رصاصات|طلق|طلقات|شظايا|شظيه|حروق|كسور|اصابات|عيار|الرصاص)",
    " بجروح")
# a trigger negated in place: "لم يسفر عن قتلى"; "وقوع", "سقوط", "أي" stand between a negation and its noun
# without widening the distance ("لم يسفر عن وقوع أي ضحايا")
NEG_BEFORE_RE = pattern(
    "filter_negation_before",
    r"(?<!\w)(?:لم|لن|دون|بدون|ولم|ولن|من دون)\s+(?:\S+\s+){0,3}(?:(?:وقوع|سقوط|اي|ايه)\s+){0,2}$",
    "لم يسفر عن وقوع أي ")
# "قذائف الار بي جي": a weapon, not shelling
RPG_RE = pattern("filter_rpg", r"\s*(?:ال)?(?:ار بي جي|اربي جي)", " الآر بي جي")
# "قتل تسعة آخرون في مناطق أخرى": losses elsewhere
OTHER_PLACES_RE = pattern(
    "filter_other_places", r"(?<!\w)(?:ال)?(?:مناطق|اماكن|مدن|بلدات|قرى|احياء|انحاء|محافظات)\s+(?:اخرى|متفرقه)(?!\w)",
    "في مناطق أخرى")
# a front line struck is a military target: "استهدفت الغارات الجبهة الشمالية من ريف حلب"، "جبهات سهل الغاب"
FRONT_RE = pattern("filter_front", r"(?<!\w)(?:ال)?(?:جبهه|جبهات)(?!\w)", "الغارات استهدفت الجبهة الشمالية")
# air defence, which meets only what comes through the air: "تصدت الدفاعات الجوية لعدوان" is an air strike
AIR_DEFENCE_RE = pattern(
    "filter_air_defence",
    r"(?<!\w)[وف]?(?:ال)?(?:دفاعات|دفاع|مضادات)\s+(?:ال)?(?:جويه|جوي|ارضيه)(?!\w)|(?<!\w)(?:وسائط|منظومات|منظومه)\s+(?:ال)?دفاع\s+(?:ال)?جوي",
    "تصدت الدفاعات الجوية")
# military sites as the target: "قصف صاروخي على مواقع عسكرية"; the speaker's own ("استهدفوا مواقعنا")
MILITARY_TARGET_RE = pattern(
    "filter_military_target",
    r"(?<!\w)(?:ال)?(?:مواقع|موقع|مقرات|مقر|قواعد|قاعده|نقاط|نقطه|ثكنه|ثكنات|مستودعات|مستودع)\s+(?:ال)?(?:عسكريه|عسكري|للجيش|للنظام|لقوات)(?!\w)"
    r"|(?<!\w)[وبل]?(?:مواقع|مقرات|نقاط|قواعد|ثكنات|قوات|وحدات|جنود|عناصر|مقاتلي)نا(?!\w)",
    "قصف صاروخي على مواقع عسكرية")
# "مواقعنا", "قواتنا": the forces of the one who speaks ("قال الجيش إن مسلحين استهدفوا مواقعنا"): it is the target
OUR_FORCES = pattern("our_forces", r"(?<!\w)[وبل]?(?:مواقع|مقرات|نقاط|قواعد|ثكنات|قوات|وحدات|جنود|عناصر|مقاتلي)نا(?!\w)",
                     "استهدفوا مواقعنا")
# the speaker right after the verb of saying: "قال الجيش السوري", "وأعلنت قوات سوريا الديمقراطية"
SPEAKER_AFTER_VERB = pattern("speaker_after_verb", r"(?<!\w)[وف]?" + in_order("saying_verbs") + r"\s+\"?$", "وقالت ")
# a party the target belongs to, though its role is not told: "مستودعات تابعة للحرس الثوري"
BELONGS_BEFORE_RE = pattern(
    "filter_belongs_before", r"(?<!\w)(?:تابع|تابعه|التابع|التابعه|تابعين|التابعين|تابعا)\s+ل\s*\"?$", "مستودعات تابعة ل")
# a clause dated only by a year: "في عام 2012", "300 قبل الميلاد"
OLD_YEAR_RE = pattern(
    "filter_old_year", r"(?<!\w)(?:عام|العام|سنه|السنه|في)\s+(1[0-9]{3}|20[0-9]{2}|[0-9]{1,3})(?!\d)|(?<!\d)([0-9]{1,4})\s+قبل الميلاد",
    "في عام 2012")
# civilians as the target, though no actor names them: "استهدف منازل المدنيين"
CIVILIAN_TARGET_RE = pattern(
    "filter_civilian_target",
    r"(?<!\w)(?:مدنيين|المدنيين|مدنيون|اطفال|الاطفال|نساء|عمال|العمال|رعاه|الرعاه|مزارعين|المواطنين|مواطنين|سكان|الاهالي|اهالي)(?!\w)",
    "استهدف منازل المدنيين")


# --- figures (pipeline/figures.py): what each figure counts

# "بينهم 8 ضباط", "بينهم نساء وأطفال وأكثر من 5": a part of the figure before, not another figure
# ("المدعومة منها" is "backed by it": منها after a participle of backing is no "of them")
# "من ضمنهم", "ومن بينهم", "ومن بين الضحايا": among them too
_FIGURE_OF_THEM = (
    r"(?:(?:[وف]?(?:من\s+)?(?:بينهم|بينهن|بينها|بينهما|ضمنهم|ضمنهن|ضمنها))|[وف]?(?:منهم|منهن)"
    r"|(?<!مدعومه )(?<!مدعوم )(?<!مسنوده )(?<!مسنود )(?<!ممول )(?<!ممولة )[وف]?منها"
    r"|[وف]?(?:من\s+)?بين\s+(?:ال)?(?:ضحايا|قتلى|شهداء|جرحى|مصابين|المصابين))"
)
SUBSET_RE = pattern(
    "figure_subset",
    rf"(?<!\w){_FIGURE_OF_THEM}\s+(?:[^\s،,.؛]+\s+){{0,5}}[وف]?$|"
    rf"(?<!\w){_FIGURE_OF_THEM}\s*$",
    "قتل عشرة أشخاص بينهم")
# "رتل من 300 عنصر", "قوة قوامها 40 عنصرا", "حافلة تقل 20 جنديا": the size of a group (its noun is group 1)
UNIT_SIZE_RE = pattern(
    "figure_unit_size",
    r"(?<!\w)(?:[وبل]|لل)?(?:ال)?(" + words("figure_unit_nouns") + r")ا?(?:\s+[^\s،,.؛\d]+){0,3}?\s+"
    r"(?:(?:مؤلف|مكون|مؤلفه|مكونه)\s+من|قوامه|قوامها|تضم|يضم|تقل|يقل|تنقل|ينقل|تحمل|يحمل|من)\s*(?:نحو|حوالي|قرابة)?\s*$",
    "استهدفت الطائرة رتلا من ")
# "عدد القتلى", "حصيلة الجرحى": the noun of a count, not a figure
COUNT_NOUN_RE = pattern("figure_count_noun", r"(?:عدد|تعداد|حصيلة|حصيلتي|ارقام|أعداد)\s*\"?$", "ارتفاع عدد")
# "عشرات القتلى والجرحى", "70 قتيل وجريح", "25 قتيلا وجريحا": one figure for both (the singular after a figure
# of eleven or more)
KILLED_AND_WOUNDED_RE = pattern("figure_killed_and_wounded", r"^\s*و\s*(?:ال)?(?:جرحي|جريحا?|مصابين|مصابا?|اصابات)(?!\w)",
                                " والجرحى")
# "مقتل واصابة": two casualty words joined by و alone
JUST_AND_RE = pattern("figure_just_and", r"^\s*و\s*$", " و")
# "ارتفعت الحصيلة الى 15": a bare figure counted by the word far before it
RISEN_TO_RE = pattern("figure_risen_to", r"الي\s*$", "ارتفعت الحصيلة إلى ")
# "بين 40 و70 قتيلا": the two figures are the ends of a range, not two figures to add up
RANGE_BEFORE_RE = pattern("figure_range_before", r"(?<!\w)(?:ما\s+)?بين\s*$", "سقط ما بين ")
# between two coordinated figures: "و", or a short qualifier first ("قيادي في تنظيم داعش وعنصران")
COORD_GAP_RE = pattern(
    "figure_coordination_gap", r'\s*(?:(?:في|من|ب|ل)\S*(?:\s+"?\S+"?){0,2}\s*)?،?\s*(?:و|مقابل|في مقابل|بالاضافه الى)\s*', " و")
# the word after a casualty word: "مقتل جندي", "قتل خلالها مدني"
NEXT_PERSON_RE = pattern(
    "figure_next_person",
    r'\s+(?:(?:خلالها|خلاله|فيها|فيه|جراءها|جراءه|على اثرها|ايضا)\s+)?"?(?:ال)?(\w+)(?!\s*(?:من\s+)?\d)', " جندي")
# a singular joined by و to the one before: "مقتل رجل وطفلة" (the second person's noun is group 1)
NEXT_SINGULAR_RE = pattern("figure_next_singular", r"\s*و\s*(?:ال)?(\w+)(?!\w)", " وطفلة")
# "ان جنديا بريطانيا قتل": the noun before a passive verb
PREV_PERSON_RE = pattern("figure_prev_person", r'(?<!\w)(?:ان|بان)\s+"?(\w+)(?:\s+\w+)?\s*،?\s*$', "إن جنديا بريطانيا ")


@cache
def suffix_counts() -> dict[str, int]:
    """"مصرعه" 1, "مصرعهما" 2: how many the pronoun on مصرع / حتف counts (data/words/figure_suffix_counts.txt)."""
    return {norm(r[0]): int(r[1]) for r in read_rows("words/figure_suffix_counts.txt", 2)}


# --- record (pipeline/record.py)

# what is trimmed off the words of a place: spaces, quotes, the Arabic comma
PLACE_TRIM = ' "،'

# --- incidents (pipeline/incidents.py): one incident or two

# a sentence that opens on another incident: "كما", "وفي ريف ...", "في سياق منفصل", "الى ذلك"
NEW_INCIDENT_RE = pattern(
    "incident_new",
    r"\W*(?:كما|كذلك|وفي|في سياق منفصل|وفي سياق منفصل|من جهه اخرى|ومن جهه اخرى|الى ذلك|والى ذلك|في غضون ذلك|وفي غضون ذلك)(?!\w)",
    "وفي سياق منفصل")
# what was hit: shared target nouns tie two mentions to one incident
_TARGET_NOUNS = (r"قافله|حافله|رتل|دوريه|حاجز|كمين|مستودع|مخزن|سجن|مستشفى|مدرسه|سوق|مسجد|كنيسه|سياره|شاحنه|صهريج|مقر|"
                 r"ثكنه|معسكر|مطار|قاعده|جسر|عرس|جنازه|خيمه|مخيم")
TARGET_NOUN_RE = pattern(
    "incident_target_noun", rf"(?<!\w)(?:ال|ب|لل|ل)?({_TARGET_NOUNS})(?!\w)", "استهدفت الغارة قافلة")
# another target opens the next site struck in a clause: "، والقاعدة الأميركية في الشدادي"
NEXT_TARGET_RE = pattern("sites_next_target", rf"(?<!\w)[وف](?:ال|ب|لل|ل)?(?:{_TARGET_NOUNS})(?!\w)",
                         "، والقاعدة الأميركية في الشدادي")


# --- tallies (filters.py SENTENCE_RULES, record.statistic): counts of attacks, spans of days, "so far"

# "قصفت المدفعية المطار 4 مرات", "تعرضت القاعدة للهجوم 12 مرة": a count of attacks (the word before
# مرات is read as a number by the code: "عدة مرات", "اول مرة" count nothing)
TIMES_COUNT_RE = pattern(
    "filter_times_count", r"(?<![\w.])(\d+|[^\W\d]+)\s+(?:مرات|مره)(?!\w)", "تعرضت القاعدة للهجوم 12 مرة")
# "تعرضت القواعد لأكثر من 60 هجوما": ten attacks or more counted (a number of 11 and more takes the singular)
ATTACK_COUNT_RE = pattern(
    "filter_attack_count", r"(?<![\d.])[1-9]\d+\s+(?:هجوما|هجوم|اعتداء|اعتداءا|استهدافا)(?!\w)",
    "تعرضت القواعد لأكثر من 60 هجوما")
# "حتى يوم الخميس": the end of a period, not the day of an incident
UNTIL_BEFORE_RE = pattern("filter_until_before", r"(?<!\w)[وف]?(?:حتى|لغايه)\s+(?:\S+\s+)?$", "وحتى يوم ")
# "خلال 5 أيام", "على مدى يومين", "في الفترة ما بين 3 و9 آذار": counts over a span of days
SPAN_OF_DAYS_RE = pattern(
    "filter_span_of_days",
    r"(?<!\w)(?:خلال|طيله|طوال|على مدى|على مدار|في غضون)\s+(?:ال)?\s*(?:\d+|[^\W\d]+)\s+(?:ايام|يوما|اسابيع|اسبوعا|اشهر|شهرا|سنوات|اعوام|عاما)(?!\w)"
    r"|(?<!\w)(?:خلال|طيله|طوال|على مدى|على مدار|في غضون)\s+(?:ال)?(?:يومين|اسبوعين|شهرين|عامين|سنتين)(?!\w)"
    r"|(?<!\w)(?:ال)?فتره\s+(?:ما\s+)?(?:بين|من)\s+\d"
    rf"|(?<!\w)(?:يومي|يوما)\s+(?:ال)?{WEEKDAY_BARE}\s+و\s*(?:ال)?{WEEKDAY_BARE}(?!\w)",
    "قتل 20 مدنيا خلال 5 أيام من القصف")
# "الأكثر دموية منذ", "لأول مرة منذ": a comparison with the past, not a count since a moment
FIRST_SINCE_RE = pattern(
    "filter_first_since",
    r"(?<!\w)(?:ل?لأول\s+مرة|للمرة\s+الأولى|ال(?:أكثر\s+\S+|أعلى|أكبر|أعنف|أشد|أسوأ|أخطر|أدمى))\s+(?:\S+\s+){0,5}?منذ(?!\w)",
    "في حصيلة هي الأكثر دموية منذ بدء الهجوم")
# a cue that opens on "منذ"
SINCE_WORD_RE = pattern("filter_since_word", r"و?منذ(?!\w)", "منذ بداية العام")
# "قرى بمحافظة إدلب", "بلدات في ريف درعا": a place told in the plural, where a lead total may sum several sites
PLURAL_PLACE_RE = pattern(
    "incident_plural_place", r"(?:ال)?(?:قرى|بلدات|مدن|مناطق|أحياء|مواقع|نقاط|قريتي|بلدتي|مدينتي)(?!\w)", "قرى بمحافظة إدلب")
# "أكبر عدد من القتلى", "الأكثر دموية": a comparison with other incidents, not a report of one
SUPERLATIVE_TOLL_RE = pattern(
    "filter_superlative_toll",
    r"(?<!\w)(?:ال)?(?:أكبر|أعلى)\s+(?:عدد|حصيلة)(?!\w)|(?<!\w)(?:ال)?(?:أكثر|أشد)\s+دموية(?!\w)",
    "أكبر عدد من القتلى في هجوم واحد هذا العام")
# "استهدفت الغارات أيضاً مقار في مدينة أريحا": another site struck as well, another incident
ALSO_RE = pattern("incident_also", r"(?<!\w)أيضا(?!\w)", "استهدفت الغارات أيضا مقار في مدينة أريحا")
# "تعرضت خمسة مستشفيات و26 مدرسة للقصف": buildings counted (the code reads the number: five or more, no day)
_SITES_COUNTED = r"(?:مرفقا|مرافق|مستشفيات|مستشفى|مشافي|مدارس|مدرسة|منشأة|منشآت|مراكز|مركزا)(?!\w)"
SITES_COUNT_RE = pattern(
    "filter_sites_count", r"(?:(?<!\d)(\d+)\s*|(?<!\w)([^\W\d]+)\s+)" + _SITES_COUNTED,
    "تعرضت خمسة مستشفيات و26 مدرسة للقصف")
# the nouns alone, found fast: a sentence without one has no match of SITES_COUNT_RE (which opens on any word)
SITES_NOUN_RE = pattern("filter_sites_noun", _SITES_COUNTED, "خمسة مستشفيات")
# "ويأتي القصف مع إرسال تعزيزات": the attack just told, named as the frame of what follows
COMES_AS_RE = pattern(
    "filter_comes_as",
    r"\W*[وف]?(?:يأتي|تأتي|جاء|جاءت)\s+(?:(?:هذا|هذه|ذلك|تلك)\s+)?"
    r"ال(?:قصف|هجوم|هجمات|غارات|غارة|ضربة|ضربات|تفجير|استهداف|عدوان|تصعيد|اعتداء|اعتداءات)(?!\w)",
    "ويأتي القصف مع إرسال تعزيزات")

# === the store and the server (search text) ===============================================

# `?q=` finds a word without its proclitics (`rasad.database.store.bare_forms`): each pattern is one
# proclitic at the start of a normalised word, taken off only when three letters or more stay after it.
SEARCH_CONJUNCTION = pattern("search_conjunction", r"^[وف](?=\w{3})", "والرقة")
SEARCH_PREPOSITION = pattern("search_preposition", r"^[بلك](?=\w{3})", "بالرقة")
SEARCH_LAM_ARTICLE = pattern("search_lam_article", r"^لل(?=\w{3})", "للرقة")  # ل + ال, the article's alef unwritten
SEARCH_ARTICLE = pattern("search_article", r"^ال(?=\w{3})", "الرقة")
SEARCH_ARTICLE_WRITTEN = ARTICLE  # the article as written after SEARCH_LAM_ARTICLE's ل is taken off: "للرقة" → "الرقة"
