"""The landing area: every source file is read once, and its articles land in per-day Parquet
files that the daily partitions read without touching the sources again.

Layout under ``<home>/landing``::

    articles/published_date=YYYY-MM-DD/<key>-<part>.parquet   articles of one source, one day
    quarantine/published_date=YYYY-MM-DD/<key>.parquet        quarantined records with a day
    quarantine/undated/<key>.parquet                          ... and without one
    copies/published_date=YYYY-MM-DD.parquet                  (article_id, duplicate_of) of the day
    manifest.parquet, batches.parquet                         snapshots for the sensor (lock-free)
    ingest.duckdb                                             the manifest and the duplicate index
    .lock                                                     one ingestion at a time

A file is known by its path, size, modification time and SHA-256: an unchanged file is not read
again, a file whose content equals one already read is not read again either, and a changed file
replaces what it landed before. Each ingestion is a numbered batch listing the days it touched.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.ingest import language
from pipelines.ingest.config import SourcesConfig
from pipelines.ingest.dedup import Deduplicator
from pipelines.ingest.feeds import read_feed_url
from pipelines.ingest.fetch import Fetcher
from pipelines.ingest.records import Article, Quarantined
from pipelines.ingest.sources import ReadOptions, read_file
from pipelines.ingest.warc import WarcTally
from pipelines.warehouse.schema import ARTICLES, QUARANTINE

CHUNK_ARTICLES = 2000  # articles held in memory before a part file is written
UNDATED = "undated"

MANIFEST_SQL = """
CREATE TABLE IF NOT EXISTS files (
    source VARCHAR PRIMARY KEY,      -- absolute path, or URL for a feed
    size BIGINT,
    mtime_ns BIGINT,
    sha256 VARCHAR,
    landing_key VARCHAR,
    batch INTEGER NOT NULL,
    landed_at TIMESTAMP NOT NULL,
    articles INTEGER NOT NULL,
    quarantined INTEGER NOT NULL,
    same_as VARCHAR,                 -- read as another file with the same content
    days DATE[] NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    batch INTEGER PRIMARY KEY,
    finished_at TIMESTAMP NOT NULL,
    files INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    quarantined INTEGER NOT NULL,
    days DATE[] NOT NULL
);
"""


def landing_dir(home: Path) -> Path:
    return home / "landing"


@dataclass
class IngestReport:
    """What one ingestion did, for the asset's metadata and the CLI."""

    batch: int = 0
    files_read: int = 0
    files_unchanged: int = 0
    files_touched: int = 0  # unchanged content under a new modification time
    files_same_content: int = 0
    feeds_polled: int = 0
    articles: int = 0
    entries_already_ingested: int = 0
    copies: int = 0
    quarantined: int = 0
    reasons: Counter = field(default_factory=Counter)
    set_aside_languages: Counter = field(default_factory=Counter)
    days: set[date] = field(default_factory=set)
    warc: WarcTally = field(default_factory=WarcTally)

    def note(self, record: Quarantined) -> None:
        self.quarantined += 1
        self.reasons[reason_kind(record.reason)] += 1


def reason_kind(reason: str) -> str:
    """A reason without its particulars, for counting: "invalid JSON: Expecting value at column
    2" -> "invalid JSON", "published_at 'x' is not ..." -> "published_at … is not ..."."""
    head = reason.split(": ", 1)[0] if not reason.startswith("language") else reason[:11]
    head = re.sub(r"'[^']*'", "…", head)
    return re.sub(r"\d+", "N", head).strip()


