"""Benchmarks: each module prints figures (python -m bench.<module>)."""


def summary(doc: str) -> str:
    """A module docstring's first paragraph on one line: the description of its --help."""
    return " ".join(doc.split("\n\n")[0].split())
