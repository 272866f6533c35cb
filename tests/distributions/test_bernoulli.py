import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.distributions import Bernoulli

from ._parity import check, error

R = np.random.default_rng(1)
PROBS, LOGITS = R.uniform(0.05, 0.95, size=(2, 3)), R.normal(size=(2, 3))
VALUE = R.integers(0, 2, size=(4, 2, 3))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("method", ["log_prob", "entropy"])
@pytest.mark.parametrize("param", ["probs", "logits"])
def test_values_and_gradients_match_torch(param, method, dtype):
    def build(lib, p):
        return lib.distributions.Bernoulli(**{param: p})

    value = VALUE.astype(dtype) if method == "log_prob" else None
    check(build, method, [PROBS if param == "probs" else LOGITS], dtype, value)


def test_moments_and_sampling():
    d = Bernoulli(probs=sg.tensor([0.2, 0.5, 0.9]))
    assert d.batch_shape == (3,) and d.sample((4,)).shape == (4, 3)
    np.testing.assert_allclose(d.variance.numpy(), [0.16, 0.25, 0.09], rtol=1e-6)
    assert np.isnan(d.mode.numpy()[1]) and d.mode.numpy()[[0, 2]].tolist() == [0.0, 1.0]
    sg.manual_seed(0)
    x = Bernoulli(logits=sg.zeros(())).sample((100_000,)).numpy()
    assert abs(x.mean() - 0.5) < 0.01
    np.testing.assert_allclose(Bernoulli(logits=sg.tensor(0.0)).probs.item(), 0.5)


BAD = {
    "both": lambda lib: lib.distributions.Bernoulli(lib.tensor(0.5), lib.tensor(0.0)),
    "neither": lambda lib: lib.distributions.Bernoulli(),
    "probs > 1": lambda lib: lib.distributions.Bernoulli(probs=lib.tensor([0.5, 1.5])),
    "value 2": lambda lib: lib.distributions.Bernoulli(probs=0.5).log_prob(lib.tensor(2.0)),
}


@pytest.mark.parametrize("name", BAD)
def test_validation_errors_match_torch(name):
    assert error(lambda: BAD[name](sg)) == error(lambda: BAD[name](torch))


def test_scalar_parameters_match_torch():
    ours = Bernoulli(probs=0.25)
    theirs = torch.distributions.Bernoulli(probs=0.25)
    assert ours.batch_shape == tuple(theirs.batch_shape) == ()
    v = 1.0
    assert abs(ours.log_prob(sg.tensor(v)).item() - theirs.log_prob(torch.tensor(v)).item()) < 1e-6
    assert abs(ours.entropy().item() - theirs.entropy().item()) < 1e-6
