"""Daily partitions by publication date (UTC)."""

import os
from datetime import date

from dagster import DailyPartitionsDefinition

# The first day a deployment holds. The bundled sample corpus is from August 2024.
START_DATE_ENV = "DYADFLOW_START_DATE"
DEFAULT_START_DATE = "2024-07-01"

daily_partitions = DailyPartitionsDefinition(
    start_date=os.environ.get(START_DATE_ENV, DEFAULT_START_DATE),
    timezone="UTC",
)


def partition_day(partition_key: str) -> date:
    return date.fromisoformat(partition_key)
