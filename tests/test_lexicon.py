"""Tests for rasad.lang.lexicon: the clitic-aware Matcher and the integrity of the data files.

Every Arabic sentence here is written for these tests. Texts are normalised first, as in the pipeline.
"""

from __future__ import annotations

import re
from collections import defaultdict
from importlib import resources
from pathlib import Path

import pytest

from rasad.lang import lexicon
from rasad.lang.lexicon import Hit, Matcher, read_rows
from rasad.pipeline.normalise import norm, normalise

GOLD_ACTORS = Path(__file__).resolve().parents[2] / "shared" / "gold" / "actors.txt"

ENTRIES = [
    ("ريف", "countryside"),
    ("الرقة", "Raqqa"),
    ("قوات", "forces"),
    ("الدفاع الوطني", "NDF"),
    ("قوات الدفاع الوطني", "NDF forces"),
    ("الجيش", "army"),
    ("الجيش السوري", "Syrian army"),
    ("تنظيم الدولة", "IS short"),
    ("تنظيم الدولة الإسلامية", "IS long"),
    ("هجوم", "attack"),
    ("قتل", "kill"),
    ("حمص", "Homs"),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(ENTRIES)


def hits(m: Matcher, text: str) -> tuple[str, list[Hit]]:
    n = normalise(text).text
    return n, m.findall(n)


def one(m: Matcher, text: str) -> tuple[str, Hit]:
    n, hs = hits(m, text)
    assert len(hs) == 1, [(n[h.start : h.end], h.value) for h in hs]
    return n, hs[0]


# --------------------------------------------------------------------------------------------- clitics


@pytest.mark.parametrize(
    ("text", "value", "matched", "core"),
    [
        ("بريف", "countryside", "بريف", "ريف"),
        ("وريف", "countryside", "وريف", "ريف"),
        ("والرقة", "Raqqa", "والرقه", "الرقه"),
        ("فالرقة", "Raqqa", "فالرقه", "الرقه"),
        ("بالرقة", "Raqqa", "بالرقه", "الرقه"),
        ("كالرقة", "Raqqa", "كالرقه", "الرقه"),
        ("وبالرقة", "Raqqa", "وبالرقه", "الرقه"),
        ("لقوات", "forces", "لقوات", "قوات"),
        ("ولقوات", "forces", "ولقوات", "قوات"),
        ("بالجيش", "army", "بالجيش", "الجيش"),
        ("فبالجيش", "army", "فبالجيش", "الجيش"),
        ('لـ"الدفاع الوطني"', "NDF", 'ل"الدفاع الوطني', "الدفاع الوطني"),
        ("لـ«الدفاع الوطني»", "NDF", 'ل"الدفاع الوطني', "الدفاع الوطني"),
        ("بـ«الجيش»", "army", 'ب"الجيش', "الجيش"),
        ("لـحمص", "Homs", "لحمص", "حمص"),
        ("لـ حمص", "Homs", "ل حمص", "حمص"),
        ("ولحمص", "Homs", "ولحمص", "حمص"),
    ],
)
def test_proclitics(matcher: Matcher, text: str, value: str, matched: str, core: str) -> None:
    n, h = one(matcher, f"وصلت تعزيزات {text} صباح اليوم")
    assert h.value == value
    assert n[h.start : h.end] == matched
    assert n[h.core_start : h.end] == core
    assert h.start <= h.core_start < h.end


def test_lam_lam_absorbs_the_article(matcher: Matcher) -> None:
    # للدفاع = ل + الدفاع: the alef of the article is not written; the core starts at the second lam
    n, h = one(matcher, "عنصر تابع للدفاع الوطني في المدينة")
    assert (h.value, h.entry) == ("NDF", "الدفاع الوطني")
    assert n[h.start : h.end] == "للدفاع الوطني"
    assert h.core_start == h.start + 1
    n, h = one(matcher, "انضم وللرقة")
    assert h.value == "Raqqa"
    assert n[h.start : h.end] == "وللرقه"
    assert h.core_start == h.start + 2


def test_hit_entry_is_the_normalised_entry(matcher: Matcher) -> None:
    _, h = one(matcher, "والرقّة")
    assert h.entry == norm("الرقة") == "الرقه"


def test_spans_map_back_to_the_written_words(matcher: Matcher) -> None:
    text = "قالت مصادر إنّ عناصر «الدفاعِ الوطنيّ» انسحبوا من ريـف حمص"
    nd = normalise(text)
    found = {h.value: text[slice(*nd.orig_span(h.core_start, h.end))] for h in matcher.finditer(nd.text)}
    assert found == {"NDF": "الدفاعِ الوطني", "countryside": "ريـف", "Homs": "حمص"}


# --------------------------------------------------------------------------------------------- quotes and spaces


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('تنظيم "الدولة"', "IS short"),
        ("تنظيم «الدولة»", "IS short"),
        ("تنظيم “الدولة الإسلامية”", "IS long"),
        ('تنظيم "الدولة" الإسلامية', "IS long"),
        ('"تنظيم الدولة"', "IS short"),
        ("تنظيم  الدولة", "IS short"),
        ("الدفاع\u00a0الوطني", "NDF"),
    ],
)
def test_quotes_and_spaces_inside_multiword_names(matcher: Matcher, text: str, value: str) -> None:
    _, h = one(matcher, f"أعلن {text} مسؤوليته عن الهجمات")
    # the sentence also holds الهجمات, which is not هجوم: one hit only
    assert h.value == value


