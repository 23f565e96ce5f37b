"""The `events` asset with real Dagster: the candidate's checks show as asset checks of events,
and a candidate failing one is not published. Upstream outputs are staged from the synthetic
stream (no spaCy needed)."""

import pytest

from pipelines.settings import layout
from pipelines.warehouse.store import Warehouse
from tests.warehouse.helpers import assert_same_tables, published_tables
from tests.warehouse.staged import publish_day, stage_day
from tests.warehouse.synthetic import stream

pytestmark = pytest.mark.slow

DAYS = stream(days=2)


@pytest.fixture
def home(tmp_path):
    return tmp_path / "data"


def test_the_candidates_checks_are_asset_checks_of_events(home):
    stage_day(home, DAYS[0])
    result = publish_day(home, DAYS[0])
    assert result.success
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert {"events_counts_consistent", "dyad_day_matches_events"} <= set(evaluations)
    assert all(e.passed for name, e in evaluations.items() if name != "actors_recognised")
    (materialization,) = result.asset_materializations_for_node("events")
    assert materialization.metadata["dataset_version"].value == "0.1.0+r1"


def test_a_candidate_failing_a_check_is_not_published(home):
    stage_day(home, DAYS[0])
    assert publish_day(home, DAYS[0]).success
    where = layout(home)
    warehouse = Warehouse(where.duckdb_path, where.exports_dir)
    before = published_tables(warehouse)
    broken = DAYS[1].mentions.copy()
    broken.loc[broken["is_dyadic"], "event_code"] = "999"  # a code no codebook has
    stage_day(home, DAYS[1], broken)

    result = publish_day(home, DAYS[1])
    assert not result.success
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert not evaluations["event_codes_in_codebook"].passed
    assert result.asset_materializations_for_node("events") == []
    assert_same_tables(before, published_tables(warehouse))
    # Only the validation records of the rejected candidate were published.
    last = warehouse.last_release()
    assert (last["release_id"], last["action"]) == (2, "validations")
