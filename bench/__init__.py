"""Benchmarks that print figures against docs/ARCHITECTURE.md's performance targets (not part of pytest).

Run them with ``python -m bench``; see :mod:`bench.run` for the suites and :mod:`bench.figures`
for the contract a suite module follows.
"""
