"""Opening source files: gzip by its magic bytes, lines of bounded size, and where a read broke.

Readers built on these never hold more than one record (capped) in memory, and a file that breaks
part way (a truncated gzip, a disk error) gives up its records before the break; the break itself
comes out as one Quarantined record saying where it happened.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pipelines.datamodel.records import Quarantined

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"
# No news article comes near this; a longer record is quarantined without being held in memory.
MAX_RECORD_BYTES = 8 * 1024 * 1024
_SKIP_CHUNK = 1024 * 1024

# What a broken stream raises: truncated gzip (EOFError), corrupt gzip (BadGzipFile is an
# OSError, zlib.error), disk errors (OSError).
STREAM_ERRORS = (EOFError, OSError, zlib.error)


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def format_suffix(path: Path) -> str:
    """The suffix naming the format, under any .gz: 'a.jsonl.gz' -> '.jsonl'."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def open_binary(path: Path) -> BinaryIO:
    """The file's bytes, decompressed when it is gzip (whatever its name says)."""
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def describe(err: BaseException) -> str:
    if isinstance(err, EOFError):
        return "truncated gzip stream"
    if isinstance(err, gzip.BadGzipFile | zlib.error):
        return f"corrupt gzip stream ({err})"
    return f"read error ({err})"


def compressed_offset(handle: BinaryIO) -> int | None:
    """How far into the file on disk the reader got: for gzip, the compressed position."""
    raw = getattr(handle, "fileobj", None)
    try:
        return (raw or handle).tell()
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    offset: int  # byte offset of the line in the (decompressed) stream
    data: bytes  # the line with its newline; only the first bytes when too_long
    too_long: int = 0  # the line's full length in bytes when it exceeded the limit

    @property
    def location(self) -> str:
        return f"line {self.number}"


def read_lines(path: Path, max_bytes: int = MAX_RECORD_BYTES) -> Iterator[Line | Quarantined]:
    """Every line of the file, in order; a break in the stream ends it with one Quarantined."""
    number = 0
    offset = 0
    with open_binary(path) as handle:
        try:
            while True:
                data = handle.readline(max_bytes + 1)
                if not data:
                    return
                number += 1
                if number == 1 and data.startswith(UTF8_BOM):
                    data = data[len(UTF8_BOM) :]
                    offset += len(UTF8_BOM)
                if len(data) > max_bytes and not data.endswith(b"\n"):
                    length = len(data)
                    head = data[:1024]
                    chunk = data
                    while chunk and not chunk.endswith(b"\n"):
                        chunk = handle.readline(_SKIP_CHUNK)
                        length += len(chunk)
                    yield Line(number, offset, head, too_long=length)
                    offset += length
                    continue
                yield Line(number, offset, data)
                offset += len(data)
        except STREAM_ERRORS as err:
            yield broken_stream(path, handle, err, number, offset)


def broken_stream(
    path: Path, handle: BinaryIO, err: BaseException, lines_read: int, offset: int
) -> Quarantined:
    at = compressed_offset(handle)
    where_on_disk = f" (byte {at} of the file on disk)" if at is not None else ""
    return Quarantined(
        str(path),
        f"line {lines_read + 1}, byte {offset}",
        f"{describe(err)} after line {lines_read}, at byte {offset} of the decompressed data"
        f"{where_on_disk}: the rest of the file could not be read",
    )


def read_document(path: Path, max_bytes: int = MAX_RECORD_BYTES) -> bytes | Quarantined:
    """A whole small file (one HTML page, one text, one feed), decompressed, or why not."""
    with open_binary(path) as handle:
        try:
            data = _read_at_most(handle, max_bytes + 1)
        except STREAM_ERRORS as err:
            return Quarantined(
                str(path), "file", f"{describe(err)}: the document could not be read whole"
            )
    if len(data) > max_bytes:
        return Quarantined(
            str(path),
            "file",
            f"document larger than the {max_bytes} byte limit",
            Quarantined.clip(data[:1024]),
        )
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    return data


def _read_at_most(handle: BinaryIO, limit: int) -> bytes:
    """Like read(limit), without allocating ``limit`` bytes up front for a small file."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = handle.read(min(_SKIP_CHUNK, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
