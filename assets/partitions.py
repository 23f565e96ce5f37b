"""Daily partitions by publication date (UTC)."""

from datetime import date

from dagster import DailyPartitionsDefinition

from pipelines.settings import check_environment

# The first day a deployment holds (pipelines/settings.py has the default).
START_DATE_ENV = "DYADFLOW_START_DATE"


def start_date() -> str:
    return check_environment(names=[START_DATE_ENV]).start_date.isoformat()


daily_partitions = DailyPartitionsDefinition(start_date=start_date(), timezone="UTC")


def partition_day(partition_key: str) -> date:
    return date.fromisoformat(partition_key)
