"""An ingestion: every new or changed source file is read once, and its articles land in per-day
Parquet files that the daily partitions read without touching the sources again
(``landing_area``).

An unchanged file is not read again, a file whose content equals one already read is not read
again either, and a changed file replaces what it landed before. The records read are pooled
into part files, each committed with the manifest (``part_pool``); the copies of the days
touched, the batch and the snapshots follow at the end.

An ingestion killed or failed on the way leaves ``.unfinished`` behind, and the next one completes
it: part files no committed row names are deleted, a file cut short is read again, and the days
the unfinished one touched go into the next batch, so nothing landed is lost or landed twice.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pandas as pd

from pipelines.ingest import language
from pipelines.ingest.config import SourcesConfig
from pipelines.ingest.copy_index import Deduplicator
from pipelines.ingest.feeds import read_feed_url
from pipelines.ingest.fetch import Fetcher
from pipelines.ingest.ingest_report import IngestReport
from pipelines.ingest.landing_area import Landing
from pipelines.ingest.landing_manifest import (
    Manifest,
    locked,
    next_batch,
    pending_days,
    record_batch,
    snapshots,
    transaction,
)
from pipelines.ingest.part_pool import Pool
from pipelines.ingest.screening import Screener
from pipelines.ingest.sources import ReadOptions, hidden_files, read_file


class Ingestor:
    """Lands new and changed sources, one ingestion at a time per landing area."""

    def __init__(self, root: Path, config: SourcesConfig, fetcher: Fetcher | None = None):
        self.landing = Landing(root)
        self.root = Path(root)
        self.config = config
        self.fetcher = fetcher or Fetcher(config.fetch)

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
        with locked(self.root, self.landing.db_path) as con:
            dedup = Deduplicator(con, self.config.near_duplicate_threshold)
            manifest = Manifest(con)
            unfinished = self.landing.unfinished
            recovering = unfinished.exists()
            if recovering:
                self.landing.sweep(manifest.parts())
            unfinished.touch()
            report.batch = next_batch(con)
            report.hidden_skipped = hidden_files(
                p for p in (self.config.inbox, *self.config.files) if p is not None
            )
            with Screener(self.config.languages) as screener:
                pool = Pool(
                    self.landing, con, dedup, report, manifest, screener, self.config.languages
                )
                for path in self.config.file_paths():
                    self._land_file(manifest, pool, path, report)
                if poll_feeds:
                    for feed in self.config.feed_urls():
                        report.feeds_polled += 1
                        records = read_feed_url(feed.location, self.fetcher, feed.fetch_pages)
                        pool.add_source(feed.location, records, rolling=True)
            pool.flush(final=True)
            with transaction(con):
                manifest.save(con)
            days = pool.touched | pending_days(con)
            report.days = days
            news = report.files_read or report.files_same_content or report.feeds_polled
            if news or days:
                self._write_copies(dedup, days)
                files = report.files_read + report.feeds_polled
                record_batch(con, report.batch, files, report.articles, report.quarantined, days)
            if news or days or recovering or report.files_touched:
                for name, table in snapshots(con):
                    self.landing.write_snapshot(name, table)
            unfinished.unlink()
        return report

    def _land_file(self, manifest: Manifest, pool: Pool, path: Path, report: IngestReport) -> None:
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

    def _write_copies(self, dedup: Deduplicator, days: set[date]) -> None:
        if not days:
            return
        copies = dedup.copies_on(days)
        published = _dates(copies["published_date"])
        for day in days:
            rows = copies[published == day]
            self.landing.write_copies(
                day, rows["article_id"].tolist(), rows["duplicate_of"].tolist()
            )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dates(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column).dt.date if len(column) else column
