"""What the curated dictionaries already cover, to be left out of the base layer: their names and
phrases, and the verbs their lexicon covers."""

from __future__ import annotations

from pathlib import Path

from pipelines.coding.actor_tagger import plural
from pipelines.coding.dictionary_files import read_table, split_list


def _curated(folder: Path, name: str) -> list[dict[str, str]]:
    path = folder / name
    return read_table(path) if path.is_file() else []


def curated_phrases(folder: Path | None) -> set[str]:
    """Every name the curated actor files give (casefolded): names, other names, adjectives,
    capitals, role phrases and their plurals, places."""
    if folder is None:
        return set()
    phrases: set[str] = set()
    for row in _curated(folder, "countries.tsv"):
        for column in ("name", "also", "adjectives", "capitals"):
            phrases.update(split_list(row.get(column, "")))
    for name in ("organisations.tsv", "groups.tsv", "people.tsv", "places.tsv"):
        for row in _curated(folder, name):
            phrases.add(row.get("name", ""))
            phrases.update(split_list(row.get("also", "")))
    for row in _curated(folder, "roles.tsv"):
        phrases.add(row["phrase"])
        phrases.update(split_list(row.get("plural", "")) or [plural(row["phrase"])])
    return {p.casefold() for p in phrases if p}


def curated_heads(folder: Path | None) -> set[str]:
    """The lemmas the curated lexicon covers: heads of its verb patterns and its frames."""
    if folder is None:
        return set()
    heads = {row["pattern"].split()[0].casefold() for row in _curated(folder, "verbs.tsv")}
    heads |= {row["lemma"].split()[0].casefold() for row in _curated(folder, "frames.tsv")}
    return heads
