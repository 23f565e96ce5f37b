"""The coder's version string, computed without loading spaCy: cheap enough for Dagster to
compute when it loads the definitions (the ``event_mentions`` code version).

It equals ``EventCoder(...).version``: CODER_VERSION, the spaCy model and the fingerprint of
the dictionaries. The two constants are read from the source of coder.py and nlp.py rather
than imported, because importing those modules imports spaCy (seconds, for every process
Dagster starts).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from pipelines.coding.dictionaries import load_dictionaries

_HERE = Path(__file__).parent


@cache
def _constant(module: str, name: str) -> str:
    tree = ast.parse((_HERE / f"{module}.py").read_text("utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise LookupError(f"pipelines/coding/{module}.py defines no string constant {name}")


def coder_version(
    model: str | None = None, extra_dictionaries: Sequence[str | os.PathLike[str]] = ()
) -> str:
    """What ``EventCoder(model, extra_dictionaries).version`` would be."""
    model = model or _constant("nlp", "DEFAULT_MODEL")
    fingerprint = load_dictionaries(extra_dictionaries).fingerprint
    return f"{_constant('coder', 'CODER_VERSION')}+{model}-{fingerprint}"