# --------------------------------------------------------------------------------------------- the article


@pytest.mark.parametrize("form", ["هجوم", "الهجوم", "والهجوم", "فالهجوم", "بالهجوم", "للهجوم", "وللهجوم", "بهجوم"])
def test_article_optional_for_entries_without_it(matcher: Matcher, form: str) -> None:
    n, h = one(matcher, f"وقع {form} قرب الحاجز")
    assert h.value == "attack"
    assert n[h.start : h.end] == norm(form)
    assert n[h.core_start : h.end] in ("هجوم", "الهجوم")


def test_article_core_start_excludes_clitics(matcher: Matcher) -> None:
    n, h = one(matcher, "وقع والهجوم")
    assert n[h.core_start : h.end] == "الهجوم"
    n, h = one(matcher, "تعرض للهجوم")
    assert n[h.core_start : h.end] == "هجوم"


def test_article_not_added_when_disabled() -> None:
    m = Matcher([("حمص", "Homs")], article=False)
    assert m.search(norm("وصل إلى حمص"))
    assert m.search(norm("وصل لحمص"))
    assert m.search(norm("وصل إلى الحمص")) is None


def test_entries_with_article_need_it(matcher: Matcher) -> None:
    assert matcher.search(norm("انسحب جيش")) is None
    assert matcher.search(norm("مدينة رقة")) is None


def test_without_clitics() -> None:
    m = Matcher([("الرقة", "Raqqa"), ("ريف", "countryside")], clitics=False)
    assert m.search(norm("في الرقة")) is not None
    assert m.search(norm("بريف")) is None
    assert m.search(norm("والرقة")) is None


# --------------------------------------------------------------------------------------------- longest match


@pytest.mark.parametrize(
    ("text", "value", "matched"),
    [
        ("أعلن تنظيم الدولة الإسلامية", "IS long", "تنظيم الدوله الاسلاميه"),
        ("أعلن تنظيم الدولة مسؤوليته", "IS short", "تنظيم الدوله"),
        ("تقدم الجيش السوري نحو القرية", "Syrian army", "الجيش السوري"),
        ("تقدم الجيش نحو القرية", "army", "الجيش"),
        ("انسحبت قوات الدفاع الوطني", "NDF forces", "قوات الدفاع الوطني"),
        ("انسحبت لقوات الدفاع الوطني", "NDF forces", "لقوات الدفاع الوطني"),
    ],
)
def test_longest_match_wins(matcher: Matcher, text: str, value: str, matched: str) -> None:
    n, h = one(matcher, text)
    assert h.value == value
    assert n[h.start : h.end] == matched


