"""Regression metrics: MSE, MAE and R², one-shot and streaming.

Predictions and targets share one shape, ``(N,)`` or ``(N, D)``; with D outputs each is
scored alone and the scores are averaged, as scikit-learn's
``multioutput="uniform_average"``.
"""

from __future__ import annotations

import math
from abc import abstractmethod
from typing import final

import numpy as np

from scratchgrad.errors import ShapeError
from scratchgrad.train.metrics._inputs import FloatArray, Input, check_samples, to_numpy
from scratchgrad.train.metrics.base import Metric


def _regression_inputs(op: str, preds: Input, targets: Input) -> tuple[FloatArray, FloatArray]:
    """Checked predictions and targets as float64 (N, D); a (N,) input becomes (N, 1)."""
    p, t = to_numpy(preds), to_numpy(targets)
    if p.shape != t.shape:
        raise ShapeError(
            f"{op}: predictions and targets must have the same shape: {p.shape} != {t.shape}"
        )
    if p.ndim not in (1, 2):
        raise ShapeError(f"{op}: expects values (N,) or (N, D), got {p.shape}")
    check_samples(op, p, t)
    shape = (p.shape[0], -1)
    return p.reshape(shape).astype(np.float64), t.reshape(shape).astype(np.float64)


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


__all__ = ["MeanAbsoluteError", "MeanSquaredError", "R2Score", "mae", "mse", "r2"]
