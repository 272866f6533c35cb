"""Peak memory of one training step (CNN, GPT), scratchgrad against torch, each alone.

Each library runs in its own fresh process (``--child``), which imports it, builds the
model (cnn.py's CNN with Adam, batch 64; gpt.py's GPT with AdamW, batch 32, context 64)
and runs two warm-up steps (Adam's state exists, kernels are compiled or loaded). Then,
three times: collect garbage, ``malloc_trim(0)`` (give freed heap pages back to the OS),
reset the kernel's high-water mark (``echo 5 > /proc/self/clear_refs``), read VmRSS, run
one step, read VmHWM. The step's peak is VmHWM - VmRSS (median of the three). Resetting
is what makes this correct: ru_maxrss and VmHWM otherwise keep the process's peak since
it started (imports, numba compiling), which can hide the step; trimming first keeps pages
that the warm-up freed but malloc kept from hiding the step's new ones. Linux only.

scratchgrad is also measured with tracemalloc (NumPy reports its buffers to it): the
step's peak of traced bytes above those alive before it. torch's allocator does not
report to tracemalloc, so there is no such number for torch.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import gc
import json
import statistics
import subprocess
import sys
import tracemalloc
from pathlib import Path
from subprocess import PIPE
from typing import Any

from benchmarks._steps import GPT_BATCH, GPT_BLOCK, LIBRARIES, Step, gpt_config, make_step
from benchmarks._timing import RESULTS, save
from benchmarks.cnn import BATCH as CNN_BATCH

ROOT = Path(__file__).resolve().parent.parent
MODELS = ("cnn", "gpt")
REPEAT = 3
MIB = 2**20


def _status_bytes(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"/proc/self/status has no {field}")


def _quiet_heap() -> None:
    """Free what is garbage and hand malloc's free pages back to the OS."""
    gc.collect()
    libc = ctypes.util.find_library("c")
    if libc:
        ctypes.CDLL(libc).malloc_trim(0)


def rss_peak(step: Step) -> tuple[int, int]:
    """(resident bytes before one step, the step's peak resident bytes above that)."""
    _quiet_heap()
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    before = _status_bytes("VmRSS")
    step()
    return before, _status_bytes("VmHWM") - before


def traced_peak(step: Step) -> int:
    """Peak bytes traced by tracemalloc during one step, above those alive before it."""
    tracemalloc.start()
    step()  # allocations of the first traced step include tracemalloc's own tables
    gc.collect()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - before


def workload(model: str, quick: bool) -> tuple[int, Any]:
    """(batch, config): cnn.py's batch and width 1, or gpt.py's batch and GPTConfig."""
    if model == "cnn":
        return (8 if quick else CNN_BATCH), 1
    return (4 if quick else GPT_BATCH), gpt_config(16 if quick else GPT_BLOCK, quick)


def child(lib_name: str, model: str, quick: bool) -> dict[str, Any]:
    """Measure one library and model in this process (which must be fresh)."""
    step = make_step(lib_name, model, *workload(model, quick))
    for _ in range(2):
        step()
    runs = [rss_peak(step) for _ in range(REPEAT)]
    out: dict[str, Any] = {
        "library": lib_name,
        "model": model,
        "rss_before_mib": statistics.median(b for b, _ in runs) / MIB,
        "step_rss_peak_mib": statistics.median(p for _, p in runs) / MIB,
        "step_rss_peaks_mib": [p / MIB for _, p in runs],
        "step_traced_peak_mib": None,
    }
    if lib_name == "scratchgrad":
        out["step_traced_peak_mib"] = traced_peak(step) / MIB
    return out


def run_children(jobs: list[tuple[str, str]], quick: bool) -> list[dict[str, Any]]:
    """Run :func:`child` for each (library, model) in its own fresh interpreter, all at once
    (each process's resident memory is its own, so they do not disturb each other)."""
    procs = []
    for lib_name, model in jobs:
        cmd = [sys.executable, "-m", "benchmarks.memory", "--child", lib_name, model]
        cmd += ["--quick"] * quick
        procs.append(subprocess.Popen(cmd, cwd=ROOT, stdout=PIPE, stderr=PIPE, text=True))
    rows = []
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode:
            raise RuntimeError(f"{' '.join(map(str, proc.args))} failed:\n{err}")
        rows.append(json.loads(out.splitlines()[-1]))
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    """Both libraries per model, and the ratio of the step's resident peaks."""
    print("\nPeak memory of one training step (MiB above the state before the step)")
    print(f"{'model':6s} {'library':12s} {'RSS before':>11s} {'step RSS':>9s} {'traced':>8s}")
    for row in rows:
        traced = row["step_traced_peak_mib"]
        print(
            f"{row['model']:6s} {row['library']:12s} {row['rss_before_mib']:11.1f} "
            f"{row['step_rss_peak_mib']:9.1f} {'n/a' if traced is None else f'{traced:.1f}':>8s}"
        )
    peaks = {(r["model"], r["library"]): r["step_rss_peak_mib"] for r in rows}
    for model in MODELS:
        ours, theirs = (peaks[model, lib] for lib in LIBRARIES)
        ratio = ours / max(theirs, 1e-9)
        print(f"{model}: step RSS peak scratchgrad/torch = {ratio:.2f} (goal <= 1.0)")
    print(
        "traced = tracemalloc's peak: NumPy reports its buffers to tracemalloc, torch's "
        "allocator does not, so it is given for scratchgrad only"
    )


def main(argv: list[str] | None = None) -> None:
    """Measure every model in both libraries, print the table and save the JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny models (a smoke test)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for memory.json")
    parser.add_argument("--child", nargs=2, metavar=("LIBRARY", "MODEL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child, args.quick)))
        return
    rows = run_children([(lib, model) for model in MODELS for lib in LIBRARIES], args.quick)
    print_table(rows)
    save("memory", {"quick": args.quick, "results": rows}, args.out)


if __name__ == "__main__":
    main()
