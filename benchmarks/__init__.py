"""Benchmarks: notebook time and peak kernel memory, widget update latency,
grading throughput. Run with ``make bench`` (``python -m benchmarks [NAME ...]``)."""
