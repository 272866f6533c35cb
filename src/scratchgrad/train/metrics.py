"""Metrics: one-shot functions and streaming objects for classification, regression and LMs.

Every function takes predictions first and targets second (PyTorch's order; scikit-learn's
is ``(y_true, y_pred)``), as Tensors, NumPy arrays or nested lists, and returns a Python
float, or a NumPy array for per-class scores and the confusion matrix.

Classification predictions are logits or scores ``(N, C)`` (the predicted class is their
argmax, first index on ties) or integer labels ``(N,)``; targets are integer labels ``(N,)``
in ``[0, C)``. Regression predictions and targets share one shape, ``(N,)`` or ``(N, D)``;
with D outputs each is scored alone and the scores are averaged, as scikit-learn's
``multioutput="uniform_average"``.

A :class:`Metric` accumulates exact sufficient statistics batch by batch (counts, a
confusion matrix, sums, running moments), so ``compute()`` after any split of the data into
batches equals the function on the whole data, never an average of per-batch scores.

All arithmetic runs in float64: metrics sum many terms, and float32 sums drift.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import ClassVar, Literal, TypeAlias, final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scratchgrad.errors import ShapeError
from scratchgrad.tensor import Tensor

Input: TypeAlias = Tensor | ArrayLike
"""What every metric accepts: a Tensor (read without its graph), an array or a list."""
Average: TypeAlias = Literal["macro", "micro", "weighted"] | None
Task: TypeAlias = Literal["classification", "regression", "language-model"]
Score: TypeAlias = "float | NDArray[np.float64] | NDArray[np.int64]"
IntArray: TypeAlias = NDArray[np.int64]
FloatArray: TypeAlias = NDArray[np.float64]
_AVERAGES = ("macro", "micro", "weighted", None)


# ---------------------------------------------------------------- input checks
def _to_numpy(x: Input) -> NDArray[np.generic]:
    """The values of ``x`` as a NumPy array; a Tensor's data is read without a copy."""
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def _check_samples(op: str, p: NDArray[np.generic], t: NDArray[np.generic]) -> None:
    """Same number of samples in predictions and targets, and at least one."""
    if p.shape[0] != t.shape[0]:
        raise ShapeError(
            f"{op}: predictions and targets must have the same number of samples: "
            f"{p.shape[0]} != {t.shape[0]} (preds={p.shape}, targets={t.shape})"
        )
    if p.size == 0:
        raise ValueError(f"{op}: empty input: no samples (preds={p.shape}, targets={t.shape})")


def _as_labels(op: str, name: str, x: NDArray[np.generic]) -> IntArray:
    """Integer class labels as int64; any other dtype is refused."""
    if x.dtype.kind not in "biu":
        raise TypeError(f"{op}: {name} must be integer class labels, got dtype {x.dtype}")
    return x.astype(np.int64, copy=False)


def _check_range(op: str, name: str, labels: IntArray, num_classes: int) -> None:
    """All labels in [0, num_classes)."""
    low, high = int(labels.min()), int(labels.max())
    if low < 0 or high >= num_classes:
        raise ValueError(
            f"{op}: {name} must be in [0, num_classes): got min {low}, max {high} "
            f"with num_classes={num_classes}"
        )


def _check_num_classes(op: str, num_classes: int | None) -> None:
    if num_classes is not None and num_classes < 1:
        raise ValueError(f"{op}: num_classes must be >= 1, got {num_classes}")


def _logit_labels(op: str, p: NDArray[np.generic], num_classes: int | None) -> IntArray:
    """The argmax of logits (N, C), after checking C against ``num_classes``."""
    if p.shape[1] == 0 or (num_classes is not None and p.shape[1] != num_classes):
        raise ShapeError(
            f"{op}: logits must have one column per class: C={p.shape[1]} != "
            f"num_classes={num_classes} (preds={p.shape})"
        )
    labels: IntArray = p.argmax(axis=1).astype(np.int64)
    return labels


