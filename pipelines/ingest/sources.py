"""Source files to Articles and Quarantined records.

A source is a file or a folder of files; each file goes to the reader for its format, chosen by
its name (``.gz`` of any of them too). A file that no reader understands is quarantined as a
whole, and so is a file with no records at all: nothing is skipped in silence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.delimited import read_csv
from pipelines.ingest.feeds import read_feed_file
from pipelines.ingest.fetch import Fetcher
from pipelines.ingest.jsonl import read_jsonl
from pipelines.ingest.plaintext import read_text
from pipelines.ingest.streams import MAX_RECORD_BYTES, format_suffix
from pipelines.ingest.warc import WarcTally, read_warc
from pipelines.ingest.webpage import read_html


@dataclass
class ReadOptions:
    max_record_bytes: int = MAX_RECORD_BYTES
    fetch_pages: bool = False  # for feed files: fetch the page each entry links to
    fetcher: Fetcher | None = None
    warc_tally: WarcTally = field(default_factory=WarcTally)


Reader = Callable[[Path, ReadOptions], Iterator[Article | Quarantined]]

READERS: dict[str, Reader] = {
    ".jsonl": lambda p, o: read_jsonl(p, o.max_record_bytes),
    ".ndjson": lambda p, o: read_jsonl(p, o.max_record_bytes),
    ".csv": lambda p, o: read_csv(p, o.max_record_bytes),
    ".tsv": lambda p, o: read_csv(p, o.max_record_bytes),
    ".txt": lambda p, o: read_text(p, o.max_record_bytes),
    ".html": lambda p, o: read_html(p, o.max_record_bytes),
    ".htm": lambda p, o: read_html(p, o.max_record_bytes),
    ".rss": lambda p, o: read_feed_file(p, o.fetcher, o.fetch_pages),
    ".atom": lambda p, o: read_feed_file(p, o.fetcher, o.fetch_pages),
    ".rdf": lambda p, o: read_feed_file(p, o.fetcher, o.fetch_pages),
    ".xml": lambda p, o: read_feed_file(p, o.fetcher, o.fetch_pages),
    ".warc": lambda p, o: read_warc(p, o.max_record_bytes, o.warc_tally),
}


def expand(sources: Iterable[str | Path]) -> list[Path]:
    """Files named by the sources (folders expanded, sorted).

    In a folder, files and folders whose names begin with a dot are passed over (``hidden_files``
    counts them): editors' swap files and transfers in progress (rsync's ``.name.XXXXXX``)."""
    files: list[Path] = []
    for path in map(Path, sources):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path)))
        else:
            files.append(path)
    return files


def hidden_files(sources: Iterable[str | Path]) -> list[Path]:
    """The files ``expand`` passes over in the folders among the sources."""
    hidden: list[Path] = []
    for path in map(Path, sources):
        if path.is_dir():
            hidden.extend(sorted(p for p in path.rglob("*") if p.is_file() and _hidden(p, path)))
    return hidden


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(folder).parts)


def read_file(path: Path, options: ReadOptions | None = None) -> Iterator[Article | Quarantined]:
    options = options or ReadOptions()
    if not path.exists():
        yield Quarantined(str(path), "file", "file not found")
        return
    reader = READERS.get(format_suffix(path))
    if reader is None:
        known = ", ".join(sorted(READERS))
        yield Quarantined(
            str(path),
            "file",
            f"unsupported file type {format_suffix(path)!r} (known: {known}, and .gz of each)",
        )
        return
    records = 0
    try:
        for record in reader(path, options):
            records += 1
            yield record
    except OSError as err:
        # The records read so far went through; the rest of the file is set aside with the reason.
        records += 1
        yield Quarantined(str(path), "file", f"could not read the file: {err}")
    if records == 0:
        yield Quarantined(str(path), "file", "empty file: no records in it")
