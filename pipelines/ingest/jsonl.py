"""JSONL articles: one JSON object a line with ``id``, ``text``, ``published_at`` and optionally
``url``, ``outlet``, ``title``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pipelines.ingest.dates import BadDate, parse_published_at
from pipelines.ingest.records import Article, Quarantined, normalise_text

REQUIRED = ("id", "text", "published_at")


def read_jsonl(path: str | Path) -> Iterator[Article | Quarantined]:
    """Yield an Article per good line and a Quarantined record per bad one, in file order."""
    path = Path(path)
    name = str(path)
    seen: dict[str, int] = {}
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"line {number}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield Quarantined(
                    name, where, f"invalid UTF-8 at byte {err.start}", Quarantined.clip(raw)
                )
                continue
            record = _parse_line(line, name, number)
            if isinstance(record, Article) and record.id in seen:
                record = Quarantined(
                    name,
                    where,
                    f"duplicate id, first seen on line {seen[record.id]}",
                    Quarantined.clip(line),
                    record.id,
                    record.published_date,
                )
            elif isinstance(record, Article):
                seen[record.id] = number
            yield record


def _parse_line(line: str, name: str, number: int) -> Article | Quarantined:
    where = f"line {number}"
    snippet = Quarantined.clip(line)
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return Quarantined(name, where, f"invalid JSON: {err.msg} at column {err.colno}", snippet)
    if not isinstance(obj, dict):
        return Quarantined(
            name, where, f"expected a JSON object, got {type(obj).__name__}", snippet
        )
    record_id = str(obj.get("id") or "").strip()
    missing = [key for key in REQUIRED if not str(obj.get(key) or "").strip()]
    if missing:
        return Quarantined(
            name, where, f"missing or empty: {', '.join(missing)}", snippet, record_id
        )
    if not isinstance(obj["text"], str):
        return Quarantined(name, where, "text is not a string", snippet, record_id)
    try:
        published_at = parse_published_at(obj["published_at"])
    except BadDate as err:
        return Quarantined(name, where, str(err), snippet, record_id)
    text = normalise_text(obj["text"])
    if not text:
        return Quarantined(name, where, "text is empty after normalisation", snippet, record_id)
    return Article(
        id=record_id,
        text=text,
        published_at=published_at,
        title=normalise_text(str(obj.get("title") or "")),
        url=str(obj.get("url") or ""),
        outlet=str(obj.get("outlet") or ""),
        source_file=name,
        source_line=number,
    )
