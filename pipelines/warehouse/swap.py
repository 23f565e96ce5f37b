"""Build-and-swap: the writer never opens the published DuckDB file for writing.

A publication copies the published file to a private candidate beside it, changes and checks the
candidate, and then renames it over the published file. ``rename`` is atomic on POSIX, so a
reader opening the file sees either the old release or the new one, and a reader that already
has it open keeps its snapshot (the old file lives on until it closes it). A run killed at any
moment leaves at worst a stale candidate, which the next run overwrites.

Writers exclude each other with an advisory lock on a file beside the database; the kernel
drops it when the process dies, so a killed writer never leaves it held.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


def candidate_path(published: Path) -> Path:
    return published.with_name(f".{published.name}.candidate")


def lock_path(published: Path) -> Path:
    return published.with_name(f".{published.name}.lock")


@contextmanager
def writer_lock(published: Path) -> Iterator[None]:
    """Hold the single-writer lock of ``published`` (waits for another writer to finish)."""
    published.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path(published), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare(published: Path) -> Path:
    """A fresh candidate: a copy of the published file (no file yet: an empty candidate)."""
    candidate = candidate_path(published)
    discard(candidate)
    if published.exists():
        if published.with_name(published.name + ".wal").exists():
            # Only a file last written in place (by an older dyadflow, or by hand) has a WAL:
            # fold it into the file once, so that the copy below is complete.
            duckdb.connect(str(published)).close()
        # The published file is checkpointed, without a WAL: the file alone is the release.
        clone_or_copy(published, candidate)
    return candidate


# ioctl FICLONE: make ``dst`` share ``src``'s blocks, copy-on-write (btrfs, XFS with reflink,
# bcachefs...). A candidate then costs no copy at all, and only the blocks a publication changes
# are ever written.
_FICLONE = 0x40049409


def clone_or_copy(src: Path, dst: Path) -> str:
    """Copy ``src`` to ``dst``: a reflink where the filesystem offers one, else an in-kernel copy.

    Returns "clone" or "copy".
    """
    with open(src, "rb") as source, open(dst, "wb") as target:
        try:
            fcntl.ioctl(target.fileno(), _FICLONE, source.fileno())
            return "clone"
        except OSError:
            pass  # ext4, tmpfs, overlayfs...: no reflinks
    shutil.copyfile(src, dst)  # sendfile: the bytes never pass through Python
    return "copy"


def promote(candidate: Path, published: Path) -> None:
    """Make the (closed, checkpointed) candidate the published file, durably."""
    wal = candidate.with_name(candidate.name + ".wal")
    if wal.exists() and wal.stat().st_size:
        raise RuntimeError(f"{candidate} still has a write-ahead log: checkpoint before promoting")
    wal.unlink(missing_ok=True)
    fsync_file(candidate)
    os.replace(candidate, published)
    fsync_dir(published.parent)


def discard(candidate: Path) -> None:
    candidate.unlink(missing_ok=True)
    candidate.with_name(candidate.name + ".wal").unlink(missing_ok=True)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
