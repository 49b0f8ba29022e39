from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After a run of tests/test_fuzz.py: how many inputs of each kind ran, and the slowest."""
    fuzz = sys.modules.get("test_fuzz")
    if fuzz is not None and fuzz.TALLY:
        for line in fuzz.summary():
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Gazetteer databases built by the tests go to a temporary cache, not the user's."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared beside the repository (read-only data maintained outside the project)."""
    if not (SHARED / "gold" / "seeds.json").exists():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def rasad_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "rasad"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("rasad")
    if not found:
        pytest.skip("the rasad console script is not installed")
    return [found]


def _databases() -> list[str]:
    pg = os.environ.get("RASAD_TEST_PG")
    return ["sqlite", pg] if pg else ["sqlite"]


@pytest.fixture(params=_databases())
def store(request: pytest.FixtureRequest, tmp_path: Path):  # -> rasad.database.store.Store
    """A fresh store: a SQLite file, and the PostgreSQL database of RASAD_TEST_PG emptied, when it is set."""
    from rasad.database.store import Store, metadata

    if request.param == "sqlite":
        return Store(str(tmp_path / "rasad.db"))
    s = Store(request.param)
    from rasad.database import bulk

    bulk.finish_store(s)  # what a failed test's bulk load set aside, made again before its record goes
    with s.engine.begin() as conn:  # a clean database for each test, children before parents
        for t in reversed(metadata.sorted_tables):
            conn.execute(sa.text(f"DELETE FROM {t.name}"))
    return s
