"""Read documents from files, folders and stdin into `Source` records.

Accepted inputs (chosen by file extension, case-insensitive):

* ``.txt`` (and explicit files with no or an unknown extension): the whole file is one document;
  an explicit file without an HTML extension that starts like a web page is read as HTML.
* ``.html`` / ``.htm``: the article body extracted with trafilatura (furniture, comments and
  tables dropped); the title and publication date come from the page metadata.
* ``.jsonl`` / ``.jsonl.gz``: one JSON object a line with ``id, url, source, title, published, text``;
  streamed line by line, so files of any size are fine.
* ``.json``: one such object, or a list of them.
* folders: read recursively, files sorted by path, hidden files and folders skipped.
* ``-``: standard input; JSON lines when it starts with ``{`` (one pretty-printed object, or a
  ``[...]`` list of them, is also accepted), otherwise one text document named ``stdin``.

The text of a `Source` is kept exactly as decoded (only a byte-order mark is dropped), because
evidence offsets are character offsets into it. Problems are reported as `IngestError`s, which
say what is wrong and what to do; `iter_sources` hands them to ``on_error`` and goes on.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import gzip
import html
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

from rasad.document import Source

__all__ = [
    "IngestError",
    "SeenIds",
    "count_sources",
    "decode_bytes",
    "iter_sources",
    "parse_published",
    "read_path",
]

MAX_LINE_BYTES = 50 * 1024 * 1024  # a single JSON line longer than this is reported, not parsed
_SNIFF = 65536  # bytes inspected when guessing an encoding or spotting binary data
_GZIP_COUNT_LIMIT = 64 * 1024 * 1024  # count_sources decompresses .jsonl.gz files up to this size
_JSON_COUNT_LIMIT = 16 * 1024 * 1024  # count_sources parses .json files up to this size

FOLDER_EXTENSIONS = (".txt", ".html", ".htm", ".json", ".jsonl", ".jsonl.gz")

ErrorHandler = Callable[["IngestError"], None]


class IngestError(Exception):
    """A document that cannot be read. The message says what is wrong and what to do.

    ``path`` is the file (``"-"`` for standard input), ``doc`` the record id when known and
    ``line`` the 1-based line number in a JSON lines file when relevant.
    """

    def __init__(self, message: str, path: str, doc: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.doc = doc
        self.line = line

    def __reduce__(self) -> tuple[Any, ...]:  # keep picklable (multiprocessing) despite the extra args
        return (self.__class__, (self.message, self.path, self.doc, self.line))

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------------------------
# dates

_DIGITS = {zero + i: ord("0") + i for zero in (0x0660, 0x06F0) for i in range(10)}  # Arabic-Indic, Persian digits
_YMD_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_DMY_NAME_RE = re.compile(r"(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})\b")


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_UTC_SUFFIX_RE = re.compile(r"\s*(?:UTC|GMT|Z)$", re.IGNORECASE)
_SYRIA_TZ = "Asia/Damascus"
_SYRIA_FALLBACK = dt.timezone(dt.timedelta(hours=3), "+03")  # Syria's time since 2022, when no tz database


@cache
def _syria() -> dt.tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(_SYRIA_TZ)
    except Exception:  # no time zone database on this system (and no tzdata package)
        return _SYRIA_FALLBACK


def _local_day(t: dt.datetime) -> dt.date:
    """The day of `t` as its writer lived it.

    A timestamp in UTC is a server's clock, not the reporter's: it becomes Syria's local day
    (23:30 UTC is already the next day in Damascus, and "today" in the text means that day).
    A timestamp with another offset is the outlet's own local time: its written date is the day
    the text calls "today", so it is kept (23:40+02:00 in Beirut is still that evening).
    """
    off = t.utcoffset()
    if off is None or off != dt.timedelta(0):
        return t.date()
    return t.astimezone(_syria()).date()


def parse_published(value: Any) -> dt.date | None:
    """The calendar date of an ISO 8601 or RFC 2822 timestamp; None when absent or unparseable.

    The date is the one written in the timestamp (its own time zone): ``"2018-02-18T23:30:00+04:00"``
    is 18 February; a UTC timestamp is turned into Syria's local day first
    (``"2018-02-18T23:30:00Z"`` is 19 February in Damascus). Never raises.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _local_day(value)
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    s = value.strip().translate(_DIGITS)
    if not s or len(s) > 100:
        return None
    try:  # ISO 8601: 2018-02-18, 2018-02-18T21:35:43+04:00, ...Z, 20180218
        return _local_day(dt.datetime.fromisoformat(s))
    except (ValueError, OverflowError):
        pass
    try:  # RFC 2822: Sun, 18 Feb 2018 21:35:43 +0400
        return _local_day(email.utils.parsedate_to_datetime(s))
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    if _UTC_SUFFIX_RE.search(s):  # 2018-02-18 21:35:43 UTC
        try:
            return _local_day(dt.datetime.fromisoformat(_UTC_SUFFIX_RE.sub("", s)).replace(tzinfo=dt.UTC))
        except (ValueError, OverflowError):
            pass
    m = _YMD_RE.match(s)  # 2018/02/18, 2018.02.18 ...
    if m:
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    m = _DMY_NAME_RE.match(s)  # RFC 2822 without a time: "Sun, 18 Feb 2018", "18 February 2018"
    if m and m[2][:3].lower() in _MONTHS:
        return _safe_date(int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1]))
    return None


