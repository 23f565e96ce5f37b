"""When two mentions report the same act: the grouping of dyadic mentions into events.

CAMEO's daily key (event date, source actor, target actor, event code) splits one act whenever
articles name an actor at a different grain ("Niger", "Niger's government") or a follow-up
report dates it by its own publication day. Two mentions are one act when

1. they have the same event code (at the rule's code level) and, if the rule keys on it, the
   same location country;
2. their actor codes name the same actor on both sides: a bare ``NER`` and ``NERGOV`` are one
   actor (``NERGOV`` says more of it: a code refines another when it starts with it and adds
   roles), and so are a country's government and its armed forces, ``NERGOV`` and ``NERMIL``:
   the state acting, named by whichever organ the reporter chose ("handed the base to Niger's
   authorities", "to Niger's armed forces"); the same reading that codes a ruling junta GOV.
   Other roles stay apart: ``NERGOV`` and ``NEROPP``, ``NERMIL`` and ``NERREB`` or ``NERCOP``;
3. they fall on the same event date, or one of them is a follow-up: a mention whose sentence
   names no day (it was dated by its own publication day) joins an act of the day before when a
   sentence there names that day for a compatible act ("Niger said on Tuesday it cut ties" on
   Tuesday, "Niger has severed ties" in Wednesday's paper). Coercion and violence (CAMEO roots
   17 to 20: arrests, raids, assaults, fighting) are never carried across days: they recur day
   after day, and an undated report of them on the next day is as likely a new act as the same.

Within one day and code, the most specific pairs of actors lead: each less specific pair joins
the one group it is compatible with, and stays apart when it fits several (a bare ``NER`` beside
both ``NERGOV`` and ``NEROPP`` could be either). The event keeps the most specific codes of its
group (between the state's two organs, the one more mentions name, the government on a tie). Two attacks by the same
sides on the same day stay one event, as CAMEO's daily key already makes them: the texts rarely
tell them apart.

The grouping of a day reads the mentions of the day before (their named days) and the day after
(their follow-ups), never further: a change to one date's mentions can alter the events of that
date and its two neighbours only (``neighbours``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pandas as pd

# The columns ``assign`` reads from the mentions, besides the rule's code level and extras.
NEEDED = (
    "mention_id",
    "event_date",
    "published_date",
    "date_precision",
    "event_root_code",
    "source_actor",
    "target_actor",
)
_ROLE_WIDTH = 3  # CAMEO actor codes are made of three-letter parts
_RECURRENT_ROOTS = ("17", "18", "19", "20")  # coerce, assault, fight, mass violence
_STATE_ORGANS = ("GOV", "MIL")
_ONE_DAY = timedelta(days=1)


def refines(specific: str, general: str) -> bool:
    """``specific`` names the same actor as ``general`` with more roles (``NERGOV`` of ``NER``)."""
    return (
        len(specific) > len(general)
        and len(general) % _ROLE_WIDTH == 0
        and specific.startswith(general)
    )


def _state(code: str) -> str | None:
    """The country whose government or armed forces ``code`` names, else None."""
    if len(code) == 2 * _ROLE_WIDTH and code[_ROLE_WIDTH:] in _STATE_ORGANS:
        return code[:_ROLE_WIDTH]
    return None


def compatible(a: str, b: str) -> bool:
    """``a`` and ``b`` can name one actor of one act."""
    if a == b or refines(a, b) or refines(b, a):
        return True
    state = _state(a)
    return state is not None and state == _state(b)


def _more_specific(a: str, b: str) -> str:
    if len(a) != len(b):
        return max(a, b, key=len)
    return b if b.endswith("GOV") and not a.endswith("GOV") else a


def _head(codes: list[str], counts, members: list[tuple[str, str]], side: int) -> str:
    """A group's code on one side: the most specific; between the state's two organs, the one
    more mentions name, the government on a tie."""
    said = defaultdict(int)
    for member in members:
        said[member[side]] += counts[member]
    return max(codes, key=lambda c: (len(c), said[c], c.endswith("GOV"), c))


def neighbours(dates) -> set[date]:
    """The dates one day either side of ``dates``, and those dates: both the event dates a
    change to mentions dated ``dates`` can alter, and the mention dates ``assign`` must see to
    group the events of ``dates``."""
    return {d + shift for d in dates for shift in (-_ONE_DAY, timedelta(0), _ONE_DAY)}


def assign(mentions: pd.DataFrame, block: tuple[str, ...]) -> pd.DataFrame:
    """The event of every dyadic mention: a frame of ``mention_id`` with the act's
    ``event_date``, ``source_actor`` and ``target_actor`` and the ``block`` columns (the code
    level and the rule's extra key columns), which together make the event's key."""
    columns = ["mention_id", "event_date", "source_actor", "target_actor", *block]
    if mentions.empty:
        return pd.DataFrame(columns=columns)
    frame = mentions.reset_index(drop=True)
    anchors = _anchor_dates(frame, block)
    groups: dict[tuple, list[int]] = defaultdict(list)
    blocks = frame[list(block)].itertuples(index=False, name=None)
    for i, (anchor, key) in enumerate(zip(anchors, blocks, strict=True)):
        groups[(anchor, key)].append(i)
    sources = frame["source_actor"].tolist()
    targets = frame["target_actor"].tolist()
    out_source = list(sources)
    out_target = list(targets)
    for rows in groups.values():
        pairs = {(sources[i], targets[i]) for i in rows}
        if len(pairs) == 1:
            continue  # the common case: one pair of actors, nothing to merge
        heads = _merge_pairs(pairs, [(sources[i], targets[i]) for i in rows])
        for i in rows:
            out_source[i], out_target[i] = heads[(sources[i], targets[i])]
    result = frame[["mention_id", *block]].copy()
    result["event_date"] = anchors
    result["source_actor"] = out_source
    result["target_actor"] = out_target
    return result[columns]


def _anchor_dates(frame: pd.DataFrame, block: tuple[str, ...]) -> list[date]:
    """Each mention's event date, with follow-ups moved to the day before (rule 3 above)."""
    dates = frame["event_date"].tolist()
    named = frame["date_precision"].eq("day")
    follow_up = (
        ~named
        & frame["event_date"].eq(frame["published_date"])
        & ~frame["event_root_code"].isin(_RECURRENT_ROOTS)
    )
    if not follow_up.any():
        return dates
    columns = ["event_date", "source_actor", "target_actor", *block]
    days_named: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for when, source, target, *key in frame.loc[named, columns].itertuples(index=False):
        days_named[(when, *key)].append((source, target))
    if not days_named:
        return dates
    candidates = frame.loc[follow_up, columns].itertuples(index=True)
    for i, when, source, target, *key in candidates:
        before = when - _ONE_DAY
        for named_source, named_target in days_named.get((before, *key), ()):
            if compatible(named_source, source) and compatible(named_target, target):
                dates[i] = before
                break
    return dates


def _first_parts(pair: tuple[str, str]) -> tuple[str, str] | None:
    if min(len(pair[0]), len(pair[1])) < _ROLE_WIDTH:
        return None
    return pair[0][:_ROLE_WIDTH], pair[1][:_ROLE_WIDTH]


def _merge_pairs(
    pairs: set[tuple[str, str]], mentioned: list[tuple[str, str]]
) -> dict[tuple[str, str], tuple[str, str]]:
    """Each pair of actors mapped to the most specific pair of its group."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for pair in mentioned:
        counts[pair] += 1
    # most specific first, then the most mentioned; names last so the order is total
    order = sorted(pairs, key=lambda p: (-(len(p[0]) + len(p[1])), -counts[p], p))
    groups: list[list] = []  # [source, target, members]
    # Compatible codes share their first part (the country or the IGO), so a pair is compared
    # only with the groups of its two first parts: a day's thousands of pairs under one code
    # were compared with one another, which took most of a 2,000-article publication.
    by_country: dict[tuple[str, str], list[list]] = defaultdict(list)
    unparted: list[list] = []  # groups with a code shorter than a part, which any pair may fit
    for pair in order:
        country = _first_parts(pair)
        near = groups if country is None else by_country[country] + unparted
        fits = [g for g in near if compatible(g[0], pair[0]) and compatible(g[1], pair[1])]
        if len(fits) == 1:
            group = fits[0]
            group[0] = _more_specific(group[0], pair[0])
            group[1] = _more_specific(group[1], pair[1])
            group[2].append(pair)
        else:
            group = [pair[0], pair[1], [pair]]
            groups.append(group)
            (unparted if country is None else by_country[country]).append(group)
    heads: dict[tuple[str, str], tuple[str, str]] = {}
    for _, _, members in groups:
        source, target = (
            _head([m[side] for m in members], counts, members, side) for side in (0, 1)
        )
        if source == target:  # a merge never makes an actor act on itself; keep the parts
            heads.update({m: m for m in members})
        else:
            heads.update({m: (source, target) for m in members})
    return heads
