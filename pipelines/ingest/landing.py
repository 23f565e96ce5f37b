"""The landing area: every source file is read once, and its articles land in per-day Parquet
files that the daily partitions read without touching the sources again.

Layout under ``<home>/landing``::

    articles/published_date=YYYY-MM-DD/b<batch>-<part>.parquet   articles of a part, one day
    quarantine/published_date=YYYY-MM-DD/b<batch>-<part>.parquet quarantined records with a day
    quarantine/undated/b<batch>-<part>.parquet                   ... and without one
    copies/published_date=YYYY-MM-DD.parquet                  (article_id, duplicate_of) of the day
    manifest.parquet, batches.parquet                         snapshots for the sensor (lock-free)
    ingest.duckdb                                             the manifest and the duplicate index
    .lock                                                     one ingestion at a time
    .unfinished                                               an ingestion began and has not ended

A file is known by its path, size, modification time and SHA-256: an unchanged file is not read
again, a file whose content equals one already read is not read again either, and a changed file
replaces what it landed before. Each ingestion is a numbered batch listing the days it touched.

A part commits with the manifest rows of its files, their duplicate index entries and the days it
touched, in one DuckDB transaction; the snapshots, the copies and the batch follow at the end. An
ingestion killed or failed on the way leaves ``.unfinished`` behind, and the next one completes
it: part files no committed row names are deleted, a file cut short is read again, and the days
the unfinished one touched go into the next batch, so nothing landed is lost or landed twice.
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
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.datamodel.tables import ARTICLES, QUARANTINE
from pipelines.ingest import language
from pipelines.ingest.config import SourcesConfig
from pipelines.ingest.copy_index import Deduplicator, Known
from pipelines.ingest.feeds import read_feed_url
from pipelines.ingest.fetch import Fetcher
from pipelines.ingest.records import Article, Quarantined, within_length
from pipelines.ingest.screening import Screener
from pipelines.ingest.sources import ReadOptions, hidden_files, read_file
from pipelines.ingest.timestamps import outside_days_held, start_date, today_utc
from pipelines.ingest.warc import WarcTally

CHUNK_ARTICLES = 2000  # articles held in memory before a part file is written
SCREEN_BATCH = 512  # records read while the batch before them is screened
_Pooled = tuple[str, Article, np.ndarray | None]  # source, article, its near-duplicate signature
UNDATED = "undated"
UNFINISHED = ".unfinished"

MANIFEST_SQL = """
CREATE TABLE IF NOT EXISTS files (
    source VARCHAR PRIMARY KEY,      -- absolute path, or URL for a feed
    size BIGINT,
    mtime_ns BIGINT,
    sha256 VARCHAR,
    parts VARCHAR[] NOT NULL,        -- landing part files holding its records
    batch INTEGER NOT NULL,
    landed_at TIMESTAMP NOT NULL,
    articles INTEGER NOT NULL,
    quarantined INTEGER NOT NULL,
    same_as VARCHAR,                 -- read as another file with the same content
    days DATE[] NOT NULL,
    complete BOOLEAN NOT NULL        -- false while (or if a crash left) it part-landed
);
CREATE TABLE IF NOT EXISTS batches (
    batch INTEGER PRIMARY KEY,
    finished_at TIMESTAMP NOT NULL,
    files INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    quarantined INTEGER NOT NULL,
    days DATE[] NOT NULL
);
-- days touched by committed parts that no batch lists yet
CREATE TABLE IF NOT EXISTS pending_days (day DATE PRIMARY KEY);
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
    hidden_skipped: list[Path] = field(default_factory=list)  # in folders, named .something
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
        frame = pd.concat(frames, ignore_index=True)
        # One row per place in a file (the warehouse's key): a feed that failed on several polls
        # keeps its latest reason.
        frame = frame.drop_duplicates(["source_file", "location"], keep="last")
        # In the order of the files, whichever batches landed them.
        frame = frame.sort_values(["source_file", "location"], kind="stable")
        return frame.reset_index(drop=True)

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


