"""Entries of the base layer dropped after review on the dev gold sets, each with its reason
(``pipelines/data/petrarch-review.tsv``)."""

from __future__ import annotations

from pathlib import Path

from pipelines.coding.dictionary_files import package_folder
from pipelines.coding.petrarch.files import OUTPUTS
from pipelines.coding.petrarch.tallies import Conversion


def review_file() -> Path:
    """Entries of the base layer dropped after review on the dev sets, each with its reason."""
    return package_folder().parent / "petrarch-review.tsv"


def read_review(path: Path) -> dict[tuple[str, str], str]:
    """``file<TAB>key<TAB>reason`` lines (``#`` comments) -> {(file, casefolded key): reason}."""
    review: dict[tuple[str, str], str] = {}
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in OUTPUTS or not parts[2].strip():
            raise ValueError(f"{path}, line {number}: expected file, key and reason")
        review[(parts[0], parts[1].casefold())] = parts[2].strip()
    return review


def drop_reviewed(result: Conversion, review: dict[tuple[str, str], str]) -> None:
    for name, rows in result.rows.items():
        kept = []
        for row in rows:
            reason = review.get((name, row[0].casefold()))
            if reason is None:
                kept.append(row)
            else:
                result.tally(name).skip(f"dropped on review: {reason}")
        result.rows[name] = kept
