"""Dagster definitions for dyadflow: the only place where assets, checks, resources, jobs and
schedules meet. Loaded by ``workspace.yaml`` and by the CLI."""

import dagster as dg

from assets import backfill, checks, coding, ingest, publish
from assets.operations import owned
from assets.resources import (
    ArticleSources,
    CoderResource,
    CodingAhead,
    LandingArea,
    StagingIOManager,
    ValidationResource,
    WarehouseResource,
)
from assets.schedules import daily_schedule
from assets.sensors import build_inbox_sensor
from pipelines.settings import home_dir

DAILY_ASSETS = ("articles", "quarantined_records", "event_mentions", "events")


def build_definitions(home: str, coding_ahead: CodingAhead | None = None) -> dg.Definitions:
    """Everything dyadflow runs, writing under ``home`` (the data folder); ``coding_ahead``:
    days already being coded for the daily runs (`dyadflow run`'s)."""
    daily_job = dg.define_asset_job(
        "daily_events",
        selection=dg.AssetSelection.assets(*DAILY_ASSETS),
        description="Read, code, validate and publish one day of articles.",
    )
    codebook_job = dg.define_asset_job(
        "codebook",
        selection=dg.AssetSelection.assets("cameo_codebook"),
        description="Publish the CAMEO codebook table.",
    )
    ingest_job = dg.define_asset_job(
        "ingest_sources",
        selection=dg.AssetSelection.assets("landed_articles"),
        description="Land new and changed source files (and poll feeds) once, by publication day.",
    )
    return dg.Definitions(
        assets=dg.map_asset_specs(owned, dg.load_assets_from_modules([ingest, coding, publish])),
        asset_checks=dg.load_asset_checks_from_modules([checks]),
        jobs=[daily_job, codebook_job, ingest_job, backfill.backfill_days],
        sensors=[build_inbox_sensor(ingest_job, daily_job)],
        schedules=[daily_schedule(daily_job)],
        # One process per run, not per step: a step process pays seconds of imports (spaCy,
        # Great Expectations) for a second of work. Runs still go side by side (dagster.yaml).
        executor=dg.in_process_executor,
        resources={
            "io_manager": StagingIOManager(home=home),
            "warehouse": WarehouseResource(home=home),
            "validation": ValidationResource(home=home),
            "sources": ArticleSources(),
            "landing": LandingArea(home=home),
            "coder": CoderResource(home=home),
            "coding_ahead": coding_ahead or CodingAhead(),
        },
    )


defs = build_definitions(str(home_dir()))
