"""What every reader does to a record on its way in: its text normalised, an id derived when the
source gives none, and an article too long to be a story quarantined."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from pipelines.datamodel.records import Article, Quarantined

# Longer articles are quarantined. No news article comes near it; the coder parses a long one
# in pieces, but its coding still grows with it (measured: 130 MB for 1,000,000 characters,
# 470 MB for 4,000,000; bench/long_article.py), and one such text is a dump, not a story.
MAX_ARTICLE_CHARS = 2_000_000


# Printable ASCII, newline and tab are never control characters; only the rest is looked up.
_NOT_PLAIN_ASCII = re.compile(r"[^\x20-\x7e\n\t]")


def _drop_control(match: re.Match[str]) -> str:
    char = match.group()
    return "" if unicodedata.category(char)[0] == "C" else char


def normalise_text(text: str) -> str:
    """NFC, no control characters, single spaces inside lines, paragraphs kept."""
    text = unicodedata.normalize("NFC", text)
    text = _NOT_PLAIN_ASCII.sub(_drop_control, text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    paragraphs: list[str] = []
    for line in lines:
        if line:
            paragraphs.append(line)
        elif paragraphs and paragraphs[-1] != "":
            paragraphs.append("")
    return "\n".join(paragraphs).strip()


def within_length(record: Article | Quarantined) -> Article | Quarantined:
    """The record, or a Quarantined one when its text is longer than MAX_ARTICLE_CHARS."""
    if not isinstance(record, Article) or len(record.text) <= MAX_ARTICLE_CHARS:
        return record
    return Quarantined(
        record.source_file,
        record.where,
        f"text of {len(record.text):,} characters is over the limit of {MAX_ARTICLE_CHARS:,}",
        Quarantined.clip(record.text),
        record.id,
        record.published_date,
    )


def derived_id(prefix: str, key: str) -> str:
    """A stable article id for records that carry none: a prefix and a digest of their key (the
    URL when there is one, else the document's bytes), so re-reading a source gives the same id."""
    return f"{prefix}-{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:20]}"
