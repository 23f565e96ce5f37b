"""Data Docs and the validation history, written under a real temporary data folder."""

from datetime import date

from pipelines.validation import suites
from pipelines.validation.runner import validate
from pipelines.validation.site import RUN_COLUMNS, ValidationSite
from pipelines.validation.volume import judge
from tests.factories import article, articles_of, mention_row, mentions_frame

DAY = date(2024, 8, 6)


def _articles():
    return articles_of(
        article("a1", DAY, text="Niger severed diplomatic ties with Ukraine, officials said.")
    )


def test_a_failed_validation_gets_a_data_docs_page_and_a_history_record(tmp_path):
    site = ValidationSite.under(tmp_path)
    frame = mentions_frame(mention_row("a1", DAY), mention_row("a2", DAY))
    frame["goldstein"] = frame["goldstein"].astype(object)
    frame.loc[1, "goldstein"] = 42.0
    outcome = validate(
        "event_mentions",
        suites.event_mentions(DAY),
        frame,
        key="mention_id",
        batch=DAY.isoformat(),
        site=site,
    )
    assert outcome.blocks
    page = outcome.docs_page
    assert page is not None and page.is_file()
    assert page.is_relative_to(site.data_docs)
    html = page.read_text()
    assert "goldstein" in html and "42" in html
    assert "event_mentions" in site.index.read_text()

    site.record(outcome, "event_mentions_valid", "run-1")
    site.record(judge("event_mentions", 2, []), "event_mentions_volume", "run-1")
    history = site.history()
    assert list(history.columns) == list(RUN_COLUMNS)
    assert list(history["check_name"]) == ["event_mentions_valid", "event_mentions_volume"]
    failed = history.iloc[0]
    assert failed["status"] == "failed" and failed["errors"] == 1
    assert failed["batch"] == "2024-08-06" and failed["dagster_run_id"] == "run-1"
    assert "goldstein" in failed["failures"][0]
    assert failed["docs_page"] == str(page)
    assert history.iloc[1]["status"] == "passed"


def test_the_index_lists_validations_from_earlier_processes(tmp_path):
    site = ValidationSite.under(tmp_path)
    frame = mentions_frame(mention_row("a1", DAY))
    first = validate(
        "event_mentions", suites.event_mentions(DAY), frame, batch="2024-08-06", site=site
    )
    # Another table validated later (in Dagster: another step, another process) keeps the first
    # validation's page and its suite page.
    validate("articles", suites.articles(DAY), frame.iloc[0:0], batch="2024-08-06", site=site)
    index = site.index.read_text()
    assert first.docs_page.is_file()
    assert "expectations/event_mentions.html" in index and "expectations/articles.html" in index


def test_an_empty_history():
    assert ValidationSite.under("/nonexistent").history().empty
