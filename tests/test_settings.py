from datetime import date

import pytest

from assets.partitions import START_DATE_ENV, start_date
from pipelines.coding.stream import BATCH_ENV, default_batch_size
from pipelines.settings import PROCESSES_ENV, SettingError, check_environment, default_processes


def test_process_and_batch_counts_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(PROCESSES_ENV, " 3 ")
    monkeypatch.setenv(BATCH_ENV, "32")
    assert (default_processes(), default_batch_size()) == (3, 32)
    monkeypatch.setenv(BATCH_ENV, "")
    assert default_batch_size() == 16


@pytest.mark.parametrize("value", ["two", "0", "-1", "1.5", "²"])
def test_a_count_that_is_not_a_positive_whole_number_is_named_in_the_error(monkeypatch, value):
    monkeypatch.setenv(PROCESSES_ENV, value)
    with pytest.raises(ValueError, match=f"{PROCESSES_ENV}='{value}'"):
        default_processes()
    monkeypatch.setenv(BATCH_ENV, value)
    with pytest.raises(ValueError, match=f"{BATCH_ENV}='{value}'"):
        default_batch_size()


def test_a_start_date_that_is_not_a_date_is_named(monkeypatch):
    monkeypatch.setenv(START_DATE_ENV, "1 July")
    with pytest.raises(SettingError, match=f"{START_DATE_ENV}='1 July': expected a date"):
        start_date()
    monkeypatch.setenv(START_DATE_ENV, "2024-07-01")
    assert start_date() == "2024-07-01"


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("DYADFLOW_BATCH_SIZE", "9" * 20, "at most"),
        ("DYADFLOW_BATCH_SIZE", "0", "at least 1"),
        ("DYADFLOW_PROCESSES", "1e3", "whole number"),
        ("DYADFLOW_SCHEDULE_HOUR", "25", "0 to 23"),
        ("DYADFLOW_SCHEDULE_HOUR", "six", "0 to 23"),
        ("DYADFLOW_SCHEDULE_RUNNING", "maybe", "true or false"),
        ("DYADFLOW_START_DATE", "2024-02-30", "date"),
        ("DYADFLOW_EXPORTS_URI", "ftp://example.org/exports", "s3://"),
        ("DYADFLOW_EXPORTS_URI", "/srv/mirror", "s3://"),
        ("DYADFLOW_EXPORTS_URI", "s3://", "bucket"),
    ],
)
def test_every_setting_is_checked_against_the_schema_in_one_line(
    monkeypatch, variable, value, says
):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingError) as caught:
        check_environment()
    message = str(caught.value)
    assert message.startswith(f"{variable}={value!r}: ") and says in message
    assert "\n" not in message


def test_the_schema_reads_good_settings(monkeypatch):
    for name, value in {
        "DYADFLOW_BATCH_SIZE": " 64 ",
        "DYADFLOW_SCHEDULE_HOUR": "0",
        "DYADFLOW_SCHEDULE_RUNNING": "yes",
        "DYADFLOW_EXPORTS_URI": "s3://bucket/dyadflow?endpoint_override=minio:9000&scheme=http",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DYADFLOW_START_DATE", "")  # set but empty: the default
    settings = check_environment()
    assert (settings.batch_size, settings.schedule_hour, settings.schedule_running) == (64, 0, True)
    assert settings.start_date == date(2024, 7, 1)
    monkeypatch.setenv("DYADFLOW_SCHEDULE_RUNNING", "off")
    assert check_environment().schedule_running is False
