"""The `Document` every pipeline stage reads and annotates.

Like spaCy's `Doc`, a document keeps the original text untouched; annotators add `Span`s whose
offsets point into the *normalised* text of one of the document's parts (the body, or a JSONL
record's title). `Part.evidence(span)` turns a span back into original offsets and words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from rasad.pipeline.normalise import Normalised, normalise, vowelled_duals


class DocumentTooLarge(ValueError):
    """A text far beyond any news article: refused whole rather than read for an hour (too many characters,
    pipeline/run.py; too many comparisons of its clauses, pipeline/incidents.py)."""


NUL, REPLACEMENT = "\x00", "\ufffd"


@dataclass(slots=True)
class Source:
    """A document as read from disk or stdin, before any analysis."""

    doc: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: dt.date | None = None
    path: str | None = None
    kind: str = "txt"  # txt | html | jsonl
    line: int | None = None  # the record's line in a JSON lines file, for messages about it
    warnings: list[str] = field(default_factory=list)  # what reading it doubted (a published that is no date)

    def __post_init__(self) -> None:
        # NUL is no character of any text (PostgreSQL refuses it in a text column): each one becomes U+FFFD, the
        # replacement character, so that the text keeps its length and every offset into it holds
        if any(NUL in (v or "") for v in (self.doc, self.text, self.title, self.url, self.source)):
            self.doc, self.text = self.doc.replace(NUL, REPLACEMENT), self.text.replace(NUL, REPLACEMENT)
            self.title, self.url, self.source = (v.replace(NUL, REPLACEMENT) if v else v
                                                 for v in (self.title, self.url, self.source))
            self.warnings.append(f"{self.doc}: NUL characters replaced by U+FFFD")

    @property
    def where(self) -> str:
        """Where the document was read from, for a message: its file and line, or its id."""
        at = self.path or self.doc
        return f"{at}, line {self.line}" if self.line else at


@dataclass(slots=True)
class Span:
    """A stretch of normalised text in one part, with a label and an optional value."""

    start: int
    end: int
    label: str
    value: Any = None

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(slots=True)
class Sentence:
    """A sentence-like segment: start/end in normalised offsets, plus layout facts."""

    start: int
    end: int
    para: int  # paragraph index within the part
    index: int  # sentence index within the part
    role: str = "body"  # headline | subhead | body | furniture | caption
    # the part's normalised text, which `clauses` is cut from when first asked for (most sentences never are)
    ntext: str | None = field(default=None, repr=False, compare=False)
    _clauses: list[tuple[int, int]] | None = field(default=None, repr=False, compare=False)

    @property
    def clauses(self) -> list[tuple[int, int]]:
        """The clause spans of the sentence (segment.split_clauses); none for a sentence without its text."""
        if self._clauses is None:
            from rasad.pipeline.segment import split_clauses  # (segment imports this module)

            self._clauses = [] if self.ntext is None else split_clauses(self.ntext, self.start, self.end)
        return self._clauses


class Part:
    """One text field of a document (`text` or `title`), normalised once."""

    __slots__ = ("name", "norm", "sentences", "duals")

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.norm: Normalised = normalise(text)
        self.duals = vowelled_duals(self.norm)  # words whose vowels mark a dual ("مدنيَّيْن"), by their end
        self.sentences: list[Sentence] = []

    @property
    def text(self) -> str:
        return self.norm.original

    @property
    def ntext(self) -> str:
        return self.norm.text

    def original_words(self, start: int, end: int) -> str:
        """The original text behind the normalised span [start, end)."""
        s, e = self.norm.orig_span(start, end)
        return self.text[s:e]

    def evidence(self, start: int, end: int, field_name: str) -> dict[str, Any]:
        """Evidence record for normalised span [start, end): original offsets and words."""
        s, e = self.norm.orig_span(start, end)
        item: dict[str, Any] = {"field": field_name, "start": s, "end": e, "text": self.text[s:e]}
        if self.name != "text":
            item["in"] = self.name
        return item


@dataclass
class Document:
    """A source document and everything the pipeline learns about it."""

    source: Source
    body: Part
    title: Part | None = None
    reference_date: dt.date | None = None  # publication date, given or inferred from the text
    reference_basis: str | None = None  # how reference_date was obtained
    years: tuple[int, ...] = ()  # years the text mentions (bounds weekday-based year inference)
    events: list[dict[str, Any]] = field(default_factory=list)
    statistics: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_source(cls, src: Source) -> Document:
        title = Part("title", src.title) if src.title and src.title.strip() else None
        return cls(source=src, body=Part("text", src.text), title=title, warnings=list(src.warnings))

    @property
    def parts(self) -> list[Part]:
        return [p for p in (self.title, self.body) if p is not None]

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