class SeenIds:
    """The ids of the documents of one run, to say when an id comes again with another text (the two are
    different documents to the store: its content hash covers the text)."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, str]] = {}

    def check(self, src: Source) -> str | None:
        """A warning when `src`'s id was seen with another text (its title and text hashed), else None."""
        key = hash((src.title, src.text))
        first = self._seen.setdefault(src.doc, (key, src.where))
        if first[0] == key:
            return None
        return f"{src.where}: record id {src.doc!r} came before with another text ({first[1]}); both are kept"


# --------------------------------------------------------------------------------------------
# decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 control bytes that do not occur in text (tab, newlines, form feed and escape are allowed)
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32)])
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_MAGIC = (
    (b"\x1f\x8b", "it is gzip-compressed: name it .jsonl.gz if it holds JSON lines, or decompress it"),
    (b"%PDF-", "it is a PDF: convert it to text first"),
    (b"PK\x03\x04", "it is a ZIP archive (or a .docx/.xlsx file): extract or convert it first"),
    (b"\x89PNG", "it is a PNG image"),
    (b"\xff\xd8\xff", "it is a JPEG image"),
    (b"GIF8", "it is a GIF image"),
    (b"BZh", "it is bzip2-compressed: decompress it first"),
    (b"\xfd7zXZ", "it is xz-compressed: decompress it first"),
)
# high bytes of UTF-16 code units in Arabic text: ASCII/Latin-1, Arabic, punctuation, presentation forms
_UTF16_HIGH = bytes([0x00, 0x06, 0x20, 0xFB, 0xFC, 0xFD, 0xFE])
_ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_SUSPECT_RE = re.compile(r"[\u00c0-\u00ff\u0152\u0153\u064b-\u0652]")  # Latin-1 letters, harakat
_ASCII_BYTES = bytes(range(128))


def _binary_reason(data: bytes) -> str | None:
    """Why `data` looks like a binary file, or None when it may be text."""
    for magic, reason in _MAGIC:
        if data.startswith(magic):
            return reason
    sample = data[:_SNIFF]
    if not sample:
        return None
    nul = sample.count(0)
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if nul > len(sample) * 0.001 or control > len(sample) * 0.05:
        return f"{control} of its first {len(sample)} bytes are control characters"
    return None


