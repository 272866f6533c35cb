"""Parity of the class losses (cross_entropy, nll_loss, multi_margin_loss) with torch.

Also: stability, fused vs composed, dtypes, ignored targets, errors. The shared makers
and checks are in ``tests/ops/_loss_cases.py``.
"""

import math
import warnings
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from tests.ops._loss_cases import (
    CE,
    IDX,
    MM,
    NLL,
    REDUCTIONS,
    W4,
    X2,
    X4,
    C,
    Error,
    F,
    N,
    X,
    _ce,
    _consts,
    _grads_equal,
    _logits_idx,
    _logits_probs,
    _mm,
    _nll,
    _scores_idx,
    make_error_test,
)
from tests.ops._parity import Case, make_tests

CASES = [
    # cross-entropy: class indices, weights, ignore_index, label smoothing, probabilities
    *(Case(CE, _ce(reduction=r), make=_logits_idx(X2), name=f"idx-{r}") for r in REDUCTIONS),
    Case(CE, _ce(weight=W4), make=_logits_idx(X2), name="weight"),
    Case(CE, _ce(weight=W4, reduction="sum"), make=_logits_idx(X2), name="weight-sum"),
    Case(CE, _ce(ignore_index=-100), make=_logits_idx(X2, -100), name="ignore"),
    Case(CE, _ce(ignore_index=2, weight=W4), make=_logits_idx(X2, 2), name="ignore2-weight"),
    Case(
        CE,
        _ce(ignore_index=1, reduction="none"),
        make=_logits_idx(X2, 1),
        name="ignore-none",
    ),
    *(
        Case(CE, _ce(label_smoothing=0.1, reduction=r), make=_logits_idx(X2), name=f"smooth-{r}")
        for r in REDUCTIONS
    ),
    Case(
        CE,
        _ce(label_smoothing=0.2, weight=W4, ignore_index=3),
        make=_logits_idx(X2, 3),
        name="smooth-weight-ignore",
    ),
    Case(CE, _ce(label_smoothing=1.0), make=_logits_idx(X2), name="smooth-1"),
    *(Case(CE, _ce(reduction=r), make=_logits_probs(X2), name=f"probs-{r}") for r in REDUCTIONS),
    Case(
        CE,
        _ce(weight=W4, label_smoothing=0.3, reduction="sum"),
        make=_logits_probs(X2),
        name="probs-weight-smooth",
    ),
    Case(CE, _ce(weight=W4[:3]), make=_logits_probs(X4), name="probs-4d-weight"),
    *(Case(CE, _ce(reduction=r), make=_logits_idx(X4), name=f"4d-{r}") for r in REDUCTIONS),
    Case(
        CE,
        _ce(weight=W4[:3], ignore_index=0, label_smoothing=0.1, reduction="none"),
        make=_logits_idx(X4, 0),
        name="4d-weight-ignore-smooth",
    ),
    Case(CE, _ce(), make=_logits_idx((C,)), name="1d"),
    Case(CE, _ce(reduction="none"), make=_logits_probs((C,)), name="1d-probs"),
    Case(CE, _ce(), make=_logits_idx((3, 6, 5)), name="3d"),
    # nll_loss (composed: gather, mul, sum)
    *(Case(NLL, _nll(reduction=r), make=_logits_idx(X2), name=f"nll-{r}") for r in REDUCTIONS),
    Case(NLL, _nll(weight=W4, ignore_index=1), make=_logits_idx(X2, 1), name="nll-weight-ignore"),
    Case(NLL, _nll(weight=W4, reduction="sum"), make=_logits_idx(X2), name="nll-weight-sum"),
    Case(
        NLL,
        _nll(weight=W4[:3], ignore_index=2, reduction="none"),
        make=_logits_idx(X4, 2),
        name="nll-4d",
    ),
    Case(NLL, _nll(), make=_logits_idx(X4), name="nll-4d-mean"),
    Case(NLL, _nll(), make=_logits_idx((C,)), name="nll-1d"),
    # multi-class hinge
    *(Case(MM, _mm(reduction=r), make=_scores_idx(X2, (N,)), name=f"p1-{r}") for r in REDUCTIONS),
    *(
        Case(MM, _mm(p=2, reduction=r), make=_scores_idx(X2, (N,)), name=f"p2-{r}")
        for r in REDUCTIONS
    ),
    Case(MM, _mm(margin=0.5, weight=W4), make=_scores_idx(X2, (N,)), name="margin-weight"),
    Case(
        MM,
        _mm(p=2, margin=2.0, weight=W4, reduction="sum"),
        make=_scores_idx(X2, (N,)),
        name="p2-weight",
    ),
    Case(MM, _mm(), make=_scores_idx((C,), ()), name="1d"),
    Case(MM, _mm(reduction="none"), make=_scores_idx((C,), (1,)), name="1d-target-1"),
]

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ C3: log-sum-exp
# ------------------------------------------------------------------ C3: log-sum-exp
def test_cross_entropy_is_stable_for_logits_of_1e4() -> None:
    x = np.array([[1e4, 0.0, -1e4], [1e4, 1e4 - 1.0, 1e4], [-1e4, -1e4, 3.0]], dtype=np.float32)
    t = np.array([1, 0, 2])
    logits = sg.tensor(x, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning from NumPy
        loss = sg.nn.functional.cross_entropy(logits, sg.tensor(t), reduction="none")
        loss.sum().backward()
    x64 = x.astype(np.float64)
    m = x64.max(axis=1)
    lse = m + np.log(np.exp(x64 - m[:, None]).sum(axis=1))  # log-sum-exp, by hand
    expected = lse - x64[np.arange(3), t]
    np.testing.assert_allclose(loss.detach().numpy(), expected, rtol=1e-6)
    assert loss.dtype == sg.float32
    assert logits.grad is not None and np.isfinite(logits.grad.numpy()).all()
    theirs = torch.tensor(x, requires_grad=True)
    torch.nn.functional.cross_entropy(theirs, torch.tensor(t), reduction="none").sum().backward()
    assert theirs.grad is not None
    np.testing.assert_allclose(logits.grad.numpy(), theirs.grad.numpy(), atol=1e-6)


# ------------------------------------------------------------------ fused vs composed
# ------------------------------------------------------------------ fused vs composed
def _composed_cross_entropy(x: sg.Tensor, t: np.ndarray, w: np.ndarray, eps: float) -> sg.Tensor:
    """The weighted, smoothed mean cross-entropy from primitive ops."""
    m = sg.tensor(x.detach().numpy().max(axis=1, keepdims=True))
    logp = x - ((x - m).exp().sum(1, keepdim=True).log() + m)  # log-softmax by hand
    c = x.shape[1]
    wt = sg.tensor(w)
    onehot = sg.tensor(np.eye(c)[t])
    q = (onehot * (1 - eps) + eps / c) * wt  # (N, C)
    return -(q * logp).sum() / wt[sg.tensor(t)].sum()


def _composed_hinge(x: sg.Tensor, t: np.ndarray, p: int, margin: float, w: np.ndarray) -> sg.Tensor:
    n, c = x.shape
    others = sg.tensor(1.0 - np.eye(c)[t])  # 0 at the true class
    picked = x.gather(1, sg.tensor(t[:, None]))
    h = (margin - picked + x).relu() * others
    return ((h if p == 1 else h * h).sum(1) * sg.tensor(w[t] / c)).mean()


RNG = np.random.default_rng(0)


def test_fused_cross_entropy_equals_composed() -> None:
    x = sg.tensor(RNG.normal(size=(6, 5)) * 3, requires_grad=True)
    t, w = RNG.integers(0, 5, 6), RNG.uniform(0.5, 2, 5)
    fused = sg.nn.functional.cross_entropy(x, sg.tensor(t), sg.tensor(w), label_smoothing=0.2)
    _grads_equal(fused, _composed_cross_entropy(x, t, w, 0.2), [x])


@pytest.mark.parametrize("p", [1, 2])
def test_fused_multi_margin_equals_composed(p: int) -> None:
    x = sg.tensor(RNG.normal(size=(7, 4)), requires_grad=True)
    t, w = RNG.integers(0, 4, 7), RNG.uniform(0.5, 2, 4)
    fused = sg.nn.functional.multi_margin_loss(
        x, sg.tensor(t), p=p, margin=0.8, weight=sg.tensor(w)
    )
    _grads_equal(fused, _composed_hinge(x, t, p, 0.8, w), [x])


# ------------------------------------------------------------------ C2 by hand, dtypes
def test_losses_on_a_toy_batch() -> None:
    """C2 / B5: each loss on a tiny batch, computed by hand."""
    fn = sg.nn.functional
    # multi-class cross-entropy: -log softmax at the label
    logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.0]])
    labels = np.array([0, 2])
    softmax = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    ce = -np.log(softmax[[0, 1], labels]).mean()
    assert fn.cross_entropy(sg.tensor(logits), sg.tensor(labels)).item() == pytest.approx(ce)
    # multi-label BCE: each label its own Bernoulli, summed over labels
    z = np.array([[1.5, -0.5, 0.0], [-2.0, 3.0, 0.5]])
    y = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    s = 1 / (1 + np.exp(-z))
    per_label = -(y * np.log(s) + (1 - y) * np.log(1 - s))
    ours = fn.binary_cross_entropy_with_logits(sg.tensor(z), sg.tensor(y), reduction="none")
    np.testing.assert_allclose(ours.sum(1).numpy(), per_label.sum(1))
    assert fn.binary_cross_entropy_with_logits(
        sg.tensor(z), sg.tensor(y), reduction="sum"
    ).item() == pytest.approx(per_label.sum())
    # mean squared error, and 0.5 * squared error as the Huber loss of small residuals
    pred, true = np.array([1.0, 2.0, 4.0]), np.array([1.5, 2.0, 3.0])
    assert fn.mse_loss(sg.tensor(pred), sg.tensor(true)).item() == pytest.approx(1.25 / 3)
    half = fn.huber_loss(sg.tensor(pred), sg.tensor(true), delta=10.0).item()
    assert half == pytest.approx(0.5 * 1.25 / 3)
    assert fn.l1_loss(sg.tensor(pred), sg.tensor(true)).item() == pytest.approx(1.5 / 3)


