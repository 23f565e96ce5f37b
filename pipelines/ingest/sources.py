"""Read every configured source into Articles and Quarantined records.

A source is a file or a folder of files; each file goes to the reader for its format. A file
that no reader understands is quarantined as a whole, never skipped in silence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

from pipelines.ingest.jsonl import read_jsonl
from pipelines.ingest.records import Article, Quarantined
from pipelines.ingest.sample import sample_corpus_path

Reader = Callable[[Path], Iterator[Article | Quarantined]]

READERS: dict[str, Reader] = {
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
}


def expand(sources: Iterable[str | Path]) -> list[Path]:
    """Files named by the sources (folders expanded, sorted); the sample corpus when none."""
    paths = [Path(s) for s in sources] or [sample_corpus_path()]
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            )
        else:
            files.append(path)
    return files


def read_file(path: Path) -> Iterator[Article | Quarantined]:
    if not path.exists():
        yield Quarantined(str(path), "file", "file not found")
        return
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        yield Quarantined(
            str(path), "file", f"unsupported file type {path.suffix!r} (known: {known})"
        )
        return
    try:
        yield from reader(path)
    except OSError as err:
        # The records read so far went through; the rest of the file is set aside with the reason.
        yield Quarantined(str(path), "file", f"could not read the file: {err}")


def read_sources(sources: Iterable[str | Path]) -> Iterator[Article | Quarantined]:
    for path in expand(sources):
        yield from read_file(path)


def split_by_day(
    records: Iterable[Article | Quarantined], day: date
) -> tuple[list[Article], list[Quarantined]]:
    """The day's articles, and the quarantined records of that day or of no readable day."""
    articles: list[Article] = []
    quarantined: list[Quarantined] = []
    for record in records:
        if isinstance(record, Article):
            if record.published_date == day:
                articles.append(record)
        elif record.published_date in (None, day):
            quarantined.append(record)
    return articles, quarantined


def publication_dates(sources: Iterable[str | Path]) -> list[date]:
    """Every publication date present in the sources: the partitions worth materialising."""
    days = {
        record.published_date
        for record in read_sources(sources)
        if record.published_date is not None
    }
    return sorted(days)
