"""Checks on the hand-coded gold sets in tests/gold/.

The gold sets are data that `dyadflow evaluate` scores the coder against, so a malformed line, an
event code that CAMEO does not have or an actor prefix that no coder could ever produce would
silently distort every figure. These tests keep the files honest; the README beside them explains
the format and the coding choices.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from pipelines.codebook import codebook

GOLD_DIR = Path(__file__).parent / "gold"
DEV = GOLD_DIR / "dev.jsonl"
MOTIVATING = GOLD_DIR / "motivating_example.jsonl"
REALNEWS_DEV = GOLD_DIR / "realnews_dev.jsonl"
REALNEWS_TEST = GOLD_DIR / "realnews_test.jsonl"
SECOND_CODING = GOLD_DIR / "agreement" / "realnews_second_coding.jsonl"
HOUSE = [DEV, MOTIVATING]
REALNEWS = [REALNEWS_DEV, REALNEWS_TEST]

ROOT_CODES = [f"{n:02d}" for n in range(1, 21)]
ACTOR_PART = re.compile(r"[A-Z]{3}(?:[A-Z]{3})*")
ID_FORMAT = {
    DEV: re.compile(r"dev-\d{4}"),
    MOTIVATING: re.compile(r"motivating-\d{4}"),
    REALNEWS_DEV: re.compile(r"realnews-\d+"),
    REALNEWS_TEST: re.compile(r"realnews-\d+"),
}
# the real wire leads are from 2004-2005 with no day of their own: coded as of one date
REALNEWS_DATE = "2004-09-01"

MOTIVATING_EVENTS = {
    ("NER", "UKR", "161"),
    ("MLI", "UKR", "161"),
    ("MLI", "UKR", "112"),
    ("MLIREB|REB", "MLIMIL", "19"),
    ("NGACOP", "NGAOPP|NGACVL", "173"),
    ("USA", "NER", "087"),
}


def load(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name}:{number} is blank"
        row = json.loads(line)
        assert isinstance(row, dict), f"{path.name}:{number} is not a JSON object"
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def dev() -> list[dict]:
    return load(DEV)


@pytest.fixture(scope="module")
def motivating() -> list[dict]:
    return load(MOTIVATING)


def entries(row: dict):
    yield from (("events", e) for e in row["events"])
    yield from (("optional", e) for e in row["optional"])


def onesided(row: dict):
    yield from row.get("onesided", [])


def actor_problem(prefix: str) -> str | None:
    """Why an actor prefix could never match a coder's actor code, or None when it is well formed.

    A prefix is "*" or "|"-separated alternatives; each alternative is a country, region or
    dependency code followed by roles (NGACOP), an IGO code (IGOUNO, IGOWAFWAS: the organisation
    letters after IGO are open), or roles alone (REB, NGOHRIAMN).
    """
    if prefix == "*":
        return None
    book = codebook()
    for alt in prefix.split("|"):
        if not ACTOR_PART.fullmatch(alt):
            return f"{alt!r} is not a run of three-letter parts"
        if alt.startswith("IGO"):
            continue
        rest = alt
        for size in (6, 3):  # dependencies such as USAPRI are six letters
            if rest[:size] in book.countries:
                rest = rest[size:]
                break
        parts = [rest[i : i + 3] for i in range(0, len(rest), 3)]
        unknown = [p for p in parts if p not in book.roles]
        if unknown:
            return f"{alt!r}: {unknown} are neither country codes nor roles"
    return None


@pytest.mark.parametrize("path", HOUSE, ids=lambda p: p.name)
def test_every_line_has_the_gold_format(path: Path):
    for row in load(path):
        assert {"id", "text", "date", "events", "optional"} <= set(row), row.get("id")
        assert set(row) <= {"id", "text", "date", "events", "optional", "onesided"}, row["id"]
        assert ID_FORMAT[path].fullmatch(row["id"]), row["id"]
        assert isinstance(row["text"], str) and row["text"].strip() == row["text"] != ""
        published = date.fromisoformat(row["date"])
        assert date(2015, 1, 1) <= published <= date(2026, 12, 31), row["id"]
        for kind, entry in entries(row):
            assert set(entry) == {"source", "target", "code"}, (row["id"], kind, entry)
            assert all(isinstance(v, str) and v for v in entry.values()), (row["id"], entry)


@pytest.mark.parametrize("path", REALNEWS, ids=lambda p: p.name)
def test_every_realnews_line_has_the_gold_format(path: Path):
    required = {"id", "source_id", "title", "text", "date", "events", "optional", "onesided"}
    for row in load(path):
        assert required <= set(row) <= required | {"notes"}, row.get("id")
        assert ID_FORMAT[path].fullmatch(row["id"]), row["id"]
        assert row["source_id"].removeprefix("agdev-") == row["id"].removeprefix("realnews-")
        assert isinstance(row["text"], str) and row["text"].strip() != ""
        assert row["date"] == REALNEWS_DATE, row["id"]
        for kind, entry in entries(row):
            assert set(entry) == {"source", "target", "code"}, (row["id"], kind, entry)
            assert all(isinstance(v, str) and v for v in entry.values()), (row["id"], entry)
        for entry in onesided(row):
            # one side unnamed (""), the other coded: kept for counting, never scored as dyadic
            assert set(entry) == {"source", "target", "code"}, (row["id"], entry)
            assert [entry["source"], entry["target"]].count("") == 1, (row["id"], entry)
            assert entry["code"] in codebook(), (row["id"], entry)
            named = entry["source"] or entry["target"]
            assert actor_problem(named) is None, (row["id"], entry)


def test_realnews_splits_are_disjoint_and_the_test_split_is_a_fifth():
    dev, test = load(REALNEWS_DEV), load(REALNEWS_TEST)
    assert not {r["id"] for r in dev} & {r["id"] for r in test}
    assert len(dev) + len(test) >= 600
    assert round((len(dev) + len(test)) / 5) == len(test)


def test_second_coding_covers_items_of_the_realnews_gold():
    coded = {r["id"]: r["text"] for path in REALNEWS for r in load(path)}
    second = load(SECOND_CODING)
    assert len(second) >= 100
    assert all(coded.get(r["id"]) == r["text"] for r in second)


@pytest.mark.parametrize("path", HOUSE + REALNEWS, ids=lambda p: p.name)
def test_ids_and_texts_are_unique(path: Path):
    rows = load(path)
    ids = Counter(r["id"] for r in rows)
    texts = Counter(r["text"] for r in rows)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [t for t, n in texts.items() if n > 1] == []


def test_ids_do_not_collide_across_files(dev, motivating):
    assert not {r["id"] for r in dev} & {r["id"] for r in motivating}


@pytest.mark.parametrize("path", HOUSE + REALNEWS, ids=lambda p: p.name)
def test_every_code_is_a_cameo_code(path: Path):
    book = codebook()
    bad = [
        (row["id"], entry["code"])
        for row in load(path)
        for _, entry in entries(row)
        if entry["code"] not in book
    ]
    assert bad == []


@pytest.mark.parametrize("path", HOUSE + REALNEWS, ids=lambda p: p.name)
def test_every_actor_prefix_is_well_formed(path: Path):
    bad = [
        (row["id"], side, entry[side], problem)
        for row in load(path)
        for _, entry in entries(row)
        for side in ("source", "target")
        if (problem := actor_problem(entry[side]))
    ]
    assert bad == []


@pytest.mark.parametrize("path", HOUSE + REALNEWS, ids=lambda p: p.name)
def test_entries_are_distinct_dyads(path: Path):
    for row in load(path):
        keys = [(e["source"], e["target"], e["code"]) for _, e in entries(row)]
        assert len(keys) == len(set(keys)), f"{row['id']} lists an entry twice"
        for source, target, _ in keys:
            if "*" not in (source, target):
                assert source != target, f"{row['id']}: {source} acts on itself"


def test_actor_check_rejects_malformed_prefixes():
    assert actor_problem("NGACOP|NGAOPP") is None
    assert actor_problem("IGOWAFWAS") is None
    assert actor_problem("REB") is None
    assert actor_problem("ngacop") is not None
    assert actor_problem("NGAXYZ") is not None
    assert actor_problem("NG") is not None
    assert actor_problem("NGA|") is not None


def test_dev_set_is_large_enough(dev):
    assert len(dev) >= 300


def test_dev_set_covers_every_root_code(dev):
    positives = Counter(root for row in dev for root in {e["code"][:2] for e in row["events"]})
    thin = {root: positives[root] for root in ROOT_CODES if positives[root] < 8}
    assert thin == {}


def test_dev_set_has_sentences_without_events(dev):
    empty = [row for row in dev if not row["events"]]
    assert len(empty) >= 60


def test_dev_set_spans_many_countries(dev):
    countries = codebook().countries
    seen = {
        alt[:3]
        for row in dev
        for _, entry in entries(row)
        for side in ("source", "target")
        for alt in entry[side].split("|")
        if countries.get(alt[:3], {}).get("kind") == "state"
    }
    assert len(seen) >= 60


def test_motivating_example_codes_exactly_the_six_events(motivating):
    assert len(motivating) == 1
    row = motivating[0]
    assert row["date"] == "2024-08-07"
    assert {(e["source"], e["target"], e["code"]) for e in row["events"]} == MOTIVATING_EVENTS
    assert len(row["events"]) == len(MOTIVATING_EVENTS)
    sentences = re.findall(r"[^.!?]+[.!?]", row["text"])
    assert 6 <= len(sentences) <= 9
