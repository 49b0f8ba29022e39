"""The fuzz suite of issue 14 (hypothesis): `rasad.extract_text` over four kinds of generated input, the
readers over broken files, and the API's query strings over real HTTP.

The four kinds: random Unicode; Arabic word salad from the corpus's tokens; real articles mutated
(slices cut, doubled and moved, tokens and figures dropped in); pathological repetitions (one unit repeated
to tens of thousands of characters, with or without an incident). Each goes with a `published` drawn in
and far out of range, valid or not. Every output's evidence spans must equal their text, every figure stay
within the bound and every report date be plausible. The corpus comes from ../shared at run time; without
it the tokens and articles are the texts written here.

Two hypothesis profiles, chosen by RASAD_FUZZ_PROFILE: `ci` (the default, `make test`: 500 examples a kind,
100 files and 100 query strings, about 2,200 in all, untimed) and `fuzz` (`make fuzz`: 25,000 a kind, 100,000 in
all, 5,000 broken files and 5,000 query strings, and every input over MAX_SECONDS of CPU fails). At the end of
the session each kind's count and its slowest input are printed (conftest.py).
"""

from __future__ import annotations

import datetime as dt
import gc
import gzip
import json
import os
import re
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import rasad
from conftest import SHARED
from rasad.pipeline.figures import MAX_TOLL
from rasad.pipeline.run import plausible_report_date
from test_robustness import DATES, NUMBERS, PUBLISHED, WORDS, figures_of, record, spans_match

