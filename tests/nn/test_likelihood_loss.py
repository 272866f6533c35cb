"""PoissonNLLLoss and GaussianNLLLoss against torch.nn: outputs, gradients, reprs."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.nn.test_margin_loss import build, run


def _counts(rng):
    return [rng.uniform(0.1, 2, (5, 4)), rng.integers(2, 6, (5, 4)).astype(float)]


def _gaussian(var_shape):
    def make(rng):
        x, t = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
        return [x, t, rng.uniform(0.1, 2, var_shape)]

    return make


CASES = [
    ("PoissonNLLLoss", {}, _counts, 2),
    (
        "PoissonNLLLoss",
        {"log_input": False, "full": True, "eps": 1e-3, "reduction": "sum"},
        _counts,
        2,
    ),
    ("GaussianNLLLoss", {}, _gaussian((5, 4)), 3),
    ("GaussianNLLLoss", {"full": True, "eps": 0.5, "reduction": "none"}, _gaussian((5, 1)), 3),
    ("GaussianNLLLoss", {"reduction": "sum"}, _gaussian((5,)), 3),
]
IDS = [f"{c[0]}-{'-'.join(c[1]) or 'default'}" for c in CASES]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("name", "kwargs", "make", "n_grad"), CASES, ids=IDS)
def test_module_matches_torch(name, kwargs, make, n_grad, dtype) -> None:
    arrays = make(np.random.default_rng(len(kwargs)))
    ours, xs = run(sg, build(sg, name, kwargs, dtype), arrays, n_grad, dtype)
    theirs, ts = run(torch, build(torch, name, kwargs, dtype), arrays, n_grad, dtype)
    rtol, atol = (1e-5, 1e-6) if dtype == "float32" else (1e-10, 1e-12)
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol, atol)
    for x, t in zip(xs, ts, strict=True):
        np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol, atol)


@pytest.mark.parametrize(("name", "kwargs", "make", "n_grad"), CASES, ids=IDS)
def test_repr_and_settings_match_torch(name, kwargs, make, n_grad) -> None:
    ours, theirs = build(sg, name, kwargs, "float32"), build(torch, name, kwargs, "float32")
    assert repr(ours) == repr(theirs)
    for key in ("log_input", "full", "eps", "reduction"):
        assert getattr(ours, key, None) == getattr(theirs, key, None), key


def test_gaussian_takes_a_float_variance() -> None:
    x, t = np.array([0.0, 1.0]), np.array([1.0, 1.0])
    ours = sg.nn.GaussianNLLLoss()(sg.tensor(x), sg.tensor(t), 0.5).item()
    theirs = torch.nn.GaussianNLLLoss()(torch.tensor(x), torch.tensor(t), 0.5).item()
    assert ours == pytest.approx(theirs, rel=1e-12)
