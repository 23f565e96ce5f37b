"""The dyadflow command, run in-process against a temporary data folder."""

import json
import re
import shutil

import dagster as dg
import duckdb
import pytest

from assets.cli import main
from assets.ingest import LANDED_BY_TAG
from assets.runs import LOCATION
from tests.e2e.instance import job_names

pytestmark = pytest.mark.slow


def test_run_publishes_and_prints_the_summary(tmp_path, corpus, capsys, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    home = tmp_path / "data"
    assert main(["run", "--home", str(home), "--source", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "Read      5 articles published 2024-08-06 .. 2024-08-07 (2 days)" in out
    assert "Quarantined 2 records:" in out
    assert "16  reduce relations" in out
    assert str(home / "dyadflow.duckdb") in out
    # The Dagster instance lives under the data folder, with dyadflow's config.
    assert "telemetry" in (home / "dagster" / "dagster.yaml").read_text()
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        runs = instance.get_runs()
        # the landing, the codebook, then one run per day: each a run of the UI's code location
        days = ["daily_events", "daily_events"]
        assert job_names(instance) == ["ingest_sources", "codebook", *days]
        assert {r.remote_job_origin.location_name for r in runs} == {LOCATION}
        (landed,) = instance.fetch_materializations(dg.AssetKey("landed_articles"), limit=5).records
        metadata = landed.asset_materialization.metadata
        assert (metadata["articles"].value, metadata["quarantined"].value) == (5, 2)
        assert "| reason | records |" in metadata["quarantine_reasons"].value
        # the daily runs read the landing area that run left: they land nothing again
        assert {r.tags.get(LANDED_BY_TAG) for r in runs[:2]} == {runs[-1].run_id}
        logged = [e.user_message for r in runs[:2] for e in instance.all_logs(r.run_id)]
        assert sum(f"sources landed by run {runs[-1].run_id}" in m for m in logged) == 2
        coding = instance.fetch_materializations(dg.AssetKey("event_mentions"), limit=10)
        # both days were coded ahead of their runs, in one stream (pipelines/coding/prefetch.py)
        ahead = [r.asset_materialization.metadata["coded_ahead"].value for r in coding.records]
        assert ahead == [True, True]
    with duckdb.connect(str(home / "dyadflow.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM cameo_event_codes").fetchone()[0] == 318

    query = "SELECT count(*) AS n FROM articles"
    assert main(["sql", "--home", str(home), query]) == 0
    assert re.search(r"│\s+5\s+│", capsys.readouterr().out)
    assert main(["sql", "--home", str(home), "SELEC nonsense"]) == 1
    assert "syntax error" in capsys.readouterr().err


def test_run_limited_to_a_day_with_no_articles_says_so(tmp_path, corpus, capsys):
    code = main(["run", "--home", str(tmp_path), "--source", str(corpus), "--from", "2030-01-01"])
    assert code == 1
    assert "no articles" in capsys.readouterr().err


def test_code_writes_one_json_line_per_event(tmp_path, corpus, capsys):
    out = tmp_path / "events.jsonl"
    assert main(["code", str(corpus), "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    required = {
        "article_id",
        "sentence_index",
        "source_actor",
        "target_actor",
        "event_code",
        "event_root_code",
        "quad_class",
        "goldstein",
        "event_date",
        "sentence",
        "source_start",
        "source_end",
        "target_start",
        "target_end",
        "trigger_start",
        "trigger_end",
    }
    assert rows and all(required <= set(row) for row in rows)
    assert any(
        r["article_id"] == "fx-1"
        and r["source_actor"].startswith("NER")
        and r["target_actor"] == "UKR"
        and r["event_code"] == "161"
        for r in rows
    )
    err = capsys.readouterr().err
    assert "line 3" in err and "5 articles coded" in err


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DYADFLOW_PROCESSES", "two"),
        ("DYADFLOW_BATCH_SIZE", "0"),
        ("DYADFLOW_EVENT_KEY", "event_date,source_actor"),
        ("DYADFLOW_DUCKDB_MEMORY", "lots"),
    ],
)
def test_run_refuses_a_bad_setting_in_one_line_before_it_publishes(
    tmp_path, corpus, capsys, monkeypatch, variable, value
):
    monkeypatch.setenv(variable, value)
    home = tmp_path / "data"
    assert main(["run", "--home", str(home), "--source", str(corpus)]) == 2
    err = capsys.readouterr().err
    assert f"dyadflow: {variable}='{value}': " in err
    assert "Traceback" not in err
    assert not (home / "dyadflow.duckdb").exists()


def _releases(home):
    with duckdb.connect(str(home / "dyadflow.duckdb"), read_only=True) as con:
        return con.execute(
            "SELECT action, day::VARCHAR FROM releases ORDER BY release_id"
        ).fetchall()


def test_a_second_run_leaves_the_days_that_did_not_change_alone(tmp_path, corpus, capsys):
    source = tmp_path / "articles.jsonl"
    source.write_bytes(corpus.read_bytes())
    home = tmp_path / "data"
    run = ["run", "--home", str(home), "--source", str(source)]
    assert main(run) == 0
    first = _releases(home)
    assert [day for action, day in first if action == "publish day"] == ["2024-08-06", "2024-08-07"]
    capsys.readouterr()
    exported = sorted((home / "exports").rglob("*.parquet"))
    shutil.rmtree(home / "exports" / "events")  # lost by hand: the run puts them back
    (home / "exports" / "articles" / "2024-08-06" / "part-0.parquet").unlink()
    lost = len(exported) - len(list((home / "exports").rglob("*.parquet")))

    assert main(run) == 0
    out = capsys.readouterr().out
    assert "2 of the 2 days are up to date" in out and "Nothing to publish" in out
    assert f"wrote {lost} missing Parquet export files again" in out
    assert sorted((home / "exports").rglob("*.parquet")) == exported
    assert _releases(home) == first  # not one publication

    story = {
        "id": "fx-late",
        "url": "https://news.example/fx-late",
        "outlet": "Sahel Wire",
        "title": "Mali recalls envoy",
        "text": "Mali recalled its ambassador from Kyiv on Wednesday.",
        "published_at": "2024-08-07T09:00:00Z",
    }
    with source.open("a", encoding="utf-8") as out_file:
        out_file.write(json.dumps(story) + "\n")
    assert main(run) == 0
    out = capsys.readouterr().out
    assert "1 of the 2 days are up to date" in out
    assert "1 days to run, 2024-08-07 .. 2024-08-07" in out
    assert _releases(home)[len(first) :] == [("codebook", None), ("publish day", "2024-08-07")]

    assert main([*run, "--force"]) == 0
    assert "2 days to run" in capsys.readouterr().out
