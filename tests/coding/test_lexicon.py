"""Lexicon patterns and how frames code the acts they embed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.coding.dictionary_files import load_dictionaries
from pipelines.coding.lexicon import Lexicon, LexiconError, parse_pattern


def test_pattern_syntax():
    pattern = parse_pattern("crack down @on|against", "175")
    assert (pattern.head, pattern.particles, pattern.target_preps) == (
        "crack",
        ("down",),
        frozenset({"on", "against"}),
    )
    light = parse_pattern("cut tie|relation @with", "161", "reciprocal, converse=043")
    assert light.objects == frozenset({"tie", "relation"})
    assert (light.options.reciprocal, light.options.converse) == (True, "043")
    assert not light.options.mutual
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
    assert lexicon.framed_code("demand", "0871") == "1056"  # the manual: de-escalation
    assert lexicon.framed_code("refuse", None) == "120"
    assert lexicon.framed_code("no-such-frame", "190") is None


def test_every_code_in_the_lexicon_is_a_cameo_code():
    from pipelines.codebook import codebook

    loaded = load_dictionaries()
    known = codebook()
    for name in ("verbs.tsv", "nouns.tsv", "frame_codes.tsv"):
        for key, row in loaded.table(name).items():
            assert row["code"] in known, f"{name}: {key} -> {row['code']}"


@pytest.mark.parametrize(
    ("file", "row", "message"),
    [
        ("verbs.tsv", "cut tie @with\t161\treciprocl", r"line 3: unknown option 'reciprocl'"),
        ("verbs.tsv", "cut tie @with\t1616", r"line 3: 'cut tie @with': '1616' is not a CAMEO"),
        ("verbs.tsv", "visit\t042\tconverse=0433", r"line 3: converse=0433: not a CAMEO"),
        ("nouns.tsv", "raid\t171\tstate=POLICE", r"line 3: state=POLICE: not a role"),
        ("nouns.tsv", "strike\t143\timplied=GOVT", r"line 3: implied=GOVT: expected one of"),
        ("frames.tsv", "urge\tapeal\tcode=020", r"line 3: frame kind \['apeal'\]"),
        ("frames.tsv", "urge\tappeal\tcod=020", r"line 3: unknown frame option 'cod'"),
        ("frame_codes.tsv", "threat:163\t13120", r"line 3: '13120' is not a CAMEO"),
    ],
)
def test_a_bad_lexicon_entry_is_an_error_naming_its_file_and_line(
    tmp_path: Path, file: str, row: str, message: str
):
    header = {
        "verbs.tsv": "pattern\tcode\toptions",
        "nouns.tsv": "pattern\tcode\toptions",
        "frames.tsv": "lemma\tframe\toptions",
        "frame_codes.tsv": "key\tcode",
    }[file]
    (tmp_path / file).write_text(f"# a user's additions\n{header}\n{row}\n")
    with pytest.raises(LexiconError, match=rf"{file}, {message}"):
        Lexicon(load_dictionaries([tmp_path]))
