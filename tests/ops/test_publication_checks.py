"""Great Expectations in the publication seam: the events and aggregates of a candidate release
are validated before the swap, reported as checks of `events`, and an ERROR keeps the release
out. Real Dagster, real DuckDB files; the upstream outputs come from the synthetic stream."""

import base64
import re
from pathlib import Path

import dagster as dg
import pytest

from pipelines.settings import layout
from pipelines.validation.site import ValidationSite
from pipelines.warehouse.store import Warehouse
from tests.warehouse.helpers import assert_same_tables, published_tables
from tests.warehouse.staged import publish_day, stage_day
from tests.warehouse.synthetic import stream

pytestmark = pytest.mark.slow

DAYS = stream(days=2)


def _evaluations(result):
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


@pytest.fixture
def home(tmp_path):
    return tmp_path / "data"


def test_a_good_day_passes_the_suites_and_shows_what_it_published(home):
    stage_day(home, DAYS[0])
    result = publish_day(home, DAYS[0])
    assert result.success
    checks = _evaluations(result)
    for name in ("events_valid", "aggregates_valid"):
        assert checks[name].passed, checks[name].description
        assert checks[name].severity == dg.AssetCheckSeverity.ERROR
        assert checks[name].partition == DAYS[0].day.isoformat()  # shown on its day in the UI
        assert Path(checks[name].metadata["data_docs"].value).is_file()
    assert "dyad_day: all" in checks["aggregates_valid"].description

    (materialization,) = result.asset_materializations_for_node("events")
    metadata = {k: v.value for k, v in materialization.metadata.items()}
    assert metadata["dagster/row_count"] > 0
    quads = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
    assert sum(metadata[q] for q in quads) == metadata["dagster/row_count"]
    assert metadata["preview"].startswith("| sentence | source | target | CAMEO code |")
    assert "| root | name | events |" in metadata["by_root_code"]
    chart = re.match(r"!\[.*\]\(data:image/svg\+xml;base64,(\S+)\)", metadata["chart"])
    assert chart and base64.b64decode(chart.group(1)).startswith(b"<svg")
    assert DAYS[0].day.isoformat() in metadata["chart"]

    history = ValidationSite.under(home).history()
    assert set(history.check_name) == {"events_valid", "aggregates_valid"}
    assert set(history.suite) == {"events", "dyad_day", "dyad_month", "country_month"}
    assert set(history.status) == {"passed"}


def test_an_event_level_defect_keeps_the_release_out(home):
    stage_day(home, DAYS[0])
    assert publish_day(home, DAYS[0]).success
    warehouse = Warehouse(layout(home).duckdb_path, layout(home).exports_dir)
    before = published_tables(warehouse)
    broken = DAYS[1].mentions.copy()
    broken.loc[broken["is_dyadic"], "confidence"] = 1.5  # events take the highest confidence
    stage_day(home, DAYS[1], broken)

    result = publish_day(home, DAYS[1])
    assert not result.success
    checks = _evaluations(result)
    events_valid = checks["events_valid"]
    assert not events_valid.passed
    assert events_valid.severity == dg.AssetCheckSeverity.ERROR
    assert "expect_column_values_to_be_between on confidence" in events_valid.description
    metadata = {k: v.value for k, v in events_valid.metadata.items()}
    assert "| ERROR | expect_column_values_to_be_between | confidence |" in metadata["failures"]
    assert "confidence=1.5" in metadata["sample_failing_rows"]
    assert "1.5" in Path(metadata["data_docs"]).read_text()
    assert checks["aggregates_valid"].passed
    # Nothing of the day was published.
    assert result.asset_materializations_for_node("events") == []
    assert_same_tables(before, published_tables(warehouse))
    history = ValidationSite.under(home).history()
    day = history[history.batch == DAYS[1].day.isoformat()]
    assert list(day[day.check_name == "events_valid"].status) == ["failed"]
    # ... while the validations that kept it out are in the warehouse already.
    with warehouse.connect() as con:
        recorded = con.execute(
            "SELECT status FROM validation_runs WHERE batch = ? AND check_name = 'events_valid'",
            [DAYS[1].day.isoformat()],
        ).fetchall()
    assert recorded == [("failed",)]
