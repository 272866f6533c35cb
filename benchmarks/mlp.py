"""Training throughput of an MLP 784-256-128-10 (ReLU, cross-entropy, SGD momentum)."""

from __future__ import annotations

from typing import Any

from benchmarks._timing import parse_args
from benchmarks._training import compare

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


def main(argv: list[str] | None = None) -> None:
    """Train the MLP in both libraries from the same weights and compare."""
    parse_args("mlp", __doc__, argv)
    compare(
        "MLP 784-256-128-10, SGD momentum, batch 128",
        build,
        lambda lib, m: lib.optim.SGD(m.parameters(), lr=LR, momentum=0.9),
        BATCH,
        EPOCHS,
    )


if __name__ == "__main__":
    main()
