"""Each expectation's GX configuration built once per validation, not once per argument read.

Great Expectations 1.x derives an expectation's ``configuration`` (a pydantic copy of all its
arguments, value sets included) afresh every time it reads one of them: about 90 times per
expectation and validation. On a small day that was 30% of a validation's CPU, and validation is
the largest part of a day's fixed cost. An expectation does not change while a suite is validated, so inside
``built_once()`` the first configuration built for an expectation object is handed out again.
Outside it, GX behaves as shipped. ``tests/validation/test_configurations.py`` holds the results
to those of GX alone, passing and failing. A workaround for GX, not a feature: drop it once GX
builds the configuration once itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from great_expectations.expectations.expectation import Expectation

# id of an expectation -> (the expectation, its configuration); None outside built_once().
# The expectation is held so that its id cannot be reused by another object meanwhile.
_BUILT: ContextVar[dict[int, tuple[Expectation, object]] | None] = ContextVar(
    "dyadflow_gx_configurations", default=None
)
# GX's own getter (also when this module is imported again, e.g. reloaded).
_build = getattr(Expectation.configuration.fget, "__wrapped__", Expectation.configuration.fget)


def _configuration(self: Expectation):
    built = _BUILT.get()
    if built is None:
        return _build(self)
    entry = built.get(id(self))
    if entry is None:
        entry = built[id(self)] = (self, _build(self))
    return entry[1]


@contextmanager
def built_once() -> Iterator[None]:
    """Within the block, an expectation's configuration is built on first use and kept."""
    token = _BUILT.set({})
    try:
        yield
    finally:
        _BUILT.reset(token)


_configuration.__wrapped__ = _build  # type: ignore[attr-defined]
Expectation.configuration = property(_configuration)