def _guess_utf16(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when BOM-less data has the NUL-byte pattern of UTF-16 text."""
    sample = data[: _SNIFF & ~1]
    if len(sample) < 4:
        return None
    for codec, high, low in (("utf-16-le", sample[1::2], sample[0::2]), ("utf-16-be", sample[0::2], sample[1::2])):
        if not high or low.count(0) > len(low) * 0.02:
            continue  # NULs in the low bytes: not UTF-16 text
        typical = len(high) - len(high.translate(None, _UTF16_HIGH))
        if high.count(0) + high.count(6) >= len(high) * 0.5 and typical >= len(high) * 0.9:
            try:
                text = data[: len(data) & ~1].decode(codec)
            except UnicodeDecodeError:
                continue
            if len(_CONTROL_RE.findall(text[:_SNIFF])) <= len(text[:_SNIFF]) * 0.01:
                return codec
    return None


def _arabic_quality(text: str) -> float:
    """Share of Arabic letters among the letters a wrong single-byte decoding would produce.

    Text in another single-byte encoding read as Windows-1256 comes out as Arabic letters mixed
    with Latin accented letters and stray diacritics; real Arabic is nearly all letters.
    """
    sample = text[:_SNIFF]
    good = len(_ARABIC_LETTER_RE.findall(sample))
    bad = len(_SUSPECT_RE.findall(sample))
    return good / (good + bad) if good + bad else 0.0


def decode_bytes(data: bytes, path: str) -> str:
    """Decode the bytes of a text file, guessing its encoding; a byte-order mark is dropped.

    Order: byte-order mark (UTF-8, UTF-16, UTF-32); BOM-less UTF-16 (NUL-byte pattern); UTF-8
    (also when only a few bytes are broken: they become U+FFFD); Windows-1256 when the bytes read
    as Arabic (or ISO-8859-6 when that reads clearly better); otherwise charset-normalizer's best
    guess, with Windows-1256 winning ties.
    Binary data raises `IngestError`. Newlines and everything else are kept as they are.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                if codec == "utf-32-le" and data.startswith(codecs.BOM_UTF16_LE):
                    continue  # FF FE 00 00 was a UTF-16 BOM followed by U+0000
                return body.decode(codec, errors="replace")
    if not data:
        return ""
    codec16 = _guess_utf16(data)
    if codec16:
        return data.decode(codec16, errors="replace")
    reason = _binary_reason(data)
    if reason:
        raise IngestError(
            f"{path} looks like a binary file, not text ({reason}); give rasad UTF-8 or Windows-1256 "
            "text (.txt), HTML pages (.html) or JSON lines (.jsonl, .jsonl.gz)",
            path,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    as_utf8 = data.decode("utf-8", errors="replace")
    broken = as_utf8.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    high = len(data) - len(data.translate(None, _ASCII_BYTES))  # bytes >= 0x80
    if high >= 40 and broken <= max(1, high // 100):
        return as_utf8  # UTF-8 with a stray bad byte or a cut-off character
    as_1256 = data.decode("cp1256")  # cp1256 maps all 256 bytes
    quality = _arabic_quality(as_1256)
    if quality >= 0.85:  # reads as Arabic: Windows-1256 (or ISO-8859-6 when that reads clearly better)
        try:
            as_iso = data.decode("iso8859_6")
        except UnicodeDecodeError:
            return as_1256
        return as_iso if _arabic_quality(as_iso) > quality + 0.05 else as_1256
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * _SNIFF]).best()
    if best is None or best.encoding == "cp1256":
        if best is not None or quality >= 0.5:
            return as_1256
        raise IngestError(
            f"cannot tell which text encoding {path} uses; convert it to UTF-8 "
            f"(for example: iconv -f WINDOWS-1256 -t UTF-8 {path} > {Path(path).stem}.utf8.txt)",
            path,
        )
    return data.decode(best.encoding, errors="replace")


# --------------------------------------------------------------------------------------------
# HTML

_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "iso8859-1": "cp1252", "us-ascii": "cp1252",
                   "ascii": "cp1252", "windows-1252": "cp1252", "iso-8859-6": "iso8859_6"}
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_HTML_START_RE = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)


