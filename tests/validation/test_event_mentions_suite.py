from datetime import date

import pytest

from pipelines.validation import suites
from pipelines.validation.runner import validate
from tests.factories import mention_row, mentions_frame

DAY = date(2024, 8, 6)


def _check(*rows):
    return validate("event_mentions", suites.event_mentions(DAY), mentions_frame(*rows))


def test_good_mentions_pass_including_non_dyadic_ones():
    outcome = _check(mention_row("a1", DAY), mention_row("a2", DAY, target_actor=None, target=None))
    assert outcome.success, outcome.describe()
    assert outcome.evaluated >= 12


def test_an_empty_day_passes():
    assert _check().success


@pytest.mark.parametrize(
    ("change", "expectation", "column"),
    [
        ({"event_code": "999"}, "expect_column_values_to_be_in_set", "event_code"),
        ({"goldstein": 12.0}, "expect_column_values_to_be_between", "goldstein"),
        ({"quad_class": 5}, "expect_column_values_to_be_in_set", "quad_class"),
        ({"source_actor": "ner"}, "expect_column_values_to_match_regex", "source_actor"),
        ({"source_actor": None}, "expect_column_values_to_not_be_null", "source_actor"),
        ({"target_actor": "NE"}, "expect_column_values_to_match_regex", "target_actor"),
        (
            {"target_actor": "NER"},
            "expect_column_values_to_be_in_set",
            "source_actor_equals_target_actor",
        ),
        ({"target_actor": None}, "expect_column_values_to_not_be_null", "target_actor"),
        ({"event_date": date(2024, 9, 1)}, "expect_column_values_to_be_between", "event_date"),
        ({"event_date": date(1990, 1, 1)}, "expect_column_values_to_be_between", "event_date"),
        ({"confidence": 1.5}, "expect_column_values_to_be_between", "confidence"),
    ],
)
def test_each_defect_fails_the_suite_and_is_named(change, expectation, column):
    # Corrupt a valid frame after it is built, as a faulty upstream step would.
    frame = mentions_frame(mention_row("a1", DAY), mention_row("a2", DAY))
    for column_name, value in change.items():
        frame[column_name] = frame[column_name].astype(object)
        frame.loc[1, column_name] = value
    outcome = validate("event_mentions", suites.event_mentions(DAY), frame)
    assert not outcome.success
    assert any(f.expectation == expectation and f.column == column for f in outcome.failures), (
        outcome.describe()
    )
    assert all(f.unexpected_count >= 1 for f in outcome.failures)


def test_duplicate_mention_ids_fail():
    row = mention_row("a1", DAY)
    outcome = _check(row, dict(row))
    assert [f.expectation for f in outcome.failures] == ["expect_column_values_to_be_unique"]
