"""Backfills from the command line: ``dyadflow run --from --to`` over a date range."""

import dagster as dg
import duckdb
import pytest

from assets.cli import main

pytestmark = pytest.mark.slow


def _instance_runs(home):
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        return [(run.job_name, run.tags.get("dagster/partition")) for run in instance.get_runs()]


def test_a_range_runs_one_partition_per_day_and_nothing_else(tmp_path, corpus, capsys):
    home = tmp_path / "data"
    code = main(
        [
            "run",
            "--home",
            str(home),
            "--source",
            str(corpus),
            "--from",
            "2024-08-07",
            "--to",
            "2024-08-07",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "1 days to run, 2024-08-07 .. 2024-08-07" in out
    assert "  2024-08-07  ok" in out and "2024-08-06" not in out.split("dyadflow: run complete")[0]
    # The runs are in the instance the UI reads, one per partition, tagged with it, after the
    # one that landed the sources.
    assert sorted(_instance_runs(home), key=str) == [
        ("codebook", None),
        ("daily_events", "2024-08-07"),
        ("ingest_sources", None),
    ]
    with duckdb.connect(str(home / "dyadflow.duckdb"), read_only=True) as con:
        days = con.execute("SELECT DISTINCT published_date::VARCHAR FROM articles").fetchall()
    assert days == [("2024-08-07",)]


def test_a_blocked_day_is_reported_with_its_check_and_fails_the_command(
    tmp_path, corpus, capsys, niger_miscoded
):
    home = tmp_path / "data"
    code = main(["run", "--home", str(home), "--source", str(corpus), "--from", "2024-08-06"])
    assert code == 1
    out = capsys.readouterr().out
    blocked = "FAILED (failed checks: event_mentions:event_mentions_valid)"
    assert f"  2024-08-06  {blocked}" in out and f"  2024-08-07  {blocked}" in out
    assert "Not published: 2024-08-06, 2024-08-07" in out


def test_a_reversed_range_is_refused(tmp_path, corpus, capsys):
    code = main(
        [
            "run",
            "--home",
            str(tmp_path),
            "--source",
            str(corpus),
            "--from",
            "2024-08-07",
            "--to",
            "2024-08-06",
        ]
    )
    assert code == 2
    assert "--from 2024-08-07 is after --to 2024-08-06" in capsys.readouterr().err
