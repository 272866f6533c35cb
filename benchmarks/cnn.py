"""Training throughput of a small CNN on 1x28x28 images (Adam 1e-3, batch 64).

conv(1->8, 3x3, pad 1)-ReLU-maxpool 2-conv(8->16, 3x3, pad 1)-ReLU-maxpool 2-flatten-
linear(784->128)-ReLU-linear(128->10).
"""

from __future__ import annotations

from typing import Any

import torch

import scratchgrad as sg
from benchmarks._training import copy_weights, load_data, report, train

EPOCHS, BATCH, LR = 3, 64, 1e-3


def build(lib: Any) -> Any:
    """The same CNN in either library."""
    nn = lib.nn
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(784, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )


def main() -> None:
    """Train the CNN in both libraries from the same weights and compare."""
    torch.set_num_threads(2)
    torch.manual_seed(0)
    data = load_data()
    theirs_model = build(torch)
    ours_model = build(sg)
    copy_weights(theirs_model, ours_model)
    ours = train(
        sg, ours_model, lambda m: sg.optim.Adam(m.parameters(), lr=LR), data, BATCH, EPOCHS
    )
    theirs = train(
        torch, theirs_model, lambda m: torch.optim.Adam(m.parameters(), lr=LR), data, BATCH, EPOCHS
    )
    report("CNN conv8-conv16-fc128, Adam, batch 64", data, ours, theirs)


if __name__ == "__main__":
    main()
