"""The codebook as warehouse tables, and a fingerprint of the files it comes from."""

from __future__ import annotations

import hashlib
import os
from datetime import date
from functools import cache
from importlib import resources

import pandas as pd

from pipelines.codebook import codebook
from pipelines.coding.dictionary_files import (
    ENV_VAR,
    dictionaries_fingerprint,
    load_dictionaries,
    split_list,
)
from pipelines.datamodel.tables import (
    ACTOR_DICTIONARY,
    CAMEO_COUNTRIES,
    CAMEO_EVENT_CODES,
    CAMEO_PLOVER,
    CAMEO_ROLES,
)

_FILES = ("cameo_event_codes.tsv", "cameo_plover.tsv", "countries.tsv", "actor_roles.tsv")


def codebook_version() -> str:
    digest = hashlib.sha256()
    folder = resources.files("pipelines") / "data" / "codebook"
    for name in _FILES:
        digest.update(name.encode())
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:16]


def codebook_frames() -> dict[str, pd.DataFrame]:
    """Each CAMEO codebook table's rows, typed by the data dictionary (the actor dictionary's
    are ``actor_dictionary``'s)."""
    book = codebook()
    events = [
        {k: (None if pd.isna(v) else v) for k, v in row.items()}
        for row in book.events_frame().to_dict("records")
    ]
    countries = [
        {"code": r["code"], "name": r["name"], "iso3": r.get("iso3") or None, "kind": r["kind"]}
        for r in book.countries.values()
    ]
    roles = [{"code": r["code"], "name": r["name"], "tier": r["tier"]} for r in book.roles.values()]
    plover = [
        {
            "cameo_code": r["cameo_code"],
            "plover_type": r["plover_type"],
            "plover_mode": r.get("plover_mode") or None,
            "plover_context": r.get("plover_context") or None,
        }
        for r in book.plover_rows
    ]
    return {
        CAMEO_EVENT_CODES.name: CAMEO_EVENT_CODES.frame(events),
        CAMEO_COUNTRIES.name: CAMEO_COUNTRIES.frame(countries),
        CAMEO_ROLES.name: CAMEO_ROLES.frame(roles),
        CAMEO_PLOVER.name: CAMEO_PLOVER.frame(plover),
    }


def dictionary_version(extra: tuple[str, ...] = ()) -> str:
    return actor_dictionary(extra)[0]


def actor_dictionary(extra: tuple[str, ...] = ()) -> tuple[str, pd.DataFrame]:
    """The coder's actor dictionaries, one row per phrase and code, and their fingerprint;
    ``extra``: the dictionaries a coder reads besides the package's and $DYADFLOW_DICTIONARIES."""
    # Keyed on $DYADFLOW_DICTIONARIES too, as the coder is: a changed setting is a new lexicon.
    return _actor_dictionary(tuple(extra), os.environ.get(ENV_VAR, ""))


def actor_dictionary_version(extra: tuple[str, ...] = ()) -> str:
    """``actor_dictionary(extra)``'s fingerprint, from the files' bytes, without building it."""
    return dictionaries_fingerprint(extra)


@cache
def _actor_dictionary(extra: tuple[str, ...], _env: str) -> tuple[str, pd.DataFrame]:
    dictionaries = load_dictionaries(extra)
    rows: list[dict] = []

    def add(phrase, kind, entry, code, source, start=None, end=None):
        if phrase and code:
            rows.append(
                dict(
                    phrase=phrase,
                    kind=kind,
                    entry=entry,
                    code=code,
                    valid_from=start,
                    valid_to=end,
                    dictionary=source,
                )
            )

    for row in dictionaries.table("countries.tsv").values():
        for name in [row["name"], *split_list(row.get("also", ""))]:
            add(name, "country", row["name"], row["code"], "countries.tsv")
        for adjective in split_list(row.get("adjectives", "")):
            add(adjective, "adjective", row["name"], row["code"], "countries.tsv")
        for capital in split_list(row.get("capitals", "")):
            add(capital, "capital", row["name"], row["code"], "countries.tsv")
    for source, kind in (("organisations.tsv", "organisation"), ("groups.tsv", "group")):
        for row in dictionaries.table(source).values():
            for name in [row["name"], *split_list(row.get("also", ""))]:
                add(name, kind, row["name"], row["code"], source)
    for row in dictionaries.table("people.tsv").values():
        for code, start, end in _terms(row.get("terms", "")):
            for name in [row["name"], *split_list(row.get("also", ""))]:
                add(name, "person", row["name"], code, "people.tsv", start, end)
    for row in dictionaries.table("roles.tsv").values():
        if row["role"] == "*":  # a person noun with no role of its own
            continue
        for phrase in [row["phrase"], *split_list(row.get("plural", ""))]:
            add(phrase, "role", row["phrase"], row["role"], "roles.tsv")
    frame = ACTOR_DICTIONARY.frame(rows).drop_duplicates(ignore_index=True)
    return dictionaries.fingerprint, frame


def _terms(cell: str) -> list[tuple[str, date | None, date | None]]:
    """People's terms: "CODE FROM/TO; ..." with ISO dates, TO exclusive, either end open."""
    terms = []
    for part in cell.split(";"):
        code, _, span = part.strip().partition(" ")
        if not code:
            continue
        start, _, end = span.strip().partition("/")
        terms.append(
            (
                code,
                date.fromisoformat(start) if start else None,
                date.fromisoformat(end) if end else None,
            )
        )
    return terms
