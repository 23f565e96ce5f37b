"""Expectation suites, written in code: one function per table, returning GX expectations.

Expectations are ``critical`` unless marked ``severity="warning"``: a critical failure blocks
publication of the day, a warning is reported and the data go through. Null rates, the share of
well-formed URLs and row volumes warn; codes, ranges, ids, actor codes and dates are critical.
The events and aggregates suites validate frames read from a candidate release (candidate.py
adds the derived columns they name, such as ``first_seen_date``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

import great_expectations as gx
import pandas as pd
from great_expectations.expectations.row_conditions import Column

from pipelines.codebook import codebook

# A CAMEO actor code is a country, IGO or region code followed by role codes: blocks of three
# capital letters ("NER", "NGACOP", "IGOUNO", "IGOEUREEC").
ACTOR_CODE = r"^(?:[A-Z]{3})+$"
# A country code: three letters, six for dependencies (USAPRI).
COUNTRY_CODE = r"^[A-Z]{3}(?:[A-Z]{3})?$"
# A dyad side in the aggregates: a country, or the full code of an actor with no country.
DYAD_SIDE = ACTOR_CODE
CONTENT_HASH = r"^[0-9a-f]{16,128}$"
EVENT_ID = r"^[0-9a-f]{16,64}$"
URL = r"^https?://\S+$"
# Events can be reported long after they happened (trials, anniversaries of massacres), but not
# before the publication date's previous decade or after it.
OLDEST_EVENT_YEARS = 10
# Below this share of rows with a value, a column's null rate warns.
MOSTLY_PRESENT = 0.95
# how precisely the text dates an act (pipelines/coding/event_dates.py; the field dictionary's
# date_precision)
DATE_PRECISIONS = ["day", "week", "month", "year", "unstated"]
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


def _codes() -> tuple[list[str], list[str], list[str]]:
    codes = sorted(codebook().events)
    bases = sorted(
        {code[:3] for code in codes if len(code) >= 3} | {c for c in codes if len(c) == 2}
    )
    roots = sorted({code[:2] for code in codes})
    return codes, bases, roots


def _cameo(quad_column: str = "quad_class") -> list:
    codes, bases, roots = _codes()
    return [
        E.ExpectColumnValuesToBeInSet(column="event_code", value_set=codes),
        E.ExpectColumnValuesToBeInSet(column="event_base_code", value_set=bases),
        E.ExpectColumnValuesToBeInSet(column="event_root_code", value_set=roots),
        E.ExpectColumnValuesToBeBetween(column="goldstein", min_value=-10, max_value=10),
        E.ExpectColumnValuesToBeInSet(column=quad_column, value_set=[1, 2, 3, 4]),
    ]


def _dates() -> list:
    """An act is dated to a day only where the text names the day, and then keeps the words."""
    return [
        E.ExpectColumnValuesToNotBeNull(column="date_precision"),
        E.ExpectColumnValuesToBeInSet(column="date_precision", value_set=DATE_PRECISIONS),
        E.ExpectColumnValuesToNotBeNull(
            column="date_text", row_condition=Column("date_precision") == "day"
        ),
    ]


def _actors(target_required: bool) -> list:
    target_not_null = (
        E.ExpectColumnValuesToNotBeNull(column="target_actor")
        if target_required
        # A null target is allowed only on mentions marked non-dyadic.
        else E.ExpectColumnValuesToNotBeNull(
            column="target_actor",
            row_condition=Column("is_dyadic") == True,  # noqa: E712  (a GX condition, not a test)
        )
    )
    source_not_null = (
        E.ExpectColumnValuesToNotBeNull(column="source_actor")
        if target_required
        # An unnamed doer is allowed only on mentions marked non-dyadic.
        else E.ExpectColumnValuesToNotBeNull(
            column="source_actor",
            row_condition=Column("is_dyadic") == True,  # noqa: E712  (a GX condition, not a test)
        )
    )
    return [
        source_not_null,
        E.ExpectColumnValuesToMatchRegex(column="source_actor", regex=ACTOR_CODE),
        target_not_null,
        E.ExpectColumnValuesToMatchRegex(column="target_actor", regex=ACTOR_CODE),
        differ("source_actor", "target_actor"),
    ]


def articles(day: date) -> list:
    start = datetime.combine(day, time())
    return [
        E.ExpectColumnValuesToNotBeNull(column="article_id"),
        E.ExpectColumnValuesToBeUnique(column="article_id"),
        E.ExpectColumnValuesToBeInSet(column="published_date", value_set=[day]),
        E.ExpectColumnValuesToBeBetween(
            column="published_at",
            min_value=start,
            max_value=start + timedelta(days=1),
            strict_max=True,
        ),
        E.ExpectColumnValuesToNotBeNull(column="text"),
        E.ExpectColumnValuesToNotBeNull(column="content_hash"),
        E.ExpectColumnValuesToMatchRegex(column="content_hash", regex=CONTENT_HASH),
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
        E.ExpectColumnValuesToNotBeNull(column="mention_id"),
        E.ExpectColumnValuesToBeUnique(column="mention_id"),
        E.ExpectColumnValuesToNotBeNull(column="article_id"),
        *_cameo(),
        *_actors(target_required=False),
        E.ExpectColumnValuesToBeBetween(column="confidence", min_value=0, max_value=1),
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
        E.ExpectColumnValuesToMatchRegex(column="location_country", regex=COUNTRY_CODE),
        E.ExpectColumnValuesToNotBeNull(column="event_date"),
        *_dates(),
        E.ExpectColumnValuesToBeBetween(
            column="event_date",
            min_value=day - timedelta(days=366 * OLDEST_EVENT_YEARS),
            max_value=day,
        ),
        E.ExpectColumnValuesToBeInSet(column="published_date", value_set=[day]),
        E.ExpectColumnValuesToNotBeNull(column="rule"),
        E.ExpectColumnValuesToNotBeNull(column="coder_version"),
        # One coder version per day: a mix means the day was coded piecemeal.
        E.ExpectColumnUniqueValueCountToBeBetween(
            column="coder_version", min_value=0, max_value=1, severity=WARNING
        ),
    ]


def events(dates: Iterable[date]) -> list:
    """Events on the rebuilt ``dates`` of a candidate release (with ``first_seen_date``)."""
    return [
        E.ExpectColumnValuesToNotBeNull(column="event_id"),
        E.ExpectColumnValuesToBeUnique(column="event_id"),
        E.ExpectColumnValuesToMatchRegex(column="event_id", regex=EVENT_ID),
        E.ExpectColumnValuesToBeInSet(column="event_date", value_set=sorted(dates)),
        *_dates(),
        *_cameo(),
        *_actors(target_required=True),
        E.ExpectColumnValuesToMatchRegex(column="source_country", regex=COUNTRY_CODE),
        E.ExpectColumnValuesToMatchRegex(column="target_country", regex=COUNTRY_CODE),
        E.ExpectColumnValuesToBeBetween(column="num_mentions", min_value=1),
        E.ExpectColumnValuesToBeBetween(column="num_articles", min_value=1),
        E.ExpectColumnValuesToBeBetween(column="num_sources", min_value=1),
        E.ExpectColumnValuesToBeBetween(column="confidence", min_value=0, max_value=1),
        E.ExpectColumnValuesToBeBetween(column="location_latitude", min_value=-90, max_value=90),
        E.ExpectColumnValuesToBeBetween(column="location_longitude", min_value=-180, max_value=180),
        # An event is reported on or after the day it happened, and seen first before last.
        E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="first_seen_date", column_B="event_date", or_equal=True
        ),
        E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="last_seen", column_B="first_seen", or_equal=True
        ),
        E.ExpectColumnValuesToNotBeNull(column="coder_version"),
        E.ExpectColumnValuesToNotBeNull(
            column="source_url", mostly=MOSTLY_PRESENT, severity=WARNING
        ),
    ]


def _measures() -> list:
    """The measures of dyad_day, dyad_month and country_month (with the derived gap columns)."""
    return [
        E.ExpectColumnValuesToBeBetween(column="events", min_value=1),
        E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="mentions", column_B="events", or_equal=True
        ),
        # The quad classes partition the events; cooperation and conflict are their sums.
        E.ExpectColumnValuesToBeInSet(column="quad_gap", value_set=[0]),
        E.ExpectColumnValuesToBeInSet(column="cooperation_gap", value_set=[0]),
        E.ExpectColumnValuesToBeInSet(column="conflict_gap", value_set=[0]),
        E.ExpectColumnValuesToBeBetween(column="goldstein_mean", min_value=-10, max_value=10),
    ]


def dyad_day(dates: Iterable[date]) -> list:
    return [
        E.ExpectCompoundColumnsToBeUnique(
            column_list=["event_date", "source_country", "target_country"]
        ),
        E.ExpectColumnValuesToBeInSet(column="event_date", value_set=sorted(dates)),
        E.ExpectColumnValuesToMatchRegex(column="source_country", regex=DYAD_SIDE),
        E.ExpectColumnValuesToMatchRegex(column="target_country", regex=DYAD_SIDE),
        *_measures(),
    ]


def dyad_month(months: Iterable[date]) -> list:
    return [
        E.ExpectCompoundColumnsToBeUnique(
            column_list=["month", "source_country", "target_country"]
        ),
        E.ExpectColumnValuesToBeInSet(column="month", value_set=sorted(months)),
        E.ExpectColumnValuesToMatchRegex(column="source_country", regex=DYAD_SIDE),
        E.ExpectColumnValuesToMatchRegex(column="target_country", regex=DYAD_SIDE),
        *_measures(),
    ]


def country_month(months: Iterable[date]) -> list:
    return [
        E.ExpectCompoundColumnsToBeUnique(column_list=["month", "country"]),
        E.ExpectColumnValuesToBeInSet(column="month", value_set=sorted(months)),
        E.ExpectColumnValuesToMatchRegex(column="country", regex=DYAD_SIDE),
        E.ExpectColumnValuesToBeBetween(column="as_source", min_value=0),
        E.ExpectColumnValuesToBeBetween(column="as_target", min_value=0),
        E.ExpectColumnValuesToBeBetween(column="domestic", min_value=0),
        *_measures(),
    ]
