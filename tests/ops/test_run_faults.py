"""Runs under faults: runs killed mid-way, runs started together on a new data folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from assets.publish import WRITER_POOL

ROOT = Path(__file__).parents[2]
ERROR = re.compile(r"^[\w.]+(Error|Exception): ")

pytestmark = pytest.mark.slow


def _python(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


# Opens the data folder's Dagster instance as a run does, once a go-file appears (so that
# every process creates it at the same moment), and lists its runs and pools.
_FIRST_RUN = """
import sys, time
from pathlib import Path
from assets.runs import instance_for
from pipelines.settings import layout

go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.01)
with instance_for(layout(sys.argv[1])) as instance:
    instance.get_runs_count()
    instance.event_log_storage.get_concurrency_info("duckdb_writer")
    instance.get_ticks("origin", "selector")
"""


def test_first_runs_started_together_create_the_instance_once(tmp_path):
    failures = []
    for attempt in range(2):
        home, go = tmp_path / f"data{attempt}", tmp_path / f"go{attempt}"
        runs = [_python(_FIRST_RUN, str(home), str(go)) for _ in range(4)]
        go.touch()
        for run in runs:
            _, err = run.communicate(timeout=300)
            if run.returncode:
                failures.append([line for line in err.splitlines() if ERROR.match(line)][-1:])
    assert failures == []


_DYADFLOW = "import sys; from assets.cli import main; sys.exit(main(sys.argv[1:]))"
# Far longer than a run of the fixture corpus takes: only a run that waits forever gets there.
HANG = 900
CORPUS = ROOT / "tests" / "fixtures" / "articles.jsonl"


def _writer_slots(instance) -> list:
    return instance.event_log_storage.get_concurrency_info(WRITER_POOL).claimed_slots


def _killed_while_publishing(home: Path):
    """A `dyadflow run` killed (SIGKILL) while one of its steps holds the writer pool's slot:
    the slot's run, or None when the run finished before it could be caught holding it."""
    run = _python(_DYADFLOW, "run", "--home", str(home), "--source", str(CORPUS))
    held = None
    try:
        while run.poll() is None and held is None:
            if (home / "dagster" / "storage").exists():
                with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
                    slots = _writer_slots(instance)
                    if slots:
                        run.kill()
                        held = slots[0].run_id
            time.sleep(0.02)
    finally:
        run.kill()
        run.communicate()
    if held is None:
        return None
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        still = [slot.run_id for slot in _writer_slots(instance)]
        status = instance.get_run_by_id(held).status
    return held if held in still and status == dg.DagsterRunStatus.STARTED else None


def test_a_run_killed_while_publishing_does_not_block_the_next_one(tmp_path):
    for attempt in range(3):
        home = tmp_path / f"data{attempt}"
        dead = _killed_while_publishing(home)
        if dead:
            break
    assert dead, "no run was caught holding the writer slot"

    # Without the dead run's slot freed, this run would wait for it forever.
    again = _python(_DYADFLOW, "run", "--home", str(home), "--source", str(CORPUS))
    try:
        _, err = again.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        again.kill()
        again.communicate()
        pytest.fail("the run after the killed one never finished: it waited for the dead run")
    assert again.returncode == 0, err
    assert f"run {dead}" in err and "marked failed" in err
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        assert instance.get_run_by_id(dead).status == dg.DagsterRunStatus.FAILURE
        assert _writer_slots(instance) == []


def test_a_reexecution_of_a_dead_processs_run_is_left_to_dagster(tmp_path):
    """A run launched again from the UI carries the tags of the run it repeats, the pid of the
    `dyadflow run` that made that one included: that process being gone says nothing of it."""
    import socket

    from assets.runs import HOST_TAG, PID_TAG, free_dead_runs, instance_for
    from pipelines.settings import layout

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    job = dg.define_asset_job("job", "*").resolve(
        asset_graph=dg.Definitions().resolve_asset_graph()
    )
    tags = {PID_TAG: str(gone.pid), HOST_TAG: socket.gethostname()}
    with instance_for(layout(tmp_path)) as instance:
        parent = instance.create_run_for_job(job, tags=tags, status=dg.DagsterRunStatus.STARTED)
        again = instance.create_run_for_job(
            job,
            tags=tags,
            status=dg.DagsterRunStatus.STARTED,
            parent_run_id=parent.run_id,
            root_run_id=parent.run_id,
        )
        assert free_dead_runs(instance) == [parent.run_id]
        assert instance.get_run_by_id(again.run_id).status == dg.DagsterRunStatus.STARTED
