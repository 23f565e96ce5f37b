"""Configurations built once per validation give the results GX gives on its own."""

from contextlib import nullcontext
from datetime import date

import great_expectations as gx
import pytest

from pipelines.validation import runner, suites
from pipelines.validation.configurations import built_once
from tests.factories import article, articles_of, mention_row, mentions_frame

DAY = date(2024, 8, 6)


def _mentions(broken: bool):
    rows = [mention_row("a1", DAY), mention_row("a2", DAY, target_actor=None, target=None)]
    if broken:
        wrong = [mention_row(f"a{i}", DAY) for i in (3, 4, 5)]
        wrong[0].update(event_code="999", goldstein=12.0, quad_class=5)
        wrong[1].update(source_actor="ner", target_actor="ner")
        wrong[2].update(published_date=date(2024, 8, 7), confidence=1.5)
        rows += wrong
    return mentions_frame(*rows)


def _articles(broken: bool):
    text = "Niger severed diplomatic ties with Ukraine, officials said in Niamey."
    items = [article("a1", DAY, text=text)]
    if broken:
        items.append(article("a2", date(2024, 8, 7), outlet="", text="Too short."))
    return articles_of(*items)


CASES = {
    "event_mentions": (suites.event_mentions, _mentions, "mention_id"),
    "articles": (suites.articles, _articles, "article_id"),
}


def _results(name: str, broken: bool, level: str, kept: bool) -> list[dict]:
    make_suite, make_frame, key = CASES[name]
    expectations = make_suite(DAY)
    frame = suites.with_derived_columns(make_frame(broken), expectations)
    batch = runner.batch_definition(runner.context_for(None), name).get_batch(
        batch_parameters={"dataframe": frame}
    )
    suite = gx.ExpectationSuite(name=name, expectations=[e.copy() for e in expectations])
    result_format = runner.result_format_of(level, [key] if level == "SUMMARY" else None)
    with built_once() if kept else nullcontext():
        result = batch.validate(suite, result_format=result_format)
    return [r.to_json_dict() for r in result.results]


@pytest.mark.parametrize("level", ["BASIC", "SUMMARY"])
@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("name", sorted(CASES))
def test_results_are_those_of_gx_alone(name, broken, level):
    alone = _results(name, broken, level, kept=False)
    assert alone == _results(name, broken, level, kept=True)
    assert any(not r["success"] for r in alone) == broken


def test_a_configuration_is_built_once_inside_the_block_only():
    expectation = suites.event_mentions(DAY)[3]
    assert expectation.configuration is not expectation.configuration
    with built_once():
        first = expectation.configuration
        assert expectation.configuration is first
        assert suites.event_mentions(DAY)[3].configuration is not first  # another object
    assert expectation.configuration is not first
    assert expectation.configuration == first
