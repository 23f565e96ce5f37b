"""Every reader on its good and bad fixtures: what comes out as articles, what is quarantined and
where, and that the records around a bad one go through."""

import shutil
from datetime import date, datetime

import pytest

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.sources import read_file

from .conftest import gzip_bytes


def _split(records):
    articles = [r for r in records if isinstance(r, Article)]
    bad = {r.location: r for r in records if isinstance(r, Quarantined)}
    return articles, bad


def test_csv_rows_multiline_fields_ragged_rows_and_duplicate_ids(fixtures):
    articles, bad = _split(list(read_file(fixtures / "articles.csv")))
    assert [a.id for a in articles] == ["csv-1", "csv-2", "csv-6"]
    assert articles[1].text == (
        "Nigeria's foreign minister met his Ghanaian counterpart in Abuja.\n\n"
        "The two discussed trade and regional security."
    )
    assert articles[1].location == "lines 3-5"
    assert articles[0].outlet == "Sahel Wire" and articles[0].title == "Niger cuts ties"
    assert bad["line 6"].reason == "row has 6 fields, the header has 5"
    assert bad["line 7"].reason == "row has 4 fields, the header has 5"
    assert bad["line 8"].reason == "missing or empty: text" and bad["line 8"].record_id == "csv-5"
    assert bad["line 9"].reason == "duplicate id, first seen on line 2"
    assert bad["line 9"].published_date == date(2024, 8, 7)
    assert "csv-3" in bad["line 6"].snippet


def test_tsv_and_column_aliases(fixtures):
    (tsv,) = read_file(fixtures / "articles.tsv")
    assert tsv.id == "tsv-1" and tsv.published_at == datetime(2024, 8, 6)
    (alias,) = read_file(fixtures / "aliases.csv")
    assert alias.id == "alias-1" and alias.url == "https://news.example/alias-1"


def test_csv_invalid_utf8_row_is_quarantined_and_neighbours_read(fixtures):
    articles, bad = _split(list(read_file(fixtures / "invalid_utf8.csv")))
    assert [a.id for a in articles] == ["ok-1", "ok-2"]
    assert bad["line 3"].reason == "invalid UTF-8 in column 'text'"


