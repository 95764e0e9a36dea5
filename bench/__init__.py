"""Benchmarks at county and province scale (`make bench`)."""