PROFILE_ENV = "RASAD_FUZZ_PROFILE"
_COMMON: dict[str, Any] = {
    "deadline": None,  # hypothesis' own deadline fails on a loaded machine: the fuzz profile times each input itself
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                              HealthCheck.function_scoped_fixture],
    "print_blob": True,
}
settings.register_profile("ci", max_examples=500, **_COMMON)
settings.register_profile("fuzz", max_examples=25_000, **_COMMON)
PROFILE = os.environ.get(PROFILE_ENV, "ci")
settings.load_profile(PROFILE)
TIMED = PROFILE == "fuzz"  # timing belongs to `make fuzz`: `make test` checks exceptions and spans only
MAX_SECONDS = 2.0
LONG = 100_000 if TIMED else 20_000  # the longest pathological text (characters)
SHARE = settings(max_examples=max(100, settings.default.max_examples // 5))  # readers and query strings


# -- what ran: a count per kind and the slowest input ------------------------------------------------


@dataclass
class Tally:
    inputs: int = 0
    slowest: float = 0.0  # seconds (CPU, or wall when the work is another process's)
    slowest_input: str = ""
    wall: float = 0.0  # the slowest wall time
    extra: dict[str, int] = field(default_factory=dict)


TALLY: dict[str, Tally] = {}


def timed(kind: str, what: Callable[[], Any], describe: Callable[[], str], clock: str = "cpu") -> Any:
    """what() counted under `kind`; in the fuzz profile an input over MAX_SECONDS fails. The time is this
    thread's CPU time (clock="cpu"): the machine's load does not make an input slow; the server's
    answers are timed by the wall clock (clock="wall"). The garbage collector waits till the input is done."""
    # a full collection of this process's heap (mostly hypothesis' records of the run) is no cost of the input:
    # it took 0.5 s to 3 s, on a text of one character, after 80,000 inputs
    gc.disable()
    try:
        c0, t0 = time.thread_time(), time.perf_counter()
        out = what()
        cpu, wall = time.thread_time() - c0, time.perf_counter() - t0
    finally:
        gc.enable()
    took = wall if clock == "wall" else cpu
    tally = TALLY.setdefault(kind, Tally())
    tally.inputs += 1
    tally.wall = max(tally.wall, wall)
    if took > tally.slowest:
        tally.slowest, tally.slowest_input = took, describe()
    if TIMED:
        assert took <= MAX_SECONDS, f"{kind}: {took:.2f} s {clock} (over {MAX_SECONDS} s) for {describe()}"
    return out


def summary() -> list[str]:
    """What ran, for the end of the session (conftest.py's pytest_terminal_summary)."""
    lines = [f"fuzz ({PROFILE} profile): {sum(t.inputs for t in TALLY.values()):,} inputs"]
    for kind, t in TALLY.items():
        extra = "".join(f", {n:,} {what}" for what, n in t.extra.items())
        lines.append(f"  {kind:16s} {t.inputs:>7,} inputs{extra}; slowest {t.slowest:.3f} s (wall {t.wall:.3f} s at "
                     f"most): {t.slowest_input}")
    return lines


def short(text: str | None, n: int = 60) -> str:
    if text is None:
        return "None"
    return repr(text) if len(text) <= n else f"{text[:n]!r}... ({len(text):,} chars)"


# -- the corpus: tokens and articles from ../shared, or the texts written here ---------------------------

CORPORA = ("corpus/dev/articles.jsonl", "corpus/ant/articles.jsonl.gz", "corpus/almayadeen/articles.jsonl.gz")
ARTICLES_PER_CORPUS = 400
VIOLENCE = re.compile("قتل|قصف|غارة|هجوم|اشتباك|انفجار|جرح|أصيب|استهدف")
WRITTEN = [  # for a checkout without ../shared
    json.loads(record(i))["text"] for i in range(5)] + [
    "قُتل 12 عنصراً من قوات النظام السوري، أمس السبت، بكمين نصبه عناصر تنظيم الدولة الإسلامية قرب مدينة السخنة في "
    "بادية حمص الشرقية. وقال المرصد السوري لحقوق الإنسان إن حصيلة القتلى ارتفعت إلى 15، فيما أعلنت وكالة أعماق "
    "مقتل 20 عنصراً.\n\nوفي ريف إدلب، أصيب خمسة مدنيين بجروح جراء قصف مدفعي استهدف بلدة معرة النعمان مساء الجمعة، "
    "بحسب الدفاع المدني. ومنذ بداية العام قُتل أكثر من 300 شخص في المحافظة.",
    "دمشق - 15 آذار 2021: قالت مصادر محلية إن ثلاثة أطفال قتلوا وجرح سبعة آخرون، ليل السبت/الأحد، بانفجار عبوة "
    "ناسفة في سوق بلدة طفس بريف درعا الغربي، ونفت قوات النظام مسؤوليتها عن الانفجار.",
]


def _corpus_articles() -> list[dict[str, Any]]:
    """Articles about violence from the start of each corpus of ../shared (none without it)."""
    out: list[dict[str, Any]] = []
    for name in CORPORA:
        path = SHARED / name
        if not path.exists():
            continue
        with (gzip.open(path, "rt", encoding="utf-8") if name.endswith(".gz") else
              open(path, encoding="utf-8")) as f:
            rows = (json.loads(line) for line in f if line.strip())
            out += islice((r for r in rows if VIOLENCE.search(r.get("text") or "")), ARTICLES_PER_CORPUS)
    return out


ARTICLES = _corpus_articles() or [{"text": t, "title": None, "published": "2024-03-05"} for t in WRITTEN]
_TOKENS = {w for a in ARTICLES for w in (a.get("title") or "").split() + a["text"].split()}
TOKENS = sorted(_TOKENS | set(NUMBERS) | set(WORDS)) + DATES  # sorted: the same draw gives the same token


# -- strategies ------------------------------------------------------------------------------------

published_values = st.one_of(
    st.none(),
    st.sampled_from(PUBLISHED),  # the extreme and the broken
    st.dates().map(dt.date.isoformat),  # any year from 1 to 9999
    st.dates(min_value=dt.date(2011, 1, 1), max_value=dt.date(2027, 12, 31)).map(dt.date.isoformat),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)).map(
        lambda t: t.isoformat() + "+03:00"),
    st.text(max_size=25),
)
arabic = st.characters(min_codepoint=0x600, max_codepoint=0x6FF)
some_unicode = st.one_of(
    st.text(max_size=2000),
    st.text(st.one_of(arabic, st.sampled_from(" \n.،:0123456789٠١٢٣٤٥٦٧٨٩/-«»()\u200f\u064b")), max_size=2000),
)
titles = st.one_of(st.none(), st.text(max_size=200), st.lists(st.sampled_from(TOKENS), max_size=15).map(" ".join))
SALAD = TOKENS + ["،", ".", "\n", "\n\n", "و"] * 40  # a separator between one word in five or so


