"""Tests for rasad.pipeline.read: encodings, HTML extraction, JSON lines, folders and stdin."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import itertools
import json
import pickle
import sys
from pathlib import Path

import pytest

from rasad.pipeline import read as ingest
from rasad.pipeline.read import (
    IngestError,
    count_sources,
    decode_bytes,
    iter_sources,
    parse_published,
    read_path,
)

SHARED = Path(__file__).parents[1].parent / "shared"

# Sentences written for these tests.
AR = "قصفت طائرات حربية مواقع في ريف إدلب الجنوبي صباح الثلاثاء، وأفاد مراسلون بسقوط قتيلين."
AR2 = "وقالت مصادر محلية إن فرق الإسعاف نقلت الجرحى إلى مستشفى قريب."


def collect(paths, **kwargs) -> tuple[list, list[IngestError]]:
    errors: list[IngestError] = []
    sources = list(iter_sources(paths, on_error=errors.append, **kwargs))
    return sources, errors


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-02-18T21:35:43+04:00", dt.date(2018, 2, 18)),
        ("2018-02-18T23:59:59-11:00", dt.date(2018, 2, 18)),  # the written date, not UTC
        ("2018-02-18", dt.date(2018, 2, 18)),
        ("2018-02-18T21:35:43Z", dt.date(2018, 2, 18)),
        ("2018-02-18 21:35:43 UTC", dt.date(2018, 2, 18)),
        ("Sun, 18 Feb 2018 21:35:43 +0400", dt.date(2018, 2, 18)),
        ("18 Feb 2018 21:35:43 GMT", dt.date(2018, 2, 18)),
        ("Sun, 18 Feb 2018", dt.date(2018, 2, 18)),
        ("٢٠١٨-٠٢-١٨", dt.date(2018, 2, 18)),
        ("  2021-03-04  ", dt.date(2021, 3, 4)),
        (None, None),
        ("", None),
        ("   ", None),
        ("yesterday", None),
        ("2018-02-30", None),
        ("Mon, 99 Feb 2018 00:00:00 +0000", None),
    ],
)
def test_parse_published(value, expected) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-11-08T22:30:00Z", dt.date(2023, 11, 9)),  # 01:30 in Damascus (UTC+3 since 2022)
        ("2023-11-08T22:30:00+00:00", dt.date(2023, 11, 9)),
        ("2023-11-08 22:30:00 UTC", dt.date(2023, 11, 9)),
        ("Wed, 08 Nov 2023 22:30:00 GMT", dt.date(2023, 11, 9)),
        ("2018-07-01T21:30:00Z", dt.date(2018, 7, 2)),  # 00:30 Syrian summer time (UTC+3)
        ("2018-01-10T21:30:00Z", dt.date(2018, 1, 10)),  # 23:30 Syrian winter time (UTC+2)
        ("2023-11-08T23:40:00+02:00", dt.date(2023, 11, 8)),  # the outlet's own clock: its «اليوم»
        (dt.datetime(2023, 11, 8, 22, 30, tzinfo=dt.UTC), dt.date(2023, 11, 9)),
    ],
)
def test_utc_timestamp_becomes_syrian_local_day(value, expected) -> None:
    assert parse_published(value) == expected


def test_parse_published_never_raises_on_odd_input() -> None:
    for value in (123, [], {}, "x" * 10_000, "9999-99-99T99:99:99", "\x00"):
        assert parse_published(value) is None  # type: ignore[arg-type]


# --------------------------------------------------------------------------- encodings


def test_utf8_with_and_without_bom(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_bytes(AR.encode("utf-8"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + AR.encode("utf-8"))
    (a,) = read_path(plain)
    (b,) = read_path(bom)
    assert a.text == AR and b.text == AR
    assert a.doc == "plain.txt" and a.kind == "txt" and a.path == str(plain)


def test_a_nul_character_becomes_the_replacement_character_and_the_offsets_hold(tmp_path: Path) -> None:
    # PostgreSQL refuses NUL in text; a JSON record may carry one as \\u0000 in any field
    f = tmp_path / "b.jsonl"
    f.write_text(json.dumps({"id": "a\x00", "title": "\x00", "text": "قتل\x00 شخصان"}) + "\n", encoding="utf-8")
    (src,) = read_path(f)
    assert (src.doc, src.title, src.text) == ("a\ufffd", "\ufffd", "قتل\ufffd شخصان")
    assert src.warnings == ["a\ufffd: NUL characters replaced by U+FFFD"]


def test_newlines_are_kept_as_decoded(tmp_path: Path) -> None:
    f = tmp_path / "crlf.txt"
    text = AR + "\r\n" + AR2 + "\r" + AR
    f.write_bytes(text.encode("utf-8"))
    (src,) = read_path(f)
    assert src.text == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    f = tmp_path / "u16.txt"
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    f.write_bytes(bom + (AR + "\n" + AR2).encode(codec))
    (src,) = read_path(f)
    assert src.text == AR + "\n" + AR2  # BOM dropped


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected(codec: str) -> None:
    assert decode_bytes((AR + " 2021\n" + AR2).encode(codec), "x.txt") == AR + " 2021\n" + AR2


def test_windows_1256_arabic(tmp_path: Path) -> None:
    f = tmp_path / "cp.txt"
    f.write_bytes((AR + "\n" + AR2).encode("cp1256"))
    (src,) = read_path(f)
    assert src.text == AR + "\n" + AR2


def test_windows_1256_short_text() -> None:
    word = "غارة جوية على قرية"
    assert decode_bytes(word.encode("cp1256"), "w.txt") == word


def test_iso_8859_6_arabic() -> None:
    text = AR.replace("،", ",")  # the Arabic comma exists in both, but keep to common letters
    assert decode_bytes(text.encode("iso8859_6"), "iso.txt") == text


def test_other_single_byte_encodings_are_not_forced_into_cp1256() -> None:
    russian = "Президент заявил вчера, что переговоры продолжатся на следующей неделе в столице."
    assert decode_bytes(russian.encode("cp1251"), "ru.txt") == russian


def test_utf8_with_one_broken_byte_stays_utf8() -> None:
    data = (AR * 3 + " قتيل").encode("utf-8")[:-1]  # last character cut in half
    text = decode_bytes(data, "cut.txt")
    assert text.startswith(AR) and text.endswith("\ufffd")


def test_binary_garbage_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "garbage.txt"
    f.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(IngestError, match="looks like a binary file, not text") as info:
        list(read_path(f))
    assert info.value.path == str(f)
    sources, errors = collect([str(f)])
    assert sources == [] and len(errors) == 1


def test_gzip_with_wrong_name_gets_a_hint(tmp_path: Path) -> None:
    f = tmp_path / "articles.txt"
    f.write_bytes(gzip.compress(AR.encode("utf-8")))
    with pytest.raises(IngestError, match="binary.*gzip"):
        list(read_path(f))


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n "])
def test_empty_file_is_reported_not_fatal(tmp_path: Path, content: bytes) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(AR, encoding="utf-8")
    sources, errors = collect([str(empty), str(good)])
    assert [s.doc for s in sources] == ["good.txt"]
    assert len(errors) == 1 and "is empty" in str(errors[0]) and errors[0].path == str(empty)


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(IngestError, match="no such file or folder"):
        list(iter_sources([str(missing)]))
    sources, errors = collect([str(missing)])
    assert sources == [] and errors[0].path == str(missing)


def test_unknown_extension_read_as_text(tmp_path: Path) -> None:
    f = tmp_path / "README"
    f.write_text(AR, encoding="utf-8")
    (src,) = read_path(f)
    assert src.kind == "txt" and src.text == AR and src.doc == "README"


def test_published_argument_for_text(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(AR, encoding="utf-8")
    (src,) = iter_sources([str(f)], published=dt.date(2020, 5, 1))
    assert src.published == dt.date(2020, 5, 1)


def test_error_is_picklable() -> None:
    err = IngestError("x.jsonl, line 3: broken", "x.jsonl", doc="d1", line=3)
    copy = pickle.loads(pickle.dumps(err))
    assert (str(copy), copy.path, copy.doc, copy.line) == (str(err), "x.jsonl", "d1", 3)


# --------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="{charset}">
<title>اشتباكات في ريف حلب | موقع المثال</title>
<meta property="article:published_time" content="2021-03-04T10:00:00+03:00">
<script>var tracking = "سكربت لا يظهر";</script><style>body {{ color: red }}</style>
</head><body>
<nav><ul><li><a href="/">الصفحة الرئيسية</a></li><li><a href="/sport">أخبار الرياضة</a></li></ul></nav>
<div class="share-buttons"><a href="#">شارك على فيسبوك</a> <a href="#">شارك على تويتر</a></div>
<article><h1>اشتباكات في ريف حلب</h1>
<p>قال مراسل الموقع إن اشتباكات عنيفة اندلعت صباح اليوم الخميس بين فصيلين مسلحين في قرية صغيرة
بريف حلب الشمالي، واستمرت عدة ساعات قبل أن تهدأ مع حلول الظهر.</p>
<p>وأضاف المراسل أن الاشتباكات أسفرت عن مقتل ثلاثة مسلحين وإصابة خمسة آخرين، فيما نزح عدد من الأهالي
إلى القرى المجاورة خوفا من تجدد القتال في الأيام المقبلة.</p>
<p>ولم يصدر أي تعليق رسمي من الطرفين حتى ساعة إعداد هذا الخبر، بينما تواصل فرق الدفاع المدني
إسعاف الجرحى ونقلهم إلى المشافي في المنطقة.</p>
</article>
<div class="related"><h3>أخبار ذات صلة</h3><ul><li><a href="/a">انخفاض سعر صرف الليرة</a></li>
<li><a href="/b">مباراة الديربي الليلة</a></li></ul></div>
<div id="comments" class="comments"><h3>التعليقات</h3>
<div class="comment"><p>تعليق قارئ: نتمنى السلامة لجميع الأهالي في تلك القرى.</p></div></div>
<footer><p>جميع الحقوق محفوظة لموقع المثال</p><a href="/privacy">سياسة الخصوصية</a></footer>
</body></html>
"""
FURNITURE = ["الصفحة الرئيسية", "أخبار الرياضة", "شارك على", "ذات صلة", "سعر صرف", "الديربي", "تعليق قارئ",
             "التعليقات", "الحقوق محفوظة", "الخصوصية", "سكربت", "color"]


