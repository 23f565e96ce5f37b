"""Daily partitions by publication date (UTC)."""

from datetime import date

from dagster import DailyPartitionsDefinition

from pipelines.ingest import dates

# The first day a deployment holds: the landing quarantines articles published before it.
START_DATE_ENV = dates.START_DATE_ENV
DEFAULT_START_DATE = dates.DEFAULT_START_DATE


def start_date() -> str:
    return dates.start_date().isoformat()


daily_partitions = DailyPartitionsDefinition(start_date=start_date(), timezone="UTC")


def partition_day(partition_key: str) -> date:
    return date.fromisoformat(partition_key)
