"""DataLoader: batching, shuffling, determinism, collation and exact resume."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.data import DataLoader, TensorDataset, default_collate


def _ids(loader: DataLoader) -> list[list[int]]:
    return [b[0].tolist() for b in loader]


def test_each_epoch_visits_every_sample_once() -> None:
    loader = DataLoader(TensorDataset(sg.arange(23)), batch_size=5, shuffle=True)
    for _ in range(3):
        batches = _ids(loader)
        assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
        assert sorted(sum(batches, [])) == list(range(23))


def test_shuffle_differs_between_epochs_and_is_seeded() -> None:
    a = DataLoader(
        TensorDataset(sg.arange(50)), batch_size=10, shuffle=True, generator=sg.Generator(1)
    )
    b = DataLoader(
        TensorDataset(sg.arange(50)), batch_size=10, shuffle=True, generator=sg.Generator(1)
    )
    first, second = _ids(a), _ids(a)
    assert first != second
    assert _ids(b) == first and _ids(b) == second


def test_no_shuffle_keeps_order_and_drop_last() -> None:
    loader = DataLoader(TensorDataset(sg.arange(7)), batch_size=3, drop_last=True)
    assert _ids(loader) == [[0, 1, 2], [3, 4, 5]]
    assert len(loader) == 2
    assert len(DataLoader(TensorDataset(sg.arange(7)), batch_size=3)) == 3


def test_resume_mid_epoch_gives_the_same_batches() -> None:
    ds = TensorDataset(sg.arange(40))
    loader = DataLoader(ds, batch_size=6, shuffle=True, generator=sg.Generator(7))
    _ids(loader)  # one full epoch first
    it = iter(loader)
    seen = [next(it)[0].tolist() for _ in range(3)]
    state = loader.state_dict()
    rest = [b[0].tolist() for b in it]
    after = _ids(loader)
    again = DataLoader(ds, batch_size=6, shuffle=True, generator=sg.Generator(0))
    again.load_state_dict(state)
    assert _ids(again) == rest
    assert _ids(again) == after
    assert sorted(sum(seen + rest, [])) == list(range(40))


def test_an_abandoned_epoch_is_not_continued() -> None:
    loader = DataLoader(TensorDataset(sg.arange(12)), batch_size=4, shuffle=True)
    for _ in loader:
        break
    assert sorted(sum(_ids(loader), [])) == list(range(12))


def test_per_sample_transform_and_plain_sequences() -> None:
    data = [np.full(2, i, dtype=np.float32) for i in range(5)]
    loader = DataLoader(data, batch_size=2, transform=lambda a: a * 10)
    batches = [b.tolist() for b in loader]
    assert batches[0] == [[0.0, 0.0], [10.0, 10.0]]
    assert batches[-1] == [[40.0, 40.0]]


def test_default_collate_keeps_structure_and_dtypes() -> None:
    batch = default_collate([(1, 2.0, {"a": sg.ones(2)}), (3, 4.0, {"a": sg.zeros(2)})])
    assert batch[0].dtype == sg.int64 and batch[0].tolist() == [1, 3]
    assert batch[1].dtype == sg.float32
    assert batch[2]["a"].shape == (2, 2)
    with pytest.raises(TypeError, match="can't batch samples of type str"):
        default_collate(["a", "b"])


def test_bad_batch_size() -> None:
    with pytest.raises(ValueError, match="batch_size must be >= 1, got 0"):
        DataLoader(TensorDataset(sg.arange(3)), batch_size=0)
