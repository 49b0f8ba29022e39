"""Arabic lives in data files and in `rasad.lang.patterns` only; every named pattern matches its example."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from rasad.lang import patterns
from rasad.lang.lexicon import data_path, read_rows
from rasad.pipeline.normalise import norm

PACKAGE = Path(patterns.__file__).resolve().parent.parent
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
# migrations freeze the schema and its data on purpose: they keep the words they were written with
FROZEN = ("database/migrations/",)
def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def arabic_constants(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant with Arabic letters in a module, docstrings excepted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs and ARABIC.search(n.value)]


def _modules() -> list[str]:
    return sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                  if p.name != "patterns.py" and not str(p.relative_to(PACKAGE)).startswith(FROZEN))


@pytest.mark.parametrize("module", _modules())
def test_no_arabic_outside_patterns_and_data(module: str) -> None:
    found = arabic_constants(PACKAGE / module)
    assert not found, f"{module}: Arabic words belong in rasad/data/ or rasad/lang/patterns.py: {found[:5]}"


def test_the_ast_check_sees_arabic(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text('"""وثيقة"""\nX = "قصف"\ndef f():\n    """شرح"""\n    return "x"\n', encoding="utf-8")
    assert arabic_constants(f) == [(2, "قصف")]


@pytest.mark.parametrize("name", sorted(patterns.REGISTRY))
def test_pattern_matches_its_example(name: str) -> None:
    p = patterns.REGISTRY[name]
    assert p.regex.search(norm(p.example)), f"{name} does not match its example {p.example!r}"


def test_pattern_names_are_unique() -> None:
    patterns.pattern("__test_unique", "قصف", "قصف")
    try:
        with pytest.raises(ValueError, match="defined twice"):
            patterns.pattern("__test_unique", "قصف", "قصف")
    finally:
        del patterns.REGISTRY["__test_unique"]


def _word_files() -> list[str]:
    folder = data_path("words")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".txt")) if folder.is_dir() else []


@pytest.mark.parametrize("name", _word_files())
def test_word_lists_are_one_entry_a_line_without_repeats(name: str) -> None:
    rows = list(read_rows(f"words/{name}"))
    assert rows, f"words/{name} is empty"
    forms = [norm(r[0]) for r in rows]
    repeated = sorted({f for f in forms if forms.count(f) > 1})
    assert not repeated, f"words/{name} repeats {repeated} (after normalisation)"
