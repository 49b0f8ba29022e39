"""The explorer: a static web UI (plain HTML + ES modules) served by `rasad serve`.

Front-end libraries are not committed: `python -m rasad.web.fetch_assets` (run by `make install`)
fetches them from the npm registry into static/vendor/.
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
LOCK_FILE = Path(__file__).parent / "assets.lock.json"


def missing_assets() -> list[str]:
    """The vendor files the lock file names that are not on disk (empty when all are there)."""
    import json

    lock = json.loads(LOCK_FILE.read_text(encoding="utf-8"))
    return [
        dest
        for pkg in lock["packages"]
        for dest in pkg["files"].values()
        if not (VENDOR_DIR / dest).is_file()
    ]


ASSETS_HINT = "python -m rasad.web.fetch_assets   (or: make install)"
