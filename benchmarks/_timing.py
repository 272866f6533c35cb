"""Timing helpers shared by the benchmarks: medians of repeated runs, ratio reporting."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import timeit
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


@dataclass
class Result:
    """One workload measured for both libraries; times in microseconds per iteration."""

    name: str
    scratchgrad_us: float
    torch_us: float

    @property
    def time_ratio(self) -> float:
        """scratchgrad time / torch time: <= 1.0 means no slower than torch."""
        return self.scratchgrad_us / self.torch_us

    @property
    def speed_ratio(self) -> float:
        """torch time / scratchgrad time: >= 1.0 means at least as fast as torch."""
        return self.torch_us / self.scratchgrad_us


def median_us(fn: Callable[[], object], number: int, repeat: int = 7) -> float:
    """Median over ``repeat`` runs of the mean time of ``number`` calls, in microseconds."""
    fn()  # warm up caches and lazy imports
    runs = timeit.repeat(fn, number=number, repeat=repeat)
    return statistics.median(runs) / number * 1e6


def report(title: str, results: list[Result]) -> None:
    """Print a table of results and save them as JSON under benchmarks/results/."""
    print(f"\n{title}")
    print(f"{'workload':44s} {'scratchgrad':>12s} {'torch':>10s} {'time ratio':>11s} {'speed':>7s}")
    for r in results:
        print(
            f"{r.name:44s} {r.scratchgrad_us:10.2f}us {r.torch_us:8.2f}us "
            f"{r.time_ratio:11.2f} {r.speed_ratio:6.2f}x"
        )
    print("time ratio = scratchgrad/torch (goal <= 1.0); speed = torch/scratchgrad (goal >= 1.0)")
    rows = [asdict(r) | {"time_ratio": r.time_ratio} for r in results]
    save(title.split()[0].lower(), {"results": rows})


def save(name: str, payload: dict[str, Any], folder: Path = RESULTS) -> Path:
    """Write ``payload`` and the machine's description to ``folder/<name>.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {"machine": platform.processor() or platform.machine(), "cpus": os.cpu_count()}
    path = folder / f"{name}.json"
    path.write_text(json.dumps(out | payload, indent=2))
    return path


def parse_args(name: str, doc: str | None, argv: list[str] | None) -> argparse.Namespace:
    """A benchmark's command line: ``--help`` prints its docstring; it takes no options."""
    parser = argparse.ArgumentParser(prog=f"python -m benchmarks.{name}", description=doc)
    return parser.parse_args(argv)
