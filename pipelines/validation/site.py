"""Where validation leaves its traces under the data folder, and the history it keeps.

    <home>/validation/data_docs/index.html   Great Expectations Data Docs (static HTML that
                                             renders whole offline: offline_views.py)
    <home>/validation/results/               GX validation results (JSON), read by the Data Docs
    <home>/validation/expectations/          the suites as last validated (JSON), for the same
    <home>/validation/runs/<batch>/*.json    one small record per validation: the history that
                                             the warehouse's ``validation_runs`` table holds

Each validation writes its own files, so concurrent runs never write the same record. A failed
validation's page is rendered at once, with the index; the pages of the others are rendered
together at the end of the day's validations (``runner.render_docs``), which is much cheaper
than one by one, and those of a whole ``dyadflow run`` at its end
(``runner.rendering_deferred``). The index lists the latest ``INDEXED_RESULTS`` validations (the
history keeps them all). Data Docs are a convenience: failing to render them is logged and never
fails a validation.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipelines.datamodel.outcomes import Status
from pipelines.datamodel.tables import VALIDATION_RUNS
from pipelines.validation.findings import Validation

# The columns of the history, in order: the warehouse's validation_runs but its record key.
RUN_COLUMNS = tuple(c for c in VALIDATION_RUNS.column_names if c != "record")


# The Data Docs index lists this many of the latest validations; rendering it reads each one.
INDEXED_RESULTS = 400

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ValidationSite:
    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))  # a str root would fail in keep()

    @classmethod
    def under(cls, home: str | os.PathLike[str]) -> ValidationSite:
        return cls(Path(home) / "validation")

    @property
    def data_docs(self) -> Path:
        return self.root / "data_docs"

    @property
    def index(self) -> Path:
        return self.data_docs / "index.html"

    @property
    def results(self) -> Path:
        return self.root / "results"

    @property
    def expectations(self) -> Path:
        return self.root / "expectations"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    def keep(self, context, expectations, result, batch: str | None, run_at: datetime):
        """Store ``result`` (and its suite) for the Data Docs; its key and the path its page has
        once rendered (None when it could not be stored)."""
        try:
            return self._keep(context, expectations, result, batch, run_at)
        except Exception as error:  # Data Docs are a convenience: never fail a validation
            log.warning("validation result of %s not kept: %s", result.suite_name, error)
            return None, None

    def render(self, context, site_name: str, keys, index: bool = True) -> None:
        """Render the pages of ``keys`` (results) and of their suites in one go, and the index.

        One call for several pages: GX compiles its page templates once per call.
        """
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
        )

        suites = {
            ExpectationSuiteIdentifier(name=k.expectation_suite_identifier.name) for k in keys
        }
        # GX renders every page when given no identifiers; one that names no stored suite
        # renders none (the index is built all the same).
        identifiers = [*keys, *suites] or [ExpectationSuiteIdentifier(name="__index_only__")]
        try:
            context.build_data_docs(
                site_names=[site_name], resource_identifiers=identifiers, build_index=index
            )
        except Exception as error:
            log.warning("Data Docs not rendered: %s", error)

    def unrendered(self, context, batch: str) -> list:
        """The kept results of ``batch`` whose page is not there yet."""
        keys = [
            key
            for key in context.validation_results_store.list_keys()
            if key.run_id.run_name == batch
        ]
        return [key for key in keys if not self._page(key).exists()]

    def _keep(self, context, expectations, result, batch, run_at):
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )
        from great_expectations.exceptions import DataContextError

        name = result.suite_name
        # The suite page shows the expectations as they were for this validation. Replaced,
        # not updated: GX's add_or_update compares every expectation with every stored one to
        # keep their ids (which nothing here reads), four times the cost of writing the suite.
        with contextlib.suppress(DataContextError):  # not stored yet
            context.suites.delete(name)
        context.suites.add(
            gx.ExpectationSuite(name=name, expectations=[e.copy() for e in expectations])
        )
        run_id = RunIdentifier(run_name=batch or name, run_time=run_at)
        result.meta["run_id"] = run_id
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=name),
            run_id=run_id,
            batch_identifier=batch or name,
        )
        context.validation_results_store.store_validation_results(result, key)
        return key, self._page(key)

    def _page(self, key) -> Path:
        """Where the Data Docs page of the result ``key`` is (or will be) written.

        Built from the key as GX's site lays its pages out, not with GX's
        ``get_docs_sites_urls``: that builds a site builder each call (a tenth of a day's
        validation time) and returns a URL, whose %-escapes are not the file's name.
        """
        *folders, leaf = key.to_tuple()
        return self.data_docs.joinpath("validations", *folders, f"{leaf}.html")

    def record(
        self, validation: Validation, check_name: str, dagster_run_id: str | None = None
    ) -> Path:
        """Keep a small record of ``validation`` in the history; returns its file."""
        row = {
            "validated_at": (validation.run_at or datetime.now()).isoformat(),
            "suite": validation.suite,
            "batch": validation.batch,
            "check_name": check_name,
            "status": Status.of(validation.severity),
            "expectations": validation.evaluated,
            "failed": len(validation.failures),
            "errors": len(validation.errors),
            "warnings": len(validation.warnings),
            "rows": validation.rows,
            "failures": [f"[{f.severity}] {f}" for f in validation.failures],
            "docs_page": str(validation.docs_page) if validation.docs_page else None,
            "dagster_run_id": dagster_run_id,
        }
        folder = self.runs / (validation.batch or "unbatched")
        folder.mkdir(parents=True, exist_ok=True)
        stamp = (validation.run_at or datetime.now()).strftime("%Y%m%dT%H%M%S%f")
        path = folder / f"{stamp}-{check_name}-{uuid.uuid4().hex[:8]}.json"
        # Written aside and renamed: a reader never sees half a record.
        with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False) as tmp:
            json.dump(row, tmp, ensure_ascii=False)
        os.replace(tmp.name, path)
        return path

    def blocked(self, batch: str | None, dagster_run_id: str) -> bool:
        """Whether a validation of ``batch`` in the Dagster run ``dagster_run_id`` failed."""
        for path in (self.runs / (batch or "unbatched")).glob("*.json"):
            with contextlib.suppress(OSError, ValueError):
                record = json.loads(path.read_text("utf-8"))
                if (
                    record.get("dagster_run_id") == dagster_run_id
                    and record["status"] == Status.FAILED
                ):
                    return True
        return False

    def history(self) -> pd.DataFrame:
        """Every recorded validation, oldest first, with the columns of ``RUN_COLUMNS``."""
        rows = [json.loads(p.read_text("utf-8")) for p in sorted(self.runs.glob("*/*.json"))]
        frame = pd.DataFrame(rows, columns=list(RUN_COLUMNS))
        frame["validated_at"] = pd.to_datetime(frame["validated_at"], utc=True)
        return frame.sort_values(["validated_at", "check_name"], ignore_index=True)


def configure(config, root: Path, site_name: str) -> None:
    """Point a GX context config's results store and a Data Docs site at ``root``."""
    site = ValidationSite(root)
    # On disk, not in memory: every Dagster step is its own process, and the index each one
    # builds must still see the suites and results of the others.
    for store, class_name, folder in (
        (config.validation_results_store_name, "ValidationResultsStore", site.results),
        (config.expectations_store_name, "ExpectationsStore", site.expectations),
    ):
        config.stores[store] = {
            "class_name": class_name,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(folder),
            },
        }
    # Pages that render whole offline and call nowhere (offline_views.py).
    views = "pipelines.validation.offline_views"
    page_view = {"module_name": views, "class_name": "OfflinePageView"}
    config.data_docs_sites = {
        site_name: {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(site.data_docs),
            },
            "site_section_builders": {
                section: {"view": page_view}
                for section in ("expectations", "validations", "profiling")
            },
            "site_index_builder": {
                "class_name": "DefaultSiteIndexBuilder",
                "validation_results_limit": INDEXED_RESULTS,
                "view": {"module_name": views, "class_name": "OfflineIndexPageView"},
            },
        }
    }
