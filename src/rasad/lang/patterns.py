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
SENTENCE_END = pattern("sentence_end", r'(?<!\d)[.!?؟]+["\)]?(?=\s|$)|(?<=\d)\.(?=\s|$)', "هل قصف؟ نعم")
# a line that ends like a sentence is no subhead
SENTENCE_FINAL = pattern("sentence_final", r"[.!?؟]\W*$", "ما الذي جرى؟")
# a clause starts at a connector that opens another proposition (words/clause_connectors.txt), or at
# "واخرى في": another incident, elsewhere ("انفجارات قرب مطار وأخرى قرب دمشق"; not "هجوم آخر على")
CLAUSE_BREAK = pattern(
    "clause_break",
    r"(?:،\s*|\s)(?=(?:و)?(?:" + in_order("clause_connectors")
    + r"|(?<=\s)واخرى\s+(?:في|قرب|على|بالقرب|شمال|جنوب|شرق|غرب|داخل))\b)",
    "قتل رجل، فيما اصيب اخر",
)
# a photo credit closing a caption line: "(getty)", "(ا ف ب)", "(رويترز)", "(فلان/وكالة)"
PHOTO_CREDIT = pattern(
    "photo_credit", r"\((?:[^()]{0,40}/[^()]{0,40}|getty|afp|reuters|ا ف ب|رويترز|فرانس برس)[^()]*\)\s*$",
    "صورة الدمار (رويترز)", re.I,
)

# Arabic morphology the matchers share (lang/lexicon.py imports these when a matcher is built)
ARTICLE = "ال"  # the definite article
LAM = "ل"  # the preposition lam: "للدفاع" is ل + الدفاع with the article's alef dropped
LAM_ARTICLE = "لل"  # a clitic lam fused with the article's lam
CONJUNCTION = "و"
# the proclitics a name may carry: و/ف, then ب/ك/ل, then the article ("وبالدفاع", "للدفاع", "و ب")
PROCLITICS = pattern("proclitics", r"(?:[وف] ?)?(?:[بكل] ?)?(?:ال)?|[وف]?لل", "وبال")
# nationality adjectives (data/nationalities.tsv): the forms derived from the masculine singular, in the
# order they are tried: accusative, feminine, sound plurals (سوري: سوريا، سوريه، سوريين، سوريون), then
# after a final ي the doubled form (سورييا)
NISBA_SUFFIXES = ("ا", "ه", "ين", "ون")
NISBA_FINAL, NISBA_DOUBLED = "ي", "يا"
ACCUSATIVE = "ا"  # the accusative ending of a singular noun (person_nouns.tsv: عنصر, عنصرا)



# === numbers (pipeline/annotate/numbers.py) ===============================================


# === dates (pipeline/annotate/dates.py) ===================================================


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


# === places and geocoding (pipeline/annotate/places.py, pipeline/geocode.py, gazetteer.py) ==


# === mentions, filters, figures, incidents, record (the stages after annotation) ==========


# === the store and the server (search text) ===============================================
