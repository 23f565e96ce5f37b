"""Publish the synthetic stream in a separate process, so a test can kill it at any moment.

    python -m tests.warehouse.publish_worker HOME DAYS [DIGESTS|-] [POINT:N]

Prints "ready" once everything is imported and the frames are built, then publishes day after
day; with DIGESTS, appends the tables' digest after each publication (one line per day). With
POINT:N the process kills itself with SIGKILL at that point of its N-th publication (from 1),
to hit the narrowest windows for sure: after_copy (candidate made), after_promote (file
swapped, exports not yet moved), after_commit (exports moved, manifest not yet written).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from pipelines.warehouse import exports, swap
from pipelines.warehouse.store import Warehouse
from tests.warehouse.digest import tables_digest
from tests.warehouse.synthetic import stream


def _die_after(module, name: str, count: int) -> None:
    original = getattr(module, name)
    calls = []

    def wrapper(*args, **kwargs):
        value = original(*args, **kwargs)
        calls.append(1)
        if len(calls) == count:
            os.kill(os.getpid(), signal.SIGKILL)
        return value

    setattr(module, name, wrapper)


POINTS = {
    "after_copy": (swap, "prepare"),
    "after_promote": (swap, "promote"),
    "after_commit": (exports, "commit"),
}


def main(home: str, days: str, digests: str = "-", kill_at: str | None = None) -> None:
    if kill_at:
        point, count = kill_at.split(":")
        _die_after(*POINTS[point], int(count))
    digests = None if digests == "-" else digests
    root = Path(home)
    warehouse = Warehouse(root / "dyadflow.duckdb", root / "exports")
    frames = stream(days=int(days))
    print("ready", flush=True)
    for item in frames:
        warehouse.publish_partition(item.day, item.articles, item.quarantine, item.mentions)
        if digests:
            with open(digests, "a", encoding="utf-8") as out:
                out.write(f"{tables_digest(warehouse.path)}\n")
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
