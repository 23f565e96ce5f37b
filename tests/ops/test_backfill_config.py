"""The days a `backfill_days` run takes: listed by the command line, or a range from the
Launchpad, and a mistake in either said in one line."""

from datetime import date

import dagster as dg
import pytest

from assets.backfill import BackfillConfig
from assets.definitions import build_definitions


def test_listed_days_are_taken_as_listed():
    config = BackfillConfig(days=["2024-08-03", "2024-08-05"])
    assert config.day_list() == [date(2024, 8, 3), date(2024, 8, 5)]


def test_a_range_takes_every_day_of_it_both_ends_included():
    config = BackfillConfig(first="2024-02-27", last="2024-03-01")
    assert config.day_list() == [date(2024, 2, d) for d in (27, 28, 29)] + [date(2024, 3, 1)]


@pytest.mark.parametrize(
    ("config", "said"),
    [
        ({}, "give the days, or first and last"),
        ({"first": "2024-08-01"}, "give the days, or first and last"),
        ({"days": ["2024-08-01"], "first": "2024-08-01", "last": "2024-08-02"}, "not both"),
        ({"first": "2024-08-05", "last": "2024-08-01"}, "first 2024-08-05 is after last"),
        ({"first": "2024-8-1", "last": "2024-08-02"}, "first: '2024-8-1' is not a date"),
        ({"days": ["yesterday"]}, "days: 'yesterday' is not a date"),
    ],
)
def test_a_mistake_in_the_days_is_one_line(config, said):
    with pytest.raises(dg.Failure) as failure:
        BackfillConfig(**config).day_list()
    assert said in failure.value.description and "\n" not in failure.value.description


def test_the_launchpad_takes_a_range(tmp_path):
    job = build_definitions(str(tmp_path)).get_job_def("backfill_days")
    config = {"ops": {"publish_days": {"config": {"first": "2024-08-01", "last": "2024-08-31"}}}}
    dg.validate_run_config(job, config)  # raises on a config the Launchpad would refuse
    with pytest.raises(dg.DagsterInvalidConfigError):
        dg.validate_run_config(job, {"ops": {"publish_days": {"config": {"from": "2024-08-01"}}}})
