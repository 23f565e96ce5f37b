"""The ``dyadflow`` command: run the pipeline, open the UI, code files, evaluate the coder."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import difflib
import json
import os
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from pipelines import __version__
from pipelines.printable import shown
from pipelines.settings import HOME_ENV, SettingError, check_environment, layout

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}


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


class UsageError(Exception):
    """A mistake on the command line or in a setting: printed as one line, exit status 2."""


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


def _input_file(path: Path) -> Path:
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if path.is_dir():
        raise UsageError(f"{path}: a folder; expected a file")
    if not os.access(path, os.R_OK):
        raise UsageError(f"{path}: not readable")
    return path


def _output_file(path: Path, suffixes: Sequence[str] = ()) -> Path:
    """``path`` as a file this command may write: no folder is made and nothing replaced but a
    file."""
    if path.is_dir():
        raise UsageError(f"{path}: a folder; expected the name of a file to write")
    if suffixes and path.suffix.lower() not in suffixes:
        raise UsageError(f"{path}: expected a file name ending in {' or '.join(suffixes)}")
    folder = path.parent
    if not folder.exists():
        raise UsageError(f"{path}: there is no folder {folder} to write it in")
    if not folder.is_dir():
        raise UsageError(f"{path}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"{path}: the folder {folder} is not writable")
    return path


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
    run.set_defaults(func=_run)

    ui = sub.add_parser("ui", help="open the Dagster UI on the asset graph (dagster dev)")
    ui.add_argument(
        "--port", type=_whole(1, 65535), default=3000, help="the UI's port on 127.0.0.1 (3000)"
    )
    ui.add_argument("--home", help=f"data folder (default: ${HOME_ENV} or ./data)")
    ui.set_defaults(func=_ui)

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
    code.set_defaults(func=_code)

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
    evaluate.set_defaults(func=_evaluate)

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
        choices=sorted(set(FORMATS.values())),
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
    export.set_defaults(func=_export)

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
    plot.set_defaults(func=_plot)

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
    sql.set_defaults(func=_sql)

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
    rebuild.set_defaults(func=_rebuild)

    summary = sub.add_parser("summary", help="print the summary of what the warehouse holds")
    summary.add_argument("--home", help=f"data folder (default: ${HOME_ENV} or ./data)")
    summary.set_defaults(func=_summary)
    return parser


def _run(args: argparse.Namespace) -> int:
    from assets.runs import land, materialise, sources_resource
    from pipelines.coding.version import coder_version
    from pipelines.run_summary import summary
    from pipelines.warehouse.store import Warehouse

    if args.start and args.end and args.start > args.end:
        raise UsageError(f"--from {args.start} is after --to {args.end}")
    where = layout()
    # A path that is not there is a typo, not a record to keep: it would stay in the
    # quarantine, and in every day's inputs, for good.
    config = sources_resource(args.source, args.sources_file).config(where.home)
    missing = config.missing_paths()
    if missing:
        raise UsageError(f"{missing[0]}: no such file or folder (a source of this run)")
    coder = coder_version()  # reads the dictionaries: a file that cannot be read stops it here
    started = time.monotonic()
    landed = land(where, args.source, args.sources_file)
    if not landed.success:
        print(
            f"dyadflow: landing the sources failed (run {landed.run_id}, see `make ui`): "
            + shown(landed.message),
            file=sys.stderr,
        )
        return 1
    print(
        f"dyadflow: ingested {landed.articles} new articles from {landed.files_read} files "
        f"({landed.files_unchanged} unchanged files not read again, {landed.quarantined} "
        "records quarantined)"
    )
    if landed.hidden_skipped:
        names = ", ".join(str(p) for p in landed.hidden_skipped[:5])
        more = " ..." if len(landed.hidden_skipped) > 5 else ""
        print(
            f"dyadflow: skipped {len(landed.hidden_skipped)} hidden files (names beginning with a "
            f"dot, not read): {names}{more}"
        )
    days = [
        d
        for d in landed.days
        if (args.start is None or d >= args.start) and (args.end is None or d <= args.end)
    ]
    if not days:
        print("dyadflow: no articles in the sources for the days asked", file=sys.stderr)
        return 1
    warehouse = Warehouse(where.duckdb_path, where.exports_dir)
    restored = warehouse.restore_exports()
    if restored:
        print(
            f"dyadflow: wrote {len(restored)} missing Parquet export files again from the "
            f"published release, under {where.exports_dir}"
        )
    if not args.force:
        asked = len(days)
        days = _days_to_publish(where, warehouse, days, coder)
        if len(days) < asked:
            print(
                f"dyadflow: {asked - len(days)} of the {asked} days are up to date (their last "
                "publication had the same articles, code and settings): left alone; --force "
                "publishes them again"
            )
        if not days:
            print()
            print(summary(warehouse))
            print(f"\nNothing to publish. The results are in {where.duckdb_path}")
            return 0
    print(f"dyadflow: {len(days)} days to run, {days[0]} .. {days[-1]}; data folder {where.home}")

    def progress(run) -> None:
        status = "ok" if run.success else "FAILED"
        detail = f" (failed checks: {', '.join(run.failed_checks)})" if run.failed_checks else ""
        detail += f" (warnings: {', '.join(run.warnings)})" if run.warnings else ""
        detail = shown(detail)
        if run.message:  # lines of its own, indented under the day: each line escaped
            lines = "\n".join(shown(line) for line in run.message.split("\n"))
            detail += "\n" + textwrap.indent(lines, " " * 6)
        print(f"  {run.day}  {status}{detail}", flush=True)

    runs = materialise(
        where,
        days,
        args.source,
        on_done=progress,
        sources_file=args.sources_file,
        landed_by=landed.run_id,
    )
    print()
    print(summary(warehouse))
    failed = [r for r in runs if not r.success]
    print(
        f"\n{len(runs) - len(failed)} of {len(runs)} days published in {time.monotonic() - started:.0f} s."
    )
    if failed:
        print(
            f"Not published: {', '.join(str(r.day) for r in failed)} (see `make ui` for the reasons)"
        )
    print(
        "Explore: `make ui` for the Dagster UI; "
        '`.venv/bin/dyadflow sql "SELECT * FROM events LIMIT 10"` or any DuckDB client '
        f"(read-only) on {where.duckdb_path}"
    )
    return 1 if failed else 0


def _days_to_publish(where, warehouse, days: list[date], coder: str) -> list[date]:
    """The days whose inputs changed since their last publication, or that have none.

    ``coder``: the version of the command line's coder (no extra dictionaries but
    $DYADFLOW_DICTIONARIES').
    """
    from assets.publish import day_fingerprint
    from pipelines.ingest.landing_area import Landing, landing_dir

    published = warehouse.published_inputs()
    landing = Landing(landing_dir(where.home))

    def changed(day: date) -> bool:
        if day not in published:
            return True
        now = day_fingerprint(landing.day_articles(day), landing.day_quarantine(day), coder)
        return now != published[day]

    return [day for day in days if changed(day)]


def _ui(args: argparse.Namespace) -> int:
    from assets.runs import instance_for, ui_command

    where = layout()
    instance_for(where).dispose()
    command = ui_command(where, args.port)
    print(f"dyadflow: starting the Dagster UI on http://127.0.0.1:{args.port} (Ctrl-C to stop)")
    os.execv(command[0], command)
    return 0  # not reached


def _code(args: argparse.Namespace) -> int:
    from pipelines.coding.coder import EventCoder
    from pipelines.datamodel.records import Article
    from pipelines.ingest.jsonl import read_jsonl

    _input_file(args.input)
    to_stdout = str(args.output) == "-"
    if not to_stdout:
        _output_file(args.output)
    counts = {"articles": 0, "unreadable": 0}

    def readable():  # streams: the file is never held in memory
        for record in read_jsonl(args.input):
            if isinstance(record, Article):
                counts["articles"] += 1
                yield record
            else:
                counts["unreadable"] += 1
                print(f"dyadflow: skipped {shown(record)}", file=sys.stderr)

    coder = EventCoder()
    # written under a temporary name in the same folder, renamed when whole
    out = sys.stdout if to_stdout else _partial(args.output)
    written = 0
    done = False
    try:
        for mention in coder.code_articles(readable()):
            if args.dyadic_only and not mention.is_dyadic:
                continue
            row = mention.as_row()
            row["coder_version"] = coder.version
            out.write(json.dumps(row, default=str, ensure_ascii=False) + "\n")
            written += 1
        done = True
    finally:
        if out is not sys.stdout:
            out.close()
            if done:
                os.replace(out.name, args.output)
            else:
                Path(out.name).unlink(missing_ok=True)
    print(
        f"dyadflow: {counts['articles']} articles coded, {written} events written to "
        f"{args.output}, {counts['unreadable']} lines unreadable",
        file=sys.stderr,
    )
    return 0


def _partial(path: Path):
    return tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )


def _evaluate(args: argparse.Namespace) -> int:
    from pipelines.coding.coder import EventCoder
    from pipelines.coding.evaluate import run_evaluation
    from pipelines.coding.gold_sets import gold_files

    try:
        files = gold_files(args.gold)
    except FileNotFoundError as err:
        raise UsageError(str(err)) from None
    coder = EventCoder()
    for number, (path, plover) in enumerate(files):
        if number:
            print()
        run_evaluation(
            path, verbose=args.verbose, plover=plover or args.plover, out=sys.stdout, coder=coder
        )
    return 0


def _warehouse_file() -> Path | None:
    """The published DuckDB file, or None after saying there is none yet."""
    path = layout().duckdb_path
    if not path.exists():
        print(f"dyadflow: no warehouse at {path}: run `dyadflow run` first", file=sys.stderr)
        return None
    return path


def _published_warehouse():
    from pipelines.warehouse.store import Warehouse

    if _warehouse_file() is None:
        return None
    return Warehouse(layout().duckdb_path, layout().exports_dir)


def _export(args: argparse.Namespace) -> int:
    from pipelines.datamodel.tables import TABLES, VIEWS
    from pipelines.warehouse.exports import extract

    relation = TABLES.get(args.table) or VIEWS.get(args.table)
    if relation is None:
        names = ", ".join([*TABLES, *VIEWS])
        raise UsageError(f"no table {args.table!r}; one of: {names}")
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    _output_file(args.output)
    named = FORMATS.get(args.output.suffix.lower())
    fmt = args.format or named
    if fmt is None:
        raise UsageError(f"{args.output}: give --format, or a name ending in .parquet or .csv")
    if named is not None and named != fmt:
        raise UsageError(f"{args.output}: a {named} file name for --format {fmt}")
    warehouse = _published_warehouse()
    if warehouse is None:
        return 1
    try:
        with warehouse.connect() as con:
            rows = extract(con, relation, fmt, args.output, args.since, args.until)
    except ValueError as error:
        raise UsageError(str(error)) from None
    print(f"dyadflow: {rows} rows of {relation.name} written to {args.output} ({fmt})")
    return 0


def _plot(args: argparse.Namespace) -> int:
    from pipelines.plot import NoEvents, parse_dyad, plot_dyad

    try:
        a, b = parse_dyad(args.dyad)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if args.output is not None:
        _output_file(args.output, suffixes=(".png",))
    warehouse = _published_warehouse()
    if warehouse is None:
        return 1
    output = args.output or layout().home / "plots" / f"dyad-{a}-{b}.png"
    release = warehouse.last_release()
    version = release["dataset_version"] if release else ""
    with warehouse.connect() as con:
        try:
            drawn = plot_dyad(con, f"{a}-{b}", output, args.directed, version)
        except NoEvents as error:
            unknown = _unknown_codes(con, (a, b))
            if unknown:
                raise UsageError(
                    f"--dyad {args.dyad}: {', '.join(unknown)} is not a CAMEO country or actor "
                    "code of the codebook"
                ) from None
            busiest = con.execute(
                "SELECT source_country || '-' || target_country FROM dyad_month "
                "WHERE source_country <> target_country GROUP BY ALL "
                "ORDER BY sum(events) DESC, 1 LIMIT 5"
            ).fetchall()
            hint = ", ".join(d for (d,) in busiest)
            print(f"dyadflow: {error.args[0]}; the busiest dyads: {hint}", file=sys.stderr)
            return 1
    print(
        f"dyadflow: {drawn.events} events of {a}-{b} per {drawn.bins} "
        f"({drawn.first} .. {drawn.last}) drawn in {drawn.path}"
    )
    return 0


def _unknown_codes(con, codes: Sequence[str]) -> list[str]:
    """The codes neither the codebook nor the events know (none when no codebook is published)."""
    known = con.execute(
        "SELECT code FROM cameo_countries WHERE code IN $codes "
        "UNION SELECT code FROM actor_dictionary WHERE code IN $codes "
        "UNION SELECT coalesce(source_country, source_actor) FROM events "
        "WHERE coalesce(source_country, source_actor) IN $codes "
        "UNION SELECT coalesce(target_country, target_actor) FROM events "
        "WHERE coalesce(target_country, target_actor) IN $codes",
        {"codes": list(codes)},
    ).fetchall()
    if not con.execute("SELECT count(*) FROM cameo_countries").fetchone()[0]:
        return []
    return [c for c in codes if c not in {k for (k,) in known}]


def _sql(args: argparse.Namespace) -> int:
    import duckdb

    path = _warehouse_file()
    if path is None:
        return 1
    with duckdb.connect(str(path), read_only=True, config=SQL_CONFIG) as con:
        try:
            relation = con.sql(args.query)  # a SELECT runs in show(): its errors come there
            if relation is not None:
                relation.show(max_rows=args.max_rows, max_width=200)
        except duckdb.Error as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            if _refused(err):
                raise UsageError(
                    "sql is read-only: no writes, no other files, databases or extensions, "
                    f"no settings: {first}"
                ) from None
            print(f"dyadflow: {shown(first)}", file=sys.stderr)
            return 1
    return 0


# The warehouse as `dyadflow sql` opens it: read-only, and nothing else reachable. DuckDB's
# external access covers files (COPY, EXPORT, read_*, glob), other databases (ATTACH),
# extensions (INSTALL, LOAD) and URLs; the lock keeps a query from turning any of it back on.
SQL_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def _refused(err: Exception) -> bool:
    import duckdb

    text = str(err)
    return isinstance(err, duckdb.PermissionException) or (
        isinstance(err, duckdb.InvalidInputException)
        and ("read-only mode" in text or "configuration has been locked" in text)
    )


def _rebuild(args: argparse.Namespace) -> int:
    from pipelines.validation.candidate import candidate_validator
    from pipelines.validation.site import ValidationSite
    from pipelines.warehouse.integrity import PublicationRejected
    from pipelines.warehouse.store import check_settings

    check_settings()
    warehouse = _published_warehouse()
    if warehouse is None:
        return 1
    started = time.monotonic()
    validate = candidate_validator(ValidationSite.under(layout().home), "dyadflow rebuild")
    try:
        result = warehouse.rebuild(validate=validate)
    except PublicationRejected as rejected:
        print(f"dyadflow: {rejected}", file=sys.stderr)
        return 1
    warned = [o.name for o in result.outcomes if not o.passed]
    print(
        f"dyadflow: {result.events_rebuilt} events on {len(result.events_dates)} dates rebuilt "
        f"under the key {warehouse.dedup} and published as {result.dataset_version} in "
        f"{time.monotonic() - started:.1f} s"
        + (f" (warnings: {', '.join(warned)})" if warned else "")
    )
    return 0


def _summary(args: argparse.Namespace) -> int:
    from pipelines.run_summary import summary

    warehouse = _published_warehouse()
    if warehouse is None:
        return 1
    print(summary(warehouse))
    return 0


if __name__ == "__main__":
    entry()
