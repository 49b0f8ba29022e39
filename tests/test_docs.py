"""README keeps up with the code: every command of `rasad` is documented, and the code map under "How it
works" names every module of the package (and no module that is gone)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from rasad.cli import main

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
PACKAGE = REPO / "src" / "rasad"


def commands(group: click.Command, prefix: str = "rasad") -> Iterator[str]:
    """Every command and subcommand of the click group, as typed: "rasad events show"."""
    if isinstance(group, click.Group):
        for name, sub in group.commands.items():
            yield f"{prefix} {name}"
            yield from commands(sub, f"{prefix} {name}")


def modules() -> list[str]:
    """Every module of the package, relative to src/rasad, but packages' __init__.py and the migrations
    themselves."""
    return sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                  if p.name != "__init__.py" and "migrations/versions" not in p.as_posix())


def code_map(readme: str = README) -> str:
    """The code block of the "How it works" section."""
    section = readme[readme.index("\n## How it works\n"):]
    m = re.search(r"```text\n(.*?)```", section, re.S)
    assert m, "How it works has a ```text code map"
    return m.group(1)


def mapped(block: str) -> set[str]:
    """The modules a code map names: the first word of each line that is a path ending in .py."""
    return {line.split()[0] for line in block.splitlines() if line.strip() and line.split()[0].endswith(".py")}


@pytest.mark.parametrize("command", sorted(commands(main)))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert re.search(rf"(?<![\w-]){re.escape(command)}(?![\w-])", README), f"README does not mention `{command}`"


def test_the_walk_sees_the_subcommands() -> None:
    found = set(commands(main))
    assert {"rasad extract", "rasad events show", "rasad gazetteer lookup", "rasad users add"} <= found


@pytest.mark.parametrize("module", modules())
def test_every_module_is_in_the_code_map(module: str) -> None:
    assert module in mapped(code_map()), f"README's code map (How it works) has no line for {module}"


def test_the_code_map_names_no_module_that_is_gone() -> None:
    gone = sorted(m for m in mapped(code_map()) if not (PACKAGE / m).exists())
    assert not gone, f"README's code map names modules that do not exist: {gone}"


def test_the_code_map_answers_where_each_decision_is_made() -> None:
    """One hop each: the line of one module says where it happens."""
    block = code_map()
    lines = {line.split()[0]: line for line in block.splitlines() if line.strip() and line.split()[0].endswith(".py")}
    # a line's continuation (indented) belongs to the module above it
    text = re.sub(r"\n\s{20,}", " ", block)
    owner = {q: next((m for m in lines if re.search(rf"^{re.escape(m)}\s.*{q}", text, re.M)), None) for q in (
        "where a clause becomes an incident", "where a figure's meaning is decided", "where low / best / high are combined",
        "where two reports of one article are joined", "where reports of several articles are merged")}
    assert owner == {
        "where a clause becomes an incident": "pipeline/mentions.py",
        "where a figure's meaning is decided": "pipeline/figures.py",
        "where low / best / high are combined": "pipeline/figures.py",
        "where two reports of one article are joined": "pipeline/incidents.py",
        "where reports of several articles are merged": "database/merge.py",
    }


def test_the_map_parser_sees_a_missing_line() -> None:
    readme = "# r\n\n## How it works\n\n```text\ncli.py   the command line\npipeline/run.py   stages\n```\n"
    assert mapped(code_map(readme)) == {"cli.py", "pipeline/run.py"}


def data_files() -> list[str]:
    """Every word list and table under src/rasad/data/, as README names it (`words/` lists by file name)."""
    data = PACKAGE / "data"
    return sorted([p.name for p in data.iterdir() if p.is_file() and p.suffix in (".tsv", ".txt")]
                  + [p.name for p in (data / "words").glob("*.txt")])


@pytest.mark.parametrize("name", data_files())
def test_every_data_file_is_in_the_readme(name: str) -> None:
    """An analyst finds every list in "Extending the lexicons" with what one line of it is."""
    section = README[README.index("\n## Extending the lexicons\n"):README.index("\n## Accuracy and speed\n")]
    assert f"`{name}`" in section, f"README's 'Extending the lexicons' does not name `{name}`"


def _phenomena_rows() -> list[tuple[str, str]]:
    text = (REPO / "tests" / "cases" / "README.md").read_text(encoding="utf-8")
    section = text.split("## The phenomena of issue 12", 1)[1]
    return [(cells[1], cells[3]) for line in section.splitlines()
            if (cells := [c.strip() for c in line.split("|")]) and len(cells) > 4 and cells[1].isdigit()]


def test_every_phenomenon_of_issue_12_names_cases_that_exist() -> None:
    """tests/cases/README.md maps issue 12's fourteen phenomena to their cases: each named case or test exists."""
    rows = _phenomena_rows()
    assert [n for n, _ in rows] == [str(i) for i in range(1, 15)]
    for number, cases in rows:
        for group in cases.split(";"):
            where, names = group.strip().split(":", 1) if ".tsv:" in group else ("", group)
            for name in (n.strip() for n in names.split(",")):
                if where:
                    ids = {line.split("\t", 1)[0] for line in
                           (REPO / "tests" / "cases" / where.strip()).read_text(encoding="utf-8").splitlines()}
                    assert name in ids, (number, where, name)
                else:
                    module, func = name.split("::")
                    assert re.search(rf"^def {re.escape(func)}\(", (REPO / "tests" / module).read_text(encoding="utf-8"),
                                     re.M), (number, name)
