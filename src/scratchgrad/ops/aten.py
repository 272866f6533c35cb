"""torch's top-level (ATen) signatures of ops whose nn.functional signature differs."""

from __future__ import annotations

from typing import Any

from scratchgrad.ops.loss.bce import binary_cross_entropy_with_logits as _bce_logits
from scratchgrad.ops.loss.regression import kl_div as _kl_div
from scratchgrad.ops.neural.linear import embedding as _embedding
from scratchgrad.ops.neural.norm import batch_norm as _batch_norm
from scratchgrad.tensor import Tensor

Scalar = float | int


_REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}


def _reduction(reduction: int | str) -> str:
    return reduction if isinstance(reduction, str) else _REDUCTIONS[reduction]


def batch_norm(
    x: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
    cudnn_enabled: bool = True,
) -> Tensor:
    """torch.batch_norm (weight and bias before the running stats): (N, C, *) -> same."""
    return _batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)


def embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1, *args: Any) -> Tensor:
    """torch.embedding (weight first): weight (V, D), indices (*) -> (*, D)."""
    return _embedding(indices, weight, None if padding_idx == -1 else padding_idx)


def kl_div(
    input: Tensor,  # noqa: A002
    target: Tensor,
    reduction: int | str = 1,
    *,
    log_target: bool = False,
) -> Tensor:
    """torch.kl_div: reduction is 0 (none), 1 (mean) or 2 (sum); shapes as F.kl_div."""
    return _kl_div(input, target, _reduction(reduction), log_target)


def binary_cross_entropy_with_logits(
    input: Tensor,  # noqa: A002
    target: Tensor,
    weight: Tensor | None = None,
    pos_weight: Tensor | None = None,
    reduction: int | str = 1,
) -> Tensor:
    """torch.binary_cross_entropy_with_logits: (*) logits and targets; int reduction codes."""
    return _bce_logits(input, target, weight, _reduction(reduction), pos_weight)


__all__ = ["batch_norm", "binary_cross_entropy_with_logits", "embedding", "kl_div"]
