"""The daily schedule, evaluated with Dagster's own schedule context."""

from datetime import UTC, datetime

import dagster as dg
import pytest

from assets.definitions import build_definitions
from assets.schedules import HOUR_ENV, RUNNING_ENV, daily_schedule, schedule_hour


def _schedule(home):
    defs = build_definitions(str(home))
    return defs, defs.resolve_schedule_def("daily_events_schedule")


def test_each_morning_builds_yesterday(tmp_path, monkeypatch):
    monkeypatch.delenv(HOUR_ENV, raising=False)
    defs, schedule = _schedule(tmp_path)
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone == "UTC"
    assert schedule.job_name == "daily_events"
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    with dg.build_schedule_context(
        scheduled_execution_time=datetime(2024, 8, 22, 6, 0, tzinfo=UTC),
        repository_def=defs.get_repository_def(),
    ) as context:
        (request,) = schedule.evaluate_tick(context).run_requests
    assert request.partition_key == "2024-08-21"


def test_the_hour_and_the_running_state_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(HOUR_ENV, "9")
    monkeypatch.setenv(RUNNING_ENV, "1")
    _, schedule = _schedule(tmp_path)
    assert schedule.cron_schedule == "0 9 * * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    with dg.build_schedule_context(
        scheduled_execution_time=datetime(2024, 9, 1, 9, 0, tzinfo=UTC),
        repository_def=build_definitions(str(tmp_path)).get_repository_def(),
    ) as context:
        (request,) = schedule.evaluate_tick(context).run_requests
    assert request.partition_key == "2024-08-31"


@pytest.mark.parametrize("value", ["24", "-1", "six"])
def test_a_bad_hour_is_refused_with_the_variable_named(monkeypatch, value):
    monkeypatch.setenv(HOUR_ENV, value)
    with pytest.raises(ValueError, match=HOUR_ENV):
        schedule_hour()
    with pytest.raises(ValueError):
        daily_schedule(None)
