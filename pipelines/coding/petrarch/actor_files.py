"""The PETRARCH actor files read into blocks (a name, its ``+`` synonyms and its codes), which
codes can be used, and the latest date the files name (their horizon)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from pipelines.codebook import codebook
from pipelines.coding.petrarch.dates import BadDate, parse_day
from pipelines.coding.petrarch.files import CODE_RE


@dataclass
class RawCode:
    code: str  # "ISRGOV", "---" (null), or ""
    span: str  # the date restriction as written, "" when undated


@dataclass
class Block:
    """One entry of a PETRARCH actor file: a name, its ``+`` synonyms and its codes."""

    name: str
    line: int
    inline: bool  # the code stands on the name line ("AFGHANISTAN_ [AFG]")
    synonyms: list[str] = field(default_factory=list)
    codes: list[RawCode] = field(default_factory=list)

    @property
    def dated(self) -> bool:
        return any(c.span for c in self.codes if c.code != "---")


def _codes_on(line: str) -> list[RawCode]:
    found = []
    for content in CODE_RE.findall(line):
        content = content.strip()
        code, _, span = content.partition(" ")
        found.append(RawCode(legislature_code(code.strip()), span.strip()))
    return found


def legislature_code(code: str) -> str:
    """Phoenix files legislators under the government (USAGOVLEG); CAMEO's role table and the
    project's conventions give the legislature a role of its own (USALEG)."""
    if code[3:9] == "GOVLEG":
        return code[:3] + code[6:]
    return code


def _name_part(line: str) -> str:
    return re.split(r"[\[{]", line, maxsplit=1)[0].strip()


def read_actor_blocks(text: str) -> list[Block]:
    """The entries of an actor file: a name line (codes may follow on it), ``+`` synonym lines,
    and indented ``[CODE dates]`` lines."""
    blocks: list[Block] = []
    current: Block | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("+"):
            if current is not None:
                name = _name_part(stripped[1:])
                if name:
                    current.synonyms.append(name)
                current.codes.extend(_codes_on(stripped))
            continue
        if line[0] in " \t" and stripped.startswith("["):
            if current is not None:
                current.codes.extend(_codes_on(stripped))
            continue
        codes = _codes_on(stripped)
        current = Block(name=_name_part(stripped), line=number, inline=bool(codes), codes=codes)
        blocks.append(current)
    return [b for b in blocks if b.name]


@cache
def country_codes() -> frozenset[str]:
    """The codebook's states, territories and regions."""
    return frozenset(codebook().countries)


@cache
def country_prefixes() -> frozenset[str]:
    """The first three letters of a country's code, as a person's codes start with them."""
    return frozenset(c[:3] for c in country_codes())


@cache
def valid_prefixes() -> frozenset[str]:
    """The first three letters a code may start with: a state, territory or region of the
    codebook, or an international generic actor (IGO, NGO, IMG, INT, MNC, NGM, UIS)."""
    international = {
        code
        for code, row in codebook().roles.items()
        if row.get("tier", "").startswith("international")
    }
    return frozenset(country_prefixes() | international)


def code_problem(code: str) -> str:
    """Why a CAMEO actor code cannot be used, or "" when it can."""
    if not re.fullmatch(r"[A-Z]+", code) or len(code) % 3:
        return "malformed actor code"
    if code[:3] not in valid_prefixes():
        return "code does not start with a country, region or international actor"
    if code.startswith("MNC"):
        return "company (MNC): skipped, companies cost precision in news"
    return ""


def horizon_of(texts: Iterable[str]) -> date | None:
    """The latest date any dated code of the actor files names: what the files knew when they
    were last updated. A term still open then ("in office since") is closed there, since the
    files cannot say who is still in office after it."""
    latest: date | None = None
    for text in texts:
        for block in read_actor_blocks(text):
            for raw in block.codes:
                for digits in re.findall(r"\d+", raw.span):
                    try:
                        day = parse_day(digits)
                    except BadDate:
                        continue
                    latest = day if latest is None or day > latest else latest
    return latest
