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

# the organisation a text speaks of when it says "التنظيم" (pipeline/run.py: the default organisation)
ISLAMIC_STATE_RE = pattern("run_islamic_state", r"داعش|تنظيم\W{0,3}الدوله|الدوله الاسلاميه", "مقاتلو تنظيم الدولة")
AL_QAEDA_RE = pattern("run_al_qaeda", r"تنظيم\W{0,3}القاعده", "عناصر تنظيم القاعدة")
# a governorate shown as an example in `rasad gazetteer lookup --help` (cli.py)
CLI_EXAMPLE_GOVERNORATE = "الرقة"


# === numbers (pipeline/annotate/numbers.py) ===============================================


# === dates (pipeline/annotate/dates.py) ===================================================


# === actors and claimants (pipeline/annotate/actors.py, claimants.py) =====================


# === places and geocoding (pipeline/annotate/places.py, pipeline/geocode.py, gazetteer.py) ==


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
# the pluperfect, كان ... قد + verb: what had happened before the news of the day
PLUPERFECT_RE = pattern(
    "mention_pluperfect", r"(?<!\w)و?(?:كان|كانت|كانوا|كانا)\s+(?:\S+\s+){0,4}?قد\s+(?=\w)", "وكانت إسرائيل قد قصفت")
# a clause naming what an attack answered: "ردا على هجوم كيماوي في دوما" is an earlier incident
MOTIVE_RE = pattern("mention_motive", r"\s*،?\s*(?:و)?(?:ردا على|ردا علي|انتقاما|ثارا)(?!\w)", "ردا على الضربات")
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
    r"(?:هجمات|هجمتين|اعتداءات|تفجيرات|غارات|عمليات|حوادث)\s+(?:\S+\s+)?(?:منفصله|متفرقه|متفرقة|منفصلة|متعدده)(?!\w)",
    "عدة هجمات منفصلة")
# the anniversary of an attack is history
ANNIVERSARY_RE = pattern(
    "filter_anniversary",
    r"(?<!\w)(?:مرور|ذكري|ذكرى)\s+(?:\S+\s+)?(?:عام|عامين|سنه|سنتين|اعوام|سنوات|شهر|شهرين|اشهر|اسبوع)\s+على(?!\w)"
    r"|(?<!\w)(?:ال)?(?:ذكرى|ذكري)\s+(?:السنويه|ال\s*\d+|الاولى|الثانيه|الثالثه|الرابعه|الخامسه|العاشره)(?!\w)",
    "بعد مرور عام على الضربة")
# "ضربة دبلوماسية", "ضربة جزاء": a figure of speech
FIGURATIVE_AFTER_RE = pattern(
    "filter_figurative_after",
    r"\s+(?:ال)?(?:دبلوماسيه|ديبلوماسيه|سياسيه|اقتصاديه|اعلاميه|قانونيه|ماليه|معنويه|جزاء|حره|راس|شمس|حظ|موجعه لل|قاصمه لل)(?!\w)",
    " دبلوماسية")
# "اصيب بجروح / برصاص" is violence; "اصيب بالسرطان / بفيروس / بخيبة" is not
WOUND_BY_RE = pattern("filter_wound_by", r"\s+(?:ال)?ب\S", " بالسرطان")
WOUND_VIOLENT_RE = pattern(
    "filter_wound_violent",
    r"\s+(?:ال)?(?:ب|بال)(?:جروح|جراح|جرح|رصاص|رصاصه|رصاصات|طلق|طلقات|شظايا|شظيه|حروق|كسور|اصابات|عيار|الرصاص)",
    " بجروح")
# a trigger negated in place: "لم يسفر عن قتلى"
NEG_BEFORE_RE = pattern("filter_negation_before", r"(?<!\w)(?:لم|لن|دون|بدون|ولم|ولن|من دون)\s+(?:\S+\s+){0,3}$", "لم يسفر عن ")
# "قذائف الار بي جي": a weapon, not shelling
RPG_RE = pattern("filter_rpg", r"\s*(?:ال)?(?:ار بي جي|اربي جي|الار بي جي)", " الآر بي جي")
# "قتل تسعة آخرون في مناطق أخرى": losses elsewhere
OTHER_PLACES_RE = pattern(
    "filter_other_places", r"(?<!\w)(?:ال)?(?:مناطق|اماكن|مدن|بلدات|قرى|احياء|انحاء|محافظات)\s+(?:اخرى|اخري|متفرقه)(?!\w)",
    "في مناطق أخرى")