def _declared_charset(head: bytes) -> str | None:
    m = _META_CHARSET_RE.search(head)
    if not m:
        return None
    name = (m[1] or m[2]).decode("ascii").lower()
    name = _WHATWG_ALIASES.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec.startswith(("utf-16", "utf-32")) else codec  # a BOM-less page can't be UTF-16


def _decode_html(data: bytes, path: str) -> str:
    if not any(data.startswith(bom) for bom, _ in _BOMS):  # a BOM wins over <meta charset>
        codec = _declared_charset(data[:4096])
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass  # the page lies about its charset: guess
    return decode_bytes(data, path)


class _BodyText(HTMLParser):
    """Plain-text rendering of a page, without scripts, styles and page furniture."""

    HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "svg", "object"})
    FURNITURE = frozenset({"nav", "footer", "aside", "form", "button", "select", "iframe", "menu"})
    BLOCK = frozenset({
        "p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
        "tr", "td", "th", "table", "section", "article", "main", "header", "blockquote", "pre",
        "figure", "figcaption", "address", "body",
    })

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.clean: list[str] = []  # without furniture
        self.full: list[str] = []  # with furniture (used when `clean` comes out empty)
        self._hidden = 0
        self._furniture = 0
        self._open: dict[str, int] = {}

    def _newline(self) -> None:
        self.clean.append("\n")
        self.full.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":  # an unclosed <head> ends here
            self._hidden -= self._open.pop("head", 0)
        if tag in self.HIDDEN or tag in self.FURNITURE:
            self._open[tag] = self._open.get(tag, 0) + 1
            if tag in self.HIDDEN:
                self._hidden += 1
            else:
                self._furniture += 1
        elif tag in self.BLOCK:
            self._newline()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCK:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if self._open.get(tag, 0) > 0:
            self._open[tag] -= 1
            if tag in self.HIDDEN:
                self._hidden -= 1
            else:
                self._furniture -= 1
        elif tag in self.BLOCK:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self._hidden > 0:
            return
        self.full.append(data)
        if self._furniture == 0:
            self.clean.append(data)

    @staticmethod
    def _render(parts: list[str]) -> str:
        lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
        return "\n".join(line for line in lines if line)

    def text(self) -> str:
        return self._render(self.clean) or self._render(self.full)


def _fallback_text(markup: str) -> str:
    parser = _BodyText()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # html.parser is lenient, but never let a broken page stop a batch
        pass
    return parser.text()


def _html_title(markup: str) -> str | None:
    m = _TITLE_RE.search(markup)
    if not m:
        return None
    title = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", m[1])).split())
    return title or None


def _field(result: Any, name: str) -> Any:
    if result is None:
        return None
    if isinstance(result, dict):
        return result.get(name)
    return getattr(result, name, None)


def _extract_html(markup: str) -> tuple[str, dict[str, Any]]:
    """Article text and metadata (title, date, url, sitename) of an HTML page."""
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            markup,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            with_metadata=True,
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
    except Exception:  # malformed markup must not crash the batch: fall back to plain text
        result = None
    text = _field(result, "text")
    text = text.strip() if isinstance(text, str) else ""
    meta = {k: _field(result, k) for k in ("title", "date", "url", "sitename")}
    if not text:
        text = _fallback_text(markup)
    return text, meta


