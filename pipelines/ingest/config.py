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
from typing import Annotated
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)

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
        return _is_url(self.location)


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
        """Every file to read: the watched ones; the sample corpus when there are none of these
        and no feed URL either."""
        files = self.watched_files()
        if not files and not self.feed_urls() and self.use_sample_when_empty:
            return [sample_corpus_path()]
        return files

    def watched_files(self) -> list[Path]:
        """The files a sensor watches: the inbox's, the configured ones, the feed files (not the
        sample)."""
        files = self.inbox_files()
        if self.files:
            files += expand(self.files)
        files += [Path(f.location) for f in self.feeds if not f.is_url]
        return [p.resolve() for p in files]

    def missing_paths(self) -> list[Path]:
        """The configured files and folders, and feed files, that are not there (the inbox
        may be missing: it is made when needed)."""
        local = [*self.files, *(Path(f.location) for f in self.feeds if not f.is_url)]
        return [p for p in local if not p.exists()]

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


class _Strict(BaseModel):
    # strict: YAML has its own booleans and numbers; "no" is not false, nor "5" a number
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


_Text = Annotated[str, Field(min_length=1, pattern=r"\S")]


class _FetchSchema(_Strict):
    timeout_seconds: float = Field(None, gt=0, le=3600)
    max_bytes: int = Field(None, gt=0, le=2**31)
    min_interval_seconds: float = Field(None, ge=0, le=3600)
    user_agent: _Text = None
    allow_private_addresses: bool = None  # a feed server on this machine or the local network


class _FeedSchema(_Strict):
    url: _Text | None = None
    path: _Text | None = None
    fetch_pages: bool = False

    @model_validator(mode="after")
    def _one_place(self) -> _FeedSchema:
        if (self.url is None) == (self.path is None):
            raise ValueError("a feed has a url or a path (one of them)")
        if self.url is not None and not _is_url(self.url):
            raise ValueError(f"url {self.url!r}: scheme not allowed (http and https only)")
        return self


class _SourcesSchema(_Strict):
    inbox: _Text | None = None
    files: list[_Text] = []
    feeds: list[
        Annotated[
            Annotated[_Text, Tag("path or url")] | Annotated[_FeedSchema, Tag("feed")],
            Discriminator(lambda item: "path or url" if isinstance(item, str) else "feed"),
        ]
    ] = []
    fetch_pages: bool = False
    fetch: _FetchSchema = _FetchSchema()
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]] = Field(["en"], min_length=1)
    # below one half, articles that share a few phrases would count as copies of one story
    near_duplicate_threshold: float = Field(0.9, ge=0.5, le=1)
    max_record_bytes: int = Field(MAX_RECORD_BYTES, ge=1024, le=2**31)


def parse(raw: object, base: Path, home: Path, name: str = "sources") -> SourcesConfig:
    if not isinstance(raw, Mapping):
        raise SourcesFileError(f"{name}: expected a mapping of settings, got {type(raw).__name__}")
    unknown = set(raw) - KNOWN_KEYS
    if unknown:
        raise SourcesFileError(
            f"{name}: unknown setting(s) {', '.join(sorted(map(str, unknown)))}; "
            f"known: {', '.join(sorted(KNOWN_KEYS))}"
        )
    given = {key: value for key, value in raw.items() if value is not None}  # `files:` alone
    try:
        settings = _SourcesSchema.model_validate(given)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"] if part not in _UNION_BRANCHES)
        got = repr(first["input"])
        got = got if len(got) <= 60 else got[:57] + "..."
        message = (
            "expected a mapping"
            if first["type"] == "model_type"
            else first["msg"].removeprefix("Value error, ")
        )
        raise SourcesFileError(f"{name}: {where}: {message} (got {got})") from None

    def path_of(value: str) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else (base / path)

    feeds = []
    for item in settings.feeds:
        where = item if isinstance(item, str) else item.url
        if isinstance(where, str) and _OTHER_SCHEME.match(where) and not _is_url(where):
            raise SourcesFileError(
                f"{name}: feed {where[:200]!r}: scheme not allowed (http and https URLs, or a path)"
            )
        if isinstance(item, str):
            feeds.append(Feed(item if _is_url(item) else str(path_of(item))))
        else:
            where = item.url if item.url is not None else str(path_of(item.path))
            feeds.append(Feed(where, item.fetch_pages))
    policy = replace(FetchPolicy(), **settings.fetch.model_dump(exclude_unset=True))
    return SourcesConfig(
        inbox=path_of(settings.inbox) if settings.inbox else Layout(home).inbox_dir,
        files=tuple(path_of(f) for f in settings.files),
        feeds=tuple(feeds),
        fetch_pages=settings.fetch_pages,
        fetch=policy,
        languages=tuple(settings.languages),
        near_duplicate_threshold=settings.near_duplicate_threshold,
        max_record_bytes=settings.max_record_bytes,
        use_sample_when_empty=False,
    )


_OTHER_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://|file:", re.IGNORECASE)
# the names pydantic puts in an error's location for the branch of a union it tried
_UNION_BRANCHES = {"path or url", "feed"}


def _is_url(value: str) -> bool:
    return urlsplit(value).scheme.lower() in ("http", "https")
