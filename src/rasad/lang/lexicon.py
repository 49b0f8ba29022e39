"""Domain knowledge loaded from the data files in `rasad/data/`, and a clitic-aware phrase matcher.

Every data file is plain UTF-8, one entry a line, `#` starts a comment, columns are separated by
tabs. Entries are normalised with `rasad.pipeline.normalise.norm`, so an analyst may write them with or
without hamza, diacritics or ة/ه distinctions.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from operator import itemgetter
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
_TITLE_VIEWS: list[tuple[str, _View]] = []
_VIEW_SLOTS = 4
_SHORT_VIEW = 40  # characters: a shorter text is folded each time it is asked


def _view(text: str) -> _View:
    """The text with every run of spaces and quote marks folded to one space (so that `تنظيم "الدولة"`
    reads `تنظيم الدولة`), and the map back: (view, view positions after each fold, text shift there,
    text positions after each fold).
    The last few views are kept (by identity): the matchers run one after another over the same text,
    with short strings in between."""
    if len(text) < _SHORT_VIEW:
        return _fold(text)  # a word or a clause: folding is cheaper than keeping it
    # a title is asked by every matcher too, between documents: kept apart, so as not to push a document out
    views = _VIEWS if len(text) >= 512 else _TITLE_VIEWS
    for kept, result in views:
        if kept is text:
            return result
    result = _fold(text)
    views.append((text, result))
    if len(views) > _VIEW_SLOTS:
        del views[0]
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


def _is_word(c: str) -> bool:
    """Whether the character `c` is a word character (what the regex `\\w` matches: alphanumeric or "_")."""
    return c.isalnum() or c == "_"


# a candidate match, in view positions: (start, core start, key start, end, entry, value); and located:
# (view end, view key start, start, end, core start, entry, value), the middle three in text positions
_Candidate = tuple[int, int, int, int, str, Any]
_Located = tuple[int, int, int, int, int, str, Any]
_END = itemgetter(0)
_SCAN_WHOLE = 512  # texts this long (documents) are scanned whole once, shorter ones (words, clauses) each time


def _longest(found: list[_Located]) -> list[Hit]:
    """The hits among the candidates: where several overlap, the one that starts first, the longest of
    those that start there."""
    found.sort(key=lambda h: (h[2], -(h[3] - h[2])))
    hits: list[Hit] = []
    last_end = -1
    for _ve, _ks, s, e, core, entry, value in found:
        if s < last_end:
            if hits and s == hits[-1].start and e > hits[-1].end:
                hits[-1] = Hit(s, e, core, value, entry)
                last_end = e
            continue
        hits.append(Hit(s, e, core, value, entry))
        last_end = e
    return hits


_Key = tuple[str, Any, int]  # what the automaton holds for a key: the entry, its value, 1 for the "لل" variant


class _Joined:
    """The automata of the lexicons of data/ joined in one, so that a document is searched for the keys of all
    of them in one pass (the pass costs about the same for one lexicon or all: it walks the text), each
    matcher then checking its own keys. The last few documents' keys are kept, by identity."""

    def __init__(self) -> None:
        self.matchers: list[Matcher] = []
        self.auto: Any = None  # built when a document is first searched, again after a matcher joins
        self.found: list[tuple[str, list[list[tuple[int, _Key]]]]] = []

    def add(self, m: Matcher) -> int:
        self.matchers.append(m)
        self.auto = None
        self.found.clear()
        return len(self.matchers) - 1

    def _automaton(self) -> Any:
        import ahocorasick

        auto = ahocorasick.Automaton()
        for slot, m in enumerate(self.matchers):
            for key, held in m._auto.items():
                if key in auto:
                    auto.get(key).append((slot, held))
                else:
                    auto.add_word(key, [(slot, held)])
        auto.make_automaton()
        return auto

    def hits(self, text: str, view: str) -> list[list[tuple[int, _Key]]]:
        """The keys found in the view of `text`, one list a matcher, each in the order its own automaton gives."""
        for kept, found in self.found:
            if kept is text:
                return found
        if self.auto is None:
            self.auto = self._automaton()
        found = [[] for _ in self.matchers]
        for last, held in self.auto.iter(view):
            for slot, key in held:
                found[slot].append((last, key))
        self.found.append((text, found))
        if len(self.found) > _VIEW_SLOTS:
            del self.found[0]
        return found


