"""Domain knowledge loaded from the data files in `rasad/data/`, and a clitic-aware phrase matcher.

Every data file is plain UTF-8, one entry a line, `#` starts a comment, columns are separated by
tabs. Entries are normalised with `rasad.normalise.norm`, so an analyst may write them with or
without hamza, diacritics or ة/ه distinctions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .normalise import norm

_SEP = '[\\s"]+'  # between the words of a multi-word entry: spaces and (normalised) quote marks
_CLITIC = '(?:[وف]?(?:[بك]|ل\\s?)?"?)'  # و/ف then ب/ك/ل (لـ may be followed by a space), then a quote


def data_path(name: str) -> Any:
    return resources.files("rasad") / "data" / name


def read_rows(name: str, min_cols: int = 1) -> Iterator[list[str]]:
    """Rows of a data file: comment and blank lines skipped, cells stripped."""
    text = data_path(name).read_text(encoding="utf-8")
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < min_cols:
            raise ValueError(f"{name}:{line_no}: expected {min_cols} tab-separated columns, got {len(cells)}")
        yield cells


def _key(s: str) -> str:
    return re.sub(_SEP, " ", s).strip()


@dataclass(frozen=True, slots=True)
class Hit:
    """A lexicon match: [start, end) covers clitics too; [core_start, end) is the entry itself."""

    start: int
    end: int
    core_start: int
    value: Any
    entry: str


class Matcher:
    """Find whole-word occurrences of phrases, allowing Arabic proclitics and quotes inside names.

    `والدفاع الوطني`, `للدفاع "الوطني"`, `لـ"الدفاع الوطني"` and `بالدفاع الوطني` all match the entry
    `الدفاع الوطني`. With `article`, entries written without the article also match with it
    (هجوم: الهجوم، والهجوم، للهجوم). All entries form one alternation, longest first, so the longest
    entry wins wherever several match at one place.
    """

    def __init__(self, entries: Iterable[tuple[str, Any]], clitics: bool = True, article: bool = True) -> None:
        exact: dict[str, tuple[str, Any]] = {}
        derived: dict[str, tuple[str, Any]] = {}
        patterns: dict[str, str] = {}
        for raw, value in entries:
            entry = _key(norm(raw))
            if not entry or entry in exact:
                continue
            exact[entry] = (entry, value)

            def body(words: str) -> str:
                return _SEP.join(re.escape(w) for w in words.split(" "))

            if clitics and entry.startswith("ال") and len(entry) > 3:
                rest = entry[2:]
                patterns[entry] = f"(?:ال|ل){body(rest)}"  # الX, or the لX of للX
                derived.setdefault("ل" + rest, (entry, value))
            elif clitics and article:
                patterns[entry] = f"(?:ال|ل)?{body(entry)}"
                derived.setdefault("ال" + entry, (entry, value))
                derived.setdefault("ل" + entry, (entry, value))
            else:
                patterns[entry] = body(entry)
        self._lookup = {**derived, **exact}
        alt = "|".join(patterns[e] for e in sorted(patterns, key=len, reverse=True)) or "(?!)"
        prefix = _CLITIC if clitics else ""
        self._re = re.compile(f"(?<!\\w){prefix}(?P<e>{alt})(?!\\w)")

    def __bool__(self) -> bool:
        return bool(self._lookup)

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        for m in self._re.finditer(text, start, len(text) if end is None else end):
            found = self._lookup.get(_key(m.group("e")))
            if found is None:
                continue
            entry, value = found
            core = m.start("e")
            if not entry.startswith(("ال", "ل")) and text.startswith("ل", core) and not text.startswith("ال", core):
                core += 1  # "للهجوم": the second lam is the article's, the entry starts after it
            yield Hit(m.start(), m.end(), core, value, entry)

    def findall(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        return list(self.finditer(text, start, end))

    def search(self, text: str, start: int = 0, end: int | None = None) -> Hit | None:
        return next(self.finditer(text, start, end), None)


# ---------------------------------------------------------------------------------------------
# The lexicons, loaded once per process


@dataclass(frozen=True, slots=True)
class ActorInfo:
    name: str
    inter: int
    kind: str


@cache
def actors() -> dict[str, ActorInfo]:
    return {r[0]: ActorInfo(r[0], int(r[1]), r[2]) for r in read_rows("actors.tsv", 3)}


@cache
def actor_matcher() -> Matcher:
    known = actors()
    rows = []
    for alias, canonical in read_rows("actor_aliases.tsv", 2):
        if canonical not in known:
            raise ValueError(f"actor_aliases.tsv: {canonical!r} is not in actors.tsv")
        rows.append((alias, canonical))
    return Matcher(rows)


@cache
def unit_matcher() -> Matcher:
    return Matcher((r[0], (r[1], r[2])) for r in read_rows("units.tsv", 3))


@cache
def trigger_matcher() -> Matcher:
    return Matcher((r[0], r[1]) for r in read_rows("triggers.tsv", 2))


@cache
def cue_matcher() -> Matcher:
    return Matcher((r[0], r[1]) for r in read_rows("cues.tsv", 2))


@cache
def weapon_matcher() -> Matcher:
    return Matcher((r[0], r[1]) for r in read_rows("weapons.tsv", 2))


@cache
def claimant_matcher() -> Matcher:
    return Matcher(((r[0], (r[1], r[2])) for r in read_rows("claimants.tsv", 3)), article=False)


@cache
def governorate_matcher() -> Matcher:
    return Matcher(((r[0], r[1]) for r in read_rows("governorates.tsv", 2)), article=False)


@cache
def descriptor_matcher() -> Matcher:
    return Matcher(((r[0], (r[1], int(r[2]))) for r in read_rows("place_descriptors.tsv", 3)), article=False)


@cache
def topic_matcher() -> Matcher:
    return Matcher((r[0], r[1]) for r in read_rows("topics.tsv", 2))


@cache
def furniture_prefixes() -> tuple[str, ...]:
    return tuple(_key(norm(r[0])) for r in read_rows("furniture.txt", 1))


@cache
def region_matcher() -> Matcher:
    return Matcher(((r[0], r[1] if len(r) > 1 and r[1] else None) for r in read_rows("regions.tsv", 1)), article=False)


@cache
def country_matcher() -> Matcher:
    return Matcher(((r[0], r[1]) for r in read_rows("countries.tsv", 2)), article=False)


@cache
def nationality_forms() -> dict[str, str]:
    """Every form of a nationality adjective (normalised) -> actor."""
    forms: dict[str, str] = {}
    for row in read_rows("nationalities.tsv", 3):
        adj, plurals, actor = norm(row[0]), row[1], row[2]
        for f in (adj, adj + "ا", adj + "ه", adj + "ين", adj + "ون", adj + "يا" if adj.endswith("ي") else adj):
            forms.setdefault(f, actor)
        for p in plurals.split(","):
            if p.strip():
                forms.setdefault(norm(p.strip()), actor)
    return forms


@cache
def person_singulars() -> frozenset[str]:
    """Singular person nouns (normalised) from person_nouns.tsv, with their accusative forms."""
    out: set[str] = set()
    for row in read_rows("person_nouns.tsv", 3):
        for s in row[0].split(","):
            s = norm(s.strip())
            if s:
                out.update((s, s + "ا"))
    return frozenset(out)
