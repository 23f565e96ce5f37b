"""A reader in a separate process that opens the published file afresh, again and again, while a
test swaps releases under it, and records every error and every count that belongs to no release.

    python -m tests.warehouse.open_worker PATH STOP_FILE RESULT_JSON ROWS...

ROWS are the row counts of table ``t`` in the releases being swapped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb


def main(path: str, stop_file: str, result_json: str, *rows: str) -> None:
    allowed = {int(n) for n in rows}
    result = {"opens": 0, "errors": []}
    print("ready", flush=True)
    while not Path(stop_file).exists():
        try:
            with duckdb.connect(path, read_only=True) as con:
                (count,) = con.execute("SELECT count(*) FROM t").fetchone()
            if count not in allowed:
                result["errors"].append(f"{count} rows: no release has that many")
        except duckdb.Error as error:
            result["errors"].append(f"{type(error).__name__}: {error}")
        result["opens"] += 1
    Path(result_json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(*sys.argv[1:])
