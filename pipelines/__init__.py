"""dyadflow: news articles in, CAMEO-coded dyadic event data out.

The library under ``pipelines/`` is plain Python and knows nothing of Dagster, so it can be
used from a notebook, the CLI or another orchestrator. Dagster wiring lives in ``assets/`` and
``pipelines/definitions.py``.
"""

__version__ = "0.1.0"
