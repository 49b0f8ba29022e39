"""What produced an event: the rasad version, and fingerprints of the lexicons, the rules and the gazetteer.

Two runs with equal provenance give the same records for the same text (extraction is pure), so
provenance tells `rasad reprocess` which stored reports an analyst's rule change may alter, and lets a
Dask client refuse a worker that runs other rules than its own.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from rasad import __version__
from rasad.lang.lexicon import data_path

_RULE_FOLDERS = ("pipeline", "lang")  # the code that decides what a text yields (not the store, not the CLI)


def _package_files(folder: str, suffixes: tuple[str, ...]) -> list[str]:
    """Names under src/rasad/FOLDER (recursively), relative to it, sorted."""
    root = resources.files("rasad") / folder
    names: list[str] = []

    def walk(node: Any, prefix: str) -> None:
        for child in node.iterdir():
            if child.is_dir():
                if not child.name.startswith((".", "__")):
                    walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(suffixes):
                names.append(prefix + child.name)

    walk(root, "")
    return sorted(names)


def lexicon_fingerprint() -> str:
    """The data files as extraction reads them ($RASAD_DATA's files in place of the package's): 16 hex digits."""
    h = hashlib.sha256()
    for name in _package_files("data", (".tsv", ".txt")):
        h.update(name.encode() + b"\0" + data_path(name).read_bytes() + b"\0")
    return h.hexdigest()[:16]


@cache
def rules_fingerprint() -> str:
    """The extraction code (pipeline/ and lang/): 16 hex digits."""
    h = hashlib.sha256()
    for folder in _RULE_FOLDERS:
        for name in _package_files(folder, (".py",)):
            h.update(f"{folder}/{name}".encode() + b"\0"
                     + (resources.files("rasad") / folder / name).read_bytes() + b"\0")
    return h.hexdigest()[:16]


def gazetteer_fingerprint(path: Path | None) -> str | None:
    """The gazetteer database's content (None: no geocoding): 16 hex digits."""
    if path is None:
        return None
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def provenance(gazetteer_path: Path | None) -> dict[str, str | None]:
    """The provenance every stored report carries."""
    return {"rasad": __version__, "lexicon": lexicon_fingerprint(), "rules": rules_fingerprint(),
            "gazetteer": gazetteer_fingerprint(gazetteer_path)}
