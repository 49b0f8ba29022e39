"""rasad — conflict events from Arabic news reports, with evidence for every field."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "extract_text"]


def extract_text(text: str, *, title: str | None = None, published: str | None = None, doc: str = "text") -> dict:
    """Extract events from one Arabic text. `published` is an ISO date (YYYY-MM-DD) or None."""
    from rasad.document import Source
    from rasad.pipeline.read import parse_published
    from rasad.pipeline.run import extract

    date = parse_published(published)
    warnings = [f"published {published!r} is not a date (YYYY-MM-DD); the report date is unknown"] \
        if date is None and isinstance(published, str) and published.strip() else []
    return extract(Source(doc=doc, text=text, title=title, published=date, warnings=warnings))
