"""The CAMEO event coder: parsed sentences in, EventMentions out.

Parsing (``parse``) and coding (``code_doc``) are separate so that parses can be cached and
re-coded when only the dictionaries change. Coding a Doc:

1. actors: the dictionaries' phrase matchers run once over the Doc (``ActorTagger.tag``);
2. per sentence, triggers: verbs and event nouns found in the lexicon, and frame verbs
   (appeal, intent, threat, demand, refusal, accusation, report, light verbs);
3. frames fold the event they embed into one coded act ("urged X to release" 0253) and pass
   their subject to it; light verbs lend their subject to event nouns ("held talks with");
4. negated and hypothetical acts are dropped; "will" turns an act into intent (03x) or threat
   (13x);
5. the doers and receivers are read off the parse (active, passive, relative clauses,
   coordination, appositions), resolved to codes, and every source x target pair becomes an
   EventMention with its date, place, confidence and rule.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

import numpy as np
from spacy.attrs import LEMMA, POS, TAG
from spacy.symbols import PRON
from spacy.tokens import Doc, Span, Token

from pipelines.coding import grammar
from pipelines.coding.actors import (
    ADJECTIVE,
    CAPITAL,
    COUNTRY,
    GROUP,
    ORGANISATION,
    PERSON,
    PLACE,
    ROAMING,
    ROLE,
    WEAPON,
    Actor,
    ActorResolver,
    ActorTagger,
    DocActors,
)
from pipelines.coding.dates import find_dates
from pipelines.coding.dictionaries import load_dictionaries
from pipelines.coding.lexicon import Frame, Lexicon, Pattern
from pipelines.coding.mention import EventMention
from pipelines.coding.mention import Span as TextSpan
from pipelines.coding.nlp import load_pipeline
from pipelines.coding.version import DEFAULT_MODEL, version_string
from pipelines.ingest.records import Article

PLACE_PREPS = frozenset({"in", "near", "at", "outside", "across", "throughout", "around", "inside"})
PRONOUNS = frozenset(
    {"it", "they", "he", "she", "we", "its", "their", "his", "her", "him", "them", "us"}
)
OBJECT_PRONOUNS = frozenset({"him", "them", "her", "us"})
COUNTRY_NOUNS = frozenset({"country", "nation", "state", "kingdom", "republic"})
FRAME_NOUN_PREPS = frozenset({"for", "with", "to", "of", "on"})
CLAUSE_ROLES = frozenset({"ccomp", "xcomp", "ROOT", "advcl", "relcl", "conj"})
# nouns that only count or group the event noun after "of" ("a package of sanctions")
GROUP_NOUNS = frozenset(
    {
        "package",
        "round",
        "wave",
        "series",
        "set",
        "spate",
        "barrage",
        "volley",
        "number",
        "batch",
        "string",
        "flurry",
        "raft",
        "slew",
        "campaign",
        "programme",
        "program",
        "day",
        "week",
        "message",
        "letter",
        "note",
        "expression",
        "statement",
    }
)
# frames whose addressee is the subject of the clause they embed ("demanded that X release")
ADDRESSED_FRAMES = frozenset({"appeal", "demand"})
IMPLICATIVE_VERBS = frozenset(
    {
        "begin",
        "start",
        "continue",
        "resume",
        "manage",
        "proceed",
        "go",
        "move",
        "keep",
        "complete",
        "finish",
        "stop",
        "cease",
        "help",
        "agree",
        "decide",
        "vote",
        "choose",
    }
)
QUANTITY_NOUNS = frozenset(
    {
        "ten",
        "hundred",
        "thousand",
        "million",
        "dozen",
        "score",
        "group",
        "member",
        "number",
        "crowd",
        "contingent",
        "handful",
        "majority",
        "some",
        "many",
        "most",
        "all",
        "several",
        "both",
        "each",
        "one",
        "two",
        "three",
        "unit",
        "band",
        "team",
        "batch",
        "wave",
        "column",
        "convoy",
        "squad",
        "detachment",
        "delegation",
        "patch",
        "part",
        "section",
        "faction",
    }
)
DOER_KINDS = (COUNTRY, ADJECTIVE, CAPITAL, ORGANISATION, GROUP, PERSON)
REFUSING_AUX = frozenset({"will", "would", "wo", "'ll", "shall"})
CIVIL_ROLES = frozenset({"OPP", "CVL", "LAB", "EDU", "AGR"})
GLOOMY_DETERMINERS = frozenset({"no", "little", "few", "slim", "dim", "bleak"})
CARRYING_PREPS = frozenset({"in", "into", "for"})
SOURCE_PREPS = frozenset({"by", "from"})  # "an attack by rebels", "a demand from Kinshasa"
HOSTED_CODES = frozenset({"043", "0861"})  # seen from the host: the place becomes the doer
FATAL_VERBS = frozenset({"kill", "murder", "assassinate", "execute", "behead", "slay"})
GENERIC_VIOLENCE = frozenset({"18", "180", "182", "1823", "19", "190", "193", "1712"})
SETTLEMENT_NOUNS = frozenset(
    {
        "city",
        "town",
        "village",
        "region",
        "province",
        "district",
        "state",
        "county",
        "area",
        "port",
        "capital",
        "enclave",
        "island",
        "camp",
        "outskirts",
        "suburb",
        "suburbs",
    }
)
MILITARY_SITES = frozenset(
    {"base", "barracks", "checkpoint", "garrison", "outpost", "convoy", "post", "position"}
)
BORDER_NOUNS = frozenset({"border", "frontier", "boundary", "line", "crossing"})
COMMENT_PREPS = frozenset({"about", "on", "over", "regarding", "with", "toward", "towards"})


@dataclass
class Candidate:
    """A coded act before its actors are resolved."""

    trigger: Token
    code: str
    rule: str
    sources: list[Token]
    targets: list[Token]
    kind: str  # "verb" | "noun" | "frame"
    pattern: Pattern | None = None
    consumed: set[int] = field(default_factory=set)  # tokens this act explains
    inherited_source: bool = False
    reciprocal: bool = False  # a compound subject with no target acts within itself
    mutual: bool = False  # both sides act on each other even when one is the object ("met")
    state_role: str = ""  # the state's role standing in for a missing agent ("COP")
    frame: Frame | None = None
    anchor: Token | None = None  # the verb whose clause carries date and place
    options: frozenset[str] = frozenset()
    refusal: bool = False  # a negated promise read as a refusal ("will not resign")
    object_target: bool = False  # the pattern's own object stands as target (named only)
    carried: bool = False  # an event noun carried by a light verb or a purpose phrase

    def option(self, name: str) -> str:
        """The value of a "name=value" lexicon option, or "" when not set."""
        prefix = name + "="
        return next((o[len(prefix) :] for o in self.options if o.startswith(prefix)), "")


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
        self.batch_size = batch_size
        self.n_process = n_process
        self.model = model
        self.version = version_string(model, self.dictionaries.fingerprint)
        # lemma hashes of every word that can start an act: most tokens are skipped without
        # ever building a Token object (the coder must stay cheap beside the parser)
        strings = self.nlp.vocab.strings
        keys = {*self.lexicon.verbs, *self.lexicon.nouns, *self.lexicon.frames}
        self._trigger_hashes = np.array(
            sorted({strings.add(form) for key in keys for form in (key, key.capitalize())}),
            dtype=np.uint64,
        )
        # past forms the lemmatizer may get wrong ("raped" -> "rap") are looked at too
        self._past_tags = np.array([strings.add("VBD"), strings.add("VBN")], dtype=np.uint64)

    def parse(self, texts: Iterable[str]) -> Iterator[Doc]:
        yield from self.nlp.pipe(texts, batch_size=self.batch_size, n_process=self.n_process)

    def code_articles(self, articles: Iterable[Article]) -> Iterator[EventMention]:
        pairs = ((article.text, article) for article in articles)
        for doc, article in self.nlp.pipe(
            pairs, as_tuples=True, batch_size=self.batch_size, n_process=self.n_process
        ):
            yield from self.code_doc(doc, article)

    def code_text(self, text: str, published: date, article_id: str = "text") -> list[EventMention]:
        """Code one piece of text (tests, the CLI): parse and code in one go."""
        article = Article(
            id=article_id, text=text, published_at=datetime.combine(published, time())
        )
        return self.code_doc(next(iter(self.parse([text]))), article)

    def code_doc(self, doc: Doc, article: Article) -> list[EventMention]:
        published = article.published_at.date()
        tagged = self.tagger.tag(doc)
        resolver = ActorResolver(doc, tagged, published)
        mentions: list[EventMention] = []
        previous: list[Actor] = []
        text = _doc_text(doc, article)
        # positions, ascending: of the words that may start an act, and of those that may
        # name or refer to an actor; each sentence takes its share by bisection
        columns = doc.to_array([LEMMA, TAG, POS])
        hits = np.flatnonzero(
            _among(columns[:, 0], self._trigger_hashes) | _among(columns[:, 1], self._past_tags)
        ).tolist()
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
            coder = _SentenceCoder(
                self.lexicon, resolver, tagged, sentence, published, previous, text
            )
            for mention in coder.code(article.id, index, candidates):
                mentions.append(mention)
            previous = coder.subject_actors or previous
        return mentions


def _among(values: np.ndarray, ascending: np.ndarray) -> np.ndarray:
    """Which ``values`` are in the sorted ``ascending`` (``np.isin`` would sort it each time)."""
    if not len(ascending):
        return np.zeros(len(values), dtype=bool)
    found = np.searchsorted(ascending, values).clip(max=len(ascending) - 1)
    return ascending[found] == values


class _SentenceCoder:
    def __init__(
        self,
        lexicon: Lexicon,
        resolver: ActorResolver,
        tagged: DocActors,
        sentence: Span,
        published: date,
        previous: list[Actor],
        doc_text: str,
    ) -> None:
        self.lexicon = lexicon
        self.resolver = resolver
        self.tagged = tagged
        self.sentence = sentence
        self.published = published
        self.previous = previous
        self.subject_actors: list[Actor] = []
        self.role_codes = resolver.role_codes
        self._frames: dict[int, Frame | None] = {}
        # the sentence's text by slicing the Doc's (Span.text would build every Token)
        self.doc_text = doc_text
        self.text = doc_text[sentence.start_char : sentence.end_char]
        # "each other", "one another": most sentences have neither, and the parser's sentences
        # hold whole trees, so a target's subtree need not be walked to know it
        self._names_other = "other" in self.text.lower()
        self._question = self.text.rstrip().endswith("?")
        self._sentence_place: str | None = None  # the first place the sentence names
        self._places: dict[tuple, tuple[str, str | None] | None] = {}
        self._dates = None

    # ---- triggers -------------------------------------------------------------------------

    def verb_candidate(self, token: Token) -> Candidate | None:
        patterns = _lookup(self.lexicon.verbs, token)
        if not patterns or token.dep_ in ("amod",):
            return None
        passive = grammar.is_passive(token)
        direct = grammar.objects(token)
        for pattern in patterns:
            if not all(grammar.has_particle(token, p) for p in pattern.particles):
                continue
            if "transitive" in pattern.options and not direct:
                continue  # "returned to Spain" returns nothing
            if pattern.required_preps and not any(
                c.dep_ == "prep" and c.lower_ in pattern.required_preps for c in token.children
            ):
                continue
            consumed: set[int] = set()
            object_token = None
            if pattern.objects:
                pool = direct if direct else []
                if not pool and not passive:
                    pool = [c for c in token.children if c.dep_ in ("attr", "oprd")]
                pool = pool + [_through_group(o) for o in pool if _through_group(o) is not o]
                pool = pool + [_through_quantity(o) for o in pool if _through_quantity(o) is not o]
                object_token = next(
                    (
                        o
                        for o in pool
                        if o.lemma_.lower() in pattern.objects or o.lower_ in pattern.objects
                    ),
                    None,
                )
                if object_token is None:
                    continue
                consumed.add(object_token.i)
            targets: list[Token] = []
            if pattern.target_preps:
                targets = grammar.prep_objects(token, pattern.target_preps)
                if object_token is not None:
                    targets += grammar.prep_objects(object_token, pattern.target_preps)
                if not targets and not pattern.objects:
                    targets = list(direct)
            elif not pattern.objects:
                targets = list(direct)
            object_target = False
            mutual = "mutual" in pattern.options or "reciprocal" in pattern.options
            if not targets and object_token is not None and not mutual:
                # "expelled three French diplomats", "summoned Russia's ambassador": the object
                # is the target; "took journalists hostage": the other object is
                others = [o for o in direct if o.i != object_token.i]
                targets = others or grammar.conjuncts(object_token)
                object_target = not others
            if "dative" in pattern.options or not pattern.objects:
                targets += grammar.datives(token)
            each_other = self._names_other and _each_other(targets)
            if each_other:
                targets = []
            code = pattern.code
            options = pattern.options
            thing = next((o[6:] for o in options if o.startswith("thing=")), "")
            if thing and direct and not any(self.resolver.resolve(o) for o in direct):
                # "Morocco welcomed the French position": approval, not a host's welcome
                if thing == "-":
                    continue  # "received a letter": no act of this kind
                code = thing
                options = frozenset(o for o in options if not o.startswith("converse="))
            if "appraisal" in pattern.options and object_token is not None:
                # "saw little chance of a treaty with X" 012, "saw a chance of ..." 013
                gloomy = any(
                    c.lower_ in GLOOMY_DETERMINERS for c in object_token.children
                ) or grammar.is_negated(token)
                code = "012" if gloomy else "013"
                targets = self._actor_within(object_token, grammar.subjects(token)[0])
            sources, inherited = grammar.subjects(token)
            state_role = next(
                (o.split("=", 1)[1] for o in pattern.options if o.startswith("state=")), ""
            )
            return Candidate(
                trigger=token,
                code=code,
                rule=f"verb:{pattern.source}",
                sources=sources,
                targets=targets,
                kind="verb",
                pattern=pattern,
                consumed=consumed,
                inherited_source=inherited,
                reciprocal=each_other
                or "reciprocal" in pattern.options
                or "mutual" in pattern.options,
                mutual="mutual" in pattern.options,
                state_role=state_role,
                anchor=token,
                options=options,
                object_target=object_target,
            )
        return None

    def noun_candidate(self, token: Token) -> Candidate | None:
        patterns = self.lexicon.nouns.get(token.lemma_.lower())
        if not patterns:
            return None
        match = self.resolver.match(token)
        if match is not None and match.end - match.start > 1:
            return None  # part of a name: "the Rapid Support Forces"
        modifiers = {
            c.lemma_.lower() for c in token.children if c.dep_ in ("amod", "compound", "nmod")
        }
        carrier = _carrier(token)
        holders = [token] if carrier is None else [token, carrier]
        for pattern in patterns:
            if pattern.required_preps and not any(
                c.dep_ == "prep" and c.lower_ in pattern.required_preps
                for holder in holders
                for c in holder.children
            ):
                continue
            if pattern.objects and not pattern.objects & modifiers:
                continue
            targets = (
                grammar.prep_objects(token, pattern.target_preps) if pattern.target_preps else []
            )
            sources = grammar.prep_objects(token, SOURCE_PREPS - pattern.target_preps)
            own = [child for child in token.children if self._doer_modifier(child)]
            reciprocal = "reciprocal" in pattern.options or "mutual" in pattern.options
            between = grammar.prep_objects(token, frozenset({"between", "among"}))
            if not between and token.dep_ in ("nsubj", "nsubjpass"):
                # "fighting broke out in Khartoum between the army and the RSF"
                between = grammar.prep_objects(token.head, frozenset({"between", "among"}))
            if between and reciprocal:
                sources = between
            elif own and not sources:
                sources = [c for o in own for c in grammar.conjuncts(o)]
            state_role = next(
                (o.split("=", 1)[1] for o in pattern.options if o.startswith("state=")), ""
            )
            return Candidate(
                trigger=token,
                code=pattern.code,
                rule=f"noun:{pattern.source}",
                sources=sources,
                targets=targets,
                kind="noun",
                pattern=pattern,
                reciprocal=reciprocal,
                mutual="mutual" in pattern.options,
                state_role=state_role,
                anchor=grammar.clause_head(token),
                options=pattern.options,
            )
        return None

    def _actor_within(self, token: Token, exclude: list[Token]) -> list[Token]:
        """The first actor named inside a phrase ("chance of a treaty with Azerbaijan")."""
        skip = {t.i for t in exclude}
        for inner in token.subtree:
            if inner.i in skip or inner.pos_ not in ("PROPN", "NOUN"):
                continue
            if self.resolver.resolve(inner):
                return [inner]
        return []

    def _doer_modifier(self, child: Token) -> bool:
        """A modifier that names who does an act ("Russia's attack", "Israeli strikes"), not
        what kind of act it is ("military exercises", "police raid")."""
        if child.dep_ == "poss":
            return self._names_actor(child)
        if child.dep_ not in ("compound", "amod", "nmod"):
            return False
        match = self.resolver.match(child)
        return match is not None and match.first(*DOER_KINDS) is not None

    def _names_actor(self, token: Token) -> bool:
        match = self.resolver.match(token)
        return match is not None or token.pos_ == "PRON"

    def frame_of(self, token: Token) -> Frame | None:
        """The frame a word opens, if any (memoised: asked for each clause above an act)."""
        if token.i not in self._frames:
            self._frames[token.i] = self._frame_of(token)
        return self._frames[token.i]

    def _frame_of(self, token: Token) -> Frame | None:
        frames = _lookup(self.lexicon.frames, token)
        if not frames or token.pos_ not in ("VERB", "AUX", "ADJ"):
            return None
        for frame in frames:
            if not all(grammar.has_particle(token, p) for p in frame.particles):
                continue
            if frame.preps and not any(
                c.dep_ in ("prep", "dative", "prt") and c.lower_ in frame.preps
                for c in token.children
            ):
                continue
            addressed = [
                o
                for o in grammar.prep_objects(token, frame.preps)
                if o.pos_ == "PRON" or self.resolver.resolve(_through_quantity(o))
            ]
            particle = any(c.dep_ == "prt" and c.lower_ in frame.preps for c in token.children)
            if frame.preps and not (addressed or particle):
                continue  # "called on Wednesday" is no appeal
            return frame
        return None

    # ---- the sentence -----------------------------------------------------------------------

    def code(self, article_id: str, index: int, positions: list[int]) -> Iterator[EventMention]:
        """The sentence's mentions; ``positions`` are the Doc indices of the words that may
        start an act (the rest cannot)."""
        sentence = self.sentence
        doc = sentence.doc
        verbs: dict[int, Candidate] = {}
        nouns: dict[int, Candidate] = {}
        frames: dict[int, Frame] = {}
        for position in positions:
            token = doc[position]
            pos = token.pos_
            if pos == "VERB" or _verb_in_disguise(token):
                frame = self.frame_of(token)
                if frame is not None:
                    frames[token.i] = frame
                candidate = self.verb_candidate(token)
                if candidate is not None:
                    verbs[token.i] = candidate
            elif pos in ("NOUN", "PROPN"):
                candidate = self.noun_candidate(token)
                if candidate is not None:
                    nouns[token.i] = candidate
            elif pos == "ADJ":
                frame = self.frame_of(token)
                if frame is not None:
                    frames[token.i] = frame
        consumed: set[int] = set()
        for candidate in verbs.values():
            consumed |= candidate.consumed
        for i in consumed:
            nouns.pop(i, None)
        framed: list[Candidate] = []
        # inner frames first, so "vowed to keep urging" folds inside out
        for i in sorted(frames, key=lambda i: -_depth(sentence.doc[i])):
            frame_token = sentence.doc[i]
            result = self.apply_frame(frame_token, frames[i], verbs, nouns, framed)
            if result:
                framed.extend(result)
                verbs.pop(i, None)
        candidates = [*framed, *verbs.values(), *nouns.values()]
        self.lend_light_subjects(candidates, frames)
        seen: set[tuple] = set()
        triggers = {c.trigger.i for c in candidates}
        for candidate in candidates:
            if "framed" in candidate.options:
                continue  # meaningful only inside a frame, and no frame took it
            if candidate.kind == "noun" and _inside_event(candidate, triggers):
                continue  # "condemned the attack", "investigated the killing": the content
            candidate = self.refusal_reading(candidate)
            if not self.asserted(candidate):
                continue
            candidate = self.future_reading(candidate)
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

    # ---- frames ----------------------------------------------------------------------------

    def embedded_of(
        self,
        token: Token,
        frame: Frame,
        verbs: dict[int, Candidate],
        nouns: dict[int, Candidate],
        framed: list[Candidate],
    ) -> list[Candidate]:
        """The acts a frame verb embeds: its infinitive or that-clause ("agreed to expand ...
        and to cooperate": both), an event noun it governs ("called for talks"), or an
        infinitive on its addressee ("called on Niger to release")."""
        first = self._first_embedded(token, frame, verbs, nouns, framed)
        if first is None:
            return []
        found = [first]
        for conj in first.trigger.children:
            if conj.dep_ == "conj" and conj.i in verbs:
                found.append(verbs.pop(conj.i))
        return found

    def _first_embedded(
        self,
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
            light = self.frame_of(child)
            if light is not None and light.light:
                for grand in child.children:
                    if grand.dep_ == "dobj" and grand.i in nouns:
                        noun = nouns.pop(grand.i)
                        if not noun.sources:
                            noun.sources = _subjects_only(child)
                        return noun
            # "offered to lead a force and to send officers": the first act the frame names
            for grand in child.children:
                if grand.dep_ == "conj" and grand.i in verbs:
                    return verbs.pop(grand.i)
        for child in token.children:
            # a frame that is also a light verb carries an act named as its object ("ordered
            # the dissolution of the party", "pressed their attack") instead of framing it
            framed_object = child.dep_ in ("dobj", "attr") and child.i in nouns
            if framed_object and not frame.light and frame.kind != "accuse":
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

    def addressees(self, token: Token, frame: Frame) -> list[Token]:
        found = self._addressees(token, frame)
        if not found and frame.kind in ADDRESSED_FRAMES:
            # "demanded that Sweden and Finland stop ...": the clause's subject is asked
            for child in token.children:
                if child.dep_ == "ccomp":
                    found = _subjects_only(child)
                    break
        return found

    def _addressees(self, token: Token, frame: Frame) -> list[Token]:
        found = [
            c
            for child in grammar.children(token, grammar.OBJECT_DEPS)
            for c in grammar.conjuncts(child)
        ]
        found = [t for t in found if t.i not in self._noun_events]
        if frame.preps:
            found += grammar.prep_objects(token, frame.preps)
        return found

    def apply_frame(
        self,
        token: Token,
        frame: Frame,
        verbs: dict[int, Candidate],
        nouns: dict[int, Candidate],
        framed: list[Candidate],
    ) -> list[Candidate]:
        """The speech acts a frame verb makes of the acts it embeds (none for report and light
        verbs, which leave the reported act as it is)."""
        self._noun_events = set(nouns)
        if frame.kind in ("report", "light"):
            return []
        embedded = self.embedded_of(token, frame, verbs, nouns, framed)
        if frame.kind == "block":
            return []
        # "Turkey is ready to mediate": an adjective's subject is its copula's
        host = token.head if token.pos_ == "ADJ" and token.dep_ in ("acomp", "oprd") else token
        sources, inherited = grammar.subjects(host)
        if frame.kind == "comment":
            return [self.comment(token, frame, sources, inherited)]
        if not embedded:
            code = frame.code
            if frame.clause_code and any(c.dep_ == "ccomp" for c in token.children):
                code = frame.clause_code
            specific = bool(frame.particles or frame.preps)
            if not code or (token.i in verbs and code == frame.code and not specific):
                return []
            own = verbs.pop(token.i, None)
            return [
                Candidate(
                    trigger=token,
                    code=code,
                    rule=f"frame:{frame.source}",
                    sources=sources,
                    targets=self.addressees(token, frame),
                    kind="frame",
                    frame=frame,
                    inherited_source=inherited,
                    reciprocal=own.reciprocal if own else False,
                    mutual=own.mutual if own else False,
                    anchor=host,
                )
            ]
        addressees = self.addressees(token, frame)
        result = []
        for inner in embedded:
            code = self.lexicon.framed_code(frame.kind, inner.code)
            if code is None:
                continue
            if frame.kind in ADDRESSED_FRAMES or frame.kind == "accuse":
                # "urged Niger to release", "demanded that Azerbaijan release": the one asked
                targets = addressees or _subjects_only(inner.trigger) or inner.targets
            elif frame.kind == "refuse" and inner.kind == "noun":
                # "rejected Moscow's demand", "rejected Trump's offer": the one who asked
                targets = self._noun_doers(inner.trigger) or inner.targets or addressees
            else:
                targets = inner.targets or addressees
            # the frame's own act is one-way unless its doers are the embedded act's doers
            shared = frame.kind in ("intent", "refuse", "threat")
            result.append(
                Candidate(
                    trigger=token,
                    code=code,
                    rule=f"frame:{frame.source}>{inner.rule}",
                    sources=sources or inner.sources,
                    targets=targets,
                    kind="frame",
                    frame=frame,
                    inherited_source=inherited,
                    reciprocal=inner.reciprocal and shared,
                    anchor=host,
                    consumed={inner.trigger.i},
                    options=frozenset(o for o in inner.options if o.startswith("implied=")),
                )
            )
        return result

    def comment(
        self, token: Token, frame: Frame, sources: list[Token], inherited: bool
    ) -> Candidate | None:
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
                    if self.resolver.resolve(inner):
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
            kind="frame",
            frame=frame,
            inherited_source=inherited,
            anchor=token.head if token.pos_ == "ADJ" else token,
        )

    def lend_light_subjects(self, candidates: list[Candidate], frames: dict[int, Frame]) -> None:
        """An event noun with no doer of its own takes the subject of the verb that carries it:
        a light verb's object ("launched an attack", "imposed a package of sanctions"), or a
        purpose ("visited Brasilia for talks with Lula")."""
        for candidate in candidates:
            if candidate.kind != "noun" or candidate.sources:
                continue
            verb = _carrier(candidate.trigger)
            if verb is None:
                continue
            frame = frames.get(verb.i)
            # "visited Brasilia for talks with Lula"; but "turned to Russia for support" asks
            purpose = (
                candidate.trigger.dep_ == "pobj"
                and candidate.trigger.head.lower_ in ("for", "in")
                and candidate.reciprocal
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

    # ---- assertion -------------------------------------------------------------------------

    def asserted(self, candidate: Candidate) -> bool:
        """Is the act said to have happened (or, for frames, to have been said)?"""
        trigger = candidate.trigger
        verb = trigger if candidate.kind != "noun" else (candidate.anchor or trigger)
        if not candidate.refusal and "appraisal" not in candidate.options:
            if grammar.is_negated(trigger):
                return False
            if candidate.kind == "noun" and verb.i != trigger.i and grammar.is_negated(verb):
                return False
            if grammar.is_hypothetical(verb):
                return False
        if trigger.dep_ == "amod":
            return False
        if (
            candidate.kind == "verb"
            and "appraisal" not in candidate.options
            and any(
                d.dep_ == "det" and d.lower_ in ("no", "zero")
                for o in grammar.children(trigger, grammar.OBJECT_DEPS)
                for d in o.children
            )
        ):
            return False  # "launched no drones"
        if _background(verb):
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
                unreal = grammar.aux_lemmas(ancestor) & (
                    grammar.HYPOTHETICAL_AUX | grammar.FUTURE_AUX
                )
                return not unreal and not self._question
            frame = self.frame_of(ancestor)
            if frame is not None and frame.kind not in ("report", "light"):
                return False
            if (
                ancestor.pos_ == "VERB"
                and grammar.is_negated(ancestor)
                and (frame is None or frame.kind != "report")
            ):
                return False
        # a question asserts nothing
        return not self._question

    def refusal_reading(self, candidate: Candidate) -> Candidate:
        """ "would not resign", "will not lift the ban": a negated cooperative act in the future
        is a refusal (12x), not a non-event."""
        trigger = candidate.trigger
        if candidate.kind != "verb" or candidate.code[:2] >= "09":
            return candidate
        if not (grammar.is_negated(trigger) and grammar.aux_lemmas(trigger) & REFUSING_AUX):
            return candidate
        code = self.lexicon.framed_code("refuse", candidate.code)
        if code is None:
            return candidate
        candidate.code = code
        candidate.rule = f"refusal>{candidate.rule}"
        candidate.refusal = True
        return candidate

    def future_reading(self, candidate: Candidate) -> Candidate:
        """ "will send aid" is an intent (033), "will impose sanctions" a threat (1312)."""
        if candidate.kind == "frame" or not grammar.is_future(
            candidate.anchor or candidate.trigger
        ):
            return candidate
        hostile = candidate.pattern.hostile if candidate.pattern else candidate.code[:2] >= "09"
        kind = "threat" if hostile else "intent"
        if candidate.code[:2] in ("02", "03", "10", "12", "13"):
            return candidate
        code = self.lexicon.framed_code(kind, candidate.code)
        if code is None:
            return candidate
        candidate.code = code
        candidate.rule = f"future:{kind}>{candidate.rule}"
        return candidate

    # ---- actors and mentions -----------------------------------------------------------------

    def actors_of(self, tokens: list[Token], candidate: Candidate, as_target: bool) -> list[Actor]:
        force = as_target and candidate.code[:2] >= "17"
        actors: list[Actor] = []
        expanded: list[Token] = []
        for token in tokens:
            inner = _through_quantity(token)
            # "dozens of Malian soldiers and Russian mercenaries": each of the people
            group = grammar.conjuncts(inner) if inner.i != token.i else [token]
            expanded.extend(t for t in group if t not in expanded)
        for token in expanded:
            place_like = as_target and token.dep_ == "pobj" and token.head.lower_ in PLACE_PREPS
            found = self.resolver.resolve(
                token, as_target=as_target, as_target_of_force=force or place_like
            )
            if not found and as_target:
                found = self.indirect_target(token, candidate, force)
            if not found and token.pos_ == "PRON" and token.lower_ in PRONOUNS:
                found = self.antecedent(token, candidate)
            elif (
                not found
                and token.lemma_.lower() in COUNTRY_NOUNS
                and any(c.lower_ == "the" for c in token.children)
            ):
                found = self.antecedent(token, candidate, countries_only=True)
            for actor in found:
                if actor.how == ROAMING:
                    # "JNIM ... near Djibo": the group as the branch in the country it acts in
                    country = self.noun_place_country(token) or self.place_country(candidate)
                    if country and country.isalpha() and len(country) == 3:
                        actor = Actor(country + "REB", actor.start, actor.end, actor.head, "name")
                if (
                    as_target
                    and candidate.object_target
                    and actor.role == actor.code
                    and candidate.code[:2] < "17"
                ):
                    continue  # "expelled diplomats": only a named country makes them a target
                if len(actor.code) == 3 and actor.role == actor.code:
                    # a role with no country: its possessor ("its police"), the place the
                    # sentence gives, else the article's main country
                    owner = self.possessor_country(token, candidate)
                    country = (
                        owner
                        or self.noun_place_country(token)
                        or self.place_country(candidate)
                        or (self._doer_country(candidate) if as_target else "")
                        or self.tagged.main_country
                    )
                    if not country:
                        continue
                    # "Algeria recalled its ambassador": the doer's own agent is no target
                    own = as_target and owner and owner in self._source_countries(candidate)
                    actor = Actor(
                        country + actor.role,
                        actor.start,
                        actor.end,
                        actor.head,
                        "own" if own else "role+context",
                        country=country,
                        role=actor.role,
                        weapon=actor.weapon,
                    )
                actors.append(actor)
        # a role that found no country is no actor ("police" with nothing to place them)
        return [a for a in actors if a.code[:3] not in self.role_codes]

    def _doer_country(self, candidate: Candidate) -> str:
        """A victim with no country of its own, in a sentence that names no place, is most
        likely the doer's compatriot ("M23 rebels killed 140 civilians")."""
        for token in candidate.sources:
            for actor in self.resolver.resolve(_through_quantity(token)):
                if actor.code == actor.role:
                    continue  # a role with no country of its own
                country = actor.code[:3]
                if country.isalpha() and not actor.code.startswith(("IGO", "NGO", "IMG")):
                    return country
        return ""

    def _source_countries(self, candidate: Candidate) -> set[str]:
        countries = set()
        for token in candidate.sources:
            for actor in self.resolver.resolve(_through_quantity(token)):
                countries.add(actor.code[:3])
        return countries

    def noun_place_country(self, token: Token) -> str:
        """ "police in Nairobi", "a rebel attack in northern Mali": the place on the noun
        phrase itself (or on the noun a role word modifies)."""
        holders = [token]
        if token.dep_ in ("compound", "amod", "nmod") and token.head.i != token.i:
            holders.append(token.head)
        for holder in holders:
            for inner in grammar.prep_objects(holder, PLACE_PREPS):
                place = self._place_reading(inner)
                if place is not None:
                    return place[0]
        return ""

    def possessor_country(self, token: Token, candidate: Candidate) -> str:
        if token.dep_ == "conj" and any(
            c.dep_ == "poss" and c.pos_ == "PRON" for c in token.children
        ):
            # "Bashar al-Assad and his family": the family is Assad's
            found = self.resolver.resolve(token.head)
            if found and found[0].code[:3] not in self.role_codes:
                return found[0].code[:3]
        for child in token.children:
            if child.dep_ == "poss" and child.pos_ == "PRON":
                found = self.antecedent(child, candidate)
                if found and found[0].code[:3] not in self.role_codes:
                    return found[0].code[:3]
        return ""

    def indirect_target(self, token: Token, candidate: Candidate, force: bool) -> list[Actor]:
        """A target named through something else: an act ("condemned the attack by X": the
        doer; "claimed the attack on X": its target), a border ("troops near its border with
        X"), or a place ("struck targets in Pakistan's Baluchistan province")."""
        lemma = token.lemma_.lower()
        patterns = self.lexicon.nouns.get(lemma)
        if patterns:
            doers = [
                c
                for child in token.children
                if child.dep_ in ("poss", "amod", "compound") and self._names_actor(child)
                for c in grammar.conjuncts(child)
            ] + grammar.prep_objects(token, frozenset({"by"}))
            targets = grammar.prep_objects(token, patterns[0].target_preps)
            for clause in token.children:
                # "an ambush that killed a dozen Burkinabe soldiers": the act's victims
                if clause.dep_ in ("relcl", "acl"):
                    targets += grammar.objects(clause)
            # who did it for blame and praise, whom it hit for a claim of responsibility
            ordered = targets + doers if candidate.code[:2] == "01" else doers + targets
            violent = patterns[0].code[:2] in ("18", "19", "20")
            for inner in ordered:
                found = self.resolver.resolve(_through_quantity(inner), as_target=True)
                if found and violent and inner in doers:
                    # "the Israeli strike": a state strikes with its military
                    found = [
                        Actor(a.code + "MIL", a.start, a.end, a.head, a.how)
                        if len(a.code) == 3 and a.code.isalpha()
                        else a
                        for a in found
                    ]
                if found:
                    return found
        if lemma in BORDER_NOUNS:
            for inner in grammar.prep_objects(token, frozenset({"with", "between"})):
                found = self.resolver.resolve(inner, as_target=True, as_target_of_force=True)
                if found:
                    return [_as_country(a) for a in found]
        if force:
            # "attacked a base near Gao": a military site is the military of its place
            role = "MIL" if lemma in MILITARY_SITES else ""
            for inner in grammar.prep_objects(token, PLACE_PREPS):
                place = self._place_reading(inner)
                if place is not None:
                    return [Actor(place[0] + role, inner.i, inner.i + 1, inner.i, "place")]
        return []

    def antecedent(
        self, token: Token, candidate: Candidate, countries_only: bool = False
    ) -> list[Actor]:
        """A pronoun (or "the country") is the subject of the clause that embeds it ("Niger
        said it would..."), else the nearest subject before it, else the previous sentence's
        subject. A possessive first looks at its own clause's subject ("Russian forces completed
        their withdrawal"), an object pronoun at the nearest object before it ("expelled three
        diplomats, accusing them")."""
        doc = self.sentence.doc
        before = list(doc[self.sentence.start : token.i])
        pools: list[list[Token]] = []
        if token.dep_ == "poss":
            own, _ = grammar.subjects(grammar.clause_head(token))
            pools.append(own)
        if token.lower_ in OBJECT_PRONOUNS:
            pools.append([t for t in reversed(before) if t.dep_ in ("dobj", "pobj", "dative")])
        for ancestor in grammar.ancestors_through_clauses(grammar.clause_head(token)):
            pools.append(grammar.subjects(ancestor)[0])
        pools.append([t for t in reversed(before) if t.dep_ in ("nsubj", "nsubjpass")])
        for pool in pools:
            for antecedent in pool:
                if antecedent.i == token.i or antecedent.pos_ == "PRON":
                    continue
                found = [
                    self._completed(actor, antecedent, candidate)
                    for actor in self.resolver.resolve(_through_quantity(antecedent))
                ]
                found = [a for a in found if a is not None]
                if countries_only:
                    found = [a for a in found if a.code[:3] not in self.role_codes]
                if found:
                    return [self._as_pronoun(a, token, countries_only) for a in found]
        if self.previous:
            return [self._as_pronoun(self.previous[0], token, countries_only)]
        return []

    @staticmethod
    def _as_pronoun(actor: Actor, token: Token, countries_only: bool) -> Actor:
        code = actor.code[:3] if countries_only else actor.code
        return Actor(
            code, token.i, token.i + 1, token.i, "pronoun", country=code[:3], role=actor.role
        )

    def _completed(self, actor: Actor, token: Token, candidate: Candidate) -> Actor | None:
        """A role standing alone gets its country from the phrase's place, the sentence's
        place, or the article ("an armed group in Myanmar", "police" in a Kenyan story)."""
        if actor.code != actor.role:
            return actor
        country = (
            self.noun_place_country(token)
            or self.place_country(candidate)
            or self.tagged.main_country
        )
        if not country:
            return None
        return Actor(
            country + actor.role,
            actor.start,
            actor.end,
            actor.head,
            "role+context",
            country=country,
            role=actor.role,
            weapon=actor.weapon,
        )

    def place_of(self, candidate: Candidate) -> tuple[str, str | None] | None:
        """Where the act happened: "in northern Nigeria", "in Maiduguri", near the trigger."""
        anchor = candidate.anchor.i if candidate.anchor is not None else -1
        key = (candidate.trigger.i, anchor, candidate.code[:2] >= "17")
        if key not in self._places:
            self._places[key] = self._place_of(candidate)
        return self._places[key]

    def _place_of(self, candidate: Candidate) -> tuple[str, str | None] | None:
        roots = [candidate.trigger]
        if candidate.anchor is not None and candidate.anchor.i != candidate.trigger.i:
            roots.append(candidate.anchor)
        for root in roots:
            for child in root.children:
                # "shelled the town of Vovchansk": the object is the place itself
                if child.dep_ == "dobj" and candidate.code[:2] >= "17":
                    place = self._place_reading(child)
                    if place is not None and place[1] is not None:
                        return place
        for root in roots:
            for token in [
                root,
                *[c for c in root.children if c.dep_ in ("dobj", "nsubjpass", "nsubj")],
            ]:
                for child in token.children:
                    if child.dep_ == "prep" and child.lower_ in PLACE_PREPS:
                        for pobj in child.children:
                            if pobj.dep_ != "pobj":
                                continue
                            place = self._place_reading(pobj) or self._deeper_place(pobj)
                            if place is not None:
                                return place
        return None

    def _deeper_place(self, token: Token) -> tuple[str, str | None] | None:
        """ "at the national cemetery in Seoul": the place named on the place."""
        for inner in grammar.prep_objects(token, PLACE_PREPS):
            place = self._place_reading(inner)
            if place is not None:
                return place
        return None

    def _place_reading(self, token: Token) -> tuple[str, str | None] | None:
        match = self.resolver.match(token)
        if match is None and token.lemma_.lower() in SETTLEMENT_NOUNS:
            # "the Tigrayan city of Axum", "the town of Vovchansk"
            for inner in grammar.prep_objects(token, frozenset({"of"})):
                found = self._place_reading(inner)
                if found:
                    return found
        if match is None:
            # "the Kursk region": a compound name before a generic head
            for child in token.children:
                if child.dep_ == "compound":
                    found = self._place_reading(child)
                    if found:
                        return found
            return None
        entry = match.first(PLACE, CAPITAL, COUNTRY)
        if entry is None:
            entry = match.first(ADJECTIVE)
            if entry is None:
                return None
        if entry.kind == COUNTRY:
            return entry.code[:3], None
        span = self.sentence.doc[match.start : match.end]
        return entry.code[:3], span.text

    def place_country(self, candidate: Candidate) -> str:
        place = self.place_of(candidate)
        if place:
            return place[0]
        if self._sentence_place is None:
            self._sentence_place = ""
            for token in self.sentence:
                if token.dep_ == "pobj" and token.head.lower_ in PLACE_PREPS:
                    found = self._place_reading(token)
                    if found:
                        self._sentence_place = found[0]
                        break
        return self._sentence_place

    def date_of(self, candidate: Candidate) -> tuple[date, str | None]:
        if self._dates is None:
            self._dates = find_dates(self.sentence, self.published, self.text)
        if not self._dates:
            return self.published, None
        anchors = {candidate.trigger.i}
        if candidate.anchor is not None:
            anchors.add(candidate.anchor.i)
        for expression in self._dates:
            if expression.anchor in anchors:
                return expression.value, expression.text
        chain = {
            a.i for a in grammar.ancestors_through_clauses(candidate.anchor or candidate.trigger)
        }
        for expression in self._dates:
            if expression.anchor in chain:
                return expression.value, expression.text
        if len(self._dates) == 1:
            (only,) = self._dates
            # A lone date dates the event only when it hangs on the event's own clause or one
            # embedding it ("said on Tuesday that..."), not on another clause ("Mali broke off
            # relations after an official acknowledged a role in an attack last month": last
            # month is the attack's date, not the break's).
            if grammar.in_clause_line(self.sentence.doc[only.anchor], candidate.trigger):
                return only.value, only.text
        return self.published, None

    def mentions(self, candidate: Candidate, article_id: str, index: int) -> Iterator[EventMention]:
        sources = self.actors_of(candidate.sources, candidate, as_target=False)
        if not sources and candidate.state_role and not candidate.sources:
            country = self.place_country(candidate) or self.tagged.main_country
            if country:
                t = candidate.trigger
                sources = [Actor(country + candidate.state_role, t.i, t.i, t.i, "state")]
        if not sources:
            sources = self.weapon_sources(candidate) or self.act_doers(candidate)
        if not sources:
            return
        # the targets only once there is a doer: half the acts found have none
        targets = self.actors_of(candidate.targets, candidate, as_target=True)
        if candidate.kind == "verb" and not candidate.inherited_source:
            self.subject_actors = self.subject_actors or sources
        if not targets and not candidate.reciprocal:
            targets = self.implied_targets(candidate, sources) or self.place_target(
                candidate, sources
            )
        coded: list[tuple[Actor, Actor | None, str]] = []
        if targets:
            coded = [(s, t, candidate.code) for s in sources for t in targets]
            if candidate.mutual:
                coded += [(t, s, candidate.code) for s in sources for t in targets]
            converse = candidate.option("converse")
            if candidate.option("forces") and any(s.role in ("MIL", "COP") for s in sources):
                converse = "0861"  # troops arriving: the host receives a deployment
            if converse in HOSTED_CODES:
                # "X visited Y" is also Y hosting X: the host is the country
                coded += [(_as_country(t), s, converse) for s in sources for t in targets]
            elif converse:
                # "X hosted Y" is also Y visiting X
                coded += [(t, _as_country(s), converse) for s in sources for t in targets]
        elif candidate.reciprocal and len(sources) > 1:
            coded = [(s, t, candidate.code) for s in sources for t in sources]
        else:
            coded = [(s, None, candidate.code) for s in sources]
        coded = [
            (s, t, self.refined_code(c, s, t, candidate))
            for s, t, c in coded
            if t is None or (s.code != t.code and t.how != "own")
        ]
        coded = [(self.refined_source(s, c, candidate), t, c) for s, t, c in coded]
        coded = [(s, self.refined_target(s, t, c), c) for s, t, c in coded]
        if not coded:
            return
        event_date, date_text = self.date_of(candidate)
        place = self.place_of(candidate)
        sentence = self.sentence
        base = sentence.start_char
        trigger = candidate.trigger
        trigger_span = TextSpan(
            trigger.text, trigger.idx - base, trigger.idx + len(trigger.text) - base
        )
        for source, target, code in coded:
            yield EventMention(
                article_id=article_id,
                sentence_index=index,
                sentence=self.text,
                sentence_start=base,
                source_actor=source.code,
                source=self._span(source),
                target_actor=target.code if target else None,
                target=self._span(target) if target else None,
                trigger=trigger_span,
                event_code=code,
                event_date=event_date,
                confidence=self.confidence(candidate, source, target),
                rule=candidate.rule,
                date_text=date_text,
                location_country=place[0] if place else None,
                location_place=place[1] if place else None,
            )

    def act_doers(self, candidate: Candidate) -> list[Actor]:
        """ "The attack killed dozens of soldiers": the doer is the attack's, named on the noun
        ("a rebel attack", "Russia's strike") or on the same act in an earlier sentence."""
        found: list[Actor] = []
        for token in candidate.sources:
            lemma = token.lemma_.lower()
            if lemma not in self.lexicon.nouns:
                continue
            doers = self._noun_doers(token)
            if not doers and any(c.lower_ == "the" for c in token.children):
                earlier = self.sentence.doc[: self.sentence.start]
                for previous in reversed(list(earlier)):
                    if previous.lemma_.lower() == lemma:
                        doers = self._noun_doers(previous)
                        if doers:
                            break
            for doer in doers:
                found.extend(self.actors_of([doer], candidate, as_target=False))
        return found

    def _noun_doers(self, noun: Token) -> list[Token]:
        """Who does an act a noun names: a possessor, a country or name before it, a "by"
        phrase, else a role before it ("a rebel attack")."""
        doers = [c for c in noun.children if self._doer_modifier(c)]
        doers += grammar.prep_objects(noun, frozenset({"by"}))
        if not doers:
            doers = [
                c
                for c in noun.children
                if c.dep_ in ("compound", "amod")
                and (m := self.resolver.match(c)) is not None
                and m.first(ROLE) is not None
            ]
        return doers

    def weapon_sources(self, candidate: Candidate) -> list[Actor]:
        """ "A car bomb killed eight soldiers in Mogadishu": violence by an unnamed hand is
        coded to the country where it happened, with the code its weapon implies."""
        found = []
        for token in candidate.sources:
            match = self.resolver.match(token)
            entry = match.first(WEAPON) if match is not None else None
            if entry is None:
                continue
            country = self.place_country(candidate) or self.tagged.main_country
            if country:
                found.append(
                    Actor(country, token.i, token.i + 1, token.i, "weapon", weapon=entry.weapon)
                )
        return found

    def refined_code(
        self, code: str, source: Actor, target: Actor | None, candidate: Candidate
    ) -> str:
        """Sharpen a code by who acts and how: violence by protesters, civilians or workers is
        a violent protest (145); a weapon names the kind of violence ("jets struck" 195);
        killing a named leader is an assassination (186), shooting one an attempt (185);
        troops arriving are a deployment (074); leaving an organisation reduces relations."""
        civil_violence = source.role in CIVIL_ROLES and code[:2] in ("17", "18", "19")
        if civil_violence and code not in ("181", "185", "186"):
            return "145"
        if target is not None and target.how == "person" and code in GENERIC_VIOLENCE:
            fatal = candidate.trigger.lemma_.lower() in FATAL_VERBS
            return "186" if fatal else "185"
        if source.weapon and code in GENERIC_VIOLENCE:
            return source.weapon
        forces = candidate.option("forces")
        if forces and source.role in ("MIL", "COP"):
            return forces
        if code[:2] == "15" and target is not None and self._deployed_into(source, target):
            return "074"  # "deployed 400 police officers to Haiti": sent abroad, not mobilised
        if target is not None and target.code.startswith("IGO") and candidate.option("igo"):
            return candidate.option("igo")
        return code

    def _deployed_into(self, source: Actor, target: Actor) -> bool:
        token = self.sentence.doc[target.head]
        into = token.dep_ == "pobj" and token.head.lower_ in ("to", "into", "in")
        foreign = target.code[:3] != source.code[:3] and len(target.code) == 3
        return into and foreign and target.how in ("country", "name", "capital")

    @staticmethod
    def refined_target(source: Actor, target: Actor | None, code: str) -> Actor | None:
        """Coercion or violence aimed at the doer's own country is aimed at its people
        ("imposed a curfew on the town of Leh" INDCVL)."""
        if (
            target is not None
            and code[:2] >= "17"
            and len(target.code) == 3
            and target.code == source.code[:3]
            and len(source.code) > 3
        ):
            return Actor(target.code + "CVL", target.start, target.end, target.head, target.how)
        return target

    def refined_source(self, source: Actor, code: str, candidate: Candidate) -> Actor:
        """A country that moves troops acts as its military ("Venezuela moved troops":
        VENMIL); a people that demonstrates are its civilians ("Georgians rallied")."""
        role = candidate.option("as")
        if role and len(source.code) == 3 and source.how in ("country", "name"):
            return Actor(source.code + role, source.start, source.end, source.head, source.how)
        if code[:2] == "14" and len(source.code) == 3 and source.how == "people":
            return Actor(source.code + "CVL", source.start, source.end, source.head, source.how)
        return source

    def place_target(self, candidate: Candidate, sources: list[Actor]) -> list[Actor]:
        """Violence with no named victim is aimed at the country where it happens ("resumed
        air strikes across Gaza"), unless that is the doer's own country."""
        if candidate.code[:2] not in ("18", "19", "20"):
            return []
        place = self.place_of(candidate)
        if place is None:
            return []
        t = candidate.trigger
        if any(s.code[:3] == place[0] for s in sources):
            # at home, the unnamed victims are the country's civilians
            return [Actor(place[0] + "CVL", t.i, t.i, t.i, "place")]
        return [Actor(place[0], t.i, t.i, t.i, "place")]

    def implied_targets(self, candidate: Candidate, sources: list[Actor]) -> list[Actor]:
        """Acts aimed by their nature at the doer's own state or country: protests, strikes and
        rallies at its government ("implied=GOV"), a resignation at the country itself
        ("implied=COUNTRY"), when the sentence names no target."""
        implied = candidate.option("implied")
        if not implied:
            return []
        if implied == "PLACE":
            place = self.place_of(candidate)
            t = candidate.trigger
            return [Actor(place[0], t.i, t.i, t.i, "implied")] if place else []
        found = []
        for source in sources:
            country = source.code[:3]
            if not country.isalpha() or country in ("IGO", "NGO", "IMG"):
                continue
            code = country if implied == "COUNTRY" else country + implied
            if code != source.code:
                t = candidate.trigger
                found.append(Actor(code, t.i, t.i, t.i, "implied"))
        return found

    def _span(self, actor: Actor) -> TextSpan:
        doc = self.sentence.doc
        base = self.sentence.start_char
        if actor.end <= actor.start:
            token = doc[actor.head]
            return TextSpan("", token.idx - base, token.idx - base)
        # the text by slicing the Doc's, as the sentence's (Span.text would build every Token)
        first, last = doc[actor.start], doc[actor.end - 1]
        start, end = first.idx, last.idx + len(last)
        return TextSpan(self.doc_text[start:end], start - base, end - base)

    @staticmethod
    def confidence(candidate: Candidate, source: Actor, target: Actor | None) -> float:
        score = 0.95
        if candidate.kind == "noun":
            score -= 0.1
        if candidate.kind == "frame":
            score -= 0.05
        if candidate.inherited_source:
            score -= 0.05
        for actor in (source, target):
            if actor is None:
                continue
            if actor.how in ("pronoun", "role+context"):
                score -= 0.1
            elif actor.how == "state":
                score -= 0.15
        if target is None:
            score -= 0.2
        return round(max(0.05, min(1.0, score)), 2)


def _background(verb: Token) -> bool:
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
            current.head.lemma_.lower() in IMPLICATIVE_VERBS
        )
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


