"""The sources file: where articles come from, in one YAML file (see README, "Sources", and
``pipelines/data/sources.example.yaml``).

Which file: the one given (``dyadflow run --sources-file``, or the ``sources`` resource's
``sources_file``), else $DYADFLOW_SOURCES, else ``<home>/sources.yaml`` when it exists. With no
file, the inbox ``<home>/inbox`` is read, and when that is empty too, the bundled sample corpus.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from pipelines.ingest.fetch import FetchPolicy
from pipelines.ingest.sample import sample_corpus_path
from pipelines.ingest.sources import expand
from pipelines.ingest.streams import MAX_RECORD_BYTES
from pipelines.settings import Layout

SOURCES_ENV = "DYADFLOW_SOURCES"
DEFAULT_FILE_NAME = "sources.yaml"
KNOWN_KEYS = {
    "inbox",
    "files",
    "feeds",
    "fetch_pages",
    "fetch",
    "languages",
    "near_duplicate_threshold",
    "max_record_bytes",
}


class SourcesFileError(ValueError):
    """The sources file is not valid: the message says where and why."""


@dataclass(frozen=True)
class Feed:
    location: str  # an http(s) URL or a file path
    fetch_pages: bool = False

    @property
    def is_url(self) -> bool:
        return urlsplit(self.location).scheme.lower() in ("http", "https")


@dataclass(frozen=True)
class SourcesConfig:
    inbox: Path | None  # None: no inbox (explicit files only)
    files: tuple[Path, ...] = ()
    feeds: tuple[Feed, ...] = ()
    fetch_pages: bool = False  # for feed files found in the inbox or among the files
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    languages: tuple[str, ...] = ("en",)
    near_duplicate_threshold: float = 0.9
    max_record_bytes: int = MAX_RECORD_BYTES
    use_sample_when_empty: bool = True

    def inbox_files(self) -> list[Path]:
        return expand([self.inbox]) if self.inbox is not None and self.inbox.is_dir() else []

    def file_paths(self) -> list[Path]:
        """Every file to read: the inbox's, the configured ones, the feed files; the sample
        corpus when there are none of these and no feed URL either."""
        files = self.inbox_files()
        if self.files:
            files += expand(self.files)
        files += [Path(f.location) for f in self.feeds if not f.is_url]
        if not files and not self.feed_urls() and self.use_sample_when_empty:
            return [sample_corpus_path()]
        return [p.resolve() for p in files]

    def watched_files(self) -> list[Path]:
        """The files a sensor watches: the inbox's and the configured ones (not the sample)."""
        files = self.inbox_files()
        if self.files:
            files += expand(self.files)
        files += [Path(f.location) for f in self.feeds if not f.is_url]
        return [p.resolve() for p in files]

    def feed_urls(self) -> list[Feed]:
        return [f for f in self.feeds if f.is_url]

    def fetch_pages_for(self, path: Path) -> bool:
        for feed in self.feeds:
            if not feed.is_url and Path(feed.location).resolve() == path.resolve():
                return feed.fetch_pages
        return self.fetch_pages


def sources_file(home: Path, explicit: str | os.PathLike[str] | None = None) -> Path | None:
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(SOURCES_ENV):
        return Path(os.environ[SOURCES_ENV]).expanduser()
    default = home / DEFAULT_FILE_NAME
    return default if default.exists() else None


def explicit_files(paths: list[str], base: SourcesConfig | None = None) -> SourcesConfig:
    """Exactly these files or folders (``dyadflow run --source``): no inbox."""
    base = base or SourcesConfig(inbox=None)
    return replace(base, inbox=None, files=tuple(Path(p) for p in paths), feeds=())


def load(home: Path, explicit: str | os.PathLike[str] | None = None) -> SourcesConfig:
    """The sources configuration for a dyadflow home."""
    path = sources_file(home, explicit)
    if path is None:
        return SourcesConfig(inbox=Layout(home).inbox_dir)
    try:
        raw = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise SourcesFileError(f"{path}: cannot read the sources file: {err}") from None
    return parse(raw, base=path.parent, home=home, name=str(path))


def parse(raw: object, base: Path, home: Path, name: str = "sources") -> SourcesConfig:
    if not isinstance(raw, Mapping):
        raise SourcesFileError(f"{name}: expected a mapping of settings, got {type(raw).__name__}")
    unknown = set(raw) - KNOWN_KEYS
    if unknown:
        raise SourcesFileError(
            f"{name}: unknown setting(s) {', '.join(sorted(map(str, unknown)))}; "
            f"known: {', '.join(sorted(KNOWN_KEYS))}"
        )

    def path_of(value: object) -> Path:
        if not isinstance(value, str) or not value.strip():
            raise SourcesFileError(f"{name}: expected a path, got {value!r}")
        path = Path(value).expanduser()
        return path if path.is_absolute() else (base / path)

    feeds = []
    for item in raw.get("feeds") or []:
        where = item.get("url") if isinstance(item, Mapping) else item
        if isinstance(where, str) and _OTHER_SCHEME.match(where) and not _is_url(where):
            raise SourcesFileError(
                f"{name}: feed {where[:200]!r}: scheme not allowed (http and https URLs, or a path)"
            )
        if isinstance(item, str):
            feeds.append(Feed(item if _is_url(item) else str(path_of(item))))
        elif isinstance(item, Mapping) and ("url" in item or "path" in item):
            where = str(item["url"]) if "url" in item else str(path_of(item["path"]))
            feeds.append(Feed(where, bool(item.get("fetch_pages", False))))
        else:
            raise SourcesFileError(f"{name}: a feed is a URL, a path, or {{url|path, fetch_pages}}")
    fetch = raw.get("fetch") or {}
    if not isinstance(fetch, Mapping):
        raise SourcesFileError(f"{name}: fetch must be a mapping")
    try:
        policy = replace(FetchPolicy(), **dict(fetch))
    except TypeError as err:
        raise SourcesFileError(f"{name}: fetch: {err}") from None
    languages = raw.get("languages") or ["en"]
    return SourcesConfig(
        inbox=path_of(raw["inbox"]) if raw.get("inbox") else Layout(home).inbox_dir,
        files=tuple(path_of(f) for f in raw.get("files") or []),
        feeds=tuple(feeds),
        fetch_pages=bool(raw.get("fetch_pages", False)),
        fetch=policy,
        languages=tuple(str(x) for x in languages),
        near_duplicate_threshold=float(raw.get("near_duplicate_threshold", 0.9)),
        max_record_bytes=int(raw.get("max_record_bytes", MAX_RECORD_BYTES)),
        use_sample_when_empty=False,
    )


_OTHER_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://|file:", re.IGNORECASE)


def _is_url(value: str) -> bool:
    return urlsplit(value).scheme.lower() in ("http", "https")