# military sites as the target: "قصف صاروخي على مواقع عسكرية"
MILITARY_TARGET_RE = pattern(
    "filter_military_target",
    r"(?<!\w)(?:ال)?(?:مواقع|موقع|مقرات|مقر|قواعد|قاعده|نقاط|نقطه|ثكنه|ثكنات|مستودعات|مستودع)\s+(?:ال)?(?:عسكريه|عسكري|للجيش|للنظام|لقوات)(?!\w)",
    "قصف صاروخي على مواقع عسكرية")
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


@cache
def generic_plurals() -> frozenset[str]:
    """Plurals that name attacks in general ("هجمات", "اشتباكات"): data/words/filter_generic_plurals.txt."""
    return frozenset(word_list("filter_generic_plurals"))


@cache
def bare_strikes() -> frozenset[str]:
    """"ضربة" and its plural and dual, the strike words a figure of speech may follow."""
    return frozenset(word_list("filter_bare_strikes"))


# --- figures (pipeline/figures.py): what each figure counts

# "بينهم 8 ضباط", "بينهم نساء وأطفال وأكثر من 5": a part of the figure before, not another figure
SUBSET_RE = pattern(
    "figure_subset",
    r"(?<!\w)(?:بينهم|بينهن|منهم|منهن|من بينهم|بينها|منها|بينهما)\s+(?:[^\s،,.؛]+\s+){0,5}$|"
    r"(?<!\w)(?:بينهم|بينهن|منهم|منهن|من بينهم|بينها|منها|بينهما)\s*$",
    "قتل عشرة أشخاص بينهم")
# "عدد القتلى", "حصيلة الجرحى": the noun of a count, not a figure
COUNT_NOUN_RE = pattern("figure_count_noun", r"(?:عدد|تعداد|حصيلة|حصيلتي|ارقام|أعداد)\s*\"?$", "ارتفاع عدد")
# "عشرات القتلى والجرحى": one figure for both
KILLED_AND_WOUNDED_RE = pattern("figure_killed_and_wounded", r"^\s*و\s*(?:ال)?(?:جرحي|مصابين|اصابات)", " والجرحى")
# "مقتل واصابة": two casualty words joined by و alone
JUST_AND_RE = pattern("figure_just_and", r"^\s*و\s*$", " و")
# "ارتفعت الحصيلة الى 15": a bare figure counted by the word far before it
RISEN_TO_RE = pattern("figure_risen_to", r"الي\s*$", "ارتفعت الحصيلة إلى ")
# between two coordinated figures: "و", or a short qualifier first ("قيادي في تنظيم داعش وعنصران")
COORD_GAP_RE = pattern(
    "figure_coordination_gap", r'\s*(?:(?:في|من|ب|ل)\S*(?:\s+"?\S+"?){0,2}\s*)?،?\s*(?:و|مقابل|في مقابل|بالاضافه الى)\s*', " و")
# the word after a casualty word: "مقتل جندي", "قتل خلالها مدني"
NEXT_PERSON_RE = pattern(
    "figure_next_person",
    r'\s+(?:(?:خلالها|خلاله|فيها|فيه|جراءها|جراءه|على اثرها|ايضا)\s+)?"?(?:ال)?(\w+)(?!\s*(?:من\s+)?\d)', " جندي")
# "ان جنديا بريطانيا قتل": the noun before a passive verb
PREV_PERSON_RE = pattern("figure_prev_person", r'(?<!\w)(?:ان|إن|بان)\s+"?(\w+)(?:\s+\w+)?\s*،?\s*$', "إن جنديا بريطانيا ")


@cache
def passive_verbs() -> frozenset[str]:
    """Casualty verbs that count a figure written before them ("40 عنصرا ... قتلوا")."""
    return frozenset(word_list("figure_passive_verbs"))


@cache
def passive_singulars() -> frozenset[str]:
    """The passive verbs a singular person noun before them counts as one ("ان جنديا بريطانيا قتل")."""
    return frozenset(word_list("figure_passive_singulars"))


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
TARGET_NOUN_RE = pattern(
    "incident_target_noun",
    r"(?<!\w)(?:ال|ب|لل|ل)?(قافله|حافله|رتل|دوريه|حاجز|كمين|مستودع|مخزن|سجن|مستشفى|مدرسه|سوق|مسجد|كنيسه|سياره|شاحنه|صهريج|مقر|ثكنه|معسكر|مطار|قاعده|جسر|عرس|جنازه|خيمه|مخيم)(?!\w)",
    "استهدفت الغارة قافلة")


# === the store and the server (search text) ===============================================
