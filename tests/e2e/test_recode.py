"""Re-coding a day after a dictionary change: the event_mentions asset codes the cached parses
again instead of parsing (real Dagster, spaCy, DuckDB)."""

import dagster as dg
import pytest

from assets.definitions import DAILY_ASSETS, build_definitions
from assets.resources import CoderResource
from pipelines.settings import layout
from pipelines.warehouse.staging import StagingStore

pytestmark = pytest.mark.slow

DAY = "2024-08-06"


def _materialise(home, corpus, coder: CoderResource):
    defs = build_definitions(str(home))
    return dg.materialize(
        [*defs.assets, *defs.asset_checks],
        resources={**defs.resources, "coder": coder},
        partition_key=DAY,
        selection=dg.AssetSelection.assets(*DAILY_ASSETS),
        run_config={"resources": {"sources": {"config": {"paths": [str(corpus)]}}}},
        instance=dg.DagsterInstance.ephemeral(),
    )


def _coding(result) -> dict:
    (materialisation,) = result.asset_materializations_for_node("event_mentions")
    return {key: value.value for key, value in materialisation.metadata.items()}


def test_a_dictionary_change_recodes_the_day_from_its_parses(tmp_path, corpus):
    home = tmp_path / "data"
    first = _coding(_materialise(home, corpus, CoderResource(home=str(home), processes=2)))
    assert first["parsed"] == first["articles_coded"] > 0
    assert first["re_coded_from_cached_parses"] == 0
    assert list((layout(home).parses_dir).glob("*/2024-08-06/*.docs"))

    extra = tmp_path / "dictionaries"
    extra.mkdir()
    # "lambasted" becomes a criticism (111): a lexicon change, the parses stay good
    (extra / "verbs.tsv").write_text("pattern\tcode\toptions\nlambaste\t111\t\n", "utf-8")
    coder = CoderResource(home=str(home), extra_dictionaries=[str(extra)], processes=1)
    again = _coding(_materialise(home, corpus, coder))
    assert again["parsed"] == 0
    assert again["re_coded_from_cached_parses"] == first["articles_coded"]
    staged = StagingStore(layout(home).staging_dir).read("event_mentions", DAY)
    assert set(staged["coder_version"]) == {coder.coder().version}
    assert coder.coder().version != CoderResource().coder().version
