"""Dictionaries: package data merged with the user's folders, which add, replace or remove."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.coding.coder import EventCoder
from pipelines.coding.dictionary_files import ENV_VAR, DictionaryError, load_dictionaries


def test_package_dictionaries_cover_every_file_and_country():
    loaded = load_dictionaries()
    assert loaded.table("countries.tsv")["ner"]["adjectives"].startswith("Nigerien")
    assert len(loaded.table("countries.tsv")) > 190
    codes = {
        row["code"]
        for name in ("verbs.tsv", "nouns.tsv", "frame_codes.tsv")
        for row in loaded.table(name).values()
    }
    assert {code[:2] for code in codes} >= {f"{root:02d}" for root in range(1, 21)}
    assert len(loaded.fingerprint) == 12


def test_a_users_folder_adds_replaces_and_removes_entries(tmp_path: Path, monkeypatch):
    (tmp_path / "people.tsv").write_text(
        "name\tcountry\tterms\talso\nAda Example\tNER\tNERGOV 2025-01-01/\tExample\n"
    )
    (tmp_path / "verbs.tsv").write_text(
        "pattern\tcode\toptions\n"
        "cut tie|relation|link @with|between\t160\n"  # replaces the package's 161
        "praise\t-\n"  # removes
    )
    package_only = load_dictionaries()
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    loaded = load_dictionaries()
    assert loaded.table("verbs.tsv")["cut tie|relation|link @with|between"]["code"] == "160"
    assert "praise" not in loaded.table("verbs.tsv")
    assert "praise" in package_only.table("verbs.tsv")
    assert loaded.table("people.tsv")["ada example"]["country"] == "NER"
    assert loaded.fingerprint != package_only.fingerprint


@pytest.mark.slow
def test_extra_dictionaries_change_what_the_coder_codes_and_its_version(tmp_path: Path, coder):
    extra = tmp_path / "people.tsv"
    extra.write_text("name\tcountry\tterms\talso\nAda Example\tNER\tNERGOV 2025-01-01/\t\n")
    plain = coder
    extended = EventCoder(extra_dictionaries=[extra])
    text = "Ada Example condemned Ukraine."
    assert plain.code_text(text, date(2026, 1, 5)) == []
    assert [
        (m.source_actor, m.target_actor, m.event_code)
        for m in extended.code_text(text, date(2026, 1, 5))
    ] == [("NERGOV", "UKR", "111")]
    assert plain.version != extended.version


def test_bad_files_are_named(tmp_path: Path):
    (tmp_path / "verbs.tsv").write_text("code\tpattern\n161\tcut tie\n")
    with pytest.raises(DictionaryError, match=r"verbs\.tsv, line 1"):
        load_dictionaries([tmp_path])
    with pytest.raises(DictionaryError, match="no such dictionary"):
        load_dictionaries([tmp_path / "missing"])
    odd = tmp_path / "odd.tsv"
    odd.write_text("a\tb\n")
    with pytest.raises(DictionaryError, match="unknown dictionary file"):
        load_dictionaries([odd])


def test_a_missing_folder_named_in_the_variable_says_so(tmp_path: Path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "gone"))
    with pytest.raises(DictionaryError, match=rf"gone: no such .* \(named in \${ENV_VAR}\)"):
        load_dictionaries()
    monkeypatch.delenv(ENV_VAR)
    with pytest.raises(DictionaryError, match=r"gone: no such dictionary folder or file$"):
        load_dictionaries([tmp_path / "gone"])  # given directly: no variable to name


def test_the_fingerprint_read_from_the_bytes_is_the_loaded_dictionaries_one(tmp_path):
    from pipelines.coding.dictionary_files import dictionaries_fingerprint

    assert dictionaries_fingerprint() == load_dictionaries().fingerprint
    (tmp_path / "verbs.tsv").write_text("pattern\tcode\toptions\nsnub\t161\n")
    extra = [tmp_path]
    assert dictionaries_fingerprint(extra) == load_dictionaries(extra).fingerprint
    assert dictionaries_fingerprint(extra) != dictionaries_fingerprint()
