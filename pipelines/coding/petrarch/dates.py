"""PETRARCH dates (``010307``, ``19270101``) and date restrictions (``A-B``, ``>A``, ``<B``)."""

from __future__ import annotations

from datetime import date

# two-digit years: yy <= 25 is 20yy, else 19yy
CENTURY_PIVOT = 25


class BadDate(ValueError):
    """A date or date range that cannot be read; the message is the reason counted."""


def parse_day(text: str) -> date:
    """``010307`` -> 2001-03-07 (yy <= 25 is 20yy, else 19yy); ``19270101`` -> 1927-01-01."""
    if not text.isdigit() or len(text) not in (6, 8):
        raise BadDate("malformed date")
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= CENTURY_PIVOT else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    try:
        return date(year, month, day)
    except ValueError:
        raise BadDate("malformed date") from None


def parse_span(text: str) -> tuple[date | None, date | None, bool]:
    """A PETRARCH date restriction as (from, to, single): ``A-B``, ``>A`` (from), ``<B``
    (until); a lone date is read as a start (``single`` is then true, to count it)."""
    text = text.replace(" ", "")
    if text.startswith(">"):
        return parse_day(text[1:]), None, False
    if text.startswith("<"):
        return None, parse_day(text[1:]), False
    if "-" in text:
        first, _, last = text.partition("-")
        start, end = parse_day(first), parse_day(last)
        if end < start:
            raise BadDate("date range ends before it starts")
        return start, end, False
    return parse_day(text), None, True
