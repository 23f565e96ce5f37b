"""Runs under faults: runs killed mid-way, runs started together on a new data folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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
