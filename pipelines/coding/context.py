"""What the stages that code one sentence share: the sentence, the Doc's actor matches and
resolver, the lexicon, the publication date, and the memos that keep a question asked twice
from being worked out twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Span

from pipelines.coding.actor_entries import Actor, DocActors
from pipelines.coding.actor_resolver import ActorResolver
from pipelines.coding.event_dates import DateExpression
from pipelines.coding.lexicon import Frame, Lexicon


@dataclass
class SentenceContext:
    lexicon: Lexicon
    resolver: ActorResolver
    tagged: DocActors
    sentence: Span
    published: date
    # the subjects of the sentence before, for pronouns: worked out only when a pronoun asks
    previous: Callable[[], list[Actor]]
    doc_text: str
    subject_actors: list[Actor] = field(default_factory=list)  # this sentence's, for the next
    frames: dict[int, Frame | None] = field(default_factory=dict)
    places: dict[tuple, tuple[str, str | None] | None] = field(default_factory=dict)
    sentence_place: str | None = None  # the first place the sentence names
    dates: list[DateExpression] | None = None
    noun_events: set[int] = field(default_factory=set)  # event nouns of the sentence

    def __post_init__(self) -> None:
        # the sentence's text by slicing the Doc's (Span.text would build every Token)
        self.text = self.doc_text[self.sentence.start_char : self.sentence.end_char]
        # "each other", "one another": most sentences have neither, and the parser's sentences
        # hold whole trees, so a target's subtree need not be walked to know it
        self.names_other = "other" in self.text.lower()
        self.question = self.text.rstrip().endswith("?")
        self.role_codes = self.resolver.role_codes

    @property
    def doc(self):
        return self.sentence.doc
