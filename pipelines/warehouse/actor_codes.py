"""Split a CAMEO actor code into its country, known group and roles.

An actor code is a run of 3-letter parts: a country (or region) first, then roles (``NERMIL``,
``NGACOP``, ``USAGOVPTY``). Dependencies have 6-letter country codes (``USAPRI``). International
actors have no country: a generic prefix (``IGO``, ``NGO``, ``IMG``, ``MNC``...) is a role and what
follows it is the organisation (``IGOUNO`` -> group ``UNO``; ``IGOEUREEC`` -> group ``EUREEC``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyarrow as pa

from pipelines.codebook import codebook

# Role codes that open the code of an actor with no country; what follows is its organisation.
_TRANSNATIONAL = frozenset({"IGO", "NGO", "IMG", "MNC", "NGM", "INT", "UIS"})


@dataclass(frozen=True)
class ActorParts:
    country: str | None
    group: str | None
    roles: tuple[str, ...]


@cache
def _codes() -> tuple[frozenset[str], frozenset[str]]:
    book = codebook()
    return frozenset(book.countries), frozenset(book.roles)


def split_actor(code: str) -> ActorParts:
    countries, roles = _codes()
    code = (code or "").strip().upper()
    country = None
    rest = code
    for size in (6, 3):  # a dependency's 6-letter code wins over its state's 3 letters
        if len(code) >= size and code[:size] in countries:
            country, rest = code[:size], code[size:]
            break
    parts = [rest[i : i + 3] for i in range(0, len(rest), 3)]
    found_roles: list[str] = []
    group: list[str] = []
    if country is None and parts and parts[0] in _TRANSNATIONAL:
        return ActorParts(None, "".join(parts[1:]) or None, (parts[0],))
    for part in parts:
        (found_roles if part in roles else group).append(part)
    return ActorParts(country, "".join(group) or None, tuple(found_roles))


ACTOR_PARTS_SCHEMA = pa.schema(
    [
        pa.field("actor", pa.string(), False),
        pa.field("country", pa.string()),
        pa.field("grp", pa.string()),
        pa.field("roles", pa.list_(pa.string()), False),
    ]
)


def actor_parts_table(codes: list[str]) -> pa.Table:
    """One row per distinct actor code: actor, country, grp, roles (a list, maybe empty)."""
    rows = []
    for code in sorted(set(codes)):
        parts = split_actor(code)
        rows.append(
            {
                "actor": code,
                "country": parts.country,
                "grp": parts.group,
                "roles": list(parts.roles),
            }
        )
    return pa.Table.from_pylist(rows, schema=ACTOR_PARTS_SCHEMA)
