import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.distributions import Normal

from ._parity import check, error

R = np.random.default_rng(0)
LOC, SCALE = R.normal(size=(2, 3)), R.uniform(0.5, 2.0, size=(3,))
VALUE = R.normal(size=(4, 2, 3))


def build(lib, loc, scale):
    return lib.distributions.Normal(loc, scale)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("method", ["log_prob", "cdf", "entropy"])
def test_values_and_gradients_match_torch(method, dtype):
    value = VALUE.astype(dtype) if method != "entropy" else None
    check(build, method, [LOC, SCALE], dtype, value)


def test_shapes_and_moments():
    d = Normal(sg.zeros(2, 1), sg.ones(3) * 2)
    assert d.batch_shape == (2, 3) and d.event_shape == ()
    assert d.sample((5,)).shape == (5, 2, 3)
    assert Normal(0.0, 1.0).batch_shape == ()
    assert Normal(0.0, 1.0).loc.dtype == sg.float32
    assert d.variance.tolist() == [[4.0] * 3] * 2
    sg.manual_seed(0)
    x = Normal(1.0, 3.0).sample((200_000,)).numpy()
    assert abs(x.mean() - 1.0) < 0.03 and abs(x.std() - 3.0) < 0.03


def test_rsample_is_differentiable_sample_is_not():
    loc = sg.tensor([1.0, 2.0], requires_grad=True)
    scale = sg.tensor([1.0, 3.0], requires_grad=True)
    d = Normal(loc, scale)
    assert not d.sample().requires_grad
    sg.manual_seed(0)
    x = d.rsample((10,))
    x.sum().backward()
    assert loc.grad.tolist() == [10.0, 10.0]
    sg.manual_seed(0)
    eps = sg.randn(10, 2)
    np.testing.assert_allclose(scale.grad.numpy(), eps.numpy().sum(0), rtol=1e-6)


def test_icdf_inverts_cdf():
    d = Normal(sg.tensor([0.5]), sg.tensor([2.0]))
    p = sg.tensor([0.1, 0.5, 0.9])
    np.testing.assert_allclose(d.cdf(d.icdf(p)).numpy(), p.numpy(), rtol=1e-5)


BAD = {
    "negative scale": lambda lib: lib.distributions.Normal(lib.zeros(3), -lib.ones(3)),
    "scalar scale": lambda lib: lib.distributions.Normal(0.0, -1.0),
    "nan loc": lambda lib: lib.distributions.Normal(lib.tensor([math.nan, 0.0]), 1.0),
    "value outside support": lambda lib: lib.distributions.Normal(0.0, 1.0).log_prob(
        lib.tensor(math.nan)
    ),
    "value shape": lambda lib: lib.distributions.Normal(lib.zeros(3), 1.0).log_prob(lib.zeros(2)),
}


@pytest.mark.parametrize("name", BAD)
def test_validation_errors_match_torch(name):
    assert error(lambda: BAD[name](sg)) == error(lambda: BAD[name](torch))


def test_validation_can_be_turned_off():
    Normal(0.0, -1.0, validate_args=False)
