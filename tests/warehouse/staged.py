"""A synthetic day staged as the upstream assets would leave it, and the events asset
materialised on it with the real definitions: for tests of publication through Dagster."""

from __future__ import annotations

import dagster as dg

from assets.definitions import build_definitions
from pipelines.settings import layout
from pipelines.warehouse.staging import StagingStore


def stage_day(home, item, mentions=None) -> None:
    """Stage ``item`` (a tests.warehouse.synthetic day) with ``mentions`` in place of its own."""
    store = StagingStore(layout(home).staging_dir)
    key = item.day.isoformat()
    store.write("articles", key, item.articles)
    store.write("quarantined_records", key, item.quarantine)
    store.write("event_mentions", key, item.mentions if mentions is None else mentions)


def publish_day(home, item) -> dg.ExecuteInProcessResult:
    """Materialise ``events`` (and its checks) for the day of ``item``; never raises."""
    defs = build_definitions(str(home))
    return dg.materialize(
        [*defs.assets, *defs.asset_checks],
        resources=defs.resources,
        partition_key=item.day.isoformat(),
        selection=dg.AssetSelection.assets("events"),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