def test_longest_match_wins_whatever_the_entry_order() -> None:
    a = Matcher([("الجيش", "short"), ("الجيش السوري", "long")])
    b = Matcher([("الجيش السوري", "long"), ("الجيش", "short")])
    text = norm("انتشر الجيش السوري")
    assert a.search(text).value == b.search(text).value == "long"  # type: ignore[union-attr]


def test_longest_match_wins_across_article_groups() -> None:
    m = Matcher([("الفصائل المعارضة", "short"), ("فصائل المعارضة السورية", "long")])
    h = m.search(norm("هاجمت الفصائل المعارضة السورية مواقع"))
    assert h is not None
    assert h.value == "long"


# --------------------------------------------------------------------------------------------- word boundaries


@pytest.mark.parametrize(
    "text",
    [
        "هجومه",  # a suffix
        "الهجومات",
        "مقتل",  # قتل inside a longer word
        "قتلى",
        "استقتل",
        "حمصي",
        "تريف",  # ت is not a clitic
        "مالرقة",
        "قوات2",
        "2قوات",
        "الجيشان",
    ],
)
def test_no_match_inside_a_longer_word(matcher: Matcher, text: str) -> None:
    n, hs = hits(matcher, f"ذكر {text} أمس")
    assert hs == [], [n[h.start : h.end] for h in hs]


def test_several_hits_in_order(matcher: Matcher) -> None:
    n, hs = hits(matcher, "تبنى تنظيم الدولة الهجوم على الجيش السوري بريف الرقة، وشن هجوما آخر")
    # هجوما (accusative) is a longer word than the entry هجوم
    assert [h.value for h in hs] == ["IS short", "attack", "Syrian army", "countryside", "Raqqa"]
    assert [n[h.start : h.end] for h in hs] == ["تنظيم الدوله", "الهجوم", "الجيش السوري", "بريف", "الرقه"]


def test_search_window(matcher: Matcher) -> None:
    text = norm("قتل في حمص ثم قتل في الرقة")
    second = text.index("ثم")
    assert [h.value for h in matcher.findall(text, second)] == ["kill", "Raqqa"]
    assert [h.value for h in matcher.findall(text, 0, second)] == ["kill", "Homs"]
    assert matcher.search(text, second).value == "kill"  # type: ignore[union-attr]


def test_empty_matcher() -> None:
    m = Matcher([("", "nothing"), ("   ", "blank")])
    assert not m
    assert m.search("اي نص") is None
    assert Matcher(ENTRIES)


# --------------------------------------------------------------------------------------------- data integrity

LOADERS = [
    "actors", "actor_matcher", "state_matcher", "unit_matcher", "trigger_matcher", "cue_matcher", "weapon_matcher",
    "claimant_matcher", "governorate_matcher", "descriptor_matcher", "topic_matcher", "furniture_prefixes",
    "region_matcher", "country_matcher", "nationality_forms", "person_singulars",
    "person_nouns",
]
DATA_FILES = sorted(
    p.name for p in resources.files("rasad").joinpath("data").iterdir() if p.name.endswith((".tsv", ".txt"))
)


def test_every_cached_loader_is_listed() -> None:
    cached = {name for name, obj in vars(lexicon).items() if hasattr(obj, "cache_clear")}
    assert cached == set(LOADERS)


@pytest.mark.parametrize("name", LOADERS)
def test_every_loader_loads(name: str) -> None:
    loader = getattr(lexicon, name)
    loader.cache_clear()
    value = loader()
    assert value  # a Matcher is true when it holds entries; dicts, sets and tuples when non-empty
    assert loader() is value  # cached


def header(name: str) -> str:
    lines = []
    for line in lexicon.data_path(name).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return "\n".join(lines)


def _key(s: str) -> str:
    return re.sub(r'[\s"]+', " ", norm(s)).strip()