def test_float32_stays_float32() -> None:
    fn = sg.nn.functional
    x = sg.rand(4, 3)
    t = sg.rand(4, 3)
    idx = sg.tensor([0, 2, 1, 1])
    outs = [
        fn.cross_entropy(x, idx, weight=sg.ones(3), label_smoothing=0.1),
        fn.cross_entropy(x, t),
        fn.nll_loss(x, idx),
        fn.binary_cross_entropy(x, t, weight=sg.ones(3)),
        fn.binary_cross_entropy_with_logits(x, t, pos_weight=sg.ones(3)),
        fn.mse_loss(x, t),
        fn.l1_loss(x, t),
        fn.huber_loss(x, t),
        fn.smooth_l1_loss(x, t, beta=0.5),
        fn.multi_margin_loss(x, idx, p=2),
        fn.kl_div(x, t, reduction="batchmean"),
    ]
    assert [str(o.dtype) for o in outs] == ["float32"] * len(outs)


@pytest.mark.parametrize(
    ("name", "kw"),
    [
        ("cross_entropy", {}),
        ("cross_entropy", {"label_smoothing": 0.1, "weight": W4}),
        ("nll_loss", {"weight": W4}),
    ],
)
def test_mean_over_only_ignored_targets_is_nan_with_a_zero_gradient(
    name: str, kw: dict[str, Any]
) -> None:
    x = np.random.default_rng(1).normal(size=(3, 4))
    t = np.full(3, -100)
    ours = sg.tensor(x, requires_grad=True)
    loss = getattr(F(sg), name)(ours, sg.tensor(t), **_consts(sg, kw, ours))
    loss.backward()
    theirs = torch.tensor(x, requires_grad=True)
    ref = getattr(F(torch), name)(theirs, torch.tensor(t), **_consts(torch, kw, theirs))
    ref.backward()
    assert math.isnan(loss.item()) and math.isnan(ref.item())
    assert ours.grad is not None and theirs.grad is not None
    np.testing.assert_array_equal(ours.grad.numpy(), theirs.grad.numpy())  # zeros


