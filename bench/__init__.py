"""Benchmarks: figures for the team's notes, never assertions in the test suite."""
