from scratchgrad.tensor_methods.math import MathMethods
from tests.tensor_methods._mixins import check_resolution_and_names, check_values_against_torch


def test_tensor_uses_these_methods_and_torch_has_their_names() -> None:
    check_resolution_and_names(MathMethods)


def test_methods_without_arguments_match_torch() -> None:
    compared = check_values_against_torch(MathMethods)
    assert compared or not [n for n in vars(MathMethods) if not n.startswith("_")]


def test_softmax_log_softmax_and_hardshrink_match_torch() -> None:
    import numpy as np
    import torch

    import scratchgrad as sg

    a = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    x, t = sg.tensor(a), torch.tensor(a)
    np.testing.assert_allclose(x.softmax(-1).numpy(), t.softmax(-1).numpy(), rtol=1e-6)
    np.testing.assert_allclose(
        x.log_softmax(0, dtype=sg.float64).numpy(), t.log_softmax(0, dtype=torch.float64).numpy()
    )
    np.testing.assert_array_equal(x.hardshrink(0.7).numpy(), t.hardshrink(0.7).numpy())
