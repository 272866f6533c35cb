"""Metrics from a confusion matrix: precision, recall, F1 and the matrix, one-shot and streaming.

Inputs are those of :mod:`~scratchgrad.train.metrics.classification`. Averages follow
scikit-learn: macro and weighted over the classes seen in targets or predictions, micro
from the summed counts, ``zero_division`` for a 0/0 ratio.
"""

from __future__ import annotations

import math
from typing import ClassVar, Literal, TypeAlias, final

import numpy as np

from scratchgrad.train.metrics._inputs import (
    FloatArray,
    Input,
    IntArray,
    check_num_classes,
    class_inputs,
)
from scratchgrad.train.metrics.base import Metric

Average: TypeAlias = Literal["macro", "micro", "weighted"] | None
_AVERAGES = ("macro", "micro", "weighted", None)


def _confusion(pred_labels: IntArray, target_labels: IntArray, num_classes: int) -> IntArray:
    """Counts (C, C): row = true class, column = predicted class."""
    flat = target_labels * num_classes + pred_labels
    counts: IntArray = np.bincount(flat, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes)


def _check_average(op: str, average: Average, zero_division: float) -> None:
    if average not in _AVERAGES:
        raise ValueError(f"{op}: average must be one of {_AVERAGES}, got {average!r}")
    if not (zero_division in (0.0, 1.0) or math.isnan(zero_division)):
        raise ValueError(f"{op}: zero_division must be 0.0, 1.0 or nan, got {zero_division}")


def _safe_divide(num: FloatArray, den: FloatArray, zero_division: float) -> FloatArray:
    """num / den, with ``zero_division`` where den is 0."""
    out: FloatArray = np.full(num.shape, zero_division, dtype=np.float64)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _nanaverage(x: FloatArray, weights: FloatArray | None) -> float:
    """Weighted mean that skips NaNs (scikit-learn's rule, for ``zero_division=nan``)."""
    keep = ~np.isnan(x)
    if not keep.any():
        return math.nan
    if weights is None or weights[keep].sum() == 0:
        return float(x[keep].mean())
    return float(np.average(x[keep], weights=weights[keep]))


def _prf_from_confusion(
    cm: IntArray, which: str, average: Average, zero_division: float
) -> float | FloatArray:
    """Precision, recall or F1 from a confusion matrix (C, C), averaged as asked.

    Macro and weighted averages run over the classes that occur in the targets or the
    predictions, as scikit-learn's default ``labels``; per-class results cover all C.
    """
    tp = np.diag(cm).astype(np.float64)
    predicted = cm.sum(axis=0).astype(np.float64)
    true = cm.sum(axis=1).astype(np.float64)
    if average == "micro":
        tp, predicted, true = (
            tp.sum(keepdims=True),
            predicted.sum(keepdims=True),
            true.sum(keepdims=True),
        )
    num, den = {
        "precision": (tp, predicted),
        "recall": (tp, true),
        "f1": (2 * tp, predicted + true),
    }[which]
    scores = _safe_divide(num, den, zero_division)
    if average is None:
        return scores
    if average == "micro":
        return float(scores[0])
    present = (predicted + true) > 0
    weights = true[present] if average == "weighted" else None
    return _nanaverage(scores[present], weights)


def _prf(
    op: str,
    preds: Input,
    targets: Input,
    num_classes: int | None,
    average: Average,
    zero_division: float,
) -> float | FloatArray:
    _check_average(op, average, zero_division)
    p, t, c = class_inputs(op, preds, targets, num_classes)
    which = op  # "precision", "recall" or "f1"
    return _prf_from_confusion(_confusion(p, t, c), which, average, zero_division)


def precision(
    preds: Input,
    targets: Input,
    num_classes: int | None = None,
    *,
    average: Average = "macro",
    zero_division: float = 0.0,
) -> float | FloatArray:
    """Of the samples predicted as a class, the fraction that belong to it: tp / (tp + fp).

    Args:
        preds: logits (N, C) or labels (N,).
        targets: labels (N,).
        num_classes: C; default the logits' width, else the largest label + 1.
        average: ``"macro"`` (mean over classes seen in targets or predictions),
            ``"micro"`` (from the summed counts), ``"weighted"`` (by support), or None.
        zero_division: the value of a 0/0 ratio: 0.0 (scikit-learn's default "warn" gives
            0.0 too), 1.0, or nan (then left out of averages).

    Returns:
        A float, or with ``average=None`` an array (C,) with one score per class.

    >>> precision([0, 1, 1, 1], [0, 1, 0, 1], average=None)
    array([1.        , 0.66666667])
    """
    return _prf("precision", preds, targets, num_classes, average, zero_division)


