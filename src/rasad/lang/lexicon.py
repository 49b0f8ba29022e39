"""Domain knowledge loaded from the data files in `rasad/data/`, and a clitic-aware phrase matcher.

Every data file is plain UTF-8, one entry a line, `#` starts a comment, columns are separated by
tabs. Entries are normalised with `rasad.pipeline.normalise.norm`, so an analyst may write them with or
without hamza, diacritics or ة/ه distinctions.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from rasad.pipeline.normalise import norm

_SEP = '[\\s"]+'  # between the words of a multi-word entry: spaces and (normalised) quote marks


DATA_ENV = "RASAD_DATA"  # a folder whose files stand in for data/'s files of the same name (words/x.txt too)


def data_path(name: str) -> Any:
    """A data file: the one of the same name under $RASAD_DATA when there is one (to try a changed lexicon
    without touching the installed package), else the package's own."""
    overlay = os.environ.get(DATA_ENV)
    if overlay and (Path(overlay) / name).is_file():
        return Path(overlay) / name
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


_View = tuple[str, tuple[int, ...], tuple[int, ...], tuple[int, ...]]
_VIEWS: list[tuple[str, _View]] = []
_VIEW_SLOTS = 4


def _view(text: str) -> _View:
    """The text with every run of spaces and quote marks folded to one space (so that `تنظيم "الدولة"`
    reads `تنظيم الدولة`), and the map back: (view, view positions after each fold, text shift there,
    text positions after each fold).
    The last few views are kept (by identity): the matchers run one after another over the same text,
    with short strings in between."""
    if len(text) < 512:
        return _fold(text)  # a word or a clause: folding is cheaper than keeping it
    for kept, result in _VIEWS:
        if kept is text:
            return result
    result = _fold(text)
    _VIEWS.append((text, result))
    if len(_VIEWS) > _VIEW_SLOTS:
        del _VIEWS[0]
    return result


def _fold(text: str) -> _View:
    pieces: list[str] = []
    cuts: list[int] = []
    shifts: list[int] = []
    last = 0
    vlen = 0
    removed = 0
    for m in _FOLD_RE.finditer(text):
        pieces.append(text[last : m.start()])
        vlen += m.start() - last
        pieces.append(" ")
        vlen += 1
        removed += m.end() - m.start() - 1
        cuts.append(vlen)
        shifts.append(removed)
        last = m.end()
    if not cuts:
        return text, (), (), ()
    pieces.append(text[last:])
    return "".join(pieces), tuple(cuts), tuple(shifts), tuple(c + s for c, s in zip(cuts, shifts, strict=True))


# what needs folding: any quote mark, two or more spaces, or a newline/tab (a single space stays); that
# is every run of spaces and quote marks but a lone space (the same matches as
# '[\s"]*"[\s"]*|\s{2,}|[^\S ]', found faster: the pattern starts with a character class)
_FOLD_RE = re.compile(r'[\s"](?:(?<=[^ ])|(?=[\s"]))[\s"]*')
_WORD = re.compile(r"\w")