def _class_inputs(
    op: str, preds: Input, targets: Input, num_classes: int | None = None
) -> tuple[IntArray, IntArray, int]:
    """Checked predicted labels (N,), target labels (N,) and the number of classes C.

    C is ``num_classes`` if given, else the logits' width, else the largest label + 1.
    """
    p, t = _to_numpy(preds), _to_numpy(targets)
    _check_num_classes(op, num_classes)
    if t.ndim != 1:
        raise ShapeError(f"{op}: targets must be labels (N,), got {t.shape} (preds={p.shape})")
    if p.ndim not in (1, 2):
        raise ShapeError(
            f"{op}: predictions must be logits (N, C) or labels (N,), got {p.shape} "
            f"(targets={t.shape})"
        )
    _check_samples(op, p, t)
    target_labels = _as_labels(op, "targets", t)
    if p.ndim == 2:
        pred_labels = _logit_labels(op, p, num_classes)
        num_classes = p.shape[1]
    else:
        pred_labels = _as_labels(op, "predictions", p)
    if num_classes is None:
        num_classes = max(int(pred_labels.max()), int(target_labels.max())) + 1
    _check_range(op, "targets", target_labels, num_classes)
    _check_range(op, "predictions", pred_labels, num_classes)
    return pred_labels, target_labels, num_classes


def _scores_inputs(op: str, preds: Input, targets: Input, k: int) -> tuple[FloatArray, IntArray]:
    """Checked scores (N, C) and target labels (N,) for top-k accuracy."""
    p, t = _to_numpy(preds), _to_numpy(targets)
    if p.ndim != 2 or t.ndim != 1:
        raise ShapeError(
            f"{op}: expects scores (N, C) and labels (N,), got preds={p.shape}, targets={t.shape}"
        )
    _check_samples(op, p, t)
    if not 1 <= k <= p.shape[1]:
        raise ValueError(
            f"{op}: k must be in [1, C], the number of classes: k={k}, C={p.shape[1]} "
            f"(preds={p.shape})"
        )
    labels = _as_labels(op, "targets", t)
    _check_range(op, "targets", labels, p.shape[1])
    return p.astype(np.float64, copy=False), labels


def _regression_inputs(op: str, preds: Input, targets: Input) -> tuple[FloatArray, FloatArray]:
    """Checked predictions and targets as float64 (N, D); a (N,) input becomes (N, 1)."""
    p, t = _to_numpy(preds), _to_numpy(targets)
    if p.shape != t.shape:
        raise ShapeError(
            f"{op}: predictions and targets must have the same shape: {p.shape} != {t.shape}"
        )
    if p.ndim not in (1, 2):
        raise ShapeError(f"{op}: expects values (N,) or (N, D), got {p.shape}")
    _check_samples(op, p, t)
    shape = (p.shape[0], -1)
    return p.reshape(shape).astype(np.float64), t.reshape(shape).astype(np.float64)


# ---------------------------------------------------------------- classification
def _confusion(pred_labels: IntArray, target_labels: IntArray, num_classes: int) -> IntArray:
    """Counts (C, C): row = true class, column = predicted class."""
    flat = target_labels * num_classes + pred_labels
    counts: IntArray = np.bincount(flat, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes)


def _top_k_hits(scores: FloatArray, labels: IntArray, k: int) -> int:
    """How many targets rank among the k best scores; ties rank the lower class first."""
    target = np.take_along_axis(scores, labels[:, None], axis=1)  # (N, 1)
    before = np.arange(scores.shape[1])[None, :] < labels[:, None]  # (N, C)
    rank = (scores > target).sum(axis=1) + ((scores == target) & before).sum(axis=1)
    return int((rank < k).sum())


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
    p, t, c = _class_inputs(op, preds, targets, num_classes)
    which = op  # "precision", "recall" or "f1"
    return _prf_from_confusion(_confusion(p, t, c), which, average, zero_division)


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
    p, t, _ = _class_inputs("accuracy", preds, targets)
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
    p, t, c = _class_inputs("confusion_matrix", preds, targets, num_classes)
    return _confusion(p, t, c)


# ---------------------------------------------------------------- regression
def _r2_from_moments(n: int, m2: FloatArray, ss_res: FloatArray) -> float:
    """R² averaged over outputs, from the sample count, sum((y - mean)²) and sum((y - ŷ)²).

    A constant target scores 1.0 if predicted exactly, else 0.0 (scikit-learn's rule).
    """
    if n < 2:
        return math.nan  # undefined, as scikit-learn
    ok = m2 != 0
    scores = np.where(ss_res == 0, 1.0, 0.0)
    scores[ok] = 1.0 - ss_res[ok] / m2[ok]
    return float(scores.mean())


