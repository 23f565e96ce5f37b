"""Broken streams: a truncated gzip gives up the records before the break; an enormous line is
quarantined without being held whole; BOMs and CRLF are tolerated."""

import json
import tracemalloc

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.sources import read_file

from .conftest import gzip_bytes


def _line(i: int) -> str:
    return json.dumps(
        {"id": f"g{i}", "text": f"Story number {i} about talks.", "published_at": "2024-08-06"}
    )


def test_truncated_gzip_keeps_the_records_before_the_break(tmp_path):
    data = "\n".join(_line(i) for i in range(2000)).encode() + b"\n"
    packed = gzip_bytes(data)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) // 2])
    records = list(read_file(path))
    articles = [r for r in records if isinstance(r, Article)]
    *_, last = records
    assert isinstance(last, Quarantined)
    assert sum(isinstance(r, Quarantined) for r in records) == 1
    # Everything before the break went through, in order.
    assert len(articles) > 100
    assert [a.id for a in articles] == [f"g{i}" for i in range(len(articles))]
    read = len(articles)
    assert last.location == f"line {read + 1}, byte {_offset(data, read)}"
    assert last.reason.startswith("truncated gzip stream after line")
    assert "of the file on disk" in last.reason


def _offset(data: bytes, lines: int) -> int:
    return len(b"".join(data.splitlines(keepends=True)[:lines]))


def test_corrupt_gzip_is_quarantined_whole(tmp_path):
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"this is not deflate data" * 10)
    records = list(read_file(path))
    assert all(isinstance(r, Quarantined) for r in records)
    assert "gzip" in records[0].reason


def test_a_50_mb_single_line_is_quarantined_and_its_neighbours_read(tmp_path):
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as out:
        out.write(_line(1).encode() + b"\n")
        out.write(b'{"id": "huge", "text": "')
        chunk = b"word " * 200_000  # 1 MB
        for _ in range(50):
            out.write(chunk)
        out.write(b'", "published_at": "2024-08-06"}\n')
        out.write(_line(2).encode() + b"\n")
    tracemalloc.start()
    records = list(read_file(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [getattr(r, "id", None) for r in records] == ["g1", None, "g2"]
    huge = records[1]
    assert huge.location == "line 2"
    assert "longer than the 8388608 byte record limit" in huge.reason
    assert huge.snippet.startswith('{"id": "huge"')
    # Read in bounded chunks: never the 50 MB line at once.
    assert peak < 30 * 1024 * 1024


def test_bom_and_crlf_are_tolerated(tmp_path):
    path = tmp_path / "windows.csv"
    path.write_bytes(
        b"\xef\xbb\xbfid,text,published_at\r\nw1,Peru closed its border.,2024-08-06\r\n"
    )
    (article,) = read_file(path)
    assert article.id == "w1" and article.text == "Peru closed its border."
