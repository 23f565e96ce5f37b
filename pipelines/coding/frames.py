"""Frames: verbs that embed another act and code the speech act, not the act spoken of.

"urged Niger to release" is an appeal (0253) aimed at Niger, "demanded that Azerbaijan release"
a demand (1053) aimed at Azerbaijan, "agreed to provide aid" an intent (033), "threatened to
impose sanctions" a threat (1312), "refused to lift" a refusal (1244), "accused Ukraine of
supporting terrorism" an accusation (112). Report verbs leave the reported act as it is; light
verbs lend their subject to an event noun ("held talks", "launched an attack").
"""

from __future__ import annotations

from spacy.tokens import Token

from pipelines.coding import grammar
from pipelines.coding.candidate import Candidate, CandidateKind
from pipelines.coding.context import SentenceContext
from pipelines.coding.lexicon import Frame, FrameKind, PatternOptions
from pipelines.coding.phrases import Words, carrier, subjects_only, through_quantity
from pipelines.coding.triggers import lookup, noun_doers

FRAME_NOUN_PREPS = frozenset({"for", "with", "to", "of", "on"})
# frames whose addressee is the subject of the clause they embed ("demanded that X release")
ADDRESSED_FRAMES = frozenset({FrameKind.APPEAL, FrameKind.DEMAND})
COMMENT_PREPS = frozenset({"about", "on", "over", "regarding", "with", "toward", "towards"})


def frame_of(ctx: SentenceContext, token: Token) -> Frame | None:
    """The frame a word opens, if any (memoised: asked for each clause above an act)."""
    if token.i not in ctx.frames:
        ctx.frames[token.i] = _frame_of(ctx, token)
    return ctx.frames[token.i]


def _frame_of(ctx: SentenceContext, token: Token) -> Frame | None:
    frames = lookup(ctx.lexicon.frames, token)
    if not frames or token.pos_ not in ("VERB", "AUX", "ADJ"):
        return None
    for frame in frames:
        if not all(grammar.has_particle(token, p) for p in frame.particles):
            continue
        if "for" in frame.particles and any(c.dep_ == "dobj" for c in token.children):
            continue  # "pressed their attack ... for a third day" asks for nothing
        if frame.preps and not any(
            c.dep_ in ("prep", "dative", "prt") and c.lower_ in frame.preps for c in token.children
        ):
            continue
        addressed = [
            o
            for o in grammar.prep_objects(token, frame.preps)
            if o.pos_ == "PRON" or ctx.resolver.resolve(through_quantity(o, ctx.lexicon.words))
        ]
        particle = any(c.dep_ == "prt" and c.lower_ in frame.preps for c in token.children)
        if frame.preps and not (addressed or particle):
            continue  # "called on Wednesday" is no appeal
        return frame
    return None


def embedded_of(
    ctx: SentenceContext,
    token: Token,
    frame: Frame,
    verbs: dict[int, Candidate],
    nouns: dict[int, Candidate],
    framed: list[Candidate],
) -> list[Candidate]:
    """The acts a frame verb embeds: its infinitive or that-clause ("agreed to expand ... and
    to cooperate": both), an event noun it governs ("called for talks"), or an infinitive on
    its addressee ("called on Niger to release")."""
    first = _first_embedded(ctx, token, frame, verbs, nouns, framed)
    if first is None:
        return []
    found = [first]
    for conj in first.trigger.children:
        if conj.dep_ == "conj" and conj.i in verbs:
            found.append(verbs.pop(conj.i))
    return found


def _first_embedded(
    ctx: SentenceContext,
    token: Token,
    frame: Frame,
    verbs: dict[int, Candidate],
    nouns: dict[int, Candidate],
    framed: list[Candidate],
) -> Candidate | None:
    for child in token.children:
        if child.dep_ not in ("xcomp", "ccomp"):
            continue
        if child.i in verbs:
            return verbs.pop(child.i)
        inner = next((c for c in framed if c.trigger.i == child.i), None)
        if inner is not None:
            framed.remove(inner)
            return inner
        # "willing to hold a summit with X": the act is the light verb's object
        light = frame_of(ctx, child)
        if light is not None and light.light:
            for grand in child.children:
                if grand.dep_ == "dobj" and grand.i in nouns:
                    noun = nouns.pop(grand.i)
                    if not noun.sources:
                        noun.sources = subjects_only(child)
                    return noun
        # "offered to lead a force and to send officers": the first act the frame names
        for grand in child.children:
            if grand.dep_ == "conj" and grand.i in verbs:
                return verbs.pop(grand.i)
    for child in token.children:
        # a frame that is also a light verb carries an act named as its object ("ordered
        # the dissolution of the party", "pressed their attack") instead of framing it
        framed_object = child.dep_ in ("dobj", "attr") and child.i in nouns
        if framed_object and not frame.light and frame.kind != FrameKind.ACCUSE:
            return nouns.pop(child.i)
        if child.dep_ in ("prep", "agent") and child.lower_ in FRAME_NOUN_PREPS:
            for grand in child.children:
                if grand.dep_ == "pobj" and grand.i in nouns:
                    return nouns.pop(grand.i)
                if grand.dep_ == "pcomp" and grand.i in verbs:
                    return verbs.pop(grand.i)
    # "called on Niger to release": the infinitive hangs on the addressee
    for child in token.children:
        holders = [child] if child.dep_ == "dobj" else []
        if child.dep_ == "prep":
            holders = [g for g in child.children if g.dep_ == "pobj"]
        for holder in holders:
            for grand in holder.children:
                if grand.dep_ == "xcomp" and grand.i in verbs:
                    return verbs.pop(grand.i)
    return None