@st.composite
def word_salad(draw: st.DrawFn, max_words: int = 100) -> str:
    n = draw(st.integers(1, max_words))  # (a list's own length leans to a handful: three words at the median)
    return " ".join(draw(st.lists(st.sampled_from(SALAD), min_size=n, max_size=n)))


def _cut(text: str, i: int, j: int, filler: str) -> str:
    return text[:i] + text[j:]


def _double(text: str, i: int, j: int, filler: str) -> str:
    return text[:j] + text[i:j] + text[j:]


def _insert(text: str, i: int, j: int, filler: str) -> str:
    return text[:i] + filler + text[i:]


def _replace(text: str, i: int, j: int, filler: str) -> str:
    return text[:i] + filler + text[j:]


def _move(text: str, i: int, j: int, filler: str) -> str:
    return text[j:] + text[i:j] + text[:i]


def _truncate(text: str, i: int, j: int, filler: str) -> str:
    return text[:i]


def _figures(text: str, i: int, j: int, filler: str) -> str:  # every figure of the slice becomes another
    return text[:i] + re.sub(r"[0-9٠-٩]+", lambda _: filler.strip() or "0", text[i:j]) + text[j:]


MUTATIONS = [_cut, _double, _insert, _replace, _move, _truncate, _figures]


@st.composite
def mutated_article(draw: st.DrawFn) -> tuple[str, str | None, Any]:
    """A real article with up to eight mutations, its title (or another), and its published (or another)."""
    art = draw(st.sampled_from(ARTICLES))
    text = art["text"]
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(MUTATIONS))
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 600)))
        filler = draw(st.one_of(st.sampled_from(NUMBERS + DATES + WORDS), word_salad(8), st.text(max_size=20)))
        text = op(text, i, j, filler)
    title = draw(st.one_of(st.just(art.get("title")), titles))
    published = draw(st.one_of(st.just(art.get("published")), published_values))
    return text, title, published


INCIDENT = "قُتل ثلاثة مدنيين بقصف مدفعي على بلدة كفرنبل بريف إدلب الجنوبي، أمس الثلاثاء. "
UNITS = ["ليل السبت/الأحد ", "جرحى ", "قتلى ", "حلب ", "ريف دمشق ", "دمشق وريف دمشق ", "في حلب ", "بلدة ", "قتل ",
         "قصف ", "المرصد السوري ", "أمس ", "15 آذار 2021 ", "الأسبوع الماضي ", "1,000,", "1.000.", "٣", "3 ", "،",
         ".", "\n", " ", "«", "(", "و", "قصف على حلب. ", "قتيلا وجريحا ", "بين 3 و5 ", INCIDENT,
         "قصفت الطائرات الحربية بلدة في ريف إدلب. ", "حلب، إدلب، حماة، حمص، درعا، دير الزور، الرقة، الحسكة، "]