_MANIFEST_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("sha256", pa.string()),
        ("parts", pa.list_(pa.string())),
        ("batch", pa.int32()),
        ("landed_at", pa.timestamp("us")),
        ("articles", pa.int32()),
        ("quarantined", pa.int32()),
        ("same_as", pa.string()),
        ("days", pa.list_(pa.date32())),
        ("complete", pa.bool_()),
    ]
)


class _Manifest:
    """The files table, held in memory for the batch (one query, not a few per file) and
    written back with each part."""

    def __init__(self, con):
        names = ", ".join(_MANIFEST_SCHEMA.names)
        self.rows = {
            row[0]: dict(zip(_MANIFEST_SCHEMA.names, row, strict=True))
            for row in con.execute(f"SELECT {names} FROM files").fetchall()
        }
        self.by_sha = {
            row["sha256"]: source
            for source, row in self.rows.items()
            if row["sha256"] and row["complete"] and row["same_as"] is None
        }
        self.changed: set[str] = set()

    def get(self, source: str) -> dict | None:
        return self.rows.get(source)

    def twin(self, digest: str, source: str) -> str | None:
        other = self.by_sha.get(digest)
        return other if other and other != source else None

    def put(self, source: str, **values) -> None:
        row = self.rows.setdefault(source, {"source": source})
        row.update(values, landed_at=_now())
        if row.get("complete") and row.get("same_as") is None and row.get("sha256"):
            self.by_sha[row["sha256"]] = source
        self.changed.add(source)

    def remove(self, source: str) -> None:
        row = self.rows.pop(source, None)
        if row and self.by_sha.get(row.get("sha256")) == source:
            del self.by_sha[row["sha256"]]
        self.changed.add(source)

    def save(self, con) -> None:
        if not self.changed:
            return
        changed = sorted(self.changed)
        con.execute("DELETE FROM files WHERE source IN (SELECT unnest(?::VARCHAR[]))", [changed])
        rows = [self.rows[s] for s in changed if s in self.rows]
        if rows:
            table = pa.Table.from_pylist(rows, schema=_MANIFEST_SCHEMA)
            con.register("manifest_rows", table)
            con.execute("INSERT INTO files BY NAME SELECT * FROM manifest_rows")
            con.unregister("manifest_rows")
        self.changed.clear()


