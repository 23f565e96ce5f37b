"""The spaCy pipeline the coder parses with: loaded once per process.

The dictionaries do the actor work, so the statistical NER is left out: it costs a fifth of the
parse and misses many country names anyway. Tagger, parser, attribute ruler and lemmatizer stay:
the coder reads parts of speech, dependencies and lemmas.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from pipelines.coding.version import DEFAULT_MODEL

EXCLUDED = ("ner",)


@cache
def load_pipeline(model: str = DEFAULT_MODEL, exclude: tuple[str, ...] = EXCLUDED) -> Language:
    """The named installed model without the excluded components; never downloads."""
    return spacy.load(model, exclude=list(exclude))
