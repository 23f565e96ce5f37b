"""Publication timestamps: parsed strictly, stored as naive UTC; and the days a deployment
holds."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime

from pipelines.settings import check_environment

# The first day a deployment holds (the first daily partition; pipelines/settings.py has the
# default).
START_DATE_ENV = "DYADFLOW_START_DATE"


class BadDate(ValueError):
    pass


def parse_published_at(value: object) -> datetime:
    """An ISO 8601 date or timestamp as naive UTC; a date alone means midnight UTC."""
    if not isinstance(value, str) or not value.strip():
        raise BadDate(f"published_at must be an ISO 8601 string, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadDate(f"published_at {value!r} is not an ISO 8601 date or timestamp") from None
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:
            raise BadDate(f"published_at {value!r} is out of range in UTC") from None
    return parsed


def start_date() -> date:
    return check_environment(names=[START_DATE_ENV]).start_date


def outside_days_held(day: date, first: date, today: date) -> str | None:
    """Why an article of that day cannot be published (no daily partition will ever hold it),
    or None."""
    if day < first:
        return f"published on {day}, before the first day held ({START_DATE_ENV}={first})"
    if day > today:
        return f"published on {day}, after today ({today}): a date in the future"
    return None


def today_utc() -> date:
    return datetime.now(UTC).date()


_NAME_DATE = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")


def date_in_name(name: str) -> datetime | None:
    """A YYYY-MM-DD (or YYYYMMDD) date in a file name or URL path, at midnight UTC."""
    for match in _NAME_DATE.finditer(name):
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
        if 1900 < day.year < 2200:
            return datetime(day.year, day.month, day.day)
    return None


def from_struct_time(value: time.struct_time | None) -> datetime | None:
    """feedparser's parsed dates are UTC struct_time values."""
    if value is None:
        return None
    try:
        return datetime(*value[:6])
    except (TypeError, ValueError):
        return None


def lenient(value: object) -> datetime | None:
    """An ISO date or timestamp as naive UTC, or None: for dates found in pages and headers."""
    try:
        return parse_published_at(value)
    except BadDate:
        return None
