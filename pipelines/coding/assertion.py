"""Is an act said to have happened? Negation, modality, conditions, questions, background
clauses and frames that block what they embed all say no; "will" and a negated future of a
concession change what the act is (an intent, a threat, a refusal) rather than drop it."""

from __future__ import annotations

from spacy.tokens import Token

from pipelines.codebook import is_hostile, is_prospective, root_of
from pipelines.coding import grammar
from pipelines.coding.candidate import Candidate, CandidateKind
from pipelines.coding.context import SentenceContext
from pipelines.coding.frames import frame_of
from pipelines.coding.lexicon import FrameKind
from pipelines.coding.phrases import Words

REFUSING_AUX = frozenset({"will", "would", "wo", "'ll", "shall"})


def asserted(ctx: SentenceContext, candidate: Candidate) -> bool:
    """Is the act said to have happened (or, for frames, to have been said)?"""
    trigger = candidate.trigger
    verb = trigger if candidate.kind != CandidateKind.NOUN else (candidate.anchor or trigger)
    if not candidate.refusal and not candidate.options.appraisal:
        if grammar.is_negated(trigger):
            return False
        if (
            candidate.kind == CandidateKind.NOUN
            and verb.i != trigger.i
            and grammar.is_negated(verb)
        ):
            return False
        if grammar.is_hypothetical(verb):
            return False
    if trigger.dep_ == "amod":
        return False
    if _named_only(trigger, ctx.lexicon.words) or _content_clause(verb, ctx.lexicon.words):
        return False
    if (
        candidate.kind == CandidateKind.VERB
        and not candidate.options.appraisal
        and any(
            d.dep_ == "det" and d.lower_ in ("no", "zero")
            for o in grammar.children(trigger, grammar.OBJECT_DEPS)
            for d in o.children
        )
    ):
        return False  # "launched no drones"
    holding = candidate.code == "181" and verb.tag_ == "VBG"  # "militants holding two hostages"
    if background(verb, ctx.lexicon.words) and not holding:
        return False
    # an act inside a clause that is itself negated, conditional, or only asked for,
    # promised, threatened or appraised ("asked the UN to deploy a force to help ...")
    child = verb
    for ancestor in grammar.ancestors_through_clauses(verb):
        # a coordinated verb shares its partner's clause, not its speech act
        link = child.dep_
        child = ancestor
        if link == "conj":
            continue
        if grammar.in_condition(ancestor):
            return False
        if link in ("relcl", "acl"):
            # "the citizens who were detained last week" is a fact whatever is demanded
            # about them; "protesters who blocked roads would face prison" is not
            unreal = grammar.aux_lemmas(ancestor) & (grammar.HYPOTHETICAL_AUX | grammar.FUTURE_AUX)
            return not unreal and not ctx.question
        frame = frame_of(ctx, ancestor)
        if frame is not None and frame.kind not in (FrameKind.REPORT, FrameKind.LIGHT):
            return False
        if (
            ancestor.pos_ == "VERB"
            and grammar.is_negated(ancestor)
            and (frame is None or frame.kind != FrameKind.REPORT)
        ):
            return False
    # a question asserts nothing
    return not ctx.question


def refusal_reading(ctx: SentenceContext, candidate: Candidate) -> Candidate:
    """ "would not resign", "will not lift the ban": a negated cooperative act in the future
    is a refusal (12x), not a non-event."""
    trigger = candidate.trigger
    if candidate.kind != CandidateKind.VERB or is_hostile(candidate.code):
        return candidate
    if not (grammar.is_negated(trigger) and grammar.aux_lemmas(trigger) & REFUSING_AUX):
        return candidate
    code = ctx.lexicon.framed_code(FrameKind.REFUSE, candidate.code)
    if code is None:
        return candidate
    candidate.code = code
    candidate.rule = f"refusal>{candidate.rule}"
    candidate.refusal = True
    return candidate


def future_reading(ctx: SentenceContext, candidate: Candidate) -> Candidate | None:
    """ "will send aid" is an intent (033), "will impose sanctions" a threat (1312); a
    disapproval foretold ("people who took part would regret it") is neither act nor threat."""
    if candidate.kind == CandidateKind.FRAME or not grammar.is_future(
        candidate.anchor or candidate.trigger
    ):
        return candidate
    if root_of(candidate.code) == "11":
        return None
    hostile = candidate.pattern.hostile if candidate.pattern else is_hostile(candidate.code)
    kind = FrameKind.THREAT if hostile else FrameKind.INTENT
    if is_prospective(candidate.code):
        return candidate
    code = ctx.lexicon.framed_code(kind, candidate.code)
    if code is None:
        return candidate
    candidate.code = code
    candidate.rule = f"future:{kind}>{candidate.rule}"
    return candidate


