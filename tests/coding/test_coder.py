from __future__ import annotations

from datetime import datetime

import numpy as np

from pipelines.coding.coder import EventCoder
from pipelines.coding.triggers import among as _among
from pipelines.datamodel.records import Article


def test_niger_cuts_ties_with_ukraine(code):
    assert code("Niger has cut diplomatic ties with Ukraine.") == {("NER", "UKR", "161")}


def test_code_articles_streams_mentions_with_spans(coder: EventCoder):
    text = (
        "Markets were calm on Monday. Niger's military junta said on Tuesday it was severing "
        "diplomatic relations with Ukraine with immediate effect."
    )
    article = Article(id="a1", text=text, published_at=datetime(2024, 8, 7, 9, 30))
    mentions = list(coder.code_articles([article]))
    assert [(m.source_actor, m.target_actor, m.event_code) for m in mentions] == [
        ("NERGOV", "UKR", "161")  # a junta that governs is the government (docs/coding.md)
    ]
    mention = mentions[0]
    sentence = text[mention.sentence_start : mention.sentence_start + len(mention.sentence)]
    assert sentence == mention.sentence
    assert mention.sentence[mention.source.start : mention.source.end] == mention.source.text
    assert mention.source.text == "it"  # the pronoun, resolved to the junta that said it
    assert mention.target.text == "Ukraine"
    assert mention.trigger.text == "severing"
    assert mention.sentence_index == 1
    assert mention.event_date.isoformat() == "2024-08-06"
    assert mention.date_text == "Tuesday"
    assert 0 < mention.confidence <= 1
    assert mention.rule.startswith("verb:sever")


def test_parse_and_code_doc_are_separate(coder: EventCoder):
    text = "Mali, Burkina Faso and Niger cut ties with Ukraine."
    doc = next(coder.parse([text]))
    article = Article(id="a2", text=text, published_at=datetime(2024, 8, 7))
    coded = {(m.source_actor, m.target_actor, m.event_code) for m in coder.code_doc(doc, article)}
    assert coded == {("MLI", "UKR", "161"), ("BFA", "UKR", "161"), ("NER", "UKR", "161")}


def test_version_names_coder_model_and_dictionaries(coder: EventCoder):
    assert coder.version.startswith("1.")
    assert coder.dictionaries.fingerprint in coder.version


def test_trigger_lookup_by_bisection_finds_members_and_copes_with_no_triggers():
    values = np.array([1, 5, 9, 10], dtype=np.uint64)
    assert _among(values, np.array([5, 9], dtype=np.uint64)).tolist() == [False, True, True, False]
    assert _among(values, np.array([], dtype=np.uint64)).tolist() == [False] * 4
