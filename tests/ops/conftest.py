from pathlib import Path

import pytest

FIXTURE_CORPUS = Path(__file__).parents[1] / "fixtures" / "articles.jsonl"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """Five articles of 6 and 7 August 2024 and two broken records."""
    return FIXTURE_CORPUS


@pytest.fixture(scope="session")
def coder_instance():
    from pipelines.coding.coder import EventCoder

    return EventCoder()
