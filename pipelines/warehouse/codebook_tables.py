"""The codebook as warehouse tables, and a fingerprint of the files it comes from."""

from __future__ import annotations

import hashlib
from importlib import resources

import pandas as pd

from pipelines.codebook import codebook
from pipelines.warehouse.schema import (
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
    """Each codebook table's rows, typed by the data dictionary."""
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
