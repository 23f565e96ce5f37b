"""Plain-text articles: one article a file (``.txt``, plain or gzip).

An optional header block comes first, one ``Key: value`` a line, ended by a blank line::

    Title: Niger cuts ties with Ukraine
    Date: 2024-08-06T10:00:00Z
    URL: https://news.example/niger-ukraine
    Outlet: Sahel Wire

    Niger's military junta severed diplomatic ties with Ukraine on Tuesday...

Keys (any case): id, title, date (or published, published_at), url, outlet (or source). Without a
header the first line is the title when it is short and a blank line follows it. The publication
date comes from the header, else from a YYYY-MM-DD in the file name; a text with neither is
quarantined, since it cannot be placed in a day.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.record_rules import derived_id, normalise_text
from pipelines.ingest.streams import MAX_RECORD_BYTES, read_document
from pipelines.ingest.timestamps import BadDate, date_in_name, parse_published_at

HEADER_KEYS = {
    "id": "id",
    "title": "title",
    "headline": "title",
    "date": "date",
    "published": "date",
    "published_at": "date",
    "url": "url",
    "link": "url",
    "outlet": "outlet",
    "source": "outlet",
}
MAX_TITLE_CHARS = 300


def read_text(
    path: str | Path, max_record_bytes: int = MAX_RECORD_BYTES
) -> Iterator[Article | Quarantined]:
    path = Path(path)
    name = str(path)
    data = read_document(path, max_record_bytes)
    if isinstance(data, Quarantined):
        yield data
        return
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as err:
        yield Quarantined(
            name, f"byte {err.start}", f"invalid UTF-8 at byte {err.start}", Quarantined.clip(data)
        )
        return
    raw = raw.replace("\r\n", "\n")
    if not raw.strip():
        return  # an empty file holds no record; read_file reports it
    header, body = split_header(raw)
    snippet = Quarantined.clip(raw.strip())
    title = header.get("title", "")
    if not header:
        title, body = _title_line(body)
    text = normalise_text(body)
    url = header.get("url", "")
    record_id = header.get("id") or derived_id("txt", url or raw)
    published = None
    if "date" in header:
        try:
            published = parse_published_at(header["date"])
        except BadDate as err:
            yield Quarantined(name, "file", f"header Date: {err}", snippet, record_id)
            return
    published = published or date_in_name(path.name)
    if published is None:
        yield Quarantined(
            name,
            "file",
            "no publication date: add a 'Date:' header line or a YYYY-MM-DD in the file name",
            snippet,
            record_id,
        )
        return
    if not text:
        yield Quarantined(
            name, "file", "text is empty after normalisation", snippet, record_id, published.date()
        )
        return
    yield Article(
        id=record_id,
        text=text,
        published_at=published,
        title=normalise_text(title),
        url=url,
        outlet=header.get("outlet", ""),
        source_file=name,
        source_line=1,
        location="file",
    )


def split_header(raw: str) -> tuple[dict[str, str], str]:
    """The ``Key: value`` lines before the first blank line, when every one is a known key."""
    lines = raw.lstrip("\n").split("\n")
    header: dict[str, str] = {}
    for i, line in enumerate(lines):
        if not line.strip():
            return (header, "\n".join(lines[i + 1 :])) if header else ({}, raw)
        key, sep, value = line.partition(":")
        field = HEADER_KEYS.get(key.strip().lower())
        if not sep or field is None:
            return {}, raw
        header[field] = value.strip()
    return {}, raw


def _title_line(body: str) -> tuple[str, str]:
    head, sep, rest = body.strip().partition("\n")
    followed_by_blank = sep and not rest.split("\n", 1)[0].strip()
    if followed_by_blank and len(head.strip()) <= MAX_TITLE_CHARS and rest.strip():
        return head.strip(), rest
    return "", body