class Ingestor:
    """Lands new and changed sources. One at a time per home (a file lock), so a sensor-launched
    run and a manual one cannot interleave.

    Records of many small files (a folder of pages) are pooled into shared part files of up to
    CHUNK_ARTICLES articles, so one file costs about what its articles cost; each part commits
    with the manifest rows of the files it completes.
    """

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
        try:
            return self._run(poll_feeds)
        finally:
            # The process goes on to code (and forks its workers) or waits for the next file:
            # it has no use for the language model until it lands again.
            language.release()

    def _run(self, poll_feeds: bool) -> IngestReport:
        report = IngestReport()
        with self._locked() as con:
            dedup = Deduplicator(con, self.config.near_duplicate_threshold)
            unfinished = self.root / UNFINISHED
            recovering = unfinished.exists()
            if recovering:
                self._sweep(con)
            unfinished.touch()
            # Past the batches and the files rows, so that no part of an unfinished ingestion
            # shares a name with this one's.
            report.batch = 1 + max(
                con.execute("SELECT max(batch) FROM batches").fetchone()[0] or 0,
                con.execute("SELECT max(batch) FROM files").fetchone()[0] or 0,
            )
            manifest = _Manifest(con)
            report.hidden_skipped = hidden_files(
                p for p in (self.config.inbox, *self.config.files) if p is not None
            )
            with Screener(self.config.languages) as screener:
                pool = _Pool(self, con, dedup, report, manifest, screener)
                for path in self.config.file_paths():
                    self._land_file(manifest, pool, path, report)
                if poll_feeds:
                    for feed in self.config.feed_urls():
                        report.feeds_polled += 1
                        records = read_feed_url(feed.location, self.fetcher, feed.fetch_pages)
                        pool.add_source(feed.location, records, rolling=True)
            pool.flush(final=True)
            _in_transaction(con, manifest.save)
            days = pool.touched | {
                r[0] for r in con.execute("SELECT day FROM pending_days").fetchall()
            }
            report.days = days
            news = report.files_read or report.files_same_content or report.feeds_polled
            if news or days:
                self._write_copies(dedup, days)
                con.execute("BEGIN TRANSACTION")
                con.execute(
                    "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        report.batch,
                        _now(),
                        report.files_read + report.feeds_polled,
                        report.articles,
                        report.quarantined,
                        sorted(days),
                    ],
                )
                con.execute("DELETE FROM pending_days")
                con.execute("COMMIT")
            if news or days or recovering or report.files_touched:
                self._snapshot(con)
            unfinished.unlink()
        return report

    def _sweep(self, con) -> None:
        """What an unfinished ingestion wrote and did not commit: part files that no manifest
        row names, and temporary files."""
        named = {
            part for (parts,) in con.execute("SELECT parts FROM files").fetchall() for part in parts
        }
        folders = [self.root, self.root / "copies"]
        for kind in ("articles", "quarantine"):
            if (self.root / kind).is_dir():
                folders += [d for d in (self.root / kind).iterdir() if d.is_dir()]
        for folder in folders:
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                stray_part = (
                    folder.parent.name in ("articles", "quarantine")
                    and path.suffix == ".parquet"
                    and path.stem not in named
                )
                if stray_part or (path.name.startswith(".") and path.name.endswith(".tmp")):
                    path.unlink()

    def _land_file(
        self, manifest: _Manifest, pool: _Pool, path: Path, report: IngestReport
    ) -> None:
        source = str(path)
        try:
            stat = path.stat()
        except OSError:
            stat = None
        known = manifest.get(source)
        complete = bool(known and known["complete"])
        if (
            stat is not None
            and complete
            and (known["size"], known["mtime_ns"]) == (stat.st_size, stat.st_mtime_ns)
        ):
            report.files_unchanged += 1
            return
        digest = _sha256(path) if stat is not None else None
        if complete and digest is not None and known["sha256"] == digest:
            # Touched but not changed: remember the new stat, read nothing.
            manifest.put(source, size=stat.st_size, mtime_ns=stat.st_mtime_ns)
            report.files_unchanged += 1
            report.files_touched += 1
            return
        twin = manifest.twin(digest, source) if digest is not None else None
        if twin:
            report.files_same_content += 1
            manifest.put(
                source,
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
                sha256=digest,
                parts=[],
                batch=report.batch,
                articles=0,
                quarantined=0,
                same_as=twin,
                days=[],
                complete=True,
            )
            return
        if known:  # changed, or cut short by a crash: what it landed before goes first
            pool.forget(source)
        report.files_read += 1
        options = ReadOptions(
            max_record_bytes=self.config.max_record_bytes,
            fetch_pages=self.config.fetch_pages_for(path),
            fetcher=self.fetcher,
            warc_tally=report.warc,
        )
        pool.add_source(source, read_file(path, options), stat=stat, digest=digest)

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


@dataclass
class _SourceState:
    stat: os.stat_result | None
    digest: str | None
    rolling: bool
    base: dict | None = None  # a polled feed's manifest row before this batch
    parts: set[str] = field(default_factory=set)
    days: set[date] = field(default_factory=set)
    articles: int = 0
    quarantined: int = 0
    done: bool = False


