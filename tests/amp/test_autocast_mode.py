"""autocast as torch's on a machine without a GPU."""

import warnings

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import amp


def test_disabled_cuda_region_is_silent_and_changes_nothing() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with sg.autocast(device_type="cuda", enabled=False):
            y = sg.ones(2, 3) @ sg.ones(3, 2)
    assert y.numpy().dtype == np.float32


def test_enabled_cuda_region_is_disabled_with_torchs_warning() -> None:
    with pytest.warns(UserWarning, match="Disabling autocast"):
        theirs = torch.autocast(device_type="cuda")
    with pytest.warns(UserWarning, match="CUDA is not available or torch_xla is imported"):
        ours = sg.autocast(device_type="cuda")
    assert ours._enabled is theirs._enabled is False
    with ours:
        assert not amp.is_autocast_enabled("cuda")


def test_cpu_region_is_enabled_and_runs_in_float32() -> None:
    with sg.autocast("cpu"):
        assert amp.is_autocast_enabled("cpu")
        y = sg.nn.Linear(3, 2)(sg.ones(4, 3))
    assert y.detach().numpy().dtype == np.float32
    assert not amp.is_autocast_enabled("cpu")


def test_cpu_dtypes_torch_refuses_are_disabled_with_its_warning() -> None:
    with pytest.warns(UserWarning, match="target dtype is not supported"):
        torch.autocast("cpu", dtype=torch.float64)
    with pytest.warns(UserWarning, match="target dtype is not supported"):
        region = sg.autocast("cpu", dtype=sg.float64)
    assert not region._enabled
    assert sg.autocast("cpu", dtype=torch.bfloat16)._enabled  # a torch dtype is understood


def test_decorator_and_nesting() -> None:
    @sg.autocast("cpu")
    def inside() -> bool:
        with sg.autocast("cpu", enabled=False):
            assert not amp.is_autocast_enabled("cpu")
        return amp.is_autocast_enabled("cpu")

    assert inside() and not amp.is_autocast_enabled("cpu")


def test_device_type_must_be_a_string() -> None:
    with pytest.raises(ValueError, match="Expected `device_type` of type `str`"):
        sg.autocast(0)
