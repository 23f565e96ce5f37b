"""Dagster resources: thin, configurable wrappers around library objects."""

from __future__ import annotations

import os
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import pandas as pd
from pydantic import Field

from pipelines.ingest.config import Feed, SourcesConfig, explicit_files
from pipelines.ingest.config import load as load_sources
from pipelines.ingest.landing import Ingestor
from pipelines.ingest.landing_area import Landing, landing_dir
from pipelines.settings import Layout, layout
from pipelines.warehouse.staging import StagingStore
from pipelines.warehouse.store import Warehouse

if TYPE_CHECKING:
    from pipelines.coding.prefetch import DayPrefetch


class DyadflowHome(dg.ConfigurableResource):
    """Where everything is written: the DuckDB file, exports and staged asset outputs."""

    home: str

    @property
    def layout(self) -> Layout:
        return layout(self.home)


class WarehouseResource(DyadflowHome):
    def warehouse(self) -> Warehouse:
        return Warehouse(self.layout.duckdb_path, self.layout.exports_dir)


class ValidationResource(DyadflowHome):
    """Where validation keeps its Data Docs and the history of its results (<home>/validation)."""

    def site(self):
        from pipelines.validation.site import ValidationSite  # imports GX: only when validating

        return ValidationSite.under(self.home)


class ArticleSources(dg.ConfigurableResource):
    """Where articles come from: the sources file (see README, "Sources"), overridable here.

    ``paths`` (files or folders) replace the sources file's files and inbox, as
    ``dyadflow run --source`` does; ``feeds`` (URLs or paths) replace its feeds. With nothing
    configured: the inbox <home>/inbox, or the bundled sample corpus while the inbox is empty.
    """

    paths: list[str] = Field(default_factory=list)
    sources_file: str = ""
    inbox: str = ""
    feeds: list[str] = Field(default_factory=list)
    fetch_pages: bool = False

    def config(self, home: Path) -> SourcesConfig:
        """The sources for a dyadflow home (whose sources.yaml and inbox are the defaults)."""
        config = load_sources(home, self.sources_file or None)
        if self.paths:
            config = explicit_files(self.paths, config)
        if self.inbox:
            config = replace(config, inbox=Path(self.inbox))
        if self.feeds:
            config = replace(config, feeds=tuple(Feed(f, self.fetch_pages) for f in self.feeds))
        elif self.fetch_pages:
            config = replace(config, fetch_pages=True)
        return config


class LandingArea(DyadflowHome):
    """<home>/landing: where ingested articles wait, per publication day, for their partition."""

    def landing(self) -> Landing:
        return Landing(landing_dir(self.layout.home))

    def sources_config(self, sources: ArticleSources) -> SourcesConfig:
        return sources.config(self.layout.home)

    def ingestor(self, sources: ArticleSources) -> Ingestor:
        return Ingestor(landing_dir(self.layout.home), self.sources_config(sources))


class CoderResource(dg.ConfigurableResource):
    """The CAMEO event coder. Built once per process: loading spaCy and the dictionaries is slow.

    ``processes``: worker processes that parse and code (0: one per core, or
    $DYADFLOW_PROCESSES). With ``home`` set, parses are kept under <home>/parses per partition,
    so that a change of dictionaries re-codes without parsing again.
    """

    extra_dictionaries: list[str] = Field(default_factory=list)
    home: str = ""
    processes: int = 0

    def coder(self):
        from pipelines.coding.dictionary_files import ENV_VAR

        # Keyed on $DYADFLOW_DICTIONARIES too: a changed lexicon gets a new coder.
        return _coder(tuple(self.extra_dictionaries), os.environ.get(ENV_VAR, ""))

    def version(self) -> str:
        """What ``coder().version`` is, without loading spaCy."""
        from pipelines.coding.version import coder_version

        return coder_version(extra_dictionaries=self.extra_dictionaries)

    def parses(self, partition: str):
        """The cached parses of a partition (None without a home)."""
        if not self.home:
            return None
        from pipelines.coding.parses import ParseCache

        return ParseCache(layout(self.home).parses_dir, self.coder().nlp).partition(partition)


class CodingAhead:
    """Days coded ahead of their runs (pipelines/coding/prefetch.py), for the `event_mentions`
    steps to take their day from. `dyadflow run` gives the stream it starts for its range of
    days to the job it runs; the job's own (in the code location the UI, schedule and sensor
    launch from) has none, and each step codes its day itself."""

    def __init__(self, prefetch: DayPrefetch | None = None):
        self.prefetch = prefetch


@cache
def _coder(extra_dictionaries: tuple[str, ...], env_dictionaries: str):
    from pipelines.coding.coder import EventCoder

    return EventCoder(extra_dictionaries=list(extra_dictionaries))


class StagingIOManager(dg.ConfigurableIOManager):
    """Stores DataFrame outputs as one Parquet file per asset partition under <home>/staging."""

    home: str

    def _store(self) -> StagingStore:
        return StagingStore(layout(self.home).staging_dir)

    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame) -> None:
        if obj is None:
            return
        partition = context.partition_key if context.has_partition_key else None
        path = self._store().write(context.asset_key.path[-1], partition, obj)
        context.add_output_metadata({"staged_at": dg.MetadataValue.path(str(path))})

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        partition = context.partition_key if context.has_partition_key else None
        return self._store().read(context.asset_key.path[-1], partition)
