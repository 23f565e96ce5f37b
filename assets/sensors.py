"""The inbox sensor: new or changed files in the inbox start an ingestion, and the days an
ingestion touched get their daily runs.

Each tick it (1) asks for a `daily_events` run for every day touched by ingestion batches it has
not seen yet, one RunRequest per partition key, and (2) compares the inbox (and the sources
file's other files) with the landing manifest: files that are new or changed, and have not been
written to for a few seconds, start one ingestion run. The cursor remembers the last batch seen
and the files already asked for, so nothing is asked twice; a file whose ingestion never landed
is asked again after a while. Feed URLs are polled on their own interval.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from datetime import date

import dagster as dg

from assets.partitions import daily_partitions
from assets.resources import ArticleSources, LandingArea

SETTLE_SECONDS = 5.0  # a file still being written is left for the next tick
RETRY_SECONDS = 15 * 60  # ask again for a file whose ingestion has not landed by then
FEED_POLL_SECONDS = 60 * 60


@dataclass
class InboxCursor:
    landed_batch: int = 0
    requested: dict[str, list[float]] = field(default_factory=dict)  # path -> [size, mtime_ns, at]
    feeds_polled_at: float = 0.0

    @classmethod
    def parse(cls, raw: str | None) -> InboxCursor:
        if not raw:
            return cls()
        try:
            return cls(**json.loads(raw))
        except (ValueError, TypeError):
            return cls()

    def dump(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def build_inbox_sensor(
    ingest_job, daily_job, minimum_interval_seconds: int = 30
) -> dg.SensorDefinition:
    @dg.sensor(
        name="inbox_sensor",
        jobs=[ingest_job, daily_job],
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Starts an ingestion when files arrive or change in the inbox, then one "
        "daily run for each publication day the ingestion touched.",
    )
    def inbox_sensor(
        context: dg.SensorEvaluationContext, sources: ArticleSources, landing: LandingArea
    ):
        cursor = InboxCursor.parse(context.cursor)
        requests = day_requests(landing, cursor, daily_job.name, context.log)
        ingest = ingest_request(sources, landing, cursor, ingest_job.name, time.time())
        if ingest is not None:
            requests.append(ingest)
        return dg.SensorResult(
            run_requests=requests,
            cursor=cursor.dump(),
            skip_reason=None if requests else "no new files, no newly landed days",
        )

    return inbox_sensor


def day_requests(landing: LandingArea, cursor: InboxCursor, job_name: str, log) -> list:
    batches = landing.landing().batches()
    fresh = batches[batches["batch"] > cursor.landed_batch]
    if fresh.empty:
        return []
    days: set[date] = set()
    for touched in fresh["days"]:
        days.update(touched)
    latest = int(fresh["batch"].max())
    cursor.landed_batch = latest
    keys = [d.isoformat() for d in sorted(days)]
    valid = [k for k in keys if daily_partitions.has_partition_key(k)]
    if len(valid) < len(keys) and log is not None:
        outside = sorted(set(keys) - set(valid))
        log.warning(f"articles landed for days outside the daily partitions: {', '.join(outside)}")
    return [
        dg.RunRequest(job_name=job_name, partition_key=key, run_key=f"{key}@batch{latest}")
        for key in valid
    ]


def ingest_request(
    sources: ArticleSources, landing: LandingArea, cursor: InboxCursor, job_name: str, now: float
) -> dg.RunRequest | None:
    config = landing.sources_config(sources)
    landed = {
        row.source: (row.size, row.mtime_ns)
        for row in landing.landing().manifest().itertuples(index=False)
    }
    new: list[str] = []
    for path in config.watched_files():
        try:
            stat = path.stat()
        except OSError:
            continue
        if now - stat.st_mtime < SETTLE_SECONDS:
            continue
        source = str(path)
        fingerprint = [stat.st_size, stat.st_mtime_ns]
        if landed.get(source) == tuple(fingerprint):
            cursor.requested.pop(source, None)
            continue
        asked = cursor.requested.get(source)
        if asked and asked[:2] == fingerprint and now - asked[2] < RETRY_SECONDS:
            continue
        cursor.requested[source] = [*fingerprint, now]
        new.append(f"{source}:{stat.st_size}:{stat.st_mtime_ns}")
    poll_feeds = bool(config.feed_urls()) and now - cursor.feeds_polled_at >= FEED_POLL_SECONDS
    if not new and not poll_feeds:
        return None
    if poll_feeds:
        cursor.feeds_polled_at = now
    key = hashlib.sha256("\n".join(sorted(new) or [f"feeds@{int(now)}"]).encode()).hexdigest()
    return dg.RunRequest(
        job_name=job_name,
        run_key=f"ingest-{key[:20]}",
        tags={"dyadflow/new_files": str(len(new)), "dyadflow/poll_feeds": str(poll_feeds)},
    )
