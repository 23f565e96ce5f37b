"""Daily partitions by publication date (UTC)."""

from datetime import date

from dagster import DailyPartitionsDefinition

from pipelines.ingest import timestamps

START_DATE_ENV = timestamps.START_DATE_ENV


def start_date() -> str:
    return timestamps.start_date().isoformat()


daily_partitions = DailyPartitionsDefinition(start_date=start_date(), timezone="UTC")


def partition_day(partition_key: str) -> date:
    return date.fromisoformat(partition_key)
