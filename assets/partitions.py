"""Daily partitions by publication date (UTC)."""

import os
from datetime import date

from dagster import DailyPartitionsDefinition

from pipelines.settings import SettingError

# The first day a deployment holds. The bundled sample corpus is from August 2024.
START_DATE_ENV = "DYADFLOW_START_DATE"
DEFAULT_START_DATE = "2024-07-01"


def start_date() -> str:
    raw = os.environ.get(START_DATE_ENV, "").strip() or DEFAULT_START_DATE
    try:
        date.fromisoformat(raw)
    except ValueError:
        raise SettingError(f"{START_DATE_ENV}={raw!r}: expected a date, YYYY-MM-DD") from None
    return raw


daily_partitions = DailyPartitionsDefinition(start_date=start_date(), timezone="UTC")


def partition_day(partition_key: str) -> date:
    return date.fromisoformat(partition_key)
