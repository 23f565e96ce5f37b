"""The mistakes a user makes on the command line: each gets one line on stderr naming what is
wrong, exit status 2, no traceback, and nothing written."""

import csv
from datetime import date

import duckdb
import pyarrow.parquet as pq
import pytest

from assets.cli import _parser, main
from pipelines.datamodel.record_frames import articles_frame, quarantine_frame
from pipelines.datamodel.records import Quarantined
from pipelines.datamodel.tables import EVENT_MENTIONS
from pipelines.run_summary import summary
from pipelines.settings import HOME_ENV
from pipelines.warehouse.store import Warehouse
from tests.warehouse.synthetic import publish_all, stream


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A data folder with a few published days, read by the commands under test."""
    home = tmp_path_factory.mktemp("mistakes") / "data"
    publish_all(Warehouse(home / "dyadflow.duckdb", home / "exports"), stream(days=3, per_day=6))
    return home


@pytest.fixture(autouse=True)
def _restore_home(monkeypatch, home):
    monkeypatch.setenv(HOME_ENV, str(home))  # main() sets it; monkeypatch puts it back


def _files(*folders):
    return {p: p.stat().st_mtime_ns for f in folders for p in f.rglob("*")}


# {tmp}: an empty folder of the test's own; {file}: a file in it; {folder}: a folder in it;
# {corpus}: the fixture articles; {home}: the published data folder.
SWEEP = {
    "top-level option misspelt": (["--verison"], "--version"),
    "unknown command": (["rnu"], "'rnu'"),
    "run: missing source": (["run", "--source", "{tmp}/missing.jsonl"], "missing.jsonl"),
    "run: missing source among good": (
        ["run", "--source", "{corpus}", "--source", "{tmp}/typo.jsonl"],
        "typo.jsonl",
    ),
    "run: missing sources file": (["run", "--sources-file", "{tmp}/none.yaml"], "none.yaml"),
    "run: folder for sources file": (["run", "--sources-file", "{folder}"], "folder"),
    "run: bad date": (["run", "--from", "2024-13-01"], "2024-13-01"),
    "run: reversed range": (["run", "--from", "2024-08-10", "--to", "2024-08-01"], "--to"),
    "run: file for home": (["run", "--home", "{file}"], "file.txt"),
    "code: missing input": (["code", "{tmp}/missing.jsonl", "-o", "{tmp}/out.jsonl"], "missing"),
    "code: folder for input": (["code", "{folder}", "-o", "{tmp}/out.jsonl"], "folder"),
    "code: folder for output": (["code", "{corpus}", "-o", "{folder}"], "folder"),
    "code: output in a missing folder": (["code", "{corpus}", "-o", "{tmp}/no/out.jsonl"], "no"),
    "code: output under a file": (["code", "{corpus}", "-o", "{file}/out.jsonl"], "file.txt"),
    "evaluate: missing gold": (["evaluate", "{tmp}/gold.jsonl"], "gold.jsonl"),
    "evaluate: folder without gold": (["evaluate", "{folder}"], "folder"),
    "export: unknown table": (["export", "--table", "nope", "-o", "{tmp}/x.parquet"], "nope"),
    "export: folder for output": (["export", "--table", "events", "-o", "{folder}"], "folder"),
    "export: output in a missing folder": (
        ["export", "--table", "events", "-o", "{tmp}/no/dir/x.parquet"],
        "no/dir",
    ),
    "export: output under a file": (
        ["export", "--table", "events", "-o", "{file}/x.parquet"],
        "file.txt",
    ),
    "export: format and name disagree": (
        ["export", "--table", "events", "--format", "parquet", "-o", "{tmp}/x.csv"],
        "x.csv",
    ),
    "export: name says no format": (["export", "--table", "events", "-o", "{tmp}/x"], "--format"),
    "export: bad date": (
        ["export", "--table", "events", "--since", "2024-02-30", "-o", "{tmp}/x.parquet"],
        "2024-02-30",
    ),
    "export: reversed range": (
        [
            "export",
            "--table",
            "events",
            "--since",
            "2024-08-10",
            "--until",
            "2024-08-01",
            "-o",
            "{tmp}/x.parquet",
        ],
        "--until",
    ),
    "export: no date column": (
        ["export", "--table", "cameo_roles", "--since", "2024-08-01", "-o", "{tmp}/x.csv"],
        "no date column",
    ),
    "plot: not a dyad": (["plot", "--dyad", "USA"], "USA"),
    "plot: unknown code": (["plot", "--dyad", "USA-XQZ"], "XQZ"),
    "plot: folder for output": (["plot", "--dyad", "USA-CHN", "-o", "{folder}"], "folder"),
    "plot: not a PNG name": (["plot", "--dyad", "USA-CHN", "-o", "{tmp}/plot.pdf"], "plot.pdf"),
    "plot: output in a missing folder": (
        ["plot", "--dyad", "USA-CHN", "-o", "{tmp}/no/p.png"],
        "no",
    ),
    "sql: rows below one": (["sql", "--max-rows", "0", "SELECT 1"], "--max-rows"),
    "sql: file for home": (["sql", "--home", "{file}", "SELECT 1"], "file.txt"),
    "ui: port out of range": (["ui", "--port", "70000"], "70000"),
    "ui: port not a number": (["ui", "--port", "http"], "http"),
    "rebuild: file for home": (["rebuild", "--home", "{file}"], "file.txt"),
    "summary: file for home": (["summary", "--home", "{file}"], "file.txt"),
    "summary: unknown option": (["summary", "--hme", "x"], "--hme"),
}


@pytest.mark.parametrize(("args", "names"), SWEEP.values(), ids=SWEEP.keys())
def test_a_mistake_gets_one_line_exit_2_and_nothing_written(
    tmp_path, home, corpus, capsys, args, names
):
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("not a folder\n")
    values = {
        "tmp": tmp_path,
        "file": tmp_path / "file.txt",
        "folder": tmp_path / "folder",
        "corpus": corpus,
        "home": home,
    }
    before = _files(tmp_path, home)
    status = main([a.format(**values) for a in args])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1, err
    assert err.startswith("dyadflow") and names in err
    assert "Traceback" not in err
    assert _files(tmp_path, home) == before  # nothing half-written, no folder made


def test_export_takes_the_format_from_the_file_name(tmp_path, capsys):
    assert main(["export", "--table", "events", "-o", str(tmp_path / "e.csv")]) == 0
    header = next(csv.reader((tmp_path / "e.csv").open()))
    assert header[0] == "event_id"
    assert "(csv)" in capsys.readouterr().out
    assert main(["export", "--table", "events", "-o", str(tmp_path / "e.parquet")]) == 0
    assert pq.read_table(tmp_path / "e.parquet").num_rows > 0


def test_a_missing_source_lands_nothing(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["run", "--home", str(data), "--source", str(tmp_path / "x.jsonl")]) == 2
    assert "x.jsonl: no such file or folder" in capsys.readouterr().err
    assert not data.exists()


@pytest.mark.parametrize(
    "statement",
    [
        "COPY events TO '{tmp}/copy.csv'",
        "COPY (SELECT 1) TO '{tmp}/copy.parquet' (FORMAT parquet)",
        "EXPORT DATABASE '{tmp}/exported'",
        "ATTACH '{tmp}/other.duckdb' AS other (READ_WRITE)",
        "ATTACH '{tmp}/other.duckdb' AS other",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "RESET enable_external_access",
        "INSTALL httpfs",
        "LOAD httpfs",
        "CREATE TABLE scratch AS SELECT 1",
        "DELETE FROM events",
        "DROP TABLE events",
    ],
)
def test_sql_is_read_only_everywhere(tmp_path, home, capsys, statement):
    duckdb.connect(str(tmp_path / "other.duckdb")).close()
    before = _files(tmp_path, home)
    assert main(["sql", statement.format(tmp=tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and "read-only" in err, err
    assert _files(tmp_path, home) == before


def test_sql_still_reads(home, capsys):
    assert main(["sql", "SELECT count(*) AS n FROM events"]) == 0
    assert "│" in capsys.readouterr().out
    assert main(["sql", "SELEC nonsense"]) == 1
    err = capsys.readouterr().err
    assert "syntax error" in err and len(err.splitlines()) == 1
    # an error found while the rows are computed, after the query was accepted
    assert main(["sql", "SELECT x::INTEGER FROM (VALUES ('a')) t(x)"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "Could not convert string 'a'" in err and len(err.splitlines()) == 1
    assert main(["sql", "SELECT error('boom') FROM events"]) == 1
    assert capsys.readouterr().err == "dyadflow: Invalid Input Error: boom\n"


def test_the_summary_escapes_control_characters_in_names_and_reasons(tmp_path):
    warehouse = Warehouse(tmp_path / "dyadflow.duckdb", tmp_path / "exports")
    day = date(2024, 8, 1)
    forged = "feed.jsonl\nQuarantined 0 records:\n  all clean"
    bad = Quarantined(forged, "line 1\r", "invalid JSON\x1b[2J", published_date=day)
    warehouse.publish_partition(
        day, articles_frame([]), quarantine_frame([bad]), EVENT_MENTIONS.frame([])
    )
    text = summary(warehouse)
    assert (
        "feed.jsonl\\nQuarantined 0 records:\\n  all clean, line 1\\r: invalid JSON\\x1b[2J" in text
    )
    assert "\r" not in text and "\x1b" not in text
    assert text.count("Quarantined") == 2  # the heading, and the escaped name


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DYADFLOW_BATCH_SIZE", "0"),
        ("DYADFLOW_BATCH_SIZE", "9" * 20),
        ("DYADFLOW_SCHEDULE_HOUR", "25"),
        ("DYADFLOW_SCHEDULE_RUNNING", "maybe"),
        ("DYADFLOW_EXPORTS_URI", "ftp://example.org/exports"),
        ("DYADFLOW_EXPORTS_URI", "/srv/mirror"),
        ("DYADFLOW_START_DATE", "yesterday"),
    ],
)
def test_a_bad_setting_stops_a_run_before_anything_lands(
    tmp_path, corpus, capsys, monkeypatch, variable, value
):
    monkeypatch.setenv(variable, value)
    data = tmp_path / "data"
    assert main(["run", "--home", str(data), "--source", str(corpus)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"dyadflow: {variable}={value!r}: ") and len(err.splitlines()) == 1
    assert not data.exists()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("files: 42\n", "files: Input should be a valid list"),
        ("files: good.jsonl\n", "files: Input should be a valid list"),
        ("fetch_pages: 'no'\n", "fetch_pages: Input should be a valid boolean"),
        ("near_duplicate_threshold: 0\n", "near_duplicate_threshold"),
        ("files: [missing.jsonl]\n", "missing.jsonl: no such file or folder"),
    ],
)
def test_a_bad_sources_file_stops_a_run_before_anything_lands(tmp_path, capsys, text, says):
    sources = tmp_path / "sources.yaml"
    sources.write_text(text)
    data = tmp_path / "data"
    assert main(["run", "--home", str(data), "--sources-file", str(sources)]) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.splitlines()) == 1, err
    assert not data.exists()


def test_every_option_has_help():
    commands = next(a for a in _parser()._actions if a.choices)
    for name, command in commands.choices.items():
        bare = [a.dest for a in command._actions if not a.help]
        assert not bare, (name, bare)
