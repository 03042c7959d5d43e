"""Benchmarks: `python -m bench` runs every `bench/bench_*.py` and prints its figures.

A benchmark module has a `main()` that prints what it measured. Benchmarks never
fail a build: a module that raises is reported and the others still run.
"""
