"""Run a command and measure it as a process tree: wall clock, CPU seconds of the command and
every child it waited for (and of the command's own process alone), and the peak memory of the
whole tree while it ran.

Memory is sampled every ``interval`` seconds from /proc (Linux): the sum of the proportional set
size (PSS: a page shared by n processes counts 1/n in each, so forked workers sharing the model
are not counted twice) and, for comparison, the sum of the resident set sizes (RSS, which counts
shared pages once per process).
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class TreeRun:
    returncode: int
    wall: float
    cpu: float  # user + system seconds of the command and its children
    own_cpu: float  # of the command's process alone, without its children (last sample)
    peak_pss_mb: float
    peak_rss_mb: float
    stdout: str
    stderr: str


def _stat(pid: int | str) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state, ppid, ...), or None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name may hold spaces and parentheses: the other fields follow the last ")"
    return stat.rsplit(")", 1)[1].split()


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        fields = _stat(entry.name) if entry.name.isdigit() else None
        if fields is not None:
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _descendants(root: int) -> list[int]:
    tree = _children()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return pss, rss


def _cpu_seconds(pid: int) -> float | None:
    """User + system seconds of one process so far, children not included."""
    fields = _stat(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    command: list[str],
    env: dict[str, str] | None = None,
    interval: float = 0.2,
    cwd: str | os.PathLike[str] | None = None,
) -> TreeRun:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
    )
    peak = [0, 0]
    own_cpu = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            pss = rss = 0
            for pid in _descendants(process.pid):
                p, r = _memory_kb(pid)
                pss += p
                rss += r
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
            own = _cpu_seconds(process.pid)
            own_cpu[0] = own if own is not None else own_cpu[0]
            stop.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return TreeRun(
        process.returncode,
        wall,
        cpu,
        min(own_cpu[0], cpu),
        peak[0] / 1024,
        peak[1] / 1024,
        stdout,
        stderr,
    )
