"""torch.utils.data's module paths resolve to scratchgrad's data classes, as torch's do."""

import importlib

import pytest
import torch.utils.data

import scratchgrad as sg
import scratchgrad.data as data

PATHS = ["", ".dataloader", ".dataset", ".sampler"]


@pytest.mark.parametrize("suffix", PATHS)
def test_every_torch_name_of_the_path_is_ours(suffix: str) -> None:
    ours = importlib.import_module("scratchgrad.utils.data" + suffix)
    theirs = importlib.import_module("torch.utils.data" + suffix)
    for name in ours.__all__:
        assert hasattr(theirs, name), f"torch.utils.data{suffix} has no {name}"
        value = getattr(ours, name)
        if not isinstance(value, type(importlib)):
            assert value is getattr(data, name)


def test_a_torch_style_import_trains_a_loader() -> None:
    from scratchgrad.utils.data import DataLoader, TensorDataset

    ds = TensorDataset(sg.arange(10).float(), sg.arange(10))
    batches = list(DataLoader(ds, batch_size=4))
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    assert torch.utils.data.DataLoader.__name__ == DataLoader.__name__
