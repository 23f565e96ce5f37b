"""Expectation suites, written in code: one function per table, returning GX expectations.

Each suite is the table's structural expectations, generated from the data dictionary (keys,
NOT NULL, allowed codes, ranges, patterns, the partition: ``structural.py``), then the domain
rules written here. Expectations are ``critical`` unless marked ``severity="warning"``: a
critical failure blocks publication of the day, a warning is reported and the data go through.
Null rates, the share of well-formed URLs and row volumes warn; the rest is critical. The events
and aggregates suites validate frames read from a candidate release (candidate_release.py adds the
derived columns they name, such as ``first_seen_date``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

import great_expectations as gx
import pandas as pd
from great_expectations.expectations.row_conditions import Column

from pipelines.datamodel.tables import (
    ARTICLES,
    COUNTRY_MONTH,
    DYAD_DAY,
    DYAD_MONTH,
    EVENT_MENTIONS,
    EVENTS,
)
from pipelines.validation.structural import expectations as structural

URL = r"^https?://\S+$"
# Events can be reported long after they happened (trials, anniversaries of massacres), but not
# before the publication date's previous decade or after it.
OLDEST_EVENT_YEARS = 10
# Below this share of rows with a value, a column's null rate warns.
MOSTLY_PRESENT = 0.95
SHORTEST_ARTICLE = 50  # characters; shorter texts are stubs or teasers

E = gx.expectations
WARNING = "warning"
DIFFER = "dyadflow_differ"  # meta key of a differ() expectation: the two columns compared


def differ(a: str, b: str):
    """Row by row, column ``a`` differs from column ``b`` (a null never equals anything).

    Checked on a derived boolean column, ``{a}_equals_{b}``, that ``with_derived_columns`` adds
    to the frame before validation: GX's ExpectSelectColumnValuesToBeUniqueWithinRecord calls a
    Python function per row, which took a third of a day's validation time at 2,000 articles
    a day.
    """
    return E.ExpectColumnValuesToBeInSet(
        column=f"{a}_equals_{b}", value_set=[False], meta={DIFFER: [a, b]}
    )


def with_derived_columns(frame: pd.DataFrame, expectations: Iterable) -> pd.DataFrame:
    """``frame`` with the columns that the ``differ`` expectations among ``expectations`` read."""
    derived = {}
    for expectation in expectations:
        pair = (expectation.meta or {}).get(DIFFER)
        if pair and set(pair) <= set(frame.columns):
            a, b = frame[pair[0]], frame[pair[1]]
            derived[f"{pair[0]}_equals_{pair[1]}"] = (
                a.eq(b).astype("boolean").fillna(False).astype(bool)
            )
    return frame.assign(**derived) if derived else frame


def columns_read(
    expectations: Iterable, available: Iterable[str], derived: bool = False
) -> list[str]:
    """The columns among ``available`` that ``expectations`` read: those they are about, and
    those their row conditions name (found by name in the condition's text: one too many is
    harmless, one missing would fail the expectation). With ``derived``, also the columns that
    ``with_derived_columns`` derives theirs from."""
    names: set[str] = set()
    conditions = []
    for expectation in expectations:
        if derived:
            names.update((expectation.meta or {}).get(DIFFER) or ())
        for field_name in ("column", "column_A", "column_B"):
            value = getattr(expectation, field_name, None)
            if value:
                names.add(value)
        names.update(getattr(expectation, "column_list", None) or ())
        condition = getattr(expectation, "row_condition", None)
        if condition is not None:
            conditions.append(str(condition))
    text = "\n".join(conditions)
    return [c for c in available if c in names or (text and c in text)]


def _dates() -> list:
    """An act is dated to a day only where the text names the day, and then keeps the words."""
    return [
        E.ExpectColumnValuesToNotBeNull(
            column="date_text", row_condition=Column("date_precision") == "day"
        ),
    ]


def _actors() -> list:
    return [
        # An unnamed doer, or no target, is allowed only on mentions marked non-dyadic.
        *(
            E.ExpectColumnValuesToNotBeNull(
                column=column,
                row_condition=Column("is_dyadic") == True,  # noqa: E712  (a GX condition)
            )
            for column in ("source_actor", "target_actor")
        ),
    ]


def articles(day: date) -> list:
    start = datetime.combine(day, time())
    return [
        *structural(ARTICLES, [day]),
        E.ExpectColumnValuesToBeBetween(
            column="published_at",
            min_value=start,
            max_value=start + timedelta(days=1),
            strict_max=True,
        ),
        # A copy points at another article, never at itself.
        differ("article_id", "duplicate_of"),
        E.ExpectColumnValuesToNotBeNull(column="title", mostly=MOSTLY_PRESENT, severity=WARNING),
        E.ExpectColumnValuesToNotBeNull(column="url", mostly=MOSTLY_PRESENT, severity=WARNING),
        E.ExpectColumnValuesToMatchRegex(column="url", regex=URL, severity=WARNING),
        E.ExpectColumnValuesToNotBeNull(column="outlet", mostly=MOSTLY_PRESENT, severity=WARNING),
        # The coder reads English; anything else that gets this far is worth a look.
        E.ExpectColumnValuesToBeInSet(column="language", value_set=["en"], severity=WARNING),
        E.ExpectColumnValueLengthsToBeBetween(
            column="text", min_value=SHORTEST_ARTICLE, mostly=MOSTLY_PRESENT, severity=WARNING
        ),
    ]


def event_mentions(day: date) -> list:
    return [
        *structural(EVENT_MENTIONS, [day]),
        *_actors(),
        differ("source_actor", "target_actor"),
        # Spans are [start, end) character offsets, never reversed. An actor span may be empty
        # (an implied actor: "were arrested" codes the police with no words for them); the
        # trigger never is.
        E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="source_end", column_B="source_start", or_equal=True
        ),
        E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="target_end", column_B="target_start", or_equal=True
        ),
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="trigger_end", column_B="trigger_start"),
        *_dates(),
        E.ExpectColumnValuesToBeBetween(
            column="event_date",
            min_value=day - timedelta(days=366 * OLDEST_EVENT_YEARS),
            max_value=day,
        ),
        # One coder version per day: a mix means the day was coded piecemeal.
        E.ExpectColumnUniqueValueCountToBeBetween(
            column="coder_version", min_value=0, max_value=1, severity=WARNING
        ),
    ]


def events(dates: Iterable[date]) -> list:
    """Events on the rebuilt ``dates`` of a candidate release (with ``first_seen_date``)."""
    return [
        *structural(EVENTS, dates),
        *_dates(),
        differ("source_actor", "target_actor"),
        # An event is reported on or after the day it happened, and seen first before last.
        E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="first_seen_date", column_B="event_date", or_equal=True
        ),
        E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="last_seen", column_B="first_seen", or_equal=True
        ),
        E.ExpectColumnValuesToNotBeNull(
            column="source_url", mostly=MOSTLY_PRESENT, severity=WARNING
        ),
    ]


def _measures() -> list:
    """The measures of dyad_day, dyad_month and country_month (with the derived gap columns)."""
    return [
        E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="mentions", column_B="events", or_equal=True
        ),
        # The quad classes partition the events; cooperation and conflict are their sums.
        E.ExpectColumnValuesToBeInSet(column="quad_gap", value_set=[0]),
        E.ExpectColumnValuesToBeInSet(column="cooperation_gap", value_set=[0]),
        E.ExpectColumnValuesToBeInSet(column="conflict_gap", value_set=[0]),
    ]


def dyad_day(dates: Iterable[date]) -> list:
    return [*structural(DYAD_DAY, dates), *_measures()]


def dyad_month(months: Iterable[date]) -> list:
    return [*structural(DYAD_MONTH, months), *_measures()]


def country_month(months: Iterable[date]) -> list:
    return [*structural(COUNTRY_MONTH, months), *_measures()]
