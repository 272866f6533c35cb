import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.distributions import Uniform

from ._parity import check, error

R = np.random.default_rng(3)
LOW = R.uniform(-2, 0, size=(3,))
HIGH = LOW + R.uniform(1, 2, size=(2, 3))
VALUE = LOW + R.uniform(0.0, 0.99, size=(4, 2, 3)) * (HIGH - LOW)


def build(lib, low, high):
    return lib.distributions.Uniform(low, high)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("method", ["log_prob", "cdf", "entropy"])
def test_values_and_gradients_match_torch(method, dtype):
    value = VALUE.astype(dtype) if method != "entropy" else None
    check(build, method, [LOW, HIGH], dtype, value)


def test_moments_and_rsample():
    low = sg.tensor([0.0, 1.0], requires_grad=True)
    d = Uniform(low, 3.0)
    np.testing.assert_allclose(d.mean.detach().numpy(), [1.5, 2.0])
    np.testing.assert_allclose(d.variance.detach().numpy(), [9 / 12, 4 / 12], rtol=1e-6)
    sg.manual_seed(0)
    x = d.rsample((100_000,))
    assert x.shape == (100_000, 2) and x.requires_grad
    a = x.detach().numpy()
    assert (a >= [0.0, 1.0]).all() and (a < 3).all() and abs(a[:, 0].mean() - 1.5) < 0.02
    x.sum().backward()
    assert abs(low.grad.numpy()[0] - 50_000) < 1_000  # d/dlow of low + u (high - low) = 1 - u


@pytest.mark.filterwarnings("ignore:divide by zero")
def test_log_prob_outside_is_minus_inf_without_validation():
    d = Uniform(0.0, 1.0, validate_args=False)
    assert d.log_prob(sg.tensor(2.0)).item() == -np.inf


BAD = {
    "low >= high": lambda lib: lib.distributions.Uniform(
        lib.tensor([1.0, 2.0]), lib.tensor([0.0, 3.0])
    ),
    "value outside": lambda lib: lib.distributions.Uniform(0.0, 1.0).log_prob(lib.tensor(2.0)),
}


@pytest.mark.parametrize("name", BAD)
def test_validation_errors_match_torch(name):
    assert error(lambda: BAD[name](sg)) == error(lambda: BAD[name](torch))