def addressees(ctx: SentenceContext, token: Token, frame: Frame) -> list[Token]:
    found = _addressees(ctx, token, frame)
    if not found and frame.kind in ADDRESSED_FRAMES:
        # "demanded that Sweden and Finland stop ...": the clause's subject is asked
        for child in token.children:
            if child.dep_ == "ccomp":
                found = subjects_only(child)
                break
    return found


def _addressees(ctx: SentenceContext, token: Token, frame: Frame) -> list[Token]:
    found = [
        c
        for child in grammar.children(token, grammar.OBJECT_DEPS)
        for c in grammar.conjuncts(child)
    ]
    found = [t for t in found if t.i not in ctx.noun_events]
    # "promised Afghans greater security", "offered Iraq help": the one it is for
    found += grammar.datives(token)
    if frame.preps:
        found += grammar.prep_objects(token, frame.preps)
    return found


def apply_frame(
    ctx: SentenceContext,
    token: Token,
    frame: Frame,
    verbs: dict[int, Candidate],
    nouns: dict[int, Candidate],
    framed: list[Candidate],
) -> list[Candidate]:
    """The speech acts a frame verb makes of the acts it embeds (none for report and light
    verbs, which leave the reported act as it is)."""
    ctx.noun_events = set(nouns)
    if frame.kind in (FrameKind.REPORT, FrameKind.LIGHT):
        return []
    embedded = embedded_of(ctx, token, frame, verbs, nouns, framed)
    if frame.kind == FrameKind.BLOCK:
        return _attempted_killings(ctx, token, frame, embedded)
    # "Turkey is ready to mediate": an adjective's subject is its copula's
    host = token.head if token.pos_ == "ADJ" and token.dep_ in ("acomp", "oprd") else token
    sources, inherited = grammar.subjects(host)
    if frame.kind == FrameKind.COMMENT:
        return [comment(ctx, token, frame, sources, inherited)]
    if not embedded:
        if frame.light and any(c.dep_ in ("dobj", "attr") and c.i in nouns for c in token.children):
            return []  # "pressed their attack": the attack is the act, not an appeal
        code = frame.code
        if frame.clause_code and any(c.dep_ == "ccomp" for c in token.children):
            code = frame.clause_code
        specific = bool(frame.particles or frame.preps)
        if not code or (token.i in verbs and code == frame.code and not specific):
            return []
        asked = addressees(ctx, token, frame)
        said = any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in token.children)
        if frame.kind in ADDRESSED_FRAMES and not (asked or said or specific):
            return []  # "troops were pressing on the town": no one asked, nothing asked for
        own = verbs.pop(token.i, None)
        return [
            Candidate(
                trigger=token,
                code=code,
                rule=f"frame:{frame.source}",
                sources=sources,
                targets=asked,
                kind=CandidateKind.FRAME,
                frame=frame,
                inherited_source=inherited,
                reciprocal=own.reciprocal if own else False,
                mutual=own.mutual if own else False,
                anchor=host,
            )
        ]
    asked = addressees(ctx, token, frame)
    result = []
    for inner in embedded:
        kind = frame.kind
        if kind == FrameKind.INTENT and _wanted_of_another(inner):
            kind = FrameKind.DEMAND  # "wanted Russia to return the islands": asked of Russia
        code = ctx.lexicon.framed_code(kind, inner.code)
        if code is None:
            continue
        if kind in ADDRESSED_FRAMES or kind == FrameKind.ACCUSE:
            # "urged Niger to release", "demanded that Azerbaijan release": the one asked
            targets = asked or subjects_only(inner.trigger) or inner.targets
        elif frame.kind == FrameKind.REFUSE and inner.kind == CandidateKind.NOUN:
            # "rejected Moscow's demand", "rejected Trump's offer": the one who asked
            targets = noun_doers(ctx, inner.trigger) or inner.targets or asked
        else:
            targets = inner.targets or asked
        # the frame's own act is one-way unless its doers are the embedded act's doers
        shared = kind in (FrameKind.INTENT, FrameKind.REFUSE, FrameKind.THREAT)
        result.append(
            Candidate(
                trigger=token,
                code=code,
                rule=f"frame:{frame.source}>{inner.rule}",
                sources=sources or inner.sources,
                targets=targets,
                kind=CandidateKind.FRAME,
                frame=frame,
                inherited_source=inherited,
                reciprocal=inner.reciprocal and shared,
                anchor=host,
                consumed={inner.trigger.i},
                options=PatternOptions(implied=inner.options.implied),
            )
        )
    return result


