"""The shapes actor recognition passes around: the kinds of dictionary entry, an entry and a
person's dated terms, a dictionary match in a Doc, the actor a noun phrase names, and a Doc's
matches with its main country."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class EntryKind(StrEnum):
    """The kinds of dictionary entry, and what each gives a noun phrase."""

    COUNTRY = "country"  # a country's name: the country itself
    ADJECTIVE = "adjective"  # "Nigerien", "Malians": the country (a modifier, or its people)
    CAPITAL = "capital"  # "Kyiv", "the Kremlin": the government when it acts, else the country
    ORGANISATION = "organisation"  # a full code: IGOs, named institutions
    GROUP = "group"  # non-state armed groups: a full code
    PERSON = "person"  # a dated code for the article's date
    ROLE = "role"  # agent nouns: a role code
    AGENT = "agent"  # person nouns without a role of their own (spokesman)
    ROAMING = "roaming"  # a group fighting in several countries: coded to the one it acts in
    WEAPON = "weapon"  # the subject of violence ("a car bomb killed"): no actor of its own
    PLACE = "place"  # gazetteer: a city or region, placing events and giving roles a country


# the kinds by their own names, as the recognition rules read them
COUNTRY = EntryKind.COUNTRY
ADJECTIVE = EntryKind.ADJECTIVE
CAPITAL = EntryKind.CAPITAL
ORGANISATION = EntryKind.ORGANISATION
GROUP = EntryKind.GROUP
PERSON = EntryKind.PERSON
ROLE = EntryKind.ROLE
AGENT = EntryKind.AGENT
ROAMING = EntryKind.ROAMING
WEAPON = EntryKind.WEAPON
PLACE = EntryKind.PLACE

# the kinds that give a full code alone
FULL_CODE_KINDS = (ORGANISATION, GROUP, ROAMING, PERSON)


@dataclass(frozen=True)
class Term:
    code: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    code: str  # country code, role code, or full actor code
    name: str
    terms: tuple[Term, ...] = ()  # people only
    place_kind: str = ""
    weapon: str = ""  # the event code the means implies ("warplanes struck": 195)

    def code_on(self, day: date) -> str | None:
        """A person's code on a day: the term that covers it, else the country's elite."""
        if not self.terms:
            return self.code
        for term in self.terms:
            # the last day counts: a president who resigns that day resigns as president
            if (term.start is None or term.start <= day) and (term.end is None or day <= term.end):
                return term.code
        return f"{self.code}ELI" if self.code and not self.code.startswith("IGO") else None


@dataclass
class Match:
    """A dictionary match in a Doc: tokens [start, end), with its syntactic root."""

    start: int
    end: int
    root: int
    entries: tuple[Entry, ...]

    def first(self, *kinds: str) -> Entry | None:
        for entry in self.entries:
            if entry.kind in kinds:
                return entry
        return None

    def full_code_entry(self, day: date) -> Entry | None:
        """The entry that gives a full code: an organisation or group, else of the people a
        name may be ("Bush" in 2004 and in 1990), the one in office on the day."""
        entries = [e for e in self.entries if e.kind in FULL_CODE_KINDS]
        people = [e for e in entries if e.kind == PERSON]
        for entry in people:
            code = entry.code_on(day)
            if code and not code.endswith("ELI"):
                return entry
        return entries[0] if entries else None


@dataclass(frozen=True)
class Actor:
    code: str
    start: int  # token offsets in the Doc, [start, end)
    end: int
    head: int
    how: str  # "name", "role+country", "pronoun", ... (feeds the confidence and the rule)
    country: str = ""
    role: str = ""
    weapon: str = ""  # an event code the actor's means imply ("drones" 1952)


@dataclass
class DocActors:
    """Per-Doc results: matches by token, and the article's main country."""

    by_token: dict[int, Match] = field(default_factory=dict)  # every covered token -> match
    main_country: str = ""
    dateline_country: str = ""  # where the story is filed from, when its dateline says
    discards: set[int] = field(default_factory=set)  # tokens of out-of-scope phrases
    role_codes: frozenset[str] = frozenset()  # codes that are roles, never countries
