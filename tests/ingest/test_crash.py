"""A landing killed with SIGKILL at any point: the next landing publishes exactly what an
uninterrupted one does (manifest, days, articles, quarantine, copies), nothing lost, nothing
twice. Real processes, a real DuckDB file, real Parquet parts."""

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.ingest.config import SourcesConfig
from pipelines.ingest.landing import Ingestor
from pipelines.ingest.landing_area import Landing
from pipelines.ingest.sample import sample_corpus_path

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]


def _worker(root: Path, inbox: Path, kill_at: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tests.ingest.landing_worker", str(root), str(inbox), str(kill_at)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DYADFLOW_PROCESSES": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _land(root: Path, inbox: Path) -> None:
    Ingestor(root, SourcesConfig(inbox=inbox, use_sample_when_empty=False)).run()


def _published(root: Path) -> dict:
    """What the daily runs and the sensor see, without batch numbers or part names."""
    landing = Landing(root)
    manifest = landing.manifest()
    days = sorted({d for touched in manifest["days"] for d in touched})
    announced = {d for touched in landing.batches()["days"] for d in touched}
    return {
        "files": sorted(
            (row.source, row.sha256, tuple(row.days)) for row in manifest.itertuples(index=False)
        ),
        "days": {
            day: (
                landing.day_articles(day).to_dict("records"),
                landing.day_quarantine(day).to_dict("records"),
            )
            for day in days
        },
        "days not announced to the sensor": sorted(set(days) - announced),
    }


@pytest.fixture
def inbox(tmp_path, fixtures):
    """The sample corpus (copies, bad records, many days) in four files, and two more formats."""
    box = tmp_path / "inbox"
    box.mkdir()
    lines = sample_corpus_path().read_bytes().splitlines(keepends=True)
    quarter = -(-len(lines) // 4)
    for n in range(4):
        (box / f"wire-{n}.jsonl").write_bytes(b"".join(lines[n * quarter : (n + 1) * quarter]))
    for name in ("articles.csv", "page.html"):
        shutil.copy(fixtures / name, box / name)
    return box


def _killed(root: Path, inbox: Path, kill_at: int) -> None:
    run = _worker(root, inbox, kill_at)
    assert run.returncode == -signal.SIGKILL, (kill_at, run.returncode, run.stderr[-2000:])


def test_a_landing_killed_anywhere_is_completed_by_the_next(tmp_path, inbox):
    reference = tmp_path / "reference"
    run = _worker(reference, inbox, 0)
    assert run.returncode == 0, run.stderr[-2000:]
    writes = int(run.stdout.split()[-1])
    expected = _published(reference)
    assert writes > 20 and len(expected["days"]) > 5
    assert expected["days not announced to the sensor"] == []

    # The first parts, a part written but not committed, mid-way, the day's copies before the
    # batch is recorded, and each of the two snapshots.
    for kill_at in sorted({1, 2, 3, writes // 3, writes // 2, writes - 2, writes - 1, writes}):
        root = tmp_path / f"killed-{kill_at}"
        _killed(root, inbox, kill_at)
        _land(root, inbox)
        assert _published(root) == expected, f"killed at Parquet write {kill_at} of {writes}"


def test_a_landing_killed_while_a_changed_file_replaces_its_records(tmp_path, inbox):
    changed = inbox / "wire-1.jsonl"
    lines = changed.read_bytes().splitlines(keepends=True)
    late = {
        "id": "late-1",
        "text": "Chile recalled its ambassador to Venezuela on Thursday.",
        "published_at": "2024-08-02T09:00:00Z",
    }
    edit = [*lines[:3], json.dumps(late).encode() + b"\n"]
    original = tmp_path / "original"
    _land(original, inbox)
    before = _published(original)
    reference = tmp_path / "reference"
    _land(reference, inbox)
    changed.write_bytes(b"".join(edit))
    run = _worker(reference, inbox, 0)
    assert run.returncode == 0, run.stderr[-2000:]
    writes = int(run.stdout.split()[-1])
    expected = _published(reference)
    # Killed while the file's old records leave the parts they share, and at the end.
    for kill_at in (1, 2, 4, writes - 2, writes - 1, writes):
        root = tmp_path / f"killed-{kill_at}"
        changed.write_bytes(b"".join(lines))
        _land(root, inbox)
        changed.write_bytes(b"".join(edit))
        _killed(root, inbox, kill_at)
        _land(root, inbox)
        assert _published(root) == expected, f"killed at Parquet write {kill_at} of {writes}"
    # Killed while its old records leave the parts, and the change undone before the next
    # landing: the same bytes as landed, but not all of their records are left.
    root = tmp_path / "undone"
    changed.write_bytes(b"".join(lines))
    _land(root, inbox)
    changed.write_bytes(b"".join(edit))
    _killed(root, inbox, 2)
    changed.write_bytes(b"".join(lines))
    _land(root, inbox)
    assert _published(root) == before
