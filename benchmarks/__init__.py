"""Benchmarks: scratchgrad against torch, measured in the same run (``make bench``)."""
