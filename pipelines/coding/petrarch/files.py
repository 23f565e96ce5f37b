"""The files the tool reads and writes: the PETRARCH-2 / Phoenix sources by name, their licence,
the base-layer files made from them, and the bracketed code both kinds of source write."""

from __future__ import annotations

import re

VERBS_FILE = "CAMEO.2.0.txt"
COUNTRIES_FILE = "Phoenix.Countries.actors.txt"
INTERNATIONAL_FILE = "Phoenix.International.actors.txt"
NONSTATE_FILE = "Phoenix.MilNonState.actors.txt"
AGENTS_FILE = "Phoenix.agents.txt"
LICENCE_FILE = "LICENSE.petrarch2"
SOURCES = (VERBS_FILE, COUNTRIES_FILE, INTERNATIONAL_FILE, NONSTATE_FILE, AGENTS_FILE)
OUTPUTS = ("people.tsv", "organisations.tsv", "groups.tsv", "roles.tsv", "verbs.tsv")
CODE_RE = re.compile(r"\[([^\[\]]*)\]")  # "[ISRGOV 010307-020101]", "[042:043]"
