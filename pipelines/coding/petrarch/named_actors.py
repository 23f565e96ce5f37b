"""People, organisations and groups made from actor-file blocks, and their names settled so that
each is safe to match: no name the curated layer has, no common word, no ambiguous other name."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from pipelines.coding.petrarch.actor_files import (
    Block,
    code_problem,
    country_codes,
    country_prefixes,
)
from pipelines.coding.petrarch.dates import BadDate, parse_span
from pipelines.coding.petrarch.names import (
    dedupe,
    drop_parenthetical,
    is_single_common_word,
    organisation_name,
    person_name,
)
from pipelines.coding.petrarch.tallies import Tally
from pipelines.coding.petrarch.words import FUNCTION_WORDS, english


@dataclass
class Person:
    name: str
    country: str
    terms: list[str]
    also: list[str]
    source: str


def person_from(
    block: Block, source: str, tally: Tally, horizon: date | None = None
) -> Person | None:
    dated_terms: list[str] = []
    open_terms: list[str] = []
    prefixes: Counter[str] = Counter()
    first_code = ""
    for raw in block.codes:
        if raw.code in ("---", ""):
            continue  # "no code outside the terms": the dated terms say it already
        if raw.code[:3] in country_prefixes():
            prefixes[raw.code[:3]] += 1
        if not raw.span:
            if raw.code.endswith("ELI"):
                tally.skip("undated ELI code line (outside every term is COUNTRY+ELI already)")
                continue
            problem = code_problem(raw.code)
            if problem:
                tally.skip(f"term: {problem}")
                continue
            open_terms.append(f"{raw.code} /")
            first_code = first_code or raw.code
            continue
        problem = code_problem(raw.code)
        if problem:
            tally.skip(f"term: {problem}")
            continue
        try:
            start, end, single = parse_span(raw.span)
        except BadDate as error:
            tally.skip(f"term: {error}")
            continue
        if single:
            tally.adjust("term with a lone date: read as its start")
        if end is None and horizon is not None and start is not None and start <= horizon:
            end = horizon
            tally.adjust(f"open-ended term closed at the dictionaries' horizon {horizon}")
        dated_terms.append(f"{raw.code} {_iso(start)}/{_iso(end)}")
        first_code = first_code or raw.code
    terms = dated_terms + open_terms
    if not terms:
        tally.skip("person with no usable term")
        return None
    country = prefixes.most_common(1)[0][0] if prefixes else first_code
    name = person_name(drop_parenthetical(block.name))
    also = [person_name(drop_parenthetical(s)) for s in block.synonyms]
    return Person(name, country, dedupe(terms), dedupe(also), source)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


@dataclass
class Named:
    name: str
    code: str
    also: list[str]
    source: str


def named_from(block: Block, source: str, tally: Tally) -> Named | None:
    codes = [c for c in block.codes if c.code not in ("", "---")]
    if not codes:
        tally.skip("null code [---]" if block.codes else "no code")
        return None
    code = codes[0].code
    if len({c.code for c in codes}) > 1:
        tally.adjust("several undated codes: the first kept")
    if code in country_codes():
        tally.skip("a country's or territory's own code (countries are curated)")
        return None
    problem = code_problem(code)
    if problem:
        tally.skip(problem)
        return None
    also = [organisation_name(drop_parenthetical(s)) for s in block.synonyms]
    return Named(organisation_name(drop_parenthetical(block.name)), code, dedupe(also), source)


def settle_names(
    entries: list, kind: str, tally: Tally, curated: set[str], common: frozenset[str]
) -> list:
    """Make names safe to match: drop names the curated layer already has, one-word names in
    ``common`` and one-word other names that are English words at all (a group's "Organization"),
    other names shared by entries with different codes (ambiguous), names ending in a function
    word, and keep the first entry of a repeated name."""
    any_word = english().any
    owners: dict[str, set[str]] = {}
    for entry in entries:
        identity = _identity(entry)
        for name in [entry.name, *entry.also]:
            owners.setdefault(name.casefold(), set()).add(identity)
    kept = []
    keys: set[str] = set()
    for entry in entries:
        key = entry.name.casefold()
        if key in curated:
            tally.skip(f"{kind} already in the curated dictionaries")
            continue
        if is_single_common_word(entry.name, common):
            tally.skip(f"{kind} named by a single common English word")
            continue
        if key in keys:
            tally.skip(f"repeated {kind} name (first kept)")
            continue
        if not _matchable(entry.name):
            tally.skip(f"{kind} with nothing to match")
            continue
        also = []
        for name in entry.also:
            folded = name.casefold()
            if folded == key or folded in keys:
                continue
            if folded in curated:
                tally.skip("other name already in the curated dictionaries")
            elif is_single_common_word(name, any_word):
                tally.skip("other name: a single English word")
            elif len(owners[folded]) > 1:
                tally.skip("other name shared by entries with different codes (ambiguous)")
            elif not _matchable(name):
                tally.skip("other name with nothing to match")
            else:
                also.append(name)
        entry.also = also
        keys.add(key)
        keys.update(a.casefold() for a in also)
        kept.append(entry)
    return kept


def _identity(entry) -> str:
    """Two entries are the same actor when their codes (a person's: terms) are the same."""
    if isinstance(entry, Person):
        return entry.country + "|" + ";".join(entry.terms)
    return entry.code


def _matchable(name: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", name)
    return len(letters) >= 2 and name.split()[-1].lower() not in FUNCTION_WORDS
