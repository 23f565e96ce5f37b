"""Data Docs and the validation history, written under a real temporary data folder."""

from datetime import date

from pipelines.validation import suites
from pipelines.validation.runner import render_docs, rendering_deferred, validate
from pipelines.validation.site import RUN_COLUMNS, ValidationSite
from pipelines.validation.volume import judge
from tests.factories import article, articles_of, mention_row, mentions_frame

DAY = date(2024, 8, 6)


def _articles():
    return articles_of(
        article("a1", DAY, text="Niger severed diplomatic ties with Ukraine, officials said.")
    )


def _validate_mentions(frame, site):
    return validate(
        "event_mentions",
        suites.event_mentions(DAY),
        frame,
        key="mention_id",
        batch=DAY.isoformat(),
        site=site,
    )


def test_a_failed_validation_gets_a_data_docs_page_and_a_history_record(tmp_path):
    site = ValidationSite.under(tmp_path)
    frame = mentions_frame(mention_row("a1", DAY), mention_row("a2", DAY))
    frame["goldstein"] = frame["goldstein"].astype(object)
    frame.loc[1, "goldstein"] = 42.0
    outcome = _validate_mentions(frame, site)
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


def test_failures_render_at_once_and_the_rest_of_the_day_together(tmp_path):
    site = ValidationSite.under(tmp_path)
    frame = mentions_frame(mention_row("a1", DAY))
    first = validate(
        "event_mentions", suites.event_mentions(DAY), frame, batch="2024-08-06", site=site
    )
    # A pass is kept; its page (the path is known already) comes with the rest of the day.
    assert first.success and not first.docs_page.exists()
    assert first.docs_page.is_relative_to(site.data_docs)
    # Another table validated later (in Dagster: another step, another process), and failing:
    # its page and the index are there at once.
    wrong_day = suites.articles(date(2024, 8, 7))
    second = validate("articles", wrong_day, _articles(), batch="2024-08-06", site=site)
    assert not second.success and second.docs_page.is_file()

    def listed(outcome) -> bool:
        return str(outcome.docs_page.relative_to(site.data_docs)) in site.index.read_text()

    assert listed(second) and not listed(first)  # the index links rendered pages only
    later = validate(
        "event_mentions", suites.event_mentions(DAY), frame, batch="2024-08-07", site=site
    )
    render_docs(site, "2024-08-06")
    assert first.docs_page.is_file() and listed(first)
    assert "expectations/event_mentions.html" in site.index.read_text()
    assert not later.docs_page.exists()  # another day: not yet
    render_docs(site, "2024-08-07")
    assert later.docs_page.is_file() and listed(later)


def test_a_run_of_many_days_renders_the_passing_pages_once_at_its_end(tmp_path):
    site = ValidationSite.under(tmp_path)
    frame = mentions_frame(mention_row("a1", DAY))
    with rendering_deferred():
        passed = []
        for day in ("2024-08-06", "2024-08-07"):
            passed.append(
                validate("event_mentions", suites.event_mentions(DAY), frame, batch=day, site=site)
            )
            render_docs(site, day)
        assert not any(o.docs_page.exists() for o in passed)
        failed = validate(
            "articles", suites.articles(date(2024, 8, 7)), _articles(), batch="x", site=site
        )
        assert failed.docs_page.is_file()  # a failure is shown at once all the same
    assert all(o.docs_page.is_file() for o in passed)
    index = site.index.read_text()
    assert all(str(o.docs_page.relative_to(site.data_docs)) in index for o in passed)


def test_an_empty_history():
    assert ValidationSite.under("/nonexistent").history().empty


def test_pages_are_where_gx_writes_them_and_a_suite_is_replaced_by_its_latest(tmp_path):
    site = ValidationSite.under(tmp_path)
    frame = mentions_frame(mention_row("a1", DAY))
    # A batch whose name GX %-escapes in its URLs: the page is the file, not the URL.
    batch = "catch up 2024-08-06"
    first = validate("event_mentions", suites.event_mentions(DAY), frame, batch=batch, site=site)
    fewer = suites.event_mentions(DAY)[:3]
    second = validate("event_mentions", fewer, frame, batch=batch, site=site)
    render_docs(site, batch)
    assert first.docs_page.is_file() and second.docs_page.is_file()
    assert " " in first.docs_page.parent.parent.name
    stored = (site.expectations / "event_mentions.json").read_text()
    assert stored.count('"type"') == len(fewer)


def test_a_site_named_by_a_string_keeps_its_pages(tmp_path):
    site = ValidationSite(str(tmp_path / "validation"))  # as a caller reading a setting would
    frame = mentions_frame(mention_row("a1", DAY)).assign(goldstein=42.0)
    outcome = _validate_mentions(frame, site)
    assert outcome.blocks
    assert outcome.docs_page is not None and outcome.docs_page.is_file()
    assert outcome.docs_page.is_relative_to(tmp_path / "validation" / "data_docs")