def mse(preds: Input, targets: Input) -> float:
    """Mean squared error, over all samples and outputs.

    Args:
        preds: values (N,) or (N, D).
        targets: values, same shape as ``preds``.

    Returns:
        mean((preds - targets)²).

    >>> mse([1.0, 2.0, 4.0], [1.0, 3.0, 2.0])
    1.6666666666666667
    """
    p, t = _regression_inputs("mse", preds, targets)
    return float(np.mean((p - t) ** 2))


def mae(preds: Input, targets: Input) -> float:
    """Mean absolute error, over all samples and outputs.

    Args:
        preds: values (N,) or (N, D).
        targets: values, same shape as ``preds``.

    Returns:
        mean(|preds - targets|).

    >>> mae([1.0, 2.0, 4.0], [1.0, 3.0, 2.0])
    1.0
    """
    p, t = _regression_inputs("mae", preds, targets)
    return float(np.mean(np.abs(p - t)))


def r2(preds: Input, targets: Input) -> float:
    """Coefficient of determination, 1 - SS_res / SS_tot, averaged over outputs.

    Args:
        preds: values (N,) or (N, D).
        targets: values, same shape as ``preds``.

    Returns:
        R² (1 is perfect, 0 is as good as predicting the mean); nan when N < 2.

    >>> r2([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
    0.7857142857142857
    """
    p, t = _regression_inputs("r2", preds, targets)
    m2 = ((t - t.mean(axis=0)) ** 2).sum(axis=0)
    return _r2_from_moments(len(t), m2, ((t - p) ** 2).sum(axis=0))


# ---------------------------------------------------------------- language models
def _nll_sum(op: str, logits: Input, targets: Input, ignore_index: int | None) -> tuple[float, int]:
    """Summed cross-entropy (nats) of logits (..., C) for labels (...), and the count kept."""
    x, t = _to_numpy(logits), _to_numpy(targets)
    if x.ndim == 0 or x.shape[:-1] != t.shape:
        raise ShapeError(
            f"{op}: logits (..., C) and targets (...) must share the leading dims: "
            f"logits={x.shape}, targets={t.shape}"
        )
    if x.size == 0:
        raise ValueError(f"{op}: empty input: no targets (logits={x.shape}, targets={t.shape})")
    if x.dtype.kind != "f":
        raise TypeError(f"{op}: logits must be floating point, got dtype {x.dtype}")
    labels = _as_labels(op, "targets", t).reshape(-1)
    x = x.reshape(len(labels), -1)
    if ignore_index is not None:
        keep = labels != ignore_index
        x, labels = x[keep], labels[keep]
    if len(labels) == 0:
        return 0.0, 0
    _check_range(op, "targets", labels, x.shape[1])
    x = x.astype(np.result_type(x.dtype, np.float32), copy=False)  # float16 -> float32
    top = x.max(axis=1, keepdims=True)
    log_z = np.log(np.exp(x - top).sum(axis=1)) + top[:, 0]  # (N,)
    picked = x[np.arange(len(labels)), labels]  # (N,)
    return float(np.sum(log_z - picked, dtype=np.float64)), len(labels)


def perplexity(
    logits_or_loss: Input, targets: Input | None = None, *, ignore_index: int | None = None
) -> float:
    """exp(mean cross-entropy in nats), from logits and targets or from the loss itself.

    Args:
        logits_or_loss: logits (..., C) when ``targets`` is given, else the mean
            cross-entropy in nats, a scalar.
        targets: labels (...), the logits' leading shape; e.g. logits (B, T, V), targets (B, T).
        ignore_index: a target value to leave out (padding), as torch's cross_entropy.

    Returns:
        The perplexity, >= 1.

    >>> perplexity(math.log(4.0))
    4.0
    >>> perplexity([[0.0, 0.0, 0.0, 0.0]], [2])
    4.0
    """
    if targets is None:
        loss = _to_numpy(logits_or_loss)
        if loss.size != 1:
            raise ShapeError(
                f"perplexity: without targets, expects the mean cross-entropy, a scalar; got "
                f"shape {loss.shape} (pass targets to compute it from logits)"
            )
        return math.exp(float(loss.reshape(())))
    total, count = _nll_sum("perplexity", logits_or_loss, targets, ignore_index)
    if count == 0:
        raise ValueError(
            f"perplexity: empty input: every target equals ignore_index={ignore_index}"
        )
    return math.exp(total / count)


