"""What a validation found, in plain data: no Great Expectations types, no Dagster."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ERROR = "ERROR"
WARN = "WARN"


@dataclass(frozen=True)
class Failure:
    expectation: str
    column: str | None
    unexpected_count: int
    unexpected_percent: float
    examples: list[str]
    severity: str = ERROR
    # A few failing rows: the key column and the offending value(s), as GX reported them.
    rows: list[dict[str, str]] = field(default_factory=list)
    # For table-level expectations (row counts): what was observed, and the bounds.
    observed: str | None = None
    expected: str | None = None

    def __str__(self) -> str:
        col = f" on {self.column}" if self.column else ""
        if self.observed is not None:
            return f"{self.expectation}{col}: observed {self.observed}, expected {self.expected}"
        return (
            f"{self.expectation}{col}: {self.unexpected_count} rows "
            f"({self.unexpected_percent:.1f}%), e.g. {self.examples}"
        )


@dataclass(frozen=True)
class Outcome:
    suite: str
    success: bool
    evaluated: int
    rows: int
    failures: list[Failure] = field(default_factory=list)
    batch: str | None = None
    run_at: datetime | None = None
    # The Data Docs page of this validation, when a site was given.
    docs_page: Path | None = None

    @property
    def errors(self) -> list[Failure]:
        return [f for f in self.failures if f.severity == ERROR]

    @property
    def warnings(self) -> list[Failure]:
        return [f for f in self.failures if f.severity == WARN]

    @property
    def severity(self) -> str | None:
        """ERROR when a critical expectation failed, WARN when only warnings did, else None."""
        if self.errors:
            return ERROR
        return WARN if self.warnings else None

    @property
    def blocks(self) -> bool:
        return self.severity == ERROR

    def describe(self) -> str:
        if not self.failures:
            return f"{self.suite}: all {self.evaluated} expectations met on {self.rows} rows"
        lines = [
            f"{self.suite}: {len(self.failures)} of {self.evaluated} expectations failed on "
            f"{self.rows} rows ({len(self.errors)} errors, {len(self.warnings)} warnings)"
        ]
        lines += [f"  - [{failure.severity}] {failure}" for failure in self.failures]
        return "\n".join(lines)
