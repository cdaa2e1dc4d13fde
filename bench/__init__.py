"""Benchmarks (run by hand; they read ../shared/corpus at run time and are not part of the test suite)."""