# ---------------------------------------------------------------- streaming metrics
class Metric(ABC):
    """A metric accumulated over batches: ``update`` per batch, ``compute`` at the end.

    Subclasses keep exact sufficient statistics, so the result does not depend on how the
    data was split into batches. ``higher_is_better`` tells a callback which way improves.
    """

    higher_is_better: ClassVar[bool | None] = None

    @abstractmethod
    def update(self, preds: Input, targets: Input) -> None:
        """Add one batch."""

    @abstractmethod
    def compute(self) -> Score:
        """The metric over every batch since the last ``reset``.

        Raises:
            ValueError: if no sample was added.
        """

    @abstractmethod
    def reset(self) -> None:
        """Forget every batch (e.g. at the start of an epoch)."""

    def _check_seen(self, count: float) -> None:
        if count == 0:
            raise ValueError(
                f"{type(self).__name__}.compute: empty input: no samples since the last reset()"
            )

    def _op(self) -> str:
        return f"{type(self).__name__}.update"


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
        p, t, _ = _class_inputs(self._op(), preds, targets)
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


class _ConfusionMetric(Metric):
    """A metric computed from an accumulated confusion matrix (C, C)."""

    def __init__(self, num_classes: int) -> None:
        _check_num_classes(type(self).__name__, num_classes)
        self.num_classes = num_classes
        self.reset()

    def reset(self) -> None:
        """Forget every batch."""
        self._matrix: IntArray = np.zeros((self.num_classes, self.num_classes), dtype=np.int64)

    def update(self, preds: Input, targets: Input) -> None:
        """Add logits (N, C) or labels (N,) and target labels (N,), all in [0, C)."""
        p, t, c = _class_inputs(self._op(), preds, targets, self.num_classes)
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

    def __init__(
        self, num_classes: int, *, average: Average = "macro", zero_division: float = 0.0
    ) -> None:
        _check_average(type(self).__name__, average, zero_division)
        self.average = average
        self.zero_division = zero_division
        super().__init__(num_classes)

    def _score(self, which: str) -> float | FloatArray:
        self._check_seen(int(self._matrix.sum()))
        return _prf_from_confusion(self._matrix, which, self.average, self.zero_division)


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

    def compute(self) -> float | FloatArray:
        """The metric over every batch since the last reset."""
        return self._score("precision")


@final
class Recall(_ScoreFromConfusion):
    """Streaming :func:`recall`; arguments as :class:`Precision`.

    >>> m = Recall(2, average=None)
    >>> m.update([0, 1], [0, 1])
    >>> m.update([1, 1], [0, 1])
    >>> m.compute()
    array([0.5, 1. ])
    """

    def compute(self) -> float | FloatArray:
        """The metric over every batch since the last reset."""
        return self._score("recall")


@final
class F1Score(_ScoreFromConfusion):
    """Streaming :func:`f1`; arguments as :class:`Precision`.

    >>> m = F1Score(2)
    >>> m.update([0, 1], [0, 1])
    >>> m.update([1, 1], [0, 1])
    >>> round(m.compute(), 4)
    0.7333
    """

    def compute(self) -> float | FloatArray:
        """The metric over every batch since the last reset."""
        return self._score("f1")


