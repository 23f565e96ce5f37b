"""WARC archives (``.warc``, ``.warc.gz``, as Common Crawl News publishes them) read with warcio:
one article per HTML response. Requests, metadata, redirects and non-HTML responses are not
articles and are passed over (counted in ``WarcTally``); an HTML response with no article text
is quarantined at its byte offset. A damaged archive gives up the records before the damage."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.record_rules import derived_id
from pipelines.ingest.streams import MAX_RECORD_BYTES
from pipelines.ingest.timestamps import lenient
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
    size = path.stat().st_size
    end = 0  # where the last whole record ended
    last = None  # where the last record read began
    with path.open("rb") as handle:
        # Digests are checked because warcio reads a cut gzip member without complaint: the
        # record's block digest is what shows its content is incomplete.
        records = ArchiveIterator(handle, check_digests=True)
        try:
            for record in records:
                tally.records += 1
                if record.rec_type is None:
                    break  # the remains of a record cut short: reported below
                # warcio knows a record's offset only once its content has been read.
                item = _record(record, records, name, tally.records, max_record_bytes, tally)
                offset = last = records.get_record_offset()
                damage = _damage(record)
                if damage:
                    yield Quarantined(
                        name,
                        f"byte {offset}",
                        f"damaged WARC record: {damage}",
                        record.rec_headers.get_header("WARC-Target-URI") or "",
                    )
                    end = offset + records.get_record_length()
                    continue
                end = offset + records.get_record_length()
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
                f"after byte {end}",
                f"damaged WARC after record {tally.records} (byte {end}): "
                f"{type(err).__name__}: {str(err)[:200]}; the rest of the file could not be read",
            )
            return
    if end < size:
        yield Quarantined(
            name,
            f"after byte {end}",
            f"damaged WARC: the {size - end} bytes after byte {end} hold no readable record "
            "(a truncated or corrupt archive); the rest of the file could not be read",
        )
    elif last is not None and _gzip_member_cut(path, last):
        yield Quarantined(
            name,
            f"byte {last}",
            f"damaged WARC: the file ends inside the gzip trailer of the record at byte {last} "
            "(a truncated archive); that record was read whole, any records after it are lost",
        )


def _gzip_member_cut(path: Path, offset: int) -> bool:
    """Whether the gzip member at ``offset`` (the last record of a .warc.gz) lacks its end.

    warcio reads a record whose member was cut in its 8-byte trailer (CRC and length) without a
    word, and the record's digest checks out: only the missing trailer shows the cut.
    """
    with path.open("rb") as handle:
        handle.seek(offset)
        if handle.read(2) != b"\x1f\x8b":
            return False  # an uncompressed WARC
        handle.seek(offset)
        member = zlib.decompressobj(wbits=31)
        while chunk := handle.read(1 << 16):
            member.decompress(chunk)
            if member.eof:
                return False
    return True


def _damage(record) -> str:
    """Why a record that warcio read without error is not whole, or ''."""
    short = getattr(record.raw_stream, "limit", 0)
    if short:
        return f"its content ends {short} bytes before its declared length (truncated)"
    if record.digest_checker.passed is False:
        return f"its content does not match its digest ({'; '.join(record.digest_checker.problems)[:200]})"
    return ""


def _record(record, records, name, number, max_bytes, tally) -> Article | Quarantined | None:
    if record.rec_type not in ("response", "resource"):
        tally.skip(f"{record.rec_type} records")
        return None
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
    location = f"byte {records.get_record_offset()}"
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
        record_id=derived_id("web", url) if url else derived_id("warc", f"{name}#{location}"),
        fallback_date=warc_date,
    )
