"""dyadflow's Dagster side: assets, checks, resources, the Definitions and the ``dyadflow``
command that drives runs. Each asset calls into the library under ``pipelines/``."""

# the library first: it sets Arrow's memory pool before anything Dagster loads imports pyarrow
import pipelines  # noqa: F401
