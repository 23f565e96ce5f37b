import pytest

from assets.partitions import START_DATE_ENV, start_date
from pipelines.coding.stream import BATCH_ENV, default_batch_size
from pipelines.settings import PROCESSES_ENV, SettingError, default_processes


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
