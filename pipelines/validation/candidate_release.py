"""Great Expectations on a candidate release, before it replaces the published warehouse.

``candidate_validator`` returns a validator for ``Warehouse.publish_*(validate=...)``: it reads
the events and aggregates the publication rebuilt from the candidate file, runs their suites,
and returns one outcome per check. An ERROR outcome stops the swap; WARN outcomes are reported.
Each validation is recorded in the history under the data folder like those of the asset
checks (the warehouse loads them into ``validation_runs`` at its next publication).

Great Expectations is imported when a validator runs, not with this module: the Dagster
definitions import it (for ``CHECKS``) in every process they load in.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from pipelines.datamodel.outcomes import Change, CheckOutcome
from pipelines.datamodel.tables import COUNTRY_MONTH, DYAD_DAY, DYAD_MONTH, EVENTS
from pipelines.validation.failure_tables import sample_rows_table
from pipelines.validation.findings import Validation, check_outcome
from pipelines.validation.site import ValidationSite
from pipelines.validation.structural import describe

_REBUILT = "among the rebuilt dates"
_REBUILT_MONTHS = "among the months of the rebuilt dates"

# name -> what the check guarantees (the events asset declares these); the structural part is
# the data dictionary's (pipelines/validation/structural.py).
CHECKS = {
    "events_valid": "Great Expectations on the events the publication wrote. ERROR (blocks the "
    f"swap): {describe(EVENTS, _REBUILT)}; source differs from target; a date text on every "
    "act dated to the day; first seen on or after the event date and before last seen. WARN: "
    "more than 5% of events without a source URL.",
    "aggregates_valid": "Great Expectations on dyad_day, dyad_month and country_month for the "
    f"rebuilt dates and months. ERROR (blocks the swap): dyad_day: "
    f"{describe(DYAD_DAY, _REBUILT)}. dyad_month: {describe(DYAD_MONTH, _REBUILT_MONTHS)}. "
    f"country_month: {describe(COUNTRY_MONTH, _REBUILT_MONTHS)}. In each: mentions >= events; "
    "quad classes add up to the events, cooperation and conflict to their quad classes.",
}

# The measures' consistency, as columns GX can test one row at a time.
_GAPS = (
    "events - (verbal_cooperation + material_cooperation + verbal_conflict + material_conflict)"
    " AS quad_gap, cooperation - verbal_cooperation - material_cooperation AS cooperation_gap, "
    "conflict - verbal_conflict - material_conflict AS conflict_gap"
)


_DATE_COLUMNS = {"event_date", "month", "first_seen_date"}


@dataclass(frozen=True)
class _Table:
    name: str  # also the name of its suite in suites.py
    sql: str
    key: str | None = None
    shown: tuple[str, ...] = ()  # columns shown with failing rows
    by_month: bool = False


@dataclass(frozen=True)
class _Sample:
    frame: pd.DataFrame
    key: str | None
    shown: tuple[str, ...]


_EVENTS = _Table(
    "events",
    # The events the publication wrote (added or changed): the others on those dates were
    # checked when they were written (temp table left by DedupRule.rebuild_sql).
    "SELECT *, CAST(first_seen AS DATE) AS first_seen_date FROM events "
    "WHERE list_contains(?, event_date) AND event_id IN (SELECT event_id FROM events_written) "
    "ORDER BY event_id",
    key="event_id",
    shown=("event_date", "source_actor", "target_actor", "event_code", "source_url"),
)
_AGGREGATES = (
    _Table(
        "dyad_day",
        f"SELECT *, {_GAPS} FROM dyad_day WHERE list_contains(?, event_date) ORDER BY ALL",
    ),
    _Table(
        "dyad_month",
        f"SELECT *, {_GAPS} FROM dyad_month WHERE list_contains(?, month) ORDER BY ALL",
        by_month=True,
    ),
    _Table(
        "country_month",
        f"SELECT *, {_GAPS} FROM country_month WHERE list_contains(?, month) ORDER BY ALL",
        by_month=True,
    ),
)


def candidate_validator(site: ValidationSite | None = None, run_id: str | None = None):
    """A validator for ``Warehouse.publish_*``: GX suites on what the publication rebuilt."""

    def validator(con: duckdb.DuckDBPyConnection, change: Change) -> list[CheckOutcome]:
        dates = sorted(change.event_dates)
        months = sorted({d.replace(day=1) for d in dates})
        batch = change.name
        checks = {
            "events_valid": [_validate(con, _EVENTS, dates, batch, site)],
            "aggregates_valid": [
                _validate(con, t, months if t.by_month else dates, batch, site) for t in _AGGREGATES
            ],
        }
        if site is not None:
            from pipelines.validation.runner import render_docs

            for name, validated in checks.items():
                for validation, _ in validated:
                    site.record(validation, name, run_id)
            render_docs(site, batch)
        return [_check_outcome(name, validated) for name, validated in checks.items()]

    return validator


def _validate(con, table: _Table, values, batch: str, site) -> tuple[Validation, _Sample]:
    from pipelines.validation import suites
    from pipelines.validation.runner import validate

    expectations = getattr(suites, table.name)(values)
    # Only the columns the suite reads (and those shown with failing rows) are fetched: the
    # events' lists of URLs alone took more time and memory to bring into pandas than the
    # validation itself.
    available = [c[0] for c in con.execute(f"FROM ({table.sql}) LIMIT 0", [[]]).description]
    wanted = set(suites.columns_read(expectations, available, derived=True))
    wanted |= {table.key, *table.shown} - {None}
    columns = ", ".join(f'"{c}"' for c in available if c in wanted)
    frame = con.execute(f"SELECT {columns} FROM ({table.sql})", [list(values)]).fetchdf()
    for column in _DATE_COLUMNS & set(frame.columns):
        # DuckDB hands DATE columns to pandas as timestamps; the suites compare dates.
        frame[column] = pd.to_datetime(frame[column]).dt.date
    validation = validate(table.name, expectations, frame, key=table.key, batch=batch, site=site)
    return validation, _Sample(frame, table.key, table.shown)


def _check_outcome(name: str, validated: list[tuple[Validation, _Sample]]) -> CheckOutcome:
    samples = [
        sample_rows_table(v.failures, s.frame, s.key, s.shown)
        for v, s in validated
        if s.key and v.failures
    ]
    return check_outcome(name, [v for v, _ in validated], samples=samples)
