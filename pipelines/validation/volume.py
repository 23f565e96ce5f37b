"""How many rows a day should have, judged from the days before it.

A day's count is far outside the recent range when it is below half the smallest or above
twice the largest count of the recent days (plus a little slack above, so that small counts do
not alarm on noise; none below, so that an empty day after busy ones always warns). With too
little history there is no judgement: the check passes and says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from pipelines.datamodel.outcomes import Severity
from pipelines.validation.findings import Failure, Validation

# The recent days: up to this many before the day, and at least this many to judge at all.
RECENT_DAYS = 28
MIN_HISTORY = 7
FACTOR = 2.0
SLACK = 5


@dataclass(frozen=True)
class VolumeRange:
    low: int
    high: int
    history: int  # how many days the range is judged from

    def __contains__(self, count: int) -> bool:
        return self.low <= count <= self.high

    def __str__(self) -> str:
        return f"{self.low}..{self.high} (from {self.history} recent days)"


def expected_range(recent: Sequence[int]) -> VolumeRange | None:
    """The range a day's count should fall in, given the counts of recent days (or None)."""
    if len(recent) < MIN_HISTORY:
        return None
    low = math.floor(min(recent) / FACTOR)
    high = math.ceil(max(recent) * FACTOR) + SLACK
    return VolumeRange(low, high, len(recent))


def judge(table: str, count: int, recent: Sequence[int], batch: str | None = None) -> Validation:
    """A WARN-level validation of ``count`` rows, given the recent days' counts.

    Plain Python rather than a GX suite: one comparison does not need an engine, and the check
    runs on every partition.
    """
    expected = expected_range(recent)
    failures = []
    if expected is not None and count not in expected:
        failures.append(
            Failure(
                expectation="row count within the recent range",
                column=None,
                unexpected_count=0,
                unexpected_percent=0.0,
                examples=[],
                severity=Severity.WARN,
                observed=str(count),
                expected=str(expected),
            )
        )
    return Validation(
        suite=f"{table}_volume",
        success=not failures,
        evaluated=0 if expected is None else 1,
        rows=count,
        failures=failures,
        batch=batch,
        run_at=datetime.now(UTC),
    )