def recall(
    preds: Input,
    targets: Input,
    num_classes: int | None = None,
    *,
    average: Average = "macro",
    zero_division: float = 0.0,
) -> float | FloatArray:
    """Of the samples of a class, the fraction predicted as it: tp / (tp + fn).

    Args and the shape of the result are those of :func:`precision`.

    >>> recall([0, 1, 1, 1], [0, 1, 0, 1], average=None)
    array([0.5, 1. ])
    """
    return _prf("recall", preds, targets, num_classes, average, zero_division)


def f1(
    preds: Input,
    targets: Input,
    num_classes: int | None = None,
    *,
    average: Average = "macro",
    zero_division: float = 0.0,
) -> float | FloatArray:
    """The harmonic mean of precision and recall: 2 tp / (2 tp + fp + fn).

    Args and the shape of the result are those of :func:`precision`; ``zero_division``
    applies to a class that occurs in neither the targets nor the predictions.

    >>> round(f1([0, 1, 1, 1], [0, 1, 0, 1]), 4)
    0.7333
    """
    return _prf("f1", preds, targets, num_classes, average, zero_division)


def confusion_matrix(preds: Input, targets: Input, num_classes: int | None = None) -> IntArray:
    """Counts of (true class, predicted class) pairs.

    Args:
        preds: logits (N, C) or labels (N,).
        targets: labels (N,).
        num_classes: C; default the logits' width, else the largest label + 1.

    Returns:
        int64 array (C, C): row i, column j counts samples of class i predicted as j.

    >>> confusion_matrix([0, 1, 1], [0, 0, 1])
    array([[1, 1],
           [0, 1]])
    """
    p, t, c = class_inputs("confusion_matrix", preds, targets, num_classes)
    return _confusion(p, t, c)


class _ConfusionMetric(Metric):
    """A metric computed from an accumulated confusion matrix (C, C)."""

    def __init__(self, num_classes: int) -> None:
        check_num_classes(type(self).__name__, num_classes)
        self.num_classes = num_classes
        self.reset()

    def reset(self) -> None:
        """Forget every batch."""
        self._matrix: IntArray = np.zeros((self.num_classes, self.num_classes), dtype=np.int64)

    def update(self, preds: Input, targets: Input) -> None:
        """Add logits (N, C) or labels (N,) and target labels (N,), all in [0, C)."""
        p, t, c = class_inputs(self._op(), preds, targets, self.num_classes)
        self._matrix += _confusion(p, t, c)


@final
class ConfusionMatrix(_ConfusionMetric):
    """Streaming :func:`confusion_matrix`; ``compute`` returns a copy (C, C).

    Args:
        num_classes: C.

    >>> m = ConfusionMatrix(2)
    >>> m.update([0, 1], [0, 0])
    >>> m.update([1], [1])
    >>> m.compute()
    array([[1, 1],
           [0, 1]])
    """

    def compute(self) -> IntArray:
        """The metric over every batch since the last reset."""
        self._check_seen(int(self._matrix.sum()))
        return self._matrix.copy()


class _ScoreFromConfusion(_ConfusionMetric):
    """Precision, recall or F1 from the confusion matrix; see :func:`precision` for the args."""

    higher_is_better = True
    _which: ClassVar[str]  # "precision", "recall" or "f1"

    def __init__(
        self, num_classes: int, *, average: Average = "macro", zero_division: float = 0.0
    ) -> None:
        _check_average(type(self).__name__, average, zero_division)
        self.average = average
        self.zero_division = zero_division
        super().__init__(num_classes)

    def compute(self) -> float | FloatArray:
        """The metric over every batch since the last reset."""
        self._check_seen(int(self._matrix.sum()))
        return _prf_from_confusion(self._matrix, self._which, self.average, self.zero_division)


@final
class Precision(_ScoreFromConfusion):
    """Streaming :func:`precision`.

    Args:
        num_classes: C.
        average: ``"macro"``, ``"micro"``, ``"weighted"`` or None (per class).
        zero_division: the value of a 0/0 ratio: 0.0, 1.0 or nan.

    >>> m = Precision(2, average=None)
    >>> m.update([0, 1], [0, 1])
    >>> m.update([1, 1], [0, 1])
    >>> m.compute()
    array([1.        , 0.66666667])
    """

    _which = "precision"


@final
class Recall(_ScoreFromConfusion):
    """Streaming :func:`recall`; arguments as :class:`Precision`.

    >>> m = Recall(2, average=None)
    >>> m.update([0, 1], [0, 1])
    >>> m.update([1, 1], [0, 1])
    >>> m.compute()
    array([0.5, 1. ])
    """

    _which = "recall"


@final
class F1Score(_ScoreFromConfusion):
    """Streaming :func:`f1`; arguments as :class:`Precision`.

    >>> m = F1Score(2)
    >>> m.update([0, 1], [0, 1])
    >>> m.update([1, 1], [0, 1])
    >>> round(m.compute(), 4)
    0.7333
    """

    _which = "f1"


__all__ = [
    "ConfusionMatrix",
    "F1Score",
    "Precision",
    "Recall",
    "confusion_matrix",
    "f1",
    "precision",
    "recall",
]
