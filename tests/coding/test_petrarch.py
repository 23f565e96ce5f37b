"""The PETRARCH-2 / Phoenix converter (pipelines.coding.petrarch): each output file and each
mapping rule on small inline sources, and the generated base layer loading into the coder's
dictionaries and lexicon."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.coding.dictionary_files import base_folder, load_dictionaries
from pipelines.coding.lexicon import Lexicon
from pipelines.coding.petrarch import files
from pipelines.coding.petrarch.actor_files import legislature_code
from pipelines.coding.petrarch.command import main
from pipelines.coding.petrarch.conversion import convert
from pipelines.coding.petrarch.dates import BadDate, parse_day, parse_span
from pipelines.coding.petrarch.output_files import COMMAND, write
from pipelines.coding.petrarch.review import read_review
from pipelines.coding.petrarch.tallies import Conversion, Prefixed, Tally

VERBS = """\
# header comment
####### SYNONYM SETS #######

&WEAPON
+GUN
+MISSILE
+ROCKET_LAUNCHER

####### VERB PATTERNS #######

---  RUSH   [---]  ---
RUSH
SPEED {SPEEDING SPEEDS SPED }
+CARRY_OUT
- * (TO)                                              [042:043]     # RUSH
- * AID                                               [070]         # RUSH
- * AID                                               [073]         # RUSH
- * {ARMS SHIPMENT}                                   [072]         # RUSH
- * &WEAPON                                           [194]         # RUSH
- * RELIEF (TO)                                       [0739]        # RUSH
- * RALLIES                                           [141]         # RUSH
- * OUT VIEWS                                         [010]         # RUSH
- * POLICE (TO BORDER)                                [153]         # RUSH
- &MILITARY *                                         [154]         # RUSH
- * HELP                                              [---]         # RUSH
- * OFF (FROM ^)                                      [042]         # RUSH
- * DEADLINE                                          [:173]        # RUSH
- * CASH                                              [0999]        # RUSH

---  ASK   [---]  ---
+ASK_FOR {+ASKED_FOR +ASKING_FOR +ASKS_FOR} [020]
GRILL [110]
+TAKE_LEAVE
- * (AGAINST +)                                       [113]         # GRILL

---  EXPLAIN_VERBAL   [010]  ---
SAY  {SAYS SAID SAYING}

######## TRANSFORMATIONS ##########
~ a (a b ATTACK) SAY = a b 015
"""

COUNTRIES = """\
# CountryInfo header
ISRAEL_  [ISR]
+JERUSALEM_
+HAIFA_

ARIEL_SHARON_  # CountryInfo.txt
+PRIME_MINISTER_SHARON_
+ARIK_SHARON_
	[ISRELI 280101-010307]
	[ISRGOV 010307-060414]
	[ISRELI]
GEORGE_W._BUSH_
+PRESIDENT_BUSH_
	[USAGOV 010120-090120]
MOSHE_EXAMPLE_
	[ISRGOV >130201]
	[ISRMIL]
DAVID_EXAMPLE_
	[ISRGOV <991231]
	[ISRGOV 20121207-20120802]
	[KNTGOV 050101-060101]
SOCCER_PLAYER_
	[---]
# National institutions
UNITED_STATES_CONGRESS_
+US_CONGRESS_
	[USAGOVLEG]
ACME_MOTORS_
	[MNCUSA]
HORIZON_KEEPER_
	[ISRGOV 140101-150217]
"""

INTERNATIONAL = """\
######   The United Nations  #######
EXAMPLE_RELIEF_AGENCY_	[IGOUNOREF]
+ERA_WORKERS_
KOFI_EXAMPLE_	[IGOUNO 970101-061231] [ELI]
REUTERS
	[MED]
"""

NONSTATE = """\
EXAMPLE_LIBERATION_FRONT_(ELF)_ [MEAREB] #  kkl 21 Mar 13
+ELF_FIGHTERS_
+ELF_FIGHTERS_

BAD_PREFIX_BRIGADE_ [KKLREB]

SHEIKH_EXAMPLE_
+SHEIKH_AHMED_EXAMPLE
	[PSEREBHMS 19870101-20040322]
"""

AGENTS = """\
# agents header
!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON
!MINIST! = MINISTER, MINISTERS, MINISTRY, MINISTRIES

