"""Activation modules against their torch.nn twins: values, gradients, reprs."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from tests.nn.test_linear import assert_same_structure, run_both, x32

PAIRS = [
    (lambda m: m.Sigmoid(), "Sigmoid"),
    (lambda m: m.Tanh(), "Tanh"),
    (lambda m: m.ReLU(), "ReLU"),
    (lambda m: m.LeakyReLU(), "LeakyReLU"),
    (lambda m: m.LeakyReLU(0.2), "LeakyReLU-0.2"),
    (lambda m: m.ELU(), "ELU"),
    (lambda m: m.ELU(alpha=0.5), "ELU-0.5"),
    (lambda m: m.GELU(), "GELU"),
    (lambda m: m.GELU(approximate="tanh"), "GELU-tanh"),
    (lambda m: m.SiLU(), "SiLU"),
    (lambda m: m.Softplus(), "Softplus"),
    (lambda m: m.Softplus(beta=2, threshold=1.5), "Softplus-beta"),
    (lambda m: m.Softmax(dim=1), "Softmax"),
    (lambda m: m.Softmax(dim=-1), "Softmax-last"),
    (lambda m: m.LogSoftmax(dim=0), "LogSoftmax"),
    (lambda m: m.LogSoftmax(dim=2), "LogSoftmax-2"),
]


@pytest.mark.parametrize("make", [p[0] for p in PAIRS], ids=[p[1] for p in PAIRS])
def test_activation_matches_torch(make) -> None:
    ours, theirs = make(nn), make(torch.nn)
    assert_same_structure(ours, theirs)
    assert list(ours.parameters()) == []
    run_both(ours, theirs, x32(2, 3, 4) * 3)  # values in about [-9, 9]


@pytest.mark.parametrize("make", [p[0] for p in PAIRS], ids=[p[1] for p in PAIRS])
def test_activation_is_the_same_in_train_and_eval(make) -> None:
    layer = make(nn)
    x = sg.from_numpy(x32(2, 3, 4))
    np.testing.assert_array_equal(layer(x).numpy(), layer.eval()(x).numpy())


@pytest.mark.parametrize("name", ["ReLU", "LeakyReLU", "ELU", "SiLU"])
def test_inplace_is_accepted_and_shown_but_the_result_is_new(name: str) -> None:
    ours, theirs = getattr(nn, name)(inplace=True), getattr(torch.nn, name)(inplace=True)
    assert repr(ours) == repr(theirs)
    x = sg.randn(4)
    before = x.numpy().copy()
    out = ours(x)
    assert out is not x
    np.testing.assert_array_equal(x.numpy(), before)
    np.testing.assert_allclose(out.numpy(), theirs(torch.from_numpy(before)).numpy(), 1e-6, 1e-7)


def test_softmax_default_dim_repr() -> None:
    assert repr(nn.Softmax()) == repr(torch.nn.Softmax())
    assert repr(nn.LogSoftmax()) == repr(torch.nn.LogSoftmax())


def test_heaviside_is_the_perceptron_step() -> None:
    """Ours (torch has no module): 1 where x > 0, else 0 -- also at x == 0; no gradient."""
    layer = nn.Heaviside()
    assert repr(layer) == "Heaviside()"
    x = sg.tensor([-2.0, -0.0, 0.0, 1e-30, 3.0], requires_grad=True)
    out = layer(x)
    assert out.tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]
    assert out.dtype == x.dtype and not out.requires_grad
    theirs = torch.heaviside(torch.from_numpy(x.detach().numpy()), torch.tensor(0.0))
    np.testing.assert_array_equal(out.numpy(), theirs.numpy())


def test_activations_keep_float64() -> None:
    x = sg.randn(3, dtype=sg.float64)
    for layer in (nn.GELU(), nn.SiLU(), nn.ELU(), nn.Softplus(), nn.LeakyReLU(), nn.Heaviside()):
        assert layer(x).dtype == sg.float64
