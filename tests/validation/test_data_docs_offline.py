"""Data Docs read where no network is: every page renders whole from the data folder alone and
requests nothing outside it. Real Great Expectations validations and renderings; the browser test
drives Debian's Chromium, headless, with the network blocked."""

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from pipelines.validation import suites
from pipelines.validation.runner import render_docs, validate
from pipelines.validation.site import ValidationSite
from tests.factories import article, articles_of, mention_row, mentions_frame

DAY = date(2024, 8, 6)
CHROMIUM = Path("/usr/bin/chromium")
# What a closed network does to a browser, and what keeps Chromium from calling out by itself.
OFFLINE_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A data folder's Data Docs: a failed validation (rendered at once) and a passing one."""
    home = tmp_path_factory.mktemp("home") / "data"
    site = ValidationSite.under(home)
    frame = mentions_frame(mention_row("a1", DAY), mention_row("a2", DAY))
    frame["goldstein"] = frame["goldstein"].astype(object)
    frame.loc[1, "goldstein"] = 42.0
    failed = validate(
        "event_mentions",
        suites.event_mentions(DAY),
        frame,
        key="mention_id",
        batch=DAY.isoformat(),
        site=site,
    )
    text = "Niger severed diplomatic ties with Ukraine, officials said."
    passed = validate(
        "articles",
        suites.articles(DAY),
        articles_of(article("a1", DAY, text=text)),
        key="article_id",
        batch=DAY.isoformat(),
        site=site,
    )
    render_docs(site, DAY.isoformat())
    assert not failed.success and passed.success
    return site, failed.docs_page, passed.docs_page


class _References(HTMLParser):
    """Every address a page makes the browser load by itself (links followed by a click aside)."""

    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("src"):
            self.loaded.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.loaded.append(attrs["href"])
        self.loaded += re.findall(r"url\(\s*['\"]?([^'\")]+)", attrs.get("style") or "")
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.loaded += re.findall(r"url\(\s*['\"]?([^'\")]+)", data)
            self.loaded += re.findall(r"@import\s+['\"]([^'\"]+)", data)

    def handle_endtag(self, tag):
        self._in_style = False


def test_no_page_refers_to_anything_outside_the_site(site):
    site, failed_page, passed_page = site
    pages = sorted(site.data_docs.rglob("*.html"))
    assert {site.index, failed_page, passed_page} <= set(pages)
    assert any(p.parent.name == "expectations" for p in pages)
    for page in pages:
        references = _References()
        references.feed(page.read_text("utf-8"))
        assert references.loaded, page  # the logo at least
        for address in references.loaded:
            assert not urlparse(address).scheme and not address.startswith("//"), (page, address)
            target = (page.parent / unquote(address)).resolve()
            assert target.is_file() and target.is_relative_to(site.data_docs), (page, address)
        html = page.read_text("utf-8")
        assert "dataContextId" not in html and "data_context_id" not in html


def test_the_index_lists_every_validation_without_a_script(site):
    site, failed_page, passed_page = site
    index = site.index.read_text("utf-8")
    body = index[index.index("<body") :]
    without_scripts = re.sub(r"<script.*?</script>", "", body, flags=re.DOTALL)
    for page in (failed_page, passed_page):
        assert f'href="{page.relative_to(site.data_docs)}"' in without_scripts


@pytest.mark.slow
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium; .ci/run does)",
)
def test_the_index_and_a_validation_page_render_whole_in_a_browser_with_no_network(site, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    site, failed_page, _ = site
    requested, failed_requests, errors = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=OFFLINE_FLAGS,
            offline=True,
        )
        try:
            browser.on("request", lambda r: requested.append(r.url))
            browser.on("requestfailed", lambda r: failed_requests.append(r.url))
            page = browser.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(site.index.as_uri())

            validations = page.locator("table.ge-index-page-validation-results-table")
            expect(validations).to_be_visible()
            rows = validations.locator("tbody tr")
            expect(rows).to_have_count(2)
            expect(rows.filter(has_text="Failed")).to_contain_text("event_mentions")
            expect(rows.filter(has_text="Success")).to_contain_text("articles")
            # Styled: the sidebar and the content side by side, as Bootstrap's grid lays them.
            layout = page.locator(".container-fluid > .row").first
            assert layout.evaluate("e => getComputedStyle(e).display") == "flex"
            # The suites' tab, shown by the page's own script.
            page.get_by_role("tab", name="Expectation Suites").click()
            expect(page.locator("table.ge-index-page-expectation_suites-table")).to_be_visible()
            expect(validations).to_be_hidden()
            page.get_by_role("tab", name="Validation Results").click()

            rows.filter(has_text="Failed").get_by_role("link").first.click()
            page.wait_for_load_state("load")
            assert Path(unquote(urlparse(page.url).path)) == failed_page
            # The result table of the failing column: the expectation, and the value that failed.
            column = page.locator(".ge-section", has=page.get_by_role("heading", name="goldstein"))
            results = column.locator("table").first
            expect(results).to_be_visible()
            expect(results).to_contain_text("less than or equal to 10")
            expect(results).to_contain_text("42")
            # What Bootstrap's and jQuery's scripts did: a collapsed block, the failures filter.
            more = page.locator(".collapse", has_text="Run Name")
            expect(more).to_be_hidden()
            page.get_by_text("Show more info...").click()
            expect(more).to_be_visible()
            passing = page.get_by_role("heading", name="article_id")
            expect(passing).to_be_visible()
            page.get_by_role("button", name="Failed Only").click()
            expect(passing).to_be_hidden()
            expect(results).to_be_visible()
            logo = page.locator(".navbar img")
            assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
        finally:
            browser.close()

    assert errors == []
    assert failed_requests == []
    assert requested
    for url in requested:
        parsed = urlparse(url)
        assert parsed.scheme == "file", url
        assert Path(unquote(parsed.path)).resolve().is_relative_to(site.data_docs), url
