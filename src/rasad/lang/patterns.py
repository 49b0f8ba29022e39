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

# -- actors: who attacked (actor1), who was attacked (actor2); words before a mention are matched at
# their end ($), words after it at their start (^)
_ONE_TOKEN = r"[^\s]+"
_ATTACK_NOUN = in_order("attack_nouns")
_ATTACK_VERB = in_order("attack_verbs")
_FORCE = in_order("force_nouns")
_TARGET = in_order("target_nouns")
_SUPPORT = in_order("support_words")
_PARTY_MEMBER = r"(?:" + in_order("party_members")[3:-1] + r"|\d+)"  # a member noun, or a figure
# the doer of an attack: "هجوم شنه X", "من قبل X", "على يد X", "يعتقد انهم من X", "تنتمي الى X", "قيام X بقتل",
# "برصاص X", "مدفعية X"
AGENT_BEFORE = pattern(
    "agent_before",
    rf"(?:{in_order('agent_verbs')[:-1]}|"
    rf"(?:تقوم|يقوم|قامت|قام)\s+(?:به|بها))"
    rf"(?:\s+{_ONE_TOKEN}){{0,3}}|من قبل(?:\s+{_ONE_TOKEN}){{0,2}}|على يد(?:ي)?(?:\s+{_ONE_TOKEN}){{0,2}}|"
    rf"(?:يعتقد|يرجح|يشتبه)\s+(?:انها|انهم|انه|ان)(?:\s+{_ONE_TOKEN}){{0,2}}|"
    rf"(?:تنتمي|ينتمي|ينتمون|تتبع|يتبعون)\s+(?:الى|ل)|بتوقيع|بصمات|"
    # "قيام تنظيم داعش بقتل ...", "اقدام مسلحين على ...": the doer of a verbal noun
    rf"(?<!\w)(?:قيام|اقدام|تمكن)|"
    # by the fire of: "برصاص جنود الاحتلال", "بنيران الجيش", "بغارة للتحالف"
    rf"(?<!\w){in_order('fire_of')}(?:\s+(?:ل|من))?\s*\"?\s*$|"
    # the weapon or arm of an actor: "مدفعية قوات النظام", "طائرات التحالف", "قناصة الجيش"
    rf"(?<!\w)(?:[وب]?ال)?{in_order('weapon_arms')}(?:\s+(?:حربيه|مسيره|حربي))?)\s*\"?\s*$",
    "هجوم شنه عناصر",
)
# an attack noun, at most two qualifying words (not a target: "الهجوم على حافلة لـ"), then ل + the actor
_QUALIFIER = rf"(?:\s+(?!(?:علي|ضد|في|من|الي|قرب|داخل|بين)(?!\w))(?!(?:ال)?{_TARGET}(?!\w))\S+)"
AGENT_NOUN_BEFORE = pattern(
    "agent_noun_before",
    rf"{_ATTACK_NOUN}{_QUALIFIER}{{0,2}}?\s+ل?(?:{_FORCE}\s+)?\"?$|{_ATTACK_NOUN}\s+{_FORCE}\s+\"?$",
    "بهجوم ارهابي ل",
)
# a verb of attack before its subject (VSO): "هاجمت خلايا التنظيم"
VERB_BEFORE_SUBJECT = pattern(
    "verb_before_subject", rf"(?<!\w){_ATTACK_VERB}\s*(?:\s+{_FORCE})?\s+\"?$", "هاجمت خلايا ")
