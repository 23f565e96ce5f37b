"""Parsed Docs kept per partition, so that a change to the dictionaries or the lexicon re-codes
without parsing again (the parse is nine tenths of the work).

Layout: ``<root>/<model key>/<partition>/<shard>.docs``, each shard a msgpack record of the text
keys of its Docs and a spaCy ``DocBin`` of them (tokens, tags, lemmas, parse, sentences,
morphology). A Doc is found by the key of the exact text it was parsed from: an edited article
is parsed again, an unchanged one never is.

The model key names the spaCy version, the model, its version and its components: another model
(or another spaCy) reads and writes another folder, so a stale parse is never used. The
dictionaries, the lexicon and the coder's own version are deliberately not in the key: they
decide what is coded from a parse, not the parse.

Shards are written under a temporary name and renamed into place, so a killed run leaves whole
shards or none; a shard that cannot be read is ignored (and its Docs parsed again).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import srsly

if TYPE_CHECKING:  # spaCy is imported where parses are made or read, not by Dagster's loading
    from spacy.language import Language
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

SUFFIX = ".docs"
# What the coder reads from a Doc; the NER columns stay out (the pipeline has no NER).
ATTRS = ("ORTH", "TAG", "HEAD", "DEP", "LEMMA", "MORPH", "POS", "SENT_START", "SPACY")


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def model_key(nlp: Language) -> str:
    """What the parse depends on: spaCy, the model and its version, the components run."""
    import spacy

    from pipelines.coding.furniture import PREPARATION

    parts = (
        PREPARATION,  # what the text is cleared of before it is parsed
        spacy.__version__,
        nlp.meta.get("lang", ""),
        nlp.meta.get("name", ""),
        nlp.meta.get("version", ""),
        ",".join(nlp.pipe_names),
    )
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'model')}-{digest}"


def new_docbin() -> DocBin:
    from pipelines.coding.kept_parses import KeptParses

    return KeptParses(attrs=list(ATTRS))


@dataclass(frozen=True)
class Located:
    """Where a parsed text sits: its shard and its position in it."""

    shard: Path
    position: int


class ParseCache:
    """The cached parses of one model under ``root``."""

    def __init__(self, root: str | os.PathLike[str], nlp: Language):
        self.root = Path(root)
        self.model = model_key(nlp)

    def partition(self, name: str) -> PartitionParses:
        return PartitionParses(self.root / self.model / name)


class PartitionParses:
    """The parses of one partition: look texts up, read their Docs, add new ones."""

    def __init__(self, folder: Path):
        self.folder = folder

    def shards(self) -> list[Path]:
        return sorted(self.folder.glob(f"*{SUFFIX}")) if self.folder.exists() else []

    def index(self) -> dict[str, Located]:
        """Every cached text key of the partition (a later shard wins a duplicate key)."""
        found: dict[str, Located] = {}
        for shard in self.shards():
            keys = read_shard(shard)[0]
            for position, key in enumerate(keys):
                found[key] = Located(shard, position)
        return found

    def write(self, keys: list[str], docbin: bytes) -> Path:
        """Add a shard of Docs (``docbin``: ``DocBin.to_bytes()``, in the order of ``keys``)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{uuid.uuid4().hex}{SUFFIX}"
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(srsly.msgpack_dumps({"keys": keys, "docs": docbin}))
        os.replace(tmp, target)
        return target

    def prune(self, used: Iterable[str]) -> int:
        """Remove shards none of whose texts is in ``used`` any more; returns how many."""
        used = set(used)
        removed = 0
        for shard in self.shards():
            if used.isdisjoint(read_shard(shard)[0]):
                shard.unlink(missing_ok=True)
                removed += 1
        return removed


def read_shard(shard: Path) -> tuple[list[str], bytes]:
    """The keys and the DocBin bytes of a shard; nothing when it cannot be read."""
    try:
        record = srsly.msgpack_loads(shard.read_bytes())
        return list(record["keys"]), record["docs"]
    except (OSError, ValueError, KeyError, TypeError):
        return [], b""


def shard_docs(shard: Path, vocab: Vocab, positions: Iterable[int]) -> Iterator[tuple[int, Doc]]:
    """The Docs at ``positions`` of a shard (with their position), in shard order."""
    from spacy.tokens import DocBin

    wanted = set(positions)
    keys, blob = read_shard(shard)
    if not keys:
        return
    for position, doc in enumerate(DocBin().from_bytes(blob).get_docs(vocab)):
        if position in wanted:
            yield position, doc
