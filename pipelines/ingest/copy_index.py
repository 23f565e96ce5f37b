"""Exact and near duplicates across everything ever ingested, kept in a DuckDB file.

Two articles are copies of one story when their content hashes are equal, or when the MinHash
estimate of the Jaccard similarity of their word shingles reaches the threshold (0.9 by default:
syndicated wire copy with a new dateline or headline, not two reports of the same event). The
shingles are those of the story without the furniture that syndication adds or drops around it
(``story_text``: a leading byline or dateline, trailing credits, reporting and editing lines,
copyright notices), with abbreviations without their dots ("U.S." is "US") and without function
words ("on Tuesday" is "Tuesday"): on a lead of forty words, "Reuters contributed to this
report." alone took the similarity from 1 to 0.87, and an "on" or a "U.S." as much.
Candidates come from locality-sensitive hashing: each signature is cut into bands (datasketch
chooses how many for the threshold) and two articles are candidates when one band matches. The
band keys live in a table, so a new article is compared with the whole history by one join.

Copies form groups (connected components, so the result does not depend on the order articles
arrive in), and each group's original is its earliest-published article, then the smallest id.
When a newcomer is earlier than a group's original, the group gets a new original and the days of
its members are reported as changed, so their partitions are rebuilt.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

import duckdb
import numpy as np
import pandas as pd

from pipelines.datamodel.records import Article
from pipelines.settings import SettingError

SHINGLE_WORDS = 2
NUM_PERM = 128
SEED = 1
_WORD = re.compile(r"\w+")

# Signatures are only comparable when made the same way; the index records how.
SCHEME = f"story1-content-words{SHINGLE_WORDS}-crc32-perm{NUM_PERM}-seed{SEED}"

_LEADING = (
    # a byline on a line of its own: "By Amina Diallo, Associated Press"
    re.compile(r"\A\s*by\s+[^\n]{1,100}\n", re.IGNORECASE),
    # a dateline with a credit: "DAKAR, Senegal (AP) — ", "DAKAR, Aug 5 (Reuters) - "
    re.compile(r"\A\s*[A-Z][^\n()]{0,60}\([^()\n]{1,40}\)\s*[-–—:]+\s*"),
    # a credit or a dateline in capitals: "AP - ", "DAKAR, Senegal — "
    re.compile(r"\A\s*[A-Z][A-Z .'-]{1,30}(?:,[^\n–—]{1,30})?\s+[-–—]+\s+"),
)
_FURNITURE = re.compile(
    r"contributed (?:reporting|to this (?:report|story|article))"
    r"|\bwriters?\b.{0,80}\bcontributed\b"
    r"|\b(?:reporting|editing|writing|compiled|edited) by\b"
    r"|all rights reserved|©|\(c\)\s*(?:\d{4}|[A-Z])|\bcopyright\s+(?:\d{4}|©|\(c\))"
    r"|\bthis (?:story|article) (?:has been|was) (?:updated|corrected)",
    re.IGNORECASE,
)
_UNITS = re.compile(r"(?<=[.!?])\s+|\n+")
_ABBREVIATION = re.compile(r"\b(?:[A-Za-z]\.){2,}")
# Words whose presence an editor changes without changing the story.
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "in",
        "at",
        "of",
        "to",
        "and",
        "or",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "that",
        "this",
        "it",
        "its",
        "said",
    ]
)
_FURNITURE_CHARS = 200  # a longer sentence is the story's, whatever it mentions


def story_text(text: str) -> str:
    """The text without a leading byline or dateline and trailing credit, reporting, editing and
    copyright lines: what syndicated copies of one story share."""
    for pattern in _LEADING:
        text = pattern.sub("", text, count=1)
    units = [u for u in _UNITS.split(text) if u.strip()]
    while len(units) > 1 and len(units[-1]) <= _FURNITURE_CHARS and _FURNITURE.search(units[-1]):
        units.pop()
    return " ".join(units)


SCHEMA = """
CREATE TABLE IF NOT EXISTS dedup_scheme (scheme VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS known_articles (
    article_id VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    location VARCHAR NOT NULL,
    published_at TIMESTAMP NOT NULL,
    published_date DATE NOT NULL,
    content_hash VARCHAR NOT NULL,
    signature BLOB NOT NULL,
    original_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS lsh_bands (
    band SMALLINT NOT NULL,
    bucket UBIGINT NOT NULL,
    article_id VARCHAR NOT NULL
);
"""


@cache
def _prototype():
    """One MinHash whose permutations every signature reuses (they depend on the seed only)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32)


def signature(text: str) -> np.ndarray:
    """The MinHash signature of the word shingles of a text's story (``SCHEME``)."""
    story = _ABBREVIATION.sub(lambda m: m.group().replace(".", ""), story_text(text))
    words = _WORD.findall(story.casefold())
    words = [w for w in words if w not in _FUNCTION_WORDS] or words
    if len(words) <= SHINGLE_WORDS:
        shingles = {" ".join(words)}
    else:
        shingles = {
            " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
        }
    minhash = _prototype().copy()
    minhash.clear()
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash.hashvalues.astype(np.uint64)


@dataclass(frozen=True)
class Known:
    article_id: str
    source: str
    location: str


class Deduplicator:
    def __init__(self, con: duckdb.DuckDBPyConnection, threshold: float = 0.9):
        from datasketch import MinHashLSH

        self.con = con
        self.threshold = threshold
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.bands, self.rows = lsh.b, lsh.r
        con.execute(SCHEMA)
        stored = con.execute("SELECT scheme FROM dedup_scheme").fetchone()
        if stored is None:
            con.execute("INSERT INTO dedup_scheme VALUES (?)", [SCHEME])
        elif stored[0] != SCHEME:
            raise SettingError(
                f"the landing folder's duplicate index was built by an older dyadflow "
                f"({stored[0]!r}; this one uses {SCHEME!r}): move the landing folder aside "
                "(mv DATA/landing DATA/landing.old) and run again to land the sources anew"
            )

    def _band_keys(self, signature: np.ndarray) -> list[int]:
        keys = []
        for band in range(self.bands):
            chunk = signature[band * self.rows : (band + 1) * self.rows].tobytes()
            keys.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little"))
        return keys

    # -- lookups ----------------------------------------------------------------------------

    def known(self, article_ids: Iterable[str]) -> dict[str, Known]:
        ids = list(article_ids)
        if not ids:
            return {}
        rows = self.con.execute(
            "SELECT article_id, source, location FROM known_articles WHERE article_id IN "
            "(SELECT unnest(?::VARCHAR[]))",
            [ids],
        ).fetchall()
        return {r[0]: Known(*r) for r in rows}

    def copies_on(self, days: Iterable[date]) -> pd.DataFrame:
        """(article_id, duplicate_of, published_date) of every copy published on those days."""
        return self.con.execute(
            "SELECT article_id, original_id AS duplicate_of, published_date FROM known_articles "
            "WHERE published_date IN (SELECT unnest(?::DATE[])) AND original_id <> article_id "
            "ORDER BY article_id",
            [sorted(days)],
        ).fetchdf()

    # -- changes ----------------------------------------------------------------------------

    def add(
        self,
        articles: Sequence[Article],
        sources: Sequence[str],
        signatures: Sequence[np.ndarray | None] | None = None,
    ) -> set[date]:
        """Record new articles (read from ``sources``, one each), link them to their copies, and
        return the days of earlier articles whose original changed. ``signatures``, when given,
        are the articles' ``signature`` worked out already (None: work it out here). Call inside
        the caller's transaction."""
        if not articles:
            return set()
        given = signatures if signatures is not None else [None] * len(articles)
        signatures = [
            s if s is not None else signature(a.text) for a, s in zip(articles, given, strict=True)
        ]
        frame = pd.DataFrame(
            {
                "article_id": [a.id for a in articles],
                "source": list(sources),
                "location": [a.where for a in articles],
                "published_at": [a.published_at for a in articles],
                "published_date": [a.published_date for a in articles],
                "content_hash": [a.content_hash for a in articles],
                "signature": [s.tobytes() for s in signatures],
                "original_id": [a.id for a in articles],
            }
        )
        bands = pd.DataFrame(
            [
                (band, key, a.id)
                for a, sig in zip(articles, signatures, strict=True)
                for band, key in enumerate(self._band_keys(sig))
            ],
            columns=["band", "bucket", "article_id"],
        ).astype({"band": "int16", "bucket": "uint64"})
        self.con.register("new_articles", frame)
        self.con.register("new_bands", bands)
        self.con.execute("INSERT INTO known_articles BY NAME SELECT * FROM new_articles")
        self.con.execute("INSERT INTO lsh_bands BY NAME SELECT * FROM new_bands")
        pairs = self._pairs(
            "SELECT DISTINCT n.article_id AS a, o.article_id AS b FROM new_bands n "
            "JOIN lsh_bands o ON o.band = n.band AND o.bucket = n.bucket "
            "WHERE o.article_id <> n.article_id "
            "UNION "
            "SELECT n.article_id, o.article_id FROM new_articles n "
            "JOIN known_articles o ON o.content_hash = n.content_hash "
            "WHERE o.article_id <> n.article_id"
        )
        self.con.unregister("new_articles")
        self.con.unregister("new_bands")
        return self._merge({a.id for a in articles}, pairs)

    def remove(self, source: str) -> set[date]:
        """Forget every article read from a source (a file that changed is read again), and
        regroup what remains of their groups. Returns the days whose copies changed."""
        groups = [
            r[0]
            for r in self.con.execute(
                "SELECT DISTINCT original_id FROM known_articles WHERE source = ?", [source]
            ).fetchall()
        ]
        days = {
            r[0]
            for r in self.con.execute(
                "SELECT DISTINCT published_date FROM known_articles WHERE original_id IN "
                "(SELECT unnest(?::VARCHAR[]))",
                [groups],
            ).fetchall()
        }
        self.con.execute(
            "DELETE FROM lsh_bands WHERE article_id IN "
            "(SELECT article_id FROM known_articles WHERE source = ?)",
            [source],
        )
        self.con.execute("DELETE FROM known_articles WHERE source = ?", [source])
        members = [
            r[0]
            for r in self.con.execute(
                "SELECT article_id FROM known_articles WHERE original_id IN "
                "(SELECT unnest(?::VARCHAR[]))",
                [groups],
            ).fetchall()
        ]
        if members:
            self.con.execute(
                "UPDATE known_articles SET original_id = article_id WHERE article_id IN "
                "(SELECT unnest(?::VARCHAR[]))",
                [members],
            )
            pairs = self._pairs(
                "WITH m AS (SELECT unnest(?::VARCHAR[]) AS article_id), "
                "b AS (SELECT * FROM lsh_bands WHERE article_id IN (SELECT article_id FROM m)), "
                "k AS (SELECT * FROM known_articles WHERE article_id IN (SELECT article_id FROM m)) "
                "SELECT DISTINCT x.article_id, y.article_id FROM b x JOIN b y "
                "ON x.band = y.band AND x.bucket = y.bucket AND x.article_id < y.article_id "
                "UNION SELECT x.article_id, y.article_id FROM k x JOIN k y "
                "ON x.content_hash = y.content_hash AND x.article_id < y.article_id",
                [members],
            )
            self._merge(set(members), pairs)
        return days

    # -- grouping ---------------------------------------------------------------------------

    def _pairs(self, sql: str, params: list | None = None) -> list[tuple[str, str]]:
        """Candidate pairs from ``sql``, kept when their signatures agree enough (or their
        content hashes are equal)."""
        candidates = self.con.execute(sql, params or []).fetchall()
        if not candidates:
            return []
        ids = sorted({x for pair in candidates for x in pair})
        rows = self.con.execute(
            "SELECT article_id, signature, content_hash FROM known_articles "
            "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids],
        ).fetchall()
        sigs = {r[0]: np.frombuffer(r[1], dtype=np.uint64) for r in rows}
        hashes = {r[0]: r[2] for r in rows}
        kept = []
        for a, b in candidates:
            if hashes[a] == hashes[b] or float(np.mean(sigs[a] == sigs[b])) >= self.threshold:
                kept.append((a, b))
        return kept

    def _merge(self, fresh: set[str], pairs: list[tuple[str, str]]) -> set[date]:
        """Join the fresh articles' groups with those they pair with; each group's original
        becomes its earliest member. Returns the days of earlier articles whose original moved."""
        ids = sorted(fresh | {x for pair in pairs for x in pair})
        info = {
            r[0]: (r[1], r[2])  # original_id, published_at
            for r in self.con.execute(
                "SELECT article_id, original_id, published_at FROM known_articles "
                "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                [ids],
            ).fetchall()
        }

        # Nodes are fresh articles and the originals (groups) of the articles they pair with.
        parent: dict[str, str] = {}

        def node(article_id: str) -> str:
            return article_id if article_id in fresh else info[article_id][0]

        def find(x: str) -> str:
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for article_id in fresh:
            find(article_id)
        for a, b in pairs:
            ra, rb = find(node(a)), find(node(b))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        components: dict[str, list[str]] = {}
        for x in list(parent):
            components.setdefault(find(x), []).append(x)

        when = self._published(list(parent))
        changed_groups: dict[str, str] = {}  # old original -> new original
        fresh_original: dict[str, str] = {}
        for nodes in components.values():
            original = min(nodes, key=lambda x: (when[x], x))
            for x in nodes:
                if x in fresh:
                    fresh_original[x] = original
                elif x != original:
                    changed_groups[x] = original
        changed_days: set[date] = set()
        if changed_groups:
            olds = list(changed_groups)
            changed_days = {
                r[0]
                for r in self.con.execute(
                    "SELECT DISTINCT published_date FROM known_articles WHERE original_id IN "
                    "(SELECT unnest(?::VARCHAR[]))",
                    [olds],
                ).fetchall()
            }
            mapping = pd.DataFrame({"old": olds, "new": [changed_groups[o] for o in olds]})
            self.con.register("regroup", mapping)
            self.con.execute(
                "UPDATE known_articles SET original_id = regroup.new FROM regroup "
                "WHERE known_articles.original_id = regroup.old"
            )
            self.con.unregister("regroup")
        moved = {k: v for k, v in fresh_original.items() if k != v}
        if moved:
            mapping = pd.DataFrame({"article_id": list(moved), "new": list(moved.values())})
            self.con.register("regroup", mapping)
            self.con.execute(
                "UPDATE known_articles SET original_id = regroup.new FROM regroup "
                "WHERE known_articles.article_id = regroup.article_id"
            )
            self.con.unregister("regroup")
        return changed_days

    def _published(self, ids: list[str]) -> dict[str, datetime]:
        rows = self.con.execute(
            "SELECT article_id, published_at FROM known_articles "
            "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids],
        ).fetchall()
        return {r[0]: r[1] for r in rows}
