"""The UI as ``dyadflow ui`` starts it (``dagster dev`` on the code location), for the tests: started on 127.0.0.1 on a free port with the
Dagster instance of a data folder, asked over GraphQL, and stopped by the process group it was
started in (its own, nothing else)."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assets.runs import instance_for, ui_command
from pipelines.settings import layout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _default_signals() -> None:
    # The server is stopped with SIGTERM: make sure it was not started ignoring it.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)


class UI:
    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}/graphql"

    def query(self, query: str, **variables) -> dict:
        body = json.dumps({"query": query, "variables": variables}).encode()
        request = urllib.request.Request(
            self.url, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        assert "errors" not in answer, answer["errors"]
        return answer["data"]


@contextmanager
def dagster_dev(home: Path) -> Iterator[UI]:
    """The UI on the data folder ``home`` (its Dagster instance, its warehouse)."""
    where = layout(home)
    instance_for(where).dispose()  # the instance folder with dyadflow's dagster.yaml
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_", "DYADFLOW_"))},
        "DAGSTER_HOME": str(where.dagster_home),
        "DYADFLOW_HOME": str(home),
    }
    log_path = home / "dagster-dev.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        ui_command(where, port),
        cwd=home,  # not the repository: the location must not depend on the folder
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so it can be stopped as a whole
        preexec_fn=_default_signals,
    )
    client = UI(port)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, log_path.read_text()[-3000:]
            try:
                if client.query("{ version }")["version"]:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert time.monotonic() < deadline, "dagster dev did not answer within 120 s"
            time.sleep(1)
        yield client
    finally:
        _stop(process)
        log.close()


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and its children: the process group it leads, nothing else."""
    group = os.getpgid(process.pid)
    assert group == process.pid
    os.killpg(group, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        process.wait(timeout=10)
    # Children (webserver, daemon, code server) may outlive the parent for a moment.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.5)
    os.killpg(group, signal.SIGKILL)
