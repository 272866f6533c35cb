"""Parity of binary_cross_entropy and its logits form with torch; stability; errors."""

import math
import warnings

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from tests.ops._loss_cases import (
    BCE,
    BCEL,
    IDX,
    PW4,
    REDUCTIONS,
    W4,
    X2,
    C,
    Error,
    N,
    X,
    _bce,
    _grads_equal,
    _logits_labels,
    _probs_labels,
    make_error_test,
)
from tests.ops._parity import Case, make_tests

CASES = [
    # binary cross-entropy of probabilities
    *(Case(BCE, _bce(reduction=r), make=_probs_labels(X2), name=r) for r in REDUCTIONS),
    Case(BCE, _bce(weight=W4), make=_probs_labels(X2), name="weight-bcast"),
    Case(
        BCE,
        _bce(weight=np.linspace(0.1, 2, N * C).reshape(N, C), reduction="sum"),
        make=_probs_labels(X2),
        name="weight-full",
    ),
    Case(
        BCE,
        _bce(reduction="sum"),
        make=_probs_labels(X2, hard=True),
        gradcheck=False,  # a 0/1 label moved by eps leaves [0, 1]
        name="multi-label",
    ),
    Case(BCE, _bce(), make=_probs_labels((2, 3, 4)), name="3d"),
    Case(BCE, _bce(reduction="none"), make=_probs_labels(()), name="0d"),
    # binary cross-entropy from logits: pos_weight per class, multi-label, large logits
    *(Case(BCEL, _bce(True, reduction=r), make=_logits_labels(X2), name=r) for r in REDUCTIONS),
    Case(BCEL, _bce(True, pos_weight=PW4), make=_logits_labels(X2), name="pos-weight"),
    Case(
        BCEL,
        _bce(True, pos_weight=PW4, weight=W4[::-1].copy(), reduction="none"),
        make=_logits_labels(X2, hard=True),
        name="multi-label-weights",
    ),
    Case(
        BCEL,
        _bce(True, pos_weight=PW4, reduction="sum"),
        make=_logits_labels((2, 3, C)),
        name="3d-pos-weight-last-dim",
    ),
    Case(
        BCEL,
        _bce(True, weight=np.array([[1.0], [0.5], [2.0], [0.0], [3.0]])),
        make=_logits_labels(X2),
        name="weight-per-sample",
    ),
    Case(
        BCEL,
        _bce(True, pos_weight=PW4, reduction="none"),
        make=_logits_labels(X2, hard=True, scale=40.0),
        name="large-logits",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ stability, the clamp
def test_bce_with_logits_is_stable_for_huge_logits() -> None:
    x = sg.tensor([1e4, -1e4, 1e4, -1e4, 0.0], requires_grad=True)
    t = sg.tensor([1.0, 0.0, 0.0, 1.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = sg.nn.functional.binary_cross_entropy_with_logits(x, t, reduction="none")
        loss.sum().backward()
    np.testing.assert_allclose(loss.detach().numpy(), [0.0, 0.0, 1e4, 1e4, math.log(2)], rtol=1e-6)
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.0, 1.0, -1.0, -0.5])


def test_bce_clamps_the_log_at_minus_100_as_torch() -> None:
    p, t = [0.0, 1.0, 0.0, 1.0, 1e-50], [0.0, 1.0, 1.0, 0.0, 1.0]
    ours = sg.tensor(p, dtype=sg.float64, requires_grad=True)
    loss = sg.nn.functional.binary_cross_entropy(
        ours, sg.tensor(t, dtype=sg.float64), reduction="none"
    )
    loss.sum().backward()
    theirs = torch.tensor(p, dtype=torch.float64, requires_grad=True)
    ref = torch.nn.functional.binary_cross_entropy(
        theirs, torch.tensor(t, dtype=torch.float64), reduction="none"
    )
    ref.sum().backward()
    np.testing.assert_array_equal(loss.detach().numpy(), ref.detach().numpy())  # 0, 0, 100, ...
    assert ours.grad is not None and theirs.grad is not None
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy())


# ------------------------------------------------------------------ fused vs composed
def _composed_bce(p: sg.Tensor, t: sg.Tensor, w: sg.Tensor) -> sg.Tensor:
    log_p = sg.clamp(p.log(), min=-100)
    log_q = sg.clamp((1 - p).log(), min=-100)
    return (-(t * log_p + (1 - t) * log_q) * w).mean()


def _composed_bce_logits(x: sg.Tensor, t: sg.Tensor, w: sg.Tensor, pw: sg.Tensor) -> sg.Tensor:
    softplus_neg = (-x).relu() + (-x.abs()).exp().log1p()  # -log sigmoid(x)
    return (((1 - t) * x + (1 + (pw - 1) * t) * softplus_neg) * w).sum()


RNG = np.random.default_rng(0)


def test_fused_bce_equals_composed() -> None:
    p = sg.tensor(RNG.uniform(0.01, 0.99, (6, 3)), requires_grad=True)
    t = sg.tensor(RNG.uniform(0, 1, (6, 3)), requires_grad=True)
    w = sg.tensor(RNG.uniform(0.5, 2, 3))
    fused = sg.nn.functional.binary_cross_entropy(p, t, w)
    _grads_equal(fused, _composed_bce(p, t, w), [p, t])


def test_fused_bce_with_logits_equals_composed() -> None:
    x = sg.tensor(RNG.normal(size=(6, 3)) * 5, requires_grad=True)
    t = sg.tensor(RNG.uniform(0, 1, (6, 3)), requires_grad=True)
    w, pw = sg.tensor(RNG.uniform(0.5, 2, (6, 1))), sg.tensor(RNG.uniform(0.5, 4, 3))
    fused = sg.nn.functional.binary_cross_entropy_with_logits(
        x, t, w, reduction="sum", pos_weight=pw
    )
    _grads_equal(fused, _composed_bce_logits(x, t, w, pw), [x, t])


# ------------------------------------------------------------------ C1 by hand
# ------------------------------------------------------------------ B5, C1, C2 by hand
def test_bce_is_the_negative_log_likelihood_of_bernoulli_labels() -> None:
    """C1: a Bernoulli label y with P(y=1) = p has likelihood p^y (1-p)^(1-y)."""
    p = np.array([0.9, 0.2, 0.6, 0.35, 0.99])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    likelihood = p**y * (1 - p) ** (1 - y)  # per label
    nll = -np.log(likelihood).mean()
    bce = sg.nn.functional.binary_cross_entropy(sg.tensor(p), sg.tensor(y))
    assert bce.item() == pytest.approx(nll, rel=1e-12)
    # ... and it is minimised by predicting the labels' frequency
    frequency = sg.tensor(np.full(5, y.mean()))
    for q in (0.3, 0.5, 0.7, 0.75):
        other = sg.nn.functional.binary_cross_entropy(sg.tensor(np.full(5, q)), sg.tensor(y))
        assert sg.nn.functional.binary_cross_entropy(frequency, sg.tensor(y)).item() <= other.item()


# ------------------------------------------------------------------ errors
ERRORS: list[Error] = [
    ("binary_cross_entropy", (X, sg.zeros(4)), {}, ShapeError, "target shape must equal"),
    ("binary_cross_entropy", (X, sg.zeros(3, 4, dtype=sg.int64)), {}, TypeError, "got int64"),
    ("binary_cross_entropy", (X + 1.5, X), {}, ValueError, "input must be in \\[0, 1\\], got 1.5"),
    ("binary_cross_entropy", (X, X - 2), {}, ValueError, "target must be in \\[0, 1\\], got -2.0"),
    ("binary_cross_entropy", (X, X), {"weight": sg.ones(5)}, ShapeError, r"weight \(5,\)"),
    ("binary_cross_entropy", (X, X), {"reduction": "max"}, ValueError, "got 'max'"),
    ("binary_cross_entropy_with_logits", (X, sg.zeros(3)), {}, ShapeError, "target shape"),
    ("binary_cross_entropy_with_logits", (X, IDX), {}, ShapeError, "target shape"),
    (
        "binary_cross_entropy_with_logits",
        (X, sg.zeros(3, 4, dtype=sg.int64)),
        {},
        TypeError,
        "target must be a floating point tensor, got int64",
    ),
    (
        "binary_cross_entropy_with_logits",
        (X, X),
        {"pos_weight": sg.ones(3)},
        ShapeError,
        r"pos_weight \(3,\) does not fit input \(3, 4\)",
    ),
    (
        "binary_cross_entropy_with_logits",
        (X, X),
        {"weight": sg.ones(2, 3, 4)},
        ShapeError,
        r"weight \(2, 3, 4\) does not fit",
    ),
]

test_error_messages = make_error_test(ERRORS)