@pytest.mark.parametrize("name", [n for n in DATA_FILES if n != "places_supplement.tsv"])  # places share names
def test_data_file_has_no_conflicting_duplicates(name: str) -> None:
    text = lexicon.data_path(name).read_text(encoding="utf-8")
    assert "\ufffd" not in text
    values: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    rows = list(read_rows(name))
    assert rows, name
    seen: set[tuple[str, ...]] = set()
    repeated = []
    for row in rows:
        assert row[0], (name, row)
        values[_key(row[0])].add(tuple(row[1:]))
        key = tuple(row)
        if key in seen:
            repeated.append(row)  # the same entry twice: one of them is dead weight an analyst may edit in vain
        seen.add(key)
    conflicts = {k: v for k, v in values.items() if len(v) > 1}
    assert not conflicts, conflicts
    assert not repeated, repeated


OPTIONAL_COLUMNS = {"nationalities.tsv": {1}}  # broken plurals may be empty


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("actors.tsv", 3), ("actor_aliases.tsv", 2), ("units.tsv", 3), ("triggers.tsv", 2), ("cues.tsv", 2),
        ("weapons.tsv", 2), ("claimants.tsv", 3), ("governorates.tsv", 2), ("place_descriptors.tsv", 3),
        ("topics.tsv", 2), ("countries.tsv", 2), ("nationalities.tsv", 3), ("person_nouns.tsv", 3),
        ("months.tsv", 2), ("weekdays.tsv", 2), ("regions.tsv", 1), ("furniture.txt", 1), ("states.tsv", 2),
        ("admin1.tsv", 3), ("country_codes.tsv", 4),
    ],
)
def test_data_file_columns(name: str, columns: int) -> None:
    assert name in DATA_FILES
    optional = OPTIONAL_COLUMNS.get(name, set())
    for row in read_rows(name, columns):
        empty = [i for i in range(columns) if not row[i] and i not in optional]
        assert empty == [], (name, row)


def test_every_country_an_incident_can_be_placed_in_has_export_codes() -> None:
    coded = {r[0] for r in read_rows("country_codes.tsv", 4)}
    # (a sea is no country: an incident placed at sea is exported with empty codes)
    assert {r[1] for r in read_rows("countries.tsv", 2) if not r[1].endswith(" Sea")} <= coded
    assert all(r[1].isdigit() and len(r[2]) == 3 and r[2].isupper() for r in read_rows("country_codes.tsv", 4))


def test_every_data_file_is_checked() -> None:
    checked = {
        "actors.tsv", "actor_aliases.tsv", "units.tsv", "triggers.tsv", "cues.tsv", "weapons.tsv",
        "claimants.tsv", "governorates.tsv", "place_descriptors.tsv", "topics.tsv", "countries.tsv",
        "nationalities.tsv", "person_nouns.tsv", "months.tsv", "weekdays.tsv", "regions.tsv", "furniture.txt",
        "places_supplement.tsv", "states.tsv", "admin1.tsv", "country_codes.tsv", "countryside_directions.tsv",
        *(n for n in DATA_FILES if n.startswith(("date_", "number_", "hijri_"))),  # tests/test_date_number_data.py
        "patterns.tsv",  # tests/test_patterns.py
    }
    assert set(DATA_FILES) == checked


def test_countryside_directions_are_the_eight_bearings() -> None:
    rows = list(read_rows("countryside_directions.tsv", 2))
    assert sorted(float(b) for _w, b, *_ in rows) == [0, 45, 90, 135, 180, 225, 270, 315]
    assert len({norm(w) for w, *_ in rows}) == len(rows)


def test_aliases_name_known_actors() -> None:
    known = lexicon.actors()
    unknown = [(alias, canonical) for alias, canonical, *_ in read_rows("actor_aliases.tsv", 2) if canonical not in known]
    assert unknown == []


