"""`dyadflow plot` shades the days on which no article was read and leaves their bins empty,
instead of drawing them as days without events."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.datamodel.record_frames import articles_frame, quarantine_frame
from pipelines.datamodel.tables import EVENT_MENTIONS
from pipelines.plot import binned, dyad_events, plot_dyad
from tests.warehouse.synthetic import Day, publish_all, stream

PNG = b"\x89PNG"


@pytest.mark.slow
def test_days_without_input_are_gaps_not_zeros(warehouse, tmp_path):
    days = stream(days=9, per_day=12)
    # Three days with nothing read: mentions date events up to two days before publication, so
    # the first of them can have no events at all, the others may have some reported later.
    quiet = [days[n].day for n in (4, 5, 6)]
    for n in (4, 5, 6):
        days[n] = Day(days[n].day, articles_frame([]), quarantine_frame([]), EVENT_MENTIONS.frame())
    publish_all(warehouse, days)

    with warehouse.connect() as con:
        drawn = plot_dyad(con, "USA-CHN", tmp_path / "usa-chn.png")
        events = dyad_events(con, "USA", "CHN")
    assert drawn.path.read_bytes().startswith(PNG)
    assert drawn.bins == "day"
    # and the days before the first publication, which events reported later are dated to
    assert [d for d in drawn.no_input if d >= days[0].day] == quiet
    assert drawn.first < days[0].day and drawn.first in drawn.no_input

    table = binned(events, drawn.first, drawn.last, "day", drawn.no_input)
    quads = [1, 2, 3, 4]
    assert table.loc[pd.Timestamp(quiet[0]), [*quads, "sum"]].isna().all()
    dated = set(pd.to_datetime(events["event_date"]).dt.date)
    for day in quiet[1:]:
        if day in dated:  # events reported on a later day still count
            assert table.loc[pd.Timestamp(day), quads].sum() > 0
    read = [d for d in table.index if d.date() not in drawn.no_input]
    assert not table.loc[read, quads].isna().any().any()  # a read day without events is a zero
    assert (table.loc[read, quads].sum(axis=1) == 0).any()
