"""Classification metrics that count hits: accuracy and top-k accuracy, one-shot and streaming.

Predictions are logits or scores ``(N, C)`` (the predicted class is their argmax, first
index on ties) or integer labels ``(N,)``; targets are integer labels ``(N,)`` in ``[0, C)``.
"""

from __future__ import annotations

from typing import final

import numpy as np

from scratchgrad.errors import ShapeError
from scratchgrad.train.metrics._inputs import (
    FloatArray,
    Input,
    IntArray,
    as_labels,
    check_range,
    check_samples,
    class_inputs,
    to_numpy,
)
from scratchgrad.train.metrics.base import Metric


def _scores_inputs(op: str, preds: Input, targets: Input, k: int) -> tuple[FloatArray, IntArray]:
    """Checked scores (N, C) and target labels (N,) for top-k accuracy."""
    p, t = to_numpy(preds), to_numpy(targets)
    if p.ndim != 2 or t.ndim != 1:
        raise ShapeError(
            f"{op}: expects scores (N, C) and labels (N,), got preds={p.shape}, targets={t.shape}"
        )
    check_samples(op, p, t)
    if not 1 <= k <= p.shape[1]:
        raise ValueError(
            f"{op}: k must be in [1, C], the number of classes: k={k}, C={p.shape[1]} "
            f"(preds={p.shape})"
        )
    labels = as_labels(op, "targets", t)
    check_range(op, "targets", labels, p.shape[1])
    return p.astype(np.float64, copy=False), labels


def _top_k_hits(scores: FloatArray, labels: IntArray, k: int) -> int:
    """How many targets rank among the k best scores; ties rank the lower class first."""
    target = np.take_along_axis(scores, labels[:, None], axis=1)  # (N, 1)
    before = np.arange(scores.shape[1])[None, :] < labels[:, None]  # (N, C)
    rank = (scores > target).sum(axis=1) + ((scores == target) & before).sum(axis=1)
    return int((rank < k).sum())


def accuracy(preds: Input, targets: Input) -> float:
    """The fraction of samples whose predicted class is the target.

    Args:
        preds: logits (N, C) or labels (N,).
        targets: labels (N,).

    Returns:
        Accuracy in [0, 1].

    >>> accuracy([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], [1, 1, 1])
    0.6666666666666666
    """
    p, t, _ = class_inputs("accuracy", preds, targets)
    return float((p == t).mean())


def top_k_accuracy(preds: Input, targets: Input, k: int = 5) -> float:
    """The fraction of samples whose target is among the k highest scores.

    Ties rank the lower class index first, as ``argmax``, so k=1 equals :func:`accuracy`.

    Args:
        preds: logits or scores (N, C).
        targets: labels (N,).
        k: how many of the best classes count, 1 <= k <= C.

    Returns:
        Top-k accuracy in [0, 1].

    >>> top_k_accuracy([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]], [1, 0], k=2)
    0.5
    """
    scores, labels = _scores_inputs("top_k_accuracy", preds, targets, k)
    return _top_k_hits(scores, labels, k) / len(labels)


@final
class Accuracy(Metric):
    """Streaming :func:`accuracy`: counts of correct and seen samples.

    >>> m = Accuracy()
    >>> m.update([[0.1, 0.9]], [1])
    >>> m.update([0, 0], [1, 0])
    >>> m.compute()
    0.6666666666666666
    """

    higher_is_better = True

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget every batch."""
        self._correct = 0
        self._total = 0

    def update(self, preds: Input, targets: Input) -> None:
        """Add logits (N, C) or labels (N,) and target labels (N,)."""
        p, t, _ = class_inputs(self._op(), preds, targets)
        self._correct += int((p == t).sum())
        self._total += len(t)

    def compute(self) -> float:
        """The metric over every batch since the last reset."""
        self._check_seen(self._total)
        return self._correct / self._total


@final
class TopKAccuracy(Metric):
    """Streaming :func:`top_k_accuracy`.

    Args:
        k: how many of the best classes count.

    >>> m = TopKAccuracy(k=2)
    >>> m.update([[0.5, 0.3, 0.2]], [1])
    >>> m.update([[0.1, 0.2, 0.7]], [0])
    >>> m.compute()
    0.5
    """

    higher_is_better = True

    def __init__(self, k: int = 5) -> None:
        self.k = k
        self.reset()

    def reset(self) -> None:
        """Forget every batch."""
        self._hits = 0
        self._total = 0

    def update(self, preds: Input, targets: Input) -> None:
        """Add scores (N, C) and target labels (N,)."""
        scores, labels = _scores_inputs(self._op(), preds, targets, self.k)
        self._hits += _top_k_hits(scores, labels, self.k)
        self._total += len(labels)

    def compute(self) -> float:
        """The metric over every batch since the last reset."""
        self._check_seen(self._total)
        return self._hits / self._total


__all__ = ["Accuracy", "TopKAccuracy", "accuracy", "top_k_accuracy"]
