"""What each ``dyadflow`` command does, once ``assets/cli.py`` has read its arguments: the
``do_*`` functions, each given the parsed arguments and returning the exit status."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from assets.usage import UsageError, input_file, output_file
from pipelines.printable import shown
from pipelines.settings import layout

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}


def do_run(args: argparse.Namespace) -> int:
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


def do_ui(args: argparse.Namespace) -> int:
    from assets.runs import instance_for, ui_command

    where = layout()
    instance_for(where).dispose()
    command = ui_command(where, args.port)
    print(f"dyadflow: starting the Dagster UI on http://127.0.0.1:{args.port} (Ctrl-C to stop)")
    os.execv(command[0], command)
    return 0  # not reached


def do_code(args: argparse.Namespace) -> int:
    from pipelines.coding.coder import EventCoder
    from pipelines.datamodel.records import Article
    from pipelines.ingest.jsonl import read_jsonl

    input_file(args.input)
    to_stdout = str(args.output) == "-"
    if not to_stdout:
        output_file(args.output)
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


def do_evaluate(args: argparse.Namespace) -> int:
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


def do_export(args: argparse.Namespace) -> int:
    from pipelines.datamodel.tables import TABLES, VIEWS
    from pipelines.warehouse.exports import extract

    relation = TABLES.get(args.table) or VIEWS.get(args.table)
    if relation is None:
        names = ", ".join([*TABLES, *VIEWS])
        raise UsageError(f"no table {args.table!r}; one of: {names}")
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    output_file(args.output)
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


def do_plot(args: argparse.Namespace) -> int:
    from pipelines.plot import NoEvents, parse_dyad, plot_dyad

    try:
        a, b = parse_dyad(args.dyad)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if args.output is not None:
        output_file(args.output, suffixes=(".png",))
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


def do_sql(args: argparse.Namespace) -> int:
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


def do_rebuild(args: argparse.Namespace) -> int:
    from pipelines.validation.candidate_release import candidate_validator
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


def do_summary(args: argparse.Namespace) -> int:
    from pipelines.run_summary import summary

    warehouse = _published_warehouse()
    if warehouse is None:
        return 1
    print(summary(warehouse))
    return 0
