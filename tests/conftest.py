"""Fixtures every test folder shares: the fixture corpus and one real coder per session (loading
the spaCy model and the dictionaries is the dearest set-up in the suite)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pipelines.coding.coder import EventCoder

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "articles.jsonl"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """Five articles of 6 and 7 August 2024 and two broken records."""
    return FIXTURE_CORPUS


@pytest.fixture(scope="session")
def coder() -> EventCoder:
    """The coder with the packaged model and dictionaries; a test that changes it puts it back."""
    # Imported here: a run of tests that never code should not pay for importing spaCy.
    from pipelines.coding.coder import EventCoder

    return EventCoder()
