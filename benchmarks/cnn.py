"""Training throughput of a small CNN on 1x28x28 images (Adam 1e-3, batch 64).

conv(1->8, 3x3, pad 1)-ReLU-maxpool 2-conv(8->16, 3x3, pad 1)-ReLU-maxpool 2-flatten-
linear(784->128)-ReLU-linear(128->10).
"""

from __future__ import annotations

from typing import Any

from benchmarks._timing import parse_args

EPOCHS, BATCH, LR = 3, 64, 1e-3


def build(lib: Any, width: int = 1) -> Any:
    """The same CNN in either library; ``width`` multiplies the channels of both convs."""
    nn = lib.nn
    return nn.Sequential(
        nn.Conv2d(1, 8 * width, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8 * width, 16 * width, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(784 * width, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )


def main(argv: list[str] | None = None) -> None:
    """Train the CNN in both libraries from the same weights and compare."""
    from benchmarks._training import compare  # imports torch: not when memory.py builds ours

    parse_args("cnn", __doc__, argv)
    compare(
        "CNN conv8-conv16-fc128, Adam, batch 64",
        build,
        lambda lib, m: lib.optim.Adam(m.parameters(), lr=LR),
        BATCH,
        EPOCHS,
    )


if __name__ == "__main__":
    main()
