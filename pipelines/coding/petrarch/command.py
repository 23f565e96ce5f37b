"""The command line: ``python -m pipelines.coding.petrarch REFERENCE_DIR [--out FOLDER]
[--curated FOLDER | --no-curated] [--keep-open-terms]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.coding.dictionary_files import base_folder, package_folder
from pipelines.coding.petrarch.conversion import convert
from pipelines.coding.petrarch.files import SOURCES
from pipelines.coding.petrarch.output_files import summary, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.coding.petrarch",
        description="Convert the PETRARCH-2 / Phoenix dictionaries into dyadflow's base layer.",
    )
    parser.add_argument("reference", type=Path, help="folder with CAMEO.2.0.txt and Phoenix.*")
    parser.add_argument(
        "--out", type=Path, default=None, help="default: pipelines/data/dictionaries/base"
    )
    parser.add_argument(
        "--curated",
        type=Path,
        default=None,
        help="curated folder whose names and verbs the base layer leaves out "
        "(default: the package's dictionaries folder)",
    )
    parser.add_argument(
        "--no-curated", action="store_true", help="keep names and verbs the curated files use"
    )
    parser.add_argument(
        "--keep-open-terms",
        action="store_true",
        help="leave 'from D' terms open instead of closing them at the files' last date",
    )
    args = parser.parse_args(argv)
    missing = [name for name in SOURCES if not (args.reference / name).is_file()]
    if missing:
        parser.exit(2, f"{parser.prog}: {args.reference}: no {', '.join(missing)} there\n")
    out = args.out or base_folder()
    curated = None if args.no_curated else (args.curated or package_folder())
    result = convert(args.reference, curated, keep_open_terms=args.keep_open_terms)
    write(result, out, args.reference)
    print(summary(result))
    print(f"written to {out}")
    return 0
