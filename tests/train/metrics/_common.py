"""What the metric tests share: random inputs, batch cuts, comparisons, error checks."""

import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import settings
from hypothesis import strategies as st

from scratchgrad.train.metrics.base import Metric
from scratchgrad.train.metrics.confusion import (
    F1Score,
    Precision,
    Recall,
    f1,
    precision,
    recall,
)

SEEDS = [0, 1, 2, 3, 4]
PRF = {"precision": precision, "recall": recall, "f1": f1}
SK_PRF = {"precision": skm.precision_score, "recall": skm.recall_score, "f1": skm.f1_score}
PRF_CLASSES: dict[str, Callable[..., Metric]] = {
    "precision": Precision,
    "recall": Recall,
    "f1": F1Score,
}


def _labels(seed: int, n: int = 50, c: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Predicted and true labels, each drawn from a random subset of the C classes, so some
    classes are never predicted, some never true, and some neither."""
    rng = np.random.default_rng(seed)
    pred_classes = rng.choice(c, size=rng.integers(2, c + 1), replace=False)
    true_classes = rng.choice(c, size=rng.integers(2, c + 1), replace=False)
    return rng.choice(pred_classes, n), rng.choice(true_classes, n)


def _logits(seed: int, n: int = 50, c: int = 6) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, c)).astype(np.float32), rng.integers(0, c, n)


def _regression(seed: int, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    targets = rng.standard_normal(shape) * 3 + 10
    return (targets + rng.standard_normal(shape)).astype(np.float32), targets.astype(np.float32)


def _same(a: Any, b: Any) -> None:
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=0, equal_nan=True)


def _batches(n: int, cuts: list[int]) -> Iterator[slice]:
    edges = [0, *sorted(set(cuts)), n]
    return (slice(a, b) for a, b in zip(edges, edges[1:], strict=False))


def _stream(metric: Metric, preds: np.ndarray, targets: np.ndarray, cuts: list[int]) -> Any:
    metric.reset()
    for s in _batches(len(targets), cuts):
        metric.update(preds[s], targets[s])
    return metric.compute()


N = 37
CUTS = st.lists(st.integers(1, N - 1), max_size=8)
SEED = st.integers(0, 2**16)
STREAM = settings(max_examples=25, deadline=None)


def _raises(exc: type[Exception], message: str, fn: Callable[[], object]) -> None:
    with pytest.raises(exc, match=re.escape(message)):
        fn()
