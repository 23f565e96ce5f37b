"""What a validation found, in plain data: no Great Expectations types, no Dagster.

A ``Validation`` is one suite run on one batch: the expectations evaluated and those that
failed, each ``Failure`` with its severity. ``check_outcome`` sums up one or more validations
as the ``CheckOutcome`` of the check that ran them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipelines.datamodel.outcomes import CheckOutcome, Severity
from pipelines.validation.failure_tables import failures_table


@dataclass(frozen=True)
class Failure:
    expectation: str
    column: str | None
    unexpected_count: int
    unexpected_percent: float
    examples: list[str]
    severity: Severity = Severity.ERROR
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
class Validation:
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
        return [f for f in self.failures if f.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Failure]:
        return [f for f in self.failures if f.severity == Severity.WARN]

    @property
    def severity(self) -> Severity | None:
        """ERROR when a critical expectation failed, WARN when only warnings did, else None."""
        if self.errors:
            return Severity.ERROR
        return Severity.WARN if self.warnings else None

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.ERROR

    def describe(self) -> str:
        if not self.failures:
            return f"{self.suite}: all {self.evaluated} expectations met on {self.rows} rows"
        lines = [
            f"{self.suite}: {len(self.failures)} of {self.evaluated} expectations failed on "
            f"{self.rows} rows ({len(self.errors)} errors, {len(self.warnings)} warnings)"
        ]
        lines += [f"  - [{failure.severity}] {failure}" for failure in self.failures]
        return "\n".join(lines)


def check_outcome(
    name: str,
    validations: Sequence[Validation],
    *,
    nominal: Severity = Severity.ERROR,
    samples: Sequence[str] = (),
    description: str | None = None,
    metadata: Mapping[str, object] | None = None,
) -> CheckOutcome:
    """The outcome of the check ``name`` that ran ``validations``.

    It fails when any expectation failed: as an ERROR when a critical one did, else as a WARN.
    A pass keeps the check's ``nominal`` severity. ``samples`` are Markdown tables of failing
    rows; ``metadata`` adds to the counts, failures and Data Docs page (None values dropped).
    """
    failures = [f for v in validations for f in v.failures]
    summary: dict[str, object] = {
        "rows": sum(v.rows for v in validations),
        "expectations": sum(v.evaluated for v in validations),
        "failed": len(failures),
    }
    if failures:
        summary["failures"] = failures_table(failures)
    if any(samples):
        summary["sample_failing_rows"] = "\n\n".join(s for s in samples if s)
    # The page to open first: that of the first validation that failed, else the first.
    pages = [v.docs_page for v in sorted(validations, key=lambda v: not v.failures) if v.docs_page]
    if pages:
        summary["data_docs"] = pages[0]
    summary.update(metadata or {})
    if not failures:
        severity = nominal
    else:
        severity = Severity.ERROR if any(v.blocks for v in validations) else Severity.WARN
    return CheckOutcome(
        name=name,
        passed=not failures,
        description=description or "\n".join(v.describe() for v in validations),
        severity=severity,
        metadata={k: v for k, v in summary.items() if v is not None},
    )
