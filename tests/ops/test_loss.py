"""Parity of every loss with torch (values and gradients), fused vs composed, stability, errors.

Targets are inputs too: class indices come from ``make`` as int64 arrays (no gradient);
float targets (probabilities, regression values) are differentiable in torch and here, so
their gradients are compared as well. Class weights and pos_weight get no gradient in
torch, so they are constants captured by the lambdas (``_const``).
"""

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from tests.ops._parity import Case, make_tests

Make = Callable[[np.random.Generator, str], list[np.ndarray]]
N, C = 5, 4
W4 = np.array([0.5, 2.0, 1.0, 0.25])  # a weight per class
PW4 = np.array([3.0, 0.5, 1.0, 2.0])  # a pos_weight per label


def F(m: Any) -> Any:  # noqa: N802 - torch.nn.functional's usual name
    return m.nn.functional


def _const(m: Any, a: np.ndarray, like: Any) -> Any:
    """A fixed array as a constant tensor of ``like``'s library and dtype."""
    return m.from_numpy(np.ascontiguousarray(a, dtype=like.detach().numpy().dtype))


def _consts(m: Any, kw: dict[str, Any], like: Any) -> dict[str, Any]:
    """``kw`` with its arrays made constant tensors (see ``_const``)."""
    return {k: _const(m, v, like) if isinstance(v, np.ndarray) else v for k, v in kw.items()}


# ------------------------------------------------------------------ input makers
def _logits_idx(shape: tuple[int, ...], ignore: int | None = None) -> Make:
    """Logits of ``shape`` (class dim 1, or 0 for 1-D) and int64 targets, some ignored."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        c = shape[0] if len(shape) == 1 else shape[1]
        batch = () if len(shape) == 1 else (shape[0], *shape[2:])
        t = rng.integers(0, c, batch)
        if ignore is not None:
            t = np.where(rng.random(batch) < 0.3, ignore, t)
            t.flat[0] = ignore  # at least one
        return [rng.uniform(-3, 3, shape).astype(dtype), np.asarray(t, dtype=np.int64)]

    return make


def _logits_probs(shape: tuple[int, ...]) -> Make:
    """Logits and probability targets of the same shape (summing to 1 over dim 1)."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        e = np.exp(rng.normal(size=shape))
        p = e / e.sum(axis=0 if len(shape) == 1 else 1, keepdims=True)
        return [rng.uniform(-3, 3, shape).astype(dtype), p.astype(dtype)]

    return make


def _probs_labels(shape: tuple[int, ...], hard: bool = False) -> Make:
    """Probabilities in (0.05, 0.95) and targets: soft in [0, 1], or hard 0/1 labels."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        t = rng.integers(0, 2, shape) if hard else rng.uniform(0, 1, shape)
        return [rng.uniform(0.05, 0.95, shape).astype(dtype), t.astype(dtype)]

    return make


def _logits_labels(shape: tuple[int, ...], hard: bool = False, scale: float = 3.0) -> Make:
    """Logits in (-scale, scale) and soft or hard (multi-label 0/1) targets."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        t = rng.integers(0, 2, shape) if hard else rng.uniform(0, 1, shape)
        return [rng.uniform(-scale, scale, shape).astype(dtype), t.astype(dtype)]

    return make


def _logp_probs(shape_in: tuple[int, ...], shape_t: tuple[int, ...], log: bool = False) -> Make:
    """Log-probabilities (input) and probabilities or log-probabilities (target), no zeros."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        p = rng.uniform(0.05, 1.0, shape_t)
        x = np.log(rng.uniform(0.05, 1.0, shape_in))
        return [x.astype(dtype), (np.log(p) if log else p).astype(dtype)]

    return make


def _scores_idx(shape: tuple[int, ...], batch: tuple[int, ...]) -> Make:
    """Class scores, spread so no hinge sits on its kink, and int64 targets."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        c = shape[-1]
        return [rng.uniform(-2, 2, shape).astype(dtype), rng.integers(0, c, batch)]

    return make


