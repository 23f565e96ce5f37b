"""Names as PETRARCH writes them (``GEORGE_W._BUSH_``) made into names as news write them, and
the test that keeps a name that is also a common word out."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipelines.coding.actor_tagger import is_abbreviation
from pipelines.coding.petrarch.words import SMALL_WORDS, english


def plain_words(raw: str) -> list[str]:
    """A PETRARCH name as words: ``_`` and spaces separate, a trailing ``_`` (stop here) goes."""
    cleaned = re.sub(r"[\[\]{}|\t]", " ", raw.replace("_", " "))
    return cleaned.split()


def drop_parenthetical(raw: str) -> str:
    """``ADEN_ISLAMIC_ARMY_(AAIA)_`` -> ``ADEN_ISLAMIC_ARMY_``: a bracketed note or acronym is
    no part of the name as news write it (acronyms news use are listed as synonyms anyway)."""
    return re.sub(r"\([^()]*\)", " ", raw)


def _title_part(part: str, first: bool) -> str:
    lower = part.lower()
    if not first and lower in SMALL_WORDS:
        return lower
    if re.fullmatch(r"[IVX]{2,4}", part):
        return part  # "II", "III"
    if len(part) > 2 and part[1] == "'":
        return part[0].upper() + "'" + part[2:].capitalize()  # O'Neill
    if lower.startswith("mc") and len(part) > 3:
        return "Mc" + part[2:].capitalize()
    return part[:1].upper() + part[1:].lower()


def _title_word(word: str, first: bool) -> str:
    """A word title-cased piece by piece across ``-`` and ``/`` ("Ki-Moon", "EC/Unfpa")."""
    pieces = re.split(r"([-/])", word)
    return "".join(
        piece if piece in ("-", "/", "") else _title_part(piece, first and j == 0)
        for j, piece in enumerate(pieces)
    )


def person_name(raw: str) -> str:
    """``GEORGE_W._BUSH_`` -> "George W. Bush", ``OSAMA_BIN_LADEN`` -> "Osama bin Laden"."""
    out = []
    for i, word in enumerate(plain_words(raw)):
        if re.fullmatch(r"(?:[A-Z]\.)+", word):
            out.append(word)  # initials
            continue
        out.append(_title_word(word, i == 0))
    return " ".join(out)


def organisation_name(raw: str) -> str:
    """An organisation's name: a single short word stays as written (an acronym such as "ETA"
    or "IAEA", matched case-sensitively by the coder); longer names are title-cased, keeping
    short tokens that are no English word in capitals ("UN Department of Peacekeeping")."""
    words = plain_words(raw)
    if len(words) == 1 and len(re.sub(r"[^A-Za-z]", "", words[0])) <= 5:
        return words[0]
    common = english().common
    out = []
    for i, word in enumerate(words):
        letters = re.sub(r"[^A-Za-z]", "", word)
        short = 0 < len(letters) <= 3
        if re.fullmatch(r"(?:[A-Z]\.)+", word) or (
            short and letters.lower() not in common and letters.lower() not in SMALL_WORDS
        ):
            out.append(word)
            continue
        out.append(_title_word(word, i == 0))
    return " ".join(out)


def is_single_common_word(name: str, words: frozenset[str]) -> bool:
    """A one-word name that is also an English word the list has, or the plural of a noun
    ("Tigers"): matched case-insensitively, it would fire on the common word."""
    tokens = name.split()
    if len(tokens) != 1 or is_abbreviation(name):
        return False  # an abbreviation ("CARE", "ETA") is matched only as written
    word = tokens[0].lower().strip(".'")
    if word in words:
        return True
    singular = english().rule_lemma(word, "NOUN")
    return singular != word and singular in english().by_pos["noun"]


def dedupe(items: Iterable[str]) -> list[str]:
    """The items without repeats (compared casefolded) or empty ones, first kept."""
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out
