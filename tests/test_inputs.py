"""A day's inputs fingerprint: the same for the same day however its frames travelled, and
different as soon as anything that shapes its tables differs."""

from datetime import date

from pipelines.datamodel.record_frames import quarantine_frame
from pipelines.day_fingerprint import day_inputs, environment
from pipelines.warehouse.staging import StagingStore
from tests.factories import article, articles_of

DAY = date(2024, 8, 6)


def _frames():
    articles = articles_of(
        article("a1", DAY, text="Niger severed diplomatic ties with Ukraine."),
        article("a2", DAY, "Herald", text="Nigerian police arrested protesters in Abuja."),
    )
    return articles, quarantine_frame([])


def test_a_day_staged_and_read_back_has_the_fingerprint_it_had(tmp_path):
    articles, quarantine = _frames()
    staging = StagingStore(tmp_path)
    staging.write("articles", DAY.isoformat(), articles)
    staging.write("quarantined_records", DAY.isoformat(), quarantine)
    travelled = (
        staging.read("articles", DAY.isoformat()),
        staging.read("quarantined_records", DAY.isoformat()),
    )
    assert day_inputs(*travelled, "coder 1") == day_inputs(articles, quarantine, "coder 1")
    reordered = articles.iloc[::-1].reset_index(drop=True)
    assert day_inputs(reordered, quarantine, "coder 1") == day_inputs(
        articles, quarantine, "coder 1"
    )


def test_a_changed_article_or_coder_changes_the_fingerprint():
    articles, quarantine = _frames()
    before = day_inputs(articles, quarantine, "coder 1")
    edited = articles.copy()
    edited.loc[1, "text"] = "Nigerian police arrested dozens of protesters in Abuja."
    assert day_inputs(edited, quarantine, "coder 1") != before
    assert day_inputs(articles.iloc[:1], quarantine, "coder 1") != before
    assert day_inputs(articles, quarantine, "coder 2") != before


def test_settings_that_change_results_change_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("DYADFLOW_DICTIONARIES", raising=False)
    monkeypatch.delenv("DYADFLOW_PROCESSES", raising=False)
    before = environment()
    monkeypatch.setenv("DYADFLOW_PROCESSES", "1")  # how the work runs, not what it gives
    assert environment() == before
    monkeypatch.setenv("DYADFLOW_DICTIONARIES", str(tmp_path))
    assert environment() != before