# the subject before its verb (SVO): "التنظيم شن هجوما", "X، المدعومة من Y، هاجمت"
SUBJECT_BEFORE_VERB = pattern(
    "subject_before_verb",
    rf"^\"?\s*(?:،?\s*{_SUPPORT}[^،.]{{0,70}}،\s*)?"
    rf"(?:ال\S+\s+(?:في|ب|علي|قرب)\s+(?:\S+\s+){{0,4}}?)?(?:(?!(?:جراء|بسبب|اثر|نتيجه|بعد|عقب)(?!\w))\S+\s+){{0,3}}?"
    rf"\"?{_ATTACK_VERB}(?!\w)",
    " شن هجوما",
)
_ACCUSATION, _SUFFERING = in_order("accusation_verbs"), in_order("victim_verbs")
ACCUSED = pattern("accused", rf"(?<!\w)[وف]?{_ACCUSATION}\s+(?:\S+\s+){{1,4}}\"?$", "اتهمت روسيا وسوريا ")
"""The accused, after the accusers: "اتهمت روسيا وسوريا إسرائيل (بشن الغارة)" names the attacker as they see it."""
SUPPORTED_BY = pattern("supported_by", rf"{_SUPPORT}\s+(?:من\s+)?(?:\S+\s+){{0,2}}?(?:ب|من)?\"?$|"
                       rf"{_SUPPORT}\s+\S*\s*(?:\S+\s+)?(?:و\S*\s+)?\"?$", "بدعم من ")
"""On the side of the actor before: "مدعومة بـ X", "بدعم من X"."""
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
# a military noun qualified by a nationality: "جندي بريطاني", "الطائرات الروسية", "غارات اسرائيلية", also after
# the adjective of its means: "قصف صاروخي اسرائيلي", "غارات جوية روسية"
NATIONAL_FORCE = pattern(
    "national_force",
    r"(?<!\w)[وفبل]?(?P<n>" + in_order("military_nouns")[3:-1] + r")(?:\s+"
    + in_order("means_adjectives") + r")?\s+(?P<adj>(?:ال)?\w+)(?!\w)",
    "غارات جوية روسية",
)
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
# "التنظيم" alone: the organisation the document names elsewhere (not "تنظيم الدولة")
ORG_ANAPHOR = pattern(
    "org_anaphor",
    r'(?<!\w)(?:[وفبك]|ل\s?)?"?(?P<c>التنظيم|ل(?=لتنظيم)|تنظيم)(?:لتنظيم)?(?!\w)(?!\s*"?\s*(?:الدوله|داعش|القاعده))',
    "عناصر التنظيم",
)
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
ORIGIN = pattern("origin", in_order("origin_words") + r"\s*(?:\S+\s+)?$", "من ابناء قرية ")
# the capital standing for the government: "اتهمت دمشق", "حكومة دمشق", "دمشق تنفي"
CAPITAL_AS_GOVERNMENT = pattern(
    "capital_as_government",
    r"(?:" + in_order("capital_speaker_before") + r"\s+(?:ال)?دمشق(?!\w))|(?:دمشق\s+"
    + in_order("capital_speaker_after") + ")",
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

# -- geocoding (pipeline/geocode.py)
# a locative word right before a bare name makes it a toponym ("في X", "قرب X", "بلدة X")
LOCATIVE_BEFORE = pattern("locative_before", r"(?:^|\s|\")و?" + in_order("locative_words") + r"\s*\"?$", "قرب ")
# a site adjective dropped from a name to look it up ("حقل التيم النفطي" -> "حقل التيم")
SITE_ADJECTIVE_END = pattern("site_adjective_end", r"\s+(?:ال)?" + in_order("site_adjectives") + "$", "حقل التيم النفطي")
CAPITAL = norm("دمشق")  # the capital, which may stand for the government
PROCLITIC_LETTERS = 'وفبلك"'  # what may stand glued before a gazetteer name: و ف ب ل ك and a quote
BI = "ب"  # the preposition "in, at" glued to a name ("بالميادين") makes it a toponym
LIST_SEPARATOR = pattern("list_separator", r"[,،]", "حلب، حمص")  # between the governorates of a context
PLACE_AS_WRITTEN_EDGES = ' "،'  # stripped from the ends of a place's words as written (a quote, a comma)

# -- gazetteer.py
# the word "governorate" before or after a governorate's name, in English or Arabic, written with ة or ه
# (the escape keeps ة: the value is matched as written, not normalised)
GOVERNORATE_WORD = pattern("governorate_word", r"(governorate|province|muhafazat|محافظ(?:\u0629|ه))", "محافظة حلب", re.I)
GOVERNORATE = "محافظة"  # "محافظة حلب": a governorate's name as the gazetteer lists it


# === mentions, filters, figures, incidents, record (the stages after annotation) ==========


# === the store and the server (search text) ===============================================
