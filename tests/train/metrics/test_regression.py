"""MSE, MAE, R²: vs scikit-learn, streaming vs one-shot, errors."""

import math
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.train.metrics.regression import (
    MeanAbsoluteError,
    MeanSquaredError,
    R2Score,
    mae,
    mse,
    r2,
)
from tests.train.metrics._common import (
    CUTS,
    SEED,
    SEEDS,
    STREAM,
    N,
    _raises,
    _regression,
    _same,
    _stream,
)


# ---------------------------------------------------------------- regression vs sklearn
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", [(40,), (40, 1), (40, 3)])
def test_regression_metrics_match_sklearn(seed: int, shape: tuple[int, ...]) -> None:
    preds, targets = _regression(seed, shape)
    p64, t64 = preds.astype(np.float64), targets.astype(np.float64)
    _same(mse(preds, targets), skm.mean_squared_error(t64, p64))
    _same(mae(preds, targets), skm.mean_absolute_error(t64, p64))
    np.testing.assert_allclose(r2(sg.tensor(preds), targets), skm.r2_score(t64, p64), rtol=1e-10)


def test_r2_edge_cases_follow_sklearn() -> None:
    constant = np.array([[2.0, 5.0], [2.0, 5.0], [2.0, 5.0]])
    preds = np.array([[2.0, 4.0], [2.0, 5.0], [2.0, 6.0]])  # output 0 exact, output 1 not
    assert r2(preds, constant) == skm.r2_score(constant, preds) == 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn: "not well-defined with less than two samples"
        assert math.isnan(skm.r2_score([1.0], [2.0]))
    assert math.isnan(r2([2.0], [1.0]))


@STREAM
@given(seed=SEED, cuts=CUTS, outputs=st.sampled_from([(N,), (N, 1), (N, 3)]))
def test_streaming_regression_equals_one_shot(
    seed: int, cuts: list[int], outputs: tuple[int, ...]
) -> None:
    preds, targets = _regression(seed, outputs)
    np.testing.assert_allclose(
        _stream(MeanSquaredError(), preds, targets, cuts), mse(preds, targets), rtol=1e-12
    )
    np.testing.assert_allclose(
        _stream(MeanAbsoluteError(), preds, targets, cuts), mae(preds, targets), rtol=1e-12
    )
    np.testing.assert_allclose(
        _stream(R2Score(), preds, targets, cuts), r2(preds, targets), rtol=1e-10
    )


def test_streaming_r2_is_not_an_average_of_batch_scores() -> None:
    targets = np.arange(10.0)
    preds = targets + np.array([1.0, -1.0] * 5)
    halves = [r2(preds[:5], targets[:5]), r2(preds[5:], targets[5:])]
    assert _stream(R2Score(), preds, targets, [5]) == pytest.approx(r2(preds, targets))
    assert abs(np.mean(halves) - r2(preds, targets)) > 0.1


def test_streaming_r2_stays_accurate_far_from_zero() -> None:
    rng = np.random.default_rng(0)
    targets = 1e8 + rng.standard_normal(1000)  # sum(y²) - (sum y)²/n would lose every digit
    preds = targets + 0.5 * rng.standard_normal(1000)
    got = _stream(R2Score(), preds, targets, list(range(7, 1000, 7)))
    np.testing.assert_allclose(got, skm.r2_score(targets, preds), rtol=1e-6)


def test_error_regression_shapes() -> None:
    _raises(
        ShapeError,
        "mse: predictions and targets must have the same shape: (4, 1) != (4,)",
        lambda: mse(np.zeros((4, 1)), np.zeros(4)),
    )
    _raises(
        ShapeError,
        "mae: expects values (N,) or (N, D), got (2, 2, 2)",
        lambda: mae(np.zeros((2, 2, 2)), np.zeros((2, 2, 2))),
    )
    _raises(ShapeError, "r2: expects values (N,) or (N, D), got ()", lambda: r2(1.0, 2.0))
    m = R2Score()
    m.update(np.zeros((3, 2)), np.ones((3, 2)))
    _raises(
        ShapeError,
        "R2Score.update: the number of outputs changed: D=3 != D=2 of earlier batches "
        "(preds=(1, 3), targets=(1, 3))",
        lambda: m.update(np.zeros((1, 3)), np.zeros((1, 3))),
    )