def _loss(name: str, **kw: Any) -> Callable[..., Any]:
    """``fn(m, input, target)`` calling loss ``name`` with ``kw``, arrays made constants."""

    def fn(m: Any, x: Any, t: Any) -> Any:
        return getattr(F(m), name)(x, t, **_consts(m, kw, x))

    return fn


def _ce(**kw: Any) -> Callable[..., Any]:
    return _loss("cross_entropy", **kw)


def _nll(**kw: Any) -> Callable[..., Any]:
    return _loss("nll_loss", **kw)


def _bce(logits: bool = False, **kw: Any) -> Callable[..., Any]:
    return _loss("binary_cross_entropy_with_logits" if logits else "binary_cross_entropy", **kw)


def _mm(**kw: Any) -> Callable[..., Any]:
    return _loss("multi_margin_loss", **kw)


def _kl(**kw: Any) -> Callable[..., Any]:
    def fn(m: Any, x: Any, t: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # both warn about reduction="mean"
            return F(m).kl_div(x, t, **kw)

    return fn


def _regression(name: str, **kw: Any) -> Callable[..., Any]:
    return _loss(name, **kw)


def _weighted(name: str, reduction: str) -> Callable[..., Any]:
    """A regression loss with a per-element weight (the input's shape), a third input."""

    def fn(m: Any, x: Any, t: Any, w: Any) -> Any:
        return getattr(F(m), name)(x, t, reduction=reduction, weight=w)

    return fn


REDUCTIONS = ("mean", "sum", "none")
CE, NLL = "cross_entropy", ("gather", "mul", "sum")
BCE, BCEL, MM = "binary_cross_entropy", "binary_cross_entropy_with_logits", "multi_margin_loss"
X2, X4 = (N, C), (2, 3, 4, 5)

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
    # regression: mse, l1, huber, smooth_l1 (composed), with per-element weights
    *(
        Case(("sub", "mul"), _regression("mse_loss", reduction=r), (X2, X2), name=f"mse-{r}")
        for r in REDUCTIONS
    ),
    *(
        Case(("sub", "abs"), _regression("l1_loss", reduction=r), (X2, X2), name=f"l1-{r}")
        for r in REDUCTIONS
    ),
    *(
        Case(("abs", "where"), _regression("huber_loss", reduction=r), (X2, X2), name=f"huber-{r}")
        for r in REDUCTIONS
    ),
    Case(
        ("abs", "where"),
        _regression("huber_loss", delta=0.5, reduction="sum"),
        (X2, X2),
        name="huber-delta",
    ),
    *(
        Case(
            ("abs", "where"),
            _regression("smooth_l1_loss", reduction=r, beta=0.7),
            (X2, X2),
            name=f"smooth_l1-{r}",
        )
        for r in REDUCTIONS
    ),
    Case(("abs", "where"), _regression("smooth_l1_loss"), (X2, X2), name="smooth_l1-beta1"),
    Case(("sub", "abs"), _regression("smooth_l1_loss", beta=0.0), (X2, X2), name="smooth_l1-0"),
    Case(
        ("sub", "mul"),
        _regression("mse_loss"),
        make=lambda rng, dtype: [rng.uniform(-3, 3, X2).astype(dtype), rng.integers(-3, 4, X2)],
        name="mse-int-target",
    ),
    *(
        Case(("mul", "div"), _weighted(loss, r), (X2, X2, X2), low=0.1, name=f"{loss}-w-{r}")
        for loss in ("mse_loss", "l1_loss", "huber_loss")
        for r in REDUCTIONS
    ),
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
    # KL divergence (composed)
    *(
        Case(("log", "where"), _kl(reduction=r), make=_logp_probs(X2, X2), name=f"kl-{r}")
        for r in (*REDUCTIONS, "batchmean")
    ),
    *(
        Case(
            ("exp", "sub"),
            _kl(reduction=r, log_target=True),
            make=_logp_probs(X2, X2, log=True),
            name=f"kl-log-{r}",
        )
        for r in ("sum", "batchmean")
    ),
    Case(
        ("log", "where"),
        _kl(reduction="none"),
        make=_logp_probs(X2, (C,)),
        name="kl-broadcast",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


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
def _composed_cross_entropy(x: sg.Tensor, t: np.ndarray, w: np.ndarray, eps: float) -> sg.Tensor:
    """The weighted, smoothed mean cross-entropy from primitive ops."""
    m = sg.tensor(x.detach().numpy().max(axis=1, keepdims=True))
    logp = x - ((x - m).exp().sum(1, keepdim=True).log() + m)  # log-softmax by hand
    c = x.shape[1]
    wt = sg.tensor(w)
    onehot = sg.tensor(np.eye(c)[t])
    q = (onehot * (1 - eps) + eps / c) * wt  # (N, C)
    return -(q * logp).sum() / wt[sg.tensor(t)].sum()


def _composed_bce(p: sg.Tensor, t: sg.Tensor, w: sg.Tensor) -> sg.Tensor:
    log_p = sg.clamp(p.log(), min=-100)
    log_q = sg.clamp((1 - p).log(), min=-100)
    return (-(t * log_p + (1 - t) * log_q) * w).mean()


def _composed_bce_logits(x: sg.Tensor, t: sg.Tensor, w: sg.Tensor, pw: sg.Tensor) -> sg.Tensor:
    softplus_neg = (-x).relu() + (-x.abs()).exp().log1p()  # -log sigmoid(x)
    return (((1 - t) * x + (1 + (pw - 1) * t) * softplus_neg) * w).sum()


def _composed_hinge(x: sg.Tensor, t: np.ndarray, p: int, margin: float, w: np.ndarray) -> sg.Tensor:
    n, c = x.shape
    others = sg.tensor(1.0 - np.eye(c)[t])  # 0 at the true class
    picked = x.gather(1, sg.tensor(t[:, None]))
    h = (margin - picked + x).relu() * others
    return ((h if p == 1 else h * h).sum(1) * sg.tensor(w[t] / c)).mean()


def _grads_equal(fused: sg.Tensor, composed: sg.Tensor, inputs: list[sg.Tensor]) -> None:
    np.testing.assert_allclose(fused.detach().numpy(), composed.detach().numpy(), rtol=1e-12)
    gf = [g.numpy().copy() for g in _grads(fused, inputs)]
    gc = [g.numpy().copy() for g in _grads(composed, inputs)]
    for a, b in zip(gf, gc, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def _grads(loss: sg.Tensor, inputs: list[sg.Tensor]) -> list[sg.Tensor]:
    for t in inputs:
        t.grad = None
    loss.backward()
    return [t.grad for t in inputs if t.grad is not None]


RNG = np.random.default_rng(0)


def test_fused_cross_entropy_equals_composed() -> None:
    x = sg.tensor(RNG.normal(size=(6, 5)) * 3, requires_grad=True)
    t, w = RNG.integers(0, 5, 6), RNG.uniform(0.5, 2, 5)
    fused = sg.nn.functional.cross_entropy(x, sg.tensor(t), sg.tensor(w), label_smoothing=0.2)
    _grads_equal(fused, _composed_cross_entropy(x, t, w, 0.2), [x])


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


@pytest.mark.parametrize("p", [1, 2])
def test_fused_multi_margin_equals_composed(p: int) -> None:
    x = sg.tensor(RNG.normal(size=(7, 4)), requires_grad=True)
    t, w = RNG.integers(0, 4, 7), RNG.uniform(0.5, 2, 4)
    fused = sg.nn.functional.multi_margin_loss(
        x, sg.tensor(t), p=p, margin=0.8, weight=sg.tensor(w)
    )
    _grads_equal(fused, _composed_hinge(x, t, p, 0.8, w), [x])


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


def test_kl_div_mean_warns_as_torch() -> None:
    with pytest.warns(UserWarning, match="batchmean"):
        sg.nn.functional.kl_div(sg.zeros(2, 2), sg.ones(2, 2))


def test_kl_div_zero_target_counts_zero_with_finite_gradient() -> None:
    x = sg.tensor([-1.0, -2.0], requires_grad=True)
    t = sg.tensor([0.0, 1.0], requires_grad=True)
    loss = sg.nn.functional.kl_div(x, t, reduction="sum")
    loss.backward()
    assert loss.item() == pytest.approx(2.0)  # 0 + 1 * (log 1 - (-2))
    assert t.grad is not None and np.isfinite(t.grad.numpy()).all()


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
def _call(name: str, *args: Any, **kw: Any) -> Any:
    return getattr(sg.nn.functional, name)(*args, **kw)


X = sg.zeros(3, 4)
IDX = sg.tensor([0, 1, 3])

ERRORS: list[tuple[str, tuple[Any, ...], dict[str, Any], type[Exception], str]] = [
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
    ("mse_loss", (X, sg.zeros(4)), {}, ShapeError, r"target \(4,\) != input \(3, 4\)"),
    ("mse_loss", (X, X), {"reduction": "avg"}, ValueError, "mse_loss: reduction must be"),
    ("mse_loss", (sg.zeros(3, dtype=sg.int64), sg.zeros(3)), {}, TypeError, "got int64"),
    ("mse_loss", (X, X), {"weight": sg.ones(4)}, ShapeError, "weight shape must equal"),
    ("l1_loss", (X, sg.zeros(3, 1)), {}, ShapeError, "no broadcasting"),
    ("huber_loss", (X, sg.zeros(1, 4)), {}, ShapeError, "huber_loss: target shape"),
    ("huber_loss", (X, X), {"delta": 0.0}, ValueError, "delta must be positive, got 0.0"),
    ("smooth_l1_loss", (X, sg.zeros(4, 3)), {}, ShapeError, "smooth_l1_loss: target shape"),
    ("smooth_l1_loss", (X, X), {"beta": -1.0}, ValueError, "beta must be >= 0, got -1.0"),
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
    ("multi_margin_loss", (X, sg.tensor([0, 4, 1])), {}, IndexError, "target 4 is out of bounds"),
    ("multi_margin_loss", (X, sg.zeros(3)), {}, TypeError, "target must be int64"),
    ("multi_margin_loss", (X, sg.tensor([0, 1])), {}, ShapeError, r"target shape must be \(3,\)"),
    ("multi_margin_loss", (sg.zeros(2, 3, 4), IDX), {}, ShapeError, r"\(N, C\) or \(C,\)"),
    ("multi_margin_loss", (X, IDX), {"p": 3}, ValueError, "got p=3"),
    ("multi_margin_loss", (X, IDX), {"weight": sg.ones(3)}, ShapeError, "one entry per class"),
    ("multi_margin_loss", (X, IDX), {"reduction": "batchmean"}, ValueError, "'batchmean'"),
    ("kl_div", (X, X), {"reduction": "avg"}, ValueError, "'batchmean' or 'sum', got 'avg'"),
    ("kl_div", (X, sg.zeros(3, 4, dtype=sg.int64)), {}, TypeError, "floating point target"),
]


@pytest.mark.parametrize(
    ("name", "args", "kw", "error", "match"),
    ERRORS,
    ids=[f"{e[0]}-{e[4][:30]}" for e in ERRORS],
)
def test_error_messages(
    name: str, args: tuple[Any, ...], kw: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match) as info:
        _call(name, *args, **kw)
    assert str(info.value).startswith(f"{name}: ")


def test_ignored_targets_may_be_out_of_range() -> None:
    loss = sg.nn.functional.cross_entropy(X, sg.tensor([0, -100, 2]), reduction="none")
    assert loss.numpy()[1] == 0.0
