"""Coding a sentence with the session's coder (tests/conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.coding.coder import EventCoder

PUBLISHED = date(2024, 8, 7)  # a Wednesday


@pytest.fixture(scope="session")
def code(coder: EventCoder):
    """Code a text published on PUBLISHED; returns (source, target, code) triples."""

    def run(text: str, published: date = PUBLISHED) -> set[tuple[str, str | None, str]]:
        return {
            (m.source_actor, m.target_actor, m.event_code) for m in coder.code_text(text, published)
        }

    return run