def _wanted_of_another(inner: Candidate) -> bool:
    """An infinitive with a subject of its own under a wish ("wants Iran to halt")."""
    trigger = inner.trigger
    return (
        trigger.dep_ == "ccomp"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children)
        and any(c.dep_ == "nsubj" and c.pos_ != "PRON" for c in trigger.children)
    )


ATTEMPT_LEMMAS = frozenset({"try", "attempt"})


def _attempted_killings(
    ctx: SentenceContext, token: Token, frame: Frame, embedded: list[Candidate]
) -> list[Candidate]:
    """A blocked act did not happen, except that an attempt on someone's life is itself an
    act: "tried to assassinate the president" is 185."""
    if token.lemma_.lower() not in ATTEMPT_LEMMAS:
        return []
    sources, inherited = grammar.subjects(token)
    return [
        Candidate(
            trigger=token,
            code="185",
            rule=f"frame:attempt>{inner.rule}",
            sources=sources or inner.sources,
            targets=inner.targets,
            kind=CandidateKind.FRAME,
            frame=frame,
            inherited_source=inherited,
            anchor=token,
            consumed={inner.trigger.i},
        )
        for inner in embedded
        if inner.kind == CandidateKind.VERB
        and inner.trigger.lemma_.lower() in ctx.lexicon.words["fatal_verbs"]
    ]


def comment(
    ctx: SentenceContext, token: Token, frame: Frame, sources: list[Token], inherited: bool
) -> Candidate:
    """An appraisal ("optimistic about", "pessimistic that talks with X...") is aimed at the
    actor it is about: a prepositional object, else the first actor in its clause."""
    targets = grammar.prep_objects(token, COMMENT_PREPS)
    if not targets:
        source_heads = {t.i for t in sources}
        for child in token.children:
            if child.dep_ not in ("ccomp", "xcomp", "prep", "advcl"):
                continue
            for inner in child.subtree:
                if inner.i in source_heads or inner.pos_ not in ("PROPN", "NOUN"):
                    continue
                if ctx.resolver.resolve(inner):
                    targets = [inner]
                    break
            if targets:
                break
    return Candidate(
        trigger=token,
        code=frame.code,
        rule=f"frame:{frame.source}",
        sources=sources,
        targets=targets,
        kind=CandidateKind.FRAME,
        frame=frame,
        inherited_source=inherited,
        anchor=token.head if token.pos_ == "ADJ" else token,
    )


def lend_light_subjects(
    candidates: list[Candidate], frames: dict[int, Frame], words: Words
) -> None:
    """An event noun with no doer of its own takes the subject of the verb that carries it:
    a light verb's object ("launched an attack", "imposed a package of sanctions"), or a
    purpose ("visited Brasilia for talks with Lula")."""
    for candidate in candidates:
        if candidate.kind != CandidateKind.NOUN or candidate.sources:
            continue
        verb = carrier(candidate.trigger, words)
        if verb is None:
            continue
        frame = frames.get(verb.i)
        # "visited Brasilia for talks with Lula"; but "turned to Russia for support" asks,
        # and an appeal's "pauses in the fighting" names fighting its askers are not in
        purpose = (
            candidate.trigger.dep_ == "pobj"
            and candidate.trigger.head.lower_ in ("for", "in")
            and candidate.reciprocal
            and (frame is None or frame.light)
        )
        if not (purpose or (frame is not None and frame.light)):
            continue
        sources, inherited = grammar.subjects(verb)
        candidate.sources = sources
        candidate.inherited_source = inherited
        candidate.anchor = verb
        candidate.carried = True
        if not candidate.targets and candidate.pattern is not None:
            preps = candidate.pattern.target_preps
            if preps:
                candidate.targets = grammar.prep_objects(verb, preps)
            if not candidate.targets:
                candidate.targets = grammar.datives(verb)
