"""Margin and embedding loss modules, as ``torch.nn``; the functions are in ops.loss.margin.

MarginRankingLoss, HingeEmbeddingLoss, SoftMarginLoss, MultiLabelSoftMarginLoss,
MultiLabelMarginLoss, CosineEmbeddingLoss, TripletMarginLoss and
TripletMarginWithDistanceLoss. Like every loss (see :mod:`scratchgrad.nn.loss`)
they take ``reduction`` and the deprecated ``size_average`` / ``reduce``, and call their
function with the settings named in ``_settings``; those comparing two inputs take three
tensors in ``forward``.
"""

from __future__ import annotations

from collections.abc import Callable

from scratchgrad.nn.distance import PairwiseDistance
from scratchgrad.nn.loss import _Loss, _WeightedLoss
from scratchgrad.ops.loss import margin as M  # noqa: N812
from scratchgrad.tensor import Tensor


class _PairLoss(_Loss):
    """A loss of two inputs and a target: ``forward(input1, input2, target)``."""

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:  # type: ignore[override]
        """The loss of the pair (input1, input2) against ``target``."""
        cls = type(self)
        return cls._function(input1, input2, target, *cls._read_settings(self))


class _MarginLoss(_Loss):
    """A loss with a ``margin`` setting, before the reduction."""

    _settings = ("margin", "reduction")

    def __init__(
        self,
        margin: float = 0.0,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin


class MarginRankingLoss(_MarginLoss, _PairLoss):
    """max(0, -y (x1 - x2) + margin): x1 should rank above x2 where y = 1, below where -1.

    Args:
        margin: the gap required (0 by default).
        size_average, reduce, reduction: as every loss.

    Shape:
        (N,), (N,), (N,) -> () or (N,) for "none".
    """

    _function = M.margin_ranking_loss


class HingeEmbeddingLoss(_MarginLoss):
    """x where y = 1, max(0, margin - x) where y = -1 (x a distance). (*), (*) -> loss.

    Args:
        margin: the distance dissimilar pairs should exceed (1 by default).
        size_average, reduce, reduction: as every loss.
    """

    _function = M.hinge_embedding_loss

    def __init__(
        self,
        margin: float = 1.0,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(margin, size_average, reduce, reduction)


class CosineEmbeddingLoss(_MarginLoss, _PairLoss):
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1.

    Args:
        margin: the cosine dissimilar pairs should stay below (0 by default).
        size_average, reduce, reduction: as every loss.

    Shape:
        (N, D), (N, D), (N,) -> () or (N,) for "none".
    """

    _function = M.cosine_embedding_loss


class SoftMarginLoss(_Loss):
    """log(1 + exp(-y x)), the logistic loss of scores x and labels y = +-1. (*), (*) -> loss.

    Args:
        size_average, reduce, reduction: as every loss.
    """

    _function = M.soft_margin_loss


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """Binary cross-entropy of logits per label, averaged over the C labels.

    Args:
        weight: a weight per label, shape (C,).
        size_average, reduce, reduction: as every loss.

    Shape:
        (N, C) logits, (N, C) 0/1 targets -> () or (N,) for "none".
    """

    _function = M.multilabel_soft_margin_loss


class TripletMarginLoss(_Loss):
    """max(0, d(a, p) - d(a, n) + margin), d the pairwise p-norm distance.

    Args:
        margin: the gap required between the distances, > 0.
        p: the norm's exponent.
        eps: added to the differences.
        swap: use min(d(a, n), d(p, n)) as the negative distance.
        size_average, reduce, reduction: as every loss.

    Shape:
        (N, D) anchor, positive and negative -> () or (N,) for "none".

    Raises:
        ValueError: for margin <= 0.
    """

    _function = M.triplet_margin_loss
    _settings = ("margin", "p", "eps", "swap", "reduction")

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: margin must be greater than 0, got {margin}")
        self.margin = margin
        self.p = p
        self.eps = eps
        self.swap = swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:  # type: ignore[override]
        """The loss of the triplets (anchor, positive, negative)."""
        return M.triplet_margin_loss(
            anchor, positive, negative, self.margin, self.p, self.eps, self.swap, self.reduction
        )


class TripletMarginWithDistanceLoss(_Loss):
    """max(0, d(a, p) - d(a, n) + margin) for a distance d (PairwiseDistance by default).

    Args:
        distance_function: d(x1, x2) -> one distance per pair; a Module is a child.
        margin: the gap required between the distances, > 0.
        swap: use min(d(a, n), d(p, n)) as the negative distance.
        reduction: "none", "mean" or "sum".

    Shape:
        (N, D) anchor, positive and negative -> () or (N,) for "none".

    Raises:
        ValueError: for margin <= 0.
    """

    def __init__(
        self,
        *,
        distance_function: Callable[[Tensor, Tensor], Tensor] | None = None,
        margin: float = 1.0,
        swap: bool = False,
        reduction: str = "mean",
    ) -> None:
        super().__init__(reduction=reduction)
        if margin <= 0:
            raise ValueError(
                f"TripletMarginWithDistanceLoss: margin must be greater than 0, got {margin}"
            )
        self.distance_function = (
            distance_function if distance_function is not None else PairwiseDistance()
        )
        self.margin = margin
        self.swap = swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:  # type: ignore[override]
        """The loss of the triplets (anchor, positive, negative)."""
        return M.triplet_margin_with_distance_loss(
            anchor,
            positive,
            negative,
            distance_function=self.distance_function,
            margin=self.margin,
            swap=self.swap,
            reduction=self.reduction,
        )


class MultiLabelMarginLoss(_Loss):
    """Hinge between each listed class and each unlisted one, averaged over the C classes.

    Args:
        size_average, reduce, reduction: as every loss.

    Shape:
        (N, C) scores, (N, C) int64 class lists ended by -1 -> () or (N,) for "none".
    """

    _function = M.multilabel_margin_loss


__all__ = [
    "CosineEmbeddingLoss",
    "HingeEmbeddingLoss",
    "MarginRankingLoss",
    "MultiLabelMarginLoss",
    "MultiLabelSoftMarginLoss",
    "SoftMarginLoss",
    "TripletMarginLoss",
    "TripletMarginWithDistanceLoss",
]