def _inside_event(candidate: Candidate, triggers: set[int]) -> bool:
    """An event noun that only names what another act is about ("condemned the attack on X",
    "an investigation into the killing of Y"): CAMEO codes the act around it. Nouns that a
    light verb carries ("launched an attack") or that are the act ("talks collapsed") stand."""
    if candidate.carried:
        return False
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


def _lookup(table: dict, token: Token):
    """Entries for a verb by its lemma, or by a regular base form when the lemmatizer slips
    ("raped" -> "rap", "staged" -> "stag")."""
    found = table.get(token.lemma_.lower())
    if found or token.tag_ not in ("VBD", "VBN"):
        return found
    word = token.lower_
    for suffix, replacement in (("ied", "y"), ("ed", "e"), ("ed", ""), ("d", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            found = table.get(word[: -len(suffix)] + replacement)
            if found:
                return found
    return None


def _each_other(targets: list[Token]) -> bool:
    """ "expelled each other's advisers": the doers act on one another."""
    for target in targets:
        for token in target.subtree:
            if token.lower_ == "other" and any(c.lower_ == "each" for c in token.children):
                return True
            if token.lower_ == "another" and any(c.lower_ == "one" for c in token.children):
                return True
    return False


def _through_group(token: Token) -> Token:
    """ "the final round of talks", "a package of sanctions": the noun after "of"."""
    if token.lemma_.lower() not in GROUP_NOUNS:
        return token
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return token


def _through_quantity(token: Token) -> Token:
    """ "Tens of thousands of Georgians", "members of a gang": the people, not the number."""
    current = token
    for _ in range(3):
        if current.pos_ != "NUM" and current.lemma_.lower() not in QUANTITY_NOUNS:
            return current
        inner = next(
            (
                g
                for c in current.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children
                if g.dep_ == "pobj"
            ),
            None,
        )
        if inner is None:
            return current
        current = inner
    return current


def _doc_text(doc: Doc, article: Article) -> str:
    """The Doc's text. Doc.text joins every token anew; the article's text is the same string
    when the Doc was parsed from it, which its last token's offset confirms cheaply."""
    if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(article.text):
        return article.text
    return doc.text


def _carrier(noun: Token) -> Token | None:
    """The verb an event noun is the object of, through "of" after a grouping noun ("a package
    of sanctions") and through coordination ("talks and a meeting")."""
    current = noun
    for _ in range(4):
        if current.dep_ == "conj":
            current = current.head
            continue
        if current.dep_ in ("dobj", "nsubjpass", "attr", "obj"):
            head = current.head
            return head if head.pos_ in ("VERB", "AUX") or _verb_in_disguise(head) else None
        if current.dep_ == "pobj":
            prep = current.head
            holder = prep.head
            if prep.lower_ == "of" and holder.lemma_.lower() in GROUP_NOUNS:
                current = holder
                continue
            # "engaged in talks", "entered into negotiations"; not "continued during the talks"
            if holder.pos_ in ("VERB", "AUX") and prep.lower_ in CARRYING_PREPS:
                return holder
            return None
        return None
    return None


def _as_country(actor: Actor) -> Actor:
    """The country of an actor: the host of a visit is the place, not its people."""
    country = actor.code[:3]
    if actor.code.startswith(("IGO", "NGO", "IMG")) or not country.isalpha():
        return actor
    return Actor(country, actor.start, actor.end, actor.head, actor.how, country=country)


def _verb_in_disguise(token: Token) -> bool:
    """A verb the tagger took for a noun or auxiliary, betrayed by its clause role and its
    subject ("demanded that Azerbaijan release the citizens": release/NOUN with a subject)."""
    if token.pos_ == "AUX":
        return token.dep_ in ("ROOT", "conj", "ccomp", "xcomp")
    if token.pos_ not in ("NOUN", "PROPN") or token.dep_ not in CLAUSE_ROLES:
        return False
    return any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in token.children)


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth


def _subjects_only(verb: Token) -> list[Token]:
    return [
        c
        for child in grammar.children(verb, grammar.SUBJECT_DEPS)
        for c in grammar.conjuncts(child)
    ]
