"""The landing area: every format from one inbox in one run, each file read once, changed files
replacing what they landed, ids unique across files, other languages set aside visibly."""

import json
import os
import shutil
from datetime import UTC, date, datetime, timedelta

import pytest

from pipelines.ingest import language, part_pool, screening
from pipelines.ingest.config import SourcesConfig, load, parse
from pipelines.ingest.landing import Ingestor
from pipelines.ingest.landing_area import Landing
from pipelines.ingest.record_rules import MAX_ARTICLE_CHARS
from pipelines.ingest.sample import sample_corpus_path

from .conftest import article_page, gzip_bytes, write_warc

DAY6, DAY7 = date(2024, 8, 6), date(2024, 8, 7)


def _ingest(home, inbox, **kw):
    config = SourcesConfig(inbox=inbox, use_sample_when_empty=False, **kw)
    return Ingestor(home / "landing", config).run()


def _line(article_id, text, day="2024-08-06T10:00:00Z", **extra):
    return json.dumps({"id": article_id, "text": text, "published_at": day, **extra})


@pytest.fixture
def inbox(tmp_path, fixtures):
    box = tmp_path / "inbox"
    box.mkdir()
    for name in (
        "articles.csv",
        "articles.tsv",
        "article.txt",
        "page.html",
        "scripts_only.html",
        "feed.rss",
        "feed.atom",
        "billion_laughs.rss",
        "languages.jsonl",
        "empty.jsonl",
    ):
        shutil.copy(fixtures / name, box / name)
    (box / "sample.jsonl.gz").write_bytes(gzip_bytes(sample_corpus_path().read_bytes()))
    write_warc(
        box / "crawl.warc.gz",
        [
            (
                "response",
                "https://harbour.example/peru",
                "200 OK",
                "text/html",
                article_page(
                    "Peru closes border", "Peru closed its border with Bolivia on Tuesday."
                ),
                None,
            )
        ],
    )
    return box


def test_every_format_lands_from_the_inbox_in_one_run(tmp_path, inbox):
    report = _ingest(tmp_path, inbox)
    assert report.files_read == 12
    landing = Landing(tmp_path / "landing")
    day6 = landing.day_articles(DAY6)
    sources = {os.path.basename(s) for s in day6["source_file"]}
    assert {
        "articles.csv",
        "articles.tsv",
        "article.txt",
        "page.html",
        "feed.rss",
        "sample.jsonl.gz",
        "crawl.warc.gz",
        "languages.jsonl",
    } <= sources
    # The Atom entry of 03:30 on the 7th at +10:00 is the 6th in UTC.
    assert "feed.atom" in sources
    assert {"articles.csv", "feed.rss"} <= {
        os.path.basename(s) for s in landing.day_articles(DAY7)["source_file"]
    }
    assert set(day6["language"]) == {"en"}
    quarantine = landing.day_quarantine(DAY6)
    reasons = dict(
        zip(quarantine["source_file"].map(os.path.basename), quarantine["reason"], strict=False)
    )
    assert reasons["scripts_only.html"].startswith("no article text")
    assert reasons["billion_laughs.rss"].startswith("feed declares XML entities")
    assert reasons["empty.jsonl"] == "empty file: no records in it"
    assert report.reasons["language fr"] == 1
    assert report.set_aside_languages == {"fr": 1}
    assert DAY6 in report.days and DAY7 in report.days


def test_non_english_articles_are_set_aside_visibly(tmp_path, inbox):
    _ingest(tmp_path, inbox)
    landing = Landing(tmp_path / "landing")
    quarantine = landing.day_quarantine(DAY6)
    (french,) = quarantine[quarantine["record_id"] == "fr-1"].itertuples()
    assert french.reason.startswith("language fr: set aside, not coded")
    assert french.published_date == DAY6
    assert "fr-1" not in set(landing.day_articles(DAY6)["article_id"])
    # Short plain English that a detector alone takes for Nigerian Pidgin stays in.
    assert "en-1" in set(landing.day_articles(DAY6)["article_id"])


def test_a_landing_frees_the_language_model_when_it_is_done(tmp_path, inbox):
    # dyadflow run forks its coding workers after landing: they must not carry the model.
    report = _ingest(tmp_path, inbox)
    assert report.set_aside_languages  # the model was used
    assert language._identifier.cache_info().currsize == 0
    assert language.detect("Niger severed diplomatic ties with Ukraine on Tuesday.").keep


