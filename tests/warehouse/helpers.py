"""What several warehouse test modules share: a small two-day publication, a way to compare
the published tables before and after, and exports turned back into an older layout."""

import json
from datetime import date

import pandas as pd

from pipelines.datamodel.record_frames import quarantine_frame
from pipelines.datamodel.records import Quarantined
from pipelines.datamodel.tables import TABLES as SCHEMA
from pipelines.warehouse import exports
from tests.factories import article, articles_of, mention_row, mentions_frame

AUG6, AUG7 = date(2024, 8, 6), date(2024, 8, 7)
TABLES = ("articles", "event_mentions", "events", "quarantine", "dyad_day", "dyad_month")


def published_tables(warehouse, names=TABLES):
    with warehouse.connect() as con:
        return {name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchdf() for name in names}


def assert_same_tables(before, after):
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name])


def publish_two_days(warehouse, validate=None):
    bad = quarantine_frame([Quarantined("in.jsonl", "line 3", "invalid JSON")])
    warehouse.publish_partition(
        AUG6,
        articles_of(article("a1", AUG6, "Wire")),
        bad,
        mentions_frame(mention_row("a1", AUG6)),
        validate,
    )
    # The same event, reported again the next day by another outlet.
    warehouse.publish_partition(
        AUG7,
        articles_of(article("a2", AUG7, "Herald")),
        bad,
        mentions_frame(mention_row("a2", AUG7, event_date=AUG6)),
        validate,
    )


def to_hive_layout(root):
    """Move the exports under ``root`` into the hive layout of an older dyadflow
    (``event_date=.../part-0.parquet``), with a manifest that names no layout."""
    for table in SCHEMA.values():
        if not table.partition_column:
            continue
        for value in exports.partitions_on_disk(root, table):
            new = exports.partition_file(root, table, value)
            old = root / table.name / f"{table.partition_column}={value.isoformat()}"
            old.mkdir()
            new.rename(old / new.name)
            new.parent.rmdir()
    manifest = json.loads((root / exports.MANIFEST).read_text("utf-8"))
    del manifest["layout"]
    (root / exports.MANIFEST).write_text(json.dumps(manifest), "utf-8")