class _MeanError(Metric):
    """The mean of an elementwise error over every value seen."""

    higher_is_better = False

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget every batch."""
        self._sum = 0.0
        self._count = 0

    def update(self, preds: Input, targets: Input) -> None:
        """Add predictions (N,) or (N, D) and targets of the same shape."""
        p, t = _regression_inputs(self._op(), preds, targets)
        self._sum += float(self._error(p - t).sum())
        self._count += p.size

    def compute(self) -> float:
        """The metric over every batch since the last reset."""
        self._check_seen(self._count)
        return self._sum / self._count

    @abstractmethod
    def _error(self, diff: FloatArray) -> FloatArray:
        """The error of each value from preds - targets."""


@final
class MeanSquaredError(_MeanError):
    """Streaming :func:`mse`.

    >>> m = MeanSquaredError()
    >>> m.update([1.0, 2.0], [1.0, 3.0])
    >>> m.update([4.0], [2.0])
    >>> m.compute()
    1.6666666666666667
    """

    def _error(self, diff: FloatArray) -> FloatArray:
        return diff**2


@final
class MeanAbsoluteError(_MeanError):
    """Streaming :func:`mae`.

    >>> m = MeanAbsoluteError()
    >>> m.update([1.0, 2.0], [1.0, 3.0])
    >>> m.update([4.0], [2.0])
    >>> m.compute()
    1.0
    """

    def _error(self, diff: FloatArray) -> FloatArray:
        return np.abs(diff)


@final
class R2Score(Metric):
    """Streaming :func:`r2`, from per-output sufficient statistics.

    Per output it keeps the count, the mean and the sum of squared deviations of the
    targets, merged batch by batch with Chan et al.'s update (which stays accurate where
    sum(y²) - (sum y)²/n would cancel), and the residual sum of squares.

    >>> m = R2Score()
    >>> m.update([1.0, 2.0], [1.0, 2.0])
    >>> m.update([3.0], [4.0])
    >>> m.compute()
    0.7857142857142857
    """

    higher_is_better = True

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget every batch."""
        self._n = 0
        self._mean: FloatArray = np.zeros(0)  # (D,) mean of the targets
        self._m2: FloatArray = np.zeros(0)  # (D,) sum of (y - mean)²
        self._ss_res: FloatArray = np.zeros(0)  # (D,) sum of (y - ŷ)²

    def update(self, preds: Input, targets: Input) -> None:
        """Add predictions (N,) or (N, D) and targets of the same shape; D fixed by the first."""
        p, t = _regression_inputs(self._op(), preds, targets)
        n, mean = len(t), t.mean(axis=0)
        m2, ss_res = ((t - mean) ** 2).sum(axis=0), ((t - p) ** 2).sum(axis=0)
        if self._n == 0:
            self._n, self._mean, self._m2, self._ss_res = n, mean, m2, ss_res
            return
        if len(mean) != len(self._mean):
            raise ShapeError(
                f"{self._op()}: the number of outputs changed: D={len(mean)} != "
                f"D={len(self._mean)} of earlier batches (preds={p.shape}, targets={t.shape})"
            )
        total = self._n + n
        delta = mean - self._mean
        self._m2 = self._m2 + m2 + delta**2 * (self._n * n / total)
        self._mean = self._mean + delta * (n / total)
        self._ss_res = self._ss_res + ss_res
        self._n = total

    def compute(self) -> float:
        """The metric over every batch since the last reset."""
        self._check_seen(self._n)
        return _r2_from_moments(self._n, self._m2, self._ss_res)


@final
class Perplexity(Metric):
    """Streaming :func:`perplexity`: summed cross-entropy and token count.

    Args:
        ignore_index: a target value to leave out (padding).

    >>> m = Perplexity()
    >>> m.update([[0.0, 0.0, 0.0, 0.0]], [2])
    >>> m.update([[0.0, 0.0, 0.0, 0.0]], [0])
    >>> m.compute()
    4.0
    """

    higher_is_better = False

    def __init__(self, ignore_index: int | None = None) -> None:
        self.ignore_index = ignore_index
        self.reset()

    def reset(self) -> None:
        """Forget every batch."""
        self._nll = 0.0
        self._count = 0

    def update(self, preds: Input, targets: Input) -> None:
        """Add logits (..., C) and target labels (...)."""
        total, count = _nll_sum(self._op(), preds, targets, self.ignore_index)
        self._nll += total
        self._count += count

    def compute(self) -> float:
        """The metric over every batch since the last reset."""
        self._check_seen(self._count)
        return math.exp(self._nll / self._count)


@final
class MeanMetric(Metric):
    """A weighted running mean of a scalar such as the loss.

    Give each batch's mean loss with the batch size as weight, and ``compute`` is the mean
    over samples even when the last batch is smaller.

    >>> m = MeanMetric()
    >>> m.update(1.0, weight=3)
    >>> m.update(4.0, weight=1)
    >>> m.compute()
    1.75
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget every batch."""
        self._sum = 0.0
        self._weight = 0.0

    def update(self, value: Input, weight: Input = 1.0) -> None:
        """Add a value (or an array of values) with a weight (a scalar or one per value)."""
        v = _to_numpy(value).astype(np.float64)
        w = _to_numpy(weight).astype(np.float64)
        if v.size == 0:
            raise ValueError(f"{self._op()}: empty input: no values (value={v.shape})")
        try:
            w = np.broadcast_to(w, v.shape)
        except ValueError:
            raise ShapeError(
                f"{self._op()}: weight must be a scalar or match the values: "
                f"weight={w.shape}, value={v.shape}"
            ) from None
        self._sum += float((v * w).sum())
        self._weight += float(w.sum())

    def compute(self) -> float:
        """The metric over every batch since the last reset."""
        self._check_seen(self._weight)
        return self._sum / self._weight


