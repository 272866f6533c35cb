"""Losses.

``classification`` (cross_entropy, nll_loss, multi_margin_loss), ``bce``
(binary cross-entropy) and ``regression`` (mse, l1, huber, smooth L1, KL divergence).
"""

from scratchgrad.ops.loss.bce import (
    binary_cross_entropy,
)
from scratchgrad.ops.loss.classification import (
    cross_entropy,
    multi_margin_loss,
    nll_loss,
)
from scratchgrad.ops.loss.regression import (
    huber_loss,
    l1_loss,
    mse_loss,
    smooth_l1_loss,
)

__all__ = [
    "binary_cross_entropy",
    "cross_entropy",
    "huber_loss",
    "l1_loss",
    "mse_loss",
    "multi_margin_loss",
    "nll_loss",
    "smooth_l1_loss",
]
