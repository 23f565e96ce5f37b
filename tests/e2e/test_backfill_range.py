"""A backfill of many small days: one run publishes them together, and a day its checks block
is reported and left out while the others are published."""

import json
import os
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.cli import main
from assets.runs import MIN_BATCH_DAYS
from pipelines.coding.dictionary_files import ENV_VAR
from pipelines.validation.site import ValidationSite
from tests.e2e.instance import job_names

pytestmark = pytest.mark.slow

FIRST = date(2024, 8, 1)
DAYS = [FIRST + timedelta(days=n) for n in range(MIN_BATCH_DAYS + 1)]
BLOCKED = DAYS[3]  # the only day that names Niger: the faulty lexicon re-codes it as NIGR


def _corpus(path):
    lines = []
    for day in DAYS:
        texts = (
            ["Niger's military junta severed diplomatic ties with Ukraine on Tuesday."]
            if day == BLOCKED
            else ["Kenyan police arrested dozens of protesters in Nairobi on Tuesday."]
        ) + ["Ghana's president praised the government of Senegal for its help."]
        for n, text in enumerate(texts):
            lines.append(
                {
                    "id": f"{day}-{n}",
                    "url": f"https://news.example/{day}-{n}",
                    "outlet": "Wire",
                    "title": f"Story {n} of {day}",
                    "text": text,
                    "published_at": f"{day}T1{n}:00:00Z",
                }
            )
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_small_days_run_as_one_run_and_a_blocked_day_is_left_out(
    tmp_path, capsys, monkeypatch, niger_miscoded
):
    home = tmp_path / "data"
    corpus = _corpus(tmp_path / "days.jsonl")
    assert main(["run", "--home", str(home), "--source", str(corpus)]) == 1
    out = capsys.readouterr().out
    assert f"  {BLOCKED}  FAILED (failed checks: event_mentions:event_mentions_valid)" in out
    assert "source_actor" in out.split(str(BLOCKED), 1)[1].split("\n  2024")[0]
    published = [day for day in DAYS if day != BLOCKED]
    assert all(f"  {day}  ok" in out for day in published)
    assert f"Not published: {BLOCKED} " in out

    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        runs = instance.get_runs()
        assert job_names(instance) == ["ingest_sources", "codebook", "backfill_days"]
        run_id = runs[0].run_id
        events = instance.fetch_materializations(dg.AssetKey("events"), limit=50).records
        assert sorted(r.partition_key for r in events) == [d.isoformat() for d in published]
        mentions = instance.fetch_materializations(dg.AssetKey("event_mentions"), limit=50)
        assert len(mentions.records) == len(DAYS)  # the blocked day's were coded and staged
        # Each day's checks show on its partition, as a daily run's do.
        shown = {
            (asset, check): {
                (e.partition, e.status.value)
                for e in instance.event_log_storage.get_asset_check_execution_history(
                    dg.AssetCheckKey(dg.AssetKey(asset), check), limit=50
                )
            }
            for asset, check in (
                ("articles", "articles_valid"),
                ("articles", "articles_volume"),
                ("event_mentions", "event_mentions_valid"),
                ("event_mentions", "event_mentions_volume"),
            )
        }
    passed = {(d.isoformat(), "SUCCEEDED") for d in DAYS}
    assert shown[("articles", "articles_valid")] == passed
    assert shown[("articles", "articles_volume")] == passed
    assert shown[("event_mentions", "event_mentions_valid")] == (
        passed - {(BLOCKED.isoformat(), "SUCCEEDED")} | {(BLOCKED.isoformat(), "FAILED")}
    )
    assert len(shown[("event_mentions", "event_mentions_volume")]) == len(DAYS)
    with duckdb.connect(str(home / "dyadflow.duckdb"), read_only=True) as con:
        days = con.execute("SELECT DISTINCT published_date FROM articles ORDER BY 1").fetchall()
        releases = con.execute(
            "SELECT day FROM releases WHERE action = 'publish day' ORDER BY release_id"
        ).fetchall()
        recorded = con.execute(
            "SELECT status FROM validation_runs WHERE batch = ? AND check_name = ?",
            [BLOCKED.isoformat(), "event_mentions_valid"],
        ).fetchall()
    assert [d for (d,) in days] == published
    assert [d for (d,) in releases] == published  # a release row each, as one run a day gives
    assert recorded == [("failed",)]
    history = ValidationSite.under(home).history()
    blocked = history[(history.batch == BLOCKED.isoformat()) & (history.status == "failed")]
    assert list(blocked.dagster_run_id) == [run_id]

    # Re-executed in full from the instance, as the UI re-executes it (the code location's
    # definitions, without the faulty lexicon): every day is published, the blocked one too.
    monkeypatch.delenv(ENV_VAR)
    root = str(Path(__file__).resolve().parents[2])
    script = textwrap.dedent(
        f"""
        import dagster as dg
        from dagster._core.definitions.reconstruct import ReconstructableRepository

        code = ReconstructableRepository.for_module("assets.definitions", "defs", {root!r})
        job = code.get_reconstructable_job("backfill_days")
        with dg.DagsterInstance.get() as instance:
            options = dg.ReexecutionOptions(parent_run_id={run_id!r})
            result = dg.execute_job(job, instance, reexecution_options=options)
            assert result.success, [e.message for e in result.all_events if e.is_failure]
        """
    )
    env = {**os.environ, "DYADFLOW_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with duckdb.connect(str(home / "dyadflow.duckdb"), read_only=True) as con:
        days = con.execute("SELECT DISTINCT published_date FROM articles ORDER BY 1").fetchall()
    assert [d for (d,) in days] == DAYS
