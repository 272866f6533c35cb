import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.tensor_methods.convert import ConvertMethods
from tests.tensor_methods._mixins import check_resolution_and_names, check_values_against_torch


def test_tensor_uses_these_methods_and_torch_has_their_names() -> None:
    check_resolution_and_names(ConvertMethods)


def test_methods_without_arguments_match_torch() -> None:
    compared = check_values_against_torch(ConvertMethods)
    assert compared or not [n for n in vars(ConvertMethods) if not n.startswith("_")]


# ------------------------------------------------------------------ DLPack
def test_dlpack_to_torch_and_numpy_shares_memory():

    x = sg.arange(6, dtype=sg.float32).reshape(2, 3)
    t = torch.from_dlpack(x)
    a = np.from_dlpack(x)
    assert t.shape == (2, 3) and t.dtype == torch.float32 and a.dtype == np.float32
    t[0, 0] = 42.0
    assert x[0, 0].item() == 42.0 and a[0, 0] == 42.0
    assert x.__dlpack_device__() == (1, 0)


@pytest.mark.parametrize("dtype", ["float64", "int64", "int32", "uint8", "bool"])
def test_dlpack_round_trip_dtypes_through_torch(dtype):

    x = sg.tensor([[1, 0], [0, 1]]).to(getattr(sg, dtype))
    y = sg.from_dlpack(torch.from_dlpack(x))
    assert y.dtype == x.dtype and y.tolist() == x.tolist()
    assert sg.from_dlpack(x).array.ctypes.data == x.array.ctypes.data


def test_dlpack_refuses_a_tensor_that_requires_grad():

    x = sg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="requires grad"):
        torch.from_dlpack(x)
    assert torch.from_dlpack(x.detach()).tolist() == [1.0, 1.0]