def test_weights_and_class_indices_get_no_gradient() -> None:
    x = sg.randn(3, 4, requires_grad=True)
    w = sg.ones(4, requires_grad=True)
    sg.nn.functional.cross_entropy(x, sg.tensor([0, 1, 2]), weight=w).backward()
    assert x.grad is not None and w.grad is None


# ------------------------------------------------------------------ errors
ERRORS: list[Error] = [
    ("cross_entropy", (X, sg.tensor([0, 1])), {}, ShapeError, r"without the class dim: \(2,\)"),
    ("cross_entropy", (X, sg.zeros(3, 5)), {}, ShapeError, "must have the input's shape"),
    ("cross_entropy", (X, sg.tensor([0, 4, 1])), {}, IndexError, "target 4 is out of bounds"),
    ("cross_entropy", (X, sg.tensor([0, -1, 1])), {}, IndexError, "target -1 is out of bounds"),
    ("cross_entropy", (X, sg.tensor([True, False, True])), {}, TypeError, "got bool"),
    ("cross_entropy", (X, IDX), {"weight": sg.ones(3)}, ShapeError, "one entry per class"),
    ("cross_entropy", (X, IDX), {"reduction": "avg"}, ValueError, "got 'avg'"),
    ("cross_entropy", (X, IDX), {"label_smoothing": 1.5}, ValueError, "got 1.5"),
    ("cross_entropy", (sg.tensor(1.0), sg.tensor(0)), {}, ShapeError, "class dim"),
    ("nll_loss", (X, sg.zeros(3)), {}, TypeError, "nll_loss: target must be int64"),
    ("nll_loss", (X, sg.tensor([0, 9, 1])), {}, IndexError, "nll_loss: target 9"),
    ("nll_loss", (X, sg.tensor([[0, 1, 1]])), {}, ShapeError, "without the class dim"),
    ("nll_loss", (X, IDX), {"reduction": "batchmean"}, ValueError, "got 'batchmean'"),
    ("multi_margin_loss", (X, sg.tensor([0, 4, 1])), {}, IndexError, "target 4 is out of bounds"),
    ("multi_margin_loss", (X, sg.zeros(3)), {}, TypeError, "target must be int64"),
    ("multi_margin_loss", (X, sg.tensor([0, 1])), {}, ShapeError, r"target shape must be \(3,\)"),
    ("multi_margin_loss", (sg.zeros(2, 3, 4), IDX), {}, ShapeError, r"\(N, C\) or \(C,\)"),
    ("multi_margin_loss", (X, IDX), {"p": 3}, ValueError, "got p=3"),
    ("multi_margin_loss", (X, IDX), {"weight": sg.ones(3)}, ShapeError, "one entry per class"),
    ("multi_margin_loss", (X, IDX), {"reduction": "batchmean"}, ValueError, "'batchmean'"),
]

test_error_messages = make_error_test(ERRORS)


def test_ignored_targets_may_be_out_of_range() -> None:
    loss = sg.nn.functional.cross_entropy(X, sg.tensor([0, -100, 2]), reduction="none")
    assert loss.numpy()[1] == 0.0
