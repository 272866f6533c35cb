"""Parity of the elementwise losses (mse, l1, huber, smooth L1, KL divergence) with torch."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from tests.ops._loss_cases import (
    REDUCTIONS,
    X2,
    C,
    Error,
    X,
    _kl,
    _logp_probs,
    _regression,
    _weighted,
    make_error_test,
)
from tests.ops._parity import Case, make_tests

CASES = [
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


# ------------------------------------------------------------------ KL divergence
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


# ------------------------------------------------------------------ errors
ERRORS: list[Error] = [
    ("mse_loss", (X, sg.zeros(4)), {}, ShapeError, r"target \(4,\) != input \(3, 4\)"),
    ("mse_loss", (X, X), {"reduction": "avg"}, ValueError, "mse_loss: reduction must be"),
    ("mse_loss", (sg.zeros(3, dtype=sg.int64), sg.zeros(3)), {}, TypeError, "got int64"),
    ("mse_loss", (X, X), {"weight": sg.ones(4)}, ShapeError, "weight shape must equal"),
    ("l1_loss", (X, sg.zeros(3, 1)), {}, ShapeError, "no broadcasting"),
    ("huber_loss", (X, sg.zeros(1, 4)), {}, ShapeError, "huber_loss: target shape"),
    ("huber_loss", (X, X), {"delta": 0.0}, ValueError, "delta must be positive, got 0.0"),
    ("smooth_l1_loss", (X, sg.zeros(4, 3)), {}, ShapeError, "smooth_l1_loss: target shape"),
    ("smooth_l1_loss", (X, X), {"beta": -1.0}, ValueError, "beta must be >= 0, got -1.0"),
    ("kl_div", (X, X), {"reduction": "avg"}, ValueError, "'batchmean' or 'sum', got 'avg'"),
    ("kl_div", (X, sg.zeros(3, 4, dtype=sg.int64)), {}, TypeError, "floating point target"),
]

test_error_messages = make_error_test(ERRORS)
