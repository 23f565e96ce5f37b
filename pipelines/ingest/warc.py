"""WARC archives (``.warc``, ``.warc.gz``, as Common Crawl News publishes them) read with warcio:
one article per HTML response. Requests, metadata, redirects and non-HTML responses are not
articles and are passed over (counted in ``WarcTally``); an HTML response with no article text
is quarantined at its byte offset. A damaged archive gives up the records before the damage."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.ingest.dates import lenient
from pipelines.ingest.records import Article, Quarantined, derived_id
from pipelines.ingest.streams import MAX_RECORD_BYTES
from pipelines.ingest.webpage import extract_page, page_article

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class WarcTally:
    """What a WARC held besides articles, so nothing is passed over unseen."""

    records: int = 0
    html_responses: int = 0
    passed_over: dict[str, int] = field(default_factory=dict)

    def skip(self, why: str) -> None:
        self.passed_over[why] = self.passed_over.get(why, 0) + 1


def read_warc(
    path: str | Path, max_record_bytes: int = MAX_RECORD_BYTES, tally: WarcTally | None = None
) -> Iterator[Article | Quarantined]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    path = Path(path)
    name = str(path)
    tally = tally if tally is not None else WarcTally()
    seen: dict[str, str] = {}
    offset = 0
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        try:
            for record in records:
                tally.records += 1
                offset = records.get_record_offset()
                item = _record(record, name, offset, tally.records, max_record_bytes, tally)
                if item is None:
                    continue
                if isinstance(item, Article):
                    if item.id in seen:
                        item = Quarantined(
                            name,
                            item.where,
                            f"duplicate capture of {item.url}, first at {seen[item.id]}",
                            Quarantined.clip(item.text),
                            item.id,
                            item.published_date,
                        )
                    else:
                        seen[item.id] = item.where
                yield item
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as err:
            yield Quarantined(
                name,
                f"after byte {offset}",
                f"damaged WARC after record {tally.records} (byte {offset}): "
                f"{type(err).__name__}: {str(err)[:200]}; the rest of the file could not be read",
            )


def _record(record, name, offset, number, max_bytes, tally) -> Article | Quarantined | None:
    if record.rec_type not in ("response", "resource"):
        tally.skip(f"{record.rec_type} records")
        return None
    location = f"byte {offset}"
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        if status != "200":
            tally.skip(f"HTTP {status or 'unknown'} responses")
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if not any(kind in content_type.lower() for kind in HTML_TYPES):
        tally.skip("non-HTML responses")
        return None
    tally.html_responses += 1
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return Quarantined(
            name, location, f"HTML response over the {max_bytes} byte limit", url, ""
        )
    warc_date = lenient(record.rec_headers.get_header("WARC-Date"))
    return page_article(
        extract_page(body, url),
        source=name,
        location=location,
        number=number,
        snippet=Quarantined.clip(f"{url} {body[:300]!r}"),
        record_id=derived_id("web", url) if url else derived_id("warc", f"{name}#{offset}"),
        fallback_date=warc_date,
    )
