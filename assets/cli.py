"""The ``dyadflow`` command: run the pipeline, open the UI, code files, evaluate the coder."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import difflib
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from assets import commands
from assets.usage import UsageError
from pipelines import __version__
from pipelines.printable import shown
from pipelines.settings import HOME_ENV, SettingError, check_environment


def entry() -> None:
    """The console script: ``main``, then an exit that skips the interpreter's teardown.

    Freeing the objects of Great Expectations, Dagster and spaCy one by one takes Python 1.5-2 s
    after a `dyadflow run` has finished, and serves nothing: by then every handler registered
    with atexit (logging, multiprocessing, temporary folders) has run, since the one that ends
    the process is registered first and so runs last. ``main`` itself returns normally (the
    tests call it in-process)."""
    status = [1]  # what an exception escaping main exits with, as Python's own exit would
    atexit.register(_exit_without_teardown, status)
    try:
        status[0] = main()
    except SystemExit as stop:  # sys.exit() anywhere below main
        status[0] = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
        raise
    except KeyboardInterrupt:
        status[0] = 130
        raise
    except BrokenPipeError:  # the reader left (`dyadflow sql ... | head`): no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status[0] = 141  # 128 + SIGPIPE, as a shell reports a command its reader left
    sys.exit(status[0])


def _exit_without_teardown(status: list[int]) -> None:
    # Python flushed them after main; this is for what other atexit handlers wrote since
    for stream in (sys.stdout, sys.stderr):
        # a pipe whose reader left (`dyadflow sql ... | head`), or a closed stream
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status[0])


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # one line, as for every other mistake; the usage is one --help away
        self.exit(2, f"{self.prog}: {shown(message)} (see {self.prog} --help)\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        _refuse_unknown_options(parser, argv)
        args = parser.parse_args(argv)
    except SystemExit as stop:  # a usage error (2), --help or --version (0): a status
        return stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    from pipelines.coding.dictionary_files import DictionaryError
    from pipelines.ingest.config import SourcesFileError

    try:
        if getattr(args, "home", None):
            home = Path(args.home)
            if home.exists() and not home.is_dir():
                raise UsageError(f"--home {home}: a file, not a folder")
            os.environ[HOME_ENV] = str(home.resolve())
        _check_settings()
        return args.func(args)
    except (UsageError, SettingError, DictionaryError, SourcesFileError) as error:
        print(f"dyadflow: {shown(str(error))}", file=sys.stderr)
        return 2


def _refuse_unknown_options(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """An option before the command that is not dyadflow's own: argparse would only say that
    the command is missing."""
    own = [o for action in parser._actions for o in action.option_strings]
    for token in argv:
        if not token.startswith("-"):
            return
        if token not in own:
            close = difflib.get_close_matches(token, own, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            parser.error(f"unknown option {token}{hint}")


def _check_settings() -> None:
    """Every DYADFLOW_* setting, before a command does anything."""
    from pipelines.warehouse.store import check_settings

    check_environment()
    check_settings()


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a date, YYYY-MM-DD") from None


def _whole(low: int, high: int):
    def parse(text: str) -> int:
        if not text.strip().isdecimal() or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number {low}..{high}")
        return int(text)

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dyadflow",
        description="News articles in, CAMEO-coded dyadic event data out.",
    )
    parser.add_argument("--version", action="version", version=f"dyadflow {__version__}")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="run the whole pipeline (default: the bundled sample corpus) and print a summary",
        description="Materialise the Dagster assets for every day found in the sources (or the "
        "days given) into the DuckDB file and Parquet exports under the data folder. Days whose "
        "inputs have not changed since their last publication are left alone; export files "
        "that went missing are written again first.",
    )
    run.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="PATH",
        help="a file (JSONL, CSV, TXT, HTML, RSS/Atom, WARC, or .gz of each) or a folder of them "
        "(repeatable); replaces the sources file's files and inbox",
    )
    run.add_argument(
        "--sources-file",
        metavar="YAML",
        help="the sources file (default: $DYADFLOW_SOURCES, else <data folder>/sources.yaml when "
        "it exists, else the inbox <data folder>/inbox, else the bundled sample corpus)",
    )
    run.add_argument(
        "--from",
        dest="start",
        type=_day,
        metavar="YYYY-MM-DD",
        help="first publication day to run",
    )
    run.add_argument(
        "--to",
        dest="end",
        type=_day,
        metavar="YYYY-MM-DD",
        help="last publication day to run",
    )
    run.add_argument(
        "--force",
        action="store_true",
        help="publish every day again, also those whose articles, code and settings have not "
        "changed since their last publication (left alone by default)",
    )
    run.add_argument("--home", help=f"data folder (default: ${HOME_ENV} or ./data)")
    run.set_defaults(func=commands.do_run)

    ui = sub.add_parser("ui", help="open the Dagster UI on the asset graph (dagster dev)")
    ui.add_argument(
        "--port", type=_whole(1, 65535), default=3000, help="the UI's port on 127.0.0.1 (3000)"
    )
    ui.add_argument("--home", help=f"data folder (default: ${HOME_ENV} or ./data)")
    ui.set_defaults(func=commands.do_ui)

    code = sub.add_parser(
        "code",
        help="code articles from a JSONL file into events, without Dagster",
        description="Input: one JSON article a line with at least id, text and published_at "
        "(ISO date). Output: one JSON event a line. Unreadable lines are reported on stderr.",
    )
    code.add_argument("input", type=Path, help="articles, JSONL")
    code.add_argument(
        "-o", "--output", type=Path, required=True, help="events, JSONL ('-' for stdout)"
    )
    code.add_argument(
        "--dyadic-only", action="store_true", help="leave out mentions with no target"
    )
    code.set_defaults(func=commands.do_code)

    evaluate = sub.add_parser(
        "evaluate",
        help="score the coder against gold-standard JSONL files",
        description="Score the coder on a gold file, or on every *.jsonl file of a folder "
        "(e.g. tests/gold); files named plover* are scored at PLOVER event-type level.",
    )
    evaluate.add_argument("gold", type=Path, help="a gold JSONL file or a folder of them")
    evaluate.add_argument("--verbose", action="store_true", help="list every miss and every extra")
    evaluate.add_argument(
        "--plover", action="store_true", help="the file is PLOVER-coded (event-type level)"
    )
    evaluate.set_defaults(func=commands.do_evaluate)

    export = sub.add_parser(
        "export",
        help="extract a table or view of the warehouse to one Parquet or CSV file",
        description="Write one table (or the gdelt_events view) of the published warehouse to a "
        "single file, optionally limited to a date range on its date column. Parquet files "
        "carry the data dictionary's schema and column descriptions.",
    )
    export.add_argument("--table", required=True, help="table or view, e.g. events, dyad_month")
    export.add_argument(
        "--format",
        choices=sorted(set(commands.FORMATS.values())),
        help="parquet or csv (default: as the output file's name ends, .parquet or .csv)",
    )
    export.add_argument(
        "--since", type=_day, metavar="YYYY-MM-DD", help="first day, on the table's date column"
    )
    export.add_argument(
        "--until", type=_day, metavar="YYYY-MM-DD", help="last day, on the table's date column"
    )
    export.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    export.add_argument("--home", help=f"data folder (default: ${HOME_ENV} or ./data)")
    export.set_defaults(func=commands.do_export)

    plot = sub.add_parser(
        "plot",
        help="draw a dyad's cooperation, conflict and Goldstein score over time (PNG)",
        description="Events between two countries (or actor codes with no country, such as "
        "IGOUNO) per month; per week or day when the data cover too short a span, as the title "
        "then says.",
    )
    plot.add_argument("--dyad", required=True, metavar="A-B", help="two codes, e.g. USA-CHN")
    plot.add_argument(
        "--directed", action="store_true", help="only events from A to B (default: both ways)"
    )
    plot.add_argument(
        "-o", "--output", type=Path, help="PNG to write (default: <data>/plots/dyad-A-B.png)"
    )
    plot.add_argument("--home", help=f"data folder (default: ${HOME_ENV} or ./data)")
    plot.set_defaults(func=commands.do_plot)

    sql = sub.add_parser(
        "sql",
        help="run a SQL query on the warehouse (read-only) and print the result",
        description="For a quick look without a DuckDB client: the file is opened read-only, "
        "with no access to other files, databases or extensions, and its settings locked.",
    )
    sql.add_argument("query", help='e.g. "SELECT event_root_code, count(*) FROM events GROUP BY 1"')
    sql.add_argument(
        "--max-rows",
        type=_whole(1, 10**9),
        default=40,
        help="rows printed at most (40); the first and last ones when there are more",
    )
    sql.add_argument("--home", help=f"data folder (default: ${HOME_ENV} or ./data)")
    sql.set_defaults(func=commands.do_sql)

    rebuild = sub.add_parser(
        "rebuild",
        help="rebuild events and aggregates from the published mentions (e.g. after changing "
        "DYADFLOW_EVENT_KEY)",
        description="A publication of its own: every event and aggregate rebuilt from the "
        "mentions in the warehouse under the deduplication rule in force ($DYADFLOW_EVENT_KEY), "
        "checked like any publication (Great Expectations included) before it is swapped in. "
        "Nothing is coded again.",
    )
    rebuild.add_argument("--home", help=f"data folder (default: ${HOME_ENV} or ./data)")
    rebuild.set_defaults(func=commands.do_rebuild)

    summary = sub.add_parser("summary", help="print the summary of what the warehouse holds")
    summary.add_argument("--home", help=f"data folder (default: ${HOME_ENV} or ./data)")
    summary.set_defaults(func=commands.do_summary)
    return parser


if __name__ == "__main__":
    entry()
