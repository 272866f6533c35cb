"""Input checks shared by every metric: the values as NumPy arrays, samples, labels, classes.

Errors follow ``<op>: <rule>: <values> (<shapes>)`` and name the calling metric.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scratchgrad.errors import ShapeError
from scratchgrad.tensor import Tensor

Input: TypeAlias = Tensor | ArrayLike
"""What every metric accepts: a Tensor (read without its graph), an array or a list."""
IntArray: TypeAlias = NDArray[np.int64]
FloatArray: TypeAlias = NDArray[np.float64]


def to_numpy(x: Input) -> NDArray[np.generic]:
    """The values of ``x`` as a NumPy array; a Tensor's data is read without a copy."""
    return x.array if isinstance(x, Tensor) else np.asarray(x)


def check_samples(op: str, p: NDArray[np.generic], t: NDArray[np.generic]) -> None:
    """Same number of samples in predictions and targets, and at least one."""
    if p.shape[0] != t.shape[0]:
        raise ShapeError(
            f"{op}: predictions and targets must have the same number of samples: "
            f"{p.shape[0]} != {t.shape[0]} (preds={p.shape}, targets={t.shape})"
        )
    if p.size == 0:
        raise ValueError(f"{op}: empty input: no samples (preds={p.shape}, targets={t.shape})")


def as_labels(op: str, name: str, x: NDArray[np.generic]) -> IntArray:
    """Integer class labels as int64; any other dtype is refused."""
    if x.dtype.kind not in "biu":
        raise TypeError(f"{op}: {name} must be integer class labels, got dtype {x.dtype}")
    return x.astype(np.int64, copy=False)


def check_range(op: str, name: str, labels: IntArray, num_classes: int) -> None:
    """All labels in [0, num_classes)."""
    low, high = int(labels.min()), int(labels.max())
    if low < 0 or high >= num_classes:
        raise ValueError(
            f"{op}: {name} must be in [0, num_classes): got min {low}, max {high} "
            f"with num_classes={num_classes}"
        )


def check_num_classes(op: str, num_classes: int | None) -> None:
    if num_classes is not None and num_classes < 1:
        raise ValueError(f"{op}: num_classes must be >= 1, got {num_classes}")


def logit_labels(op: str, p: NDArray[np.generic], num_classes: int | None) -> IntArray:
    """The argmax of logits (N, C), after checking C against ``num_classes``."""
    if p.shape[1] == 0 or (num_classes is not None and p.shape[1] != num_classes):
        raise ShapeError(
            f"{op}: logits must have one column per class: C={p.shape[1]} != "
            f"num_classes={num_classes} (preds={p.shape})"
        )
    labels: IntArray = p.argmax(axis=1).astype(np.int64)
    return labels


def class_inputs(
    op: str, preds: Input, targets: Input, num_classes: int | None = None
) -> tuple[IntArray, IntArray, int]:
    """Checked predicted labels (N,), target labels (N,) and the number of classes C.

    C is ``num_classes`` if given, else the logits' width, else the largest label + 1.
    """
    p, t = to_numpy(preds), to_numpy(targets)
    check_num_classes(op, num_classes)
    if t.ndim != 1:
        raise ShapeError(f"{op}: targets must be labels (N,), got {t.shape} (preds={p.shape})")
    if p.ndim not in (1, 2):
        raise ShapeError(
            f"{op}: predictions must be logits (N, C) or labels (N,), got {p.shape} "
            f"(targets={t.shape})"
        )
    check_samples(op, p, t)
    target_labels = as_labels(op, "targets", t)
    if p.ndim == 2:
        pred_labels = logit_labels(op, p, num_classes)
        num_classes = p.shape[1]
    else:
        pred_labels = as_labels(op, "predictions", p)
    if num_classes is None:
        num_classes = max(int(pred_labels.max()), int(target_labels.max())) + 1
    check_range(op, "targets", target_labels, num_classes)
    check_range(op, "predictions", pred_labels, num_classes)
    return pred_labels, target_labels, num_classes