def _str_or_none(value: Any) -> str | None:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _read_html(path: Path, data: bytes, published: dt.date | None, markup: str | None = None) -> Source:
    where = str(path)
    if markup is None:
        markup = _decode_html(data, where)
    if not markup.strip():
        raise IngestError(f"{where} is empty: there is no page to read; remove the file or save the page again",
                          where, doc=path.name)
    text, meta = _extract_html(markup)
    if not text:
        raise IngestError(
            f"no article text found in {where}: the page has no readable body text; save the article page "
            "itself (not an index or a script-only page), or paste the article into a .txt file",
            where, doc=path.name,
        )
    return Source(
        doc=path.name,
        text=text,
        title=_str_or_none(meta["title"]) or _html_title(markup),
        url=_str_or_none(meta["url"]),
        source=_str_or_none(meta["sitename"]),
        published=published if published is not None else parse_published(meta["date"]),
        path=where,
        kind="html",
    )


# --------------------------------------------------------------------------------------------
# JSON records

_JSON_TYPES = {dict: "object", list: "array", str: "string", int: "number", float: "number",
               bool: "boolean", type(None): "null"}


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _title(value: Any) -> str | None:
    if isinstance(value, str):
        return value if value.strip() else None
    return _str_or_none(value)


def _record(obj: Any, *, where: str, path: str, default_id: str, published: dt.date | None,
            line: int | None) -> Source:
    """A Source from one JSON record; raises IngestError for records that can't be used."""
    if not isinstance(obj, dict):
        raise IngestError(f"{where}: a JSON {_json_type(obj)}, not an object; skipped — each record must be an "
                          'object with at least a "text" field', path, line=line)
    doc = _str_or_none(obj.get("id")) or default_id
    if "text" not in obj:
        raise IngestError(f'{where}: record {doc!r} has no "text" field; skipped — put the article text in "text"',
                          path, doc=doc, line=line)
    text = obj["text"]
    if not isinstance(text, str):
        raise IngestError(f'{where}: record {doc!r} has a {_json_type(text)} as "text", not a string; skipped — '
                          'put the article text in "text" as one string', path, doc=doc, line=line)
    title = _title(obj.get("title"))  # kept exactly: evidence offsets may point into it
    if not text.strip() and not (title and title.strip()):
        raise IngestError(f'{where}: record {doc!r} is empty (no "text" and no "title"); skipped — fill it in or '
                          "remove the record", path, doc=doc, line=line)
    # a record with a title but no text (a newscast item, a breaking-news line) is read from its title
    raw_date = obj.get("published")
    record_date = parse_published(raw_date)
    warnings = []
    if record_date is None and raw_date is not None and str(raw_date).strip():
        warnings.append(f"{where}: published {json.dumps(raw_date, ensure_ascii=False)[:80]} is not a date (ISO 8601 "
                        "or RFC 2822); " + ("--published is used" if published else "the report date is unknown"))
    return Source(
        doc=doc,
        text=text,
        title=title,
        url=_str_or_none(obj.get("url")),
        source=_str_or_none(obj.get("source")),
        published=record_date if record_date is not None else published,
        path=path,
        kind="jsonl",
        line=line,
        warnings=warnings,
    )


def _report(error: IngestError, on_error: ErrorHandler | None) -> None:
    if on_error is None:
        raise error
    on_error(error)