def test_html_keeps_article_and_drops_furniture(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    (src,) = read_path(f)
    assert src.kind == "html" and src.doc == "page.html" and src.path == str(f)
    for words in ("اشتباكات عنيفة اندلعت", "مقتل ثلاثة مسلحين", "فرق الدفاع المدني"):
        assert words in src.text
    for words in FURNITURE:
        assert words not in src.text, words
    assert src.title and "اشتباكات في ريف حلب" in src.title
    assert src.published == dt.date(2021, 3, 4)


def test_html_published_argument_wins(tmp_path: Path) -> None:
    f = tmp_path / "page.htm"
    f.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    (src,) = read_path(f, published=dt.date(2021, 3, 5))
    assert src.published == dt.date(2021, 3, 5)


def test_html_meta_charset_windows_1256(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_bytes(PAGE.format(charset="windows-1256").encode("cp1256"))
    (src,) = read_path(f)
    assert "مقتل ثلاثة مسلحين" in src.text


def test_malformed_html_does_not_crash(tmp_path: Path) -> None:
    f = tmp_path / "broken.html"
    f.write_text(
        "<html><head><title>خبر <b>عاجل</title><body><div class=>< <p>" + AR + "<p>" + AR2
        + "</i></span></td><table><tr><td>خلية</div><<<>>> &bogus; <script>if (a < b) {",
        encoding="utf-8",
    )
    (src,) = read_path(f)
    assert "ريف إدلب الجنوبي" in src.text


def test_html_fallback_when_trafilatura_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def boom(*args, **kwargs):
        raise ValueError("parser exploded")

    monkeypatch.setattr(trafilatura, "bare_extraction", boom)
    f = tmp_path / "page.html"
    f.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    (src,) = read_path(f)
    assert "مقتل ثلاثة مسلحين" in src.text
    for words in ("الصفحة الرئيسية", "الحقوق محفوظة", "سكربت", "color"):
        assert words not in src.text
    assert src.title == "اشتباكات في ريف حلب | موقع المثال"


def test_html_without_text_is_reported(tmp_path: Path) -> None:
    f = tmp_path / "empty.html"
    f.write_text("<html><head><script>var a = 1;</script></head><body>  </body></html>", encoding="utf-8")
    sources, errors = collect([str(f)])
    assert sources == [] and "no article text found" in str(errors[0])


def test_saved_page_without_extension_is_html(tmp_path: Path) -> None:
    f = tmp_path / "saved_page"
    f.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    (src,) = read_path(f)
    assert src.kind == "html" and "<p>" not in src.text


# --------------------------------------------------------------------------- JSON lines

RECORDS = [
    {"id": "r1", "url": "https://example.org/1", "source": "Example", "title": "عنوان أول",
     "published": "2018-02-18T21:35:43+04:00", "text": AR},
    {"id": "r2", "title": "عنوان ثان", "published": "Sun, 18 Feb 2018 21:35:43 +0400", "text": AR2},
    {"text": AR + " " + AR2},  # no id, no date
]


def jsonl_bytes(broken: bool = True) -> bytes:
    lines = [json.dumps(RECORDS[0], ensure_ascii=False)]
    if broken:
        lines += ['{"id": "bad", "text": "unterminated', "", "[1, 2]", '{"id": "notext"}', '{"id": "num", "text": 5}',
                  '{"id": "blank", "text": "   "}']
    lines += [json.dumps(RECORDS[1], ensure_ascii=False), json.dumps(RECORDS[2], ensure_ascii=False)]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.mark.parametrize("name", ["batch.jsonl", "batch.jsonl.gz"])
def test_jsonl_broken_lines_are_reported_and_batch_goes_on(tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    data = jsonl_bytes()
    f.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    sources, errors = collect([str(f)])
    assert [s.doc for s in sources] == ["r1", "r2", f"{name}:9"]
    assert [e.line for e in errors] == [2, 4, 5, 6, 7]
    assert all(e.path == str(f) for e in errors)
    assert "line 2" in str(errors[0]) and "not valid JSON" in str(errors[0])
    assert "not an object" in str(errors[1])
    assert '"text"' in str(errors[2]) and errors[2].doc == "notext"
    assert "not a string" in str(errors[3])
    assert "is empty" in str(errors[4])
    first = sources[0]
    assert (first.title, first.url, first.source, first.kind, first.path) == (
        "عنوان أول", "https://example.org/1", "Example", "jsonl", str(f))
    assert first.published == dt.date(2018, 2, 18)  # ISO 8601
    assert sources[1].published == dt.date(2018, 2, 18)  # RFC 2822
    assert sources[2].published is None and sources[2].title is None


def test_jsonl_raises_without_on_error(tmp_path: Path) -> None:
    f = tmp_path / "batch.jsonl"
    f.write_bytes(jsonl_bytes())
    seen = []
    with pytest.raises(IngestError, match="line 2"):
        for src in iter_sources([str(f)]):
            seen.append(src.doc)
    assert seen == ["r1"]


def test_jsonl_published_argument_only_fills_missing_dates(tmp_path: Path) -> None:
    f = tmp_path / "batch.jsonl"
    f.write_bytes(jsonl_bytes(broken=False))
    sources = list(read_path(f, published=dt.date(2019, 1, 1)))
    assert [s.published for s in sources] == [dt.date(2018, 2, 18), dt.date(2018, 2, 18), dt.date(2019, 1, 1)]


def test_jsonl_with_bom_crlf_and_numeric_id(tmp_path: Path) -> None:
    f = tmp_path / "win.jsonl"
    f.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": 7, "text": AR}).encode() + b"\r\n")
    (src,) = read_path(f)
    assert src.doc == "7" and src.text == AR


def test_truncated_jsonl_gz(tmp_path: Path) -> None:
    records = [{"id": f"n{i}", "text": f"{AR} رقم {i} " + "x" * (i % 97)} for i in range(400)]
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    packed = gzip.compress(data)
    f = tmp_path / "cut.jsonl.gz"
    f.write_bytes(packed[: len(packed) // 2])
    sources, errors = collect([str(f)])
    assert 0 < len(sources) < 400
    assert [s.doc for s in sources] == [f"n{i}" for i in range(len(sources))]
    assert len(errors) == 1 and "truncated or corrupt" in str(errors[0])
    with pytest.raises(IngestError, match="truncated"):
        list(iter_sources([str(f)]))


def test_jsonl_overlong_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_LINE_BYTES", 1000)
    f = tmp_path / "long.jsonl"
    lines = [json.dumps({"id": "a", "text": AR}), json.dumps({"id": "big", "text": "x" * 5000}),
             json.dumps({"id": "b", "text": AR2})]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sources, errors = collect([str(f)])
    assert [s.doc for s in sources] == ["a", "b"]
    assert errors[0].line == 2 and "longer than" in str(errors[0])


def test_empty_jsonl(tmp_path: Path) -> None:
    f = tmp_path / "none.jsonl"
    f.write_bytes(b"\n\n")
    sources, errors = collect([str(f)])
    assert sources == [] and "is empty" in str(errors[0])


def test_json_object_and_list(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps(RECORDS[2], ensure_ascii=False), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([RECORDS[0], {"id": "x"}, RECORDS[2]], ensure_ascii=False), encoding="utf-8")
    sources, errors = collect([str(one), str(many)])
    assert [s.doc for s in sources] == ["one.json", "r1", "many.json:3"]
    assert len(errors) == 1 and "item 2" in str(errors[0])


def test_jsonl_speed(tmp_path: Path) -> None:
    import time

    record = json.dumps({"id": "x", "published": "2018-02-18T21:35:43+04:00", "text": AR * 20},
                        ensure_ascii=False)
    f = tmp_path / "many.jsonl.gz"
    f.write_bytes(gzip.compress(((record + "\n") * 30_000).encode("utf-8"), compresslevel=1))
    start = time.perf_counter()
    n = sum(1 for _ in iter_sources([str(f)]))
    assert n == 30_000
    assert time.perf_counter() - start < 5
    assert count_sources([str(f)]) == 30_000


# --------------------------------------------------------------------------- folders, stdin, counts


def test_folder_recursion_sorted_hidden_skipped(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text(AR, encoding="utf-8")
    (root / "b" / "z.txt").write_text(AR, encoding="utf-8")
    (root / "b" / "deep" / "m.html").write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    (root / "b-c.txt").write_text(AR, encoding="utf-8")
    (root / "c.jsonl").write_bytes(jsonl_bytes(broken=False))
    (root / ".hidden.txt").write_text(AR, encoding="utf-8")
    (root / ".git" / "x.txt").write_text(AR, encoding="utf-8")
    (root / "notes.md").write_text(AR, encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    sources, errors = collect([str(root)])
    assert errors == []
    assert [s.doc for s in sources] == ["a.txt", "m.html", "z.txt", "b-c.txt", "r1", "r2", "c.jsonl:3"]
    assert count_sources([str(root)]) == 7


def test_folder_without_readable_files(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text(AR, encoding="utf-8")
    sources, errors = collect([str(tmp_path)])
    assert sources == [] and "holds no files" in str(errors[0])


def test_count_sources(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(AR, encoding="utf-8")
    j = tmp_path / "b.jsonl"
    j.write_bytes(jsonl_bytes(broken=False)[:-1])  # no final newline
    assert count_sources([str(a), str(j), str(tmp_path / "missing.txt")]) == 4
    assert count_sources(["-"]) is None


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, (AR + "\n").encode("utf-8"))
    (src,) = iter_sources(["-"], published=dt.date(2022, 1, 2))
    assert (src.doc, src.text, src.kind, src.published) == ("stdin", AR + "\n", "txt", dt.date(2022, 1, 2))


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"\n " + jsonl_bytes())
    sources, errors = collect(["-"])
    assert [s.doc for s in sources] == ["r1", "r2", "stdin:10"]
    assert [e.line for e in errors] == [3, 5, 6, 7, 8] and all(e.path == "-" for e in errors)


def test_stdin_pretty_printed_json(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, json.dumps(RECORDS[0], ensure_ascii=False, indent=2).encode("utf-8"))
    (src,) = iter_sources(["-"])
    assert src.doc == "r1" and src.text == AR and src.kind == "jsonl"
    _stdin(monkeypatch, json.dumps(RECORDS[1:], ensure_ascii=False, indent=2).encode("utf-8"))
    assert [s.doc for s in iter_sources(["-"])] == ["r2", "stdin:2"]


def test_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"")
    sources, errors = collect(["-"])
    assert sources == [] and "is empty" in str(errors[0])


# --------------------------------------------------------------------------- shared corpus


@pytest.mark.corpus
def test_ant_corpus_first_records() -> None:
    corpus = SHARED / "corpus" / "ant" / "articles.jsonl.gz"
    if not corpus.exists():
        pytest.skip(f"{corpus} is absent")
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        raw = [json.loads(line) for line in itertools.islice(f, 50)]
    sources = list(itertools.islice(iter_sources([str(corpus)]), 50))
    assert [s.doc for s in sources] == [r["id"] for r in raw]
    for src, rec in zip(sources, raw, strict=True):
        assert src.published == dt.date.fromisoformat(rec["published"][:10])
        assert src.text == rec["text"] and src.title == rec["title"] and src.kind == "jsonl"


def test_jsonl_record_with_a_title_but_no_text_is_read_from_its_title(tmp_path: Path) -> None:
    f = tmp_path / "t.jsonl"
    f.write_text(
        json.dumps({"id": "a", "title": "مقتل عنصرين بقصف على بلدة", "text": ""}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "b", "title": "", "text": " "}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    errors: list = []
    got = list(iter_sources([str(f)], on_error=errors.append))
    assert [(s.doc, s.text, s.title) for s in got] == [("a", "", "مقتل عنصرين بقصف على بلدة")]
    assert len(errors) == 1 and "'b'" in str(errors[0]) and "empty" in str(errors[0])
