"""The workers' DocBin: the same Docs come back as from spaCy's own DocBin."""

from __future__ import annotations

from itertools import islice

import pytest
from spacy.tokens import DocBin
from spacy.vocab import Vocab

from pipelines.coding.kept_parses import KeptParses
from pipelines.coding.parses import ATTRS, new_docbin
from pipelines.datamodel.records import Article
from pipelines.ingest.jsonl import read_jsonl
from pipelines.ingest.sample import sample_corpus_path


@pytest.fixture(scope="module")
def docs(coder):
    articles = (r for r in read_jsonl(sample_corpus_path()) if isinstance(r, Article))
    return list(coder.nlp.pipe(a.text for a in islice(articles, 25)))


def _reading(doc) -> list[tuple]:
    return [
        (
            t.text,
            t.whitespace_,
            t.tag_,
            t.pos_,
            t.dep_,
            t.head.i,
            t.lemma_,
            str(t.morph),
            t.sent_start,
        )
        for t in doc
    ]


def _decoded(blob: bytes) -> list:
    # A blank vocabulary knows none of the corpus's strings: every one must come from the bin.
    return list(DocBin().from_bytes(blob).get_docs(Vocab()))


def test_kept_parses_read_back_as_spacy_docbin_does(docs):
    kept, reference = new_docbin(), DocBin(attrs=list(ATTRS), store_user_data=False)
    for doc in docs:
        kept.add(doc)
        reference.add(doc)
    ours, theirs = _decoded(kept.to_bytes()), _decoded(reference.to_bytes())
    assert len(ours) == len(docs)
    assert [_reading(d) for d in ours] == [_reading(d) for d in theirs]
    assert [_reading(d) for d in ours] == [_reading(d) for d in docs]
    # only what it stores: no norms or entity fields
    assert set(kept.strings) < set(reference.strings) | {"_"}


def test_an_empty_doc_is_kept_too(coder):
    kept = new_docbin()
    kept.add(coder.nlp(""))
    kept.add(coder.nlp("Mali recalled its ambassador."))
    ours = _decoded(kept.to_bytes())
    assert [d.text for d in ours] == ["", "Mali recalled its ambassador."]


def test_an_attribute_it_does_not_know_is_refused_when_the_bin_is_made():
    with pytest.raises(ValueError, match="cannot keep"):
        KeptParses(attrs=[*ATTRS, "IS_ALPHA"])
