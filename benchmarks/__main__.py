"""Run every benchmark: ``python -m benchmarks`` (``make bench``)."""

from benchmarks import overhead

for module in (overhead,):
    module.main()
