"""The Dagster UI, for real: ``dagster dev -w workspace.yaml`` on 127.0.0.1, asked over GraphQL
for the asset graph, then for a backfill of two days of the sample corpus, then stopped by the
process id it was started with (its own process group, nothing else)."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from assets.definitions import DAILY_ASSETS
from assets.runs import instance_for
from pipelines.settings import layout

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]
BACKFILL_DAYS = ["2024-08-01", "2024-08-02"]

ASSET_GRAPH = """{
  assetNodes {
    assetKey { path }
    groupName
    description
    kinds
    opVersion
    owners { ... on TeamAssetOwner { team } }
    assetChecksOrError { ... on AssetChecks { checks { name blocking description } } }
  }
}"""
REPOSITORY = '{repositoryName: "__repository__", repositoryLocationName: "dyadflow"}'
AUTOMATION = f"""{{
  schedulesOrError(repositorySelector: {REPOSITORY}) {{
    ... on Schedules {{ results {{ name cronSchedule executionTimezone scheduleState {{ status }} }} }}
  }}
  sensorsOrError(repositorySelector: {REPOSITORY}) {{
    ... on Sensors {{ results {{ name sensorState {{ status }} }} }}
  }}
}}"""
LAUNCH_BACKFILL = """mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
  }
}"""
BACKFILL_STATUS = """query($id: String!) {
  partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill { status } }
}"""
CHECK_EXECUTIONS = """query($asset: [String!]!, $check: String!) {
  assetCheckExecutions(assetKey: {path: $asset}, checkName: $check, limit: 10) {
    status evaluation { partition }
  }
}"""
PARTITIONS = """query($asset: [String!]!) {
  assetNodeOrError(assetKey: {path: $asset}) {
    ... on AssetNode { partitionStats { numMaterialized numFailed } }
  }
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _default_signals() -> None:
    # The server is stopped with SIGTERM: make sure it was not started ignoring it.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)


class UI:
    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}/graphql"

    def query(self, query: str, **variables) -> dict:
        body = json.dumps({"query": query, "variables": variables}).encode()
        request = urllib.request.Request(
            self.url, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        assert "errors" not in answer, answer["errors"]
        return answer["data"]


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    where = layout(home)
    instance_for(where).dispose()  # the instance folder with dyadflow's dagster.yaml
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_", "DYADFLOW_"))},
        "DAGSTER_HOME": str(where.dagster_home),
        "DYADFLOW_HOME": str(home),
    }
    dagster = str(Path(sys.executable).with_name("dagster"))
    log = (home / "dagster-dev.log").open("w")
    process = subprocess.Popen(
        [dagster, "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so it can be stopped as a whole
        preexec_fn=_default_signals,
    )
    client = UI(port)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, (home / "dagster-dev.log").read_text()[-3000:]
            try:
                if client.query("{ version }")["version"]:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert time.monotonic() < deadline, "dagster dev did not answer within 120 s"
            time.sleep(1)
        yield client, home
    finally:
        _stop(process)
        log.close()


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and its children: the process group it leads, nothing else."""
    group = os.getpgid(process.pid)
    assert group == process.pid
    os.killpg(group, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        process.wait(timeout=10)
    # Children (webserver, daemon, code server) may outlive the parent for a moment.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.5)
    os.killpg(group, signal.SIGKILL)


def test_the_asset_graph_is_grouped_described_and_checked(ui):
    client, _ = ui
    nodes = {tuple(n["assetKey"]["path"]): n for n in client.query(ASSET_GRAPH)["assetNodes"]}
    assert {key[0]: node["groupName"] for key, node in nodes.items()} == {
        "landed_articles": "ingest",
        "articles": "ingest",
        "quarantined_records": "ingest",
        "event_mentions": "coding",
        "events": "publish",
        "cameo_codebook": "publish",
    }
    for key, node in nodes.items():
        assert node["description"] and node["kinds"], key
        assert node["owners"] == [{"team": "data-engineering"}], key
    checks = {
        (key[0], check["name"]): check["blocking"]
        for key, node in nodes.items()
        for check in node["assetChecksOrError"]["checks"]
    }
    assert checks["articles", "articles_valid"] is True
    assert checks["event_mentions", "event_mentions_valid"] is True
    assert checks["articles", "articles_volume"] is False
    assert checks["event_mentions", "event_mentions_volume"] is False
    # Checked on the candidate release, inside the publishing step.
    assert {("events", "events_valid"), ("events", "aggregates_valid")} <= set(checks)
    assert nodes["event_mentions",]["opVersion"].startswith("1.")

    automation = client.query(AUTOMATION)
    (schedule,) = automation["schedulesOrError"]["results"]
    assert schedule["name"] == "daily_events_schedule"
    assert (schedule["cronSchedule"], schedule["executionTimezone"]) == ("0 6 * * *", "UTC")
    assert schedule["scheduleState"]["status"] == "STOPPED"
    (sensor,) = automation["sensorsOrError"]["results"]
    assert (sensor["name"], sensor["sensorState"]["status"]) == ("inbox_sensor", "STOPPED")


def test_a_backfill_launched_through_the_ui_runs_green(ui):
    client, home = ui
    launched = client.query(
        LAUNCH_BACKFILL,
        params={
            "assetSelection": [{"path": [name]} for name in DAILY_ASSETS],
            "partitionNames": BACKFILL_DAYS,
            "fromFailure": False,
        },
    )["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    deadline = time.monotonic() + 240
    while True:
        status = client.query(BACKFILL_STATUS, id=launched["backfillId"])
        status = status["partitionBackfillOrError"]["status"]
        if status != "REQUESTED":
            break
        assert time.monotonic() < deadline, "the backfill did not finish within 240 s"
        time.sleep(2)
    assert status == "COMPLETED_SUCCESS"

    stats = client.query(PARTITIONS, asset=["events"])["assetNodeOrError"]["partitionStats"]
    assert stats == {"numMaterialized": 2, "numFailed": 0}
    for asset, check in (
        ("articles", "articles_valid"),
        ("event_mentions", "event_mentions_valid"),
    ):
        executions = client.query(CHECK_EXECUTIONS, asset=[asset], check=check)
        executions = executions["assetCheckExecutions"]
        assert sorted(e["evaluation"]["partition"] for e in executions) == BACKFILL_DAYS
        assert {e["status"] for e in executions} == {"SUCCEEDED"}
    # What the runs published, and the Data Docs the checks link to.
    assert (home / "dyadflow.duckdb").is_file()
    assert (home / "validation" / "data_docs" / "index.html").is_file()
