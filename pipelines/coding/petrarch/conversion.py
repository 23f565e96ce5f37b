"""The whole conversion: every source read, every output file's rows built, settled against the
curated layer and the review, and counted."""

from __future__ import annotations

from pathlib import Path

from pipelines.coding.petrarch.actor_files import horizon_of, read_actor_blocks
from pipelines.coding.petrarch.curated import curated_heads, curated_phrases
from pipelines.coding.petrarch.files import (
    AGENTS_FILE,
    COUNTRIES_FILE,
    INTERNATIONAL_FILE,
    NONSTATE_FILE,
    SOURCES,
    VERBS_FILE,
)
from pipelines.coding.petrarch.named_actors import (
    Named,
    Person,
    named_from,
    person_from,
    settle_names,
)
from pipelines.coding.petrarch.review import drop_reviewed, read_review, review_file
from pipelines.coding.petrarch.roles import read_agents, settle_roles
from pipelines.coding.petrarch.tallies import Conversion
from pipelines.coding.petrarch.verbs import convert_verbs
from pipelines.coding.petrarch.words import english


def convert(
    reference: Path,
    curated_folder: Path | None = None,
    keep_open_terms: bool = False,
    review: Path | None = None,
) -> Conversion:
    """Read the sources in ``reference`` and build every output file's rows. ``curated_folder``:
    the curated dictionaries whose names and verbs are left out; ``keep_open_terms``: leave
    "from D" terms open instead of closing them at the files' horizon; ``review``: the entries
    dropped after review (default: the package's petrarch-review.tsv)."""
    missing = [name for name in SOURCES if not (reference / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{reference}: missing {', '.join(missing)}")
    result = Conversion()
    actor_texts = {
        name: (reference / name).read_text("utf-8", errors="replace")
        for name in (INTERNATIONAL_FILE, COUNTRIES_FILE, NONSTATE_FILE)
    }
    horizon = None if keep_open_terms else horizon_of(actor_texts.values())
    if horizon is not None:
        result.tally("people.tsv").notes.append(
            f"horizon (the latest date the actor files name): {horizon.isoformat()}"
        )
    curated = curated_phrases(curated_folder)
    heads = curated_heads(curated_folder)
    words = english()
    people: list[Person] = []
    organisations: list[Named] = []
    groups: list[Named] = []
    tally_people = result.tally("people.tsv")
    tally_orgs = result.tally("organisations.tsv")
    tally_groups = result.tally("groups.tsv")
    tally_countries = result.tally("countries.tsv")

    for source, named_list, named_tally in (
        (INTERNATIONAL_FILE, organisations, tally_orgs),
        (COUNTRIES_FILE, organisations, tally_orgs),
        (NONSTATE_FILE, groups, tally_groups),
    ):
        for block in read_actor_blocks(actor_texts[source]):
            if source == COUNTRIES_FILE and block.inline:
                tally_countries.skip("country or territory entry (countries.tsv is curated)")
                continue
            if block.dated:
                person = person_from(block, source, tally_people, horizon)
                if person is not None:
                    people.append(person)
                continue
            named = named_from(block, source, named_tally)
            if named is not None:
                named_list.append(named)

    people = settle_names(people, "person", tally_people, curated, words.any)
    organisations = settle_names(organisations, "organisation", tally_orgs, curated, words.common)
    groups = settle_names(groups, "group", tally_groups, curated, words.common)

    result.rows["people.tsv"] = _sorted(
        [[p.name, p.country, "; ".join(p.terms), "|".join(p.also)] for p in people]
    )
    result.rows["organisations.tsv"] = _sorted(
        [[o.name, o.code, "|".join(o.also)] for o in organisations]
    )
    result.rows["groups.tsv"] = _sorted([[g.name, g.code, "|".join(g.also), ""] for g in groups])

    tally_roles = result.tally("roles.tsv")
    roles = read_agents((reference / AGENTS_FILE).read_text("utf-8", errors="replace"), tally_roles)
    roles = settle_roles(roles, tally_roles, curated)
    result.rows["roles.tsv"] = _sorted([[r.phrase, r.role, "|".join(r.plural), ""] for r in roles])

    tally_verbs = result.tally("verbs.tsv")
    verbs_text = (reference / VERBS_FILE).read_text("utf-8", errors="replace")
    result.rows["verbs.tsv"] = _sorted(convert_verbs(verbs_text, tally_verbs, heads))

    drop_reviewed(result, read_review(review or review_file()))
    for name, rows in result.rows.items():
        result.tally(name).written = len(rows)
    tally_countries.notes.append(
        "not written: the curated countries.tsv covers every state, and the country entries' "
        "synonyms are largely cities"
    )
    return result


def _sorted(rows: list[list[str]]) -> list[list[str]]:
    return sorted(rows, key=lambda row: (row[0].casefold(), row[0], row[1:]))
