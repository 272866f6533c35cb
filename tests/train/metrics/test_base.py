"""The Metric base and MeanMetric: weighted means, direction, compute before update."""

import numpy as np
import pytest
from hypothesis import given

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.train.metrics.base import MeanMetric, Metric
from scratchgrad.train.metrics.classification import (
    Accuracy,
    TopKAccuracy,
)
from scratchgrad.train.metrics.confusion import (
    ConfusionMatrix,
    F1Score,
    Precision,
    Recall,
)
from scratchgrad.train.metrics.language_model import Perplexity
from scratchgrad.train.metrics.regression import (
    MeanAbsoluteError,
    MeanSquaredError,
    R2Score,
)
from tests.train.metrics._common import (
    CUTS,
    SEED,
    STREAM,
    N,
    _batches,
    _raises,
)


@STREAM
@given(seed=SEED, cuts=CUTS)
def test_mean_metric_weighted_by_batch_size_is_the_sample_mean(seed: int, cuts: list[int]) -> None:
    losses = np.random.default_rng(seed).random(N)
    by_mean, by_values = MeanMetric(), MeanMetric()
    for s in _batches(N, cuts):
        by_mean.update(sg.tensor(losses[s].mean()), weight=len(losses[s]))
        by_values.update(losses[s])
    assert by_mean.compute() == pytest.approx(losses.mean(), rel=1e-12)
    assert by_values.compute() == pytest.approx(losses.mean(), rel=1e-12)


def test_mean_metric_with_a_weight_per_value() -> None:
    m = MeanMetric()
    m.update([1.0, 3.0], weight=[1.0, 3.0])
    m.update(5.0)
    assert m.compute() == pytest.approx((1 + 9 + 5) / 5)


def test_higher_is_better_says_which_way_improves() -> None:
    assert Accuracy.higher_is_better and F1Score.higher_is_better and R2Score.higher_is_better
    assert MeanSquaredError.higher_is_better is False and Perplexity.higher_is_better is False
    assert MeanMetric.higher_is_better is None


@pytest.mark.parametrize(
    "metric",
    [
        Accuracy(),
        TopKAccuracy(1),
        ConfusionMatrix(2),
        Precision(2),
        Recall(2),
        F1Score(2),
        MeanSquaredError(),
        MeanAbsoluteError(),
        R2Score(),
        Perplexity(),
        MeanMetric(),
    ],
)
def test_error_compute_before_update(metric: Metric) -> None:
    name = type(metric).__name__
    message = f"{name}.compute: empty input: no samples since the last reset()"
    _raises(ValueError, message, metric.compute)


def test_error_mean_metric_weight_shape() -> None:
    _raises(
        ShapeError,
        "MeanMetric.update: weight must be a scalar or match the values: weight=(3,), value=(2,)",
        lambda: MeanMetric().update([1.0, 2.0], weight=[1.0, 1.0, 1.0]),
    )
