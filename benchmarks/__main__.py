"""Run every benchmark: ``python -m benchmarks`` (``make bench``); or name some: ``mlp cnn``."""

import sys

from benchmarks import classical, cnn, mlp, overhead

ALL = {"overhead": overhead, "mlp": mlp, "cnn": cnn, "classical": classical}
for name in sys.argv[1:] or list(ALL):
    ALL[name].main()
