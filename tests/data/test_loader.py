"""DataLoader: batching, shuffling, determinism, collation and exact resume."""

import numpy as np
import pytest
import torch.utils.data

import scratchgrad as sg
from scratchgrad.data import (
    BatchSampler,
    DataLoader,
    SequentialSampler,
    TensorDataset,
    default_collate,
)


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


DS = TensorDataset(sg.arange(4))
BAD_ARGUMENTS = [
    ({"batch_size": 0}, "batch_size should be a positive integer value"),
    ({"num_workers": -1}, "num_workers option should be non-negative"),
    ({"timeout": -1}, "timeout option should be non-negative"),
    ({"prefetch_factor": 2}, "prefetch_factor option could only be specified in multiprocessing"),
    ({"num_workers": 1, "prefetch_factor": -1}, "prefetch_factor option should be non-negative"),
    ({"persistent_workers": True}, "persistent_workers option needs num_workers > 0"),
    ({"shuffle": True, "sampler": [0, 1]}, "sampler option is mutually exclusive with shuffle"),
    ({"batch_sampler": [[0]], "batch_size": 2}, "batch_sampler option is mutually exclusive"),
    ({"batch_sampler": [[0]], "shuffle": True}, "batch_sampler option is mutually exclusive"),
    ({"batch_sampler": [[0]], "sampler": [0]}, "batch_sampler option is mutually exclusive"),
    ({"batch_sampler": [[0]], "drop_last": True}, "batch_sampler option is mutually exclusive"),
    ({"batch_size": None, "drop_last": True}, "batch_size=None option disables auto-batching"),
    ({"multiprocessing_context": "fork"}, "multiprocessing_context can only be used with"),
    ({"num_workers": 1, "multiprocessing_context": "nope"}, "should specify a valid start"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD_ARGUMENTS)
def test_argument_checks_are_torchs(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DataLoader(DS, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=message):
        torch.utils.data.DataLoader(torch.arange(4), **kwargs)  # type: ignore[arg-type]


def test_a_bad_context_object_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="should be a valid context object"):
        DataLoader(DS, num_workers=1, multiprocessing_context=3)  # type: ignore[arg-type]


def test_without_a_generator_manual_seed_decides_the_order() -> None:
    ds = TensorDataset(sg.arange(40))
    sg.manual_seed(11)
    loader = DataLoader(ds, batch_size=8, shuffle=True)
    first, second = _ids(loader), _ids(loader)
    sg.manual_seed(11)
    again = DataLoader(ds, batch_size=8, shuffle=True)
    assert _ids(again) == first and _ids(again) == second
    assert first != second
    sg.manual_seed(12)
    assert _ids(DataLoader(ds, batch_size=8, shuffle=True)) != first


def test_a_batch_sampler_gives_the_batches() -> None:
    bs = BatchSampler(SequentialSampler(range(7)), 3, drop_last=False)
    loader = DataLoader(TensorDataset(sg.arange(7)), batch_sampler=bs)
    assert _ids(loader) == [[0, 1, 2], [3, 4, 5], [6]] and len(loader) == 3
    assert loader.batch_size is None
    foreign = DataLoader(TensorDataset(sg.arange(7)), batch_sampler=[[6, 0], [1]])
    assert _ids(foreign) == [[6, 0], [1]]


def test_batch_size_none_yields_single_samples() -> None:
    data = [np.full(2, i, dtype=np.float32) for i in range(3)]
    out = list(DataLoader(data, batch_size=None))
    assert [t.tolist() for t in out] == [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]
    assert isinstance(out[0], sg.Tensor)


def test_a_custom_collate_fn_is_used_with_batched_datasets() -> None:
    loader = DataLoader(TensorDataset(sg.arange(4)), batch_size=2, collate_fn=len)
    assert list(loader) == [2, 2]


def test_pin_memory_is_accepted_and_warns_once() -> None:
    loader = DataLoader(TensorDataset(sg.arange(4)), batch_size=2, pin_memory=True)
    with pytest.warns(UserWarning, match="no accelerator is found") as record:
        list(loader)
        list(loader)
    assert len(record) == 1
