"""Dictionaries of metrics and the default set per task."""

import pytest

from scratchgrad.train.metrics.classification import (
    Accuracy,
)
from scratchgrad.train.metrics.collection import build_metrics, compute_all, reset_all, update_all
from scratchgrad.train.metrics.confusion import (
    F1Score,
    f1,
)
from scratchgrad.train.metrics.language_model import Perplexity
from scratchgrad.train.metrics.regression import (
    MeanAbsoluteError,
    MeanSquaredError,
    R2Score,
)
from tests.train.metrics._common import (
    _raises,
)


# ---------------------------------------------------------------- collections and defaults
def test_build_metrics_defaults_and_compute_all() -> None:
    cls = build_metrics("classification", num_classes=3)
    assert {k: type(v) for k, v in cls.items()} == {"accuracy": Accuracy, "f1_macro": F1Score}
    reg = build_metrics("regression")
    assert {k: type(v) for k, v in reg.items()} == {
        "mse": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "r2": R2Score,
    }
    assert {k: type(v) for k, v in build_metrics("language-model").items()} == {
        "perplexity": Perplexity
    }
    update_all(cls, [[0.9, 0.1, 0.0], [0.0, 0.2, 0.8]], [0, 1])
    assert compute_all(cls) == {
        "accuracy": 0.5,
        "f1_macro": pytest.approx(f1([0, 2], [0, 1], 3)),
    }
    reset_all(cls)
    with pytest.raises(ValueError, match="no samples since the last reset"):
        compute_all(cls)
    assert build_metrics("classification", 2) is not build_metrics("classification", 2)


def test_error_build_metrics() -> None:
    _raises(
        ValueError,
        "build_metrics: classification needs num_classes, got None",
        lambda: build_metrics("classification"),
    )
    _raises(
        ValueError,
        "build_metrics: task must be 'classification', 'regression' or 'language-model', "
        "got 'segmentation'",
        lambda: build_metrics("segmentation"),  # type: ignore[arg-type]
    )
