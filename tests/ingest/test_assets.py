"""The ingest assets, materialised for real: sources land once, each day reads its articles with
copies marked, and the quarantine's counts and reasons show in the metadata."""

import json
import shutil

import dagster as dg
import pandas as pd
import pytest

from assets.definitions import build_definitions
from pipelines.settings import layout
from pipelines.warehouse.staging import StagingStore

from .test_dedup import SYNDICATED, WIRE

pytestmark = pytest.mark.slow

DAY = "2024-08-06"


def _materialise(home, selection, partition=None):
    defs = build_definitions(str(home))
    return dg.materialize(
        [*defs.assets],
        resources=defs.resources,
        selection=selection,
        partition_key=partition,
        instance=dg.DagsterInstance.ephemeral(),
    )


def test_inbox_lands_once_and_the_day_reads_its_articles_with_copies(tmp_path, fixtures):
    home = tmp_path / "home"
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    for name in ("page.html", "feed.rss", "articles.csv", "billion_laughs.rss", "languages.jsonl"):
        shutil.copy(fixtures / name, inbox / name)
    (inbox / "wire.jsonl").write_text(
        json.dumps(
            {"id": "wire", "text": WIRE, "published_at": f"{DAY}T06:00:00Z", "outlet": "Wire"}
        )
        + "\n"
        + json.dumps(
            {
                "id": "reprint",
                "text": SYNDICATED,
                "published_at": f"{DAY}T12:00:00Z",
                "outlet": "Daily",
            }
        )
        + "\n"
    )

    landed = _materialise(home, dg.AssetSelection.assets("landed_articles"))
    (materialisation,) = landed.asset_materializations_for_node("landed_articles")
    meta = materialisation.metadata
    assert meta["files_read"].value == 6
    assert meta["quarantined"].value >= 3
    assert "feed declares XML entities" in meta["quarantine_reasons"].value
    assert meta["set_aside_by_language"].value == {"fr": 1}

    day = _materialise(
        home, dg.AssetSelection.assets("articles", "quarantined_records"), partition=DAY
    )
    store = StagingStore(layout(home).staging_dir)
    articles = store.read("articles", DAY)
    copies = dict(zip(articles["article_id"], articles["duplicate_of"], strict=True))
    assert copies["reprint"] == "wire"
    assert pd.isna(copies["wire"])  # the original
    assert {"csv-1", "csv-2", "en-1"} <= set(articles["article_id"])
    assert any(url.endswith("/niger-ukraine") for url in articles["url"])
    quarantine = store.read("quarantined_records", DAY)
    assert any(r.startswith("language fr") for r in quarantine["reason"])
    outputs = {
        m.asset_key.to_user_string(): m.metadata
        for m in day.get_asset_materialization_events()
        for m in [m.materialization]
    }
    assert outputs["articles"]["copies"].value == 1
    assert outputs["articles"]["quarantined"].value == len(quarantine)
    assert "language fr" in outputs["quarantined_records"]["by_reason"].value
