"""Cold start of the compiled kernels: the first training step with and without numba's cache.

Each run is a fresh process: ``import scratchgrad``, build the benchmark CNN (or GPT), and
time its first training step, which compiles every kernel it meets. "cold" points
NUMBA_CACHE_DIR at an empty folder, so everything compiles; "warm" reuses that folder,
as every run after the first does; SCRATCHGRAD_KERNELS=numpy is the reference with no
kernels. The cost of a cold start is the cold first step minus the numpy one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks._timing import RESULTS, parse_args

_CHILD = """
import sys, time
t0 = time.perf_counter()
import numpy as np, scratchgrad as sg
sys.path.insert(0, {root!r})
from benchmarks import cnn
t1 = time.perf_counter()
model = cnn.build(sg)
opt = sg.optim.Adam(model.parameters(), lr=1e-3)
rng = np.random.default_rng(0)
def step():
    x = sg.from_numpy(rng.random((64, 1, 28, 28), dtype=np.float32))
    y = sg.from_numpy(rng.integers(0, 10, 64))
    opt.zero_grad()
    sg.nn.functional.cross_entropy(model(x), y).backward()
    opt.step()
t2 = time.perf_counter(); step(); t3 = time.perf_counter(); step(); t4 = time.perf_counter()
print(t1 - t0, t3 - t2, t4 - t3)
"""


def _run(cache: str, kernels: str) -> tuple[float, float, float]:
    env = os.environ | {"NUMBA_CACHE_DIR": cache, "SCRATCHGRAD_KERNELS": kernels}
    root = str(Path(__file__).resolve().parents[1])
    code = _CHILD.format(root=root)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
    imp, first, second = (float(v) for v in out.stdout.split())
    return imp, first, second


def main(argv: list[str] | None = None) -> None:
    """Time import and the first two CNN steps: cold cache, warm cache, no kernels."""
    parse_args("coldstart", __doc__, argv)
    with tempfile.TemporaryDirectory() as cache:
        rows = {
            "cold (compiling)": _run(cache, "numba"),
            "warm (cached)": _run(cache, "numba"),
            "numpy reference": _run(cache, "numpy"),
        }
    print("\nKernels' cold start: the benchmark CNN's first steps in a fresh process (s)")
    print(f"{'run':20s} {'import':>8s} {'step 1':>8s} {'step 2':>8s}")
    for name, (imp, first, second) in rows.items():
        print(f"{name:20s} {imp:8.2f} {first:8.2f} {second:8.3f}")
    cost = rows["cold (compiling)"][1] - rows["numpy reference"][1]
    print(
        f"compiling the CNN's kernels once costs {cost:.1f} s; a cached start "
        f"{rows['warm (cached)'][1] - rows['numpy reference'][1]:+.2f} s"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "coldstart.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
