from pathlib import Path

import pytest

FIXTURE_CORPUS = Path(__file__).parents[1] / "fixtures" / "articles.jsonl"


@pytest.fixture(scope="session")
def corpus() -> Path:
    return FIXTURE_CORPUS
