"""torch's top-level (ATen) signatures of ops whose nn.functional signature differs."""

from __future__ import annotations

from typing import Any

from scratchgrad.ops.loss import margin as _margin
from scratchgrad.ops.loss.bce import binary_cross_entropy_with_logits as _bce_logits
from scratchgrad.ops.loss.likelihood import poisson_nll_loss as _poisson_nll_loss
from scratchgrad.ops.loss.regression import kl_div as _kl_div
from scratchgrad.ops.neural import channel_norm as _channel_norm
from scratchgrad.ops.neural.linear import embedding as _embedding
from scratchgrad.ops.neural.norm import batch_norm as _batch_norm
from scratchgrad.ops.spatial.pool1d import adaptive_max_pool1d as _adaptive_max_pool1d
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


def adaptive_max_pool1d(input: Tensor, output_size: Any) -> tuple[Tensor, Tensor]:  # noqa: A002
    """torch.adaptive_max_pool1d: always (values, indices), each (N, C, Lo)."""
    values, indices = _adaptive_max_pool1d(input, output_size, True)
    return values, indices


def group_norm(
    input: Tensor,  # noqa: A002
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
    cudnn_enabled: bool = True,
) -> Tensor:
    """torch.group_norm (a trailing cudnn_enabled, ignored): (N, C, *) -> same."""
    return _channel_norm.group_norm(input, num_groups, weight, bias, eps)


def instance_norm(
    input: Tensor,  # noqa: A002
    weight: Tensor | None,
    bias: Tensor | None,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    use_input_stats: bool,
    momentum: float,
    eps: float,
    cudnn_enabled: bool = True,
) -> Tensor:
    """torch.instance_norm (weight and bias before the running stats): (N, C, *) -> same."""
    return _channel_norm.instance_norm(
        input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps
    )


def margin_ranking_loss(
    input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0, reduction: int | str = 1
) -> Tensor:
    """torch.margin_ranking_loss: int reduction codes; shapes as F.margin_ranking_loss."""
    return _margin.margin_ranking_loss(input1, input2, target, margin, _reduction(reduction))


def hinge_embedding_loss(
    input: Tensor,  # noqa: A002
    target: Tensor,
    margin: float = 1.0,
    reduction: int | str = 1,
) -> Tensor:
    """torch.hinge_embedding_loss: int reduction codes; shapes as F.hinge_embedding_loss."""
    return _margin.hinge_embedding_loss(input, target, margin, _reduction(reduction))


def cosine_embedding_loss(
    input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0, reduction: int | str = 1
) -> Tensor:
    """torch.cosine_embedding_loss: int reduction codes; (N, D), (N, D), (N,) -> loss."""
    return _margin.cosine_embedding_loss(input1, input2, target, margin, _reduction(reduction))


def triplet_margin_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    reduction: int | str = 1,
) -> Tensor:
    """torch.triplet_margin_loss: int reduction codes; (N, D) each -> loss."""
    return _margin.triplet_margin_loss(
        anchor, positive, negative, margin, p, eps, swap, _reduction(reduction)
    )


def poisson_nll_loss(
    input: Tensor,  # noqa: A002
    target: Tensor,
    log_input: bool,
    full: bool,
    eps: float,
    reduction: int | str,
) -> Tensor:
    """torch.poisson_nll_loss: every argument positional, int reduction codes; (*) -> loss."""
    return _poisson_nll_loss(input, target, log_input, full, eps, _reduction(reduction))


__all__ = [
    "adaptive_max_pool1d",
    "batch_norm",
    "binary_cross_entropy_with_logits",
    "cosine_embedding_loss",
    "embedding",
    "group_norm",
    "hinge_embedding_loss",
    "instance_norm",
    "kl_div",
    "margin_ranking_loss",
    "poisson_nll_loss",
    "triplet_margin_loss",
]
