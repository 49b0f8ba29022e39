"""`--dask` on a real cluster: a `dask scheduler` and two `dask worker` processes started here, in another
working directory than the client's. The output must be the single-process output byte for byte, also
when a worker is killed with SIGKILL after tasks have started; unreadable records are reported with their
line; `rasad ingest --dask` gives the database a single-process ingest gives, also after a killed client."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

distributed = pytest.importorskip("distributed")

from rasad.database import bulk  # noqa: E402
from rasad.database.store import Store  # noqa: E402
from test_rollups import _check as check_rollups  # noqa: E402

DASK = Path(sys.executable).parent / "dask"
ANT_SAMPLE = 2000


class DaskCluster:
    """A scheduler and workers as separate processes, each started with `dask` in `where`."""

    def __init__(self, where: Path, workers: int = 2) -> None:
        if not DASK.exists():
            pytest.skip("the dask command is not installed (pip install 'rasad[dask]')")
        where.mkdir(parents=True, exist_ok=True)
        self.where = where
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.address = f"tcp://127.0.0.1:{port}"
        self.log = (where / "cluster.log").open("w")
        env = {k: v for k, v in os.environ.items() if k != "RASAD_DATA"}
        self.env = env
        self.scheduler = subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                           "--no-dashboard"], cwd=where, stdout=self.log, stderr=subprocess.STDOUT,
                                          env=env)
        self.workers = [self.start_worker(i) for i in range(workers)]
        self.wait_for(workers)

    def start_worker(self, i: int) -> subprocess.Popen[bytes]:
        # --no-nanny: the process killed below is the worker itself, not a nanny that would restart it
        local = self.where / f"worker{i}"
        local.mkdir(exist_ok=True)
        return subprocess.Popen([str(DASK), "worker", self.address, "--nthreads", "1", "--no-nanny",
                                 "--no-dashboard", "--local-directory", str(local), "--name", f"w{i}"],
                                cwd=local, stdout=self.log, stderr=subprocess.STDOUT, env=self.env)

    def client(self) -> distributed.Client:
        return distributed.Client(self.address, timeout="30s")

    def wait_for(self, n: int) -> None:
        with self.client() as c:
            c.wait_for_workers(n, timeout=120)

    def close(self) -> None:
        try:  # the scheduler tells its workers to close, then stops
            with self.client() as c:
                c.shutdown()
        except Exception:
            pass
        for p in [*self.workers, self.scheduler]:
            if p.poll() is None:
                p.terminate()
        for p in [*self.workers, self.scheduler]:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.log.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskCluster]:
    c = DaskCluster(tmp_path_factory.mktemp("dask"))
    try:
        yield c
    finally:
        c.close()


@pytest.fixture(scope="module")
def ant_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 2,000 ANT articles, as a .jsonl.gz batch."""
    src = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ant" / "articles.jsonl.gz"
    if not src.exists():
        pytest.skip("../shared is not beside the repository")
    out = tmp_path_factory.mktemp("ant") / "ant2000.jsonl.gz"
    with gzip.open(src, "rt", encoding="utf-8") as f, gzip.open(out, "wt", encoding="utf-8") as w:
        for i, line in enumerate(f):
            if i == ANT_SAMPLE:
                break
            w.write(line)
    return out


@pytest.fixture(scope="module")
def ant_single(rasad_cmd: list[str], ant_sample: Path) -> bytes:
    """The single-process output on the ANT sample."""
    out = ant_sample.with_name("one.jsonl")
    _run([*rasad_cmd, "extract", str(ant_sample), "-o", str(out), "--no-progress"], ant_sample.parent)
    return out.read_bytes()


