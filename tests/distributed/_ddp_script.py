"""Run by tests/distributed/test_data_parallel.py, alone or under ``mpiexec -n 2``.

Trains a small model for 50 steps with DistributedDataParallel and a DistributedSampler
(global batch 64, split over the ranks), then rank 0 saves the weights. Usage:
``python _ddp_script.py OUT.safetensors mlp|cnn`` or ``... collectives`` or ``... dies``.
"""

import sys
import time
from datetime import timedelta

import numpy as np
from sklearn.datasets import load_digits

import scratchgrad as sg
import scratchgrad.distributed as dist
from scratchgrad import nn
from scratchgrad.data import DataLoader, DistributedSampler, TensorDataset
from scratchgrad.errors import DistributedError
from scratchgrad.nn.parallel import DistributedDataParallel


def model(kind: str) -> nn.Module:
    sg.manual_seed(0)
    if kind == "mlp":
        return nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    if kind == "cnn-bn":  # BatchNorm over the whole global batch
        return nn.SyncBatchNorm.convert_sync_batchnorm(
            nn.Sequential(
                nn.Unflatten(1, (1, 8, 8)),
                nn.Conv2d(1, 8, 3, padding=1, bias=False),  # BN's shift replaces it
                nn.BatchNorm2d(8),
                nn.ReLU(),
                nn.Flatten(),
                nn.Linear(8 * 8 * 8, 10),
            )
        )
    return nn.Sequential(
        nn.Unflatten(1, (1, 8, 8)),
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(8 * 4 * 4, 10),
    )


def train(out: str, kind: str) -> None:
    X, y = load_digits(return_X_y=True)
    data = TensorDataset(sg.tensor((X / 16).astype(np.float32)), sg.tensor(y))
    net = DistributedDataParallel(model(kind))
    sampler = DistributedSampler(data, shuffle=True, seed=0)
    loader = DataLoader(data, 64 // dist.get_world_size(), sampler=sampler, drop_last=True)
    opt = sg.optim.Adam(net.parameters(), lr=1e-2)
    step, epoch = 0, 0
    while step < 50:
        sampler.set_epoch(epoch)
        for xb, yb in loader:
            loss = nn.functional.cross_entropy(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step == 50:
                break
        epoch += 1
    if dist.get_rank() == 0:
        sg.save(net.module.state_dict(), out)


def collectives() -> None:
    rank, size = dist.get_rank(), dist.get_world_size()
    t = sg.full((3,), float(rank + 1))
    dist.all_reduce(t)
    assert t.tolist() == [3.0] * 3, t
    t = sg.full((2,), float(rank + 1))
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    assert t.tolist() == [2.0, 2.0], t
    b = sg.full((2,), float(rank))
    dist.broadcast(b, src=1)
    assert b.tolist() == [1.0, 1.0], b
    parts = [sg.zeros(2) for _ in range(size)]
    dist.all_gather(parts, sg.full((2,), float(rank * 10)))
    assert [p.tolist() for p in parts] == [[0.0, 0.0], [10.0, 10.0]], parts
    dist.barrier()
    print(f"rank {rank} of {size}: collectives ok", flush=True)  # noqa: T201


def dies() -> None:
    if dist.get_rank() == 1:
        time.sleep(8)  # joins after rank 0 has given up (its timeout: 3 s)
        return
    try:
        dist.all_reduce(sg.ones(4))
    except DistributedError as e:
        print(f"rank 0: {e}", flush=True)  # noqa: T201
        sys.exit(3)


if __name__ == "__main__":
    dist.init_process_group(timeout=timedelta(seconds=3) if sys.argv[1] == "dies" else None)
    if sys.argv[1] == "collectives":
        collectives()
    elif sys.argv[1] == "dies":
        dies()
    else:
        train(sys.argv[1], sys.argv[2])
