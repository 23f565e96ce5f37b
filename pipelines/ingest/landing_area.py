"""The landing area on disk: where each file lies, part files written whole, and a day read back.

Layout under ``<home>/landing``::

    articles/published_date=YYYY-MM-DD/b<batch>-<part>.parquet   articles of a part, one day
    quarantine/published_date=YYYY-MM-DD/b<batch>-<part>.parquet quarantined records with a day
    quarantine/undated/b<batch>-<part>.parquet                   ... and without one
    copies/published_date=YYYY-MM-DD.parquet                  (article_id, duplicate_of) of the day
    manifest.parquet, batches.parquet                         snapshots for the sensor (lock-free)
    ingest.duckdb                                             the manifest and the duplicate index
    .lock                                                     one ingestion at a time
    .unfinished                                               an ingestion began and has not ended

Every Parquet file is written to a temporary name and renamed into place, so a reader never sees
half a file, and a crash leaves only temporary files and parts no manifest row names (``sweep``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.datamodel.tables import ARTICLES, QUARANTINE

UNDATED = "undated"
_PART_TABLES = {"articles": ARTICLES, "quarantine": QUARANTINE}


def landing_dir(home: Path) -> Path:
    return home / "landing"


class Landing:
    """The landing area's files. Reading is safe while an ingestion writes (files appear whole);
    writing is the ingestion's, under its lock."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @property
    def db_path(self) -> Path:
        return self.root / "ingest.duckdb"

    @property
    def unfinished(self) -> Path:
        """There while an ingestion runs, and after one that did not end."""
        return self.root / ".unfinished"

    def day_dir(self, kind: str, day: date | None) -> Path:
        return self.root / kind / (f"published_date={day.isoformat()}" if day else UNDATED)

    def part_path(self, kind: str, day: date | None, part: str) -> Path:
        return self.day_dir(kind, day) / f"{part}.parquet"

    def copies_path(self, day: date) -> Path:
        return self.root / "copies" / f"published_date={day.isoformat()}.parquet"

    def snapshot_path(self, name: str) -> Path:
        return self.root / f"{name}.parquet"

    # -- what the daily partitions read ------------------------------------------------------

    def day_articles(self, day: date) -> pd.DataFrame:
        frame = _read_all(self.day_dir("articles", day), ARTICLES)
        if frame.empty:
            return frame
        copies = self.copies_path(day)
        if copies.exists():
            pairs = pq.read_table(copies).to_pydict()
            original = dict(zip(pairs["article_id"], pairs["duplicate_of"], strict=True))
            frame["duplicate_of"] = (
                frame["article_id"].map(original).astype(frame["duplicate_of"].dtype)
            )
        frame = frame.sort_values(["source_file", "source_line", "article_id"], kind="stable")
        return frame.reset_index(drop=True)

    def day_quarantine(self, day: date) -> pd.DataFrame:
        """The day's quarantined records and the undated ones (published once: the warehouse
        keys quarantine rows by file and location)."""
        frames = [
            _read_all(self.day_dir("quarantine", day), QUARANTINE),
            _read_all(self.day_dir("quarantine", None), QUARANTINE),
        ]
        frames = [f for f in frames if not f.empty]
        if not frames:
            return QUARANTINE.frame()
        frame = pd.concat(frames, ignore_index=True)
        # One row per place in a file (the warehouse's key): a feed that failed on several polls
        # keeps its latest reason.
        frame = frame.drop_duplicates(["source_file", "location"], keep="last")
        # In the order of the files, whichever batches landed them.
        frame = frame.sort_values(["source_file", "location"], kind="stable")
        return frame.reset_index(drop=True)

    # -- what the sensor and the CLI read ----------------------------------------------------

    def manifest(self) -> pd.DataFrame:
        path = self.snapshot_path("manifest")
        if not path.exists():
            return pd.DataFrame(columns=["source", "size", "mtime_ns", "sha256", "batch", "days"])
        return pq.read_table(path).to_pandas()

    def batches(self) -> pd.DataFrame:
        path = self.snapshot_path("batches")
        if not path.exists():
            return pd.DataFrame(columns=["batch", "finished_at", "days"])
        return pq.read_table(path).to_pandas()

    def days_of(self, sources: Iterable[str]) -> list[date]:
        wanted = set(sources)
        manifest = self.manifest()
        days: set[date] = set()
        for row in manifest.itertuples(index=False):
            if row.source in wanted:
                days.update(row.days)
        return sorted(days)

    # -- what an ingestion writes ------------------------------------------------------------

    def write_part(self, kind: str, day: date | None, part: str, rows: list[dict]) -> None:
        """One part's rows of a kind ("articles" or "quarantine") and day (None: undated)."""
        schema = _PART_TABLES[kind].arrow_schema()
        _atomic_parquet(pa.Table.from_pylist(rows, schema=schema), self.part_path(kind, day, part))

    def drop_source(self, source: str, parts: Iterable[str], days: Iterable[date]) -> None:
        """Take a file's rows out of the part files it shares with other files."""
        parts = list(parts)
        for kind in _PART_TABLES:
            for day in [*days, None]:
                for part in parts:
                    path = self.part_path(kind, day, part)
                    if not path.exists():
                        continue
                    table = pq.read_table(path)
                    kept = table.filter(pc.not_equal(table["source_file"], source))
                    if kept.num_rows:
                        _atomic_parquet(kept, path)
                    else:
                        path.unlink()

    def write_copies(self, day: date, article_ids: list[str], duplicate_of: list[str]) -> None:
        table = pa.table(
            {
                "article_id": pa.array(article_ids, pa.string()),
                "duplicate_of": pa.array(duplicate_of, pa.string()),
            }
        )
        _atomic_parquet(table, self.copies_path(day))

    def write_snapshot(self, name: str, table: pa.Table) -> None:
        _atomic_parquet(table, self.snapshot_path(name))

    def sweep(self, named: set[str]) -> None:
        """What an unfinished ingestion wrote and did not commit: part files not ``named`` (by
        a manifest row), and temporary files."""
        folders = [self.root, self.root / "copies"]
        for kind in _PART_TABLES:
            if (self.root / kind).is_dir():
                folders += [d for d in (self.root / kind).iterdir() if d.is_dir()]
        for folder in folders:
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                stray_part = (
                    folder.parent.name in _PART_TABLES
                    and path.suffix == ".parquet"
                    and path.stem not in named
                )
                if stray_part or (path.name.startswith(".") and path.name.endswith(".tmp")):
                    path.unlink()


def _read_all(folder: Path, table) -> pd.DataFrame:
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    if not files:
        return table.frame()
    arrow = pa.concat_tables([pq.read_table(f, schema=table.arrow_schema()) for f in files])
    return table.to_pandas(arrow)


def _atomic_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)
