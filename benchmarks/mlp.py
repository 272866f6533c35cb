"""Training throughput of an MLP 784-256-128-10 (ReLU, cross-entropy, SGD momentum)."""

from __future__ import annotations

from typing import Any

import torch

import scratchgrad as sg
from benchmarks._training import copy_weights, load_data, report, train

EPOCHS, BATCH, LR = 3, 128, 0.05


def build(lib: Any) -> Any:
    """The same MLP in either library."""
    nn = lib.nn
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 256),
        nn.ReLU(),
        nn.Linear(256, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )


def main() -> None:
    """Train the MLP in both libraries from the same weights and compare."""
    torch.set_num_threads(2)
    torch.manual_seed(0)
    data = load_data()
    theirs_model = build(torch)
    ours_model = build(sg)
    copy_weights(theirs_model, ours_model)
    ours = train(
        sg,
        ours_model,
        lambda m: sg.optim.SGD(m.parameters(), lr=LR, momentum=0.9),
        data,
        BATCH,
        EPOCHS,
    )
    theirs = train(
        torch,
        theirs_model,
        lambda m: torch.optim.SGD(m.parameters(), lr=LR, momentum=0.9),
        data,
        BATCH,
        EPOCHS,
    )
    report("MLP 784-256-128-10, SGD momentum, batch 128", data, ours, theirs)


if __name__ == "__main__":
    main()
