"""``python -m benchmarks --help`` and each benchmark's ``--help`` print usage."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


NAMES = ("overhead", "mlp", "cnn", "classical", "gpt", "retrieval", "rl", "distributed")
NAMES += ("coldstart",)


@pytest.mark.parametrize("module", ["benchmarks", *(f"benchmarks.{n}" for n in NAMES)])
def test_help_prints_usage(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: python -m {module}")


def test_an_unknown_benchmark_is_refused_by_name() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "nope"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2 and "unknown benchmark 'nope'" in done.stderr
