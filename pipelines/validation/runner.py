"""Run a Great Expectations suite on a pandas DataFrame and report what failed, in plain data.

GX runs with an ephemeral context: suites are written in code (see suites.py), nothing is read
from a GX project folder. When a ``ValidationSite`` is given, the results are also kept as JSON
under the data folder and rendered into static HTML Data Docs there (see site.py).

Every expectation has a severity: ``critical`` (the default) fails the validation as an ERROR,
which blocks publication; ``warning`` reports a WARN and lets the data through.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from pipelines.datamodel.outcomes import Severity
from pipelines.validation.configurations import built_once
from pipelines.validation.findings import Failure, Validation
from pipelines.validation.suites import columns_read, with_derived_columns

if TYPE_CHECKING:
    from pipelines.validation.site import ValidationSite

__all__ = ["Failure", "Validation", "render_docs", "rendering_deferred", "validate"]

SAMPLE_ROWS = 5
DATASOURCE = "dyadflow_frames"
SITE_NAME = "dyadflow"


def validate(
    suite_name: str,
    expectations: Sequence,
    frame: pd.DataFrame,
    *,
    key: str | None = None,
    batch: str | None = None,
    site: ValidationSite | None = None,
    render: bool | None = None,
) -> Validation:
    """Validate ``frame`` against ``expectations``; never raises on failing data.

    ``key`` names the column that identifies a row (reported with failing rows); ``batch`` names
    what is validated (the partition); ``site`` keeps the result for its Data Docs. ``render``
    renders its page (and the index) at once; by default only when something failed: the pages
    of a day's passing validations are rendered together by ``render_docs``.
    """
    frame = with_derived_columns(frame, expectations)
    # GX fingerprints the whole frame it is handed, and pickles it whole when a column holds
    # lists (events.source_urls): that took 40% of the validation time at 2,000 articles a day.
    # It gets the columns the suite reads, and the key.
    read = columns_read(expectations, frame.columns)
    frame = frame[[*read, key] if key in frame.columns and key not in read else read]
    context = context_for(str(site.root) if site else None)
    batch_data = batch_definition(context, suite_name).get_batch(
        batch_parameters={"dataframe": frame}
    )
    suite = gx.ExpectationSuite(name=suite_name, expectations=[e.copy() for e in expectations])
    run_at = datetime.now(UTC)
    # Validated with a suite that is never stored: a stored suite is serialised, and its dates
    # would come back as strings that no longer compare with the frame's dates.
    # BASIC still gives every observed value and unexpected share the Data Docs show, at two
    # thirds of the cost of SUMMARY; only a validation that found something is run again in
    # SUMMARY, for the keys of the failing rows.
    with built_once():
        result = batch_data.validate(suite, result_format=result_format_of("BASIC"))
    if not result.success:
        index = [key] if key is not None and key in frame.columns else None
        with built_once():
            result = batch_data.validate(suite, result_format=result_format_of("SUMMARY", index))
    failures = [_failure(r) for r in result.results if not r.success]
    docs_page = None
    if site is not None:
        kept, docs_page = site.keep(context, expectations, result, batch, run_at)
        if kept is not None and (not result.success if render is None else render):
            site.render(context, SITE_NAME, [kept])
    return Validation(
        suite=suite_name,
        success=bool(result.success),
        evaluated=len(result.results),
        rows=len(frame),
        failures=failures,
        batch=batch,
        run_at=run_at,
        docs_page=docs_page,
    )


def result_format_of(level: str, index_columns: list[str] | None = None) -> dict:
    result_format: dict = {"result_format": level, "partial_unexpected_count": SAMPLE_ROWS}
    if index_columns:
        result_format["unexpected_index_column_names"] = index_columns
    return result_format


# The sites and batches whose passing pages wait for the end of ``rendering_deferred``.
_DEFERRED: dict[Path, tuple[ValidationSite, set[str]]] | None = None


def render_docs(site: ValidationSite, batch: str) -> None:
    """Render the Data Docs pages of ``batch`` not rendered yet, all in one go, and the index
    (inside ``rendering_deferred``: at its end)."""
    if _DEFERRED is not None:
        _DEFERRED.setdefault(Path(site.root), (site, set()))[1].add(batch)
        return
    context = context_for(str(site.root))
    site.render(context, SITE_NAME, site.unrendered(context, batch))


@contextmanager
def rendering_deferred() -> Iterator[None]:
    """Render the pages of passing validations once, when the block ends, not after each day.

    For ``dyadflow run`` over many days: each rendering rebuilds the index, which reads the
    latest results back, and cost more than a day's validations. A failed validation's page is
    still rendered at once (``validate``).
    """
    global _DEFERRED
    if _DEFERRED is not None:  # already inside one
        yield
        return
    _DEFERRED = {}
    try:
        yield
    finally:
        sites, _DEFERRED = _DEFERRED, None
        for site, batches in sites.values():
            context = context_for(str(site.root))
            keys = [k for b in sorted(batches) for k in site.unrendered(context, b)]
            site.render(context, SITE_NAME, keys)


@cache
def context_for(site_root: str | None):
    """One ephemeral context per process and site: in memory, except the results of a site."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        progress_bars=ProgressBarsConfig(globally=False),
    )
    if site_root is not None:
        from pipelines.validation.site import configure

        configure(config, Path(site_root), SITE_NAME)
    return gx.get_context(mode="ephemeral", project_config=config)


def batch_definition(context, asset_name: str):
    try:
        source = context.data_sources.get(DATASOURCE)
    except (KeyError, ValueError, LookupError):
        source = context.data_sources.add_pandas(DATASOURCE)
    try:
        return source.get_asset(asset_name).get_batch_definition("whole")
    except LookupError:
        asset = source.add_dataframe_asset(asset_name)
        return asset.add_batch_definition_whole_dataframe("whole")


def _severity(config) -> Severity:
    value = getattr(config, "severity", None)
    warns = str(getattr(value, "value", value)).lower() in {"warning", "info"}
    return Severity.WARN if warns else Severity.ERROR


def _failure(result) -> Failure:
    config = result.expectation_config
    details = result.result or {}
    kwargs = config.kwargs
    columns = [kwargs["column"]] if "column" in kwargs else list(kwargs.get("column_list") or [])
    columns += [kwargs[k] for k in ("column_A", "column_B") if k in kwargs]
    column = ",".join(str(c) for c in columns) or None
    severity = _severity(config)
    if result.exception_info and result.exception_info.get("raised_exception"):
        message = result.exception_info.get("exception_message") or "expectation raised"
        return Failure(config.type, column, 0, 0.0, [message[:300]], severity)
    if "observed_value" in details and "unexpected_count" not in details:
        bounds = (kwargs.get("min_value"), kwargs.get("max_value"))
        return Failure(
            config.type,
            column,
            0,
            0.0,
            [],
            severity,
            observed=str(details["observed_value"]),
            expected=f"between {bounds[0]} and {bounds[1]}",
        )
    return Failure(
        expectation=config.type,
        column=column,
        unexpected_count=int(details.get("unexpected_count") or 0),
        unexpected_percent=float(details.get("unexpected_percent") or 0.0),
        examples=[str(v) for v in (details.get("partial_unexpected_list") or [])[:SAMPLE_ROWS]],
        severity=severity,
        rows=[
            {str(k): _text(v) for k, v in row.items()}
            for row in (details.get("partial_unexpected_index_list") or [])[:SAMPLE_ROWS]
            if isinstance(row, dict)
        ],
    )


def _text(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "null"
    return str(value)
