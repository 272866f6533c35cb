"""Dictionaries of metrics: update, compute and reset them together; the default set per task."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypeAlias

from scratchgrad.train.metrics._inputs import Input
from scratchgrad.train.metrics.base import Metric, Score
from scratchgrad.train.metrics.classification import Accuracy
from scratchgrad.train.metrics.confusion import F1Score
from scratchgrad.train.metrics.language_model import Perplexity
from scratchgrad.train.metrics.regression import MeanAbsoluteError, MeanSquaredError, R2Score

Task: TypeAlias = Literal["classification", "regression", "language-model"]


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


__all__ = ["build_metrics", "compute_all", "reset_all", "update_all"]
