"""The distributed profile: daily runs whose steps are executed by a Celery worker (two worker
processes) through a Redis broker, both started here on 127.0.0.1 and stopped by their own
process ids, with dagster-celery's executor, the project's persistent Dagster instance and data
folder. Needs ``redis-server`` (Debian's package; .ci/run installs it)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.runs import QUIET, instance_for, land
from pipelines.settings import layout

pytestmark = pytest.mark.slow

DAYS = ("2024-08-06", "2024-08-07")
REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """Stop a process this test started, with the children it started (its own group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: .ci/run installs Debian's redis-server")
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    port = _free_port()
    process = subprocess.Popen(
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        found.add(current)
        todo += children.get(current, [])
    return found


def _wait_for_worker(worker: subprocess.Popen, broker: str, log: Path) -> None:
    from dagster_celery.make_app import make_app

    app = make_app({"broker": broker, "backend": broker})
    deadline = time.monotonic() + 90
    while not app.control.ping(timeout=1):
        if worker.poll() is not None:
            pytest.fail(f"the celery worker exited ({worker.returncode}):\n{log.read_text()}")
        assert time.monotonic() < deadline, "the celery worker did not answer in 90 s"


def _within(seconds: float, work):
    """Run ``work`` in a thread; fail (rather than hang) if it takes longer than ``seconds``."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"the runs did not finish in {seconds} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_days_run_their_steps_on_celery_workers_and_publish(
    tmp_path, corpus, redis_url, monkeypatch
):
    from assets.distributed import BROKER_ENV, daily_events_job

    home = tmp_path / "data"
    where = layout(home)
    monkeypatch.setenv("DYADFLOW_HOME", str(home))
    monkeypatch.setenv(BROKER_ENV, redis_url)
    land(where, [str(corpus)])
    config = tmp_path / "celery.yaml"
    config.write_text(
        f"execution:\n  config:\n    broker: {redis_url}\n    backend: {redis_url}\n", "utf-8"
    )
    with instance_for(where) as instance:  # sets DAGSTER_HOME for the worker too
        worker = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("dagster-celery")),
                "worker",
                "start",
                "-A",
                "dagster_celery.app",
                "-y",
                str(config),
                "-l",
                "WARNING",
                "--",
                "--concurrency",
                "2",
            ],
            cwd=tmp_path,
            env={
                **os.environ,
                "PYTHONPATH": str(REPO),
                # dagster-celery starts `celery` from the PATH: this environment's
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            },
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "worker.log").open("w"),
            start_new_session=True,
        )
        try:
            _wait_for_worker(worker, redis_url, tmp_path / "worker.log")
            run_config = {**QUIET, "resources": {"sources": {"config": {"paths": [str(corpus)]}}}}
            results = _within(
                300,
                lambda: [
                    dg.execute_job(
                        dg.reconstructable(daily_events_job),
                        instance=instance,
                        run_config=run_config,
                        tags={"dagster/partition": day},
                    )
                    for day in DAYS
                ],
            )
            workers = _descendants(worker.pid)
            assert [r.success for r in results] == [True, True]
            started = {
                (record.dagster_event.step_key, record.dagster_event.pid)
                for result in results
                for record in instance.all_logs(result.run_id)
                if record.dagster_event and record.dagster_event.event_type_value == "STEP_START"
            }
        finally:
            _stop(worker)
    # every step ran in a worker process, none in this one
    assert {"articles", "event_mentions", "events"} <= {step for step, _ in started}
    assert {pid for _, pid in started} <= workers - {worker.pid}
    with duckdb.connect(str(where.duckdb_path), read_only=True) as con:
        days = con.execute("SELECT DISTINCT published_date::VARCHAR FROM articles ORDER BY 1")
        assert [d for (d,) in days.fetchall()] == list(DAYS)
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] > 0
