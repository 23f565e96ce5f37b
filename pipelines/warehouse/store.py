"""The DuckDB warehouse: one file is the published source of truth, a new one at each
publication, and the Parquet exports are refreshed from the same release.

``Warehouse`` is what callers use. A publication (one day or many, the codebook, validation
records, a rebuild) is ``publication.py``'s: built on a private copy of the published file
(``build.py``, ``migration.py``), checked, and swapped in (``swap.py``); keeping the Parquet
exports and their mirror in step is ``export_upkeep.py``'s. Readers never wait for the writer and
never see a half-written release; a run killed at any moment leaves the published file as it
was, and the next publication brings lagging exports up to date.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.datamodel.outcomes import ReleaseAction
from pipelines.datamodel.tables import TABLES
from pipelines.warehouse import publication, releases, swap
from pipelines.warehouse.build import DayRows
from pipelines.warehouse.dedup_rule import DedupRule
from pipelines.warehouse.export_upkeep import ExportUpkeep
from pipelines.warehouse.integrity import PublicationRejected, Validator
from pipelines.warehouse.publication import MEMORY_ENV, PublishResult
from pipelines.warehouse.remote import ExportMirror
from pipelines.warehouse.sql import scalar

__all__ = ["MEMORY_ENV", "DayRows", "PublicationRejected", "PublishResult", "Warehouse"]

log = logging.getLogger(__name__)


def check_settings() -> None:
    """Raise SettingError for a $DYADFLOW_DUCKDB_MEMORY or $DYADFLOW_EVENT_KEY the publications
    could not use: a command checks before it starts, rather than fail at its first publication."""
    publication.open_candidate(":memory:").close()
    DedupRule.from_env()


# What publish_partitions gives for each day: its publication, or the rejection that kept it out.
DayOutcome = PublishResult | PublicationRejected


class Warehouse:
    def __init__(
        self,
        duckdb_path: str | os.PathLike[str],
        exports_dir: str | os.PathLike[str],
        dedup: DedupRule | None = None,
        mirror: ExportMirror | None = None,
    ):
        self.path = Path(duckdb_path)
        self.exports_dir = Path(exports_dir)
        self.dedup = dedup or DedupRule.from_env()
        # object storage the exports are copied to ($DYADFLOW_EXPORTS_URI), if any
        self.mirror = mirror if mirror is not None else ExportMirror.from_env()

    @property
    def validation_runs(self) -> Path:
        """Where validations leave their records (``ValidationSite.runs`` of the data folder)."""
        return self.path.parent / "validation" / "runs"

    @property
    def _exports(self) -> ExportUpkeep:
        return ExportUpkeep(self.path, self.exports_dir, self.mirror)

    @contextmanager
    def connect(self, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection to the published release (the only kind there is: writing
        happens on candidates, through the publish methods)."""
        if not read_only:
            raise ValueError("the published file is never opened for writing: use publish_*()")
        with swap.read_published(self.path) as con:
            yield con

    # -- publications -------------------------------------------------------------------------

    def publish_partition(
        self,
        day: date,
        articles: pd.DataFrame,
        quarantine: pd.DataFrame,
        mentions: pd.DataFrame,
        validate: Validator | None = None,
        inputs: str | None = None,
        dictionaries: tuple[str, ...] = (),
    ) -> PublishResult:
        """Replace everything published for ``day`` and rebuild what depends on it. ``inputs``:
        the fingerprint of what the day was made of (``pipelines/day_fingerprint.py``), recorded with it;
        ``dictionaries``: the dictionaries the coder read besides the package's and
        $DYADFLOW_DICTIONARIES (its ``extra_dictionaries``), for ``actor_dictionary``."""

        rows = DayRows(day, articles, quarantine, mentions, inputs)
        (result,) = self._publish(ReleaseAction.PUBLISH_DAY, (rows,), validate, tuple(dictionaries))
        return result

    def publish_partitions(
        self,
        days: Sequence[DayRows],
        validate: Validator | None = None,
        dictionaries: tuple[str, ...] = (),
    ) -> dict[date, DayOutcome]:
        """Publish many days in one release: one copy of the file, one rebuild of the event
        dates they touch, one run of the checks, one swap. The days not to publish (a blocking
        check on their articles or mentions failed) are the caller's to leave out.

        Each day gets its own row in ``releases`` (its inputs, its event dates), as if
        published on its own; the row counts there are those of the whole release. When the
        checks reject the candidate holding every day, each day is published on its own, so
        that the days they reject are left out and the others go in, as one publication per
        day would have it. Returns each day's result or rejection, in the order given."""
        if len({rows.day for rows in days}) != len(days):
            raise ValueError("publish_partitions: a day is given twice")
        if not days:
            return {}
        try:
            results = self._publish(
                ReleaseAction.PUBLISH_DAY, tuple(days), validate, tuple(dictionaries)
            )
        except PublicationRejected:
            if len(days) == 1:
                raise
            log.info("the release of %d days was rejected: publishing them one by one", len(days))
        else:
            return {result.day: result for result in results}
        outcomes: dict[date, DayOutcome] = {}
        for rows in days:
            try:
                (outcomes[rows.day],) = self._publish(
                    ReleaseAction.PUBLISH_DAY, (rows,), validate, tuple(dictionaries)
                )
            except PublicationRejected as rejected:
                outcomes[rows.day] = rejected
        return outcomes

    def publish_codebook(self, validate: Validator | None = None) -> PublishResult:
        """A release that only reloads the codebook tables (every publication does that too)."""
        return self._publish(ReleaseAction.CODEBOOK, (), validate)[0]

    def record_validations(self) -> PublishResult | None:
        """Publish the validation records not yet in ``validation_runs``, and nothing else; None
        when there are none.

        For a day that a failed check blocked: its validations are in the warehouse when they
        ran, not at whichever publication comes next. The release changes no data: the actor
        dictionary stays the one the published events were coded with (``build._publish_dictionary``).
        """
        published = self._publish(ReleaseAction.VALIDATIONS, (), None)
        return published[0] if published else None

    def rebuild(self, validate: Validator | None = None) -> PublishResult:
        """Rebuild events and aggregates of every date from the mentions, e.g. after changing
        the deduplication rule (a publication notices a changed rule by itself)."""
        return self._publish(ReleaseAction.REBUILD, (), validate)[0]

    def sync_exports(self) -> None:
        """Write every Parquet export again from the published file, and mirror them all."""
        self._exports.sync()

    def restore_exports(self) -> list[Path]:
        """Write the export files that are missing from the exports folder (deleted, or lost
        with it), finishing first an export a crash cut short; returns the files written.

        When nothing is missing this costs one read-only look at the published file and a
        stat of each expected file, so a run can afford it every time."""
        return self._exports.restore()

    def _publish(
        self,
        action: ReleaseAction,
        days: tuple[DayRows, ...],
        validate: Validator | None,
        dictionaries: tuple[str, ...] = (),
    ) -> list[PublishResult]:
        """One release; its result for each day published (one result when none is)."""
        try:
            return publication.release(
                self.path,
                self._exports,
                self.dedup,
                self.validation_runs,
                action,
                days,
                validate,
                dictionaries,
            )
        except PublicationRejected:
            # The checks that rejected the candidate recorded their validations: they are
            # published without the data, as a blocked day's are.
            try:
                self.record_validations()
            except Exception as error:  # the rejection is what the caller must hear about
                log.warning("validation records not published: %s", error)
            raise

    # -- reading ------------------------------------------------------------------------------

    def table_counts(self) -> dict[str, int]:
        with self.connect() as con:
            return {name: scalar(con, f"SELECT count(*) FROM {name}") for name in TABLES}

    def published_inputs(self) -> dict[date, str]:
        """The days whose last publication recorded its inputs fingerprint, with it; none when
        the rule in force differs from the published one (every day must be published again)."""
        if not self.path.exists():
            return {}
        with self.connect() as con:
            columns = {r[0] for r in con.execute("DESCRIBE releases").fetchall()}
            if "inputs" not in columns:  # a warehouse from before fingerprints
                return {}
            if releases.latest(con, "dedup_key") != (str(self.dedup),):
                return {}
            return releases.inputs_by_day(con)

    def last_release(self) -> dict | None:
        with self.connect() as con:
            last = con.execute(releases.latest_sql()).fetchdf()
            return None if last.empty else last.iloc[0].to_dict()
