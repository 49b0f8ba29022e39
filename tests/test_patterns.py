"""Arabic lives in data files and in `rasad.lang.patterns` only; every named pattern matches its example; and
data/patterns.tsv holds together: each name declared once, every reference resolved, every template compiled,
every part and every word list used."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from rasad.lang import patterns
from rasad.lang.lexicon import DATA_ENV, data_path, read_rows
from rasad.pipeline.normalise import norm, rx

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


# --- data/patterns.tsv holds together (in the manner of dateparser's tests of its language data) -------

DECLARATIONS = list(patterns.declarations())
PATTERNS = [d for d in DECLARATIONS if d.example is not None]
PARTS = [d for d in DECLARATIONS if d.example is None]
REPO = PACKAGE.parent.parent


def _references(function: str | None = None) -> list[tuple[str, str, str]]:
    """(declaration, function, argument) of every reference in the templates, of one function or of all."""
    return [(d.name, f, a) for d in DECLARATIONS for f, a in patterns.REFERENCE.findall(d.template)
            if function in (None, f)]


def _lists_named() -> set[str]:
    return {n for _, f, a in _references() if f != "pat" for n in a.split(",")}


def test_every_name_is_declared_once() -> None:
    names = [d.name for d in DECLARATIONS]
    assert sorted({n for n in names if names.count(n) > 1}) == []


@pytest.mark.parametrize("name", [d.name for d in DECLARATIONS])
def test_a_name_is_a_lower_case_identifier(name: str) -> None:
    """So that NAME in capitals is the module attribute the code imports."""
    assert name.isidentifier() and name == name.lower(), name


def test_every_pattern_is_registered_and_imported_by_its_name_in_capitals() -> None:
    assert sorted(patterns.REGISTRY) == sorted(d.name for d in PATTERNS)
    assert patterns.DATE_THEN is patterns.REGISTRY["date_then"].regex
    with pytest.raises(AttributeError):
        _ = patterns.date_then  # one spelling: capitals
    with pytest.raises(AttributeError):
        _ = patterns.NO_SUCH_PATTERN


def test_an_unknown_flag_is_named(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / patterns.PATTERN_FILE).write_text("some_name\tab\tab\tx\n", encoding="utf-8")
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    with pytest.raises(ValueError, match="'some_name' has the unknown flag 'x'"):
        list(patterns.declarations())


@pytest.mark.parametrize("declaration", DECLARATIONS, ids=lambda d: d.name)
def test_every_reference_is_well_formed(declaration: patterns.Declaration) -> None:
    """A misspelt reference ("{words: x}") would be matched as it is written."""
    opened = re.findall(r"\{[a-z_]+:", declaration.template)
    found = patterns.REFERENCE.findall(declaration.template)
    assert len(opened) == len(found), f"{declaration.name}: a reference is misspelt"
    unknown = {f for f, _ in found} - {"pat", *patterns.TEMPLATE_FUNCTIONS}
    assert not unknown, f"{declaration.name}: no template function {unknown}"


def test_every_part_or_pattern_referred_to_is_declared_before() -> None:
    declared: set[str] = set()
    late = []
    for d in DECLARATIONS:
        late += [(d.name, a) for f, a in patterns.REFERENCE.findall(d.template) if f == "pat" and a not in declared]
        declared.add(d.name)
    assert late == []


def test_every_list_referred_to_has_entries() -> None:
    assert sorted(n for n in _lists_named() if not patterns.entries(n)) == []


def test_an_unknown_reference_is_refused() -> None:
    with pytest.raises(ValueError, match="declared before"):
        patterns.expand("{pat:no_such_part}", {})
    with pytest.raises(ValueError, match="no template function"):
        patterns.expand("{no_such_function:months.tsv}", {})
    assert patterns.expand("a{0,3}", {}) == "a{0,3}"  # a quantifier is no reference


@pytest.mark.parametrize("declaration", PATTERNS, ids=lambda d: d.name)
def test_every_template_compiles(declaration: patterns.Declaration) -> None:
    parts: dict[str, str] = {}
    for d in DECLARATIONS[: DECLARATIONS.index(declaration)]:
        parts[d.name] = patterns.expand(d.template, parts)
    compiled = rx(patterns.expand(declaration.template, parts), declaration.flags)
    assert compiled.pattern == patterns.REGISTRY[declaration.name].regex.pattern


def test_every_part_is_used() -> None:
    used = {a for _, _, a in _references("pat")}
    assert sorted(d.name for d in PARTS if d.name not in used) == []


def _string_constants(folder: Path) -> set[str]:
    out: set[str] = set()
    for path in folder.rglob("*.py"):
        out |= {n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return out


def test_every_word_list_is_used() -> None:
    """By a template, or by its name in the code or the tests (`word_list("x")`, `read_rows("words/x.txt")`)."""
    named = _lists_named() | _string_constants(PACKAGE) | _string_constants(REPO / "tests")
    unused = [n for n in _word_files() if n.removesuffix(".txt") not in named and f"words/{n}" not in named]
    assert unused == []


def test_the_template_functions() -> None:
    """What the head of patterns.tsv says each writes (months.tsv has no regex metacharacters)."""
    months = patterns.entries("months.tsv")
    assert patterns.in_order("months.tsv") == "(?:" + "|".join(months) + ")"
    assert patterns.alternatives("months.tsv") == "|".join(months)
    longest = sorted(set(months), key=lambda w: (-len(w), w))
    assert patterns.words("months.tsv") == "(?:" + "|".join(w.replace(" ", r"\s+") for w in longest) + ")"
    assert all(re.fullmatch(patterns.trie("months.tsv,weekdays.tsv"), w) for w in months)
    weekdays = sorted({w.removeprefix("ال") for w in patterns.entries("weekdays.tsv")})
    assert patterns.without_article("weekdays.tsv") == "(?:" + "|".join(weekdays) + ")"
    assert patterns.with_lam("outlet_names")[3:-1].split("|")[0].startswith("لل")


@pytest.mark.parametrize(("cell", "example"), [('" و"', " و"), ("قال انه", "قال انه"), ('"', '"')])
def test_quotes_keep_the_spaces_at_the_ends_of_an_example(cell: str, example: str) -> None:
    assert patterns._unquoted(cell) == example


def test_the_patterns_the_word_lists_name_exist() -> None:
    """A word list's comment that names the pattern it feeds (`patterns.NATIONAL_FORCE`) names one there is."""
    named = {(p.name, m) for p in data_path("words").iterdir() if p.name.endswith(".txt")
             for m in re.findall(r"patterns\.([A-Z][A-Z0-9_]+)", p.read_text(encoding="utf-8"))}
    assert named and sorted((f, n) for f, n in named if not hasattr(patterns, n)) == []