class Landing:
    """Reads of the landing area; safe while an ingestion writes (files appear atomically)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @property
    def db_path(self) -> Path:
        return self.root / "ingest.duckdb"

    def _day_dir(self, kind: str, day: date | None) -> Path:
        return self.root / kind / (f"published_date={day.isoformat()}" if day else UNDATED)

    def copies_path(self, day: date) -> Path:
        return self.root / "copies" / f"published_date={day.isoformat()}.parquet"

    # -- what the daily partitions read ------------------------------------------------------

    def day_articles(self, day: date) -> pd.DataFrame:
        frame = _read_all(self._day_dir("articles", day), ARTICLES)
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
            _read_all(self._day_dir("quarantine", day), QUARANTINE),
            _read_all(self._day_dir("quarantine", None), QUARANTINE),
        ]
        frames = [f for f in frames if not f.empty]
        if not frames:
            return QUARANTINE.frame()
        return pd.concat(frames, ignore_index=True)

    # -- what the sensor and the CLI read ----------------------------------------------------

    def manifest(self) -> pd.DataFrame:
        path = self.root / "manifest.parquet"
        if not path.exists():
            return pd.DataFrame(columns=["source", "size", "mtime_ns", "sha256", "batch", "days"])
        return pq.read_table(path).to_pandas()

    def batches(self) -> pd.DataFrame:
        path = self.root / "batches.parquet"
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


def _read_all(folder: Path, table) -> pd.DataFrame:
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    if not files:
        return table.frame()
    arrow = pa.concat_tables([pq.read_table(f, schema=table.arrow_schema()) for f in files])
    return table.to_pandas(arrow)


class Ingestor:
    """Lands new and changed sources. One at a time per home (a file lock), so a sensor-launched
    run and a manual one cannot interleave."""

    def __init__(self, root: Path, config: SourcesConfig, fetcher: Fetcher | None = None):
        self.landing = Landing(root)
        self.root = Path(root)
        self.config = config
        self.fetcher = fetcher or Fetcher(config.fetch)

    @contextmanager
    def _locked(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            con = duckdb.connect(str(self.landing.db_path))
            try:
                con.execute(MANIFEST_SQL)
                yield con
            finally:
                con.close()
                fcntl.flock(lock, fcntl.LOCK_UN)

    def run(self, poll_feeds: bool = True) -> IngestReport:
        """Land every new or changed file of the configuration (and poll the feed URLs)."""
        report = IngestReport()
        with self._locked() as con:
            dedup = Deduplicator(con, self.config.near_duplicate_threshold)
            report.batch = 1 + (con.execute("SELECT max(batch) FROM batches").fetchone()[0] or 0)
            touched: set[date] = set()
            for path in self.config.file_paths():
                touched |= self._land_file(con, dedup, path, report)
            if poll_feeds:
                for feed in self.config.feed_urls():
                    report.feeds_polled += 1
                    records = read_feed_url(feed.location, self.fetcher, feed.fetch_pages)
                    touched |= self._land(con, dedup, feed.location, records, report, rolling=True)
            self._write_copies(dedup, touched)
            report.days = touched
            if not (report.files_read or report.files_same_content or report.feeds_polled):
                if report.files_touched:
                    self._snapshot(con)
                return report  # nothing new: no batch to record
            con.execute(
                "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?)",
                [
                    report.batch,
                    _now(),
                    report.files_read + report.feeds_polled,
                    report.articles,
                    report.quarantined,
                    sorted(touched),
                ],
            )
            self._snapshot(con)
        return report

    # -- one file ----------------------------------------------------------------------------

    def _land_file(self, con, dedup: Deduplicator, path: Path, report: IngestReport) -> set[date]:
        source = str(path)
        try:
            stat = path.stat()
        except OSError:
            stat = None
        known = con.execute(
            "SELECT size, mtime_ns, sha256, landing_key, days FROM files WHERE source = ?",
            [source],
        ).fetchone()
        if stat is not None and known and (known[0], known[1]) == (stat.st_size, stat.st_mtime_ns):
            report.files_unchanged += 1
            return set()
        digest = _sha256(path) if stat is not None else None
        if known and digest is not None and known[2] == digest:
            # Touched but not changed: remember the new stat, read nothing.
            con.execute(
                "UPDATE files SET size = ?, mtime_ns = ? WHERE source = ?",
                [stat.st_size, stat.st_mtime_ns, source],
            )
            report.files_unchanged += 1
            report.files_touched += 1
            return set()
        twin = None
        if digest is not None:
            twin = con.execute(
                "SELECT source FROM files WHERE sha256 = ? AND source <> ? AND same_as IS NULL",
                [digest, source],
            ).fetchone()
        if twin:
            report.files_same_content += 1
            self._record_file(con, source, stat, digest, None, report.batch, 0, 0, [], twin[0])
            return set()
        touched: set[date] = set()
        con.execute("BEGIN TRANSACTION")
        try:
            if known:
                touched |= self._forget(con, dedup, source, known[3], known[4])
            report.files_read += 1
            options = ReadOptions(
                max_record_bytes=self.config.max_record_bytes,
                fetch_pages=self.config.fetch_pages_for(path),
                fetcher=self.fetcher,
                warc_tally=report.warc,
            )
            key = (digest or hashlib.sha256(source.encode()).hexdigest())[:24]
            touched |= self._land(
                con,
                dedup,
                source,
                read_file(path, options),
                report,
                key=key,
                stat=stat,
                digest=digest,
                in_transaction=True,
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return touched

    def _forget(self, con, dedup: Deduplicator, source: str, key: str, days: list) -> set[date]:
        """A changed file replaces what it landed before: remove its landing files and articles."""
        for kind in ("articles", "quarantine"):
            for folder in [
                *(self.landing._day_dir(kind, d) for d in days),
                self.landing._day_dir(kind, None),
            ]:
                for stale in folder.glob(f"{key}*.parquet") if folder.is_dir() else []:
                    stale.unlink()
        changed = dedup.remove(source)
        con.execute("DELETE FROM files WHERE source = ?", [source])
        return set(days) | changed

    # -- records to landing files ------------------------------------------------------------

    def _land(
        self,
        con,
        dedup: Deduplicator,
        source: str,
        records: Iterable[Article | Quarantined],
        report: IngestReport,
        *,
        key: str | None = None,
        stat: os.stat_result | None = None,
        digest: str | None = None,
        rolling: bool = False,
        in_transaction: bool = False,
    ) -> set[date]:
        """Screen, deduplicate and write one source's records. ``rolling`` sources (feed URLs)
        come back with entries already landed: those are passed over, not quarantined."""
        if key is None:
            key = hashlib.sha256(f"{source}#{report.batch}".encode()).hexdigest()[:24]
        if not in_transaction:
            con.execute("BEGIN TRANSACTION")
        try:
            touched, articles_n, quarantined_n, days = self._land_records(
                con, dedup, source, records, report, key, rolling
            )
            if rolling:
                previous = con.execute(
                    "SELECT days, articles, quarantined FROM files WHERE source = ?", [source]
                ).fetchone()
                if previous:
                    days |= set(previous[0])
                    articles_n += previous[1]
                    quarantined_n += previous[2]
                    con.execute("DELETE FROM files WHERE source = ?", [source])
            self._record_file(
                con,
                source,
                stat,
                digest,
                key,
                report.batch,
                articles_n,
                quarantined_n,
                sorted(days),
                None,
            )
            if not in_transaction:
                con.execute("COMMIT")
        except BaseException:
            if not in_transaction:
                con.execute("ROLLBACK")
            raise
        return touched

    def _land_records(self, con, dedup, source, records, report, key, rolling):
        keep = self.config.languages
        touched: set[date] = set()
        days: set[date] = set()
        articles_n = quarantined_n = part = 0
        quarantine: dict[date | None, list[dict]] = {}
        chunk: list[Article] = []

        def flush() -> None:
            nonlocal part, articles_n
            if not chunk:
                return
            clashes = dedup.known(a.id for a in chunk)
            fresh: list[Article] = []
            for article in chunk:
                clash = clashes.get(article.id)
                if clash is None:
                    fresh.append(article)
                elif rolling and clash.source == source:
                    report.entries_already_ingested += 1
                else:
                    set_aside(
                        Quarantined(
                            source,
                            article.where,
                            f"duplicate id: already ingested from {clash.source}, {clash.location}",
                            Quarantined.clip(article.text),
                            article.id,
                            article.published_date,
                        )
                    )
            chunk.clear()
            touched.update(dedup.add(fresh, source))
            by_day: dict[date, list[dict]] = {}
            for article in fresh:
                row = article.as_row()
                row["article_id"] = row.pop("id")
                row["duplicate_of"] = None
                by_day.setdefault(article.published_date, []).append(row)
            for day, rows in by_day.items():
                _write(
                    self.landing._day_dir("articles", day) / f"{key}-{part:04d}.parquet",
                    ARTICLES,
                    rows,
                )
                days.add(day)
                touched.add(day)
            part += 1
            articles_n += len(fresh)
            report.articles += len(fresh)

        def set_aside(record: Quarantined) -> None:
            nonlocal quarantined_n
            quarantine.setdefault(record.published_date, []).append(record.as_row())
            quarantined_n += 1
            report.note(record)

        for record in records:
            if isinstance(record, Quarantined):
                set_aside(record)
                continue
            verdict = language.detect(record.text, keep)
            if not verdict.keep:
                report.set_aside_languages[verdict.language] += 1
                set_aside(
                    Quarantined(
                        source,
                        record.where,
                        language.set_aside_reason(verdict, keep),
                        Quarantined.clip(record.text),
                        record.id,
                        record.published_date,
                    )
                )
                continue
            chunk.append(_with_language(record, verdict.language))
            if len(chunk) >= CHUNK_ARTICLES:
                flush()
        flush()
        for day, rows in quarantine.items():
            _write(self.landing._day_dir("quarantine", day) / f"{key}.parquet", QUARANTINE, rows)
            if day is not None:
                days.add(day)
                touched.add(day)
        return touched, articles_n, quarantined_n, days

    def _record_file(
        self, con, source, stat, digest, key, batch, articles, quarantined, days, same_as
    ):
        con.execute("DELETE FROM files WHERE source = ?", [source])
        con.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                source,
                stat.st_size if stat else None,
                stat.st_mtime_ns if stat else None,
                digest,
                key,
                batch,
                _now(),
                articles,
                quarantined,
                same_as,
                days,
            ],
        )

    # -- after the batch ---------------------------------------------------------------------

    def _write_copies(self, dedup: Deduplicator, days: set[date]) -> None:
        if not days:
            return
        copies = dedup.copies_on(days)
        for day in days:
            rows = copies[_dates(copies["published_date"]) == day]
            table = pa.table(
                {
                    "article_id": pa.array(rows["article_id"].tolist(), pa.string()),
                    "duplicate_of": pa.array(rows["duplicate_of"].tolist(), pa.string()),
                }
            )
            _atomic_parquet(table, self.landing.copies_path(day))

    def _snapshot(self, con) -> None:
        for name, sql in (
            (
                "manifest",
                "SELECT source, size, mtime_ns, sha256, batch, days FROM files ORDER BY source",
            ),
            ("batches", "SELECT batch, finished_at, days FROM batches ORDER BY batch"),
        ):
            with warnings.catch_warnings():
                # DuckDB warns that Arrow output of execute() copies the rows: these are small.
                warnings.simplefilter("ignore", UserWarning)
                table = con.execute(sql).to_arrow_table()
            _atomic_parquet(table, self.root / f"{name}.parquet")


def _with_language(article: Article, code: str) -> Article:
    if article.language == code:
        return article
    return replace(article, language=code)


def _write(path: Path, table, rows: list[dict]) -> None:
    arrow = pa.Table.from_pylist(rows, schema=table.arrow_schema())
    _atomic_parquet(arrow, path)


def _atomic_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dates(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column).dt.date if len(column) else column


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
