"""A throwaway PostgreSQL server for a benchmark, started as `.ci/run` starts the tests' one.

Debian's server binaries (`apt-get install postgresql`), a fresh cluster in a temporary directory on a
free loopback port, run as the `postgres` system user when this process is root (initdb refuses root),
fsync off; stopped and removed on exit. `throwaway_postgres()` yields the URL of an empty database.

    with throwaway_postgres() as url:   # postgresql://postgres@127.0.0.1:PORT/rasad_bench
        ...
"""

from __future__ import annotations

import glob
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OS_USER = "postgres"


class NoPostgres(RuntimeError):
    """PostgreSQL's server binaries are not installed here."""


def server_bin() -> Path:
    """The newest /usr/lib/postgresql/*/bin, or NoPostgres saying how to install it."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in Path(p).parent.name.split(".") if x.isdigit()])
    if not found or not Path(found[-1], "initdb").exists():
        raise NoPostgres("PostgreSQL's server is not installed: `apt-get install postgresql` (Debian), or leave out --pg")
    return Path(found[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(cmd: list[str]) -> None:
    line = " ".join(shlex.quote(c) for c in cmd)
    if os.geteuid() == 0:
        subprocess.run(["su", "-s", "/bin/sh", OS_USER, "-c", line], check=True, capture_output=True)
    else:
        subprocess.run(cmd, check=True, capture_output=True)


@contextmanager
def throwaway_postgres(database: str = "rasad_bench") -> Iterator[str]:
    """A fresh PostgreSQL cluster for the duration of the block: the URL of an empty `database`."""
    pg = server_bin()
    data = Path(tempfile.mkdtemp(prefix="rasad-bench-pg."))
    if os.geteuid() == 0:
        shutil.chown(data, OS_USER)
    port = _free_port()
    try:
        _as_server_user([str(pg / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"])
        _as_server_user([str(pg / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "server.log"), "-o",
                         f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off", "start"])
        try:
            subprocess.run([str(pg / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database],
                           check=True, capture_output=True)
            yield f"postgresql://postgres@127.0.0.1:{port}/{database}"
        finally:
            _as_server_user([str(pg / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"])
    finally:
        shutil.rmtree(data, ignore_errors=True)


def fresh_database(url: str, name: str) -> str:
    """A new empty database `name` on the server of `url` (each benchmark run starts from nothing)."""
    from sqlalchemy.engine import make_url

    server = make_url(url)
    where = ["-h", str(server.host), "-p", str(server.port), "-U", str(server.username)]
    for tool, *opts in (("dropdb", "--if-exists"), ("createdb",)):
        subprocess.run([str(server_bin() / tool), *opts, *where, name], check=True, capture_output=True)
    return server.set(database=name).render_as_string(hide_password=False)


def pg_version() -> str:
    """The server's version ("15.8")."""
    out = subprocess.run([str(server_bin() / "postgres"), "--version"], check=True, capture_output=True, text=True)
    return out.stdout.split()[2]
