"""Staged asset outputs: one Parquet file per (asset, partition), written atomically.

Staging lets the expensive steps (reading sources, parsing and coding) run for many partitions
in parallel, while only publication to DuckDB is serialised.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.datamodel.tables import TABLES, Table

UNPARTITIONED = "all"


class StagingStore:
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    def path(self, name: str, partition: str | None) -> Path:
        return self.root / name / f"partition={partition or UNPARTITIONED}" / "data.parquet"

    def write(self, name: str, partition: str | None, frame: pd.DataFrame) -> Path:
        target = self.path(name, partition)
        target.parent.mkdir(parents=True, exist_ok=True)
        table = _known(name)
        schema = table.arrow_schema() if table else None
        arrow = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
        tmp = target.with_suffix(".parquet.tmp")
        pq.write_table(arrow, tmp)
        os.replace(tmp, target)
        return target

    def read(self, name: str, partition: str | None) -> pd.DataFrame:
        source = self.path(name, partition)
        if not source.exists():
            raise FileNotFoundError(
                f"no staged data for {name!r} partition {partition or UNPARTITIONED!r} at {source}: "
                "materialise the upstream asset for this partition first"
            )
        arrow = pq.read_table(source)
        table = _known(name)
        if table is None:
            return arrow.to_pandas()
        return table.to_pandas(arrow)


def _known(name: str) -> Table | None:
    return TABLES.get(name)
