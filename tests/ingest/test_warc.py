"""WARC archives written with warcio: HTML responses become articles, the rest is passed over
and counted, empty pages are quarantined at their byte offset, a cut archive keeps its head."""

import zlib
from datetime import datetime

import pytest

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.sources import ReadOptions, read_file

from .conftest import article_page, write_warc

STORY = (
    "Chile and Argentina agreed on Tuesday to reopen a mountain border crossing closed by snow.\n\n"
    "The foreign ministers signed the accord in Santiago."
)


def _archive(path):
    return write_warc(
        path,
        [
            ("request", "https://harbour.example/a", None, None, None, None),
            (
                "response",
                "https://harbour.example/a",
                "200 OK",
                "text/html; charset=utf-8",
                article_page("Border crossing reopens", STORY, "2024-08-06T10:00:00Z"),
                datetime(2024, 8, 6, 12, 30),
            ),
            (
                "response",
                "https://harbour.example/logo.png",
                "200 OK",
                "image/png",
                b"\x89PNG",
                None,
            ),
            (
                "response",
                "https://harbour.example/gone",
                "404 Not Found",
                "text/html",
                b"<p>no</p>",
                None,
            ),
            (
                "response",
                "https://harbour.example/shell",
                "200 OK",
                "text/html",
                b"<html><body><script>app()</script></body></html>",
                None,
            ),
            (
                "response",
                "https://harbour.example/undated",
                "200 OK",
                "text/html",
                article_page("Undated page", STORY.replace("Tuesday", "Monday"), "").replace(
                    b"<meta property='article:published_time' content=''>", b""
                ),
                datetime(2024, 8, 7, 1, 0),
            ),
        ],
    )


def test_html_responses_become_articles_and_the_rest_is_counted(tmp_path):
    options = ReadOptions()
    records = list(read_file(_archive(tmp_path / "crawl.warc.gz"), options))
    articles = [r for r in records if isinstance(r, Article)]
    bad = [r for r in records if isinstance(r, Quarantined)]
    assert [a.url for a in articles] == [
        "https://harbour.example/a",
        "https://harbour.example/undated",
    ]
    first = articles[0]
    assert first.title == "Border crossing reopens"
    assert first.text == STORY.replace("\n\n", "\n")
    assert first.outlet == "Harbour Times"
    # The page says the 6th; the archive's timestamp of that day gives the time.
    assert first.published_at == datetime(2024, 8, 6, 12, 30)
    assert first.location.startswith("byte ")
    # No date in the page: the WARC date is the fallback.
    assert articles[1].published_at == datetime(2024, 8, 7, 1, 0)
    (shell,) = bad
    assert shell.reason.startswith("no article text in the page")
    assert shell.location.startswith("byte ") and shell.location != first.location
    assert options.warc_tally.passed_over == {
        "request records": 1,
        "non-HTML responses": 1,
        "HTTP 404 responses": 1,
    }


def test_uncompressed_warc_reads_the_same(tmp_path):
    gz = [r.id for r in read_file(_archive(tmp_path / "a.warc.gz")) if isinstance(r, Article)]
    plain = [r.id for r in read_file(_archive(tmp_path / "a.warc")) if isinstance(r, Article)]
    assert gz == plain and len(plain) == 2


def _member_ends(data: bytes) -> list[int]:
    """Where each gzip member (one per WARC record) of a .warc.gz ends."""
    ends, start = [], 0
    while start < len(data):
        member = zlib.decompressobj(wbits=31)
        member.decompress(data[start:])
        start = len(data) - len(member.unused_data)
        ends.append(start)
    return ends


# Cuts inside the member of the fourth record (the PNG response, after the first article). A cut
# exactly between two members leaves a shorter archive that is whole: nothing can tell it apart
# (cutting at a fixed fraction of the file landed there about once in 70 archives).
CUTS = {
    "in the record's gzip header": lambda start, end: start + 5,
    "in the middle of the record": lambda start, end: (start + end) // 2,
    "in the record's gzip trailer": lambda start, end: end - 3,
}


@pytest.mark.parametrize("where", CUTS)
def test_truncated_warc_gz_keeps_the_records_before_the_damage(tmp_path, where):
    # warcio itself reads a cut archive without complaint; the damage must still show.
    path = _archive(tmp_path / "cut.warc.gz")
    data = path.read_bytes()
    ends = _member_ends(data)
    assert len(ends) == 6 and ends[-1] == len(data)
    path.write_bytes(data[: CUTS[where](ends[2], ends[3])])
    records = list(read_file(path))
    assert isinstance(records[0], Article) and records[0].url == "https://harbour.example/a"
    last = records[-1]
    assert isinstance(last, Quarantined)
    assert last.reason.startswith("damaged WARC")
    assert "byte " in last.location
    assert sum(isinstance(r, Quarantined) and "damaged" in r.reason for r in records) == 1
