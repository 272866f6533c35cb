"""Data-parallel training: samples/s of 2 MPI ranks x 1 thread against 1 process.

The same MLP (64-256-256-10) and CNN (digits, 8x8) train for a fixed number of steps at a
global batch of 128: once as two ranks under ``mpiexec -n 2`` (one BLAS thread each,
gradients averaged by DistributedDataParallel), once as one process with two BLAS
threads, and once with one. Each configuration runs in its own interpreter; the table
gives samples per second and the speed-up of two ranks over one process of two threads.

Needs ``pip install 'scratchgrad[distributed]'`` (mpi4py and the mpich wheel).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np

from benchmarks._timing import parse_args

STEPS = 60
BATCH = 128


def _model(kind: str):  # type: ignore[no-untyped-def]
    from scratchgrad import nn

    if kind == "mlp":
        return nn.Sequential(
            nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)
        )
    return nn.Sequential(
        nn.Unflatten(1, (1, 8, 8)),
        nn.Conv2d(1, 32, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(32, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 16, 10),
    )


def worker(kind: str) -> None:
    """Train ``STEPS`` steps (inside one configuration); rank 0 prints samples/s."""
    import scratchgrad as sg
    import scratchgrad.distributed as dist
    from scratchgrad.nn.parallel import DistributedDataParallel

    dist.init_process_group()
    world = dist.get_world_size()
    sg.manual_seed(0)
    net = DistributedDataParallel(_model(kind))
    opt = sg.optim.Adam(net.parameters(), lr=1e-3)
    rng = np.random.default_rng(dist.get_rank())
    x = sg.tensor(rng.random((BATCH // world, 64), dtype=np.float32))
    y = sg.tensor(rng.integers(0, 10, BATCH // world))
    for step in range(STEPS + 5):
        if step == 5:  # after warm-up
            dist.barrier()
            start = time.perf_counter()
        loss = sg.nn.functional.cross_entropy(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    dist.barrier()
    if dist.get_rank() == 0:
        print(f"{STEPS * BATCH / (time.perf_counter() - start):.1f}")  # noqa: T201


def _measure(kind: str, ranks: int, threads: int) -> float:
    env = os.environ | {"OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads)}
    cmd = [sys.executable, "-m", "benchmarks.distributed", "--worker", kind]
    if ranks > 1:
        from scratchgrad.cli.launch import find_mpiexec

        cmd = [find_mpiexec(), "-n", str(ranks), *cmd]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    return float(out.strip().splitlines()[-1])


def allreduce_seconds(
    nbytes: float, nodes: int, gbit_s: float, latency_s: float, buckets: int
) -> float:
    """Ring allreduce of ``nbytes`` over ``nodes``: 2(N-1) latencies a bucket, 2(N-1)/N bytes."""
    bandwidth = gbit_s * 1e9 / 8  # bytes/s
    return buckets * 2 * (nodes - 1) * latency_s + 2 * (nodes - 1) / nodes * nbytes / bandwidth


def scaling_table(step_s: dict[str, float], grad_bytes: dict[str, float]) -> str:
    """Markdown: weak-scaling efficiency t_compute / (t_compute + t_allreduce) per model.

    Args:
        step_s: measured seconds of one training step on one node (per-node batch fixed).
        grad_bytes: the float32 gradient bytes each step averages.
    """
    rows = ["| model | link | " + " | ".join(f"{n} nodes" for n in (2, 8, 16, 64)) + " |"]
    rows.append("|---|---|" + "---|" * 4)
    for model, t in step_s.items():
        for gbit in (10, 100):
            cells = []
            for nodes in (2, 8, 16, 64):
                comm = allreduce_seconds(grad_bytes[model], nodes, gbit, 20e-6, 1)
                cells.append(f"{t / (t + comm):.0%}")
            rows.append(f"| {model} | {gbit} Gbit/s | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    """Print samples/s for each model and configuration."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        worker(argv[1])
        return
    parse_args("distributed", __doc__, argv)
    print("\nData-parallel training (samples/s, global batch 128)")
    columns = ("2 ranks x 1 thread", "1 x 2 threads", "1 x 1 thread", "speed-up")
    print(f"{'model':6s} " + " ".join(f"{c:>{len(c) + 1}s}" for c in columns))
    step_s, grad_bytes = {}, {}
    for kind in ("mlp", "cnn"):
        two = _measure(kind, 2, 1)
        one_two = _measure(kind, 1, 2)
        one_one = _measure(kind, 1, 1)
        print(f"{kind:6s} {two:19.1f} {one_two:14.1f} {one_one:13.1f} {two / one_two:8.2f}x")
        step_s[kind] = BATCH / one_one
        grad_bytes[kind] = 4 * sum(p.numel() for p in _model(kind).parameters())
    print("speed-up = 2 ranks / 1 process of 2 threads (goal >= 1.0)")
    print("\nModelled weak scaling past one machine (20 us latency, ring allreduce, one bucket):")
    print(scaling_table(step_s, grad_bytes))


if __name__ == "__main__":
    main()
