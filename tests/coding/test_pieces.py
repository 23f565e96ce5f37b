"""Long texts cut for the parser: pieces that join back into the text, cut at breaks."""

from hypothesis import given
from hypothesis import strategies as st

from pipelines.coding.pieces import pieces_of


def test_a_text_up_to_the_whole_size_is_one_piece():
    text = "word " * 4_000
    assert list(pieces_of(text, limit=100, whole=len(text))) == [text]


def test_pieces_end_after_paragraph_breaks_when_there_are_any():
    paragraph = "The minister met the envoy. They talked.\n\n"
    pieces = list(pieces_of(paragraph * 10, limit=100, whole=50))
    assert all(piece.endswith("\n\n") for piece in pieces[:-1])
    assert "".join(pieces) == paragraph * 10


def test_a_text_on_one_line_is_cut_after_its_sentences():
    text = "The minister met the envoy in Paris. " * 20
    pieces = list(pieces_of(text, limit=100, whole=50))
    assert all(piece.endswith("Paris. ") for piece in pieces[:-1])
    assert "".join(pieces) == text


def test_a_run_without_spaces_is_cut_at_the_limit():
    assert list(pieces_of("x" * 250, limit=100, whole=50)) == ["x" * 100, "x" * 100, "x" * 50]


@given(st.text(alphabet="ab .\n", max_size=600), st.integers(4, 80))
def test_pieces_join_back_into_the_text_and_keep_to_the_limit(text, limit):
    pieces = list(pieces_of(text, limit=limit, whole=limit))
    assert "".join(pieces) == text
    assert all(0 < len(piece) <= limit for piece in pieces) or pieces == [""]
