"""What the coder codes, item by item, on every gold file and the sample corpus, pinned: a change
to the coder that changes its output must update the snapshot (``python -m
tests.coding.snapshot --update``) in the same commit, where the diff shows what changed."""

from __future__ import annotations

import pytest

from tests.coding.snapshot import corpora, differences, stored

NAMES = sorted(corpora())


@pytest.mark.parametrize("name", NAMES)
def test_coder_output_matches_its_snapshot(coder, name):
    from tests.coding.snapshot import coded

    assert stored(name), f"no snapshot for {name}: run python -m tests.coding.snapshot --update"
    now = list(coded(coder, corpora()[name]))
    changed = differences(name, now)
    assert not changed, "\n".join(changed[:20]) + f"\n({len(changed)} items differ)"
