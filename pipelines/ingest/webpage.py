"""Web pages to article text with trafilatura: title, main text, publication date and outlet,
without menus, scripts, comments or footers. Used for HTML files, WARC responses and fetched
feed links alike."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.record_rules import derived_id, normalise_text
from pipelines.ingest.streams import MAX_RECORD_BYTES, read_document
from pipelines.ingest.timestamps import date_in_name, lenient

# trafilatura logs every page it finds nothing in; the quarantine already says so.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

# htmldate: only dates the page states (meta tags, time elements, the URL), preferring the original
# publication over a later update; no guessing from copyright lines or bare years.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class WebText:
    title: str
    text: str
    published_at: datetime | None
    outlet: str
    url: str


def extract_page(html: bytes | str, url: str = "") -> WebText | str:
    """The article in a page, or the reason there is none (never raises on bad HTML).

    trafilatura finds the main text; the few metadata dyadflow keeps (title, site name, canonical
    URL, publication date) are read here from the same parsed tree, which costs half of what
    trafilatura's full metadata pass (authors, licences, categories) does.
    """
    import trafilatura
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
        if tree is None:
            return "HTML could not be parsed"
        meta = _metadata(tree, url)  # before extraction, which prunes the tree
        doc = trafilatura.bare_extraction(
            tree,
            with_metadata=False,
            fast=True,
            include_comments=False,
            include_tables=False,
        )
    except Exception as err:  # a parser fed hostile bytes: the page is quarantined, not the run
        return f"HTML could not be parsed: {type(err).__name__}: {err}"
    if doc is None or not (doc.text or "").strip():
        return "no article text in the page (no body, or only scripts and boilerplate)"
    text = _without_headline(normalise_text(doc.text), meta.title)
    if not text:
        return "no article text in the page after normalisation"
    return WebText(meta.title, text, meta.published_at, meta.outlet, meta.url)


_SEPARATORS = re.compile(r"\s+[|\u2013\u2014-]\s+")


def _metadata(tree, url: str) -> WebText:
    from htmldate import find_date

    metas: dict[str, str] = {}
    for element in tree.iterfind(".//meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        content = element.get("content")
        if key and content and key.lower() not in metas:
            metas[key.lower()] = content.strip()
    canonical = next(
        (
            link.get("href", "").strip()
            for link in tree.iterfind(".//link")
            if (link.get("rel") or "").lower() == "canonical"
        ),
        "",
    )
    page_url = next(
        (
            u
            for u in (canonical, metas.get("og:url", ""), url)
            if urlsplit(u).scheme in ("http", "https")
        ),
        url,
    )
    outlet = normalise_text(
        metas.get("og:site_name") or metas.get("application-name") or ""
    ) or hostname(page_url)
    title = normalise_text(metas.get("og:title") or metas.get("twitter:title") or "")
    if not title:
        headings = [normalise_text(h.text_content()) for h in tree.iterfind(".//h1")]
        headings = [h for h in headings if h]
        if len(headings) == 1:
            title = headings[0]
    if not title:
        element = tree.find(".//title")
        whole = normalise_text(element.text_content()) if element is not None else ""
        parts = [p for p in _SEPARATORS.split(whole) if p and p.casefold() != outlet.casefold()]
        title = parts[0] if parts else whole
    try:
        day = find_date(tree, url=page_url or None, **_DATE_PARAMS)
    except Exception:  # htmldate on odd markup: no date is better than no article
        day = None
    return WebText(title, "", lenient(day), outlet, page_url)


def _without_headline(text: str, title: str) -> str:
    """The page's text repeats its headline as the first line; the title field holds it."""
    first, _, rest = text.partition("\n")
    if title and first.strip().casefold() == title.casefold() and rest.strip():
        return rest.strip()
    return text


def hostname(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def choose_date(page: datetime | None, fallback: datetime | None) -> datetime | None:
    """The page's own date first; the feed's or archive's timestamp when the page has none, or
    when it falls on the same day (the page gives a day, the fallback the time too)."""
    if page is None:
        return fallback
    if fallback is not None and fallback.date() == page.date():
        return fallback
    return page


def page_article(
    page: WebText | str,
    *,
    source: str,
    location: str,
    number: int | None,
    snippet: str,
    record_id: str,
    fallback_date: datetime | None = None,
    fallback_outlet: str = "",
    fallback_title: str = "",
) -> Article | Quarantined:
    """An Article from an extracted page (or the quarantine record for a page that had none)."""
    if isinstance(page, str):
        return Quarantined(source, location, page, snippet, "", _day(fallback_date))
    published = choose_date(page.published_at, fallback_date)
    if published is None:
        return Quarantined(
            source,
            location,
            "no publication date in the page, its URL or its container",
            snippet,
            record_id,
        )
    return Article(
        id=record_id,
        text=page.text,
        published_at=published,
        title=page.title or normalise_text(fallback_title),
        url=page.url,
        outlet=fallback_outlet if not page.outlet else page.outlet,
        source_file=source,
        source_line=number,
        location=location,
    )


def read_html(
    path: str | Path, max_record_bytes: int = MAX_RECORD_BYTES
) -> Iterator[Article | Quarantined]:
    """One article a file; the date from the page, else from a YYYY-MM-DD in the file name."""
    path = Path(path)
    data = read_document(path, max_record_bytes)
    if isinstance(data, Quarantined):
        yield data
        return
    if not data.strip():
        return  # an empty file holds no record; read_file reports it
    page = extract_page(data)
    key = page.url if isinstance(page, WebText) and page.url else f"sha256:{_digest(data)}"
    yield page_article(
        page,
        source=str(path),
        location="file",
        number=1,
        snippet=Quarantined.clip(data),
        record_id=derived_id("web", key),
        fallback_date=date_in_name(path.name),
    )


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _day(value: datetime | None):
    return value.date() if value else None