def _iter_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) pairs; the line is None when it is longer than MAX_LINE_BYTES."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:  # skip the rest of the oversized line without holding it in memory
                chunk = stream.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def _read_jsonl_stream(stream: BinaryIO, *, name: str, where: str, path: str, published: dt.date | None,
                       on_error: ErrorHandler | None) -> Iterator[Source]:
    """Records of a JSON lines stream; broken lines go to on_error, a broken stream ends it."""
    last = 0
    records = 0
    try:
        for number, line in _iter_lines(stream):
            last = number
            if line is None:
                records += 1  # a record, if a broken one: the file is not empty
                _report(IngestError(
                    f"{where}, line {number}: the line is longer than {MAX_LINE_BYTES // 2**20} MB; skipped — one "
                    "article should be far smaller, so this is probably several records without newlines "
                    "or a corrupt file", path, line=number), on_error)
                continue
            if number == 1:
                if line.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    _report(IngestError(
                        f"{where} is UTF-16 encoded; JSON lines must be UTF-8 — convert it "
                        f"(for example: iconv -f UTF-16 -t UTF-8 {where} > {name}.utf8.jsonl)", path, line=1),
                        on_error)
                    return
                if line.startswith(codecs.BOM_UTF8):
                    line = line[len(codecs.BOM_UTF8):]
            if not line.strip():
                continue
            records += 1
            where_line = f"{where}, line {number}"
            try:
                obj = json.loads(line)
            except UnicodeDecodeError as e:
                _report(IngestError(
                    f"{where_line}: not valid UTF-8 ({e.reason} at byte {e.start}); skipped — JSON lines must "
                    "be UTF-8: re-encode the file (for example with iconv -f WINDOWS-1256 -t UTF-8)",
                    path, line=number), on_error)
                continue
            except json.JSONDecodeError as e:
                _report(IngestError(
                    f"{where_line}: not valid JSON ({e.msg} at column {e.colno}); skipped — fix or remove the "
                    "line (each line must be one JSON object)", path, line=number), on_error)
                continue
            except (ValueError, RecursionError) as e:
                _report(IngestError(f"{where_line}: not valid JSON ({e}); skipped — fix or remove the line",
                                    path, line=number), on_error)
                continue
            try:
                src = _record(obj, where=where_line, path=path, default_id=f"{name}:{number}",
                              published=published, line=number)
            except IngestError as e:
                _report(e, on_error)
                continue
            yield src
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as e:
        if last == 0 and isinstance(e, gzip.BadGzipFile):
            message = (f"{where} is not a gzip file ({e}); rename it to .jsonl if it is plain JSON lines, "
                       "or re-compress it with gzip")
        else:
            message = (f"{where} is truncated or corrupt after line {last} ({e}); the records before it were "
                       "read — re-download or re-compress the file to read the rest")
        _report(IngestError(message, path, line=last + 1), on_error)
        return
    if records == 0:
        _report(IngestError(f"{where} is empty: it holds no records; remove it or fill it", path), on_error)


@contextmanager
def _open_jsonl(path: Path) -> Iterator[BinaryIO]:
    """Open a JSON lines file, decompressing it when it is gzip (whatever its name says)."""
    with open(path, "rb") as raw:
        if raw.peek(2)[:2] == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped  # type: ignore[misc]
        else:
            yield raw


def _read_jsonl(path: Path, published: dt.date | None, on_error: ErrorHandler | None) -> Iterator[Source]:
    where = str(path)
    with _open_jsonl(path) as stream:
        yield from _read_jsonl_stream(stream, name=path.name, where=where, path=where, published=published,
                                      on_error=on_error)


def _json_records(obj: Any, *, name: str, where: str, path: str, published: dt.date | None,
                  on_error: ErrorHandler | None) -> Iterator[Source]:
    """Records of a parsed JSON document: one object, or a list of them."""
    if isinstance(obj, list):
        if not obj:
            raise IngestError(f"{where} is empty: its list holds no records; remove it or fill it", path)
        for i, item in enumerate(obj, start=1):
            try:
                yield _record(item, where=f"{where}, item {i}", path=path, default_id=f"{name}:{i}",
                              published=published, line=None)
            except IngestError as e:
                _report(e, on_error)
    else:
        yield _record(obj, where=where, path=path, default_id=name, published=published, line=None)


def _read_json(path: Path, data: bytes, published: dt.date | None,
               on_error: ErrorHandler | None) -> Iterator[Source]:
    where = str(path)
    text = decode_bytes(data, where)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise IngestError(f"{where}: not valid JSON ({e.msg} at line {e.lineno}, column {e.colno}); fix the file "
                          "— it must hold one object with a \"text\" field or a list of them", where,
                          line=e.lineno) from None
    except (ValueError, RecursionError) as e:
        raise IngestError(f"{where}: not valid JSON ({e}); fix the file", where) from None
    yield from _json_records(obj, name=path.name, where=where, path=where, published=published,
                             on_error=on_error)


