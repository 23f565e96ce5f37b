"""The Parquet exports mirrored to object storage (S3 or any S3-compatible store).

Set ``DYADFLOW_EXPORTS_URI`` to a pyarrow filesystem URI, for example
``s3://my-bucket/dyadflow`` or, for a store of your own,
``s3://my-bucket/dyadflow?endpoint_override=minio.internal:9000&scheme=http``. Credentials come
from the usual AWS variables or files (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
``AWS_PROFILE``, an instance role): never put them in the URI.

The local exports stay the reference and are written exactly as before (temporary name, rename).
After each publication has swapped in and its exports are in place, the files that changed are
uploaded (an object appears whole or not at all) and the ones of partitions that became empty are
deleted; ``_release.json`` goes up last, so a reader who trusts it never sees a release newer
than the files. ``exports/_mirror.json`` records the release the mirror holds: when it lags (an
upload failed, a run was killed, the URI is new), the next publication copies everything and
removes remote files that are no longer exported.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

import pyarrow.fs as pafs

from pipelines.warehouse import exports

URI_ENV = "DYADFLOW_EXPORTS_URI"
MARKER = "_mirror.json"
_LOCAL_ONLY = {MARKER, exports.PENDING}


class ExportMirror:
    def __init__(self, uri: str):
        self.uri = uri
        self.fs, root = pafs.FileSystem.from_uri(uri)
        self.root = root.rstrip("/")

    @classmethod
    def from_env(cls) -> ExportMirror | None:
        uri = os.environ.get(URI_ENV, "").strip()
        return cls(uri) if uri else None

    def _remote(self, exports_dir: Path, local: Path) -> str:
        return f"{self.root}/{local.relative_to(exports_dir).as_posix()}"

    def _upload(self, exports_dir: Path, local: Path) -> None:
        pafs.copy_files(
            str(local),
            self._remote(exports_dir, local),
            source_filesystem=pafs.LocalFileSystem(),
            destination_filesystem=self.fs,
        )

    def _delete(self, remote: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.fs.delete_file(remote)

    def push(self, exports_dir: Path, written: Iterable[Path], removed: Iterable[Path]) -> None:
        """Upload the files a publication wrote, delete those it removed, then the manifest."""
        for local in written:
            self._upload(exports_dir, local)
        for local in removed:
            self._delete(self._remote(exports_dir, local))
        self._finish(exports_dir)

    def sync(self, exports_dir: Path) -> None:
        """Make the mirror an exact copy of the local exports."""
        local = {
            path
            for path in exports_dir.rglob("*")
            if path.is_file() and not path.name.startswith(".") and path.name not in _LOCAL_ONLY
        }
        manifest = exports_dir / exports.MANIFEST
        for path in sorted(local - {manifest}):
            self._upload(exports_dir, path)
        wanted = {self._remote(exports_dir, path) for path in local}
        selector = pafs.FileSelector(self.root, recursive=True, allow_not_found=True)
        for info in self.fs.get_file_info(selector):
            if info.type == pafs.FileType.File and info.path not in wanted:
                self._delete(info.path)
        self._finish(exports_dir)

    def _finish(self, exports_dir: Path) -> None:
        manifest = exports_dir / exports.MANIFEST
        if manifest.exists():
            self._upload(exports_dir, manifest)
        release = (
            json.loads(manifest.read_text("utf-8")).get("release_id") if manifest.exists() else None
        )
        write_marker(exports_dir, {"uri": self.uri, "release_id": release})

    def in_step(self, exports_dir: Path, release_before: int | None) -> bool:
        """Whether the mirror holds the release the local exports held before a publication."""
        marker = read_marker(exports_dir)
        return (
            bool(marker)
            and marker.get("uri") == self.uri
            and marker.get("release_id") == (release_before)
        )


def forget_mirror(exports_dir: Path) -> None:
    """Make the next publication copy everything to the mirror and remove what it no longer
    exports."""
    (exports_dir / MARKER).unlink(missing_ok=True)


def read_marker(exports_dir: Path) -> dict | None:
    return exports.read_manifest(exports_dir, MARKER)


def write_marker(exports_dir: Path, marker: dict) -> None:
    target = exports_dir / MARKER
    tmp = target.with_name(f".{MARKER}.tmp")
    tmp.write_text(json.dumps(marker, sort_keys=True) + "\n", "utf-8")
    os.replace(tmp, target)
