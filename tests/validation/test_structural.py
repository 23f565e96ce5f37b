"""Structural expectations come from the data dictionary: what a field or a table states is
checked, and described, without being written again in the suites."""

import dataclasses
from datetime import date

import pandas as pd
import pytest

from pipelines.datamodel.columns import Table
from pipelines.datamodel.fields import FIELDS
from pipelines.datamodel.outcomes import Severity
from pipelines.datamodel.tables import EVENT_MENTIONS, TABLES
from pipelines.validation import structural, suites
from pipelines.validation.candidate_release import CHECKS
from pipelines.validation.runner import validate
from tests.factories import mention_row, mentions_frame
from tests.validation.test_publication_suites import DAY, _events

VALIDATED = ("articles", "event_mentions", "events", "dyad_day", "dyad_month", "country_month")


def test_a_constraint_stated_in_the_dictionary_is_checked():
    table = Table(
        "quads",
        "A test table.",
        (FIELDS["event_id"], FIELDS["event_date"], FIELDS["quad_class"]),
        key=("event_id",),
        partition_column="event_date",
    )
    for expectation in structural.expectations(table, [DAY]):
        if getattr(expectation, "column", None) == "quad_class":  # Data Docs show the notes
            assert FIELDS["quad_class"].description in expectation.notes
    rows = pd.DataFrame(
        {"event_id": [f"{i:020x}" for i in range(3)], "event_date": [DAY] * 3, "quad_class": 1}
    )
    assert validate("quads", structural.expectations(table, [DAY]), rows).success

    rows.loc[1, "quad_class"] = 5
    rows.loc[2, "event_id"] = rows.loc[0, "event_id"]
    outcome = validate("quads", structural.expectations(table, [DAY]), rows)
    assert {(f.expectation, f.column) for f in outcome.errors} == {
        ("expect_column_values_to_be_in_set", "quad_class"),
        ("expect_column_values_to_be_unique", "event_id"),
    }

    # Another allowed set in the dictionary, another verdict on the same rows.
    widened = dataclasses.replace(FIELDS["quad_class"], values=(1, 2, 3, 4, 5))
    table = dataclasses.replace(table, columns=(*table.columns[:2], widened))
    outcome = validate("quads", structural.expectations(table, [DAY]), rows)
    assert [f.column for f in outcome.errors] == ["event_id"]


@pytest.mark.parametrize(
    ("column", "value", "expectation"),
    [
        ("trigger_text", None, "expect_column_values_to_not_be_null"),  # NOT NULL field
        ("is_dyadic", None, "expect_column_values_to_not_be_null"),
        ("date_precision", "decade", "expect_column_values_to_be_in_set"),
        ("location_country", "niger", "expect_column_values_to_match_regex"),
    ],
)
def test_staged_mentions_are_held_to_their_fields(column, value, expectation):
    frame = mentions_frame(mention_row("a1", DAY), mention_row("a2", DAY))
    frame[column] = frame[column].astype(object)
    frame.loc[1, column] = value
    outcome = validate("event_mentions", suites.event_mentions(DAY), frame)
    assert (expectation, column, Severity.ERROR) in {
        (f.expectation, f.column, f.severity) for f in outcome.failures
    }, outcome.describe()


def test_events_are_held_to_their_fields():
    outcome = validate("events", suites.events([DAY]), _events({}, {"location_geo_type": "town"}))
    assert [(f.expectation, f.column) for f in outcome.errors] == [
        ("expect_column_values_to_be_in_set", "location_geo_type")
    ]


def test_a_nullable_column_of_one_table_is_not_required_there():
    # source_actor is NOT NULL in events; event_mentions lets a one-sided mention go without.
    assert not FIELDS["source_actor"].nullable
    assert EVENT_MENTIONS.column("source_actor").nullable
    frame = mentions_frame(
        mention_row("a1", DAY),
        mention_row("a2", DAY, source_actor=None, source=None, is_dyadic=False),
    )
    assert validate("event_mentions", suites.event_mentions(DAY), frame).success


@pytest.mark.parametrize("name", VALIDATED)
def test_every_constraint_of_a_validated_table_is_an_expectation_and_is_described(name):
    table = TABLES[name]
    values = [DAY] if name in ("articles", "event_mentions") else [date(2024, 8, 1)]
    read = {
        getattr(e, "column", None) or tuple(getattr(e, "column_list", ()))
        for e in structural.expectations(table, values)
    }
    described = structural.describe(table, "in the batch")
    constrained = [
        c.name
        for c in table.columns
        if c.values is not None or c.minimum is not None or c.maximum is not None or c.pattern
    ]
    for column in (*constrained, *table.key, table.partition_column):
        assert column in read or tuple(table.key) in read, (name, column)
        assert column in described, (name, column)


def test_check_descriptions_state_the_dictionary():
    from assets.checks import articles_valid, event_mentions_valid

    for check, table in ((articles_valid, "articles"), (event_mentions_valid, "event_mentions")):
        (spec,) = check.check_specs
        assert structural.describe(TABLES[table], "the partition's day") in spec.description
    assert (
        structural.describe(TABLES["events"], "among the rebuilt dates") in CHECKS["events_valid"]
    )
    for name in ("dyad_day", "dyad_month", "country_month"):
        assert f"{name}: (" in CHECKS["aggregates_valid"]
