"""Framework overhead: microseconds per tiny op, where the array work is nearly free.

(a) ``y = x + x`` on 4 floats; (b) forward and backward of ``((w*x+b)**2).sum()`` on
4-element tensors. Both libraries run the same workload in the same process.
"""

from __future__ import annotations

import numpy as np
import torch

import scratchgrad as sg
from benchmarks._timing import Result, median_us, parse_args, report


def add_workload(lib):  # type: ignore[no-untyped-def]
    """y = x + x on 4 floats, no grad."""
    x = lib.from_numpy(np.random.default_rng(0).random(4, dtype=np.float32))
    return lambda: x + x


def fwd_bwd_workload(lib):  # type: ignore[no-untyped-def]
    """Forward and backward of ((w*x+b)**2).sum() on 4-element tensors."""
    rng = np.random.default_rng(0)
    w, x, b = (lib.from_numpy(rng.random(4, dtype=np.float32)) for _ in range(3))
    w.requires_grad_(True)
    b.requires_grad_(True)

    def step() -> None:
        ((w * x + b) ** 2).sum().backward()

    return step


def run() -> list[Result]:
    """Measure both workloads for scratchgrad and torch."""
    torch.set_num_threads(2)
    results = []
    for name, make, number in [
        ("(a) y = x + x, 4 floats", add_workload, 100_000),
        ("(b) fwd+bwd ((w*x+b)**2).sum(), 4 floats", fwd_bwd_workload, 10_000),
    ]:
        ours = median_us(make(sg), number)
        theirs = median_us(make(torch), number)
        results.append(Result(name, ours, theirs))
    return results


def main(argv: list[str] | None = None) -> None:
    """Run and print the overhead benchmark."""
    parse_args("overhead", __doc__, argv)
    report("Overhead (microseconds per iteration)", run())


if __name__ == "__main__":
    main()
