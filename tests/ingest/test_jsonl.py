import json
from datetime import date, datetime

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.jsonl import read_jsonl


def _good(i: int, **extra) -> str:
    record = {"id": f"a{i}", "text": f"Story {i}.", "published_at": "2024-08-06T10:00:00Z"}
    record.update(extra)
    return json.dumps(record)


def _write(tmp_path, lines: list[str | bytes]):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(x if isinstance(x, bytes) else x.encode() for x in lines) + b"\n")
    return path


def test_bad_lines_are_quarantined_and_their_neighbours_read(tmp_path):
    path = _write(
        tmp_path,
        [
            _good(1),
            "{not json",
            b'{"id": "x", "text": "caf\xe9", "published_at": "2024-08-06"}',
            "[1, 2]",
            json.dumps({"id": "m", "published_at": "2024-08-06"}),
            json.dumps({"id": "d", "text": "t", "published_at": "last Tuesday"}),
            json.dumps({"id": "e", "text": " \u0000 ", "published_at": "2024-08-06"}),
            _good(1),
            "",
            _good(2),
        ],
    )
    records = list(read_jsonl(path))
    articles = [r for r in records if isinstance(r, Article)]
    bad = {r.location: r for r in records if isinstance(r, Quarantined)}
    assert [a.id for a in articles] == ["a1", "a2"]
    assert [a.source_line for a in articles] == [1, 10]
    assert "invalid JSON" in bad["line 2"].reason
    assert "invalid UTF-8" in bad["line 3"].reason
    assert "expected a JSON object" in bad["line 4"].reason
    assert "missing or empty: text" in bad["line 5"].reason and bad["line 5"].record_id == "m"
    assert "not an ISO 8601" in bad["line 6"].reason
    assert "empty after normalisation" in bad["line 7"].reason
    assert "duplicate id, first seen on line 1" in bad["line 8"].reason
    assert bad["line 8"].published_date == date(2024, 8, 6)
    assert all(r.source_file == str(path) for r in bad.values())
    assert str(bad["line 2"]).startswith(f"{path}, line 2: invalid JSON")


def test_timestamps_become_naive_utc_and_text_is_normalised(tmp_path):
    path = _write(
        tmp_path,
        [_good(1, published_at="2024-08-06T23:30:00-05:00", text="Cafe\u0301  talks\r\n\n\n next")],
    )
    (article,) = read_jsonl(path)
    assert article.published_at == datetime(2024, 8, 7, 4, 30)
    assert article.published_date == date(2024, 8, 7)
    assert article.text == "Caf\u00e9 talks\n\nnext"
    assert len(article.content_hash) == 32


def test_a_raw_control_character_is_reported_in_plain_words(tmp_path):
    path = tmp_path / "cut.jsonl"
    path.write_text('{"id": "c", "text": "a\tb", "published_at": "2024-08-06"}\n', "utf-8")
    (bad,) = list(read_jsonl(path))
    assert bad.reason == "invalid JSON: Invalid control character at column 23"
