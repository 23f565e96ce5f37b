"""The sentence loop: one sentence's triggers through frames, assertion and participants into
EventMentions. Each stage is a module of its own; this one runs them in order and builds the
mentions with their spans, date, place and confidence."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from functools import cached_property

from spacy.tokens import Span

from pipelines.codebook import is_violent
from pipelines.coding import grammar
from pipelines.coding.actor_entries import Actor, DocActors
from pipelines.coding.actor_resolver import ActorResolver
from pipelines.coding.assertion import asserted, future_reading, inside_event, refusal_reading
from pipelines.coding.candidate import Candidate, CandidateKind
from pipelines.coding.context import SentenceContext
from pipelines.coding.event_dates import act_date, find_dates
from pipelines.coding.frames import apply_frame, frame_of, lend_light_subjects
from pipelines.coding.lexicon import Frame, Lexicon
from pipelines.coding.participants import (
    UNNAMED,
    act_doers,
    actors_of,
    as_country,
    implied_targets,
    place_target,
    purpose_objects,
    unnamed_doer,
    weapon_sources,
)
from pipelines.coding.phrases import depth, verb_in_disguise
from pipelines.coding.places import place_country, place_of
from pipelines.coding.refinement import confidence, refined_code, refined_source, refined_target
from pipelines.coding.triggers import (
    judgement_candidate,
    naming_candidate,
    noun_candidate,
    verb_candidate,
)
from pipelines.datamodel.records import EventMention
from pipelines.datamodel.records import Span as TextSpan

HOSTED_CODES = frozenset({"043", "0861"})  # seen from the host: the place becomes the doer


class SentenceCoder:
    """Codes one sentence; ``subject_actors`` afterwards holds its doers for the next one's
    pronouns."""

    def __init__(
        self,
        lexicon: Lexicon,
        resolver: ActorResolver,
        tagged: DocActors,
        sentence: Span,
        published: date,
        previous: Callable[[], list[Actor]],
        doc_text: str,
    ) -> None:
        self.ctx = SentenceContext(
            lexicon=lexicon,
            resolver=resolver,
            tagged=tagged,
            sentence=sentence,
            published=published,
            previous=previous,
            doc_text=doc_text,
        )

    @cached_property
    def subject_actors(self) -> list[Actor]:
        """The doers the next sentence's pronouns may mean: the named subject of this
        sentence's main verb ("the foreign ministers of the three countries said ..."), else
        the doers of its first coded act."""
        ctx = self.ctx
        subjects, _ = grammar.subjects(ctx.sentence.root)
        named = [
            actor
            for subject in subjects
            if subject.pos_ != "PRON"
            for actor in ctx.resolver.resolve(subject)
            if actor.code[:3] not in ctx.role_codes
        ]
        return named or ctx.subject_actors

    def code(self, article_id: str, index: int, positions: list[int]) -> Iterator[EventMention]:
        """The sentence's mentions; ``positions`` are the Doc indices of the words that may
        start an act (the rest cannot)."""
        ctx = self.ctx
        doc = ctx.doc
        verbs: dict[int, Candidate] = {}
        nouns: dict[int, Candidate] = {}
        frames: dict[int, Frame] = {}
        for position in positions:
            token = doc[position]
            pos = token.pos_
            if pos == "VERB" or verb_in_disguise(token):
                frame = frame_of(ctx, token)
                if frame is not None:
                    frames[token.i] = frame
                candidate = verb_candidate(ctx, token) or naming_candidate(ctx, token)
                if candidate is not None:
                    verbs[token.i] = candidate
            elif pos in ("NOUN", "PROPN"):
                candidate = noun_candidate(ctx, token)
                if candidate is not None:
                    nouns[token.i] = candidate
                elif (judged := judgement_candidate(ctx, token)) is not None:
                    verbs[token.i] = judged
            elif pos == "ADJ":
                frame = frame_of(ctx, token)
                if frame is not None:
                    frames[token.i] = frame
                elif (judged := judgement_candidate(ctx, token)) is not None:
                    verbs[token.i] = judged
        consumed: set[int] = set()
        for candidate in verbs.values():
            consumed |= candidate.consumed
        for i in consumed:
            nouns.pop(i, None)
        framed: list[Candidate] = []
        # inner frames first, so "vowed to keep urging" folds inside out
        for i in sorted(frames, key=lambda i: -depth(doc[i])):
            result = apply_frame(ctx, doc[i], frames[i], verbs, nouns, framed)
            if result:
                framed.extend(result)
                verbs.pop(i, None)
        candidates = [*framed, *verbs.values(), *nouns.values()]
        lend_light_subjects(candidates, frames, ctx.lexicon.words)
        yield from _without_partial_repeats(self._mentions(candidates, article_id, index))

    def _mentions(
        self, candidates: list[Candidate], article_id: str, index: int
    ) -> Iterator[EventMention]:
        ctx = self.ctx
        seen: set[tuple] = set()
        # an act a naming blames ("called Ukraine's incursion a provocation") still happened
        triggers = {c.trigger.i for c in candidates if not c.evaluative}
        for candidate in candidates:
            if candidate.options.framed:
                continue  # meaningful only inside a frame, and no frame took it
            agent = candidate.pattern is not None and candidate.pattern.options.agent
            if (
                candidate.kind == CandidateKind.NOUN
                and not agent
                and inside_event(candidate, triggers)
            ):
                continue  # "condemned the attack", "investigated the killing": the content
            candidate = refusal_reading(ctx, candidate)
            if not asserted(ctx, candidate):
                continue
            candidate = future_reading(ctx, candidate)
            if candidate is None:
                continue
            for mention in self.mentions(candidate, article_id, index):
                key = (
                    mention.source_actor,
                    mention.target_actor,
                    mention.event_code,
                    mention.trigger.start,
                )
                if key in seen:
                    continue
                seen.add(key)
                yield mention

    def mentions(self, candidate: Candidate, article_id: str, index: int) -> Iterator[EventMention]:
        ctx = self.ctx
        sources = actors_of(ctx, candidate.sources, candidate, as_target=False)
        if not sources and candidate.state_role and not candidate.sources:
            country = place_country(ctx, candidate) or ctx.tagged.main_country
            if country:
                t = candidate.trigger
                sources = [Actor(country + candidate.state_role, t.i, t.i, t.i, "state")]
        if not sources:
            sources = act_doers(ctx, candidate) or weapon_sources(ctx, candidate)
        if not sources and not candidate.sources:
            sources = unnamed_doer(candidate)
        if not sources:
            return
        # the targets only once there is a doer: half the acts found have none
        targets = actors_of(ctx, candidate.targets, candidate, as_target=True)
        if not targets and not candidate.targets and is_violent(candidate.code):
            aimed = purpose_objects(ctx, candidate)
            targets = actors_of(ctx, aimed, candidate, as_target=True) if aimed else []
        named = [s for s in sources if s.code != UNNAMED]
        if candidate.kind == CandidateKind.VERB and not candidate.inherited_source and named:
            ctx.subject_actors = ctx.subject_actors or named
        if not targets and not candidate.reciprocal:
            targets = implied_targets(ctx, candidate, sources) or place_target(
                ctx, candidate, sources
            )
        alone = candidate.options.alone
        if alone and not targets and len(sources) == 1:
            # "China is conducting military exercises in the Taiwan Strait": no partner
            candidate.code, candidate.reciprocal, candidate.mutual = alone, False, False
        coded: list[tuple[Actor, Actor | None, str]] = []
        if targets:
            coded = [
                (s, t, candidate.code)
                for s in sources
                for t in targets
                # "the ministers expressed concern about China's conduct" in a China story:
                # a role given the story's country is not that country acting on itself
                if not (s.how == "role+story" and t.code == s.code[:3])
            ]
            if candidate.mutual:
                coded += [(t, s, candidate.code) for s in sources for t in targets]
            converse = candidate.options.converse
            if candidate.options.forces and any(s.role in ("MIL", "COP") for s in sources):
                converse = "0861"  # troops arriving: the host receives a deployment
            if converse in HOSTED_CODES:
                # "X visited Y" is also Y hosting X: the host is the country
                coded += [(as_country(t), s, converse) for s in sources for t in targets]
            elif converse:
                # "X hosted Y" is also Y visiting X
                coded += [(t, as_country(s), converse) for s in sources for t in targets]
        elif candidate.reciprocal and len(sources) > 1:
            coded = [(s, t, candidate.code) for s in sources for t in sources]
        else:
            coded = [(s, None, candidate.code) for s in sources]
        coded = [
            (s, t, refined_code(ctx, c, s, t, candidate))
            for s, t, c in coded
            if t is None or (s.code != t.code and t.how != "own" and not _at_home(s, t, c))
        ]
        coded = [(refined_source(s, c, candidate), t, c) for s, t, c in coded]
        coded = [(s, refined_target(s, t, c), c) for s, t, c in coded]
        if candidate.options.forces_only:
            coded = [
                (s, t, c)
                for s, t, c in coded
                if s.code[3:6] in ("MIL", "COP") or (t is not None and c == candidate.options.igo)
            ]
        # a receiver is always named; an act with neither side named says nothing to count
        coded = [
            (s, t, c)
            for s, t, c in coded
            if (t is None or t.code != UNNAMED) and (s.code != UNNAMED or t is not None)
        ]
        if not coded:
            return
        if ctx.dates is None:
            ctx.dates = find_dates(ctx.sentence, ctx.published, ctx.text)
        event_date, date_text, date_precision = act_date(
            ctx.dates, candidate.trigger, candidate.anchor, ctx.published
        )
        place = place_of(ctx, candidate)
        base = ctx.sentence.start_char
        trigger = candidate.trigger
        trigger_span = TextSpan(
            trigger.text, trigger.idx - base, trigger.idx + len(trigger.text) - base
        )
        for source, target, code in coded:
            yield EventMention(
                article_id=article_id,
                sentence_index=index,
                sentence=ctx.text,
                sentence_start=base,
                source_actor=source.code or None,
                source=self._span(source) if source.code else None,
                target_actor=target.code if target else None,
                target=self._span(target) if target else None,
                trigger=trigger_span,
                event_code=code,
                event_date=event_date,
                confidence=confidence(candidate, source, target),
                rule=candidate.rule,
                date_text=date_text,
                date_precision=date_precision,
                location_country=place[0] if place else None,
                location_place=place[1] if place else None,
            )

    def _span(self, actor: Actor) -> TextSpan:
        ctx = self.ctx
        doc = ctx.doc
        base = ctx.sentence.start_char
        if actor.end <= actor.start:
            token = doc[actor.head]
            return TextSpan("", token.idx - base, token.idx - base)
        # the text by slicing the Doc's, as the sentence's (Span.text would build every Token)
        first, last = doc[actor.start], doc[actor.end - 1]
        start, end = first.idx, last.idx + len(last)
        return TextSpan(ctx.doc_text[start:end], start - base, end - base)


def _at_home(source: Actor, target: Actor, code: str) -> bool:
    """A visit within the visitor's own country ("Kerry's trip to rural Ohio") is travel, not
    a visit CAMEO codes: visits (042) and their hosting (043) cross a border. Visiting one's
    own troops abroad or at home stays a visit: the place side is then an actor, not a country."""
    if code[:3] not in ("042", "043") or source.code[:3] != target.code[:3]:
        return False
    place = target if code[:3] == "042" else source
    return len(place.code) == 3


def _without_partial_repeats(mentions: Iterator[EventMention]) -> list[EventMention]:
    """One act told twice in a sentence ("an Israeli strike that killed civilians": the strike
    and the killing) is one row: a mention with a side blank is dropped when another of the
    same code (or a more specific one) has that side's partner and fills the blank."""
    found = list(mentions)
    dyadic = [m for m in found if m.source_actor and m.target_actor]

    def same_act(a: EventMention, b: EventMention) -> bool:
        return a.event_code.startswith(b.event_code) or b.event_code.startswith(a.event_code)

    kept = []
    for mention in found:
        if mention.target_actor is None and any(
            d.source_actor == mention.source_actor and same_act(d, mention) for d in dyadic
        ):
            continue
        if mention.source_actor is None and any(
            d.target_actor == mention.target_actor and same_act(d, mention) for d in dyadic
        ):
            continue
        kept.append(mention)
    return kept
