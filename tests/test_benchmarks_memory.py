"""benchmarks/memory.py: the step's peak is measured right, and the run covers both libraries."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from benchmarks import gpt
from benchmarks._steps import GPT_BATCH, GPT_BLOCK, gpt_config
from benchmarks.memory import rss_peak, traced_peak

ROOT = Path(__file__).parent.parent
MIB = 2**20


def _touch(mib: int) -> None:
    np.ones(mib * MIB // 8).sum()  # allocates and writes every page, then frees them


def test_rss_peak_sees_a_step_that_reuses_memory_freed_before_it() -> None:
    # 20 MiB lands on malloc's heap after the first free raises its mmap threshold; freed,
    # it stays in the process unless trimmed, and a later step would then add nothing.
    peaks = [rss_peak(lambda: _touch(20))[1] / MIB for _ in range(3)]
    assert all(19 < p < 23 for p in peaks), peaks


def test_traced_peak_is_the_step_s_numpy_buffers() -> None:
    assert 7.9 < traced_peak(lambda: _touch(8)) / MIB < 8.2


def test_the_gpt_matches_the_gpt_benchmark() -> None:
    assert (GPT_BATCH, GPT_BLOCK) == (gpt.BATCH, gpt.BLOCK)
    assert gpt.build(65)[2].config == gpt_config(GPT_BLOCK)


def test_quick_run_reports_both_libraries(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "benchmarks.memory", "--quick", "--out", str(tmp_path)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "scratchgrad/torch" in done.stdout
    rows = json.loads((tmp_path / "memory.json").read_text())["results"]
    assert {(r["model"], r["library"]) for r in rows} == {
        (m, lib) for m in ("cnn", "gpt") for lib in ("scratchgrad", "torch")
    }
    for r in rows:
        assert r["rss_before_mib"] > 10 and r["step_rss_peak_mib"] >= 0
        assert (r["step_traced_peak_mib"] is None) == (r["library"] == "torch")
    assert all(r["step_traced_peak_mib"] > 0 for r in rows if r["library"] == "scratchgrad")
