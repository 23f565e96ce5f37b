from datetime import date, datetime

import pytest

from pipelines.datamodel.outcomes import Severity
from pipelines.validation import suites
from pipelines.validation.runner import validate
from tests.factories import article, articles_of

DAY = date(2024, 8, 6)
TEXT = "Niger's military junta severed diplomatic ties with Ukraine on Tuesday, officials said."


def _frame(n: int = 3):
    return articles_of(*(article(f"a{i}", DAY, text=f"{TEXT} ({i})") for i in range(n)))


def _validate(frame):
    return validate("articles", suites.articles(DAY), frame, key="article_id")


def test_good_articles_pass():
    outcome = _validate(_frame())
    assert outcome.success and outcome.severity is None, outcome.describe()
    assert outcome.evaluated >= 12


@pytest.mark.parametrize(
    ("column", "value", "expectation"),
    [
        ("article_id", "a0", "expect_column_values_to_be_unique"),
        ("published_date", date(2024, 8, 7), "expect_column_values_to_be_in_set"),
        ("published_at", datetime(2024, 8, 7, 0, 0), "expect_column_values_to_be_between"),
        ("content_hash", "not a hash", "expect_column_values_to_match_regex"),
        ("duplicate_of", "a1", "expect_column_values_to_be_in_set"),
    ],
)
def test_defects_are_errors_that_block(column, value, expectation):
    frame = _frame()
    frame[column] = frame[column].astype(object)
    frame.loc[1, column] = value
    outcome = _validate(frame)
    assert outcome.blocks, outcome.describe()
    (failure,) = outcome.errors
    assert failure.expectation == expectation
    assert failure.severity == Severity.ERROR
    # The failing row is named by its key (a duplicated id: both rows carry it).
    failing = "a0" if column == "article_id" else "a1"
    assert {row["article_id"] for row in failure.rows} == {failing}


def test_missing_titles_and_odd_urls_only_warn():
    frame = _frame(4)
    frame["title"] = frame["title"].astype(object)
    frame.loc[0, "title"] = None
    frame.loc[1, "url"] = "ftp://news.example/a1"
    outcome = _validate(frame)
    assert not outcome.blocks
    assert outcome.severity == Severity.WARN
    assert {(f.expectation, f.column) for f in outcome.warnings} == {
        ("expect_column_values_to_not_be_null", "title"),
        ("expect_column_values_to_match_regex", "url"),
    }