def test_a_file_seen_twice_is_not_ingested_twice(tmp_path, inbox):
    first = _ingest(tmp_path, inbox)
    again = _ingest(tmp_path, inbox)
    assert again.files_read == 0 and again.articles == 0
    assert again.files_unchanged == first.files_read
    # Touched but unchanged: its new time is noted, its content not read again.
    os.utime(inbox / "article.txt")
    touched = _ingest(tmp_path, inbox)
    assert touched.files_read == 0 and touched.files_touched == 1
    # The same content under another name is not read either.
    shutil.copy(inbox / "page.html", inbox / "page-copy.html")
    copied = _ingest(tmp_path, inbox)
    assert copied.files_read == 0 and copied.files_same_content == 1
    landing = Landing(tmp_path / "landing")
    assert landing.day_articles(DAY6)["article_id"].is_unique


def test_a_changed_file_replaces_what_it_landed(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    path = box / "wire.jsonl"
    path.write_text(
        _line("w1", "Ghana and Togo agreed to reopen their border.")
        + "\n"
        + _line("w2", "Kenya sent police to Haiti.", "2024-08-07")
        + "\n"
    )
    _ingest(tmp_path, box)
    path.write_text(
        _line("w1", "Ghana and Togo agreed to reopen their border on Monday.")
        + "\n"
        + _line("w3", "Chad expelled a French diplomat.")
        + "\n"
    )
    report = _ingest(tmp_path, box)
    assert report.files_read == 1
    assert report.days == {DAY6, DAY7}  # the day w2 left is rebuilt too
    landing = Landing(tmp_path / "landing")
    assert list(landing.day_articles(DAY6)["article_id"]) == ["w1", "w3"]
    assert "on Monday" in landing.day_articles(DAY6)["text"][0]
    assert landing.day_articles(DAY7).empty


def test_an_id_already_ingested_from_another_file_is_quarantined(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    (box / "a.jsonl").write_text(_line("same", "Egypt hosted talks on Gaza.") + "\n")
    (box / "b.jsonl").write_text(_line("same", "Jordan closed its airspace.") + "\n")
    _ingest(tmp_path, box)
    landing = Landing(tmp_path / "landing")
    assert list(landing.day_articles(DAY6)["text"]) == ["Egypt hosted talks on Gaza."]
    (row,) = landing.day_quarantine(DAY6).itertuples()
    assert row.source_file.endswith("b.jsonl") and row.location == "line 1"
    assert row.reason.startswith("duplicate id: already ingested from") and "a.jsonl" in row.reason


def test_an_article_over_the_length_limit_is_quarantined_and_the_day_lands(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    paragraph = "Egypt hosted talks on Gaza with Qatar and the United States.\n\n"
    huge = paragraph * (MAX_ARTICLE_CHARS // len(paragraph) + 1)
    lines = [_line("short", "Jordan closed its airspace."), _line("huge", huge)]
    (box / "day.jsonl").write_text("\n".join(lines) + "\n")
    _ingest(tmp_path, box)
    landing = Landing(tmp_path / "landing")
    assert list(landing.day_articles(DAY6)["article_id"]) == ["short"]
    (row,) = landing.day_quarantine(DAY6).itertuples()
    assert (row.location, row.record_id) == ("line 2", "huge")
    assert row.reason == (
        f"text of {len(huge.strip()):,} characters is over the limit of {MAX_ARTICLE_CHARS:,}"
    )


def test_the_manifest_tells_the_days_of_each_source(tmp_path, inbox):
    _ingest(tmp_path, inbox)
    landing = Landing(tmp_path / "landing")
    assert landing.days_of([str((inbox / "feed.atom").resolve())]) == [DAY6]
    assert landing.days_of([str((inbox / "feed.rss").resolve())]) == [DAY6, DAY7]
    assert len(landing.batches()) == 1


def test_no_sources_means_the_sample_corpus_and_the_example_file_parses(tmp_path):
    config = load(tmp_path)
    assert config.file_paths() == [sample_corpus_path()]
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "x.jsonl").write_text(_line("x", "Text."))
    assert [p.name for p in load(tmp_path).file_paths()] == ["x.jsonl"]
    example = sample_corpus_path().parents[1] / "sources.example.yaml"
    config = load(tmp_path, example)
    assert config.inbox == example.parent / "inbox"
    assert [f.location for f in config.feed_urls()] == [
        "https://feeds.example.org/world.rss",
        "https://news.example.net/atom.xml",
    ]
    assert config.feed_urls()[1].fetch_pages
    assert config.fetch.min_interval_seconds == 1.0
    with pytest.raises(ValueError, match="unknown setting"):
        parse({"inbx": "x"}, tmp_path, tmp_path)


@pytest.mark.slow
def test_a_landing_screened_on_worker_processes_lands_the_same(tmp_path, inbox, monkeypatch):
    # Small batches, so that this inbox's files (all formats, other languages, the sample's
    # copies and bad records) go through the workers of a large landing, in several batches.
    monkeypatch.setattr(part_pool, "SCREEN_BATCH", 16)
    monkeypatch.setattr(screening, "MIN_BATCH", 2)
    started = []
    start = screening.Screener._start
    monkeypatch.setattr(
        screening.Screener, "_start", lambda self: started.append(self.processes) or start(self)
    )
    landed = {}
    for processes in (1, 2):
        monkeypatch.setenv("DYADFLOW_PROCESSES", str(processes))
        home = tmp_path / f"home{processes}"
        report = _ingest(home, inbox)
        landing = Landing(home / "landing")
        landed[processes] = (
            report.articles,
            report.quarantined,
            dict(report.set_aside_languages),
            {
                day: (
                    landing.day_articles(day).to_dict("records"),
                    landing.day_quarantine(day).to_dict("records"),
                )
                for day in sorted(report.days)
            },
        )
    assert started == [2]  # one pool of two workers, for the second landing only
    assert landed[2][2] == {"fr": 1}
    assert landed[1] == landed[2]


def test_articles_outside_the_days_held_are_quarantined_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("DYADFLOW_START_DATE", "2024-07-01")
    today = datetime.now(UTC).date()
    box = tmp_path / "inbox"
    box.mkdir()
    dates = {
        "in": "2024-08-06T10:00:00Z",
        "today": f"{today}T00:00:00Z",
        "y1900": "1900-01-01",
        "y2999": "2999-01-01T00:00:00Z",
        "y9999": "9999-12-31",
        "overflow": "9999-12-31T23:00:00-05:00",
        "day-before-start": "2024-06-30T23:59:59Z",
        "tomorrow": f"{today + timedelta(days=1)}T00:00:00Z",
    }
    (box / "dates.jsonl").write_text(
        "".join(
            _line(key, f"Ghana and Togo met ({key}).", when) + "\n" for key, when in dates.items()
        )
    )
    report = _ingest(tmp_path, box)
    assert (report.articles, report.quarantined) == (2, 6)
    landing = Landing(tmp_path / "landing")
    quarantine = landing.day_quarantine(DAY6)
    reasons = dict(zip(quarantine["record_id"], quarantine["reason"], strict=True))
    reasons["overflow"] = quarantine.set_index("location")["reason"]["line 6"]
    for key in ("y1900", "day-before-start"):
        assert "before the first day held (DYADFLOW_START_DATE=2024-07-01)" in reasons[key]
    for key in ("y2999", "y9999", "tomorrow"):
        assert f"after today ({today})" in reasons[key]
    assert "out of range" in reasons["overflow"]
    assert set(landing.day_articles(DAY6)["article_id"]) == {"in"}
    assert set(landing.day_articles(today)["article_id"]) == {"today"}
    # Only the days held are announced.
    assert landing.days_of([str((box / "dates.jsonl").resolve())]) == sorted({DAY6, today})


def test_hidden_files_in_a_folder_are_skipped_and_counted(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    (box / "wire.jsonl").write_text(_line("w1", "Ghana and Togo agreed to reopen their border."))
    for name in (".hidden.jsonl", "..evil.jsonl"):
        (box / name).write_text(_line(name, "Kenya sent police to Haiti."))
    report = _ingest(tmp_path, box)
    assert report.files_read == 1
    assert sorted(p.name for p in report.hidden_skipped) == ["..evil.jsonl", ".hidden.jsonl"]
