"""The sources file is checked against its schema: one line naming the key, before any work."""

import pytest

from pipelines.ingest.config import SourcesFileError, parse


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ({"files": 42}, "files"),
        ({"feeds": 42}, "feeds"),
        ({"files": "good.jsonl"}, "files"),
        ({"files": [42]}, "files"),
        ({"feeds": [{"url": "https://x.example/f.rss", "fetch_pages": "no"}]}, "fetch_pages"),
        ({"feeds": [{"url": "ftp://x.example/f.rss"}]}, "url"),
        ({"fetch_pages": "no"}, "fetch_pages"),
        ({"fetch": {"timeout_seconds": -1}}, "fetch.timeout_seconds"),
        ({"fetch": {"max_bytes": -5}}, "fetch.max_bytes"),
        ({"fetch": {"min_interval_seconds": "soon"}}, "fetch.min_interval_seconds"),
        ({"fetch": {"retries": 3}}, "fetch.retries"),
        ({"languages": "en"}, "languages"),
        ({"near_duplicate_threshold": 2.0}, "near_duplicate_threshold"),
        ({"near_duplicate_threshold": "high"}, "near_duplicate_threshold"),
        ({"near_duplicate_threshold": 0}, "near_duplicate_threshold"),
        ({"max_record_bytes": -1}, "max_record_bytes"),
        ({"max_record_bytes": 10**40}, "max_record_bytes"),
        ({"inbox": 42}, "inbox"),
        ({"inbx": "x"}, "inbx"),
        ([1, 2], "mapping"),
    ],
)
def test_a_bad_setting_is_named_in_one_line(tmp_path, raw, names):
    with pytest.raises(SourcesFileError) as caught:
        parse(raw, tmp_path, tmp_path, name="sources.yaml")
    message = str(caught.value)
    assert message.startswith("sources.yaml: ") and names in message, message
    assert "\n" not in message


def test_good_settings_are_read(tmp_path):
    config = parse(
        {
            "files": ["a.jsonl", "more/"],
            "feeds": ["https://x.example/f.rss", {"path": "saved.rss", "fetch_pages": True}],
            "fetch_pages": False,
            "fetch": {"timeout_seconds": 5, "max_bytes": 1024},
            "languages": ["en", "fr"],
            "near_duplicate_threshold": 0.8,
            "max_record_bytes": 4096,
        },
        tmp_path,
        tmp_path,
    )
    assert config.files == (tmp_path / "a.jsonl", tmp_path / "more")
    assert [f.fetch_pages for f in config.feeds] == [False, True]
    assert config.feeds[1].location == str(tmp_path / "saved.rss")
    assert (config.fetch.timeout_seconds, config.fetch.max_bytes) == (5, 1024)
    assert config.languages == ("en", "fr")
    assert (config.near_duplicate_threshold, config.max_record_bytes) == (0.8, 4096)
    assert config.fetch_pages is False
