"""rrelu, alpha_dropout and gumbel_softmax: torch's in evaluation, their laws in training.

Random draws differ from torch's, so training is checked against the definitions: the
slopes' range and mean, alpha dropout's two affine maps and its kept moments, and the
Gumbel-max sampling frequencies.
"""

import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.ops.neural.stochastic import SELU_SATURATION
from tests.ops._parity import Case, make_tests


def F(m):  # noqa: N802 - the usual alias of nn.functional
    return m.nn.functional


CASES = [
    Case("leaky_relu", lambda m, x: F(m).rrelu(x), ((3, 4),), name="rrelu-eval"),
    Case("leaky_relu", lambda m, x: F(m).rrelu(x, 0.2, 0.6), ((3, 4),), name="rrelu-eval-bounds"),
    Case("mul", lambda m, x: F(m).alpha_dropout(x, 0.3) * 1.0, ((3, 4),), name="alpha-eval"),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_rrelu_training_slopes_are_uniform_in_the_bounds() -> None:
    sg.manual_seed(0)
    x = sg.full((20000,), -2.0, requires_grad=True)
    out = F(sg).rrelu(x, 0.1, 0.3, training=True)
    out.sum().backward()
    slopes = out.detach().numpy() / -2.0
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3
    assert slopes.mean() == pytest.approx(0.2, abs=3e-3)
    np.testing.assert_allclose(x.grad.numpy(), slopes)  # the gradient is the slope
    pos = F(sg).rrelu(sg.tensor([1.0, 3.0]), training=True)
    assert pos.tolist() == [1.0, 3.0]


def test_alpha_dropout_is_two_affine_maps_with_torchs_constants() -> None:
    sg.manual_seed(0)
    p = 0.3
    x0 = np.random.default_rng(0).standard_normal(50000)
    x = sg.tensor(x0, requires_grad=True)
    out = F(sg).alpha_dropout(x, p, training=True)
    out.sum().backward()
    a = 1.0 / math.sqrt((SELU_SATURATION**2 * p + 1) * (1 - p))
    kept = x.grad.numpy() != 0
    y = out.detach().numpy()
    np.testing.assert_allclose(y[kept], a * x0[kept] + SELU_SATURATION * a * p)
    np.testing.assert_allclose(y[~kept], -SELU_SATURATION * a * (1 - p))
    assert (~kept).mean() == pytest.approx(p, abs=0.01)
    theirs = torch.nn.functional.alpha_dropout(torch.tensor(x0), p, training=True).numpy()
    assert np.unique(np.round(theirs[np.isclose(theirs, y[~kept][0])], 12)).size == 1
    assert y.mean() == pytest.approx(0.0, abs=0.02) and y.std() == pytest.approx(1.0, abs=0.02)


def test_alpha_dropout_edges() -> None:
    x = sg.ones(3)
    assert F(sg).alpha_dropout(x, 0.0, training=True) is x
    assert F(sg).alpha_dropout(x, 1.0, training=True).tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="alpha_dropout: probability has to be between"):
        F(sg).alpha_dropout(x, 1.5)


def test_gumbel_softmax_samples_follow_the_softmax() -> None:
    sg.manual_seed(0)
    probs = np.array([0.1, 0.2, 0.7])
    logits = sg.tensor(np.log(np.tile(probs, (4000, 1))))
    hard = F(sg).gumbel_softmax(logits, tau=0.5, hard=True).numpy()
    assert set(np.unique(hard)) == {0.0, 1.0} and (hard.sum(1) == 1).all()
    np.testing.assert_allclose(hard.mean(0), probs, atol=0.025)


def test_gumbel_softmax_hard_passes_the_soft_gradient() -> None:
    logits = sg.randn(5, 4, requires_grad=True)
    g = sg.randn(5, 4)
    sg.manual_seed(3)
    (F(sg).gumbel_softmax(logits, hard=True, dim=1) * g).sum().backward()
    hard_grad = logits.grad.numpy().copy()
    logits.grad = None
    sg.manual_seed(3)
    soft = F(sg).gumbel_softmax(logits, dim=1)
    np.testing.assert_allclose(soft.detach().numpy().sum(1), 1.0, rtol=1e-6)
    (soft * g).sum().backward()
    np.testing.assert_allclose(hard_grad, logits.grad.numpy(), rtol=1e-6, atol=1e-7)


def test_feature_alpha_dropout_drops_whole_channels() -> None:
    sg.manual_seed(1)
    x0 = np.random.default_rng(1).standard_normal((300, 40, 5))
    y = F(sg).feature_alpha_dropout(sg.tensor(x0), 0.25, training=True).numpy()
    a = 1.0 / math.sqrt((SELU_SATURATION**2 * 0.25 + 1) * 0.75)
    dropped = np.isclose(y, -SELU_SATURATION * a * 0.75).all(axis=2)
    kept = np.isclose(y, a * x0 + SELU_SATURATION * a * 0.25).all(axis=2)
    assert (dropped ^ kept).all()  # each channel wholly dropped or wholly kept
    assert dropped.mean() == pytest.approx(0.25, abs=0.02)
    assert F(sg).feature_alpha_dropout(sg.ones(2, 3), 0.5) is not None  # eval: identity
    with pytest.raises(ValueError, match="feature_alpha_dropout: probability"):
        F(sg).feature_alpha_dropout(sg.ones(2, 3), -0.1)
