"""The library under pipelines/ knows nothing of the application: it imports neither Dagster nor
the assets package, and reads no file of it. Everything Dagster lives in assets/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pipelines

LIBRARY = Path(pipelines.__file__).parent
MODULES = sorted(LIBRARY.rglob("*.py"))
FORBIDDEN = ("dagster", "dagster_celery", "dagster_webserver", "assets")


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(LIBRARY.parent)))
def test_the_library_imports_no_part_of_the_application(path):
    bad = [
        f"{path.name}:{line} imports {name}"
        for line, name in _imports(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert not bad


def test_the_check_finds_an_import_of_dagster(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from dagster import asset\n    import assets.cli\n")
    assert [name for _, name in _imports(module)] == ["dagster", "assets.cli"]


def test_the_library_reads_no_file_of_the_application():
    for path in MODULES:
        text = path.read_text("utf-8")
        assert '/ "assets"' not in text and "'assets'" not in text, path


@pytest.mark.parametrize(
    ("stage", "other"), [("validation", "warehouse"), ("warehouse", "validation")]
)
def test_validation_and_warehouse_share_shapes_through_the_datamodel_not_each_other(stage, other):
    bad = [
        f"{path.name}:{line} imports {name}"
        for path in sorted((LIBRARY / stage).rglob("*.py"))
        for line, name in _imports(path)
        if name.startswith(f"pipelines.{other}")
    ]
    assert not bad
