"""The published path is a link to immutable release files: what a reader looks up stays whole.

DuckDB opens a database file three times while connecting, each time by its path; with the
candidate renamed straight over the published file, a swap between those opens gave readers one
release's headers and another's blocks (about a third of the opens in the stress test below
failed that way). See ``pipelines/warehouse/swap.py``.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse import swap
from tests.warehouse.helpers import assert_same_tables, publish_two_days, published_tables

ROOT = Path(__file__).parents[2]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _release_of(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT max(release_id) FROM releases").fetchone()[0]


def test_the_published_path_links_to_a_release_file_named_like_it(warehouse, tmp_path):
    publish_two_days(warehouse)
    assert warehouse.path.is_symlink()
    assert warehouse.path.resolve() == swap.release_path(warehouse.path, 2).resolve()
    assert not os.readlink(warehouse.path).startswith("/")  # the folder can be moved
    with warehouse.connect() as con:
        # DuckDB names the database after the file it opened: the same name in every release.
        assert con.execute("SELECT current_database()").fetchone()[0] == warehouse.path.stem
        assert con.execute("SELECT count(*) FROM w.releases").fetchone()[0] == 2
    moved = tmp_path.with_name(tmp_path.name + "-moved")
    shutil.move(tmp_path, moved)
    assert _release_of(moved / warehouse.path.name) == 2


def test_a_release_a_reader_looked_up_outlives_the_next_publication(warehouse, monkeypatch):
    publish_two_days(warehouse)
    looked_up = warehouse.path.resolve()  # a reader resolved the link, and has not opened it yet
    before = _digest(looked_up)
    warehouse.publish_codebook()
    assert _digest(looked_up) == before
    assert _release_of(looked_up) == 2
    assert _release_of(warehouse.path) == 3

    monkeypatch.setattr(swap, "KEEP_REPLACED_SECONDS", 0.0)
    warehouse.publish_codebook()
    kept = sorted(p.name for p in swap.releases_dir(warehouse.path).iterdir())
    assert kept == ["000004"]  # every replaced release has gone; the current one stays
    assert not looked_up.exists()
    assert _release_of(warehouse.path) == 4


def test_a_warehouse_file_of_an_older_dyadflow_becomes_a_link(warehouse):
    publish_two_days(warehouse)
    before = published_tables(warehouse)
    # An older dyadflow renamed its candidates over the published file: a plain file.
    release = warehouse.path.resolve()
    warehouse.path.unlink()
    shutil.copyfile(release, warehouse.path)
    shutil.rmtree(swap.releases_dir(warehouse.path))
    warehouse.publish_codebook()
    assert warehouse.path.is_symlink()
    assert_same_tables(before, published_tables(warehouse))
    assert _release_of(warehouse.path) == 3


def test_a_release_file_left_unlinked_by_a_killed_run_is_replaced(warehouse):
    publish_two_days(warehouse)
    before = published_tables(warehouse)
    # Killed between renaming its candidate to release 3 and swapping the link.
    orphan = swap.release_path(warehouse.path, 3)
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"half of something")
    warehouse.path.with_name(f".{warehouse.path.name}.link").symlink_to("nowhere")
    warehouse.publish_codebook()
    assert warehouse.path.resolve() == orphan.resolve()
    assert _release_of(warehouse.path) == 3
    assert_same_tables(before, published_tables(warehouse))


def _table_of(path: Path, rows: int) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute(
            f"CREATE TABLE t AS SELECT range AS i, md5(range::VARCHAR) AS s FROM range({rows})"
        )
    return path


@pytest.mark.slow
def test_readers_opening_during_swaps_always_get_one_whole_release(tmp_path):
    # Two releases of very different sizes, swapped in as fast as the writer can: a reader that
    # mixed them would read blocks past the end of the smaller file, or metadata that is not there.
    rows = (100_000, 600_000)
    releases = [_table_of(tmp_path / f"{n}.src", n) for n in rows]
    published = tmp_path / "dyadflow.duckdb"
    candidate = swap.candidate_path(published)

    def publish(release_id):
        candidate.unlink(missing_ok=True)
        os.link(releases[release_id % 2], candidate)  # a candidate for the price of a link
        swap.promote(candidate, published, release_id)

    publish(0)
    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.warehouse.open_worker",
                published,
                stop,
                tmp_path / f"reader-{n}.json",
                *map(str, rows),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    for reader in readers:
        assert reader.stdout.readline().strip() == "ready"
    swaps, until = 0, time.monotonic() + 6
    while time.monotonic() < until:
        swaps += 1
        publish(swaps)
    stop.touch()
    for reader in readers:
        assert reader.wait(timeout=60) == 0
    results = [json.loads((tmp_path / f"reader-{n}.json").read_text()) for n in range(2)]
    opens = sum(result["opens"] for result in results)
    assert opens >= 50
    assert [error for result in results for error in result["errors"]] == []
    print(f"\nswap stress: {swaps} swaps under {opens} fresh opens, no error")
