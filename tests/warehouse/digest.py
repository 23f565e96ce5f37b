"""Fingerprints of a warehouse's tables and exports, to compare runs exactly."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from pipelines.datamodel.tables import TABLES

# The release log records when each publication was built: it differs between any two runs.
COMPARED = [name for name in TABLES if name != "releases"]


def tables_digest(path: Path) -> str | None:
    """A hash of every table's rows (in a canonical order), None when there is no file."""
    if not path.exists():
        return None
    digest = hashlib.sha256()
    with duckdb.connect(str(path), read_only=True) as con:
        for name in COMPARED:
            digest.update(name.encode())
            for row in con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall():
                digest.update(repr(row).encode())
    return digest.hexdigest()


def exports_digest(folder: Path) -> str:
    """A hash of every export file's path and bytes (the release log and manifest aside)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "releases" not in path.parts and not path.name.startswith(("_", ".")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