def _parse_json_bytes(data: bytes) -> Any:
    """The parsed JSON document, or _INVALID."""
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return _INVALID


_INVALID = object()


# --------------------------------------------------------------------------------------------
# files, folders, stdin


def _format_of(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".jsonl.gz"):
        return "jsonl"
    for ext, fmt in ((".jsonl", "jsonl"), (".json", "json"), (".html", "html"), (".htm", "html"),
                     (".txt", "txt")):
        if lower.endswith(ext):
            return fmt
    return None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise IngestError(f"cannot read {path}: {e.strerror or e}; check that it exists and is readable",
                          str(path)) from None


def _read_file(path: Path, published: dt.date | None, on_error: ErrorHandler | None) -> Iterator[Source]:
    where = str(path)
    fmt = _format_of(path.name)
    if fmt == "jsonl":
        try:
            yield from _read_jsonl(path, published, on_error)
        except OSError as e:
            raise IngestError(f"cannot read {where}: {e.strerror or e}; check that it exists and is readable",
                              where) from None
        return
    data = _read_bytes(path)
    if not data.strip():
        raise IngestError(f"{where} is empty: there is no text to analyse; remove the file or give it some text",
                          where, doc=path.name)
    if fmt == "json":
        yield from _read_json(path, data, published, on_error)
        return
    if fmt == "html":
        yield _read_html(path, data, published)
        return
    text = decode_bytes(data, where)
    if fmt is None and _HTML_START_RE.match(text[:4096]):  # a saved web page without an .html name
        yield _read_html(path, data, published, markup=text)
        return
    if not text.strip():
        raise IngestError(f"{where} is empty: there is no text to analyse; remove the file or give it some text",
                          where, doc=path.name)
    yield Source(doc=path.name, text=text, path=where, published=published, kind="txt")


def _folder_files(root: Path, on_error: ErrorHandler | None = None) -> list[Path]:
    """Readable files below `root` (recursive), sorted by path; hidden files and folders skipped."""
    found: list[Path] = []

    def walk_error(e: OSError) -> None:
        _report(IngestError(f"cannot read folder {e.filename}: {e.strerror or e}; check its permissions",
                            str(e.filename)), on_error)

    for dirpath, dirnames, filenames in os.walk(root, onerror=walk_error):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith(".") and name.lower().endswith(FOLDER_EXTENSIONS):
                found.append(Path(dirpath) / name)
    found.sort(key=lambda p: p.relative_to(root).parts)
    return found


def read_path(path: Path | str, published: dt.date | None = None,
              on_error: ErrorHandler | None = None) -> Iterator[Source]:
    """Documents of one file (format chosen by extension) or folder.

    ``published`` is the publication date to assume: it wins over an HTML page's metadata, and
    fills in JSON records that have none. Problems in single records of a JSON lines or JSON
    file go to ``on_error`` (raised when it is None); problems with the whole file are raised.
    """
    path = Path(path)
    if path.is_dir():
        files = _folder_files(path, on_error)
        if not files:
            _report(IngestError(f"folder {path} holds no files to read; rasad reads {', '.join(FOLDER_EXTENSIONS)} "
                                "files (hidden ones are skipped)", str(path)), on_error)
        for file in files:
            try:
                yield from _read_file(file, published, on_error)
            except IngestError as e:
                _report(e, on_error)
        return
    if not path.exists():
        raise IngestError(f"no such file or folder: {path} — check the path (use '-' to read standard input)",
                          str(path))
    yield from _read_file(path, published, on_error)


