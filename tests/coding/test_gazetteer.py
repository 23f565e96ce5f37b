"""The gazetteer's build from GeoNames: the spellings a city is written by, and the file."""

from __future__ import annotations

from pipelines.coding.dictionary_files import base_folder, load_dictionaries
from pipelines.coding.gazetteer import fold, spellings


def test_names_are_folded_to_plain_letters():
    assert fold("Bouaké") == "Bouake"
    assert fold("Sāmarrā’") == "Samarra"


def test_a_city_is_written_by_its_name_and_close_spellings_not_translations():
    city = {
        "name": "Al Fallūjah",
        "alternatenames": ["Fallujah", "Falluja", "Al-Falluja", "TQD", "fei lu jie", "Faluga"],
    }
    names = spellings(city)
    assert names[:3] == ["Al Fallūjah", "Al Fallujah", "Fallujah"]
    assert "Falluja" in names and "Al-Falluja" in names
    assert "TQD" not in names and "fei lu jie" not in names


def test_the_generated_gazetteer_places_iraqi_cities_with_coordinates():
    header, *rows = [
        line.split("\t")
        for line in (base_folder() / "places.tsv").read_text("utf-8").splitlines()
        if not line.startswith("#")
    ]
    assert header == [
        "name", "country", "kind", "also", "latitude", "longitude", "population", "admin1",
        "geonameid",
    ]  # fmt: skip
    by_name = {row[0]: row for row in rows}
    assert by_name["Najaf"][1] == "IRQ"
    assert -90 <= float(by_name["Najaf"][4]) <= 90
    assert "Police" not in by_name  # a common word, whatever the Polish town's size
    places = load_dictionaries().table("places.tsv")
    assert places["kirkuk"]["country"] == "IRQ"
