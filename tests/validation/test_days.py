"""Days validated in one pass over their union are judged as each day's own validation judges
it: the same failures, on the same days, and no others."""

from datetime import date, timedelta

import great_expectations as gx
import pandas as pd
import pytest

from pipelines.validation import suites
from pipelines.validation.days import validate_days
from pipelines.validation.runner import validate
from pipelines.validation.site import ValidationSite
from tests.factories import article, articles_of, mention_row, mentions_frame

TEXT = "Niger severed diplomatic ties with Ukraine on Tuesday, its ministry said."
DAYS = [date(2024, 8, 1) + timedelta(days=n) for n in range(6)]


def _mentions(day, n=3, prefix=None):
    return mentions_frame(*(mention_row(f"{prefix or day}-{i}", day) for i in range(n)))


def _articles(day, n=4):
    return articles_of(*(article(f"{day}-{i}", day, text=TEXT) for i in range(n))).assign(
        title="A title"
    )


def _set(frame, row, column, value):
    frame[column] = frame[column].astype(object)
    frame.loc[row, column] = value


def _judged(outcome):
    return (
        outcome.success,
        outcome.evaluated,
        outcome.rows,
        sorted((f.expectation, f.column, f.severity, f.unexpected_count) for f in outcome.failures),
    )


def _as_alone(name, suite_of, frames, key):
    together = validate_days(name, {d: suite_of(d) for d in frames}, frames, key=key, site=None)
    alone = {d: validate(name, suite_of(d), frames[d], key=key) for d in frames}
    assert {d: _judged(o) for d, o in together.items()} == {d: _judged(o) for d, o in alone.items()}
    return together


def test_clean_days_all_pass():
    frames = {d: _mentions(d, n=0 if d == DAYS[1] else 3) for d in DAYS}  # one day none
    outcomes = _as_alone("event_mentions", suites.event_mentions, frames, "mention_id")
    assert all(o.success for o in outcomes.values())


def test_a_bad_row_blocks_its_own_day_only():
    frames = {d: _mentions(d) for d in DAYS}
    _set(frames[DAYS[2]], 1, "event_code", "999")
    outcomes = _as_alone("event_mentions", suites.event_mentions, frames, "mention_id")
    assert [d for d, o in outcomes.items() if o.blocks] == [DAYS[2]]
    assert outcomes[DAYS[2]].failures[0].rows  # the failing row's key, from the day's own check


def test_a_row_dated_to_another_day_of_the_range_blocks_its_day():
    # The union holds both dates: only the day's own expectation knows the row is misplaced.
    frames = {d: _mentions(d) for d in DAYS}
    _set(frames[DAYS[4]], 0, "published_date", DAYS[1])
    _set(frames[DAYS[3]], 2, "event_date", DAYS[5])  # after its day, before the range's last
    outcomes = _as_alone("event_mentions", suites.event_mentions, frames, "mention_id")
    assert [d for d, o in outcomes.items() if o.blocks] == [DAYS[3], DAYS[4]]


def test_an_id_repeated_on_two_days_is_no_duplicate_but_one_within_a_day_is():
    frames = {d: _mentions(d, prefix="same") for d in DAYS}  # the same ids every day
    outcomes = _as_alone("event_mentions", suites.event_mentions, frames, "mention_id")
    assert all(o.success for o in outcomes.values())
    _set(frames[DAYS[0]], 1, "mention_id", frames[DAYS[0]].loc[0, "mention_id"])
    outcomes = _as_alone("event_mentions", suites.event_mentions, frames, "mention_id")
    assert [d for d, o in outcomes.items() if o.blocks] == [DAYS[0]]


def test_a_share_is_judged_on_each_day_not_on_the_union():
    frames = {d: _articles(d, n=0 if d == DAYS[0] else 4) for d in DAYS}
    for row in (0, 1):  # half of one day's titles missing: 8% of the union
        _set(frames[DAYS[5]], row, "title", None)
    outcomes = _as_alone("articles", suites.articles, frames, "article_id")
    assert [d for d, o in outcomes.items() if o.failures] == [DAYS[5]]
    assert outcomes[DAYS[5]].severity == "WARN"


E = gx.expectations


def _strict(day):
    """Critical expectations on each day as a whole: a share, a mean, a distinct count."""
    return [
        E.ExpectColumnValuesToNotBeNull(column="title", mostly=0.9),
        E.ExpectColumnMeanToBeBetween(column="score", min_value=0, max_value=10),
        E.ExpectColumnUniqueValueCountToBeBetween(column="outlet", min_value=0, max_value=1),
        E.ExpectColumnValuesToBeInSet(column="day", value_set=[day]),
    ]


def _frame(day, scores, titles=None, outlets=None):
    n = len(scores)
    return pd.DataFrame(
        {
            "id": [f"{day}-{i}" for i in range(n)],
            "title": titles or ["t"] * n,
            "score": scores,
            "outlet": outlets or ["Wire"] * n,
            "day": [day] * n,
        }
    )


def test_an_aggregate_failing_on_one_day_blocks_that_day_only(tmp_path):
    frames = {d: _frame(d, [1.0, 2.0, 3.0]) for d in DAYS}
    frames[DAYS[1]] = _frame(DAYS[1], [30.0, 1.0, 2.0])  # mean 11: the union's mean is 3.3
    frames[DAYS[2]] = _frame(DAYS[2], [1.0] * 10, titles=["t"] * 8 + [None] * 2)  # 80% titles
    frames[DAYS[3]] = _frame(DAYS[3], [1.0, 2.0], outlets=["Wire", "Post"])
    outcomes = _as_alone("strict", _strict, frames, "id")
    assert [d for d, o in outcomes.items() if o.blocks] == [DAYS[1], DAYS[2], DAYS[3]]
    # and with a site: the union's result is kept, the blocked days' own results too
    site = ValidationSite(tmp_path / "validation")
    kept = validate_days("strict", {d: _strict(d) for d in DAYS}, frames, key="id", site=site)
    assert kept[DAYS[0]].docs_page.exists()
    assert f"{DAYS[0]}_to_{DAYS[-1]}_{len(DAYS)}_days" in str(kept[DAYS[0]].docs_page)
    assert kept[DAYS[1]].docs_page.exists() and kept[DAYS[1]].docs_page != kept[DAYS[0]].docs_page


@pytest.mark.parametrize("odd", ["empty", "other columns"])
def test_an_empty_day_or_one_the_union_cannot_hold_is_judged_as_alone(odd):
    frames = {d: _frame(d, [1.0, 2.0]) for d in DAYS}
    frames[DAYS[2]] = (
        _frame(DAYS[2], []) if odd == "empty" else _frame(DAYS[2], [1.0]).drop(columns="outlet")
    )
    _as_alone("strict", _strict, frames, "id")
