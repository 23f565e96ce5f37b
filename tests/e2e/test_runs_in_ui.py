"""Runs of `dyadflow run` in the UI: listed on its timeline under the code location and
re-executed from it (from failure, and in full) by ``dagster dev -w workspace.yaml`` itself."""

import time

import dagster as dg
import pytest

from assets.cli import main
from assets.runs import LOCATION
from pipelines.coding.dictionary_files import ENV_VAR
from tests.e2e.dagster_dev import dagster_dev

pytestmark = pytest.mark.slow

REEXECUTE = """mutation($parent: String!, $strategy: ReexecutionStrategy!) {
  launchPipelineReexecution(reexecutionParams: {parentRunId: $parent, strategy: $strategy}) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
  }
}"""
RUN_STATUS = """query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"""
# What the Overview's timeline asks for (its RunTimelineFragment): a run with no repository
# origin is on no row of it.
TIMELINE = """query($filter: RunsFilter!) {
  runsOrError(filter: $filter, limit: 100) {
    ... on Runs {
      results { runId pipelineName status repositoryOrigin { repositoryName repositoryLocationName } }
    }
  }
}"""
DONE = {"SUCCESS", "FAILURE", "CANCELED"}


@pytest.fixture
def faulty_lexicon(tmp_path):
    """A dictionary edit gone wrong: Niger re-coded with a four-letter code (the days with Niger
    in them fail their blocking check until it is undone)."""
    folder = tmp_path / "faulty"
    folder.mkdir()
    (folder / "countries.tsv").write_text(
        "code\tname\talso\tadjectives\tcapitals\nNER\t-\nNIGR\tNiger\t\tNigerien\tNiamey\n"
    )
    return folder


def _wait(client, run_id: str, seconds: float = 300) -> str:
    deadline = time.monotonic() + seconds
    while True:
        status = client.query(RUN_STATUS, id=run_id)["runOrError"]["status"]
        if status in DONE:
            return status
        assert time.monotonic() < deadline, f"run {run_id} did not finish in {seconds} s"
        time.sleep(2)


def test_the_ui_shows_and_reexecutes_the_runs_of_the_command_line(
    tmp_path, corpus, faulty_lexicon, monkeypatch, capsys
):
    home = tmp_path / "data"
    home.mkdir()
    started = time.time()
    with dagster_dev(home) as client:
        # The command line runs with the faulty lexicon; the UI's code location does not.
        monkeypatch.setenv(ENV_VAR, str(faulty_lexicon))
        monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
        assert main(["run", "--home", str(home), "--source", str(corpus)]) == 1
        assert "  2024-08-06  FAILED" in capsys.readouterr().out
        monkeypatch.delenv(ENV_VAR)
        with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
            cli_runs = {run.run_id: run for run in instance.get_runs()}
        by_day = {run.tags.get("dagster/partition"): run for run in cli_runs.values()}
        assert sorted(run.job_name for run in cli_runs.values()) == [
            "codebook",
            "daily_events",
            "daily_events",
            "ingest_sources",
        ]

        launched = {}
        for day, strategy in (("2024-08-06", "FROM_FAILURE"), ("2024-08-07", "ALL_STEPS")):
            parent = by_day[day]
            assert parent.status == dg.DagsterRunStatus.FAILURE
            answer = client.query(REEXECUTE, parent=parent.run_id, strategy=strategy)
            answer = answer["launchPipelineReexecution"]
            assert answer["__typename"] == "LaunchRunSuccess", answer
            launched[day] = answer["run"]["runId"]
        # In full, the day is coded again with the code location's lexicon and published; from
        # failure, only the failed check runs again, on the mentions its run staged.
        assert {day: _wait(client, run_id) for day, run_id in launched.items()} == {
            "2024-08-06": "FAILURE",
            "2024-08-07": "SUCCESS",
        }

        window = {"updatedAfter": started, "createdBefore": time.time() + 60}
        shown = client.query(TIMELINE, filter=window)["runsOrError"]["results"]
    origins = {run["runId"]: run["repositoryOrigin"] for run in shown}
    assert set(cli_runs) | set(launched.values()) <= set(origins)
    assert {
        (origin["repositoryLocationName"], origin["repositoryName"]) for origin in origins.values()
    } == {(LOCATION, "__repository__")}
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        for day, run_id in launched.items():
            assert instance.get_run_by_id(run_id).parent_run_id == by_day[day].run_id
        steps = {day: _steps_started(instance, run_id) for day, run_id in launched.items()}
    assert steps["2024-08-06"] == {"event_mentions_event_mentions_valid"}
    assert {"articles", "event_mentions", "events"} <= steps["2024-08-07"]


def _steps_started(instance, run_id: str) -> set[str]:
    return {
        record.dagster_event.step_key
        for record in instance.all_logs(run_id)
        if record.dagster_event and record.dagster_event.event_type_value == "STEP_START"
    }
