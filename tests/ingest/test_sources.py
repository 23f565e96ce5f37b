import json

from pipelines.ingest.sources import expand, read_file


def test_folders_expand_and_unknown_files_are_quarantined_whole(tmp_path):
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"id": "b", "text": "t", "published_at": "2024-08-07"}) + "\n"
    )
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.jsonl").write_text("ignored")
    records = [r for p in expand([tmp_path, tmp_path / "missing.jsonl"]) for r in read_file(p)]
    assert [type(r).__name__ for r in records] == ["Quarantined", "Article", "Quarantined"]
    assert "unsupported file type '.pdf'" in records[0].reason
    assert records[2].reason == "file not found"
