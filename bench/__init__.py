"""Benchmarks of Course Credits: each figure is a ratio against the raw database floor, measured in one run."""
