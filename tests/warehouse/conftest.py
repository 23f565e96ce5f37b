import pytest

from pipelines.warehouse.store import Warehouse
from tests.warehouse.synthetic import publish_all, stream


@pytest.fixture
def warehouse(tmp_path):
    return Warehouse(tmp_path / "w.duckdb", tmp_path / "exports")


@pytest.fixture(scope="module")
def synthetic_warehouse(tmp_path_factory):
    """Six days of the synthetic stream, published through the real publication path."""
    home = tmp_path_factory.mktemp("synthetic")
    warehouse = Warehouse(home / "dyadflow.duckdb", home / "exports")
    publish_all(warehouse, stream())
    return warehouse
