"""What the tests of the built-in data sets share: the shared data and split checks."""

from pathlib import Path

import numpy as np

from scratchgrad.data import TensorDataset
from scratchgrad.data.builtin import DataSplits
from scratchgrad.data.splits import split_sizes

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"
MNIST = SHARED / "mnist-t10k"
SHAKESPEARE = SHARED / "tinyshakespeare.txt"


def _arrays(ds: TensorDataset) -> list[np.ndarray]:
    return [t.numpy() for t in ds.tensors]


def _all(splits: DataSplits, k: int) -> np.ndarray:
    """Tensor k of the three splits, concatenated."""
    return np.concatenate([s.tensors[k].numpy() for s in (splits.train, splits.val, splits.test)])


def _check_layout(splits: DataSplits, n: int, x_shape: tuple, y_shape: tuple) -> None:
    assert tuple(len(s) for s in splits.splits.values()) == split_sizes(n)
    for s in (splits.train, splits.val, splits.test):
        x, y = _arrays(s)[:2]
        assert x.shape[1:] == x_shape and y.shape[1:] == y_shape
        assert x.dtype == np.float32 or splits.task == "ranking"
