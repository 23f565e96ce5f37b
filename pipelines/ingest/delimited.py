"""CSV and TSV articles (plain or gzip): a header row naming the columns (``id``, ``text``,
``published_at``, optionally ``title``, ``url``, ``outlet``, or their aliases), then one article a
row. Quoted fields may span lines, as spreadsheet and pandas exports write article text.

Every row yields one record: a row with more or fewer fields than the header, bytes that are not
UTF-8, or a missing field is quarantined with its line, and the rows around it go through.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.named_fields import REQUIRED, SeenIds, article_from_fields, canonical_columns
from pipelines.ingest.streams import MAX_RECORD_BYTES, format_suffix, read_lines

DELIMITERS = {".csv": ",", ".tsv": "\t"}


def read_csv(
    path: str | Path, max_record_bytes: int = MAX_RECORD_BYTES, delimiter: str | None = None
) -> Iterator[Article | Quarantined]:
    path = Path(path)
    name = str(path)
    if delimiter is None:
        delimiter = DELIMITERS.get(format_suffix(path), ",")
    if csv.field_size_limit() < max_record_bytes:
        csv.field_size_limit(max_record_bytes)

    # Lines go to the csv module as text; what is not a line (a line too long to read, the
    # break of a truncated gzip) waits here and comes out in file order after the row it follows.
    aside: deque[Quarantined] = deque()

    def text_lines() -> Iterator[str]:
        for line in read_lines(path, max_record_bytes):
            if isinstance(line, Quarantined):
                aside.append(line)
                return
            if line.too_long:
                aside.append(
                    Quarantined(
                        name,
                        line.location,
                        f"line of {line.too_long} bytes is longer than the {max_record_bytes} "
                        "byte record limit",
                        Quarantined.clip(line.data),
                    )
                )
                yield "\n"
                continue
            # surrogateescape keeps undecodable bytes visible to the row check below.
            yield line.data.decode("utf-8", errors="surrogateescape")

    reader = csv.reader(text_lines(), delimiter=delimiter, strict=False)
    header: list[str] | None = None
    columns: dict[str, int] = {}
    seen = SeenIds()
    last_line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            first, last_line = last_line + 1, reader.line_num
            yield Quarantined(name, _lines(first, last_line), f"unreadable CSV: {err}")
            yield from _drain(aside)
            continue
        first, last_line = last_line + 1, reader.line_num
        where = _lines(first, last_line)
        snippet = Quarantined.clip(delimiter.join(row).encode("utf-8", "surrogateescape"))
        yield from _drain(aside)
        if not any(field.strip() for field in row):
            continue
        if header is None:
            header = row
            columns = canonical_columns(row)
            missing = [f for f in REQUIRED if f not in columns]
            if missing:
                yield Quarantined(
                    name,
                    where,
                    f"header row lacks the column(s) {', '.join(missing)}: the file cannot be read",
                    snippet,
                )
                for _ in reader:  # every row is unreadable without those columns
                    pass
                yield from _drain(aside)
                return
            continue
        yield _row_record(row, header, columns, name, where, first, snippet, seen)
    yield from _drain(aside)


def _row_record(row, header, columns, name, where, first, snippet, seen) -> Article | Quarantined:
    if len(row) != len(header):
        return Quarantined(
            name, where, f"row has {len(row)} fields, the header has {len(header)}", snippet
        )
    bad = next((i for i, value in enumerate(row) if _has_undecodable(value)), None)
    if bad is not None:
        return Quarantined(name, where, f"invalid UTF-8 in column {header[bad]!r}", snippet)
    fields = {field: row[i] for field, i in columns.items()}
    return seen.check(article_from_fields(fields, name, where, first, snippet), snippet)


def _has_undecodable(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def _lines(first: int, last: int) -> str:
    return f"line {first}" if last <= first else f"lines {first}-{last}"


def _drain(aside: deque[Quarantined]) -> Iterator[Quarantined]:
    while aside:
        yield aside.popleft()
