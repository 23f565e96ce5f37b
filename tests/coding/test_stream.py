"""Coding a stream on worker processes, and re-coding from cached parses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from pipelines.coding import stream
from pipelines.coding.coder import EventCoder
from pipelines.coding.parses import ParseCache, model_key, read_shard
from pipelines.coding.stream import StreamReport, code_stream
from pipelines.datamodel.records import Article
from pipelines.ingest.jsonl import read_jsonl
from pipelines.ingest.sample import sample_corpus_path


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    records = [r for r in read_jsonl(sample_corpus_path()) if isinstance(r, Article)]
    return records[:24]


@pytest.fixture(scope="module")
def expected(coder: EventCoder, articles: list[Article]) -> list[dict]:
    return [mention.as_row() for mention in coder.code_articles(articles)]


def _rows(stream) -> list[dict]:
    return [row for _, rows in stream for row in rows]


@pytest.mark.parametrize("processes", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_the_stream_codes_what_the_coder_codes_in_the_same_order(
    coder, articles, expected, processes
):
    stream = code_stream(coder, articles, processes=processes, task_articles=5)
    ids = []
    rows = []
    for article_id, mentions in stream:
        ids.append(article_id)
        rows += mentions
    assert ids == [a.id for a in articles]
    assert rows == expected
    assert len(expected) > 20  # the sample has events to code


@pytest.mark.slow
def test_cached_parses_are_coded_again_without_parsing(coder, articles, expected, tmp_path):
    cache = ParseCache(tmp_path, coder.nlp).partition("2024-08-01")
    first = StreamReport()
    assert _rows(code_stream(coder, articles, cache, processes=2, report=first)) == expected
    assert (first.parsed, first.from_cache) == (len(articles), 0)
    assert first.shards_written == len(cache.shards()) > 0

    again = StreamReport()
    assert _rows(code_stream(coder, articles, cache, processes=1, report=again)) == expected
    assert (again.parsed, again.from_cache, again.shards_written) == (0, len(articles), 0)


def test_an_edited_article_is_parsed_again_and_stale_shards_go(coder, articles, tmp_path):
    cache = ParseCache(tmp_path, coder.nlp).partition("2024-08-01")
    few = articles[:3]
    _rows(code_stream(coder, few, cache, processes=1, task_articles=1))
    assert len(cache.shards()) == 3
    edited = [*few[:2], replace(few[2], text=few[2].text + " Kenya criticised Uganda.")]
    report = StreamReport()
    rows = _rows(code_stream(coder, edited, cache, processes=1, report=report))
    assert (report.parsed, report.from_cache) == (1, 2)
    assert any(r["source_actor"] == "KEN" and r["target_actor"] == "UGA" for r in rows)
    # the shard of the old text is gone, the new one is there
    assert len(cache.shards()) == 3
    assert sum(len(read_shard(s)[0]) for s in cache.shards()) == 3


def test_the_cache_is_keyed_by_model_not_by_dictionaries(coder, tmp_path):
    key = model_key(coder.nlp)
    assert "core_web_sm" in key
    assert ParseCache(tmp_path, coder.nlp).partition("d").folder == tmp_path / key / "d"
    # the coder's version carries the dictionaries; the parse key does not
    assert coder.dictionaries.fingerprint not in key


def test_an_unreadable_shard_is_parsed_again(coder, articles, tmp_path):
    cache = ParseCache(tmp_path, coder.nlp).partition("2024-08-01")
    _rows(code_stream(coder, articles[:2], cache, processes=1))
    for shard in cache.shards():
        shard.write_bytes(b"not a shard")
    report = StreamReport()
    _rows(code_stream(coder, articles[:2], cache, processes=1, report=report))
    assert report.parsed == 2


def test_the_first_texts_parsed_fill_the_tokenizer_cache_and_no_more(coder, monkeypatch):
    # Inside a memory zone spaCy's tokenizer caches nothing, and the zone forgets the strings
    # it saw; the words of the texts tokenised outside it, to fill the cache, stay known.
    monkeypatch.setattr(stream, "_WARMED", set())
    monkeypatch.setattr(coder.nlp.tokenizer, "max_cache_size", 4)
    day = datetime(2024, 8, 1)
    first = Article(id="a", text="Qorvania troops shelled Zintrabad.", published_at=day)
    second = Article(id="b", text="Plemmoria criticised Vaskuthia.", published_at=day)
    _rows(code_stream(coder, [first, second], processes=1, task_articles=1))
    strings = coder.nlp.vocab.strings
    assert "Qorvania" in strings and "Zintrabad" in strings
    assert "Plemmoria" not in strings and "Vaskuthia" not in strings  # the cache was full


# A process that starts a pool of two coding workers, prints their pids and waits.
_POOL_HOLDER = """
import sys, time
from pipelines.coding.coder import EventCoder
from pipelines.coding.stream import WorkerPool

pool = WorkerPool(EventCoder(), processes=2).__enter__()
print(" ".join(str(w.pid) for w in pool._workers), flush=True)
time.sleep(3600)
"""


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a parent that does not reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_coding_workers_die_with_the_process_that_started_them(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", _POOL_HOLDER],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    try:
        workers = [int(pid) for pid in holder.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(pid) for pid in workers)
    finally:
        holder.kill()  # SIGKILL: no atexit, no finally, no multiprocessing clean-up
        holder.wait()
    # The kernel kills them; only how long the signal takes to land is waited for.
    for _ in range(300):
        if not any(_alive(pid) for pid in workers):
            break
        time.sleep(0.1)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


@pytest.mark.slow
def test_an_article_longer_than_spacy_takes_is_coded_in_pieces_with_its_offsets(
    coder, articles, monkeypatch
):
    # spaCy refuses a text over nlp.max_length (E088) and the whole day failed with it; the
    # limit is lowered here so that an article over it stays quick to code.
    monkeypatch.setattr(coder.nlp, "max_length", 50_000)
    text = "\n\n".join(a.text for a in articles * 5)
    assert len(text) > 60_000  # over the limit, and cut in pieces
    long = Article(id="long", text=text, published_at=articles[0].published_at)
    day = [articles[0], long, articles[1]]
    coded = dict(code_stream(coder, day, processes=2, task_articles=2))
    assert list(coded) == [articles[0].id, "long", articles[1].id]
    rows = coded["long"]
    assert len(rows) > 100
    for row in rows:
        start = row["sentence_start"]
        assert text[start : start + len(row["sentence"])] == row["sentence"]
        for span in ("source", "target", "trigger"):
            if row[f"{span}_text"] is not None:  # relative to the sentence, maybe one before
                where = slice(start + row[f"{span}_start"], start + row[f"{span}_end"])
                assert text[where] == row[f"{span}_text"]