@st.composite
def repetition(draw: st.DrawFn) -> str:
    """One or two units repeated, mostly to a few thousand characters, now and then to LONG; an incident
    before, inside or after them, or none."""
    units = draw(st.lists(st.one_of(st.sampled_from(UNITS), word_salad(4)), min_size=1, max_size=2))
    unit = "".join(units)
    size = draw(st.sampled_from([LONG] + [LONG // 10] * 9 + [2000] * 40))  # 1 in 50 long, 9 in 50 a tenth of it
    n = draw(st.integers(1, max(1, size // len(unit))))
    where = draw(st.sampled_from(["none", "before", "middle", "after"]))
    body = unit * n
    if where == "before":
        return INCIDENT + body
    if where == "middle":
        return unit * (n // 2) + INCIDENT + unit * (n - n // 2)
    return body + INCIDENT if where == "after" else body


# -- extract_text ---------------------------------------------------------------------------------


def check_extract(kind: str, text: str, title: str | None, published: Any) -> None:
    """extract_text must not raise, every span must be its text, every figure within the bound, the report
    date plausible; in the fuzz profile it must take at most MAX_SECONDS."""
    def describe() -> str:
        return f"extract_text({short(text)}, title={short(title)}, published={published!r})"

    try:
        out = timed(kind, lambda: rasad.extract_text(text, title=title, published=published), describe)
    except AssertionError:
        raise
    except Exception as exc:
        raise AssertionError(f"{describe()}: {exc.__class__.__name__}: {exc}") from exc
    assert not spans_match(out, text, title), describe()
    assert all(v <= MAX_TOLL for v in figures_of(out)), describe()
    ref = out["reference_date"]
    assert ref is None or plausible_report_date(dt.date.fromisoformat(ref)), describe()


@given(text=some_unicode, title=titles, published=published_values)
def test_fuzz_random_unicode(text: str, title: str | None, published: Any) -> None:
    check_extract("random unicode", text, title, published)


# the reproducers of issue 14: figures with several dots, report dates at the calendar's ends
@example(text="1.000.000 قتيل", title=None, published="2024-03-05")
@example(text="قتل 2.500.000 شخص", title=None, published="2024-03-05")
@example(text="أصيب 1.5.2 شخص", title=None, published="2024-03-05")
@example(text="قتل 3,000,000,000 شخص في قصف على حلب", title=None, published="2024-03-05")
@example(text="قتل 1.000.000.000.000 شخص في قصف على حلب", title=None, published="2024-03-05")
@example(text="قتل 3 أشخاص في قصف على حلب الشهر الماضي", title=None, published="0001-01-01")
@example(text="قتل 3 أشخاص في قصف على حلب العام الماضي", title=None, published="9999-12-31")
@example(text="قتل 3 أشخاص في قصف على حلب الأسبوع الماضي", title=None, published="0001-01-01")
@example(text="قتل 3 أشخاص في قصف على حلب قبل ساعات", title=None, published="9999-12-31")
@example(text="قتل 3 أشخاص في قصف على حلب غدا", title=None, published="9999-12-31")
@example(text="قتل 3 أشخاص في قصف على حلب في 15 آذار", title=None, published="0001-01-01")
@example(text="قتل 3 أشخاص في قصف على حلب أمس", title=None, published="3000-01-01")
@given(text=word_salad(), title=titles, published=published_values)
def test_fuzz_word_salad(text: str, title: str | None, published: Any) -> None:
    check_extract("word salad", text, title, published)


@given(article=mutated_article())
def test_fuzz_mutated_articles(article: tuple[str, str | None, Any]) -> None:
    check_extract("mutated article", *article)


# the reproducers of issue 14's quadratic time, at 64k characters (10 s, 64 s and 41 s before)
@example(text="ليل السبت/الأحد " * 4000 + INCIDENT, published="2022-03-09")
@example(text="جرحى " * 12800 + INCIDENT, published="2022-03-09")
@example(text=(WRITTEN[-2] + "\n\n") * 140, published="2022-03-09")
@given(text=repetition(), published=published_values)
def test_fuzz_pathological_repetitions(text: str, published: Any) -> None:
    check_extract("repetition", text, None, published)


# -- the readers ----------------------------------------------------------------------------------

EXTENSIONS = [".jsonl", ".jsonl.gz", ".json", ".txt", ".html", ".htm", ""]
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30))


@st.composite
def json_record(draw: st.DrawFn) -> Any:
    """A record as rasad reads them, with any field of any type, missing, or junk; or no object at all."""
    fields = {"id": st.one_of(st.text(max_size=12), json_scalars), "title": st.one_of(titles, json_scalars),
              "published": st.one_of(published_values, json_scalars), "source": json_scalars,
              "url": json_scalars, "text": st.one_of(word_salad(40), some_unicode, json_scalars,
                                                     st.lists(st.text(max_size=5), max_size=3))}
    obj = {k: draw(v) for k, v in fields.items() if draw(st.integers(0, 5))}  # each field missing 1 in 6
    return draw(st.one_of(st.just(obj), json_scalars, st.lists(st.just(obj), max_size=2)))


@st.composite
def html_page(draw: st.DrawFn) -> str:
    tags = ["p", "div", "article", "h1", "span", "script", "style", "table", "td", "br", "a", "!--", "meta"]
    parts = [f"<{draw(st.sampled_from(tags))}>{draw(st.one_of(word_salad(30), st.text(max_size=50)))}"
             + (f"</{draw(st.sampled_from(tags))}>" if draw(st.booleans()) else "")
             for _ in range(draw(st.integers(0, 12)))]
    head = f"<title>{draw(titles) or ''}</title><meta property=\"article:published_time\" content=\"{draw(published_values)}\">"
    page = f"<!doctype html><html><head>{head}</head><body>{''.join(parts)}</body></html>"
    return page[:draw(st.integers(0, len(page)))] if draw(st.integers(0, 4)) == 0 else page


@st.composite
def broken_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file name's extension and its bytes: JSON lines of good and bad records, JSON, text, HTML, in
    some encoding, with some bytes overwritten, gzip perhaps cut short."""
    ext = draw(st.sampled_from(EXTENSIONS))
    if ext in (".jsonl", ".jsonl.gz"):
        lines = draw(st.lists(st.one_of(st.tuples(json_record(), st.booleans()).map(lambda t: json.dumps(t[0], ensure_ascii=t[1])),
                                        st.sampled_from(["", "{", "[]", "null", "\x00\x01", '{"text": "x"']),
                                        st.text(max_size=40)), max_size=6))
        text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    elif ext == ".json":
        text = json.dumps(draw(json_record()), ensure_ascii=False)
    elif ext in (".html", ".htm"):
        text = draw(html_page())
    else:
        text = draw(st.one_of(word_salad(60), some_unicode, html_page()))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1256", "latin-1"]))
    data = bytearray(text.encode(encoding, errors="replace"))
    for at, byte in draw(st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=6)):
        if data:
            data[at % len(data)] = byte
    if draw(st.booleans()):
        data += draw(st.binary(max_size=40))
    if ext == ".jsonl.gz":
        packed = gzip.compress(bytes(data))
        data = bytearray(packed[:draw(st.integers(0, len(packed)))] if draw(st.integers(0, 3)) == 0 else packed)
    return ext, bytes(data)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-files")


@SHARE
@given(case=broken_file())
def test_fuzz_readers(files: Path, case: tuple[str, bytes]) -> None:
    """The JSON lines, JSON, TXT and HTML readers (and the counting of progress bars) over broken files:
    every problem is reported, none raises, and what is read extracts whole."""
    from rasad.pipeline.read import IngestError, count_sources, iter_sources
    from rasad.pipeline.run import DocumentTooLarge, extract

    ext, data = case
    path = files / f"case{ext}"
    path.write_bytes(data)
    errors: list[IngestError] = []

    def read() -> int:
        count_sources([str(path)])
        n = 0
        for src in iter_sources([str(path)], on_error=errors.append):
            assert isinstance(src.text, str) and src.doc, src
            try:
                out = extract(src)
            except DocumentTooLarge:
                continue
            assert not spans_match(out, src.text, src.title), src
            n += 1
        return n

    timed("readers", read, lambda: f"{path.name}: {bytes(data[:60])!r} ({len(data):,} bytes)")
    assert all(isinstance(e, IngestError) for e in errors)
    TALLY["readers"].extra["problems reported"] = TALLY["readers"].extra.get("problems reported", 0) + len(errors)


# -- the API's query strings, over HTTP against `rasad serve` ----------------------------------------

ENDPOINTS = ["/events", "/map", "/timeline", "/review/reasons", "/events/{id}"]
PARAMS = ["since", "until", "admin1", "admin2", "actor", "event_type", "min_fatalities", "q", "bbox", "status",
          "reason", "page", "per_page", "limit", "offset", "sort", "zoom", "bin"]
KNOWN = ["all", "confirmed", "rejected", "unreviewed", "corrected", "any", "-reasons", "-date", "date", "id",
         "fatalities", "-fatalities", "day", "week", "Homs", "حمص", "حلب", "Idlib", "Explosions/Remote violence",
         "35,32,38,37", "-180,-90,180,90", "1e308,0,inf,nan", "2022-03-09", "0001-01-01", "9999-12-31", "2022-02-30",
         str(2**63), str(2**63 - 1), str(-2**63), "0", "-1", "1", "20", "500", "501", "1e3", "0x10", " 5", "٥"]
values = st.one_of(st.sampled_from(KNOWN), st.integers().map(str), st.floats().map(str), st.text(max_size=30),
                   st.dates().map(dt.date.isoformat),
                   st.lists(st.floats(allow_nan=True), min_size=3, max_size=5).map(lambda v: ",".join(map(str, v))))
QUERY_CHARS = "abcdefghiklmnopqrstuvwxyz_=&%+;,.-/?0123456789ABCDEFZ ءحلب"


@st.composite
def query(draw: st.DrawFn) -> tuple[str, str]:
    """A path and its raw query string: parameters of the filters with any value, repeated or unknown, or
    a query of loose characters and percent escapes (of bytes that are no UTF-8 as well)."""
    endpoint = draw(st.sampled_from(ENDPOINTS))
    if "{id}" in endpoint:
        endpoint = endpoint.replace("{id}", urllib.parse.quote(draw(st.one_of(
            st.integers(-2**70, 2**70).map(str), st.sampled_from(KNOWN), st.text(min_size=1, max_size=10))), safe=""))
    if draw(st.integers(0, 4)):
        pairs = draw(st.lists(st.tuples(st.one_of(st.sampled_from(PARAMS), st.text(max_size=8)), values), max_size=6))
        raw = urllib.parse.urlencode(pairs)
    else:
        raw = draw(st.text(st.sampled_from(QUERY_CHARS), max_size=60))
        raw += "".join(f"%{b:02X}" for b in draw(st.binary(max_size=6)))
    return endpoint, raw


@pytest.fixture(scope="module")
def server(rasad_cmd: list[str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """`rasad serve` over examples/ and test_server's batch (merged reports, markup in a title)."""
    from test_server import Server, _db

    s = Server(rasad_cmd, _db(rasad_cmd, tmp_path_factory.mktemp("fuzz-server")))
    yield s
    s.stop()


@SHARE
@given(case=query())
def test_fuzz_api_query_strings(server: Any, case: tuple[str, str]) -> None:
    """No query string makes a 500: the answer is a 200 with JSON, or a 4xx with a JSON error."""
    path, raw = case
    url = httpx.URL(server.url + "/api/v1" + path, query=raw.encode("ascii", errors="ignore"))
    r = timed("query strings", lambda: server.client.get(url), lambda: f"GET {path}?{raw}", clock="wall")
    assert r.status_code == 200 or 400 <= r.status_code < 500, f"GET {path}?{raw}: {r.status_code} {r.text[:300]}"
    body = r.json()
    if r.status_code != 200:
        assert isinstance(body, dict) and body.get("detail"), f"GET {path}?{raw}: {r.status_code} {r.text[:300]}"
    codes = TALLY["query strings"].extra
    codes[str(r.status_code)] = codes.get(str(r.status_code), 0) + 1


# -- what is extracted is stored ---------------------------------------------------------------------


@settings(max_examples=5 if not TIMED else 50)
@given(batch=st.lists(st.tuples(word_salad(40), titles, published_values), min_size=20, max_size=40))
def test_fuzzed_documents_are_stored_whole(store: Any, files: Path, batch: list[tuple[str, str | None, Any]]) -> None:
    """What the fuzz extracts also fits the database (SQLite, and PostgreSQL with RASAD_TEST_PG): no figure,
    date or text of a word salad makes a document fail to store."""
    from rasad.database.ingest import ingest

    path = files / "batch.jsonl"
    lines = [json.dumps({"id": f"f{i}", "published": published, "title": title,
                         "text": text + " قتل 3,000,000,000 شخص و2.000.000 جريح في قصف على حلب"}, ensure_ascii=False)
             for i, (text, title, published) in enumerate(batch)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = ingest(store, [str(path)])
    assert res.failed == [] and res.quarantined == 0, res.errors[:3]
    assert res.documents + res.skipped == len(batch)
