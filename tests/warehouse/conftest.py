import pytest

from pipelines.warehouse.store import Warehouse
from tests.warehouse.synthetic import publish_all, stream


@pytest.fixture
def warehouse(tmp_path):
    return Warehouse(tmp_path / "w.duckdb", tmp_path / "exports")


@pytest.fixture(scope="session")
def synthetic_home(tmp_path_factory):
    """A data folder (``<root>/data``) holding eight days of the synthetic stream, published
    through the real publication path. Tests only read it."""
    root = tmp_path_factory.mktemp("synthetic")
    home = root / "data"
    publish_all(Warehouse(home / "dyadflow.duckdb", home / "exports"), stream(days=8, per_day=12))
    return home


@pytest.fixture(scope="session")
def synthetic_warehouse(synthetic_home):
    return Warehouse(synthetic_home / "dyadflow.duckdb", synthetic_home / "exports")
