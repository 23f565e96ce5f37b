"""The installed `dyadflow` command ends its process without Python's teardown: what it prints
must still arrive whole, and its exit status must still say what happened."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

DYADFLOW = str(Path(sys.executable).with_name("dyadflow"))


def _dyadflow(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([DYADFLOW, *args], capture_output=True, text=True, timeout=120, **kwargs)


def test_the_console_script_is_the_entry_point():
    assert "entry" in Path(DYADFLOW).read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "status", "says"),
    [
        (["--version"], 0, "dyadflow 0.1.0"),
        (["no-such-command"], 2, "invalid choice"),
        (["summary", "--home", "{tmp}"], 1, "no warehouse at"),
    ],
)
def test_exit_status_and_messages_survive_the_quick_exit(tmp_path, args, status, says):
    done = _dyadflow(*[a.format(tmp=tmp_path) for a in args])
    assert done.returncode == status
    assert says in done.stdout + done.stderr


def test_output_into_a_file_is_flushed_whole(tmp_path):
    """Into a file (not a terminal) stdout is block-buffered. Python flushes it after ``main``
    returns and before the atexit handlers: an os._exit any earlier would lose all of this."""
    out = tmp_path / "help.txt"
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with out.open("w") as handle:
        done = subprocess.run([DYADFLOW, "run", "--help"], stdout=handle, env=buffered, timeout=120)
    assert done.returncode == 0
    text = out.read_text()
    assert text.startswith("usage: dyadflow run") and "--force" in text and text.endswith("\n")


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path):
    duckdb.connect(str(tmp_path / "dyadflow.duckdb")).close()
    query = "SELECT range AS n FROM range(200000)"  # far more than a pipe's buffer holds
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    done = subprocess.run(
        [DYADFLOW, "sql", query, "--max-rows", "200000", "--home", str(tmp_path)],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        timeout=120,
    )
    reader.stdin.close()
    reader.wait()
    assert done.returncode == 141
    assert "Traceback" not in done.stderr.decode()
