"""Commands that read a database refuse one that is not there, naming the ones nearby; `make demo` uses
../shared when it is beside the repository. Real subprocesses, real databases."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

RASAD = Path(sys.executable).parent / "rasad"
REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def rasad(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "RASAD_DB"}
    # this checkout's code, whichever the console script was installed from, also when run from elsewhere
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])
    return subprocess.run([str(RASAD), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding one database built from examples/."""
    d = tmp_path_factory.mktemp("dbs")
    r = rasad("ingest", str(EXAMPLES), "--db", "events.db", "--no-progress", cwd=d)
    assert r.returncode == 0, r.stderr
    return d


@pytest.mark.parametrize("command", [["export"], ["stats"], ["serve", "--port", "0"], ["events", "show", "1"],
                                     ["review", "export"]])
def test_a_missing_database_is_refused_not_created(tmp_path: Path, command: list[str]) -> None:
    r = rasad(*command, cwd=tmp_path)
    assert r.returncode != 0
    assert "no database at rasad.db" in r.stderr and "rasad ingest PATH --db rasad.db" in r.stderr
    assert "No .db file in" in r.stderr
    assert not (tmp_path / "rasad.db").exists()  # nothing created behind the user's back
    assert r.stdout == ""


def test_the_message_names_the_databases_nearby(built: Path) -> None:
    r = rasad("export", cwd=built)
    assert r.returncode != 0
    assert "Databases there: events.db" in r.stderr and "rasad export --db events.db" in r.stderr
    assert not (built / "rasad.db").exists()
    r = rasad("stats", "--db", str(built / "typo.db"), cwd=built.parent)
    assert r.returncode != 0 and str(built / "events.db") in r.stderr


def test_export_accepts_acled_as_the_name_of_acled_csv(built: Path) -> None:
    a = rasad("export", "--db", "events.db", "--format", "acled", cwd=built)
    b = rasad("export", "--db", "events.db", "--format", "acled-csv", cwd=built)
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout and a.stdout.startswith("event_id_cnty,")
    assert len(a.stdout.splitlines()) > 5
    assert "events exported as acled-csv" in a.stderr


def test_stats_reads_an_existing_database(built: Path) -> None:
    r = rasad("stats", "--db", "events.db", cwd=built)
    assert r.returncode == 0, r.stderr
    assert "governorate" in r.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_demo_uses_the_shared_gazetteer_and_boundaries_when_they_are_there(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    (shared / "gazetteer").mkdir(parents=True)
    (shared / "gazetteer" / "places.csv").write_text("name\n", encoding="utf-8")
    (shared / "gazetteer" / "admin1.geojson").write_text("{}", encoding="utf-8")
    (shared / "gazetteer" / "admin2_approx.geojson").write_text("{}", encoding="utf-8")

    def demo(where: Path) -> str:
        r = subprocess.run(["make", "-n", "demo", f"SHARED={where}"], cwd=REPO, capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stderr
        return r.stdout

    with_shared = demo(shared)
    ingest = next(line for line in with_shared.splitlines() if " ingest " in line)
    assert f"--gazetteer {shared}/gazetteer/places.csv" in ingest
    assert f"boundaries import {shared}/gazetteer/admin1.geojson --db" in with_shared
    assert f"boundaries import {shared}/gazetteer/admin2_approx.geojson --level admin2 --db" in with_shared
    absent = demo(tmp_path / "absent").splitlines()
    ingest = next(line for line in absent if " ingest " in line)
    assert "--gazetteer" not in ingest
    # each boundaries import runs only when its file is there
    imports = [line for line in absent if "boundaries import" in line]
    assert len(imports) == 2 and all(line.startswith(f"if [ -f {tmp_path}/absent/gazetteer/") for line in imports)
