"""Helpers the tests and the benchmarks share: real servers started on loopback."""
