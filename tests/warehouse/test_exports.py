import json
import shutil

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipelines.datamodel.tables import TABLES
from pipelines.warehouse import exports
from pipelines.warehouse.store import Warehouse
from tests.warehouse.synthetic import publish_all, stream

PARTITIONED = [t for t in TABLES.values() if t.partition_column]
WHOLE = [t for t in TABLES.values() if not t.partition_column]


def _files(folder):
    return {
        p.relative_to(folder): p.read_bytes()
        for p in sorted(folder.rglob("*.parquet"))
        if "releases" not in p.parts
    }


def test_every_table_round_trips_with_identical_counts(synthetic_warehouse):
    root = synthetic_warehouse.exports_dir
    with synthetic_warehouse.connect() as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}
    reader = duckdb.connect()
    for table in PARTITIONED:
        assert counts[table.name] > 0, table.name
        files = sorted((root / table.name).glob("*/part-0.parquet"))
        assert files, table.name
        via_arrow = ds.dataset(root / table.name, partitioning="hive").count_rows()
        glob = str(root / table.name / "*" / "*.parquet")
        via_duckdb = reader.execute(
            f"SELECT count(*), count(DISTINCT {table.partition_column}) "
            f"FROM read_parquet('{glob}', hive_partitioning = true)"
        ).fetchall()[0]
        assert via_arrow == counts[table.name] == via_duckdb[0], table.name
        assert via_duckdb[1] == len(files)
    for table in WHOLE:
        assert pq.read_metadata(root / table.name / "part-0.parquet").num_rows == counts[table.name]


def test_exported_files_have_the_dictionary_schema(synthetic_warehouse):
    root = synthetic_warehouse.exports_dir
    for table in TABLES.values():
        (path, *_) = sorted((root / table.name).rglob("part-0.parquet"))
        schema = pq.read_schema(path)
        assert schema.equals(table.arrow_schema(), check_metadata=True), table.name


def test_exports_read_back_equal_the_tables(synthetic_warehouse):
    root = synthetic_warehouse.exports_dir
    glob = str(root / "events" / "*" / "*.parquet")
    with synthetic_warehouse.connect() as con:
        con.execute(
            f"CREATE TEMP VIEW exported AS SELECT * FROM read_parquet('{glob}', hive_partitioning = true)"
        )
        columns = ", ".join(TABLES["events"].column_names)
        differ = con.execute(
            f"SELECT count(*) FROM (SELECT {columns} FROM events EXCEPT ALL "
            f"SELECT {columns} FROM exported)"
        ).fetchall()
        assert con.execute("SELECT count(*) FROM exported").fetchall() == [(len_events(con),)]
    assert differ == [(0,)]


def len_events(con):
    return con.execute("SELECT count(*) FROM events").fetchall()[0][0]


@pytest.mark.slow
def test_exports_lagging_behind_the_file_are_caught_up(tmp_path):
    """A run killed after the swap and before the exports: the next publication catches up."""
    days = stream(days=5)
    reference = Warehouse(tmp_path / "ref" / "w.duckdb", tmp_path / "ref" / "exports")
    publish_all(reference, days)

    lagging = Warehouse(tmp_path / "lag" / "w.duckdb", tmp_path / "lag" / "exports")
    publish_all(lagging, days[:2])
    old_exports = tmp_path / "old-exports"
    shutil.copytree(lagging.exports_dir, old_exports)
    publish_all(lagging, days[2:4])
    # Put back the exports as they were two publications ago, with a half-written file.
    shutil.rmtree(lagging.exports_dir)
    shutil.copytree(old_exports, lagging.exports_dir)
    (lagging.exports_dir / "events" / ".part-0.parquet.r9.tmp").write_bytes(b"PAR1 half")
    # What a run killed after its swap leaves: the marker of the release being exported.
    exports.write_manifest(lagging.exports_dir, {"release_id": 4}, exports.PENDING)
    assert json.loads((lagging.exports_dir / exports.MANIFEST).read_text())["release_id"] == 2

    publish_all(lagging, days[4:])
    assert _files(lagging.exports_dir) == _files(reference.exports_dir)
    assert not list(lagging.exports_dir.rglob("*.tmp"))
    assert not (lagging.exports_dir / exports.PENDING).exists()
    assert json.loads((lagging.exports_dir / exports.MANIFEST).read_text())["release_id"] == 5


@pytest.mark.parametrize("rebuild", ["sync_exports", "restore_exports"])
def test_a_lost_exports_folder_is_rebuilt_whole(tmp_path, rebuild):
    warehouse = Warehouse(tmp_path / "w.duckdb", tmp_path / "exports")
    publish_all(warehouse, stream(days=3))
    before = _files(warehouse.exports_dir)
    shutil.rmtree(warehouse.exports_dir)
    getattr(warehouse, rebuild)()
    assert _files(warehouse.exports_dir) == before
    assert json.loads((warehouse.exports_dir / exports.MANIFEST).read_text())["release_id"] == 3


def test_missing_export_files_are_written_again_and_only_those(tmp_path):
    days = stream(days=3)
    warehouse = Warehouse(tmp_path / "w.duckdb", tmp_path / "exports")
    publish_all(warehouse, days)
    before = _files(warehouse.exports_dir)
    root = warehouse.exports_dir
    lost = [
        next((root / "events").glob("*/part-0.parquet")),
        next((root / "event_mentions").glob("*/part-0.parquet")),
        root / "cameo_countries" / "part-0.parquet",
    ]
    shutil.rmtree(root / "dyad_month")
    for path in lost:
        path.unlink()
    months = len(before) - len(_files(root)) - len(lost)
    assert months > 0
    untouched = {p: p.stat().st_mtime_ns for p in root.rglob("*.parquet")}

    restored = warehouse.restore_exports()

    assert _files(root) == before
    assert len(restored) == len(lost) + months
    assert all(p.stat().st_mtime_ns == mtime for p, mtime in untouched.items())
    assert warehouse.restore_exports() == []


def test_nothing_to_restore_before_the_first_publication(tmp_path):
    assert Warehouse(tmp_path / "w.duckdb", tmp_path / "exports").restore_exports() == []


@pytest.mark.slow
def test_a_publication_writes_again_the_files_lost_since_the_last(tmp_path):
    days = stream(days=3)
    reference = Warehouse(tmp_path / "ref" / "w.duckdb", tmp_path / "ref" / "exports")
    publish_all(reference, days)
    warehouse = Warehouse(tmp_path / "w.duckdb", tmp_path / "exports")
    publish_all(warehouse, days[:2])
    root = warehouse.exports_dir
    first_day = sorted((root / "articles").glob("*-*-*"))[0]
    shutil.rmtree(first_day)
    shutil.rmtree(root / "country_month")

    publish_all(warehouse, days[2:])
    assert _files(root) == _files(reference.exports_dir)