POLICE {} [~COP]
CATTLE!PERSON! [~AGR]
!MINIST! FOR_AGRICULTURE [~GOVAGR]
PARTY_BOSS [~GOVPTY]
THIEF {THIEVES} [~CRM]
MULLAH [~MUS]
AMBASSADOR_TO {} [~GOV]
TRUCE_MONITOR [IGO~]
"""


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("petrarch")
    for name, text in (
        (files.VERBS_FILE, VERBS),
        (files.COUNTRIES_FILE, COUNTRIES),
        (files.INTERNATIONAL_FILE, INTERNATIONAL),
        (files.NONSTATE_FILE, NONSTATE),
        (files.AGENTS_FILE, AGENTS),
        (files.LICENCE_FILE, "The MIT License (MIT)\n\nCopyright (c) 2014 Open Event Data\n"),
    ):
        (folder / name).write_text(text, "utf-8")
    return folder


@pytest.fixture(scope="module")
def result(reference: Path) -> Conversion:
    return convert(reference)


def rows(result: Conversion, name: str) -> dict[str, list[str]]:
    """Entries by key: the other cells, without trailing empty ones."""
    found = {}
    for row in result.rows[name]:
        cells = row[1:]
        while cells and not cells[-1]:
            cells = cells[:-1]
        found[row[0]] = cells
    return found


def skipped(result: Conversion, name: str, fragment: str) -> int:
    return sum(n for reason, n in result.tally(name).skipped.items() if fragment in reason)


# ---- dates --------------------------------------------------------------------------------


def test_two_digit_years_up_to_25_are_this_century():
    assert parse_day("010307") == date(2001, 3, 7)
    assert parse_day("250101") == date(2025, 1, 1)
    assert parse_day("260101") == date(1926, 1, 1)
    assert parse_day("19270101") == date(1927, 1, 1)
    for bad in ("9008223", "201005011", "990231"):
        with pytest.raises(BadDate):
            parse_day(bad)


def test_date_spans_read_from_until_and_ranges():
    assert parse_span("010307-060414") == (date(2001, 3, 7), date(2006, 4, 14), False)
    assert parse_span(">130201") == (date(2013, 2, 1), None, False)
    assert parse_span("> 140608") == (date(2014, 6, 8), None, False)
    assert parse_span("<991231") == (None, date(1999, 12, 31), False)
    assert parse_span("20121204") == (date(2012, 12, 4), None, True)
    with pytest.raises(BadDate, match="ends before it starts"):
        parse_span("20121207-20120802")


# ---- people -------------------------------------------------------------------------------


def test_people_get_iso_terms_their_country_and_title_cased_names(result):
    people = rows(result, "people.tsv")
    assert people["Ariel Sharon"] == [
        "ISR",
        "ISRELI 1928-01-01/2001-03-07; ISRGOV 2001-03-07/2006-04-14",  # undated ELI dropped
        "Prime Minister Sharon|Arik Sharon",
    ]
    assert people["George W. Bush"][:2] == ["USA", "USAGOV 2001-01-20/2009-01-20"]
    assert people["George W. Bush"][2] == "President Bush"
    # an undated code other than ELI is an open term, after the dated ones
    assert people["Moshe Example"][1].endswith("; ISRMIL /")
    # a code of an unknown country and a reversed range are skipped, "<D" is "until D"
    assert people["David Example"][1] == "ISRGOV /1999-12-31"
    assert skipped(result, "people.tsv", "ends before it starts") == 1
    assert skipped(result, "people.tsv", "does not start with a country") == 1
    assert skipped(result, "people.tsv", "undated ELI") == 2
    assert "Soccer Player" not in people  # [---]: no code at all


def test_open_terms_close_at_the_files_horizon_unless_kept_open(reference, result):
    people = rows(result, "people.tsv")
    # the latest date the actor files name is 2015-02-17
    assert people["Moshe Example"][1].startswith("ISRGOV 2013-02-01/2015-02-17")
    kept = rows(convert(reference, keep_open_terms=True), "people.tsv")
    assert kept["Moshe Example"][1] == "ISRGOV 2013-02-01/; ISRMIL /"


def test_dated_entries_of_the_igo_and_nonstate_files_are_people(result):
    people = rows(result, "people.tsv")
    assert people["Kofi Example"] == ["IGOUNO", "IGOUNO 1997-01-01/2006-12-31"]
    assert people["Sheikh Example"][:2] == ["PSE", "PSEREBHMS 1987-01-01/2004-03-22"]


# ---- organisations, groups, countries ---------------------------------------------------------


def test_organisations_keep_their_code_and_skip_companies_and_bad_prefixes(result):
    organisations = rows(result, "organisations.tsv")
    assert organisations["United States Congress"] == ["USALEG", "US Congress"]  # the legislature
    assert organisations["Example Relief Agency"] == ["IGOUNOREF", "ERA Workers"]
    assert "Acme Motors" not in organisations
    assert skipped(result, "organisations.tsv", "MNC") == 1
    assert "REUTERS" not in organisations and "Reuters" not in organisations  # [MED]
    assert skipped(result, "organisations.tsv", "does not start with a country") == 1


def test_country_entries_are_not_converted(result):
    assert "countries.tsv" not in result.rows
    assert skipped(result, "countries.tsv", "country or territory entry") == 1
    every_name = {row[0] for rows_ in result.rows.values() for row in rows_}
    assert not {"Israel", "Jerusalem", "Haifa"} & every_name


def test_groups_drop_bracketed_notes_and_unknown_countries(result):
    groups = rows(result, "groups.tsv")
    assert groups["Example Liberation Front"] == ["MEAREB", "ELF Fighters"]
    assert skipped(result, "groups.tsv", "does not start with a country") == 1


# ---- roles --------------------------------------------------------------------------------


def test_roles_from_agents(result):
    roles = rows(result, "roles.tsv")
    assert roles["police"] == ["COP", "police"]  # "{}": no plural, so none is made
    assert roles["thief"] == ["CRM", "thieves"]
    assert roles["cattleman"] == ["AGR"]  # "cattlemen" is the coder's regular plural
    assert "cattlemen" not in roles
    assert roles["minister for agriculture"] == ["GOV", "ministers for agriculture"]
    assert roles["ministry for agriculture"] == ["GOV", "ministries for agriculture"]
    assert roles["party boss"] == ["GOV"]  # [~GOVPTY]: the first role
    assert "mullah" not in roles and "ambassador to" not in roles
    assert "truce monitor" not in roles
    assert skipped(result, "roles.tsv", "not in actor_roles") == 1
    assert skipped(result, "roles.tsv", "function word") == 1
    assert skipped(result, "roles.tsv", "[IGO~]") == 1


# ---- verbs --------------------------------------------------------------------------------


def test_verb_patterns_apply_to_every_verb_of_their_block(result):
    verbs = rows(result, "verbs.tsv")
    # (PREP): the preposition is required and its object is the target; [042:043] converse
    for head in ("rush", "speed", "carry out"):
        assert verbs[f"{head} =to @to"] == ["042", "converse=043"]
        assert verbs[f"{head} aid"] == ["070"]
    assert verbs["rush shipment"] == ["072"]  # {ARMS SHIPMENT}: the last word
    assert verbs["rush gun|missile"] == ["194"]  # &WEAPON: one-word members
    assert verbs["rush rally"] == ["141"]  # lemmas: singular
    assert "rush out view" not in verbs  # 010: no catch-all statement code
    assert skipped(result, "verbs.tsv", "code 010") == 3  # one pattern, three verbs
    assert verbs["rush relief =to @to"] == ["073"]  # 0739 is not CAMEO's: its parent
    assert not any(key.startswith("sped") for key in verbs)  # irregular forms are skipped


def test_verbs_with_their_own_code_get_a_bare_pattern(result):
    verbs = rows(result, "verbs.tsv")
    assert verbs["grill"] == ["110"]
    assert verbs["ask =for"] == ["020"]  # +ASK_FOR: a required preposition
    assert verbs["grill =against @against"] == ["113"]  # "(AGAINST +)"
    assert verbs["take leave =against @against"] == ["113"]  # +TAKE_LEAVE: an object
    assert "say" not in verbs  # a block's default code is no bare pattern
    assert "rush" not in verbs


def test_skipped_verb_patterns_are_counted_by_kind(result):
    tally = result.tally("verbs.tsv")
    assert skipped(result, "verbs.tsv", "same pattern text with another code") == 3  # AID 073
    assert skipped(result, "verbs.tsv", "'(PREP WORD)'") == 1
    assert skipped(result, "verbs.tsv", "words before *") == 1
    assert skipped(result, "verbs.tsv", "null code [---]") == 1
    assert skipped(result, "verbs.tsv", "$ + % ^ marker") == 1
    assert skipped(result, "verbs.tsv", "target-to-source code only") == 1
    assert skipped(result, "verbs.tsv", "event code not in the codebook") == 1  # 0999
    assert skipped(result, "verbs.tsv", "block default code") == 1
    assert sum(n for r, n in tally.adjusted.items() if "3-digit parent" in r) == 1


def test_every_verb_code_is_in_the_codebook(result):
    from pipelines.codebook import codebook

    book = codebook()
    for _pattern, code, options in result.rows["verbs.tsv"]:
        assert code in book
        assert not options or options.removeprefix("converse=") in book


# ---- the curated layer wins ------------------------------------------------------------------


def test_names_and_verbs_the_curated_files_use_are_left_out(reference, tmp_path):
    (tmp_path / "people.tsv").write_text(
        "name\tcountry\tterms\talso\nArik Sharon\tISR\tISRGOV 2001-03-07/2006-04-14\t\n"
    )
    (tmp_path / "verbs.tsv").write_text("pattern\tcode\toptions\nspeed @to\t042\n")
    (tmp_path / "frames.tsv").write_text("lemma\tframe\toptions\nask\tappeal\n")
    curated = convert(reference, curated_folder=tmp_path)
    people = rows(curated, "people.tsv")
    assert people["Ariel Sharon"][2] == "Prime Minister Sharon"  # "Arik Sharon" is curated
    verbs = rows(curated, "verbs.tsv")
    assert "rush aid" in verbs
    assert not any(key.split()[0] in ("speed", "ask") for key in verbs)
    assert skipped(curated, "verbs.tsv", "curated lexicon covers") > 0


def test_entries_dropped_on_review_are_left_out_and_counted_by_reason(reference, tmp_path):
    review = tmp_path / "review.tsv"
    review.write_text(
        "# file\tkey\treason\n"
        "verbs.tsv\tRUSH AID\tdelivering is not aid\n"
        "roles.tsv\tnot a role anywhere\tunused\n"
    )
    verbs = rows(convert(reference, review=review), "verbs.tsv")
    assert "rush aid" not in verbs and "speed aid" in verbs  # keys compare casefolded
    dropped = convert(reference, review=review)
    assert dropped.tally("verbs.tsv").skipped["dropped on review: delivering is not aid"] == 1


def test_a_review_line_without_a_reason_names_its_file_and_line(tmp_path):
    review = tmp_path / "review.tsv"
    review.write_text("verbs.tsv\trush aid\n")
    with pytest.raises(ValueError, match=r"review.tsv, line 1: expected file, key and reason"):
        read_review(review)


# ---- files --------------------------------------------------------------------------------


def test_written_files_are_deterministic_and_load_as_a_base_layer(
    reference, result, tmp_path, monkeypatch
):
    out = tmp_path / "base"
    write(result, out, reference)
    again = tmp_path / "again"
    write(convert(reference), again, reference)
    for name in [*files.OUTPUTS, "README.md", files.LICENCE_FILE]:
        assert (out / name).read_bytes() == (again / name).read_bytes(), name
    people = (out / "people.tsv").read_text()
    assert people.startswith("# GENERATED: do not edit.")
    assert "Open Event Data Alliance" in people and "MIT licence" in people
    assert COMMAND in people
    readme = (out / "README.md").read_text()
    assert "| `verbs.tsv` |" in readme and "'(PREP WORD)'" in readme

    monkeypatch.setattr("pipelines.coding.dictionary_files.base_folder", lambda: out)
    loaded = load_dictionaries()
    assert loaded.sources[0].startswith(str(out))
    assert loaded.table("people.tsv")["ariel sharon"]["country"] == "ISR"
    lexicon = Lexicon(loaded)
    assert any(p.source == "rush gun|missile" for p in lexicon.verbs["rush"])
    rush_to = next(p for p in lexicon.verbs["rush"] if p.source == "rush =to @to")
    assert rush_to.options.converse == "043" and rush_to.required_preps == {"to"}


def test_the_command_line_writes_the_folder(reference, tmp_path, capsys):
    out = tmp_path / "cli"
    assert main([str(reference), "--out", str(out), "--no-curated"]) == 0
    assert (out / "verbs.tsv").is_file() and (out / "README.md").is_file()
    assert "verbs.tsv:" in capsys.readouterr().out


def test_a_missing_source_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=files.VERBS_FILE):
        convert(tmp_path)


def test_tally_prefixes_name_the_unit_counted():
    tally = Tally()
    Prefixed(tally, "pattern line").skip("null code [---]")
    assert tally.skipped == {"pattern line: null code [---]": 1}


# ---- the generated base layer ---------------------------------------------------------------


def test_the_generated_base_layer_loads_into_the_dictionaries_and_the_lexicon():
    base = base_folder()
    assert (base / "verbs.tsv").is_file(), f"no base layer in {base}: {COMMAND}"
    loaded = load_dictionaries()
    lexicon = Lexicon(loaded)  # every code, option and pattern checked as it loads
    assert len(lexicon.verbs) > 400
    assert len(loaded.table("people.tsv")) > 1000
    # the base layer loads first, so the curated files (and the user's) win on equal keys
    first_curated = loaded.sources.index(str(base.parent / "verbs.tsv"))
    base_sources = [i for i, s in enumerate(loaded.sources) if Path(s).parent == base]
    assert base_sources and max(base_sources) < first_curated


def test_legislators_filed_under_the_government_get_the_legislature_role():
    assert legislature_code("USAGOVLEG") == "USALEG"
    assert legislature_code("USAGOVLEGDEM") == "USALEGDEM"
    assert legislature_code("USAGOV") == "USAGOV"
    assert legislature_code("IGOUNOLEG") == "IGOUNOLEG"


def test_a_reference_folder_without_the_sources_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / files.VERBS_FILE).write_text("")
    with pytest.raises(SystemExit) as stop:
        main([str(tmp_path), "--out", str(tmp_path / "out")])
    assert stop.value.code == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and str(tmp_path) in error
    assert files.COUNTRIES_FILE in error and files.VERBS_FILE not in error
    assert not (tmp_path / "out").exists()
