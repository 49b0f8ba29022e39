from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


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
