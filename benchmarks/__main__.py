"""Run every benchmark: ``python -m benchmarks`` (``make bench``); or name some: ``mlp cnn``."""

import sys

from benchmarks import classical, cnn, gpt, mlp, overhead

ALL = {"overhead": overhead, "mlp": mlp, "cnn": cnn, "classical": classical, "gpt": gpt}
for name in sys.argv[1:] or list(ALL):
    ALL[name].main()
