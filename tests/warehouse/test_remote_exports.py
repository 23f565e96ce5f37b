"""Parquet exports mirrored to S3: a local S3-compatible server (moto's server mode on 127.0.0.1,
started here), the real pyarrow S3 filesystem, real publications."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest

from pipelines.datamodel.tables import TABLES
from pipelines.warehouse.remote import MARKER, URI_ENV, ExportMirror
from pipelines.warehouse.store import Warehouse
from tests.warehouse.helpers import to_hive_layout
from tests.warehouse.synthetic import publish_all, stream

BUCKET = "dyadflow-exports"


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, monkeypatch, request):
    """A fresh prefix in the bucket, and the URI that names it (credentials from the env)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    prefix = request.node.name.replace("[", "-").replace("]", "")
    query = f"endpoint_override={s3_endpoint}&scheme=http&region=us-east-1"
    fs, _ = pafs.FileSystem.from_uri(f"s3://{BUCKET}?{query}&allow_bucket_creation=true")
    fs.create_dir(BUCKET)
    return fs, f"s3://{BUCKET}/{prefix}?{query}", f"{BUCKET}/{prefix}"


def _remote_files(fs, root: str) -> dict[str, int]:
    selector = pafs.FileSelector(root, recursive=True, allow_not_found=True)
    return {
        info.path[len(root) + 1 :]: info.size
        for info in fs.get_file_info(selector)
        if info.type == pafs.FileType.File
    }


def _local_files(folder) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.name not in (MARKER,)
    }


@pytest.mark.slow
def test_every_publication_reaches_the_bucket(tmp_path, s3, monkeypatch):
    fs, uri, root = s3
    monkeypatch.setenv(URI_ENV, uri)
    warehouse = Warehouse(tmp_path / "dyadflow.duckdb", tmp_path / "exports")
    assert warehouse.mirror is not None and warehouse.mirror.uri == uri
    publish_all(warehouse, stream(days=3, per_day=6))

    assert _remote_files(fs, root) == _local_files(tmp_path / "exports")
    with fs.open_input_stream(f"{root}/_release.json") as handle:
        remote_release = json.loads(handle.read())
    assert remote_release == json.loads((tmp_path / "exports" / "_release.json").read_text())
    # the mirror reads back as a dataset, row for row
    with warehouse.connect() as con:
        for name in ("events", "event_mentions", "dyad_month"):
            table = TABLES[name]
            rows = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            dataset = ds.dataset(f"{root}/{name}", filesystem=fs)
            assert dataset.count_rows() == rows > 0, name
            assert dataset.schema.field(table.partition_column).type == pa.date32()


def test_a_mirror_that_missed_a_release_is_brought_in_line(tmp_path, s3):
    fs, uri, root = s3
    days = stream(days=3, per_day=6)
    warehouse = Warehouse(tmp_path / "dyadflow.duckdb", tmp_path / "exports")
    assert warehouse.mirror is None  # nothing configured: exports stay local
    publish_all(warehouse, days[:2])
    assert _remote_files(fs, root) == {}

    # a stray object the exports never had, and a mirror configured late
    with fs.open_output_stream(f"{root}/events/1999-01-01/part-0.parquet") as out:
        out.write(b"stale")
    mirrored = Warehouse(
        tmp_path / "dyadflow.duckdb", tmp_path / "exports", mirror=ExportMirror(uri)
    )
    publish_all(mirrored, days[2:])
    assert _remote_files(fs, root) == _local_files(tmp_path / "exports")
    marker = json.loads((tmp_path / "exports" / MARKER).read_text())
    assert marker["release_id"] == mirrored.last_release()["release_id"]


def test_sync_exports_copies_everything(tmp_path, s3):
    fs, uri, root = s3
    warehouse = Warehouse(tmp_path / "dyadflow.duckdb", tmp_path / "exports")
    publish_all(warehouse, stream(days=2, per_day=4))
    Warehouse(
        tmp_path / "dyadflow.duckdb", tmp_path / "exports", mirror=ExportMirror(uri)
    ).sync_exports()
    assert _remote_files(fs, root) == _local_files(tmp_path / "exports")


def test_restored_exports_reach_the_bucket(tmp_path, s3):
    fs, uri, root = s3
    warehouse = Warehouse(
        tmp_path / "dyadflow.duckdb", tmp_path / "exports", mirror=ExportMirror(uri)
    )
    publish_all(warehouse, stream(days=2, per_day=4))
    mirrored = _remote_files(fs, root)
    lost = next((tmp_path / "exports" / "events").glob("*/part-0.parquet"))
    name = lost.relative_to(tmp_path / "exports").as_posix()
    lost.unlink()
    fs.delete_file(f"{root}/{name}")  # gone from both

    assert warehouse.restore_exports() == [lost]
    assert _remote_files(fs, root) == mirrored == _local_files(tmp_path / "exports")


@pytest.mark.slow
def test_a_mirror_of_the_hive_layout_is_replaced(tmp_path, s3):
    """Exports and their mirror written by an older dyadflow, in hive folders: the next
    publication leaves both in the current layout only."""
    fs, uri, root = s3
    days = stream(days=3, per_day=6)
    warehouse = Warehouse(
        tmp_path / "dyadflow.duckdb", tmp_path / "exports", mirror=ExportMirror(uri)
    )
    publish_all(warehouse, days[:2])
    to_hive_layout(tmp_path / "exports")
    warehouse.mirror.sync(tmp_path / "exports")  # the bucket as the older dyadflow left it
    assert any("=" in name for name in _remote_files(fs, root))

    publish_all(warehouse, days[2:])

    remote = _remote_files(fs, root)
    assert remote == _local_files(tmp_path / "exports")
    assert not any("=" in name for name in remote)
