"""TensorDataset, Subset and random_split."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.data import Subset, TensorDataset, random_split


def test_tensor_dataset_rows_and_batches() -> None:
    x, y = np.arange(12.0).reshape(6, 2), np.arange(6)
    ds = TensorDataset(sg.tensor(x), y)
    assert len(ds) == 6
    row = ds[4]
    np.testing.assert_array_equal(row[0].numpy(), x[4])
    assert row[1].item() == 4
    bx, by = ds.__getitems__([5, 0, 3])
    np.testing.assert_array_equal(bx.numpy(), x[[5, 0, 3]])
    np.testing.assert_array_equal(by.numpy(), [5, 0, 3])


def test_tensor_dataset_refuses_mismatched_sizes() -> None:
    with pytest.raises(
        ValueError, match=r"size mismatch between tensors: first dims of \[\(3,\), \(4,\)\]"
    ):
        TensorDataset(sg.zeros(3), sg.zeros(4))


def test_subset_maps_indices_and_batches() -> None:
    ds = TensorDataset(sg.arange(10))
    sub = Subset(ds, [7, 2, 9])
    assert len(sub) == 3 and sub[1][0].item() == 2
    assert sub.__getitems__([2, 0])[0].tolist() == [9, 7]


@pytest.mark.parametrize("lengths", [[6, 3, 1], [0.6, 0.3, 0.1], [0.5, 0.5]])
def test_random_split_partitions_like_torch(lengths: list[float]) -> None:
    ours = random_split(TensorDataset(sg.arange(10)), lengths, generator=sg.Generator(0))
    theirs = torch.utils.data.random_split(range(10), lengths)
    assert [len(s) for s in ours] == [len(s) for s in theirs]
    seen = np.concatenate([s.indices for s in ours])
    assert sorted(seen.tolist()) == list(range(10))  # disjoint and complete


def test_random_split_is_seeded() -> None:
    a = random_split(TensorDataset(sg.arange(20)), [0.5, 0.5], generator=sg.Generator(3))
    b = random_split(TensorDataset(sg.arange(20)), [0.5, 0.5], generator=sg.Generator(3))
    assert a[0].indices.tolist() == b[0].indices.tolist()


def test_random_split_refuses_bad_lengths() -> None:
    with pytest.raises(ValueError, match="sum to 9, not 10"):
        random_split(TensorDataset(sg.arange(10)), [5, 4])
    with pytest.raises(ValueError, match="must be >= 0 and sum to 1"):
        random_split(TensorDataset(sg.arange(10)), [0.5, 0.6])
