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


# The stage packages share shapes (records, tables, outcome types) only through the ground floor,
# pipelines/datamodel, which imports no stage. What one stage may still import from another is a
# call of its behaviour, and each such import is listed here with why it is one.
STAGES = ("ingest", "coding", "validation", "warehouse")
GROUND_FLOOR = "datamodel"
CROSS_STAGE_CALLS = {
    # The warehouse publishes the coder's dictionaries as codebook tables, read by the coder's
    # own loader (its layers, $DYADFLOW_DICTIONARIES, its list cells), so the tables hold what
    # the coder codes with.
    ("pipelines.warehouse.codebook_tables", "pipelines.coding.dictionary_files"),
    # The warehouse's coordinates come from the gazetteer in the coder's base dictionary folder.
    ("pipelines.warehouse.geo", "pipelines.coding.dictionary_files"),
}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, root: Path) -> list[tuple[int, str]]:
    """Every module a file imports, relative imports resolved, ``from pipelines import coding``
    read as an import of pipelines.coding."""
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: package.count(".") + 2 - node.level]
                module = ".".join([*base, module] if module else base)
            if module == "pipelines":  # from pipelines import coding
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == "pipelines" and parts[1] in (*STAGES, GROUND_FLOOR):
        return parts[1]
    return None


def _crossings(path: Path, root: Path) -> list[tuple[str, str, int]]:
    """The imports of a stage module from another stage, and of a ground-floor module from any."""
    importer = _module_name(path, root)
    layer = _layer(importer)
    if layer is None:
        return []
    found = []
    for line, module in _imported(path, root):
        target = _layer(module)
        if target in STAGES and target != layer:
            found.append((importer, module, line))
    return found


LAYERED = [
    path
    for path in MODULES
    if _layer(_module_name(path, LIBRARY.parent)) in (*STAGES, GROUND_FLOOR)
]


@pytest.mark.parametrize("path", LAYERED, ids=lambda p: str(p.relative_to(LIBRARY.parent)))
def test_no_stage_imports_another_stage_but_for_the_calls_listed(path):
    bad = [
        f"{importer}:{line} imports {module}"
        for importer, module, line in _crossings(path, LIBRARY.parent)
        if (importer, module) not in CROSS_STAGE_CALLS
    ]
    assert not bad, "a shape goes to pipelines/datamodel; a call, onto CROSS_STAGE_CALLS"


def test_every_listed_cross_stage_call_is_still_made():
    made = {
        (importer, module)
        for path in LAYERED
        for importer, module, _ in _crossings(path, LIBRARY.parent)
    }
    assert made >= CROSS_STAGE_CALLS, sorted(CROSS_STAGE_CALLS - made)


def test_the_check_finds_a_shape_imported_from_another_stage(tmp_path):
    coding = tmp_path / "pipelines" / "coding"
    coding.mkdir(parents=True)
    module = coding / "m.py"
    module.write_text(
        "from pipelines.ingest.records import Article\n"
        "from ..warehouse.schema import ARTICLES\n"
        "from pipelines import validation\n"
        "from . import stream\n"
        "from pipelines.coding.parses import text_key\n"
        "from pipelines.datamodel.records import EventMention\n"
        "from .. import warehouse\n"
        "def f():\n    import pipelines.warehouse.store\n"
    )
    assert [(module, line) for _, module, line in _crossings(module, tmp_path)] == [
        ("pipelines.ingest.records", 1),
        ("pipelines.warehouse.schema", 2),
        ("pipelines.validation", 3),
        ("pipelines.warehouse", 7),
        ("pipelines.warehouse.store", 9),
    ]


def test_the_check_finds_a_stage_imported_by_the_ground_floor(tmp_path):
    datamodel = tmp_path / "pipelines" / "datamodel"
    datamodel.mkdir(parents=True)
    module = datamodel / "m.py"
    module.write_text("from pipelines.codebook import codebook\nfrom ..coding import day\n")
    assert [module for _, module, _ in _crossings(module, tmp_path)] == ["pipelines.coding"]
