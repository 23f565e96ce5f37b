import pytest

from pipelines.codebook import UnknownCode, codebook


def test_codebook_has_every_cameo_code_with_weights_and_classes():
    book = codebook()
    assert len(book.events) == 316
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
    assert len(frame) == 316 and frame["event_code"].is_unique
    assert set(frame["level"]) == {1, 2, 3}
