import json
from datetime import date, datetime

from pipelines.ingest.records import Article, Quarantined
from pipelines.ingest.sample import sample_corpus_path
from pipelines.ingest.sources import expand, publication_dates, read_sources, split_by_day


def test_no_sources_means_the_bundled_sample_corpus():
    assert expand([]) == [sample_corpus_path()]
    assert sample_corpus_path().exists()


def test_folders_expand_and_unknown_files_are_quarantined_whole(tmp_path):
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"id": "b", "text": "t", "published_at": "2024-08-07"}) + "\n"
    )
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.jsonl").write_text("ignored")
    records = list(read_sources([tmp_path, tmp_path / "missing.jsonl"]))
    assert [type(r).__name__ for r in records] == ["Quarantined", "Article", "Quarantined"]
    assert "unsupported file type '.pdf'" in records[0].reason
    assert records[2].reason == "file not found"


def test_split_by_day_keeps_undated_quarantine_in_every_day():
    day = date(2024, 8, 6)
    records = [
        Article(id="a", text="t", published_at=datetime(2024, 8, 6, 9)),
        Article(id="b", text="t", published_at=datetime(2024, 8, 7, 9)),
        Quarantined("f", "line 3", "invalid JSON"),
        Quarantined("f", "line 4", "duplicate id", published_date=date(2024, 8, 7)),
    ]
    articles, quarantined = split_by_day(records, day)
    assert [a.id for a in articles] == ["a"]
    assert [q.location for q in quarantined] == ["line 3"]


def test_publication_dates_come_from_articles_and_dated_quarantine(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "text": "t", "published_at": "2024-08-06"}),
                json.dumps({"id": "a", "text": "t", "published_at": "2024-08-09"}),
                "oops",
            ]
        )
    )
    assert publication_dates([path]) == [date(2024, 8, 6), date(2024, 8, 9)]
