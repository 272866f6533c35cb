"""Loading state dicts: the keys reported as torch reports them, every problem at once."""

import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.nn.state_dict import IncompatibleKeys


def _models() -> tuple[nn.Module, torch.nn.Module]:
    return nn.Sequential(nn.Linear(3, 2), nn.ReLU()), torch.nn.Sequential(
        torch.nn.Linear(3, 2), torch.nn.ReLU()
    )


def test_non_strict_load_reports_missing_and_unexpected_keys_like_torch() -> None:
    ours, theirs = _models()
    state = {"0.weight": sg.zeros(2, 3), "extra.bias": sg.zeros(2)}
    tstate = {"0.weight": torch.zeros(2, 3), "extra.bias": torch.zeros(2)}
    got = ours.load_state_dict(state, strict=False)
    want = theirs.load_state_dict(tstate, strict=False)
    assert isinstance(got, IncompatibleKeys)
    assert got.missing_keys == want.missing_keys
    assert got.unexpected_keys == want.unexpected_keys


def test_strict_load_names_every_problem() -> None:
    ours, _ = _models()
    with pytest.raises(RuntimeError) as err:
        ours.load_state_dict({"0.weight": sg.zeros(2, 3), "extra": sg.zeros(1)})
    assert "0.bias" in str(err.value) and "extra" in str(err.value)


def test_every_problem_is_reported_together() -> None:
    import numpy as np

    model = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 2))
    given = {
        "0.weight": np.zeros((2, 3), dtype=np.complex64),  # a dtype that cannot be copied
        "0.bias": sg.zeros(5),  # a shape that does not fit
        "1.weight": "not a tensor",
    }  # and 1.bias missing
    with pytest.raises(RuntimeError) as err:
        model.load_state_dict(given)
    text = str(err.value)
    for part in (
        'Missing key(s) in state_dict: "1.bias"',
        "dtype mismatch for 0.weight",
        "size mismatch for 0.bias",
        'parameter named "1.weight"',
    ):
        assert part in text
