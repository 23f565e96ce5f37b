import pytest

from pipelines.coding.dictionary_files import ENV_VAR


@pytest.fixture
def niger_miscoded(tmp_path, monkeypatch):
    """A user dictionary that codes Niger as NIGR, not a CAMEO code: the mention suite blocks
    a day that names Niger, and only that day."""
    faulty = tmp_path / "faulty"
    faulty.mkdir()
    (faulty / "countries.tsv").write_text(
        "code\tname\talso\tadjectives\tcapitals\nNER\t-\nNIGR\tNiger\t\tNigerien\tNiamey\n"
    )
    monkeypatch.setenv(ENV_VAR, str(faulty))
    return faulty
