"""Benchmarks: each module prints figures (python -m bench.<module>)."""