class _Prefixed(io.RawIOBase):
    """A raw stream that returns `head` and then the rest of `stream`."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._read = getattr(stream, "read1", stream.read)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            data, self._head = self._head[: len(buffer)], self._head[len(buffer):]
        else:
            data = self._read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_stdin(published: dt.date | None, on_error: ErrorHandler | None) -> Iterator[Source]:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise IngestError("standard input is not available; pass file or folder names instead of '-'", "-")
    head = stream.read(_SNIFF)
    start = head[len(codecs.BOM_UTF8):] if head.startswith(codecs.BOM_UTF8) else head
    start = start.lstrip()
    kw: dict[str, Any] = {"where": "standard input", "path": "-", "published": published, "on_error": on_error}
    if start.startswith(b"{"):
        newline = start.find(b"\n")
        first_line = start if newline < 0 else start[:newline]
        if (newline >= 0 or len(head) < _SNIFF) and _parse_json_bytes(first_line) is _INVALID:
            # not JSON lines: perhaps one pretty-printed JSON object
            data = head + stream.read()
            obj = _parse_json_bytes(data)
            if obj is not _INVALID:
                yield from _json_records(obj, name="stdin", **kw)
                return
            yield from _read_jsonl_stream(io.BytesIO(data), name="stdin", **kw)  # reports the broken lines
            return
        reader = io.BufferedReader(_Prefixed(head, stream), buffer_size=1 << 16)
        yield from _read_jsonl_stream(reader, name="stdin", **kw)
        return
    data = head + stream.read()
    if start.startswith(b"[") and isinstance(obj := _parse_json_bytes(data), list):
        yield from _json_records(obj, name="stdin", **kw)
        return
    text = decode_bytes(data, "standard input") if data else ""
    if not text.strip():
        raise IngestError("standard input is empty: there is no text to analyse; pipe a text or JSON lines in",
                          "-", doc="stdin")
    yield Source(doc="stdin", text=text, path="-", published=published, kind="txt")


def iter_sources(paths: Sequence[str | os.PathLike[str]] | str, published: dt.date | None = None,
                 on_error: ErrorHandler | None = None) -> Iterator[Source]:
    """Documents of every file, folder or ``-`` (stdin) in `paths`, in order.

    Each problem is passed to ``on_error`` and reading goes on with the next record or file;
    with ``on_error=None`` the first problem is raised.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    for item in paths:
        try:
            if str(item) == "-":
                yield from _read_stdin(published, on_error)
            else:
                yield from read_path(Path(item), published, on_error)
        except IngestError as e:
            _report(e, on_error)


# --------------------------------------------------------------------------------------------
# counting (for progress bars)


def _count_lines(stream: BinaryIO) -> int:
    count, last = 0, b"\n"
    try:
        while chunk := stream.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    except (EOFError, zlib.error, OSError):
        pass  # truncated: the reader will report it
    return count + (last != b"\n")


def _count_file(path: Path) -> int | None:
    fmt = _format_of(path.name)
    try:
        if fmt == "jsonl":
            if path.name.lower().endswith(".gz") and path.stat().st_size > _GZIP_COUNT_LIMIT:
                return None
            with _open_jsonl(path) as stream:
                return _count_lines(stream)
        if fmt == "json":
            if path.stat().st_size > _JSON_COUNT_LIMIT:
                return None
            obj = json.loads(path.read_bytes())
            return len(obj) if isinstance(obj, list) else 1
    except (OSError, ValueError, RecursionError):
        return 1
    return 1


def count_sources(paths: Sequence[str | os.PathLike[str]] | str) -> int | None:
    """A cheap estimate of how many documents `iter_sources(paths)` will yield, or None.

    Text and HTML files count 1, JSON lines files their lines (gzip files up to 64 MB are
    decompressed to count them), JSON files their records. None when a count would be costly
    or impossible (standard input, large .jsonl.gz or .json files). Unreadable paths count 0.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    total = 0
    for item in paths:
        if str(item) == "-":
            return None
        path = Path(item)
        if path.is_dir():
            files = _folder_files(path, lambda e: None)
        elif path.is_file():
            files = [path]
        else:
            continue
        for file in files:
            n = _count_file(file)
            if n is None:
                return None
            total += n
    return total
