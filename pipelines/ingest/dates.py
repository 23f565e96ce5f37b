"""Publication timestamps: parsed strictly, stored as naive UTC."""

from __future__ import annotations

from datetime import UTC, datetime


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
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed
