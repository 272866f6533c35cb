"""Samplers and the DataLoader's use of them."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.data import (
    DataLoader,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
)

RNG = np.random.default_rng


def test_sequential_and_random_orders() -> None:
    assert SequentialSampler().indices(4, RNG(0)).tolist() == [0, 1, 2, 3]
    order = RandomSampler().indices(50, RNG(0))
    assert sorted(order.tolist()) == list(range(50)) and order.tolist() != list(range(50))


def test_random_sampler_with_more_samples_than_data_covers_each_index_evenly() -> None:
    order = RandomSampler(num_samples=25).indices(10, RNG(1))
    counts = np.bincount(order, minlength=10)
    assert len(order) == 25 and counts.min() >= 2 and counts.max() <= 3


def test_random_sampler_with_replacement_stays_in_range() -> None:
    order = RandomSampler(replacement=True, num_samples=1000).indices(7, RNG(2))
    assert order.min() >= 0 and order.max() <= 6 and len(set(order.tolist())) == 7


def test_subset_random_sampler() -> None:
    order = SubsetRandomSampler([3, 5, 9]).indices(10, RNG(0))
    assert sorted(order.tolist()) == [3, 5, 9]
    with pytest.raises(IndexError, match=r"must be in \[0, 4\)"):
        SubsetRandomSampler([5]).indices(4, RNG(0))


def test_weighted_sampler_follows_the_weights() -> None:
    sampler = WeightedRandomSampler([1.0, 0.0, 3.0], num_samples=40_000)
    counts = np.bincount(sampler.indices(3, RNG(0)), minlength=3) / 40_000
    np.testing.assert_allclose(counts, [0.25, 0.0, 0.75], atol=0.01)
    no_repeat = WeightedRandomSampler([1, 1, 1, 1], num_samples=4, replacement=False)
    assert sorted(no_repeat.indices(4, RNG(0)).tolist()) == [0, 1, 2, 3]


def test_sampler_errors() -> None:
    with pytest.raises(ValueError, match="non-negative, non-zero"):
        WeightedRandomSampler([0.0, 0.0], 2)
    with pytest.raises(ValueError, match="only 1 samples have weight"):
        WeightedRandomSampler([1.0, 0.0], 2, replacement=False)
    with pytest.raises(ValueError, match="3 weights for 4 samples"):
        WeightedRandomSampler([1, 1, 1], 2).indices(4, RNG(0))
    with pytest.raises(ValueError, match="mutually exclusive with shuffle"):
        DataLoader(TensorDataset(sg.arange(4)), shuffle=True, sampler=SequentialSampler())


def test_loader_with_a_weighted_sampler_resumes_exactly() -> None:
    ds = TensorDataset(sg.arange(30))
    sampler = WeightedRandomSampler(np.linspace(1, 2, 30), num_samples=24)
    loader = DataLoader(ds, batch_size=5, sampler=sampler, generator=sg.Generator(4))
    assert len(loader) == 5
    it = iter(loader)
    next(it)
    state = loader.state_dict()
    rest = [b[0].tolist() for b in it]
    again = DataLoader(ds, batch_size=5, sampler=sampler, generator=sg.Generator(0))
    again.load_state_dict(state)
    assert [b[0].tolist() for b in again] == rest
