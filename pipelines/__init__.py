"""dyadflow: news articles in, CAMEO-coded dyadic event data out.

The library under ``pipelines/`` is plain Python and knows nothing of Dagster, so it can be
used from a notebook or another orchestrator. Dagster wiring, the Definitions and the
``dyadflow`` command that drives runs live in ``assets/``.
"""

__version__ = "0.1.0"

import os as _os

# Arrow's default allocator (jemalloc) keeps freed memory for reuse, and pandas' strings live in
# Arrow: a long run's footprint crept up day after day. The system allocator hands it back
# (docs/scaling.md). Only effective when set before pyarrow is first imported, which importing
# this package first ensures for the CLI and the Dagster definitions.
_os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
