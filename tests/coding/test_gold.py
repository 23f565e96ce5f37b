"""The coder against the project's gold sets, through the real evaluation code."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipelines.coding.evaluate import run_evaluation

GOLD = Path(__file__).resolve().parents[1] / "gold"
REALNEWS_TEST_ROOT_F1_FLOOR = 0.30  # 0.321 when the coder was last changed (docs/coding.md)


def test_dev_set_meets_the_root_level_targets(coder):
    out = io.StringIO()
    report = run_evaluation(GOLD / "dev.jsonl", out=out, coder=coder)
    assert report.items >= 300
    # the targets are precision 0.90 and recall 0.77; the floors sit a little under today's
    # figures (docs/coding.md), so a regression fails here
    assert report.root.precision >= 0.92, out.getvalue()
    assert report.root.recall >= 0.78, out.getvalue()


@pytest.mark.slow
def test_real_news_dev_set_holds_its_figures(coder):
    out = io.StringIO()
    report = run_evaluation(GOLD / "realnews_dev.jsonl", out=out, coder=coder)
    assert report.items == 777
    assert report.root.precision >= 0.58, out.getvalue()
    assert report.root.recall >= 0.26, out.getvalue()
    assert report.root.f1 >= 0.36, out.getvalue()
    assert report.full.f1 >= 0.34, out.getvalue()


def test_real_news_test_set_holds_its_figures(coder):
    """The held-back split: reported, never tuned on; the floor only catches a regression."""
    out = io.StringIO()
    report = run_evaluation(GOLD / "realnews_test.jsonl", out=out, coder=coder)
    assert report.items == 194
    assert report.root.f1 >= REALNEWS_TEST_ROOT_F1_FLOOR, out.getvalue()


def test_motivating_example_yields_exactly_its_events(coder):
    out = io.StringIO()
    report = run_evaluation(GOLD / "motivating_example.jsonl", verbose=True, out=out, coder=coder)
    (result,) = report.results
    assert result.misses["root"] == [] and result.extras["root"] == [], out.getvalue()
    assert result.misses["full"] == [] and result.extras["full"] == [], out.getvalue()
    assert report.full.tp == len(result.item.events)


def test_plover_gold_set_is_scored_at_event_type_level(coder):
    out = io.StringIO()
    report = run_evaluation(GOLD / "plover_gsr_gold.jsonl", plover=True, out=out, coder=coder)
    assert report.items == 322
    # Floors a little under the figures in docs/coding.md: a regression in the coder shows here.
    assert report.types.precision >= 0.77, out.getvalue()
    assert report.types.recall >= 0.66, out.getvalue()
    assert report.types.f1 >= 0.71, out.getvalue()  # the target is 0.70
    assert "PLOVER gold" in out.getvalue()
