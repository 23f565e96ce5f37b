"""The Dagster UI, for real: ``dagster dev -w workspace.yaml`` on 127.0.0.1, asked over GraphQL
for the asset graph, then for a backfill of two days of the sample corpus, then stopped by the
process id it was started with (its own process group, nothing else)."""

import time

import pytest

from assets.definitions import DAILY_ASSETS
from tests.e2e.dagster_dev import dagster_dev

pytestmark = pytest.mark.slow

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


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    with dagster_dev(home) as client:
        yield client, home


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
