"""Parity of poisson_nll_loss and gaussian_nll_loss with torch, every reduction."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._loss_cases import REDUCTIONS, X2, Error, F, X, make_error_test
from tests.ops._parity import Case, make_tests


def _counts(low: int):
    """Log rates (or rates, all positive) and counts in [low, 6]."""

    def make(rng, dtype):
        return [rng.uniform(0.1, 2, X2).astype(dtype), rng.integers(low, 7, X2).astype(dtype)]

    return make


def _gaussian(var_shape):
    """Means, targets and positive variances of ``var_shape``."""

    def make(rng, dtype):
        x, t = rng.uniform(-2, 2, X2), rng.uniform(-2, 2, X2)
        return [a.astype(dtype) for a in (x, t, rng.uniform(0.2, 2, var_shape))]

    return make


POISSON, GAUSS = ("exp", "mul", "sub"), ("log", "div", "clamp")

CASES = [
    *(
        Case(
            POISSON,
            lambda m, x, t, r=r: F(m).poisson_nll_loss(x, t, reduction=r),
            make=_counts(0),
            name=f"poisson-{r}",
        )
        for r in REDUCTIONS
    ),
    Case(
        ("log", "add"),
        lambda m, x, t: F(m).poisson_nll_loss(x, t, log_input=False, eps=1e-3),
        make=_counts(0),
        name="poisson-rates",
    ),
    # full: torch's gradient of a target of 0 is NaN (0 * log 0), ours finite; and the
    # Stirling term jumps at 1, where finite differences can't go: counts >= 2
    Case(
        (*POISSON, "where"),
        lambda m, x, t: F(m).poisson_nll_loss(x, t, full=True, reduction="sum"),
        make=_counts(2),
        name="poisson-full",
    ),
    *(
        Case(
            GAUSS,
            lambda m, x, t, v, r=r: F(m).gaussian_nll_loss(x, t, v, reduction=r),
            make=_gaussian(X2),
            name=f"gaussian-{r}",
        )
        for r in REDUCTIONS
    ),
    Case(
        GAUSS,
        lambda m, x, t, v: F(m).gaussian_nll_loss(x, t, v, full=True, eps=0.5),
        make=_gaussian(X2),
        gradcheck=False,  # the clamped variances keep their gradient, as torch's: not the slope
        name="gaussian-full-clamped",
    ),
    Case(
        GAUSS,
        lambda m, x, t, v: F(m).gaussian_nll_loss(x, t, v),
        make=_gaussian(X2[:1]),
        name="gaussian-var-per-sample",
    ),
    Case(
        GAUSS,
        lambda m, x, t, v: F(m).gaussian_nll_loss(x, t, v, reduction="sum"),
        make=_gaussian((X2[0], 1)),
        name="gaussian-var-broadcast",
    ),
    Case(
        GAUSS,
        lambda m, x, t: F(m).gaussian_nll_loss(x, t, 0.7),
        make=lambda rng, dtype: _gaussian(X2)(rng, dtype)[:2],
        name="gaussian-var-float",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_poisson_full_gives_zero_targets_a_finite_gradient() -> None:
    t = sg.tensor([0.0, 1.0, 3.0], requires_grad=True)
    F(sg).poisson_nll_loss(sg.zeros(3), t, full=True, reduction="sum").backward()
    tt = torch.tensor([0.0, 1.0, 3.0], requires_grad=True)
    torch.nn.functional.poisson_nll_loss(torch.zeros(3), tt, full=True, reduction="sum").backward()
    ours, theirs = t.grad.numpy(), tt.grad.numpy()
    assert np.isfinite(ours).all() and np.isnan(theirs[0])
    np.testing.assert_allclose(ours[1:], theirs[1:], rtol=1e-6)


def test_gaussian_clamped_variance_keeps_its_gradient() -> None:
    v = sg.tensor([0.0, 1.0], requires_grad=True)
    tv = torch.tensor([0.0, 1.0], requires_grad=True)
    x, t = [0.5, 0.5], [0.0, 0.0]
    F(sg).gaussian_nll_loss(sg.tensor(x), sg.tensor(t), v, eps=0.1).backward()
    torch.nn.functional.gaussian_nll_loss(torch.tensor(x), torch.tensor(t), tv, eps=0.1).backward()
    np.testing.assert_allclose(v.grad.numpy(), tv.grad.numpy(), rtol=1e-6)


def test_top_level_poisson_takes_int_reduction() -> None:
    x, t = sg.randn(3), sg.tensor([1.0, 0.0, 2.0])
    expected = F(sg).poisson_nll_loss(x, t, reduction="none").tolist()
    assert sg.poisson_nll_loss(x, t, True, False, 1e-8, 0).tolist() == expected


ERRORS: list[Error] = [
    ("poisson_nll_loss", (X, X), {"reduction": "avg"}, ValueError, "reduction must be"),
    ("gaussian_nll_loss", (X, X, -sg.ones(3, 4)), {}, ValueError, "negative entry"),
    ("gaussian_nll_loss", (X, X, -1.0), {}, ValueError, "negative entry"),
    ("gaussian_nll_loss", (X, X, sg.ones(2, 4)), {}, ValueError, "var is of incorrect size"),
    ("gaussian_nll_loss", (X, X, X), {"reduction": "x"}, ValueError, "reduction must be"),
]

test_error_messages = make_error_test(ERRORS)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_gaussian_matches_the_normal_density(reduction: str) -> None:
    x, t, v = np.array([0.0, 1.0]), np.array([0.5, -1.0]), np.array([2.0, 0.5])
    logpdf = -0.5 * (np.log(2 * np.pi * v) + (t - x) ** 2 / v)
    loss = F(sg).gaussian_nll_loss(sg.tensor(x), sg.tensor(t), sg.tensor(v), full=True)
    if reduction == "sum":
        loss = F(sg).gaussian_nll_loss(
            sg.tensor(x), sg.tensor(t), sg.tensor(v), full=True, reduction="sum"
        )
    expected = -logpdf.mean() if reduction == "mean" else -logpdf.sum()
    assert loss.item() == pytest.approx(expected, rel=1e-12)
