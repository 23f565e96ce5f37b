"""The base layer written: each file with its generated header, the licence beside them, and a
README.md that counts what was converted, skipped and adjusted."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

from pipelines.coding.dictionary_files import SCHEMAS
from pipelines.coding.petrarch.files import (
    AGENTS_FILE,
    COUNTRIES_FILE,
    INTERNATIONAL_FILE,
    LICENCE_FILE,
    NONSTATE_FILE,
    OUTPUTS,
    VERBS_FILE,
)
from pipelines.coding.petrarch.tallies import Conversion

COMMAND = "python -m pipelines.coding.petrarch ../shared/reference/petrarch-dictionaries"
LICENCE_LINE = (
    "MIT licence, Copyright (c) 2014-2015 Open Event Data Alliance; dictionaries of the "
    "Computational Event Data System Project, Parus Analytics"
)
FILE_NOTES = {
    "people.tsv": (
        f"{COUNTRIES_FILE} (and the dated entries of the other two actor files)",
        "people with dated codes",
    ),
    "organisations.tsv": (
        f"{INTERNATIONAL_FILE} and the institutions of {COUNTRIES_FILE}",
        "IGOs, NGOs and named national institutions, no companies",
    ),
    "groups.tsv": (NONSTATE_FILE, "non-state armed groups"),
    "roles.tsv": (AGENTS_FILE, "agent nouns and their role"),
    "verbs.tsv": (VERBS_FILE, "verb patterns"),
}


def header(name: str) -> list[str]:
    source, what = FILE_NOTES[name]
    text = f"GENERATED: do not edit. {what[0].upper() + what[1:]}, converted from {source}."
    return [
        *(f"# {line}" for line in textwrap.wrap(text, 96)),
        "# Source: the PETRARCH-2 / Phoenix dictionaries, MIT licence,",
        "# Copyright (c) 2014-2015 Open Event Data Alliance; dictionaries of the Computational",
        f"# Event Data System Project, Parus Analytics. See {LICENCE_FILE} and README.md here.",
        f"# Regenerate with: {COMMAND}",
    ]


def write(result: Conversion, out: Path, reference: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in result.rows.items():
        columns = list(SCHEMAS[name])
        lines = [*header(name), "\t".join(columns)]
        lines += ["\t".join(_cell(c) for c in row).rstrip("\t") for row in rows]
        (out / name).write_text("\n".join(lines) + "\n", "utf-8")
    licence = reference / LICENCE_FILE
    if licence.is_file():
        shutil.copyfile(licence, out / LICENCE_FILE)
    (out / "README.md").write_text(readme(result), "utf-8")


def _cell(text: str) -> str:
    return re.sub(r"[\t\r\n]", " ", text).strip()


def readme(result: Conversion) -> str:
    lines = [
        "# Base layer: the PETRARCH-2 / Phoenix dictionaries",
        "",
        "GENERATED: do not edit. `people.tsv`, `organisations.tsv`, `groups.tsv`, `roles.tsv` and",
        "`verbs.tsv` in this folder are converted from the PETRARCH-2 / Phoenix dictionaries",
        f"({LICENCE_LINE}; the licence is in `{LICENCE_FILE}`) by `pipelines/coding/petrarch/`.",
        "Other generated files here (a gazetteer `places.tsv`, say) come from their own build",
        "tools and say so in their headers. Regenerate these five with:",
        "",
        "```",
        f".venv/bin/{COMMAND}    # from the repository root",
        "```",
        "",
        "The coder loads this folder first and the curated files in `pipelines/data/dictionaries/`",
        "over it: a curated entry replaces a base entry with the same key. Names and verbs the",
        "curated files already use were left out here (counted below), so that a base entry never",
        "shadows a curated one under another key; regenerate after changing the curated files.",
        'See docs/dictionaries.md, section "Base layer", for the rules.',
        "",
        "| file | from | what | entries |",
        "|---|---|---|---|",
    ]
    for name in OUTPUTS:
        source, what = FILE_NOTES[name]
        lines.append(f"| `{name}` | `{source}` | {what} | {result.tally(name).written} |")
    lines += [
        "",
        "Not converted: `countries.tsv` (the curated file covers every state; the country",
        "entries' synonyms are mostly cities), `Phoenix.discards.txt` (years and phrases such as",
        "'weeks ago' or 'champion' would put ordinary news out of scope; `discards.tsv` is the",
        "project's own), companies (`[MNC...]` codes: they cost precision in news), and the block",
        "default codes of `CAMEO.2.0.txt` (`--- EXPLAIN_VERBAL [010] ---` would code every 'said'",
        "010 and `--- DIE [190] ---` every death 190; only a verb's own code becomes a bare",
        "pattern).",
        "",
        "How entries were converted (docs/dictionaries.md has the details):",
        "",
        "- names: `_` becomes a space, title-cased (`GEORGE_W._BUSH_` -> George W. Bush); a",
        "  one-word name of up to five letters stays as written (an abbreviation, matched as",
        "  written); bracketed notes are dropped; `+` lines become `also`;",
        "- dates: `YYMMDD` with yy <= 25 read as 20yy, else 19yy; `>D` from, `<D` until;",
        "  undated `ELI` lines dropped (outside every term a person is COUNTRY+ELI); other",
        "  undated codes kept as an open term; a term still open on the files' last date",
        "  (their horizon) is closed there;",
        "- roles: `[~GOVPTY]` keeps its first role (GOV); roles outside `actor_roles.tsv`",
        "  (religions) are skipped; `!SET!` substitutions expanded, `{}` means no plural;",
        "- verbs: every pattern of a block applies to every verb of the block; `* WORD`",
        "  -> object lemma; `* {MULTI WORD}` -> its last word; `* &SET` -> the set's one-word",
        "  members joined by `|`; `* (PREP)` -> `=prep @prep` (PETRARCH requires the",
        "  preposition; `@prep` alone would not); `[042:043]` -> `042` with `converse=043`;",
        "  a 4-digit code not in the codebook -> its 3-digit parent; `+CARRY_OUT` -> particle",
        "  `carry out`, `+ASK_FOR` -> `ask =for`, `+TAKE_LEAVE` -> object `take leave`;",
        "- review: entries that cost precision on the dev gold sets are listed, each with its",
        "  reason, in `pipelines/data/petrarch-review.tsv` and left out (counted below).",
        "",
        "## Skipped and adjusted, by reason",
    ]
    for name in ("countries.tsv", *FILE_NOTES):
        tally = result.tally(name)
        if not tally.skipped and not tally.notes:
            continue
        lines += ["", f"### `{name}`", ""]
        lines += [f"- {note}" for note in tally.notes]
        for reason, count in sorted(tally.skipped.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"- {reason}: {count}")
        for reason, count in sorted(tally.adjusted.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"- kept, adjusted: {reason}: {count}")
    return "\n".join(lines) + "\n"


def summary(result: Conversion) -> str:
    parts = []
    for name in OUTPUTS:
        tally = result.tally(name)
        parts.append(f"{name}: {tally.written} written, {sum(tally.skipped.values())} skipped")
    return "\n".join(parts)
