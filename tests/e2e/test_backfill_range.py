"""A backfill of many small days: one run publishes them together, and a day its checks block
is reported and left out while the others are published."""

import json
from datetime import date, timedelta

import dagster as dg
import duckdb
import pytest

from assets.cli import main
from assets.runs import MIN_BATCH_DAYS
from pipelines.coding.dictionary_files import ENV_VAR
from pipelines.validation.site import ValidationSite

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


def test_small_days_run_as_one_run_and_a_blocked_day_is_left_out(tmp_path, capsys, monkeypatch):
    faulty = tmp_path / "faulty"
    faulty.mkdir()
    (faulty / "countries.tsv").write_text(
        "code\tname\talso\tadjectives\tcapitals\nNER\t-\nNIGR\tNiger\t\tNigerien\tNiamey\n"
    )
    monkeypatch.setenv(ENV_VAR, str(faulty))
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
        assert [r.job_name for r in reversed(runs)] == [
            "ingest_sources",
            "codebook",
            "backfill_days",
        ]
        run_id = runs[0].run_id
        events = instance.fetch_materializations(dg.AssetKey("events"), limit=50).records
        assert sorted(r.partition_key for r in events) == [d.isoformat() for d in published]
        mentions = instance.fetch_materializations(dg.AssetKey("event_mentions"), limit=50)
        assert len(mentions.records) == len(DAYS)  # the blocked day's were coded and staged
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