def background(verb: Token, words: Words) -> bool:
    """Clauses that describe a participant or a purpose rather than report an act: restrictive
    relative clauses ("firms that sell weapons", "a journalist who had been detained"), reduced
    relatives ("demonstrators protesting against"), and purpose infinitives ("sent troops to
    help the army fight"), unless an implicative verb asserts them ("began to withdraw")."""
    current = verb
    for _ in range(8):
        # "the attack carried out by X" still reports the act
        passive_acl = current.dep_ == "acl" and current.tag_ == "VBN"
        if current.dep_ == "acl" and not passive_acl:
            return True  # "demonstrators protesting against ...": who they are
        if current.dep_ == "relcl" and not _non_restrictive(current) and _habitual(current):
            return True  # "firms that sell weapons": what they are, not what happened
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children)
        implied = current.dep_ in ("xcomp", "ccomp") and (
            current.head.lemma_.lower() in words["implicative_verbs"] | words["causative_verbs"]
        )
        # "claimed to have kidnapped two journalists", "is believed to have been killed": a
        # perfect infinitive reports a past act, it does not aim at one
        implied = implied or any(c.dep_ == "aux" and c.lower_ == "have" for c in current.lefts)
        implied = implied or grammar.scheduled(current)  # "is scheduled to meet": will happen
        if infinitive and not implied:
            return True
        if current.dep_ not in grammar.CLAUSE_LINKS or current.head.i == current.i:
            return False
        current = current.head
    return False


def _habitual(verb: Token) -> bool:
    """A present-tense clause describes ("that sell weapons"); a past or perfect one reports
    ("who were detained in Baku last week")."""
    if any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBN") for c in verb.lefts):
        return False
    if any(c.lower_ in ("had", "was", "were", "has", "have") for c in verb.lefts):
        return False
    return verb.tag_ in ("VBZ", "VBP", "VBG", "VB")


def _non_restrictive(clause: Token) -> bool:
    """A relative clause set off by a comma ("the rebels, who attacked ...") adds an act."""
    first = min(t.i for t in clause.subtree)
    doc = clause.doc
    return first > 0 and doc[first - 1].text == ","


def _named_only(trigger: Token, words: Words) -> bool:
    """ "what it called Ukraine's support for terrorist groups": an act that is only the name
    one side gives to something is that side's characterisation, not an act that happened."""
    if trigger.dep_ != "oprd" or trigger.head.lemma_.lower() not in words["naming_verbs"]:
        return False
    # "called Ukraine's incursion a provocation": the name comes last; the act before it is
    # the thing named, even when the parser marks both as complements
    return not any(c.i > trigger.i and c.dep_ in ("oprd", "dobj") for c in trigger.head.children)


def _content_clause(verb: Token, words: Words) -> bool:
    """ "rejected the accusation that Kyiv supported terrorism": a clause that states what an
    accusation, claim or report says is its content. A relative clause proper has a relative
    pronoun among its own words ("the report that cited sources")."""
    current = verb
    while current.dep_ == "conj" and current.head.i != current.i:
        current = current.head
    if current.dep_ not in ("relcl", "acl", "ccomp"):
        return False
    noun = current.head
    if noun.pos_ not in ("NOUN", "PROPN") or noun.lemma_.lower() not in words["content_nouns"]:
        return False
    return not any(
        c.lower_ in grammar.RELATIVE_PRONOUNS and c.dep_ != "mark" for c in current.children
    )


def inside_event(candidate: Candidate, triggers: set[int]) -> bool:
    """An event noun that only names what another act is about ("condemned the attack on X",
    "an investigation into the killing of Y"): CAMEO codes the act around it. Nouns that a
    light verb carries ("launched an attack") or that are the act ("talks collapsed") stand."""
    if candidate.carried:
        return False
    if candidate.reciprocal and len(candidate.sources) > 1:
        return False  # "killed in clashes between US troops and insurgents": the clashes too
    token = candidate.trigger
    if token.dep_ in ("nsubj", "nsubjpass"):
        return token.head.i in triggers
    current = token.head
    for _ in range(6):
        if current.i in triggers:
            return True
        if current.pos_ in ("VERB", "AUX") or current.head.i == current.i:
            return False
        current = current.head
    return False