# ---------------------------------------------------------------- collections
def update_all(metrics: Mapping[str, Metric], preds: Input, targets: Input) -> None:
    """Give the same batch to every metric (a MeanMetric is better updated on its own)."""
    for metric in metrics.values():
        metric.update(preds, targets)


def compute_all(metrics: Mapping[str, Metric]) -> dict[str, Score]:
    """``compute()`` of every metric, under the same names.

    >>> ms = {"accuracy": Accuracy(), "mse": MeanSquaredError()}
    >>> update_all(ms, [0, 1], [0, 0])
    >>> compute_all(ms)
    {'accuracy': 0.5, 'mse': 0.5}
    """
    return {name: metric.compute() for name, metric in metrics.items()}


def reset_all(metrics: Mapping[str, Metric]) -> None:
    """``reset()`` every metric."""
    for metric in metrics.values():
        metric.reset()


def build_metrics(task: Task, num_classes: int | None = None) -> dict[str, Metric]:
    """A default set of fresh metrics for a task.

    Args:
        task: ``"classification"`` (accuracy, macro F1; needs ``num_classes``),
            ``"regression"`` (MSE, MAE, R²) or ``"language-model"`` (perplexity).
        num_classes: C, for classification.

    Returns:
        Metrics by name.

    >>> sorted(build_metrics("regression"))
    ['mae', 'mse', 'r2']
    """
    if task == "classification":
        if num_classes is None:
            raise ValueError("build_metrics: classification needs num_classes, got None")
        return {"accuracy": Accuracy(), "f1_macro": F1Score(num_classes, average="macro")}
    if task == "regression":
        return {"mse": MeanSquaredError(), "mae": MeanAbsoluteError(), "r2": R2Score()}
    if task == "language-model":
        return {"perplexity": Perplexity()}
    raise ValueError(
        f"build_metrics: task must be 'classification', 'regression' or 'language-model', "
        f"got {task!r}"
    )


def silhouette_score(X: Input, labels: Input) -> float:  # noqa: N803 - scikit-learn's X
    """Mean silhouette of a clustering: (b - a) / max(a, b) per sample, in [-1, 1].

    a is a sample's mean distance to the rest of its cluster, b its smallest mean distance
    to another cluster; samples alone in their cluster count 0, as scikit-learn does.

    Args:
        X: samples, shape (n_samples, n_features).
        labels: cluster of each sample, shape (n_samples,).

    Raises:
        ValueError: for mismatched lengths, or fewer than 2 or more than n - 1 clusters.

    >>> round(silhouette_score([[0.0], [0.1], [5.0], [5.1]], [0, 0, 1, 1]), 4)
    0.98
    """
    x = _to_numpy(X).astype(np.float64)
    _, lab = np.unique(_to_numpy(labels), return_inverse=True)
    n, k = len(x), int(lab.max()) + 1 if len(lab) else 0
    if x.ndim != 2 or len(lab) != n:
        raise ValueError(f"silhouette_score: X {x.shape} and labels {lab.shape} don't match")
    if not 2 <= k <= n - 1:
        raise ValueError(f"silhouette_score: needs 2 to n_samples - 1 clusters, got {k}")
    sq = (x * x).sum(1)
    dist = np.sqrt(np.maximum(sq[:, None] - 2 * x @ x.T + sq[None, :], 0))  # (n, n)
    np.fill_diagonal(dist, 0.0)
    sums = dist @ np.eye(k)[lab]  # (n, k): each sample's total distance to each cluster
    counts = np.bincount(lab, minlength=k).astype(np.float64)
    own = counts[lab] - 1  # the rest of its cluster
    a = np.divide(sums[np.arange(n), lab], own, out=np.zeros(n), where=own > 0)
    means = sums / counts
    means[np.arange(n), lab] = np.inf
    b = means.min(1)
    s = np.where(own > 0, (b - a) / np.maximum(a, b), 0.0)
    return float(s.mean())


__all__ = [
    "Accuracy",
    "ConfusionMatrix",
    "F1Score",
    "MeanAbsoluteError",
    "MeanMetric",
    "MeanSquaredError",
    "Metric",
    "Perplexity",
    "Precision",
    "R2Score",
    "Recall",
    "TopKAccuracy",
    "accuracy",
    "build_metrics",
    "compute_all",
    "confusion_matrix",
    "f1",
    "mae",
    "mse",
    "perplexity",
    "precision",
    "r2",
    "recall",
    "reset_all",
    "silhouette_score",
    "top_k_accuracy",
    "update_all",
]
