"""Expectation suites, written in code. Each returns GX expectations for one table."""

from __future__ import annotations

from datetime import date, timedelta

import great_expectations as gx
from great_expectations.expectations.row_conditions import Column

from pipelines.codebook import codebook

# A CAMEO actor code is a country, IGO or region code followed by role codes: blocks of three
# capital letters ("NER", "NGACOP", "IGOUNO", "IGOEUREEC").
ACTOR_CODE = r"^(?:[A-Z]{3})+$"
# Events can be reported long after they happened (trials, anniversaries of massacres), but not
# before the publication date's previous decade or after it.
OLDEST_EVENT_YEARS = 10

E = gx.expectations


def event_mentions(day: date) -> list:
    book = codebook()
    codes = sorted(book.events)
    roots = sorted({code[:2] for code in codes})
    return [
        E.ExpectColumnValuesToBeUnique(column="mention_id"),
        E.ExpectColumnValuesToNotBeNull(column="article_id"),
        E.ExpectColumnValuesToBeInSet(column="event_code", value_set=codes),
        E.ExpectColumnValuesToBeInSet(column="event_root_code", value_set=roots),
        E.ExpectColumnValuesToBeBetween(column="goldstein", min_value=-10, max_value=10),
        E.ExpectColumnValuesToBeInSet(column="quad_class", value_set=[1, 2, 3, 4]),
        E.ExpectColumnValuesToNotBeNull(column="source_actor"),
        E.ExpectColumnValuesToMatchRegex(column="source_actor", regex=ACTOR_CODE),
        # A null target is allowed only on mentions marked non-dyadic.
        E.ExpectColumnValuesToNotBeNull(
            column="target_actor",
            row_condition=Column("is_dyadic") == True,  # noqa: E712  (a GX condition, not a test)
        ),
        E.ExpectColumnValuesToMatchRegex(column="target_actor", regex=ACTOR_CODE),
        # Source and target must differ within each row.
        E.ExpectSelectColumnValuesToBeUniqueWithinRecord(
            column_list=["source_actor", "target_actor"]
        ),
        E.ExpectColumnValuesToBeBetween(column="confidence", min_value=0, max_value=1),
        E.ExpectColumnValuesToNotBeNull(column="event_date"),
        E.ExpectColumnValuesToBeBetween(
            column="event_date",
            min_value=day - timedelta(days=366 * OLDEST_EVENT_YEARS),
            max_value=day,
        ),
        E.ExpectColumnValuesToBeInSet(column="published_date", value_set=[day]),
    ]
