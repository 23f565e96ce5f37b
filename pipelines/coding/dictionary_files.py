"""The coder's dictionaries: tab-separated files, merged from the package and the user's folders.

Every dictionary is a TSV file with a header line; the first column is the entry's key. The
package's base layer in ``pipelines/data/dictionaries/base`` (converted from the field's
dictionaries by ``pipelines.coding.petrarch``) loads first, then the package's curated files in
``pipelines/data/dictionaries``, then each folder named in ``$DYADFLOW_DICTIONARIES``
(``os.pathsep``-separated), then each path given to the coder, in order. A later file adds
entries, or replaces an earlier entry with the same key; an entry whose second column is ``-``
removes the key. The format of each file is in docs/dictionaries.md.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

ENV_VAR = "DYADFLOW_DICTIONARIES"
REMOVE = "-"

# file name -> the columns it must have, in order (later columns are optional)
SCHEMAS: dict[str, tuple[str, ...]] = {
    "countries.tsv": ("code", "name", "also", "adjectives", "capitals"),
    "organisations.tsv": ("name", "code", "also"),
    "groups.tsv": ("name", "code", "also", "roams"),
    "people.tsv": ("name", "country", "terms", "also"),
    "roles.tsv": ("phrase", "role", "plural", "weapon"),
    "places.tsv": ("name", "country", "kind", "also"),
    "verbs.tsv": ("pattern", "code", "options"),
    "nouns.tsv": ("pattern", "code", "options"),
    "frames.tsv": ("lemma", "frame", "options"),
    "frame_codes.tsv": ("key", "code"),
    "discards.tsv": ("phrase", "note"),
    "wordlists.tsv": ("list", "words"),
}


class DictionaryError(ValueError):
    """A dictionary file that cannot be read, named with the file and line."""


@dataclass
class DictionarySet:
    """All entries by file name and key, and a fingerprint of what was loaded."""

    tables: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    fingerprint: str = ""
    # (file name, key) -> "path, line N": where the entry in force was read, for errors
    origins: dict[tuple[str, str], str] = field(default_factory=dict)

    def table(self, name: str) -> dict[str, dict[str, str]]:
        return self.tables.get(name, {})

    def where(self, name: str, key: str) -> str:
        """Where an entry was read ("path, line N"), to name it in an error."""
        return self.origins.get((name, key.casefold()), name)


def package_folder() -> Path:
    return Path(str(resources.files("pipelines") / "data" / "dictionaries"))


def base_folder() -> Path:
    """The base layer: entries converted from the field's dictionaries, under the curated ones."""
    return package_folder() / "base"


def configured_folders(extra: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """The base layer, the package's curated folder, then $DYADFLOW_DICTIONARIES, then the
    explicit extra paths."""
    base = [base_folder()] if base_folder().is_dir() else []
    return [*base, package_folder(), *_env_folders(), *(Path(p) for p in extra)]


def _env_folders() -> list[Path]:
    return [Path(part) for part in os.environ.get(ENV_VAR, "").split(os.pathsep) if part.strip()]


def load_dictionaries(extra: Sequence[str | os.PathLike[str]] = ()) -> DictionarySet:
    """Read and merge every dictionary file; a path in ``extra`` may be a folder or one file."""
    result = DictionarySet(tables={name: {} for name in SCHEMAS})
    digest = hashlib.sha256()
    for path in _files(extra):
        text = path.read_text("utf-8")
        _digest(digest, path, text)
        rows = _parse(path, text)
        _merge(result.tables[path.name], rows)
        for number, row in rows:
            key = row[next(iter(row))].casefold()
            result.origins[(path.name, key)] = f"{path}, line {number}"
        result.sources.append(str(path))
    result.fingerprint = digest.hexdigest()[:12]
    return result


def dictionaries_fingerprint(extra: Sequence[str | os.PathLike[str]] = ()) -> str:
    """``load_dictionaries(extra).fingerprint``, from the files' bytes alone: the coder's version
    is asked for at every run and asset check, and parsing 120,000 entries for it took a second."""
    digest = hashlib.sha256()
    for path in _files(extra):
        _digest(digest, path, path.read_text("utf-8"))
    return digest.hexdigest()[:12]


def _files(extra: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The dictionary files to read, in the order they load."""
    found: list[Path] = []
    for location in configured_folders(extra):
        if location.is_dir():
            found += [location / name for name in SCHEMAS if (location / name).is_file()]
        elif location.is_file():
            if location.name not in SCHEMAS:
                raise DictionaryError(
                    f"{location}: unknown dictionary file name; expected one of {sorted(SCHEMAS)}"
                )
            found.append(location)
        else:
            named = f" (named in ${ENV_VAR})" if location in _env_folders() else ""
            raise DictionaryError(f"{location}: no such dictionary folder or file{named}")
    return found


def _digest(digest, path: Path, text: str) -> None:
    digest.update(path.name.encode())
    digest.update(text.encode())


def read_table(path: Path) -> list[dict[str, str]]:
    """The rows of one dictionary file in file order, each a dict by column, unmerged."""
    return [row for _number, row in _parse(path, path.read_text("utf-8"))]


def _parse(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    schema = SCHEMAS[path.name]
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in raw.split("\t")]
        if header is None:
            header = cells
            if tuple(header[: len(schema)]) != schema[: len(header)] or len(header) < 2:
                raise DictionaryError(
                    f"{path}, line {number}: header {header} does not start with {list(schema)}"
                )
            continue
        if len(cells) > len(header):
            raise DictionaryError(
                f"{path}, line {number}: {len(cells)} columns, header has {len(header)}"
            )
        row = dict(zip(header, cells, strict=False))
        for column in header[len(cells) :]:
            row[column] = ""
        if not row[header[0]]:
            raise DictionaryError(f"{path}, line {number}: empty key")
        rows.append((number, row))
    return rows


def _merge(table: dict[str, dict[str, str]], rows: list[tuple[int, dict[str, str]]]) -> None:
    for _number, row in rows:
        columns = list(row)
        key = row[columns[0]].casefold()
        if row[columns[1]] == REMOVE:
            table.pop(key, None)
        else:
            table[key] = row


def split_list(cell: str) -> list[str]:
    """A ``|``-separated cell as a list of its non-empty parts."""
    return [part.strip() for part in cell.split("|") if part.strip()]
