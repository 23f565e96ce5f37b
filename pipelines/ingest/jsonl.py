"""JSONL articles (plain or gzip): one JSON object a line with ``id``, ``text``, ``published_at``
and optionally ``url``, ``outlet``, ``title`` (or their aliases, see ``fields.ALIASES``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.named_fields import SeenIds, article_from_fields
from pipelines.ingest.streams import MAX_RECORD_BYTES, Line, read_lines


def read_jsonl(
    path: str | Path, max_record_bytes: int = MAX_RECORD_BYTES
) -> Iterator[Article | Quarantined]:
    """Yield an Article per good line and a Quarantined record per bad one, in file order.

    Blank lines are skipped; every other line yields exactly one record.
    """
    path = Path(path)
    name = str(path)
    seen = SeenIds()
    for line in read_lines(path, max_record_bytes):
        if isinstance(line, Quarantined):
            yield line
            continue
        if line.too_long:
            yield Quarantined(
                name,
                line.location,
                f"line of {line.too_long} bytes is longer than the {max_record_bytes} byte "
                "record limit",
                Quarantined.clip(line.data),
            )
            continue
        if not line.data.strip():
            continue
        yield _parse(line, name, seen)


def _parse(line: Line, name: str, seen: SeenIds) -> Article | Quarantined:
    where = line.location
    try:
        text = line.data.decode("utf-8")
    except UnicodeDecodeError as err:
        return Quarantined(
            name, where, f"invalid UTF-8 at byte {err.start}", Quarantined.clip(line.data)
        )
    snippet = Quarantined.clip(text.strip())
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        return Quarantined(
            name,
            where,
            f"invalid JSON: {_without_trailing_at(err.msg)} at column {err.colno}",
            snippet,
        )
    except RecursionError:
        return Quarantined(name, where, "invalid JSON: nested too deeply", snippet)
    if not isinstance(obj, dict):
        return Quarantined(
            name, where, f"expected a JSON object, got {type(obj).__name__}", snippet
        )
    return seen.check(article_from_fields(obj, name, where, line.number, snippet), snippet)


def _without_trailing_at(message: str) -> str:
    # Some of json's messages end in "at" already ("Invalid control character at").
    return message.removesuffix(" at")
