"""Shared training-throughput harness: the same model, data and order in both libraries.

Data: MNIST from ../shared/data (first 8,000 test images to train on, last 2,000 to
test), or random data of the same shape when that folder is absent. Both libraries
start from the same weights (torch's initialisation copied into scratchgrad) and see
the same batches in the same order.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

import scratchgrad as sg

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist-t10k"


@dataclass
class Data:
    """Train and test arrays: images (N, 1, 28, 28) float32 in [0, 1], labels int64."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str


def load_data() -> Data:
    """MNIST's test set split 8,000 / 2,000, or random data of that shape."""
    if (SHARED / "t10k-images-idx3-ubyte.gz").exists():
        images, labels = sg.data.load_mnist(SHARED, "test")
        x = (images.astype(np.float32) / 255.0)[:, None]
        y = labels.astype(np.int64)
        return Data(x[:8000], y[:8000], x[8000:], y[8000:], "MNIST (../shared/data)")
    rng = np.random.default_rng(0)
    x = rng.random((10000, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, 10000)
    return Data(x[:8000], y[:8000], x[8000:], y[8000:], "random data (MNIST absent)")


def copy_weights(src: torch.nn.Module, dst: sg.nn.Module) -> None:
    """Load torch's parameters into the scratchgrad model (same state_dict keys)."""
    dst.load_state_dict({k: v.detach().numpy().copy() for k, v in src.state_dict().items()})


@dataclass
class Run:
    """Throughput and accuracy of one library."""

    samples_per_s: float
    epoch_times: list[float]
    test_accuracy: float
    final_loss: float


def _epoch(lib: Any, model: Any, opt: Any, data: Data, batch: int, order: np.ndarray) -> float:
    model.train()
    loss_value = 0.0
    for start in range(0, len(order) - batch + 1, batch):
        idx = order[start : start + batch]
        xb, yb = lib.from_numpy(data.x_train[idx]), lib.from_numpy(data.y_train[idx])
        opt.zero_grad()
        loss = lib.nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        loss_value = float(loss.item())
    return loss_value


def _accuracy(lib: Any, model: Any, data: Data) -> float:
    model.eval()
    with lib.no_grad():
        logits = model(lib.from_numpy(data.x_test))
    return float((logits.numpy().argmax(1) == data.y_test).mean())


def train(
    lib: Any, model: Any, make_opt: Callable[[Any], Any], data: Data, batch: int, epochs: int
) -> Run:
    """Train ``epochs`` epochs with a seeded shuffle; throughput from the median epoch."""
    opt = make_opt(model)
    rng = np.random.default_rng(0)
    times, loss = [], 0.0
    for _ in range(epochs):
        order = rng.permutation(len(data.x_train))
        t0 = time.perf_counter()
        loss = _epoch(lib, model, opt, data, batch, order)
        times.append(time.perf_counter() - t0)
    samples = (len(data.x_train) // batch) * batch
    return Run(samples / statistics.median(times), times, _accuracy(lib, model, data), loss)


def compare(
    title: str,
    build: Callable[[Any], Any],
    make_opt: Callable[[Any, Any], Any],
    batch: int,
    epochs: int,
) -> None:
    """Train ``build(lib)`` in both libraries from torch's initial weights and report.

    Args:
        title: the heading of the report.
        build: the model, given the library module (scratchgrad or torch).
        make_opt: the optimizer, given the library and the model.
        batch: samples per batch.
        epochs: epochs to train (throughput from the median epoch).
    """
    torch.set_num_threads(2)
    torch.manual_seed(0)
    data = load_data()
    theirs_model, ours_model = build(torch), build(sg)
    copy_weights(theirs_model, ours_model)
    ours = train(sg, ours_model, lambda m: make_opt(sg, m), data, batch, epochs)
    theirs = train(torch, theirs_model, lambda m: make_opt(torch, m), data, batch, epochs)
    report(title, data, ours, theirs)


def report(title: str, data: Data, ours: Run, theirs: Run) -> None:
    """Print throughput, the ratio scratchgrad/torch and test accuracies."""
    print(f"\n{title}  [{data.source}]")
    for name, r in (("scratchgrad", ours), ("torch", theirs)):
        epochs = ", ".join(f"{t:.2f}s" for t in r.epoch_times)
        print(
            f"  {name:12s} {r.samples_per_s:9.0f} samples/s  epochs [{epochs}]  "
            f"test accuracy {r.test_accuracy:.4f}  last loss {r.final_loss:.4f}"
        )
    ratio = ours.samples_per_s / theirs.samples_per_s
    print(f"  throughput ratio scratchgrad/torch: {ratio:.2f} (goal >= 1.0)")
