"""A landing in a process of its own, killed with SIGKILL by itself at the start of its Nth
Parquet write (after the temporary file is written, before it replaces the real one); N = 0
lands to the end. Prints the number of Parquet writes. Small parts, so that a small corpus
makes many commits.

    python -m tests.ingest.landing_worker LANDING_DIR INBOX N
"""

import os
import signal
import sys
from pathlib import Path

import pyarrow.parquet as pq

from pipelines.ingest import landing_area, part_pool
from pipelines.ingest.config import SourcesConfig
from pipelines.ingest.landing import Ingestor


def main() -> None:
    root, inbox, kill_at = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    part_pool.CHUNK_ARTICLES = 7
    part_pool.SCREEN_BATCH = 16
    writes = 0
    write = landing_area._atomic_parquet

    def killed_at_the_nth(table, path):
        nonlocal writes
        writes += 1
        if writes == kill_at:
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, path.with_name(f".{path.name}.tmp"))
            os.kill(os.getpid(), signal.SIGKILL)
        write(table, path)

    # Every Parquet file of the landing area is written through this one function.
    landing_area._atomic_parquet = killed_at_the_nth
    config = SourcesConfig(inbox=inbox, use_sample_when_empty=False)
    Ingestor(root, config).run()
    print(writes)


if __name__ == "__main__":
    main()
