"""The sample corpus bundled with the package: the default source when nothing is configured."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def sample_corpus_path() -> Path:
    return Path(str(resources.files("pipelines") / "data" / "sample" / "articles.jsonl"))