@pytest.fixture(scope="module")
def ant_half(ant_sample: Path) -> Path:
    """The first 1,000 articles of the ANT sample, for the ingests."""
    out = ant_sample.with_name("ant1000.jsonl")
    with gzip.open(ant_sample, "rt", encoding="utf-8") as f:
        out.write_text("".join(line for _, line in zip(range(ANT_SAMPLE // 2), f, strict=False)), encoding="utf-8")
    return out


def _run(cmd: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, r.stderr
    return r


def _extract_both(rasad_cmd: list[str], inputs: list[str], address: str, tmp_path: Path,
                  partition: int) -> tuple[bytes, bytes, str, str]:
    one = _run([*rasad_cmd, "extract", *inputs, "-o", str(tmp_path / "one.jsonl"), "--no-progress"], tmp_path)
    many = _run([*rasad_cmd, "extract", *inputs, "-o", str(tmp_path / "dask.jsonl"), "--no-progress",
                 "--partition-size", str(partition), "--dask", address], tmp_path)
    return (tmp_path / "one.jsonl").read_bytes(), (tmp_path / "dask.jsonl").read_bytes(), one.stderr, many.stderr


@pytest.mark.corpus
def test_the_development_set_on_two_workers_is_byte_identical(shared: Path, rasad_cmd: list[str], cluster: DaskCluster,
                                                              tmp_path: Path) -> None:
    one, many, _, err = _extract_both(rasad_cmd, [str(shared / "corpus" / "dev" / "articles.jsonl")], cluster.address,
                                      tmp_path, partition=7)
    assert one.count(b"\n") == 79 and one == many
    assert "2 workers" in err
    with cluster.client() as c:  # both workers took part
        done = c.run(lambda dask_worker: len(dask_worker.data) + dask_worker.state.executed_count)
    assert all(n > 0 for n in done.values()), done


@pytest.mark.corpus
def test_two_thousand_ant_articles_on_two_workers_are_byte_identical(rasad_cmd: list[str], cluster: DaskCluster,
                                                                     ant_sample: Path, ant_single: bytes,
                                                                     tmp_path: Path) -> None:
    _run([*rasad_cmd, "extract", str(ant_sample), "-o", str(tmp_path / "dask.jsonl"), "--no-progress",
          "--partition-size", "50", "--dask", cluster.address], tmp_path)
    assert ant_single.count(b"\n") == ANT_SAMPLE and (tmp_path / "dask.jsonl").read_bytes() == ant_single


def test_a_bad_record_is_reported_with_its_line(rasad_cmd: list[str], cluster: DaskCluster, tmp_path: Path) -> None:
    records = [json.dumps({"id": f"r{i}", "title": None, "published": "2024-03-05", "text": f"record {i}"})
               for i in range(6)]
    records[2] = '{"id": "broken", "text": '  # line 3: cut short
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(records) + "\n", encoding="utf-8")
    one, many, err_one, err_many = _extract_both(rasad_cmd, [str(batch)], cluster.address, tmp_path, partition=2)
    assert one == many and many.count(b"\n") == 5
    skipped = [line for line in err_many.splitlines() if "skipped" in line]
    assert len(skipped) == 1 and "batch.jsonl, line 3" in skipped[0], err_many
    assert skipped == [line for line in err_one.splitlines() if "skipped" in line]


def _snapshot(db: Path) -> tuple:
    s = Store(str(db))
    with s.engine.connect() as conn:
        docs = [row[0] for row in conn.execute(sa.text("SELECT content_hash FROM documents ORDER BY id"))]
        quarantined = sorted(row[0] for row in conn.execute(sa.text("SELECT error FROM quarantine")))
    evs = sorted((tuple(sorted(x["doc"] for x in e["reports"])), e.get("date") or "", e.get("admin1") or "",
                  e.get("event_type") or "", e.get("actor1") or "", json.dumps(e.get("fatalities"), sort_keys=True))
                 for e in s.iter_events())
    return docs, evs, quarantined


@pytest.mark.corpus
def test_ingest_on_two_workers_gives_the_single_process_database_also_after_a_killed_client(
        rasad_cmd: list[str], cluster: DaskCluster, ant_half: Path, tmp_path: Path) -> None:
    n = ANT_SAMPLE // 2
    clean, dask_db, killed = tmp_path / "clean.db", tmp_path / "dask.db", tmp_path / "killed.db"
    _run([*rasad_cmd, "ingest", str(ant_half), "--db", str(clean), "--no-progress"], tmp_path)
    r = _run([*rasad_cmd, "ingest", str(ant_half), "--db", str(dask_db), "--no-progress", "--partition-size", "25",
              "--dask", cluster.address], tmp_path)
    assert f"{n} documents stored" in r.stderr
    expected = _snapshot(clean)
    assert _snapshot(dask_db) == expected
    # the client of a bulk load (`--bulk`) killed half way, then an ordinary run: the database of a clean run,
    # with the indexes and rollups the bulk load had set aside made again
    proc = subprocess.Popen([*rasad_cmd, "ingest", str(ant_half), "--db", str(killed), "--no-progress", "--bulk",
                             "--partition-size", "25", "--batch", "100", "--dask", cluster.address], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
        try:
            with Store(str(killed), migrate=False).engine.connect() as conn:
                if conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one() >= 200:
                    break
        except Exception:
            continue
    assert proc.poll() is None, "the ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < Store(str(killed)).counts()["documents"] < n
    with Store(str(killed)).engine.connect() as conn:
        assert bulk.pending(conn)
    _run([*rasad_cmd, "ingest", str(ant_half), "--db", str(killed), "--no-progress", "--partition-size", "25",
          "--dask", cluster.address], tmp_path)
    assert _snapshot(killed) == expected
    with Store(str(killed)).engine.connect() as a, Store(str(clean)).engine.connect() as b:
        assert not bulk.pending(a) and sorted(bulk.deferrable(a)) == sorted(bulk.deferrable(b))
    check_rollups(Store(str(killed)))


def _processing_on(address: str, worker: str) -> int:
    with distributed.Client(address, timeout="30s") as c:
        return c.run_on_scheduler(
            lambda dask_scheduler: sum(1 for ws in dask_scheduler.workers.values() if ws.name == worker
                                       for ts in ws.processing if str(ts.key).startswith("rasad-extract-")))


@pytest.mark.corpus
def test_a_worker_killed_mid_run_leaves_the_output_identical(rasad_cmd: list[str], cluster: DaskCluster,
                                                             ant_sample: Path, ant_single: bytes,
                                                             tmp_path: Path) -> None:
    proc = subprocess.Popen([*rasad_cmd, "extract", str(ant_sample), "-o", str(tmp_path / "dask.jsonl"),
                             "--no-progress", "--partition-size", "20", "--dask", cluster.address],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None and not _processing_on(cluster.address, "w1"):
            time.sleep(0.05)
        assert proc.poll() is None, "the run finished before a worker could be killed"
        cluster.workers[1].send_signal(signal.SIGKILL)  # w1 holds a task it has started
        cluster.workers[1].wait()
        _out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert (tmp_path / "dask.jsonl").read_bytes() == ant_single
        with cluster.client() as c:
            assert len(c.scheduler_info()["workers"]) == 1  # w1 is gone: w0 did its tasks again
    finally:
        if proc.poll() is None:
            proc.kill()
        cluster.workers[1] = cluster.start_worker(1)  # for any test that runs after this one
        cluster.wait_for(2)


@pytest.mark.corpus
def test_reprocess_on_two_workers_gives_the_local_reprocess(shared: Path, rasad_cmd: list[str], cluster: DaskCluster,
                                                            tmp_path: Path) -> None:
    import shutil

    base = tmp_path / "base.db"
    _run([*rasad_cmd, "ingest", str(shared / "corpus" / "dev" / "articles.jsonl"), "--db", str(base),
          "--no-progress"], tmp_path)
    local, remote = tmp_path / "local.db", tmp_path / "remote.db"
    shutil.copy(base, local)
    shutil.copy(base, remote)
    _run([*rasad_cmd, "reprocess", "--db", str(local), "--no-progress"], tmp_path)
    _run([*rasad_cmd, "reprocess", "--db", str(remote), "--no-progress", "--partition-size", "10",
          "--dask", cluster.address], tmp_path)

    def reports_of(db: Path) -> list[tuple]:
        with Store(str(db)).engine.connect() as conn:
            return conn.execute(sa.text("SELECT document_id, idx, event_id, record, provenance FROM reports "
                                        "ORDER BY id")).all()

    assert reports_of(remote) == reports_of(local) and _snapshot(remote) == _snapshot(local)


def _worker_monitors() -> tuple[bool, bool]:
    import dask

    return (dask.config.get("distributed.worker.profile.enabled"),
            dask.config.get("distributed.admin.system-monitor.gil.enabled"))


@pytest.mark.parametrize(("env", "expected"), [
    ({}, (False, False)),  # rasad's local workers run without Dask's sampling monitors
    ({"DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "True"}, (True, False)),  # unless the user asks for one
])
def test_a_local_cluster_leaves_out_the_profiler_unless_configured(monkeypatch: pytest.MonkeyPatch,
                                                                   env: dict[str, str], expected: tuple[bool, bool]) -> None:
    from rasad.distributed import Cluster

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with Cluster(None, 1) as cluster:
        assert set(cluster.client.run(_worker_monitors).values()) == {expected}
