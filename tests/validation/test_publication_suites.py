"""The events and aggregates suites, on frames shaped like a candidate release's tables."""

from datetime import date, datetime

import pandas as pd
import pytest

from pipelines.validation import suites
from pipelines.validation.runner import validate

DAY = date(2024, 8, 6)
MONTH = date(2024, 8, 1)


def _events(*changes: dict) -> pd.DataFrame:
    base = dict(
        event_date=DAY,
        date_precision="day",
        date_text="Tuesday",
        location_country="NER",
        location_geo_type="city",
        location_latitude=13.51,
        location_longitude=2.11,
        source_actor="NERMIL",
        target_actor="UKR",
        source_country="NER",
        target_country="UKR",
        event_code="161",
        event_base_code="161",
        event_root_code="16",
        quad_class=4,
        goldstein=-4.0,
        num_mentions=2,
        num_articles=2,
        num_sources=1,
        confidence=0.9,
        first_seen=datetime(2024, 8, 6, 18),
        last_seen=datetime(2024, 8, 7, 9),
        first_seen_date=DAY,
        source_url="https://news.example/fx-1",
        coder_version="1.0.0+test",
    )
    rows = [{**base, "event_id": f"{i:020x}", **change} for i, change in enumerate(changes)]
    return pd.DataFrame(rows)


def _measures(events: int = 3, **overrides) -> dict:
    row = dict(
        events=events,
        mentions=events + 1,
        verbal_cooperation=1,
        material_cooperation=0,
        verbal_conflict=0,
        material_conflict=events - 1,
        cooperation=1,
        conflict=events - 1,
        goldstein_sum=-5.0,
        goldstein_mean=-5.0 / events,
    )
    row.update(overrides)
    quads = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
    row["quad_gap"] = row["events"] - sum(row[q] for q in quads)
    row["cooperation_gap"] = row["cooperation"] - row[quads[0]] - row[quads[1]]
    row["conflict_gap"] = row["conflict"] - row[quads[2]] - row[quads[3]]
    return row


def test_good_events_pass():
    outcome = validate("events", suites.events([DAY]), _events({}, {"target_actor": "MLI"}))
    assert outcome.success, outcome.describe()


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"event_code": "999"}, "event_code"),
        ({"target_actor": "NERMIL"}, "source_actor_equals_target_actor"),
        ({"num_mentions": 0}, "num_mentions"),
        ({"event_date": date(2024, 8, 9)}, "event_date"),
        ({"first_seen_date": date(2024, 8, 5)}, "first_seen_date,event_date"),
        ({"last_seen": datetime(2024, 8, 1)}, "last_seen,first_seen"),
        ({"source_country": "NIGR"}, "source_country"),
        ({"event_id": "0" * 20}, "event_id"),  # the same id as the first event
    ],
)
def test_event_defects_block(change, column):
    outcome = validate("events", suites.events([DAY]), _events({}, change))
    assert outcome.blocks
    assert column in {f.column for f in outcome.errors}, outcome.describe()


def test_aggregates_pass_and_catch_inconsistent_measures():
    dyad_day = pd.DataFrame(
        [
            {"event_date": DAY, "source_country": "NER", "target_country": "UKR", **_measures()},
            {"event_date": DAY, "source_country": "UKR", "target_country": "NER", **_measures(2)},
        ]
    )
    assert validate("dyad_day", suites.dyad_day([DAY]), dyad_day).success
    broken = dyad_day.copy()
    broken.loc[1, "quad_gap"] = 1  # quad classes that do not add up to the events
    outcome = validate("dyad_day", suites.dyad_day([DAY]), broken)
    assert [f.column for f in outcome.errors] == ["quad_gap"]


def test_month_aggregates():
    dyad_month = pd.DataFrame(
        [{"month": MONTH, "source_country": "IGOUNO", "target_country": "NER", **_measures()}]
    )
    assert validate("dyad_month", suites.dyad_month([MONTH]), dyad_month).success
    country_month = pd.DataFrame(
        [
            {
                "month": MONTH,
                "country": "NER",
                "as_source": 2,
                "as_target": 1,
                "domestic": 0,
                **_measures(),
            }
        ]
    )
    assert validate("country_month", suites.country_month([MONTH]), country_month).success
    twice = pd.concat([country_month, country_month], ignore_index=True)
    outcome = validate("country_month", suites.country_month([MONTH]), twice)
    assert [f.expectation for f in outcome.errors] == ["expect_compound_columns_to_be_unique"]
