"""What a check concludes, and what a publication changes: the vocabulary the validation, the
warehouse and the Dagster wiring share.

A check (a Great Expectations suite, a volume judgement, a consistency query on a candidate
release) ends in one ``CheckOutcome``. Its ``Severity`` says what a failure does: ERROR blocks
what comes after it (coding, publication), WARN is reported and lets the data through. A passed
check keeps the severity it would fail with.

The enums are ``StrEnum``s: their values are the strings kept in the history, the warehouse and
the exports, so a member compares equal to, and is written as, its value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "ERROR"
    WARN = "WARN"


class Status(StrEnum):
    """A recorded validation's status (the history, ``validation_runs.status``)."""

    PASSED = "passed"
    WARNED = "warned"  # only warning-level expectations failed
    FAILED = "failed"

    @classmethod
    def of(cls, severity: Severity | None) -> Status:
        """The status of a validation whose worst failure has ``severity`` (None: no failure)."""
        if severity is None:
            return cls.PASSED
        return cls.FAILED if severity == Severity.ERROR else cls.WARNED


class ReleaseAction(StrEnum):
    """What a release of the warehouse was made for (``releases.action``)."""

    PUBLISH_DAY = "publish day"  # one day or several published together
    CODEBOOK = "codebook"
    REBUILD = "rebuild"  # every derived table rebuilt from the published mentions
    VALIDATIONS = "validations"  # validation records only (Warehouse.record_validations)


@dataclass(frozen=True)
class Change:
    """What a publication changes: the day published (None for codebook-only releases and for
    a release of several days), the event dates whose events and aggregates were rebuilt, and
    every day published (``days``)."""

    release_id: int
    day: date | None
    event_dates: tuple[date, ...]
    action: ReleaseAction
    days: tuple[date, ...] = ()

    @property
    def name(self) -> str:
        """The day published, the span of the days, or the action."""
        if self.day:
            return self.day.isoformat()
        if self.days:
            return f"{min(self.days).isoformat()}..{max(self.days).isoformat()}"
        return str(self.action)


@dataclass(frozen=True)
class CheckOutcome:
    """What one check found. ``metadata`` holds plain values (numbers, text, Markdown, paths,
    lists) for whoever shows the outcome."""

    name: str
    passed: bool
    description: str
    severity: Severity = Severity.ERROR
    metadata: dict[str, object] = field(default_factory=dict)

    @property
    def blocks(self) -> bool:
        return not self.passed and self.severity == Severity.ERROR

    @property
    def warns(self) -> bool:
        return not self.passed and self.severity == Severity.WARN

    def __str__(self) -> str:
        state = "passed" if self.passed else f"FAILED ({self.severity})"
        return f"{self.name}: {state}: {self.description}"
