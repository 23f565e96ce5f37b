"""Run a Great Expectations suite on a pandas DataFrame and report what failed, in plain data.

GX runs with an ephemeral context: suites are written in code (see suites.py), nothing is read
from or written to a GX project folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx
from great_expectations.data_context.types.base import ProgressBarsConfig

SAMPLE_ROWS = 5


@dataclass(frozen=True)
class Failure:
    expectation: str
    column: str | None
    unexpected_count: int
    unexpected_percent: float
    examples: list[str]

    def __str__(self) -> str:
        col = f" on {self.column}" if self.column else ""
        return f"{self.expectation}{col}: {self.unexpected_count} rows ({self.unexpected_percent:.1f}%), e.g. {self.examples}"


@dataclass(frozen=True)
class Outcome:
    suite: str
    success: bool
    evaluated: int
    rows: int
    failures: list[Failure] = field(default_factory=list)

    def describe(self) -> str:
        if self.success:
            return f"{self.suite}: all {self.evaluated} expectations met on {self.rows} rows"
        lines = [
            f"{self.suite}: {len(self.failures)} of {self.evaluated} expectations failed on {self.rows} rows"
        ]
        lines += [f"  - {failure}" for failure in self.failures]
        return "\n".join(lines)


@cache
def _context():
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def validate(suite_name: str, expectations: Sequence, frame: pd.DataFrame) -> Outcome:
    """Validate ``frame`` against ``expectations``; never raises on failing data."""
    context = _context()
    source = _datasource(context)
    batch = _batch_definition(source, f"{suite_name}_frame").get_batch(
        batch_parameters={"dataframe": frame}
    )
    suite = gx.ExpectationSuite(name=suite_name, expectations=[e.copy() for e in expectations])
    result = batch.validate(
        suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_ROWS}
    )
    failures = [_failure(r) for r in result.results if not r.success]
    return Outcome(suite_name, bool(result.success), len(result.results), len(frame), failures)


def _datasource(context):
    try:
        return context.data_sources.get("dyadflow_frames")
    except (KeyError, ValueError, LookupError):
        return context.data_sources.add_pandas("dyadflow_frames")


def _batch_definition(source, asset_name: str):
    try:
        return source.get_asset(asset_name).get_batch_definition("whole")
    except LookupError:
        asset = source.add_dataframe_asset(asset_name)
        return asset.add_batch_definition_whole_dataframe("whole")


def _failure(result) -> Failure:
    config = result.expectation_config
    details = result.result or {}
    kwargs = config.kwargs
    columns = [kwargs["column"]] if "column" in kwargs else list(kwargs.get("column_list") or [])
    columns += [kwargs[k] for k in ("column_A", "column_B") if k in kwargs]
    column = ",".join(str(c) for c in columns)
    if result.exception_info and result.exception_info.get("raised_exception"):
        message = result.exception_info.get("exception_message") or "expectation raised"
        return Failure(config.type, column or None, 0, 0.0, [message[:300]])
    return Failure(
        expectation=config.type,
        column=column or None,
        unexpected_count=int(details.get("unexpected_count") or 0),
        unexpected_percent=float(details.get("unexpected_percent") or 0.0),
        examples=[str(v) for v in (details.get("partial_unexpected_list") or [])[:SAMPLE_ROWS]],
    )
