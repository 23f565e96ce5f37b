"""What the ``dyadflow`` commands say of a mistake on the command line: one line, exit status 2,
and the checks of the files a command is given to read or write."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


class UsageError(Exception):
    """A mistake on the command line or in a setting: printed as one line, exit status 2."""


def input_file(path: Path) -> Path:
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if path.is_dir():
        raise UsageError(f"{path}: a folder; expected a file")
    if not os.access(path, os.R_OK):
        raise UsageError(f"{path}: not readable")
    return path


def output_file(path: Path, suffixes: Sequence[str] = ()) -> Path:
    """``path`` as a file this command may write: no folder is made and nothing replaced but a
    file."""
    if path.is_dir():
        raise UsageError(f"{path}: a folder; expected the name of a file to write")
    if suffixes and path.suffix.lower() not in suffixes:
        raise UsageError(f"{path}: expected a file name ending in {' or '.join(suffixes)}")
    folder = path.parent
    if not folder.exists():
        raise UsageError(f"{path}: there is no folder {folder} to write it in")
    if not folder.is_dir():
        raise UsageError(f"{path}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"{path}: the folder {folder} is not writable")
    return path
