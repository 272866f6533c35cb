"""Metrics: one-shot functions and streaming objects for classification, regression and LMs.

Every function takes predictions first and targets second (PyTorch's order; scikit-learn's
is ``(y_true, y_pred)``), as Tensors, NumPy arrays or nested lists, and returns a Python
float, or a NumPy array for per-class scores and the confusion matrix. Each module holds
a kind of metric, the functions next to their streaming :class:`Metric` classes, since
both are computed from the same sufficient statistics:

- :mod:`.classification`: accuracy, top-k accuracy (counts of hits).
- :mod:`.confusion`: precision, recall, F1 and the confusion matrix.
- :mod:`.regression`: MSE, MAE, R².
- :mod:`.language_model`: perplexity.
- :mod:`.generative`: the Fréchet distance between feature sets (generated images).
- :mod:`.base`: the :class:`Metric` base and :class:`MeanMetric`.
- :mod:`.collection`: dictionaries of metrics and the default set per task.

All arithmetic runs in float64: metrics sum many terms, and float32 sums drift.
"""

from scratchgrad.ml.cluster import silhouette_score  # its home is the clustering code
from scratchgrad.train.metrics.base import MeanMetric, Metric
from scratchgrad.train.metrics.classification import (
    Accuracy,
    TopKAccuracy,
    accuracy,
    top_k_accuracy,
)
from scratchgrad.train.metrics.collection import build_metrics, compute_all, reset_all, update_all
from scratchgrad.train.metrics.confusion import (
    ConfusionMatrix,
    F1Score,
    Precision,
    Recall,
    confusion_matrix,
    f1,
    precision,
    recall,
)
from scratchgrad.train.metrics.generative import frechet_distance
from scratchgrad.train.metrics.language_model import Perplexity, perplexity
from scratchgrad.train.metrics.regression import (
    MeanAbsoluteError,
    MeanSquaredError,
    R2Score,
    mae,
    mse,
    r2,
)

__all__ = [
    "silhouette_score",
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
    "frechet_distance",
    "mae",
    "mse",
    "perplexity",
    "precision",
    "r2",
    "recall",
    "reset_all",
    "top_k_accuracy",
    "update_all",
]
