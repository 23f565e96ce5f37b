"""Build tool: the PETRARCH-2 / Phoenix dictionaries converted into dyadflow's dictionary files,
the base layer that loads underneath the curated files (``pipelines/data/dictionaries/base``).

    python -m pipelines.coding.petrarch REFERENCE_DIR [--out FOLDER] [--curated FOLDER]

REFERENCE_DIR holds ``CAMEO.2.0.txt``, ``Phoenix.Countries.actors.txt``,
``Phoenix.International.actors.txt``, ``Phoenix.MilNonState.actors.txt`` and
``Phoenix.agents.txt`` (MIT licence, Open Event Data Alliance / Parus Analytics). The output is
deterministic: the same sources (and the same curated folder) give the same bytes.

The coder never imports this package: it only reads the files it writes. What is converted, what
is skipped and why is counted in the README.md written beside the files and described in
docs/dictionaries.md ("Base layer").

Names and verbs the curated dictionaries (``--curated``, by default the package's folder) already
use are left out of the base layer: the loader lets a curated entry replace a base entry with the
same key, but a base entry under another key that shares a name (an ``also``) would be matched
first, and a base pattern on a verb the curated lexicon covers would outrank its curated patterns.
Regenerate after changing the curated files.
"""