class Matcher:
    """Find whole-word occurrences of phrases, allowing Arabic proclitics and quotes inside names.

    `والدفاع الوطني`, `للدفاع "الوطني"`, `لـ"الدفاع الوطني"` and `بالدفاع الوطني` all match the entry
    `الدفاع الوطني`. With `article`, entries written without the article also match with it
    (هجوم: الهجوم، والهجوم، للهجوم). Where several entries match at one place the longest wins.
    One Aho-Corasick pass finds the candidates; clitics and word boundaries are checked after.
    """

    def __init__(self, entries: Iterable[tuple[str, Any]], clitics: bool = True, article: bool = True) -> None:
        import ahocorasick

        from rasad.lang import patterns  # (patterns reads the data files through this module)

        self._proclitics = patterns.PROCLITICS
        self._article, self._lam_article = patterns.ARTICLE, patterns.LAM_ARTICLE
        self.clitics = clitics
        self.article = article
        auto = ahocorasick.Automaton()
        n = 0
        for raw, value in entries:
            entry = _key(norm(raw))
            if not entry or entry in auto:
                continue
            n += 1
            auto.add_word(entry, (entry, value, 0))
            if clitics and entry.startswith(patterns.ARTICLE) and len(entry) > 3:
                variant = patterns.LAM + entry[2:]  # "للدفاع": a clitic lam, then the article's lam
                if variant not in auto:
                    auto.add_word(variant, (entry, value, 1))
        self._n = n
        if n:
            auto.make_automaton()
        self._auto = auto

    def __bool__(self) -> bool:
        return bool(self._n)

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        yield from self.findall(text, start, end)

    def findall(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        if not self._n:
            return []
        end = len(text) if end is None else end
        view, cuts, shifts, starts = _view(text)

        def orig(i: int) -> int:
            k = bisect_right(cuts, i) - 1
            return i + (shifts[k] if k >= 0 else 0)

        def to_view(i: int) -> int:
            # smallest view index (at most len(view)) whose original index is >= i: past the last fold
            # that starts at or before i, view and original run in step until the next fold
            k = bisect_right(starts, i) - 1
            v = i - (shifts[k] if k >= 0 else 0)
            if k + 1 < len(cuts) and v >= cuts[k + 1]:
                return cuts[k + 1]
            return max(0, min(v, len(view)))

        vs, ve = (start, end) if not cuts else (to_view(start), to_view(end))
        found = [(orig(ps), orig(ke - 1) + 1, orig(core), entry, value)
                 for ps, core, ke, entry, value in self._candidates(view, vs, ve)]
        found.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        hits: list[Hit] = []
        last_end = -1
        for s, e, core, entry, value in found:
            if s < last_end:
                if hits and s == hits[-1].start and e > hits[-1].end:
                    hits[-1] = Hit(s, e, core, value, entry)
                    last_end = e
                continue
            hits.append(Hit(s, e, core, value, entry))
            last_end = e
        return hits

    def _candidates(self, view: str, vs: int, ve: int) -> Iterator[tuple[int, int, int, str, Any]]:
        """Every whole-word match in view[vs:ve] as (start, core start, end, entry, value), view positions."""
        proclitics, article, lam_article = self._proclitics, self._article, self._lam_article
        for last, (entry, value, variant) in self._auto.iter(view, vs, ve):
            ke = last + 1
            ks = ke - (len(entry) - variant)
            if ke < len(view) and (_WORD.match(view[ke]) or view[ke] == "_"):
                continue  # inside a longer word
            # the longest run of proclitics before the entry that starts a word
            ps = -1
            for j in range(ks, max(0, ks - 6) - 1, -1):
                if j < ks and not self.clitics:
                    break
                pre = view[j:ks]
                if j < ks and not proclitics.fullmatch(pre):
                    continue
                if (pre.endswith(article) or pre.replace(" ", "").endswith(lam_article)) and (
                        (entry.startswith(article) and not variant) or not self.article):
                    continue  # "الالجيش" is no word; without `article`, "X" does not match "الX"
                if j == 0 or not (_WORD.match(view[j - 1]) or view[j - 1] == "_"):
                    ps = j
            if ps < 0:
                continue  # not at the start of a word
            prefix = view[ps:ks]
            core = ks - 2 if prefix.endswith(article) else ks  # "الهجوم": the article belongs to the word
            yield ps, core, ke, entry, value

    def any(self, text: str) -> bool:
        """Whether `text` holds a match at all: `bool(findall(text))`, stopping at the first."""
        if not self._n:
            return False
        view = _view(text)[0]
        return next(self._candidates(view, 0, len(view)), None) is not None

    def search(self, text: str, start: int = 0, end: int | None = None) -> Hit | None:
        hits = self.findall(text, start, end)
        return hits[0] if hits else None


# ---------------------------------------------------------------------------------------------
# The lexicons, loaded once per process


@dataclass(frozen=True, slots=True)
class ActorInfo:
    name: str
    inter: int
    kind: str
    camp: str | None = None  # the side it fights on, with its allies (actors.tsv, fourth column)


@cache
def actors() -> dict[str, ActorInfo]:
    return {r[0]: ActorInfo(r[0], int(r[1]), r[2], r[3] if len(r) > 3 and r[3] else None)
            for r in read_rows("actors.tsv", 3)}


def _names_of_actors(file: str) -> list[tuple[str, str]]:
    """(name, canonical actor) rows of a data file, every actor checked against actors.tsv."""
    known = actors()
    rows = []
    for name, canonical in read_rows(file, 2):
        if canonical not in known:
            raise ValueError(f"{file}: {canonical!r} is not in actors.tsv")
        rows.append((name, canonical))
    return rows


@cache
def actor_matcher() -> Matcher:
    return Matcher(_names_of_actors("actor_aliases.tsv"))


@cache
def state_matcher() -> Matcher:
    return Matcher(_names_of_actors("states.tsv"), article=False)


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
    from rasad.lang.patterns import NISBA_DOUBLED, NISBA_FINAL, NISBA_SUFFIXES

    forms: dict[str, str] = {}
    for row in read_rows("nationalities.tsv", 3):
        adj, plurals, actor = norm(row[0]), row[1], row[2]
        doubled = adj + NISBA_DOUBLED if adj.endswith(NISBA_FINAL) else adj
        for f in (adj, *(adj + suffix for suffix in NISBA_SUFFIXES), doubled):
            forms.setdefault(f, actor)
        for p in plurals.split(","):
            if p.strip():
                forms.setdefault(norm(p.strip()), actor)
    return forms


@cache
def person_singulars() -> frozenset[str]:
    """Singular person nouns (normalised) from person_nouns.tsv, with their accusative forms."""
    from rasad.lang.patterns import ACCUSATIVE

    return frozenset(f for singulars, _, _ in person_nouns() for s in singulars for f in (s, s + ACCUSATIVE))


PERSON_CATEGORIES = frozenset({"combatant", "civilian", "person", "killed", "wounded"})


@cache
def person_nouns() -> tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...]:
    """The rows of person_nouns.tsv as (singulars, plurals, category), forms normalised, the lemma first."""
    rows = []
    for row in read_rows("person_nouns.tsv", 3):
        if len(row) != 3 or row[2] not in PERSON_CATEGORIES:
            raise ValueError(f"bad line in person_nouns.tsv: {row!r}")
        singulars = tuple(norm(s.strip()) for s in row[0].split(",") if s.strip())
        plurals = tuple(norm(p.strip()) for p in row[1].split(",") if p.strip())
        rows.append((singulars, plurals, row[2]))
    return tuple(rows)
