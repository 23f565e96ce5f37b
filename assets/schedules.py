"""The daily schedule: every morning, build yesterday's partition (UTC).

The hour comes from ``DYADFLOW_SCHEDULE_HOUR`` (0-23, default 6): late enough for the day's
articles to have arrived. The schedule starts stopped; turn it on in the UI (Automation) or
set ``DYADFLOW_SCHEDULE_RUNNING=1``. Either way it only fires while the Dagster daemon runs
(``dagster dev`` starts one).
"""

from datetime import UTC, timedelta

import dagster as dg

from pipelines.settings import check_environment

HOUR_ENV = "DYADFLOW_SCHEDULE_HOUR"
RUNNING_ENV = "DYADFLOW_SCHEDULE_RUNNING"


def schedule_hour() -> int:
    return check_environment(names=[HOUR_ENV]).schedule_hour


def daily_schedule(job) -> dg.ScheduleDefinition:
    """Run ``job`` (daily-partitioned) each day at the configured hour on the day before."""
    hour = schedule_hour()
    running = check_environment(names=[RUNNING_ENV]).schedule_running

    def yesterday(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        # The tick of 06:00 on the 2nd builds the 1st, the last complete day (UTC).
        day = context.scheduled_execution_time.astimezone(UTC).date() - timedelta(days=1)
        return dg.RunRequest(run_key=day.isoformat(), partition_key=day.isoformat())

    return dg.ScheduleDefinition(
        name="daily_events_schedule",
        job=job,
        cron_schedule=f"0 {hour} * * *",
        execution_timezone="UTC",
        execution_fn=yesterday,
        description=f"Every day at {hour:02d}:00 UTC, read, code, validate and publish the day "
        f"before (set {HOUR_ENV} to change the hour).",
        default_status=dg.DefaultScheduleStatus.RUNNING
        if running
        else dg.DefaultScheduleStatus.STOPPED,
    )
