"""The records of a batch's sources, screened and pooled into part files, one commit a part.

Records of many small files (a folder of pages) share part files of up to CHUNK_ARTICLES
articles, so one file costs about what its articles cost. A part commits with the manifest rows
of the files it completes, their duplicate index entries and the days it touched, in one DuckDB
transaction: a crash loses at most the part being written, and the file it was reading is read
again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from pipelines.datamodel.record_frames import article_row
from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest import language
from pipelines.ingest.copy_index import Deduplicator, Known
from pipelines.ingest.ingest_report import IngestReport
from pipelines.ingest.landing_area import Landing
from pipelines.ingest.landing_manifest import Manifest, add_pending_days, transaction
from pipelines.ingest.record_rules import within_length
from pipelines.ingest.screening import Screener
from pipelines.ingest.timestamps import outside_days_held, start_date, today_utc

CHUNK_ARTICLES = 2000  # articles held in memory before a part file is written
SCREEN_BATCH = 512  # records read while the batch before them is screened
_Pooled = tuple[str, Article, np.ndarray | None]  # source, article, its near-duplicate signature


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

    def landed(self, part: str, day: date | None) -> None:
        self.parts.add(part)
        if day is not None:
            self.days.add(day)


class Pool:
    """Articles and quarantined records of the batch's sources, pooled into part files."""

    def __init__(
        self,
        landing: Landing,
        con,
        dedup: Deduplicator,
        report: IngestReport,
        manifest: Manifest,
        screener: Screener,
        languages: tuple[str, ...],
    ):
        self.landing = landing
        self.con = con
        self.dedup = dedup
        self.report = report
        self.manifest = manifest
        self.screener = screener
        self.keep = languages
        # The days a daily partition can hold: an article outside them would never be published.
        self.first_day, self.today = start_date(), today_utc()
        self.touched: set[date] = set()
        self.part = 0
        self.articles: list[_Pooled] = []
        # the source as the manifest names it, and the record
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
        return record if reason is None else _quarantined(record, reason)

    def _held_day(self, day: date | None) -> date | None:
        """The day whose partition publishes a quarantine record: its own when held, else every
        day's (as for undated records)."""
        if day is None or outside_days_held(day, self.first_day, self.today):
            return None
        return day

    def _take(self, source: str, batch: list, screened: Callable) -> None:
        """Pool a batch's records, in order, now that its articles are screened."""
        results = iter(screened())
        for record in batch:
            if isinstance(record, Quarantined):
                self._set_aside(source, record)
                continue
            verdict, signature = next(results)
            if not verdict.keep:
                self.report.set_aside_languages[verdict.language] += 1
                reason = language.set_aside_reason(verdict, self.keep)
                self._set_aside(source, _quarantined(record, reason))
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
        with transaction(self.con):
            self.manifest.save(self.con)
        self.landing.drop_source(source, parts, days)
        with transaction(self.con):
            self.touched |= set(days) | self.dedup.remove(source)
            self.manifest.remove(source)
            self.manifest.save(self.con)
            add_pending_days(self.con, self.touched)

    def flush(self, final: bool = False) -> None:
        """Write the pooled records as one part, with the index and manifest, in one commit."""
        if not self.articles and not self.quarantine and not final:
            return
        with transaction(self.con):
            fresh = self._fresh(self.articles)
            self.touched |= self.dedup.add(
                [a for _, a, _ in fresh], [s for s, _, _ in fresh], [g for _, _, g in fresh]
            )
            rows: dict[tuple[str, date | None], list[dict]] = {}  # by kind and day
            for source, article, _ in fresh:
                row = article_row(article)
                row["duplicate_of"] = None
                rows.setdefault(("articles", article.published_date), []).append(row)
                state = self.sources[source]
                state.articles += 1
                state.landed(self.key, article.published_date)
            for source, record in self.quarantine:
                day = self._held_day(record.published_date)
                rows.setdefault(("quarantine", day), []).append(record.as_row())
                state = self.sources[source]
                state.quarantined += 1
                state.landed(self.key, day)
            for (kind, day), part_rows in rows.items():
                self.landing.write_part(kind, day, self.key, part_rows)
            self.touched |= {day for _, day in rows if day is not None}
            self.report.articles += len(fresh)
            for source, state in list(self.sources.items()):
                self._record(source, state)
                if state.done:
                    del self.sources[source]
            self.manifest.save(self.con)
            add_pending_days(self.con, self.touched)
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
                reason = f"duplicate id: already ingested from {clash.source}, {clash.location}"
                self._set_aside(source, _quarantined(article, reason))
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


def _quarantined(article: Article, reason: str) -> Quarantined:
    return Quarantined(
        article.source_file,
        article.where,
        reason,
        Quarantined.clip(article.text),
        article.id,
        article.published_date,
    )


def _with_language(article: Article, code: str) -> Article:
    if article.language == code:
        return article
    return replace(article, language=code)


def batched(records: Iterable, size: int) -> Iterator[list]:
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
