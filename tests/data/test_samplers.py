"""Samplers: torch's signatures and iteration, lazy chunked draws, and the loader's use of them."""

import numpy as np
import pytest
import torch.utils.data as tud

import scratchgrad as sg
import scratchgrad.data.samplers as samplers
from scratchgrad.data import (
    BatchSampler,
    DataLoader,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
)


def test_sequential_and_random_orders() -> None:
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    assert len(SequentialSampler(range(4))) == 4
    order = list(RandomSampler(range(50), generator=sg.Generator(0)))
    assert sorted(order) == list(range(50)) and order != list(range(50))


def test_random_samplers_follow_their_generator_or_the_global_one() -> None:
    a = list(RandomSampler(range(30), generator=sg.Generator(5)))
    assert a == list(RandomSampler(range(30), generator=sg.Generator(5)))
    sg.manual_seed(3)
    first, second = list(RandomSampler(range(30))), list(RandomSampler(range(30)))
    sg.manual_seed(3)
    assert list(RandomSampler(range(30))) == first and first != second
    sg.manual_seed(3)
    subset = list(SubsetRandomSampler(range(30)))
    sg.manual_seed(3)
    assert list(SubsetRandomSampler(range(30))) == subset


def test_random_sampler_with_more_samples_than_data_covers_each_index_evenly() -> None:
    order = list(RandomSampler(range(10), num_samples=25))
    counts = np.bincount(order, minlength=10)
    assert len(order) == 25 and counts.min() >= 2 and counts.max() <= 3


def test_random_sampler_with_replacement_stays_in_range() -> None:
    sampler = RandomSampler(range(7), replacement=True, num_samples=1000)
    order = list(sampler)
    assert len(sampler) == 1000 and len(order) == 1000
    assert min(order) >= 0 and max(order) <= 6 and len(set(order)) == 7


def test_a_huge_random_sampler_draws_lazily_in_chunks() -> None:
    sampler = RandomSampler(range(10), replacement=True, num_samples=10**10)
    assert len(sampler) == 10**10
    assert 0 <= next(iter(sampler)) < 10
    chunks = sampler.index_chunks(sampler.epoch_seed())
    assert len(next(chunks)) == samplers.CHUNK_SIZE  # not 10**10 indices at once


def test_the_loader_draws_an_epoch_chunk_by_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(samplers, "CHUNK_SIZE", 8)
    drawn: list[int] = []
    make_rng = samplers._rng

    class Spy:
        def __init__(self, seed: int | None) -> None:
            self.rng = make_rng(seed)

        def integers(self, low: int, high: int, size: int, **kw: object) -> np.ndarray:
            drawn.append(size)
            return self.rng.integers(low, high, size, **kw)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(samplers, "_rng", Spy)
    sampler = RandomSampler(range(10), replacement=True, num_samples=10**12)
    loader = DataLoader(range(10), batch_size=4, sampler=sampler)
    it = iter(loader)
    batches = [next(it) for _ in range(5)]
    assert all(len(b) == 4 for b in batches)
    assert drawn == [8, 8, 8]  # 20 indices from 3 chunks of 8, not 10**12


def test_subset_random_sampler() -> None:
    sampler = SubsetRandomSampler([3, 5, 9], generator=sg.Generator(0))
    assert sorted(sampler) == [3, 5, 9] and len(sampler) == 3
    assert sampler.indices == [3, 5, 9]  # torch's attribute


def test_weighted_sampler_follows_the_weights() -> None:
    sampler = WeightedRandomSampler([1.0, 0.0, 3.0], num_samples=40_000)
    counts = np.bincount(list(sampler), minlength=3) / 40_000
    np.testing.assert_allclose(counts, [0.25, 0.0, 0.75], atol=0.01)
    no_repeat = WeightedRandomSampler([1, 1, 1, 1], num_samples=4, replacement=False)
    assert sorted(no_repeat) == [0, 1, 2, 3] and len(no_repeat) == 4
    assert sorted(WeightedRandomSampler(sg.tensor([1.0, 1.0]), 2, False)) == [0, 1]


def test_batch_sampler_as_torch() -> None:
    for drop_last in (False, True):
        ours = BatchSampler(SequentialSampler(range(10)), 3, drop_last)
        theirs = tud.BatchSampler(tud.SequentialSampler(range(10)), 3, drop_last)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)
    assert list(BatchSampler(range(5), 2, False)) == [[0, 1], [2, 3], [4]]


def test_a_torch_style_sampler_subclass_works_in_the_loader() -> None:
    class Reversed(Sampler[int]):
        def __init__(self, n: int) -> None:
            self.n = n

        def __iter__(self):  # type: ignore[no-untyped-def]
            return iter(range(self.n - 1, -1, -1))

        def __len__(self) -> int:
            return self.n

    loader = DataLoader(TensorDataset(sg.arange(5)), batch_size=2, sampler=Reversed(5))
    assert [b[0].tolist() for b in loader] == [[4, 3], [2, 1], [0]]
    plain = DataLoader(TensorDataset(sg.arange(5)), batch_size=2, sampler=[4, 0, 2])
    assert [b[0].tolist() for b in plain] == [[4, 0], [2]]


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: RandomSampler(range(3), replacement=1), TypeError, "replacement should be"),
        (lambda: RandomSampler(range(3), num_samples=0), ValueError, "num_samples should be"),
        (lambda: RandomSampler([]), ValueError, "num_samples=0"),
        (lambda: WeightedRandomSampler([0.0, 0.0], 2), ValueError, "non-negative, non-zero"),
        (lambda: WeightedRandomSampler([1.0, 0.0], 2, False), ValueError, "only 1 samples"),
        (lambda: WeightedRandomSampler([[1.0]], 1), ValueError, "1d sequence"),
        (lambda: WeightedRandomSampler([1.0], 0), ValueError, "num_samples should be"),
        (lambda: WeightedRandomSampler([1.0], 1, replacement=0), ValueError, "replacement"),
        (lambda: BatchSampler(range(3), 0, False), ValueError, "batch_size should be"),
        (lambda: BatchSampler(range(3), 2, 0), ValueError, "drop_last should be"),
    ],
)
def test_sampler_errors_are_torchs(make, error, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=match):
        make()


def test_torch_raises_the_same_errors() -> None:
    with pytest.raises(TypeError, match="replacement should be"):
        tud.RandomSampler(range(3), replacement=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="batch_size should be"):
        tud.BatchSampler(range(3), 0, False)


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


def test_loader_with_a_sampler_generator_resumes_the_following_epochs_too() -> None:
    ds = TensorDataset(sg.arange(20))

    def make() -> DataLoader:
        sampler = RandomSampler(ds, generator=sg.Generator(9))
        return DataLoader(ds, batch_size=6, sampler=sampler)

    loader = make()
    it = iter(loader)
    next(it)
    state = loader.state_dict()
    rest = [b[0].tolist() for b in it] + [b[0].tolist() for b in loader]
    again = make()
    again.load_state_dict(state)
    assert [b[0].tolist() for b in again] + [b[0].tolist() for b in again] == rest
