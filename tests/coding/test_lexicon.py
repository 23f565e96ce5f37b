"""Lexicon patterns and how frames code the acts they embed."""

from __future__ import annotations

from pipelines.coding.dictionaries import load_dictionaries
from pipelines.coding.lexicon import Lexicon, parse_pattern


def test_pattern_syntax():
    pattern = parse_pattern("crack down @on|against", "175")
    assert (pattern.head, pattern.particles, pattern.target_preps) == (
        "crack",
        ("down",),
        frozenset({"on", "against"}),
    )
    light = parse_pattern("cut tie|relation @with", "161", "reciprocal, converse=043")
    assert light.objects == frozenset({"tie", "relation"})
    assert light.options == frozenset({"reciprocal", "converse=043"})
    assert parse_pattern("pull out =of", "164").required_preps == frozenset({"of"})


def test_more_specific_patterns_come_first():
    lexicon = Lexicon(load_dictionaries())
    codes = [p.code for p in lexicon.verbs["cut"]]
    assert codes[0] in ("161", "162")  # "cut ties"/"cut aid" before any plain "cut"
    assert all(
        a.specificity >= b.specificity
        for a, b in zip(lexicon.verbs["send"], lexicon.verbs["send"][1:], strict=False)
    )


def test_frames_code_the_embedded_act_by_its_longest_listed_prefix():
    lexicon = Lexicon(load_dictionaries())
    assert lexicon.framed_code("threat", "163") == "1312"
    assert lexicon.framed_code("threat", "1831") == "1383"
    assert lexicon.framed_code("appeal", "0841") == "0253"
    assert lexicon.framed_code("intent", "073") == "0333"
    assert lexicon.framed_code("demand", "0871") == "107"
    assert lexicon.framed_code("refuse", None) == "120"
    assert lexicon.framed_code("no-such-frame", "190") is None


def test_every_code_in_the_lexicon_is_a_cameo_code():
    from pipelines.codebook import codebook

    loaded = load_dictionaries()
    known = codebook()
    for name in ("verbs.tsv", "nouns.tsv", "frame_codes.tsv"):
        for key, row in loaded.table(name).items():
            assert row["code"] in known, f"{name}: {key} -> {row['code']}"