def test_units_and_nationalities_name_known_actors() -> None:
    known = lexicon.actors()
    assert [r for r in read_rows("units.tsv", 3) if r[2] not in known] == []
    assert [r for r in read_rows("nationalities.tsv", 3) if r[2] not in known] == []
    assert [r for r in read_rows("states.tsv", 2) if r[1] not in known] == []


def test_every_actor_has_an_alias() -> None:
    aliased = {row[1] for row in read_rows("actor_aliases.tsv", 2)}
    assert set(lexicon.actors()) - aliased == set()


def test_inter_codes_and_kinds() -> None:
    kinds = set(re.search(r"kind: ([\w|]+)", header("actors.tsv"))[1].split("|"))  # type: ignore[index]
    assert kinds == {"state", "rebel", "militia", "external", "civilian", "unknown"}
    for info in lexicon.actors().values():
        assert 1 <= info.inter <= 8, info
        assert info.kind in kinds, info


@pytest.mark.skipif(not GOLD_ACTORS.is_file(), reason="../shared/gold/actors.txt is absent")
def test_every_reference_actor_is_known() -> None:
    reference = [line.strip() for line in GOLD_ACTORS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert reference
    missing = [name for name in reference if name not in lexicon.actors()]
    assert missing == []


def test_actor_matcher_on_written_sentences() -> None:
    m = lexicon.actor_matcher()
    n = norm('هاجم عناصر من تنظيم "الدولة" حاجزاً لقوات النظام قرب مواقع للدفاع الوطني وبالجيش الوطني')
    assert [h.value for h in m.finditer(n)] == [
        "Islamic State", "Military Forces of Syria", "NDF: National Defence Forces", "Syrian National Army",
    ]


def documented_trigger_classes() -> set[str]:
    """The classes listed after "Classes:" (the list goes on while a line ends with a comma), plus the
    qualifier classes named in "X and Y name the means"."""
    lines = header("triggers.tsv").splitlines()
    start = next(i for i, line in enumerate(lines) if "Classes:" in line)
    listed = lines[start].split("Classes:", 1)[1]
    i = start
    while listed.rstrip().endswith(","):
        i += 1
        listed += " " + lines[i]
    classes = {c.strip() for c in listed.split(",")}
    qualifiers = re.search(r"^(\w+(?: and \w+)*) name the means", "\n".join(lines), re.M)
    assert qualifiers
    return classes | set(qualifiers[1].split(" and "))


def test_trigger_classes_are_documented() -> None:
    documented = documented_trigger_classes()
    assert {"kill", "wound", "attack", "gunfire", "aircraft", "artillery"} <= documented
    used = {row[1] for row in read_rows("triggers.tsv", 2)}
    assert used - documented == set()


def test_cue_classes_are_documented() -> None:
    head = header("cues.tsv")
    body = head.split("\n", 1)[1]  # after the "Columns:" line
    documented = set(re.findall(r"(?:^|\| )(\w+):", body, re.M))
    assert {"denial", "plan", "aggregate", "rising", "condolence"} <= documented
    assert {row[1] for row in read_rows("cues.tsv", 2)} - documented == set()


def test_topic_classes_are_documented() -> None:
    m = re.search(r"\(topic: ([\w|]+)\)|topic \(([\w|]+)\)", header("topics.tsv"))
    assert m
    documented = set((m[1] or m[2]).split("|"))
    assert {row[1] for row in read_rows("topics.tsv", 2)} - documented == set()


def test_claimant_types_are_documented() -> None:
    m = re.search(r"types: (.*)", header("claimants.tsv"), re.S)
    assert m
    listed = re.sub(r"\([^)]*\)", "", m[1].replace("\n", " "))
    documented = {t.strip() for t in listed.split(",")}
    assert {"monitor", "state_media", "official", "party", "media"} <= documented
    assert {row[2] for row in read_rows("claimants.tsv", 3)} - documented == set()


def test_months_and_weekdays_are_in_range() -> None:
    assert {int(r[1]) for r in read_rows("months.tsv", 2)} <= set(range(13))
    assert {int(r[1]) for r in read_rows("weekdays.tsv", 2)} == set(range(7))


def test_governorates_and_descriptor_ranks() -> None:
    admin1 = {r[1] for r in read_rows("governorates.tsv", 2)}
    assert len(admin1) == 14
    regions = {r[1] for r in read_rows("regions.tsv", 1) if len(r) > 1 and r[1]}
    assert regions <= admin1
    for row in read_rows("place_descriptors.tsv", 3):
        assert 1 <= int(row[2]) <= 9, row


def test_admin1_names_the_governorates_of_the_matcher() -> None:
    """admin1.tsv (the gazetteer's governorates) and governorates.tsv (the names in articles) agree."""
    from rasad.gazetteer import ADMIN1, admin1_name

    assert set(ADMIN1) == {r[1] for r in read_rows("governorates.tsv", 2)}
    for english, (arabic, _spellings) in ADMIN1.items():
        assert admin1_name(arabic) == english
        assert admin1_name(f"{english} Governorate") == english


def test_read_rows_reports_missing_columns() -> None:
    with pytest.raises(ValueError, match=r"actors\.tsv:\d+: expected 9 tab-separated columns"):
        list(read_rows("actors.tsv", 9))


def test_place_supplement_rows_are_well_formed() -> None:
    from rasad.gazetteer import ADMIN1, KINDS

    rows = list(read_rows("places_supplement.tsv", 8))
    assert rows
    for r in rows:
        assert len(r) == 8, r
        assert r[0] and r[2], r
        assert r[3] in KINDS, r
        assert 32 <= float(r[4]) <= 38 and 35 <= float(r[5]) <= 43, r
        assert r[6] == "" or r[6] in ADMIN1, r
        assert r[7], f"no source for the coordinates of {r[0]}"


# -- drift between word lists: two copies of one kind of word may differ only where a file says why -------


def test_every_attack_verb_is_a_trigger_or_listed_with_its_reason() -> None:
    """The attack verbs the actor patterns use (words/attack_verbs.txt) are triggers (triggers.tsv), except those
    listed, with the reason, in words/attack_verbs_not_triggers.txt; a listed verb that became a trigger or left
    the attack verbs must leave the list too."""
    from rasad.lang.patterns import word_list

    triggers = {norm(r[0]) for r in read_rows("triggers.tsv", 2)}
    verbs = set(word_list("attack_verbs"))
    assert verbs - triggers == set(word_list("attack_verbs_not_triggers"))


def test_the_attacker_patterns_use_the_attack_verbs_and_target_nouns() -> None:
    """The one list of attack verbs and the one list of target nouns are what the actor patterns read."""
    from rasad.lang.patterns import SUBJECT_BEFORE_VERB, VERB_BEFORE_SUBJECT, VICTIM_BEFORE, word_list

    for verb in word_list("attack_verbs"):
        assert VERB_BEFORE_SUBJECT.search(f"{verb} "), verb  # "هاجمت X": X attacked
        assert SUBJECT_BEFORE_VERB.search(f" {verb}"), verb  # "X هاجمت": X attacked
    for noun in word_list("target_nouns"):
        assert VICTIM_BEFORE.search(f"{noun} ل"), noun  # "مواقع لقوات X": X was hit


def test_every_actor_has_its_name_in_arabic() -> None:
    """The explorer shows actors in Arabic from actors.tsv's sixth column: every actor has one, in Arabic letters."""
    known = lexicon.actors()
    assert all(info.name_ar and re.search("[\u0621-\u064a]", info.name_ar) for info in known.values()), [
        a for a, info in known.items() if not info.name_ar]
    assert len({info.name_ar for info in known.values()}) == len(known)  # no two actors read alike


def test_forces_that_strike_from_afar_are_a_column_of_actors_tsv() -> None:
    known = lexicon.actors()
    assert {a for a, info in known.items() if info.from_afar} == {"Military Forces of Israel", "Military Forces of Russia"}
    assert known["Military Forces of Israel"].camp is None  # the empty fourth column stays no camp
