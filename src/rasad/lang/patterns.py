"""The one module where Arabic regular expressions are built, each named, with an example it matches.

The patterns themselves are data: `rasad/data/patterns.tsv` declares each one on a line (name, template,
example), and word lists stay in their own data files (`rasad/data/*.tsv`, `rasad/data/words/*.txt`, one
entry a line), so an analyst extends a list or a pattern without touching code. A template is a regular
expression in ordinary Arabic, compiled against normalised text (`rx`), in which `{FUNCTION:ARGUMENT}`
stands for a word list turned into an alternation or for a part declared before it: the functions are
`TEMPLATE_FUNCTIONS` below, and the header of patterns.tsv says what each one writes.

Every pattern is compiled once, when this module is imported, and registered in `REGISTRY` with its
example; `tests/test_patterns.py` checks that each one matches its example and that the data file holds
together. The rest of the package imports the compiled patterns from here by their names in capitals
(`from rasad.lang.patterns import DATE_THEN` is the pattern `date_then`): a test walks the package's
syntax tree and fails on an Arabic string constant anywhere else. Besides the patterns, this module keeps
the few Arabic constants (the article, suffixes, …) that code compares words with.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import chain
from typing import NamedTuple

from rasad.lang.lexicon import read_rows
from rasad.pipeline.normalise import norm, rx

PATTERN_FILE = "patterns.tsv"  # under rasad/data/ (or $RASAD_DATA)


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


# --- the template language of data/patterns.tsv ---------------------------------------------
# A list named in a template is a word list (`attack_verbs`: data/words/attack_verbs.txt) or a data file
# named with its ending (`months.tsv`: its first column).

def entries(name: str) -> tuple[str, ...]:
    """The entries of the list NAME, normalised, in file order."""
    return tuple(norm(r[0]) for r in read_rows(name)) if name.endswith(".tsv") else word_list(name)


def _alternatives(forms: Iterable[str], space: str) -> str:
    """The forms escaped and joined by |, a space in one matching `space`."""
    return "|".join(re.escape(w).replace("\\ ", space) for w in forms)


@cache
def words(name: str) -> str:
    """`{words:NAME}`: an alternation of the list's entries, longest first, escaped; a space in an entry
    matches any run of white space."""
    return "(?:" + _alternatives(sorted(set(entries(name)), key=lambda w: (-len(w), w)), r"\s+") + ")"


@cache
def alternatives(name: str) -> str:
    """`{alts:NAME}`: the list's entries in file order, escaped, joined by | with no group around them, for a
    template that adds alternatives of its own inside one group."""
    return _alternatives(entries(name), " ")


@cache
def in_order(name: str) -> str:
    """`{in_order:NAME}`: an alternation of the list's entries in file order, escaped: for lists where an
    earlier alternative must win over a longer later one (`{words:}` tries the longest first)."""
    return "(?:" + alternatives(name) + ")"


def _date_key(s: str) -> str:
    """A data-file phrase as the dates annotator keys it: normalised, words joined by one space."""
    return " ".join(norm(s).split())


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


@cache
def trie(names: str) -> str:
    """`{trie:NAME,NAME…}`: the entries of one list or several, as a trie of their letters (`date_trie`)."""
    return date_trie(chain.from_iterable(entries(n) for n in names.split(",")))


@cache
def without_article(name: str) -> str:
    """`{bare:NAME}`: an alternation of the list's entries with the article taken off, in sorted order
    (weekdays.tsv: "(?:ال)?{bare:weekdays.tsv}" allows the article or not)."""
    return "(?:" + _alternatives(sorted({_date_key(w).removeprefix(ARTICLE) for w in entries(name)}), " ") + ")"


@cache
def with_lam(name: str) -> str:
    """`{lam:NAME}`: an alternation of the list's entries that open with the article, with the preposition ل
    fused to it (الميادين: للميادين), longest first, escaped."""
    forms = sorted(set(entries(name)), key=lambda w: (-len(w), w))
    return "(?:" + _alternatives((LAM_ARTICLE + w[len(ARTICLE):] for w in forms if w.startswith(ARTICLE)), "\\ ") + ")"


# `{pat:NAME}` (a part or pattern declared on an earlier line) is resolved by `expand`
TEMPLATE_FUNCTIONS: dict[str, Callable[[str], str]] = {
    "words": words, "in_order": in_order, "alts": alternatives, "trie": trie, "bare": without_article, "lam": with_lam,
}
REFERENCE = re.compile(r"\{([a-z_]+):([^{}\s]+)\}")  # unlike a quantifier ({0,3}), a reference has a colon
_FLAGS = {"i": re.IGNORECASE}


class Declaration(NamedTuple):
    """A line of data/patterns.tsv: a pattern, or (without an example) a part that other templates use."""

    name: str
    template: str
    example: str | None
    flags: int


def _unquoted(cell: str) -> str:
    """An example as written in the data file: double quotes around it keep the spaces at its ends."""
    return cell[1:-1] if len(cell) > 1 and cell[0] == cell[-1] == '"' else cell


def declarations() -> Iterator[Declaration]:
    """The lines of data/patterns.tsv, in order."""
    for name, template, *rest in read_rows(PATTERN_FILE, 2):
        example = _unquoted(rest[0]) if rest and rest[0] else None
        flags = 0
        for letter in rest[1] if len(rest) > 1 else "":
            if letter not in _FLAGS:
                raise ValueError(f"{PATTERN_FILE}: pattern {name!r} has the unknown flag {letter!r} in its 4th column "
                                 f"(known: {', '.join(sorted(_FLAGS))})")
            flags |= _FLAGS[letter]
        yield Declaration(name, template, example, flags)


def expand(template: str, parts: Mapping[str, str]) -> str:
    """The template with each reference replaced: a list by what its function writes, `{pat:NAME}` by the
    expanded template of NAME from `parts`."""
    def replace(m: re.Match[str]) -> str:
        function, argument = m.groups()
        if function == "pat":
            if argument not in parts:
                raise ValueError(f"{m.group()}: no pattern or part of that name is declared before it")
            return parts[argument]
        if function not in TEMPLATE_FUNCTIONS:
            raise ValueError(f"{m.group()}: no template function {function!r}")
        return TEMPLATE_FUNCTIONS[function](argument)

    return REFERENCE.sub(replace, template)


def _load() -> None:
    """Every pattern of data/patterns.tsv, expanded, compiled and registered."""
    parts: dict[str, str] = {}
    for d in declarations():
        if d.name in parts:
            raise ValueError(f"{PATTERN_FILE}: {d.name!r} is declared twice")
        parts[d.name] = expand(d.template, parts)
        if d.example is not None:
            pattern(d.name, parts[d.name], d.example, d.flags)


# the names pipeline/incidents.py (and tests/test_incidents.py) imported before the patterns were data, kept while
# that module is changed on another branch: once it imports INCIDENT_ALSO, MENTION_ANAPHOR, … these go
def __getattr__(name: str) -> re.Pattern[str]:
    """A compiled pattern by its name in capitals: `DATE_THEN` is the pattern `date_then` of patterns.tsv."""
    found = REGISTRY.get(name.lower()) if name.isupper() else None
    if found is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return found.regex


# === what the code compares words with =====================================================

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
# nationality adjectives (data/nationalities.tsv): the forms derived from the masculine singular, in the
# order they are tried: accusative, feminine, sound plurals (سوري: سوريا، سوريه، سوريين، سوريون), duals
# (سوريان، سوريتان، سوريتين: "قاعدتا X وY الأميركيتان"), then after a final ي the doubled form (سورييا)
NISBA_SUFFIXES = ("ا", "ه", "ين", "ون", "ان", "تان", "تين")
NISBA_FINAL, NISBA_DOUBLED = "ي", "يا"
ACCUSATIVE = "ا"  # the accusative ending of a singular noun (person_nouns.tsv: عنصر, عنصرا)


# === numbers (pipeline/annotate/numbers.py) ===============================================

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


# === actors and claimants (pipeline/annotate/actors.py, claimants.py) =====================

CLAUSE_PUNCTUATION = ("،", ",", ".", ":", "؛", '"')  # what may close the clause before a verb
# "المقاومة" alone: the resistance group the document names in full ("المقاومة الإسلامية في العراق"), not a
# qualified one ("المقاومة الفلسطينية") or a word of a name
RESISTANCE = norm("المقاومة")
PROCLITIC_PREPOSITIONS = frozenset("بلك")  # a state after one of these ("مرتبطة بإيران") is no subject
GLUED_PREPOSITIONS = "لب"  # a proclitic glued to the name: "تابعة لتنظيم" reads "تابعة" before it


# === places and geocoding (pipeline/annotate/places.py, pipeline/geocode.py, gazetteer.py) ==

ROAD = norm("طريق")  # a descriptor that is no place after "عن": "عن طريق" is "by way of"
# a preposition with the article glued to a word: it starts a new phrase, not a name ("كفرنبل بالصواريخ")
CLITIC_ARTICLES = ("بال", "لل", "وال", "فال", "كال")


SYRIA = "Syria"  # the country rasad is for: an incident placed elsewhere goes to the record's other_events

CAPITAL = norm("دمشق")  # the capital, which may stand for the government
PROCLITIC_LETTERS = 'وفبلك"'  # what may stand glued before a gazetteer name: و ف ب ل ك and a quote
BI = "ب"  # the preposition "in, at" glued to a name ("بالميادين") makes it a toponym
# a place name that is also an adjective ("السلمية": peaceful), right after a definite noun: the adjective
# ("الاحتجاجات السلمية"); words/adjective_lookalikes.txt
ADJECTIVE_LOOKALIKES = frozenset(word_list("adjective_lookalikes"))
PLACE_AS_WRITTEN_EDGES = ' "،'  # stripped from the ends of a place's words as written (a quote, a comma)

GOVERNORATE = "محافظة"  # "محافظة حلب": a governorate's name as the gazetteer lists it


# === the stages after annotation ==========================================================

# --- figures (pipeline/figures.py)

@cache
def suffix_counts() -> dict[str, int]:
    """"مصرعه" 1, "مصرعهما" 2: how many the pronoun on مصرع / حتف counts (data/words/figure_suffix_counts.txt)."""
    return {norm(r[0]): int(r[1]) for r in read_rows("words/figure_suffix_counts.txt", 2)}


# --- record (pipeline/record.py)

# what is trimmed off the words of a place: spaces, quotes, the Arabic comma
PLACE_TRIM = ' "،'

# === the store and the server (search text) ===============================================

SEARCH_ARTICLE_WRITTEN = ARTICLE  # the article as written after SEARCH_LAM_ARTICLE's ل is taken off: "للرقة" → "الرقة"


_load()  # (last: the template functions read ARTICLE and LAM_ARTICLE)
