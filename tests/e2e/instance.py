"""What the tests read back from a data folder's Dagster instance."""

import dagster as dg


def job_names(instance: dg.DagsterInstance) -> list[str]:
    """The jobs of the instance's runs, oldest first."""
    return [run.job_name for run in reversed(instance.get_runs())]
