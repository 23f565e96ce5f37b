import pytest

from pipelines.codebook import (
    UnknownCode,
    codebook,
    is_force,
    is_hostile,
    is_material,
    is_prospective,
    is_violent,
    quad_class_of,
)


def test_codebook_has_every_cameo_code_with_weights_and_classes():
    book = codebook()
    assert len(book.events) == 318
    assert {code[:2] for code in book.events} == {f"{n:02d}" for n in range(1, 21)}
    cut_ties = book.event("161")
    assert (cut_ties.goldstein, cut_ties.quad_class, cut_ties.root_code) == (-4.0, 4, "16")
    assert all(-10 <= e.goldstein <= 10 for e in book.events.values())
    # GDELT's rule: roots 01-05 verbal cooperation ... 15-20 material conflict.
    expected = {1: range(1, 6), 2: range(6, 10), 3: range(10, 15), 4: range(15, 21)}
    for event in book.events.values():
        assert int(event.root_code) in expected[event.quad_class], event


def test_plover_type_comes_from_the_longest_mapped_prefix():
    book = codebook()
    assert book.event("0874").plover_type == "RETREAT"
    assert book.event("080").plover_type == "CONCEDE"
    assert book.event("193").plover_type == "ASSAULT"
    assert book.event("010").plover_type == ""  # PLOVER drops CAMEO 01


def test_unknown_codes_raise_a_clear_error():
    with pytest.raises(UnknownCode, match="'999' is not a CAMEO event code"):
        codebook().event("999")


def test_codebook_frame_matches_the_codes():
    frame = codebook().events_frame()
    assert len(frame) == 318 and frame["event_code"].is_unique
    assert set(frame["level"]) == {1, 2, 3}


def test_names_are_the_manuals_not_the_gdelt_lookups():
    # GDELT's lookup shifts the names of 101-108 and lacks 1213 and 1214 (CAMEO manual 1.1b3)
    book = codebook()
    assert book.event("106").name == "Demand meeting, negotiation"
    assert book.event("107").name == "Demand settling of dispute"
    assert book.event("108").name == "Demand mediation"
    assert book.event("1056").name == "Demand de-escalation of military engagement"
    assert book.event("1213").name == "Reject judicial cooperation"
    assert book.event("1214").quad_class == 3


def test_cameo_predicates_follow_the_roots():
    assert [quad_class_of(c) for c in ("051", "073", "112", "193")] == [1, 2, 3, 4]
    assert is_hostile("090") and not is_hostile("087")
    assert is_material("0871") and is_material("154") and not is_material("111")
    assert is_force("173") and not is_force("166")
    assert is_violent("1831") and not is_violent("173")
    assert is_prospective("1312") and is_prospective("0253") and not is_prospective("112")