_SHARED = _Joined()


class Matcher:
    """Find whole-word occurrences of phrases, allowing Arabic proclitics and quotes inside names.

    `والدفاع الوطني`, `للدفاع "الوطني"`, `لـ"الدفاع الوطني"` and `بالدفاع الوطني` all match the entry
    `الدفاع الوطني`. With `article`, entries written without the article also match with it
    (هجوم: الهجوم، والهجوم، للهجوم). Where several entries match at one place the longest wins.
    One Aho-Corasick pass finds the candidates; clitics and word boundaries are checked after.
    """

    def __init__(self, entries: Iterable[tuple[str, Any]], clitics: bool = True, article: bool = True,
                 shared: bool = False) -> None:
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
        self._scans: list[tuple[str, list[_Located] | None]] = []
        if n:
            auto.make_automaton()
        self._auto = auto
        # a lexicon of data/ (`shared`) is read in a document by the one pass of all of them (_Joined)
        self._slot = _SHARED.add(self) if shared and n else None

    def __bool__(self) -> bool:
        return bool(self._n)

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        yield from self.findall(text, start, end)

    def findall(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        if not self._n:
            return []
        end = len(text) if end is None else end
        view, cuts, shifts, starts = _view(text)

        def to_view(i: int) -> int:
            # smallest view index (at most len(view)) whose original index is >= i: past the last fold
            # that starts at or before i, view and original run in step until the next fold
            k = bisect_right(starts, i) - 1
            v = i - (shifts[k] if k >= 0 else 0)
            if k + 1 < len(cuts) and v >= cuts[k + 1]:
                return cuts[k + 1]
            return max(0, min(v, len(view)))

        vs, ve = (start, end) if not cuts else (to_view(start), to_view(end))
        scan = self._scan(text, view, cuts, shifts, vs == 0 and ve == len(view))
        if scan is None:
            return _longest(self._located(self._candidates(view, vs, ve), cuts, shifts))
        return _longest([c for c in scan[bisect_left(scan, vs, key=_END):bisect_right(scan, ve, key=_END)] if c[1] >= vs])

    def _scan(self, text: str, view: str, cuts: tuple[int, ...], shifts: tuple[int, ...],
              whole: bool) -> list[_Located] | None:
        """The candidates of the whole text, by end, once the text (a document) is read whole or a second time
        (a lexicon of data/: at once, from the pass of all of them): the clauses of one document then take
        theirs from one pass instead of a pass each. The last few texts are kept, by identity; None for a
        text read in part for the first time (or a short one)."""
        if len(text) < _SCAN_WHOLE:
            return None
        for i, (kept, result) in enumerate(self._scans):
            if kept is text:
                if result is None:
                    result = self._located(self._candidates(view, 0, len(view)), cuts, shifts)
                    self._scans[i] = (text, result)
                return result
        if self._slot is not None:  # the keys found by the pass of all the lexicons, checked here
            result = self._located(self._checked(view, _SHARED.hits(text, view)[self._slot]), cuts, shifts)
        else:
            result = self._located(self._candidates(view, 0, len(view)), cuts, shifts) if whole else None
        self._scans.append((text, result))
        if len(self._scans) > _VIEW_SLOTS:
            del self._scans[0]
        return result

    @staticmethod
    def _located(candidates: Iterator[_Candidate], cuts: tuple[int, ...], shifts: tuple[int, ...]) -> list[_Located]:
        """Candidates as (view end, view start of the key, start, end, core start, entry, value), the last five
        in original positions."""
        def orig(i: int) -> int:
            k = bisect_right(cuts, i) - 1
            return i + (shifts[k] if k >= 0 else 0)

        if not cuts:
            return [(ke, ks, ps, ke, core, entry, value) for ps, core, ks, ke, entry, value in candidates]
        return [(ke, ks, orig(ps), orig(ke - 1) + 1, orig(core), entry, value)
                for ps, core, ks, ke, entry, value in candidates]

    def _candidates(self, view: str, vs: int, ve: int) -> Iterator[_Candidate]:
        """Every whole-word match of a key in view[vs:ve] as (start, core start, key start, end, entry, value),
        view positions: a key found in view[vs:ve] is one found in the whole view that lies within it."""
        return self._checked(view, self._auto.iter(view, vs, ve))

    def _checked(self, view: str, keys: Iterable[tuple[int, _Key]]) -> Iterator[_Candidate]:
        """The keys found in `view` (as the automaton gives them: last position, (entry, value, variant)) that
        stand as whole words, with their proclitics, as candidates."""
        proclitics, article, lam_article = self._proclitics, self._article, self._lam_article
        n = len(view)
        for last, (entry, value, variant) in keys:
            ke = last + 1
            if ke < n and _is_word(view[ke]):
                continue  # inside a longer word
            ks = ke - (len(entry) - variant)
            # "الالجيش" is no word; without `article`, "X" does not match "الX"
            no_article = (entry.startswith(article) and not variant) or not self.article
            # the longest run of proclitics before the entry that starts a word: the first start that does
            ps = -1
            for j in range(max(0, ks - 6), ks + 1) if self.clitics else (ks,):
                if j and _is_word(view[j - 1]):
                    continue  # not the start of a word
                pre = view[j:ks]
                if j < ks and not proclitics.fullmatch(pre):
                    continue
                if no_article and (pre.endswith(article) or pre.replace(" ", "").endswith(lam_article)):
                    continue
                ps = j
                break
            if ps < 0:
                continue  # not at the start of a word
            prefix = view[ps:ks]
            core = ks - 2 if prefix.endswith(article) else ks  # "الهجوم": the article belongs to the word
            yield ps, core, ks, ke, entry, value

    def any(self, text: str) -> bool:
        """Whether `text` holds a match at all: `bool(findall(text))`, stopping at the first."""
        if not self._n:
            return False
        view, cuts, shifts, _starts = _view(text)
        scan = self._scan(text, view, cuts, shifts, True)  # (a document is read whole when it holds any)
        return bool(scan) if scan is not None else next(self._candidates(view, 0, len(view)), None) is not None

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
    from_afar: bool = False  # its attacks in Syria come from the air or from afar (actors.tsv, fifth column "afar")
    name_ar: str | None = None  # its name in Arabic, for the explorer (actors.tsv, sixth column)


@cache
def actors() -> dict[str, ActorInfo]:
    return {r[0]: ActorInfo(r[0], int(r[1]), r[2], r[3] if len(r) > 3 and r[3] else None, len(r) > 4 and r[4] == "afar",
                            r[5] if len(r) > 5 and r[5] else None)
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
    return Matcher(_names_of_actors("actor_aliases.tsv"), shared=True)


@cache
def state_matcher() -> Matcher:
    return Matcher(_names_of_actors("states.tsv"), article=False, shared=True)


@cache
def unit_matcher() -> Matcher:
    return Matcher(((r[0], (r[1], r[2])) for r in read_rows("units.tsv", 3)), shared=True)


@cache
def trigger_matcher() -> Matcher:
    return Matcher(((r[0], r[1]) for r in read_rows("triggers.tsv", 2)), shared=True)


@cache
def cue_matcher() -> Matcher:
    return Matcher(((r[0], r[1]) for r in read_rows("cues.tsv", 2)), shared=True)


@cache
def weapon_matcher() -> Matcher:
    return Matcher(((r[0], r[1]) for r in read_rows("weapons.tsv", 2)), shared=True)


@cache
def claimant_matcher() -> Matcher:
    return Matcher(((r[0], (r[1], r[2])) for r in read_rows("claimants.tsv", 3)), article=False, shared=True)


@cache
def governorate_matcher() -> Matcher:
    return Matcher(((r[0], r[1]) for r in read_rows("governorates.tsv", 2)), article=False, shared=True)


@cache
def descriptor_matcher() -> Matcher:
    return Matcher(((r[0], (r[1], int(r[2]))) for r in read_rows("place_descriptors.tsv", 3)), article=False, shared=True)


@cache
def topic_matcher() -> Matcher:
    return Matcher(((r[0], r[1]) for r in read_rows("topics.tsv", 2)), shared=True)


@cache
def furniture_prefixes() -> tuple[str, ...]:
    return tuple(_key(norm(r[0])) for r in read_rows("furniture.txt", 1))


@cache
def region_matcher() -> Matcher:
    return Matcher(((r[0], r[1] if len(r) > 1 and r[1] else None) for r in read_rows("regions.tsv", 1)), article=False, shared=True)


@cache
def country_matcher() -> Matcher:
    return Matcher(((r[0], r[1]) for r in read_rows("countries.tsv", 2)), article=False, shared=True)


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
