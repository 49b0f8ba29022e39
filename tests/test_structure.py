"""The extraction code stays readable: no function longer than MAX_LINES, from reading inputs to the record
and geocoding (issue 11). The store, merge, review, export, CLI and server sides are not held to it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "rasad"
MAX_LINES = 80
EXTRACTION = ["pipeline", "lang", "document.py", "gazetteer.py"]


def long_functions(path: Path, limit: int = MAX_LINES) -> list[tuple[str, int]]:
    """(name, lines) of every function or method in the module longer than `limit` lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(n.name, n.end_lineno - n.lineno + 1) for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno
            and n.end_lineno - n.lineno + 1 > limit]


def _modules() -> list[str]:
    out: list[Path] = []
    for entry in EXTRACTION:
        p = PACKAGE / entry
        out += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return [str(p.relative_to(PACKAGE)) for p in out]


@pytest.mark.parametrize("module", _modules())
def test_no_long_function_in_the_extraction_code(module: str) -> None:
    found = long_functions(PACKAGE / module)
    assert not found, f"{module}: split by what each part decides: {found}"


def test_the_check_sees_a_long_function(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text("def short():\n    return 1\n\n\ndef long():\n" + "    x = 1\n" * 85, encoding="utf-8")
    assert long_functions(f) == [("long", 86)]
