import pytest


@pytest.fixture(scope="session")
def coder_instance():
    from pipelines.coding.coder import EventCoder

    return EventCoder()
