import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.distributions import Categorical

from ._parity import check, error

R = np.random.default_rng(2)
PROBS, LOGITS = R.uniform(0.1, 1.0, size=(2, 4)), R.normal(size=(2, 4))
VALUE = R.integers(0, 4, size=(5, 2))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("method", ["log_prob", "entropy"])
@pytest.mark.parametrize("param", ["probs", "logits"])
def test_values_and_gradients_match_torch(param, method, dtype):
    def build(lib, p):
        return lib.distributions.Categorical(**{param: p})

    value = VALUE if method == "log_prob" else None
    check(build, method, [PROBS if param == "probs" else LOGITS], dtype, value)


def test_parameters_are_normalised_as_torch():
    logits = np.array([[1.0, 2.0, 3.0]])
    ours = Categorical(logits=sg.tensor(logits)).logits.numpy()
    theirs = torch.distributions.Categorical(logits=torch.tensor(logits)).logits.numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    assert Categorical(probs=sg.tensor([2.0, 6.0])).probs.tolist() == [0.25, 0.75]


def test_shapes_and_sampling_frequencies():
    d = Categorical(probs=sg.tensor([[0.1, 0.0, 0.9], [0.5, 0.5, 0.0]]))
    assert d.batch_shape == (2,) and d.event_shape == () and d.param_shape == (2, 3)
    assert d.sample().shape == (2,) and d.sample().dtype == sg.int64
    sg.manual_seed(0)
    x = d.sample((50_000,)).numpy()
    assert x.shape == (50_000, 2)
    np.testing.assert_allclose(np.bincount(x[:, 0], minlength=3) / 50_000, [0.1, 0, 0.9], atol=0.01)
    np.testing.assert_allclose(np.bincount(x[:, 1], minlength=3) / 50_000, [0.5, 0.5, 0], atol=0.01)
    assert d.mode.tolist() == [2, 0]
    assert np.isnan(d.mean.numpy()).all() and d.mean.shape == (2,)
    assert d.enumerate_support().tolist() == [[0, 0], [1, 1], [2, 2]]


def test_entropy_with_a_zero_probability_matches_torch():
    p = [0.5, 0.5, 0.0]
    ours = Categorical(probs=sg.tensor(p)).entropy().item()
    theirs = torch.distributions.Categorical(probs=torch.tensor(p)).entropy().item()
    assert abs(ours - theirs) < 1e-6


BAD = {
    "both": lambda lib: lib.distributions.Categorical(lib.ones(2), lib.ones(2)),
    "0-d probs": lambda lib: lib.distributions.Categorical(probs=lib.tensor(1.0)),
    "0-d logits": lambda lib: lib.distributions.Categorical(logits=lib.tensor(1.0)),
    "negative": lambda lib: lib.distributions.Categorical(probs=lib.tensor([0.5, -0.1])),
    "value out of range": lambda lib: lib.distributions.Categorical(lib.ones(3)).log_prob(
        lib.tensor(3)
    ),
}


@pytest.mark.parametrize("name", BAD)
def test_validation_errors_match_torch(name):
    assert error(lambda: BAD[name](sg)) == error(lambda: BAD[name](torch))
