"""The bundled sample corpus: enough good articles, days and countries for the demo, the
motivating story present, and every deliberately broken record quarantined for its reason."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import cache

import pycountry
import pytest

from pipelines.datamodel.records import Article, Quarantined
from pipelines.ingest.jsonl import read_jsonl
from pipelines.ingest.sample import sample_corpus_path

FIRST_DAY, LAST_DAY = date(2024, 8, 1), date(2024, 8, 21)

# The short names news copy uses where ISO 3166 has a formal one. Bare "Congo" in news copy
# almost always means the Democratic Republic, so it is counted as that one.
COMMON_NAMES = {
    "United States": "USA",
    "U.S.": "USA",
    "America": "USA",
    "Britain": "GBR",
    "Great Britain": "GBR",
    "U.K.": "GBR",
    "UK": "GBR",
    "Russia": "RUS",
    "Iran": "IRN",
    "Syria": "SYR",
    "South Korea": "KOR",
    "North Korea": "PRK",
    "Congo": "COD",
    "Democratic Republic of Congo": "COD",
    "Ivory Coast": "CIV",
    "Turkey": "TUR",
    "Vietnam": "VNM",
    "Tanzania": "TZA",
    "Venezuela": "VEN",
    "Bolivia": "BOL",
    "Laos": "LAO",
    "Moldova": "MDA",
    "Czech Republic": "CZE",
    "Cape Verde": "CPV",
    "East Timor": "TLS",
    "Palestine": "PSE",
    "Brunei": "BRN",
    "Swaziland": "SWZ",
    "Burma": "MMR",
}

# ISO 3166-1 also lists dependencies and disputed territories; only states are counted here.
NOT_STATES = {
    "ASM", "AIA", "ABW", "BMU", "BVT", "IOT", "CYM", "CXR", "CCK", "COK", "CUW", "FLK", "FRO",
    "GUF", "PYF", "ATF", "GIB", "GRL", "GLP", "GUM", "GGY", "HMD", "HKG", "IMN", "JEY", "MAC",
    "MTQ", "MYT", "MSR", "NCL", "NIU", "NFK", "MNP", "PCN", "PRI", "REU", "BLM", "SHN", "MAF",
    "SPM", "SXM", "SGS", "SJM", "TWN", "TKL", "TCA", "UMI", "VGB", "VIR", "WLF", "ESH", "ALA",
    "BES", "ATA",
}  # fmt: skip


@cache
def _country_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        if country.alpha_3 in NOT_STATES:
            continue
        for attr in ("name", "common_name", "official_name"):
            if name := getattr(country, attr, None):
                names[name] = country.alpha_3
    names.update(COMMON_NAMES)
    # Longest names first, so "South Sudan" is not also read as "Sudan"; the lookarounds keep
    # "Niger" from matching inside "Nigeria".
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), names


def countries_named(text: str) -> set[str]:
    """ISO alpha-3 codes of the states a text names (names only, not demonyms)."""
    pattern, names = _country_pattern()
    return {names[match.group(0)] for match in pattern.finditer(text)}


@pytest.fixture(scope="module")
def records() -> list[Article | Quarantined]:
    return list(read_jsonl(sample_corpus_path()))


@pytest.fixture(scope="module")
def articles(records) -> list[Article]:
    return [r for r in records if isinstance(r, Article)]


@pytest.fixture(scope="module")
def quarantined(records) -> list[Quarantined]:
    return [r for r in records if isinstance(r, Quarantined)]


def test_the_corpus_ships_inside_the_package():
    path = sample_corpus_path()
    assert path.is_file()
    assert path.parent.parent.parent.name == "pipelines"


def test_it_has_at_least_150_good_articles(articles):
    assert len(articles) >= 150


def test_good_article_ids_are_unique(articles):
    counts = Counter(a.id for a in articles)
    assert [i for i, n in counts.items() if n > 1] == []


def test_it_spans_three_weeks_with_at_least_four_articles_a_day(articles):
    per_day = Counter(a.published_date for a in articles)
    assert len(per_day) >= 14
    assert min(per_day) == FIRST_DAY and max(per_day) == LAST_DAY
    assert {d: n for d, n in per_day.items() if n < 4} == {}


def test_every_good_article_has_outlet_url_and_title(articles):
    incomplete = [a.id for a in articles if not (a.outlet and a.url.startswith("https://"))]
    assert incomplete == []
    assert all(a.title for a in articles)


# Each deliberately broken record, by a phrase of the reason the reader gives for it.
EXPECTED_REASONS = Counter(
    {
        "invalid JSON": 1,
        "expected a JSON object, got list": 1,
        "missing or empty: text": 2,  # one with no text field, one with text ""
        "is not an ISO 8601 date": 1,
        "duplicate id": 1,
        "invalid UTF-8": 1,
        "text is empty after normalisation": 1,
    }
)


def test_each_broken_record_is_quarantined_with_its_reason(quarantined):
    assert len(quarantined) == sum(EXPECTED_REASONS.values())
    found = Counter()
    for record in quarantined:
        matches = [phrase for phrase in EXPECTED_REASONS if phrase in record.reason]
        assert len(matches) == 1, f"{record}: unexpected reason"
        found[matches[0]] += 1
        assert record.source_file == str(sample_corpus_path())
    assert found == EXPECTED_REASONS


def test_the_readme_lists_exactly_the_broken_lines(quarantined):
    readme = sample_corpus_path().with_name("README.md").read_text(encoding="utf-8")
    section = readme.split("## Broken records", 1)[1].split("\n## ", 1)[0]
    listed = {int(n) for n in re.findall(r"^\| (\d+) \|", section, flags=re.MULTILINE)}
    assert listed == {int(q.location.removeprefix("line ")) for q in quarantined}


def test_it_names_at_least_40_countries(articles):
    named = set().union(*(countries_named(a.text) for a in articles))
    assert len(named) >= 40, sorted(named)
    continents = {
        "Africa": {"MLI", "NER", "NGA", "SDN", "SOM", "KEN"},
        "Asia": {"BGD", "IND", "CHN", "JPN", "PHL", "MMR"},
        "Europe": {"UKR", "GBR", "FRA", "DEU", "POL", "SRB"},
        "Americas": {"USA", "VEN", "BRA", "MEX", "COL", "ARG"},
        "Oceania": {"AUS"},
    }
    assert {c: codes - named for c, codes in continents.items() if codes - named} == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nigeria and Niger", {"NGA", "NER"}),
        ("South Sudan, not Sudan", {"SSD", "SDN"}),
        ("talks in Papua New Guinea", {"PNG"}),
        ("U.S.-made rockets hit Russia", {"USA", "RUS"}),
        ("the Dominican Republic", {"DOM"}),
        ("Nigerian police and Russian flags", set()),
        ("storm over Bermuda", set()),
    ],
)
def test_country_counting_reads_names_not_fragments(text, expected):
    assert countries_named(text) == expected


@pytest.mark.parametrize(
    ("days", "words"),
    [
        ((4, 5), ("Mali", "Ukraine", "Yusov", "Tinzaouaten", "Wagner")),
        ((6, 7), ("Niger", "Ukraine", "solidarity", "Mali")),
        ((5, 6), ("Air Base 201", "Agadez", "Niger")),
        ((5, 8), ("Russian flags", "arrested", "Kano")),
        ((20, 21), ("Mali, Burkina Faso and Niger", "Security Council", "Ukraine")),
    ],
)
def test_the_motivating_story_is_told(articles, days, words):
    first, last = (date(2024, 8, d) for d in days)
    telling = [
        a.id
        for a in articles
        if first <= a.published_date <= last and all(w in a.text for w in words)
    ]
    assert telling, f"no article from August {days} mentions all of {words}"
