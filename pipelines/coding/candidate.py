"""A coded act before its actors are resolved: what the trigger, frame and grammar stages hand
on to the participant stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from spacy.tokens import Token

from pipelines.coding.lexicon import Frame, Pattern, PatternOptions


class CandidateKind(StrEnum):
    """What found the act: a verb pattern, an event noun, or a frame over another act."""

    VERB = "verb"
    NOUN = "noun"
    FRAME = "frame"


@dataclass
class Candidate:
    trigger: Token
    code: str
    rule: str
    sources: list[Token]
    targets: list[Token]
    kind: CandidateKind
    pattern: Pattern | None = None
    consumed: set[int] = field(default_factory=set)  # tokens this act explains
    inherited_source: bool = False
    reciprocal: bool = False  # a compound subject with no target acts within itself
    mutual: bool = False  # both sides act on each other even when one is the object ("met")
    state_role: str = ""  # the state's role standing in for a missing agent ("COP")
    frame: Frame | None = None
    anchor: Token | None = None  # the verb whose clause carries date and place
    options: PatternOptions = field(default_factory=PatternOptions)
    refusal: bool = False  # a negated promise read as a refusal ("will not resign")
    object_target: bool = False  # the pattern's own object stands as target (named only)
    carried: bool = False  # an event noun carried by a light verb or a purpose phrase
    evaluative: bool = False  # a naming in blame or praise: what it names still happened
