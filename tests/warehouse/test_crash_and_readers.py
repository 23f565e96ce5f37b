"""Publication under fire: a writer killed with SIGKILL at random moments, and an analyst
querying in a loop while a run publishes. Both use real processes, a real DuckDB file and real
Parquet exports; the data are the synthetic stream, so no spaCy is needed."""

import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.warehouse import exports, swap
from pipelines.warehouse.store import Warehouse
from tests.warehouse.digest import exports_digest, tables_digest
from tests.warehouse.synthetic import publish_all, stream

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]
DAYS = 5
TRIALS = 12


def _worker(module: str, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", f"tests.warehouse.{module}", *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def _wait_ready(process: subprocess.Popen) -> None:
    line = process.stdout.readline()
    assert line.strip() == "ready", line


def test_a_run_killed_at_random_points_leaves_the_published_data_as_it_was(tmp_path):
    # The uninterrupted run, with the state of the tables after each publication.
    reference = tmp_path / "reference"
    digests = tmp_path / "digests.txt"
    process = _worker("publish_worker", reference, DAYS, digests)
    _wait_ready(process)
    started = time.monotonic()
    assert process.wait(timeout=120) == 0
    run_seconds = time.monotonic() - started
    after_each = digests.read_text().split()
    assert len(after_each) == DAYS
    states = {None, *after_each}  # a killed run may stop between any two publications
    final_tables = after_each[-1]
    final_exports = exports_digest(reference / "exports")

    rng = random.Random(20240806)
    landed = {
        "before the first swap": 0,
        "mid-build (candidate left)": 0,
        "exports lagging": 0,
        "between publications": 0,
    }
    for trial in range(TRIALS):
        home = tmp_path / f"trial-{trial}"
        process = _worker("publish_worker", home, DAYS)
        _wait_ready(process)
        time.sleep(rng.uniform(0, run_seconds))
        process.kill()
        process.wait()
        path = home / "dyadflow.duckdb"
        state = tables_digest(path)
        assert state in states, f"trial {trial}: the published tables match no complete release"
        manifest = exports.read_manifest(home / "exports")
        if swap.candidate_path(path).exists():
            landed["mid-build (candidate left)"] += 1
        elif state is None:
            landed["before the first swap"] += 1
        elif manifest is None or manifest["release_id"] < after_each.index(state) + 1:
            landed["exports lagging"] += 1
        else:
            landed["between publications"] += 1

        # The next run completes, and leaves what an uninterrupted run leaves.
        publish_all(Warehouse(path, home / "exports"), stream(days=DAYS))
        assert tables_digest(path) == final_tables, f"trial {trial}"
        assert exports_digest(home / "exports") == final_exports, f"trial {trial}"
        assert not swap.candidate_path(path).exists()
    # The narrowest windows, hit on purpose: the worker kills itself right there, in its third
    # publication. The file is the second or third release; the exports lag behind it.
    for trial, point in enumerate(("after_copy", "after_promote", "after_commit"), start=TRIALS):
        home = tmp_path / f"trial-{trial}"
        process = _worker("publish_worker", home, DAYS, "-", f"{point}:3")
        assert process.wait(timeout=120) == -9
        path = home / "dyadflow.duckdb"
        published = 2 if point == "after_copy" else 3
        assert tables_digest(path) == after_each[published - 1], point
        assert exports.read_manifest(home / "exports")["release_id"] == 2, point
        landed[f"on purpose {point}"] = 1
        publish_all(Warehouse(path, home / "exports"), stream(days=DAYS))
        assert tables_digest(path) == final_tables, point
        assert exports_digest(home / "exports") == final_exports, point
    print(
        f"\nkill test: {TRIALS} random trials and 3 aimed ones over a {run_seconds:.2f} s run of {DAYS} publications; killed: {landed}"
    )


def test_readers_never_see_a_half_written_release_and_never_block_the_writer(tmp_path):
    days = stream(days=10)
    warehouse = Warehouse(tmp_path / "dyadflow.duckdb", tmp_path / "exports")
    publish_all(warehouse, days[:1])  # the file the analyst opens
    expected = {item.day.isoformat(): [len(item.articles), len(item.mentions)] for item in days}
    (tmp_path / "expected.json").write_text(json.dumps(expected))
    stop = tmp_path / "stop"
    readers = {
        mode: _worker(
            "read_worker",
            mode,
            tmp_path,
            tmp_path / "expected.json",
            stop,
            tmp_path / f"{mode}.json",
        )
        for mode in ("fresh", "hold")
    }
    for reader in readers.values():
        _wait_ready(reader)
    seconds = []
    try:
        for item in days[1:]:
            started = time.monotonic()
            result = warehouse.publish_partition(
                item.day, item.articles, item.quarantine, item.mentions
            )
            seconds.append(time.monotonic() - started)
            assert result.release_id == days.index(item) + 1
            time.sleep(0.05)  # let the readers see this release
        for item in days[1:]:  # and once more: republishing replaces days readers already hold
            warehouse.publish_partition(item.day, item.articles, item.quarantine, item.mentions)
    finally:
        stop.touch()
        for reader in readers.values():
            assert reader.wait(timeout=60) == 0
    results = {mode: json.loads((tmp_path / f"{mode}.json").read_text()) for mode in readers}
    for mode, result in results.items():
        assert result["errors"] == [], mode
        assert result["problems"] == [], mode
        assert result["rounds"] >= 20 and result["files_read"] > 0, mode
    assert len(results["fresh"]["releases_seen"]) >= 5  # new queries followed the run
    assert results["hold"]["releases_seen"] == [1]  # the open session kept its snapshot
    fresh, hold = results["fresh"], results["hold"]
    print(
        f"\nreader test: fresh-connection reader {fresh['rounds']} rounds, releases seen "
        f"{fresh['releases_seen']}; open-session reader {hold['rounds']} rounds on release 1; "
        f"{fresh['files_read'] + hold['files_read']} Parquet files read whole; writer "
        f"{len(seconds)} publications of {min(seconds):.3f}-{max(seconds):.3f} s, never blocked"
    )


def test_a_session_holding_the_file_for_writing_does_not_stop_publication(tmp_path):
    """Against advice, an analyst opens the published file read-write, which locks it. The
    writer never opens that file, so the next day is published all the same."""
    days = stream(days=2)
    warehouse = Warehouse(tmp_path / "dyadflow.duckdb", tmp_path / "exports")
    publish_all(warehouse, days[:1])
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
            " time.sleep(60)",
            str(warehouse.path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_ready(holder)
        result = warehouse.publish_partition(
            days[1].day, days[1].articles, days[1].quarantine, days[1].mentions
        )
        assert result.release_id == 2
    finally:
        holder.kill()
        holder.wait()
    assert warehouse.last_release()["day"].date() == days[1].day
