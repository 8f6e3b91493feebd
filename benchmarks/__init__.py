"""Benchmarks that print tables: medians of several runs, with ratios against a baseline."""
