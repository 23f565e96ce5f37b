"""From a record's named fields (a JSON object, a CSV row) to an Article, or the reason it is not
one. JSONL and CSV share these rules, so the same article reads the same way from either."""

from __future__ import annotations

from collections.abc import Mapping

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.record_rules import normalise_text
from pipelines.ingest.timestamps import BadDate, parse_published_at

REQUIRED = ("id", "text", "published_at")

# Column names other tools write for the same thing (CSV exports of scrapers, spreadsheets).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "guid"),
    "text": ("text", "body", "content"),
    "published_at": ("published_at", "published", "date", "publish_date", "pubdate"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "publisher", "sitename"),
}


def canonical_columns(names: list[str]) -> dict[str, int]:
    """Which position holds each field, given a header row; the first matching alias wins."""
    positions = {name.strip().lower(): i for i, name in reversed(list(enumerate(names)))}
    found: dict[str, int] = {}
    for field, aliases in ALIASES.items():
        for alias in aliases:
            if alias in positions:
                found[field] = positions[alias]
                break
    return found


def pick(obj: Mapping[str, object], field: str) -> object:
    for alias in ALIASES[field]:
        if alias in obj:
            return obj[alias]
    return None


def article_from_fields(
    obj: Mapping[str, object], source: str, location: str, number: int, snippet: str
) -> Article | Quarantined:
    """The fields (under their names or aliases) as an Article, or a Quarantined saying why not."""
    values = {field: pick(obj, field) for field in ALIASES}
    record_id = str(values["id"] or "").strip()
    missing = [key for key in REQUIRED if not str(values[key] or "").strip()]
    if missing:
        return Quarantined(
            source, location, f"missing or empty: {', '.join(missing)}", snippet, record_id
        )
    if not isinstance(values["text"], str):
        return Quarantined(source, location, "text is not a string", snippet, record_id)
    try:
        published_at = parse_published_at(values["published_at"])
    except BadDate as err:
        return Quarantined(source, location, str(err), snippet, record_id)
    text = normalise_text(values["text"])
    if not text:
        return Quarantined(
            source,
            location,
            "text is empty after normalisation",
            snippet,
            record_id,
            published_at.date(),
        )
    return Article(
        id=record_id,
        text=text,
        published_at=published_at,
        title=normalise_text(str(values["title"] or "")),
        url=str(values["url"] or "").strip(),
        outlet=normalise_text(str(values["outlet"] or "")),
        source_file=source,
        source_line=number,
        location=location,
    )


class SeenIds:
    """Ids already read from one file: a second record with the same id is quarantined."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}

    def check(self, record: Article | Quarantined, snippet: str) -> Article | Quarantined:
        if not isinstance(record, Article):
            return record
        first = self._first.get(record.id)
        if first is None:
            self._first[record.id] = record.where
            return record
        return Quarantined(
            record.source_file,
            record.where,
            f"duplicate id, first seen on {first}",
            snippet,
            record.id,
            record.published_date,
        )
