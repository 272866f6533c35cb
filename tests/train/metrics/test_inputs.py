"""The shared input checks, through metrics of every kind: counts, ranges, dtypes, empty."""

import numpy as np

from scratchgrad.errors import ShapeError
from scratchgrad.train.metrics.base import MeanMetric
from scratchgrad.train.metrics.classification import (
    Accuracy,
    accuracy,
)
from scratchgrad.train.metrics.confusion import (
    ConfusionMatrix,
    f1,
    precision,
    recall,
)
from scratchgrad.train.metrics.language_model import perplexity
from scratchgrad.train.metrics.regression import (
    mse,
    r2,
)
from tests.train.metrics._common import (
    _raises,
)

# ---------------------------------------------------------------- errors


def test_error_sample_counts_differ() -> None:
    message = (
        "accuracy: predictions and targets must have the same number of samples: 4 != 3 "
        "(preds=(4, 2), targets=(3,))"
    )
    _raises(ShapeError, message, lambda: accuracy(np.zeros((4, 2)), [0, 1, 1]))
    _raises(ShapeError, "5 != 4 (preds=(5,), targets=(4,))", lambda: f1([0] * 5, [0] * 4))
    _raises(
        ShapeError,
        "Accuracy.update: predictions and targets",
        lambda: Accuracy().update([0], [0, 1]),
    )


def test_error_labels_out_of_range() -> None:
    _raises(
        ValueError,
        "accuracy: targets must be in [0, num_classes): got min 0, max 3 with num_classes=3",
        lambda: accuracy(np.zeros((2, 3)), [0, 3]),
    )
    _raises(
        ValueError,
        "recall: predictions must be in [0, num_classes): got min 0, max 4 with num_classes=4",
        lambda: recall([0, 4], [0, 1], 4),
    )
    _raises(
        ValueError,
        "f1: targets must be in [0, num_classes): got min -1, max 1",
        lambda: f1([0, 1], [-1, 1]),
    )
    _raises(
        ValueError,
        "ConfusionMatrix.update: targets must be in [0, num_classes): got min 2, max 2 "
        "with num_classes=2",
        lambda: ConfusionMatrix(2).update([0], [2]),
    )
    _raises(
        ValueError,
        "perplexity: targets must be in [0, num_classes): got min 0, max 5 with num_classes=5",
        lambda: perplexity(np.zeros((2, 5)), [0, 5]),
    )


def test_error_labels_must_be_integers() -> None:
    _raises(
        TypeError,
        "accuracy: targets must be integer class labels, got dtype float64",
        lambda: accuracy([0, 1], [0.0, 1.0]),
    )
    _raises(
        TypeError,
        "precision: predictions must be integer class labels, got dtype float32",
        lambda: precision(np.array([0.2, 0.7], dtype=np.float32), [0, 1]),
    )
    _raises(
        TypeError,
        "perplexity: logits must be floating point, got dtype int64",
        lambda: perplexity(np.zeros((2, 3), dtype=np.int64), [0, 1]),
    )


def test_error_empty_input() -> None:
    _raises(
        ValueError,
        "accuracy: empty input: no samples (preds=(0, 3), targets=(0,))",
        lambda: accuracy(np.zeros((0, 3)), np.zeros(0, dtype=int)),
    )
    _raises(
        ValueError, "mse: empty input: no samples (preds=(0,), targets=(0,))", lambda: mse([], [])
    )
    _raises(
        ValueError,
        "r2: empty input: no samples (preds=(4, 0), targets=(4, 0))",
        lambda: r2(np.zeros((4, 0)), np.zeros((4, 0))),
    )
    _raises(
        ValueError,
        "perplexity: empty input: no targets (logits=(0, 5), targets=(0,))",
        lambda: perplexity(np.zeros((0, 5)), np.zeros(0, dtype=int)),
    )
    _raises(
        ValueError,
        "perplexity: empty input: every target equals ignore_index=-100",
        lambda: perplexity(np.zeros((2, 5)), [-100, -100], ignore_index=-100),
    )
    _raises(
        ValueError,
        "MeanMetric.update: empty input: no values (value=(0,))",
        lambda: MeanMetric().update([]),
    )
