"""Build-and-swap: the writer never opens a published DuckDB file for writing.

A publication copies the published release to a private candidate beside it, changes and checks
the candidate, and then publishes it as a new, immutable release file. The published path itself
(``data/dyadflow.duckdb``) is a symbolic link to the current release file, replaced atomically
(``rename`` of a new link over it). A reader opening the path sees either the old release or the
new one, and a reader that already has it open keeps its snapshot (the old file lives on until it
closes it). A run killed at any moment leaves at worst a stale candidate or an unlinked release
file, which the next run overwrites or removes.

Why a link, and not the candidate renamed over the published file: DuckDB (2.0.1) opens a
database file three times while connecting (file type, headers, then the blocks), each time by
its path. A rename between the second and the third open gave a reader one release's headers
and another's blocks ("Could not read enough bytes", "Metadata block index 71 exceeds metadata
block count 64"). DuckDB resolves a link once, before the three opens, and a release file never
changes once published, so all three reach the same bytes.

Writers exclude each other with an advisory lock on a file beside the database; the kernel
drops it when the process dies, so a killed writer never leaves it held.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path

import duckdb


def candidate_path(published: Path) -> Path:
    return published.with_name(f".{published.name}.candidate")


def lock_path(published: Path) -> Path:
    return published.with_name(f".{published.name}.lock")


def releases_dir(published: Path) -> Path:
    """Where the release files live: ``.dyadflow.duckdb.releases/000042/dyadflow.duckdb``.

    Each release keeps the published file's name (in a folder named by its release id), because
    DuckDB names the database it opens after the file: queries that say ``dyadflow.events`` keep
    working whichever release the link points at.
    """
    return published.with_name(f".{published.name}.releases")


def release_path(published: Path, release_id: int) -> Path:
    return releases_dir(published) / f"{release_id:06d}" / published.name


def read_published(published: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published release (``with`` closes it)."""
    return duckdb.connect(str(published), read_only=True)


# A reader resolves the link and then opens the file it points at: a release stays on disk this
# long after a newer one replaced it, so that the file is still there when such a reader opens it.
KEEP_REPLACED_SECONDS = 5.0


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
    prune(published)  # the release before the current one, if no longer needed: room for the copy
    if published.exists():
        current = published.resolve()
        if current.with_name(current.name + ".wal").exists():
            # Only a file last written in place (by an older dyadflow, or by hand) has a WAL:
            # fold it into the file once, so that the copy below is complete.
            duckdb.connect(str(current)).close()
        # The published file is checkpointed, without a WAL: the file alone is the release.
        clone_or_copy(current, candidate)
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


def promote(candidate: Path, published: Path, release_id: int) -> Path:
    """Make the (closed, checkpointed) candidate the published release, durably.

    The candidate becomes release file ``release_id`` and the published link is swapped to it.
    Returns the release file.
    """
    wal = candidate.with_name(candidate.name + ".wal")
    if wal.exists() and wal.stat().st_size:
        raise RuntimeError(f"{candidate} still has a write-ahead log: checkpoint before promoting")
    wal.unlink(missing_ok=True)
    fsync_file(candidate)
    release = release_path(published, release_id)
    release.parent.mkdir(parents=True, exist_ok=True)
    # Left by a run killed between this rename and the swap below: no link ever pointed at it.
    os.replace(candidate, release)
    fsync_dir(release.parent)
    fsync_dir(release.parent.parent)
    link = published.with_name(f".{published.name}.link")
    link.unlink(missing_ok=True)
    os.symlink(release.relative_to(published.parent), link)
    os.replace(link, published)  # a file written by an older dyadflow is replaced the same way
    fsync_dir(published.parent)
    prune(published)
    return release


def prune(published: Path) -> list[Path]:
    """Remove the release files no reader can reach any more; returns those removed.

    Kept: the current release, and every release replaced less than ``KEEP_REPLACED_SECONDS``
    ago (when the next one was published). A session that already opened a removed file keeps
    reading it.
    """
    folder = releases_dir(published)
    if not folder.is_dir():
        return []
    current = published.resolve().parent.name if published.is_symlink() else None
    # A release folder's mtime is when its file was renamed in: when it was published.
    published_at = sorted((entry.stat().st_mtime, entry) for entry in folder.iterdir())
    horizon = time.time() - KEEP_REPLACED_SECONDS
    removed = []
    for (_, release), (replaced_at, _) in pairwise(published_at):
        if release.name == current or replaced_at > horizon:
            continue
        shutil.rmtree(release)
        removed.append(release)
    return removed


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