class _Pool:
    """Articles and quarantined records of the batch's sources, pooled into part files."""

    def __init__(
        self,
        ingestor: Ingestor,
        con,
        dedup: Deduplicator,
        report: IngestReport,
        manifest: _Manifest,
        screener: Screener,
    ):
        self.manifest = manifest
        self.screener = screener
        self.ingestor = ingestor
        self.landing = ingestor.landing
        self.con = con
        self.dedup = dedup
        self.report = report
        self.keep = ingestor.config.languages
        # The days a daily partition can hold: an article outside them would never be published.
        self.first_day, self.today = start_date(), today_utc()
        self.touched: set[date] = set()
        self.part = 0
        # the source as the manifest names it, the record, and the article's signature
        self.articles: list[_Pooled] = []
        self.quarantine: list[tuple[str, Quarantined]] = []
        self.sources: dict[str, _SourceState] = {}

    @property
    def key(self) -> str:
        return f"b{self.report.batch:06d}-{self.part:05d}"

    def add_source(
        self,
        source: str,
        records: Iterable[Article | Quarantined],
        *,
        stat: os.stat_result | None = None,
        digest: str | None = None,
        rolling: bool = False,
    ) -> None:
        base = dict(self.manifest.get(source) or {}) if rolling else None
        state = self.sources[source] = _SourceState(stat, digest, rolling, base or None)
        records = map(self._held, records)
        # Each batch is screened (language, signature) on the screener's workers while the next
        # one is read here.
        pending = None
        for batch in batched(map(within_length, records), SCREEN_BATCH):
            screened = self.screener.submit([r.text for r in batch if isinstance(r, Article)])
            if pending is not None:
                self._take(source, *pending)
            pending = (batch, screened)
        if pending is not None:
            self._take(source, *pending)
        state.done = True
        if len(self.quarantine) >= CHUNK_ARTICLES:
            self.flush()

    def _held(self, record: Article | Quarantined) -> Article | Quarantined:
        """The article, or its quarantine record when it is dated outside the days held."""
        if isinstance(record, Quarantined):
            return record
        reason = outside_days_held(record.published_date, self.first_day, self.today)
        if reason is None:
            return record
        return Quarantined(
            record.source_file,
            record.where,
            reason,
            Quarantined.clip(record.text),
            record.id,
            record.published_date,
        )

    def _held_day(self, day: date | None) -> date | None:
        """The day whose partition publishes a quarantine record: its own when held, else every
        day's (as for undated records)."""
        if day is None or outside_days_held(day, self.first_day, self.today):
            return None
        return day

    def _take(self, source: str, batch, screened) -> None:
        """Pool a batch's records, in order, now that its articles are screened."""
        results = iter(screened())
        for record in batch:
            if isinstance(record, Quarantined):
                self._set_aside(source, record)
                continue
            verdict, signature = next(results)
            if not verdict.keep:
                self.report.set_aside_languages[verdict.language] += 1
                self._set_aside(
                    source,
                    Quarantined(
                        source,
                        record.where,
                        language.set_aside_reason(verdict, self.keep),
                        Quarantined.clip(record.text),
                        record.id,
                        record.published_date,
                    ),
                )
                continue
            self.articles.append((source, _with_language(record, verdict.language), signature))
            if len(self.articles) >= CHUNK_ARTICLES:
                self.flush()

    def _set_aside(self, source: str, record: Quarantined) -> None:
        self.quarantine.append((source, record))
        self.report.note(record)

    def forget(self, source: str) -> None:
        """A changed file replaces what it landed before: its rows leave the part files they
        share with other files, and its articles leave the duplicate index."""
        known = self.manifest.get(source)
        parts, days = known["parts"], known["days"]
        # Read again from the start if killed while its rows leave the parts.
        self.manifest.put(source, complete=False)
        _in_transaction(self.con, self.manifest.save)
        folders = [
            self.landing._day_dir(kind, d)
            for kind in ("articles", "quarantine")
            for d in [*days, None]
        ]
        for folder in folders:
            for part in parts:
                path = folder / f"{part}.parquet"
                if path.exists():
                    table = pq.read_table(path)
                    kept = table.filter(pc.not_equal(table["source_file"], source))
                    if kept.num_rows:
                        _atomic_parquet(kept, path)
                    else:
                        path.unlink()
        self.con.execute("BEGIN TRANSACTION")
        self.touched |= set(days) | self.dedup.remove(source)
        self.manifest.remove(source)
        self.manifest.save(self.con)
        self._pending()
        self.con.execute("COMMIT")

    def _pending(self) -> None:
        """Inside the transaction: the days touched so far, for the batch that records them (this
        one, or the next ingestion's if this one does not finish)."""
        if self.touched:
            self.con.execute(
                "INSERT OR IGNORE INTO pending_days SELECT unnest(?::DATE[])",
                [sorted(self.touched)],
            )

    def flush(self, final: bool = False) -> None:
        """Write the pooled records as one part, with the index and manifest, in one commit."""
        if not self.articles and not self.quarantine and not final:
            return
        self.con.execute("BEGIN TRANSACTION")
        try:
            fresh = self._fresh(self.articles)
            self.touched |= self.dedup.add(
                [a for _, a, _ in fresh], [s for s, _, _ in fresh], [g for _, _, g in fresh]
            )
            by_day: dict[date, list[dict]] = {}
            for source, article, _ in fresh:
                row = article.as_row()
                row["article_id"] = row.pop("id")
                row["duplicate_of"] = None
                by_day.setdefault(article.published_date, []).append(row)
                state = self.sources[source]
                state.articles += 1
                state.days.add(article.published_date)
                state.parts.add(self.key)
            for day, rows in by_day.items():
                _write(
                    self.landing._day_dir("articles", day) / f"{self.key}.parquet", ARTICLES, rows
                )
            quarantine_by_day: dict[date | None, list[dict]] = {}
            for source, record in self.quarantine:
                day = self._held_day(record.published_date)
                quarantine_by_day.setdefault(day, []).append(record.as_row())
                state = self.sources[source]
                state.quarantined += 1
                state.parts.add(self.key)
                if day is not None:
                    state.days.add(day)
            for day, rows in quarantine_by_day.items():
                _write(
                    self.landing._day_dir("quarantine", day) / f"{self.key}.parquet",
                    QUARANTINE,
                    rows,
                )
            self.touched |= set(by_day) | {d for d in quarantine_by_day if d is not None}
            self.report.articles += len(fresh)
            for source, state in list(self.sources.items()):
                self._record(source, state)
                if state.done:
                    del self.sources[source]
            self.manifest.save(self.con)
            self._pending()
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.articles = []
        self.quarantine = []
        self.part += 1

    def _fresh(self, articles: list[_Pooled]) -> list[_Pooled]:
        """Articles whose id is new; a known id is a re-polled feed entry (passed over) or a
        clash with another record (quarantined)."""
        clashes = self.dedup.known(a.id for _, a, _ in articles)
        fresh: list[_Pooled] = []
        for source, article, signature in articles:
            clash = clashes.get(article.id)
            if clash is None:
                clashes[article.id] = Known(article.id, source, article.where)
                fresh.append((source, article, signature))
            elif self.sources[source].rolling and clash.source == source:
                self.report.entries_already_ingested += 1
            else:
                record = Quarantined(
                    article.source_file,
                    article.where,
                    f"duplicate id: already ingested from {clash.source}, {clash.location}",
                    Quarantined.clip(article.text),
                    article.id,
                    article.published_date,
                )
                self.quarantine.append((source, record))
                self.report.note(record)
        return fresh

    def _record(self, source: str, state: _SourceState) -> None:
        previous = state.base
        parts, days = set(state.parts), set(state.days)
        articles, quarantined = state.articles, state.quarantined
        if previous:  # a feed polled again: its history goes on
            parts |= set(previous["parts"])
            days |= set(previous["days"])
            articles += previous["articles"]
            quarantined += previous["quarantined"]
        self.manifest.put(
            source,
            size=state.stat.st_size if state.stat else None,
            mtime_ns=state.stat.st_mtime_ns if state.stat else None,
            sha256=state.digest,
            parts=sorted(parts),
            batch=self.report.batch,
            articles=articles,
            quarantined=quarantined,
            same_as=None,
            days=sorted(days),
            complete=state.done,
        )


def _in_transaction(con, work) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        work(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def batched(records: Iterable, size: int) -> Iterator[list]:
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


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
