"""The DocBin the coding workers keep their parses in (pipelines/coding/parses.py).

spaCy's ``DocBin.add`` collects the strings a Doc needs by reading nine string attributes of
every token (text, tag, lemma, norm, morphology, dependency and three entity fields), each a new
Python string, which costs more than the arrays and the compression together (docs/scaling.md
has the figures). ``KeptParses.add`` stores exactly what ``DocBin.add`` stores, but takes
the strings from the unique hashes of the array's string columns, once per distinct value, at a
third of the cost. It keeps the strings of the attributes it stores (for dyadflow's parses:
words, tags, lemmas, morphology, dependencies) and leaves out the others: a reader's
``DocBin().from_bytes(...).get_docs(vocab)`` rebuilds the same Docs. It knows which of its
attributes hold strings; one it does not know is refused when the bin is made, not found
missing when the shard is read.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import (
    DEP,
    ENT_ID,
    ENT_IOB,
    ENT_KB_ID,
    ENT_TYPE,
    HEAD,
    LEMMA,
    MORPH,
    NORM,
    ORTH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.tokens import Doc, DocBin

# Attributes whose array values are string hashes, and those whose values are plain integers.
_STRING_ATTRS = frozenset({ORTH, NORM, TAG, DEP, LEMMA, MORPH, ENT_TYPE, ENT_KB_ID, ENT_ID})
_INTEGER_ATTRS = frozenset({POS, HEAD, SENT_START, ENT_IOB, SPACY})


class KeptParses(DocBin):
    def __init__(self, attrs: list[str]):
        super().__init__(attrs=attrs, store_user_data=False)
        unknown = set(self.attrs) - _STRING_ATTRS - _INTEGER_ATTRS
        if unknown:
            raise ValueError(f"KeptParses cannot keep the attribute(s) {sorted(unknown)}")
        self._string_columns = [i for i, a in enumerate(self.attrs) if a in _STRING_ATTRS]

    def add(self, doc: Doc) -> None:
        array = doc.to_array(self.attrs)
        if array.ndim == 1:  # a single attribute comes back as a vector
            array = array.reshape(-1, 1)
        self.tokens.append(array)
        self.spaces.append(doc.to_array(SPACY).reshape(-1, 1).astype(bool))
        self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        self.cats.append(doc.cats)
        self.span_groups.append(doc.spans.to_bytes())
        strings = doc.vocab.strings
        for value in np.unique(array[:, self._string_columns]).tolist():
            if value:  # 0: no value (an empty string)
                self.strings.add(strings[value])
        for group in doc.spans.values():  # none in dyadflow's pipeline; kept as DocBin keeps them
            for span in group:
                self.strings.add(span.label_)
