"""The CAMEO event coder: parsed sentences in, EventMentions out.

Parsing (``parse``) and coding (``code_doc``) are separate so that parses can be cached and
re-coded when only the dictionaries change. Coding a Doc: the dictionaries' phrase matchers run
once over it (``ActorTagger.tag``); then each sentence that holds a trigger and an actor goes
through the stages of ``sentence.SentenceCoder``: triggers, frames, assertion, participants,
refinement (docs/coding.md).
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time

import numpy as np
from spacy.attrs import LEMMA, POS, TAG
from spacy.symbols import PRON
from spacy.tokens import Doc

from pipelines.coding.actor_entries import CAPITAL, COUNTRY, PLACE, Actor
from pipelines.coding.actor_resolver import ActorResolver
from pipelines.coding.actor_tagger import ActorTagger
from pipelines.coding.dictionary_files import load_dictionaries
from pipelines.coding.furniture import blank, find_furniture
from pipelines.coding.lexicon import Lexicon
from pipelines.coding.nlp import load_pipeline
from pipelines.coding.pieces import pieces_with_ends
from pipelines.coding.sentence import SentenceCoder
from pipelines.coding.triggers import TriggerIndex
from pipelines.coding.version import DEFAULT_MODEL, version_string
from pipelines.datamodel.records import Article, EventMention


class EventCoder:
    """Codes articles into EventMentions; build once per process and reuse."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        extra_dictionaries: Sequence[str | os.PathLike[str]] = (),
        batch_size: int = 64,
        n_process: int = 1,
    ) -> None:
        self.nlp = load_pipeline(model)
        self.dictionaries = load_dictionaries(extra_dictionaries)
        self.tagger = ActorTagger(self.nlp.vocab, self.dictionaries)
        self.lexicon = Lexicon(self.dictionaries)
        self.triggers = TriggerIndex(self.nlp.vocab, self.lexicon)
        self.batch_size = batch_size
        self.n_process = n_process
        self.model = model
        self.version = version_string(model, self.dictionaries.fingerprint)

    def prepared(self, text: str) -> str:
        """The text as the parser gets it: wire furniture blanked, every offset unchanged."""
        return blank(text, find_furniture(text, self.place_country))

    def parse(self, texts: Iterable[str], batch_size: int | None = None) -> Iterator[Doc]:
        """One Doc per text. A text longer than ``pieces.PIECE_CHARS`` is parsed in pieces cut at
        paragraph or sentence breaks, joined back into one Doc whose text is the whole text:
        every offset stays right."""
        pieces = (ended for text in texts for ended in pieces_with_ends(self.prepared(text)))
        parsed: list[Doc] = []
        for doc, last in self.nlp.pipe(
            pieces,
            as_tuples=True,
            batch_size=batch_size or self.batch_size,
            n_process=self.n_process,
        ):
            if last and not parsed:
                yield doc
                continue
            # the pieces' tok2vec output is not read, and would be copied into the whole
            doc.tensor = np.empty((0,), dtype="float32")
            parsed.append(doc)
            if last:
                yield Doc.from_docs(parsed, ensure_whitespace=False, exclude=["tensor"])
                parsed = []

    def place_country(self, name: str) -> str | None:
        """The country of a place, capital or country the dictionaries know by this name."""
        for key in (name, name.casefold(), name.title()):
            for entry in self.tagger.phrases.get(key, ()):
                if entry.kind in (COUNTRY, CAPITAL, PLACE):
                    return entry.code[:3]
        return None

    def code_articles(self, articles: Iterable[Article]) -> Iterator[EventMention]:
        waiting: deque[Article] = deque()

        def texts() -> Iterator[str]:
            for article in articles:
                waiting.append(article)
                yield article.text

        for doc in self.parse(texts()):
            yield from self.code_doc(doc, waiting.popleft())

    def code_text(self, text: str, published: date, article_id: str = "text") -> list[EventMention]:
        """Code one piece of text (tests, the CLI): parse and code in one go."""
        article = Article(
            id=article_id, text=text, published_at=datetime.combine(published, time())
        )
        return self.code_doc(next(iter(self.parse([text]))), article)

    def code_doc(self, doc: Doc, article: Article) -> list[EventMention]:
        published = article.published_at.date()
        tagged = self.tagger.tag(doc)
        furniture = find_furniture(article.text, self.place_country)
        # "SAN JOSE, Calif.": the region, when known, says which San Jose
        dateline = (furniture.region and self.place_country(furniture.region)) or (
            furniture.place and self.place_country(furniture.place)
        )
        if dateline:
            # where the story is filed from is its main country, before any count of names
            tagged.main_country = tagged.dateline_country = dateline
        resolver = ActorResolver(doc, tagged, published, self.lexicon.agent_nouns)
        mentions: list[EventMention] = []
        coded: list[SentenceCoder] = []

        def previous() -> list[Actor]:
            """The subjects of the last coded sentence that has any."""
            for earlier in reversed(coded):
                if earlier.subject_actors:
                    return earlier.subject_actors
            return []

        text = _doc_text(doc, article)
        # positions, ascending: of the words that may start an act, and of those that may
        # name or refer to an actor; each sentence takes its share by bisection
        columns = doc.to_array([LEMMA, TAG, POS])
        hits = self.triggers.positions(doc, columns)
        actors = sorted({*tagged.by_token, *np.flatnonzero(columns[:, 2] == PRON).tolist()})
        for index, sentence in enumerate(doc.sents):
            start, end = sentence.start, sentence.end
            first = bisect_left(hits, start)
            candidates = hits[first : bisect_left(hits, end, first)]
            if not candidates:
                continue
            nearest = bisect_left(actors, start)
            if nearest == len(actors) or actors[nearest] >= end:
                continue  # no actor named and none referred to: nothing to code
            if tagged.discards and any(start <= i < end for i in tagged.discards):
                continue  # sport, entertainment, weather: out of scope
            coder = SentenceCoder(
                self.lexicon, resolver, tagged, sentence, published, previous, text
            )
            mentions.extend(coder.code(article.id, index, candidates))
            coded.append(coder)
        return mentions


def _doc_text(doc: Doc, article: Article) -> str:
    """The Doc's text. Doc.text joins every token anew; the article's text is the same string
    when the Doc was parsed from it, which its last token's offset confirms cheaply."""
    if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(article.text):
        return article.text
    return doc.text
