"""Many days validated by one Great Expectations pass over their union, each day judged as its
own validation (``runner.validate``) would judge it.

A validation's fixed cost (about 6 ms of GX's CPU per expectation, whatever the rows) made a
year of small days spend most of its time validating. Here the days' frames are stacked, with
the day each row belongs to (``DAY``), and validated once:

- An expectation the same for every day that judges rows one by one (not null, in set, regex,
  between, pair comparisons, uniqueness) runs on the union without its ``mostly``: if no row
  fails, no day fails. A day that fails it on its own has failing rows of its own in the union
  too (a duplicate within a day is one in the union), so only the days of the failing rows are
  validated again, on their own and with their own configuration of the expectation, which
  decides (``mostly`` included) and describes the failure.
- An expectation whose arguments depend on the day (``published_date`` in the day, event dates
  before it) is turned into a column saying whether each row meets its own day's expectation
  (``_day_rule``; any doubt counts as not met), checked on the union, and traced the same way.
- An expectation on a day as a whole (a count, a mean, a proportion) is not decided by the union:
  it is validated for each day on its own, except a count of distinct values with no lower bound,
  which no day can exceed when the union does not.

A day that the union cannot represent faithfully (other columns or types than the first day)
is validated on its own. A day with no rows has none to fail: it fails only what it fails as a
whole. The union's result is kept for the Data Docs under the name
of its suite with ``_days`` appended, its batch naming the days it covers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime

import great_expectations as gx
import pandas as pd
from great_expectations.expectations.expectation import (
    ColumnMapExpectation,
    ColumnPairMapExpectation,
    MulticolumnMapExpectation,
)

from pipelines.validation import runner
from pipelines.validation.configurations import built_once
from pipelines.validation.findings import Validation
from pipelines.validation.site import ValidationSite
from pipelines.validation.suites import columns_read, with_derived_columns

DAY = "validated_day"  # the column of the union naming each row's day
POSITION = "dyadflow_position"  # meta key: the expectation's place in the day's suite
ROW_BY_ROW = (ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation)
# Whole-column expectations that no day fails when the union passes them (with these bounds).
BOUNDED_ABOVE = {"expect_column_unique_value_count_to_be_between"}


def validate_days(
    suite_name: str,
    suites: Mapping[date, Sequence],
    frames: Mapping[date, pd.DataFrame],
    *,
    key: str | None = None,
    site: ValidationSite | None = None,
) -> dict[date, Validation]:
    """Each day of ``frames`` validated against its suite in ``suites``; see the module."""
    days = list(frames)
    # the days whose frames have the columns and types most days have go together
    shapes = {d: _shape(frames[d]) for d in days}
    usual = Counter(shapes.values()).most_common(1)[0][0] if days else None
    together = [d for d in days if shapes[d] == usual]
    alone = [d for d in days if shapes[d] != usual]
    if len(together) < 2 or not _same_shape(suites, together):
        alone, together = days, []
    rechecks: dict[date, set[int]] = {d: set(range(len(suites[d]))) for d in alone}
    union_page, run_at, rendered = None, datetime.now(UTC), []
    if together:
        label = _label(together)
        union_page, failing_days = _union_pass(
            suite_name, suites, frames, together, key, site, label
        )
        rendered.append(label)
        for d, positions in failing_days.items():
            rechecks.setdefault(d, set()).update(positions)
    outcomes = {}
    for d in days:
        positions = sorted(rechecks.get(d, ()))
        checked = None
        if positions:
            checked = runner.validate(
                suite_name,
                [suites[d][i] for i in positions],
                frames[d],
                key=key,
                batch=d.isoformat(),
                site=site,
            )
            rendered.append(d.isoformat())
        failures = checked.failures if checked else []
        outcomes[d] = Validation(
            suite=suite_name,
            success=not failures,
            evaluated=len(suites[d]),
            rows=len(frames[d]),
            failures=failures,
            batch=d.isoformat(),
            run_at=checked.run_at if checked else run_at,
            docs_page=checked.docs_page if checked and (failures or not together) else union_page,
        )
    if site is not None:
        for batch in rendered:
            runner.render_docs(site, batch)
    return outcomes


def _label(days: Sequence[date]) -> str:
    return f"{days[0].isoformat()}_to_{days[-1].isoformat()}_{len(days)}_days"


def _shape(frame: pd.DataFrame) -> tuple:
    return tuple(frame.columns), tuple(str(t) for t in frame.dtypes)


def _same_shape(suites: Mapping[date, Sequence], days: Sequence[date]) -> bool:
    template = suites[days[0]]
    return all(
        len(suites[d]) == len(template)
        and all(type(a) is type(b) for a, b in zip(suites[d], template, strict=True))
        for d in days
    )


def _union_pass(suite_name, suites, frames, days, key, site, label):
    """Validate the union of ``days``; the Data Docs page of it, and for each day the positions
    of the expectations to validate again on that day alone."""
    template = list(suites[days[0]])
    each_day: list[int] = []
    union_expectations = []
    rules: dict[int, str] = {}  # position -> the derived column of a day-dependent expectation
    for i, expectation in enumerate(template):
        shared = all(_same(suites[d][i], expectation) for d in days[1:])
        meta = {**(expectation.meta or {}), POSITION: i}
        if shared and (
            isinstance(expectation, ROW_BY_ROW)
            or (expectation.expectation_type in BOUNDED_ABOVE and _no_lower_bound(expectation))
        ):
            update = {"meta": meta}
            if isinstance(expectation, ROW_BY_ROW):
                update["mostly"] = 1.0
            union_expectations.append(expectation.copy(update=update))
        elif not shared and _rule_supported(expectation):
            rules[i] = f"{expectation.column}_meets_its_day_rule_{i}"
            union_expectations.append(
                gx.expectations.ExpectColumnValuesToBeInSet(
                    column=rules[i], value_set=[True], meta=meta
                )
            )
        else:
            each_day.append(i)
    failing: dict[date, set[int]] = {d: set(each_day) for d in days} if each_day else {}
    if not union_expectations:
        return None, failing

    needed = columns_read(template, frames[days[0]].columns, derived=True)
    if key is not None and key in frames[days[0]].columns and key not in needed:
        needed.append(key)
    parts = []
    for d in days:
        frame = frames[d]
        derived = {column: _day_rule(suites[d][i], frame) for i, column in rules.items()}
        parts.append(frame[needed].assign(**derived, **{DAY: d.isoformat()}))
    union = with_derived_columns(pd.concat(parts, ignore_index=True), template)
    read = columns_read(union_expectations, union.columns)
    union = union[[*read, *(c for c in (key, DAY) if c is not None and c not in read)]]

    context = runner.context_for(str(site.root) if site else None)
    name = f"{suite_name}_days"
    batch = runner.batch_definition(context, name).get_batch(batch_parameters={"dataframe": union})
    suite = gx.ExpectationSuite(name=name, expectations=union_expectations)
    run_at = datetime.now(UTC)
    with built_once():
        result = batch.validate(suite, result_format=runner.result_format_of("BASIC"))
    if not result.success:
        with built_once():
            result = batch.validate(
                suite,
                result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [DAY]},
            )
    for checked in result.results:
        if checked.success:
            continue
        position = checked.expectation_config.meta[POSITION]
        rows = (checked.result or {}).get("unexpected_index_list")
        traced = (
            (isinstance(template[position], ROW_BY_ROW) or position in rules)
            and rows is not None
            and not (checked.exception_info or {}).get("raised_exception")
        )
        involved = (
            {date.fromisoformat(row[DAY]) for row in rows if isinstance(row, dict)}
            if traced
            else set(days)
        )
        for d in involved:
            failing.setdefault(d, set()).add(position)
    page = None
    if site is not None:
        _, page = site.keep(context, union_expectations, result, label, run_at)
    return page, failing


def _same(a, b) -> bool:
    """The same expectation with the same arguments: their fields compared as they are (GX's
    ``==`` normalises both into dicts first, at a millisecond a pair)."""
    return type(a) is type(b) and a.__dict__ == b.__dict__


def _no_lower_bound(expectation) -> bool:
    low = getattr(expectation, "min_value", None)
    return low is None or low <= 0


def _rule_supported(expectation) -> bool:
    return (
        expectation.expectation_type
        in {"expect_column_values_to_be_in_set", "expect_column_values_to_be_between"}
        and getattr(expectation, "row_condition", None) is None
        and getattr(expectation, "mostly", 1) == 1
    )


def _day_rule(expectation, frame: pd.DataFrame) -> pd.Series:
    """Whether each row of ``frame`` meets ``expectation`` (null values do, as in GX); a value
    that cannot be compared does not."""
    values = frame[expectation.column]
    try:
        if expectation.expectation_type == "expect_column_values_to_be_in_set":
            met = values.isin(list(expectation.value_set))
        else:
            met = pd.Series(True, index=values.index)
            low, high = expectation.min_value, expectation.max_value
            if low is not None:
                met &= (values > low) if expectation.strict_min else (values >= low)
            if high is not None:
                met &= (values < high) if expectation.strict_max else (values <= high)
        met = met.astype("boolean").fillna(False).astype(bool)
    except (TypeError, ValueError):
        met = pd.Series(False, index=values.index)
    return met | values.isna()