def test_csv_without_the_required_columns_is_quarantined_whole(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("name,body\na,b\n")
    (record,) = read_file(path)
    assert record.location == "line 1"
    assert "header row lacks the column(s) id, published_at" in record.reason


def test_text_with_header_and_with_a_date_in_its_name(fixtures):
    (article,) = read_file(fixtures / "article.txt")
    assert article.title == "Kenya deploys police to Haiti"
    assert article.outlet == "Nairobi Standard"
    assert article.url == "https://news.example/kenya-haiti"
    assert article.published_at == datetime(2024, 8, 6, 7, 15)
    assert article.text.startswith("Kenya deployed a second contingent of police officers")
    assert article.id.startswith("txt-")
    (untitled,) = read_file(fixtures / "2024-08-07-untitled.txt")
    assert untitled.title == "Brazil recalls ambassador"
    assert untitled.published_at == datetime(2024, 8, 7)
    assert untitled.text.startswith("Brazil recalled its ambassador")


def test_text_without_a_date_is_quarantined(fixtures):
    (record,) = read_file(fixtures / "undated.txt")
    assert isinstance(record, Quarantined)
    assert record.reason.startswith("no publication date")


def test_text_with_invalid_utf8_is_quarantined_with_the_byte(tmp_path):
    path = tmp_path / "2024-08-06-bad.txt"
    path.write_bytes(b"Tunis caf\xe9 owners protested.")
    (record,) = read_file(path)
    assert isinstance(record, Quarantined)
    assert record.reason == "invalid UTF-8 at byte 9" and record.location == "byte 9"


def test_html_page_becomes_clean_text_with_title_date_and_outlet(fixtures):
    (article,) = read_file(fixtures / "page.html")
    assert article.title == "Niger severs ties with Ukraine"
    assert article.outlet == "Sahel Times"
    assert article.published_date == date(2024, 8, 6)
    assert article.url == "https://saheltimes.example/2024/08/06/niger-ukraine"
    assert article.text.startswith("Niger's military government severed diplomatic relations")
    for boilerplate in ("Home", "window.analytics", "Copyright", "display: flex"):
        assert boilerplate not in article.text


@pytest.mark.parametrize("name", ["no_body.html", "scripts_only.html"])
def test_html_without_article_text_is_quarantined(fixtures, name):
    (record,) = read_file(fixtures / name)
    assert isinstance(record, Quarantined)
    assert record.location == "file"
    assert record.reason.startswith("no article text in the page")


def test_html_gz_reads_like_html(fixtures, tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip_bytes((fixtures / "page.html").read_bytes()))
    (article,) = read_file(path)
    assert article.title == "Niger severs ties with Ukraine"


def test_rss_entries_with_content_summary_and_missing_parts(fixtures):
    articles, bad = _split(list(read_file(fixtures / "feed.rss")))
    assert [a.title for a in articles] == ["Mali and Algeria hold talks", "Senegal protests"]
    mali = articles[0]
    assert mali.text == (
        "Mali's foreign minister met his Algerian counterpart in Algiers on Wednesday.\n"
        "They discussed the security of their shared border."
    )
    assert mali.outlet == "Continental Post"
    assert mali.published_at == datetime(2024, 8, 7, 9)
    assert mali.url == "https://continentalpost.example/2024/08/07/mali-algeria"
    assert mali.location == "entry 1" and mali.source_line == 1
    assert bad["entry 3"].reason.startswith("entry has no text")
    assert bad["entry 3"].published_date == date(2024, 8, 6)
    assert bad["entry 4"].reason == "entry has no publication date"


def test_atom_entry_dates_are_utc(fixtures):
    (article,) = read_file(fixtures / "feed.atom")
    assert article.published_at == datetime(2024, 8, 6, 17, 30)
    assert (
        article.text
        == "Fiji and Australia signed a policing cooperation agreement in Suva on Wednesday."
    )
    assert article.outlet == "Pacific Ledger"


def test_xml_that_is_not_a_feed_is_quarantined(fixtures):
    (record,) = read_file(fixtures / "not_a_feed.xml")
    assert isinstance(record, Quarantined)
    assert record.reason.startswith("not a readable RSS or Atom feed")


@pytest.mark.parametrize("name", ["empty.jsonl", "empty.csv", "empty.html", "empty.rss"])
def test_empty_files_are_reported_not_skipped(fixtures, name):
    (record,) = read_file(fixtures / name)
    assert isinstance(record, Quarantined)
    assert record.reason == "empty file: no records in it"


def test_empty_gzip_and_blank_only_files_are_reported(tmp_path):
    empty_gz = tmp_path / "nothing.jsonl.gz"
    empty_gz.write_bytes(gzip_bytes(b""))
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n  \n\n")
    for path in (empty_gz, blank):
        (record,) = read_file(path)
        assert record.reason == "empty file: no records in it"


def test_every_gz_format_is_read_by_its_inner_name(fixtures, tmp_path):
    for name in ("articles.csv", "article.txt", "feed.rss"):
        plain = list(read_file(fixtures / name))
        packed = tmp_path / f"{name}.gz"
        packed.write_bytes(gzip_bytes((fixtures / name).read_bytes()))
        assert [type(r) for r in read_file(packed)] == [type(r) for r in plain]


def test_gzip_is_recognised_by_its_bytes_not_its_name(fixtures, tmp_path):
    shutil.copy(fixtures / "article.txt", tmp_path / "plain.txt")
    packed = tmp_path / "packed.txt"
    packed.write_bytes(gzip_bytes((fixtures / "article.txt").read_bytes()))
    assert next(read_file(packed)).text == next(read_file(tmp_path / "plain.txt")).text
