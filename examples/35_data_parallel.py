"""Data-parallel training: two MPI ranks take the same steps as one process.

Each rank holds a replica of the model and trains on its half of every batch; after
each backward pass DistributedDataParallel averages the gradients over the ranks, so
with the same global batch the replicas move exactly as one model trained on the whole
batch would, up to the order of float summation.

Run it with ``python examples/35_data_parallel.py``: it starts itself under
``mpiexec -n 2`` and alone, then compares the two trainings (needs
``pip install 'scratchgrad[distributed]'``). One figure is written to the output folder
($SCRATCHGRAD_EXAMPLES_OUT, default examples/out/):
    35_data_parallel.png  the loss per step of both runs, on top of each other.
"""

import json
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402

import scratchgrad as sg  # noqa: E402
import scratchgrad.distributed as dist  # noqa: E402
from scratchgrad import nn  # noqa: E402
from scratchgrad.cli.launch import find_mpiexec  # noqa: E402
from scratchgrad.data import DataLoader, DistributedSampler, TensorDataset  # noqa: E402
from scratchgrad.nn.parallel import DistributedDataParallel  # noqa: E402

STEPS, GLOBAL_BATCH = 50, 64


def train(out: Path) -> None:
    """One training of 50 steps; rank 0 writes the losses and the weights to ``out``."""
    dist.init_process_group()
    images, labels = load_digits(return_X_y=True)
    data = TensorDataset(sg.tensor((images / 16).astype(np.float32)), sg.tensor(labels))
    sg.manual_seed(0)
    model = DistributedDataParallel(nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10)))
    sampler = DistributedSampler(data, shuffle=True, seed=0)
    per_rank = GLOBAL_BATCH // dist.get_world_size()
    loader = DataLoader(data, per_rank, sampler=sampler, drop_last=True)
    optimizer = sg.optim.Adam(model.parameters(), lr=1e-2)
    losses: list[float] = []
    epoch = 0
    while len(losses) < STEPS:
        sampler.set_epoch(epoch)
        for xb, yb in loader:
            loss = nn.functional.cross_entropy(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            mean = sg.tensor([loss.item()])
            dist.all_reduce(mean, op=dist.ReduceOp.AVG)  # the global batch's loss
            losses.append(mean.item())
            if len(losses) == STEPS:
                break
        epoch += 1
    if dist.get_rank() == 0:
        sg.save(model.module.state_dict(), out.with_suffix(".safetensors"))
        out.with_suffix(".json").write_text(json.dumps(losses))


if __name__ == "__main__":
    if len(sys.argv) > 1:  # a worker: mpiexec (or the plain run) started us
        train(Path(sys.argv[1]))
        sys.exit()
    folder = out_dir()
    section("Train 50 steps as 2 MPI ranks (32 samples each) and as 1 process (64)")
    me = [sys.executable, __file__]
    subprocess.run([find_mpiexec(), "-n", "2", *me, str(folder / "35_two")], check=True)
    subprocess.run([*me, str(folder / "35_one")], check=True)

    section("The same weights, up to the order of float summation")
    two = sg.load(folder / "35_two.safetensors")
    one = sg.load(folder / "35_one.safetensors")
    for name in one:
        diff = float((two[name] - one[name]).abs().max())
        print(f"{name:10s} max |2 ranks - 1 process| = {diff:.2e}")
        assert diff < 1e-5, name
    losses = {k: json.loads((folder / f"35_{k}.json").read_text()) for k in ("one", "two")}
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(losses["one"], label="1 process, batch 64", linewidth=3, alpha=0.5)
    ax.plot(losses["two"], "--", label="2 ranks x 32, gradients averaged")
    ax.set(xlabel="step", ylabel="training loss", title="data-parallel = one big batch")
    ax.legend()
    fig.tight_layout()
    fig.savefig(folder / "35_data_parallel.png", dpi=110)
    print(f"wrote {folder / '35_data_parallel.png'}")
