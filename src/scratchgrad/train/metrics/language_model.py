"""Language-model metrics: perplexity from logits and targets or from the loss, and streaming.

Logits are ``(..., C)`` and targets integer labels of the leading shape, e.g. logits
``(B, T, V)`` and targets ``(B, T)``; sums run in float64.
"""

from __future__ import annotations

import math
from typing import final

import numpy as np

from scratchgrad.errors import ShapeError
from scratchgrad.train.metrics._inputs import Input, as_labels, check_range, to_numpy
from scratchgrad.train.metrics.base import Metric


def _nll_sum(op: str, logits: Input, targets: Input, ignore_index: int | None) -> tuple[float, int]:
    """Summed cross-entropy (nats) of logits (..., C) for labels (...), and the count kept."""
    x, t = to_numpy(logits), to_numpy(targets)
    if x.ndim == 0 or x.shape[:-1] != t.shape:
        raise ShapeError(
            f"{op}: logits (..., C) and targets (...) must share the leading dims: "
            f"logits={x.shape}, targets={t.shape}"
        )
    if x.size == 0:
        raise ValueError(f"{op}: empty input: no targets (logits={x.shape}, targets={t.shape})")
    if x.dtype.kind != "f":
        raise TypeError(f"{op}: logits must be floating point, got dtype {x.dtype}")
    labels = as_labels(op, "targets", t).reshape(-1)
    x = x.reshape(len(labels), -1)
    if ignore_index is not None:
        keep = labels != ignore_index
        x, labels = x[keep], labels[keep]
    if len(labels) == 0:
        return 0.0, 0
    check_range(op, "targets", labels, x.shape[1])
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
        loss = to_numpy(logits_or_loss)
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


__all__ = ["Perplexity", "perplexity"]
