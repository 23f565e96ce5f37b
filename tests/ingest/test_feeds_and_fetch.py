"""Feeds: entity-expansion bombs are refused before parsing; feeds and the pages they link are
fetched from a real HTTP server on 127.0.0.1 (started here), under the fetch policy."""

import http.server
import re
import threading
import tracemalloc
from datetime import date, datetime
from typing import ClassVar

import pytest

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.config import SourcesFileError, parse
from pipelines.ingest.feeds import feed_articles, read_feed_url
from pipelines.ingest.fetch import Fetcher, FetchError, FetchPolicy
from pipelines.ingest.sources import read_file

from .conftest import article_page


def test_billion_laughs_feed_is_refused_unparsed(fixtures):
    (record,) = read_file(fixtures / "billion_laughs.rss")
    assert isinstance(record, Quarantined)
    assert record.location == "file"
    assert record.reason.startswith("feed declares XML entities")


def test_quadratic_blowup_feed_is_refused_in_bounded_memory(tmp_path):
    # One 100 kB entity referenced 20,000 times: feedparser alone expands this to 2 GB.
    big = "A" * 100_000
    feed = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "{big}">\n]>\n'
        '<rss version="2.0"><channel><title>t</title><item><title>x</title>'
        "<pubDate>Tue, 06 Aug 2024 10:00:00 GMT</pubDate><description>"
        + "&a;" * 20_000
        + "</description></item></channel></rss>"
    )
    path = tmp_path / "quadratic.rss"
    path.write_text(feed)
    tracemalloc.start()
    (record,) = read_file(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert record.reason.startswith("feed declares XML entities")
    assert peak < 20 * 1024 * 1024


def test_entity_declarations_hidden_in_utf16_are_found():
    feed = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY x "y">]><rss/>'
    (record,) = feed_articles(feed.encode("utf-16"), "u16.rss")
    assert record.reason.startswith("feed declares XML entities")


FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Harbour Times</title>
<item><title>Border crossing reopens</title><link>{base}/story</link>
<pubDate>Tue, 06 Aug 2024 08:00:00 GMT</pubDate><description>Short teaser.</description></item>
<item><title>Page gone</title><link>{base}/missing</link>
<pubDate>Tue, 06 Aug 2024 09:00:00 GMT</pubDate><description>The teaser survives.</description></item>
<item><title>Nothing anywhere</title><link>{base}/missing-too</link>
<pubDate>Tue, 06 Aug 2024 09:30:00 GMT</pubDate></item>
</channel></rss>"""
STORY = "Chile and Argentina agreed on Tuesday to reopen a mountain border crossing closed by snow."


class _Site(http.server.BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[str, bytes]]] = {}
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        self.hits.append(self.path)
        if self.path.startswith("/redirect-to-"):
            target = {
                "file": "file:///etc/passwd",
                "ftp": "ftp://127.0.0.1/x",
                "metadata": "http://169.254.169.254/latest/meta-data/",
                "decimal": "http://2852039166/latest/meta-data/",
                "localhost": f"http://localhost:{self.server.server_port}/story",
            }
            self.send_response(302)
            self.send_header("Location", target[self.path.rsplit("-", 1)[-1]])
            self.end_headers()
            return
        if self.path not in self.pages:
            self.send_error(404)
            return
        content_type, body = self.pages[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    base = f"http://127.0.0.1:{server.server_port}"
    _Site.hits = []
    _Site.pages = {
        "/feed.xml": ("application/rss+xml", FEED.format(base=base).encode()),
        "/story": ("text/html", article_page("Border crossing reopens", STORY, "2024-08-06")),
        "/big": ("text/html", b"x" * 200_000),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def _fast(**kw) -> Fetcher:
    """A fetcher for the test server on 127.0.0.1: private addresses allowed."""
    kw.setdefault("allow_private_addresses", True)
    return Fetcher(FetchPolicy(timeout_seconds=5, min_interval_seconds=0, **kw))


def test_feed_url_without_fetching_pages_uses_the_entries_text(site):
    records = list(read_feed_url(f"{site}/feed.xml", _fast(), fetch_pages=False))
    assert [type(r).__name__ for r in records] == ["Article", "Article", "Quarantined"]
    assert records[0].text == "Short teaser." and records[0].source_file == f"{site}/feed.xml"
    assert "set fetch_pages to read the linked page" in records[2].reason
    assert _Site.hits == ["/feed.xml"]


def test_fetching_linked_pages_with_fallback_to_the_entry(site):
    records = list(read_feed_url(f"{site}/feed.xml", _fast(), fetch_pages=True))
    story, gone, nothing = records
    assert isinstance(story, Article)
    assert story.text == STORY and story.outlet == "Harbour Times"
    # The page gives the day, the feed the time.
    assert story.published_at == datetime(2024, 8, 6, 8, 0)
    assert isinstance(gone, Article) and gone.text == "The teaser survives."
    assert isinstance(nothing, Quarantined)
    assert "linked page could not be fetched: HTTP 404" in nothing.reason
    assert nothing.published_date == date(2024, 8, 6)


def test_an_unreachable_feed_is_quarantined(site):
    (record,) = read_feed_url(f"{site}/nope.xml", _fast())
    assert record.location == "feed" and "HTTP 404" in record.reason


def test_fetch_policy_schemes_size_cap_and_redirects(site):
    fetcher = _fast(max_bytes=100_000)
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)"):
        with pytest.raises(FetchError, match="scheme not allowed"):
            fetcher.get(url)
    with pytest.raises(FetchError, match="over the 100000 byte cap"):
        fetcher.get(f"{site}/big")
    with pytest.raises(
        FetchError, match=re.escape("redirect to ftp://127.0.0.1/x: scheme not allowed")
    ):
        fetcher.get(f"{site}/redirect-to-ftp")
    with pytest.raises(
        FetchError, match=re.escape("redirect to file:///etc/passwd: scheme not allowed")
    ):
        fetcher.get(f"{site}/redirect-to-file")
    assert fetcher.get(f"{site}/story").body.startswith(b"<!doctype html>")


def test_requests_to_one_host_are_spaced_by_the_minimum_interval(site):
    now = [1000.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    fetcher = Fetcher(
        FetchPolicy(min_interval_seconds=2.0, allow_private_addresses=True),
        clock=lambda: now[0],
        sleep=sleep,
    )
    for _ in range(3):
        fetcher.get(f"{site}/story")
    assert waits == [2.0, 2.0]
    assert _Site.hits == ["/story"] * 3


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is link-local"),
        ("http://2852039166/latest/meta-data/", "169.254.169.254 is link-local"),
        ("http://[::ffff:169.254.169.254]/", "169.254.169.254 is link-local"),
        ("http://[fe80::1]/", "fe80::1 is link-local"),
        ("http://127.0.0.1:9/", "127.0.0.1 is loopback"),
        ("http://localhost:9/", "is loopback"),
        ("http://0.0.0.0:9/", "0.0.0.0 is unspecified"),
        ("http://10.1.2.3/", "10.1.2.3 is private"),
        ("http://192.168.0.1/", "192.168.0.1 is private"),
        ("http://100.100.100.200/", "100.100.100.200 is private"),
        ("http://[fd00:ec2::254]/", "fd00:ec2::254 is private"),
    ],
)
def test_internal_addresses_are_refused_after_resolution(url, refused):
    fetcher = Fetcher(FetchPolicy(timeout_seconds=2, min_interval_seconds=0))
    with pytest.raises(FetchError, match=re.escape(f"{refused}: not fetched")):
        fetcher.get(url)


def test_local_servers_need_the_opt_in_and_metadata_is_refused_even_then(site):
    with pytest.raises(FetchError, match=re.escape("127.0.0.1 is loopback")):
        _fast(allow_private_addresses=False).get(f"{site}/story")
    assert _Site.hits == []
    fetcher = _fast()
    assert fetcher.get(f"{site}/story").body.startswith(b"<!doctype html>")
    for hop in ("metadata", "decimal"):
        with pytest.raises(FetchError, match=re.escape("169.254.169.254 is link-local")):
            fetcher.get(f"{site}/redirect-to-{hop}")
    assert fetcher.get(f"{site}/redirect-to-localhost").body.startswith(b"<!doctype html>")


def test_linked_pages_on_internal_addresses_are_not_fetched(site):
    feed = FEED.format(base=site).encode()
    fetcher = Fetcher(FetchPolicy(timeout_seconds=5, min_interval_seconds=0))
    story, _, nothing = feed_articles(feed, "feed.xml", fetcher, fetch_pages=True)
    assert _Site.hits == []
    assert isinstance(story, Article) and story.text == "Short teaser."
    assert "127.0.0.1 is loopback: not fetched" in nothing.reason


@pytest.mark.parametrize("feed", ["file:///etc/passwd", {"url": "gopher://x/feed"}])
def test_a_feed_under_another_scheme_is_refused_by_its_scheme(tmp_path, feed):
    with pytest.raises(SourcesFileError, match="scheme not allowed"):
        parse({"feeds": [feed]}, tmp_path, tmp_path)
