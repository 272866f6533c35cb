"""Loss modules, as torch.nn: each stores its settings and calls its function in ops.loss.

Constructors take PyTorch's arguments in PyTorch's order, including the deprecated
``size_average`` and ``reduce`` (translated to ``reduction`` with a warning, as PyTorch
does). Class weights and ``pos_weight`` are buffers: saved in the state_dict, not
trained. Like PyTorch's, the modules print no settings: ``CrossEntropyLoss()``.
"""

from __future__ import annotations

import warnings

from scratchgrad.nn.module import Module
from scratchgrad.ops import loss as L  # noqa: N812
from scratchgrad.tensor import Tensor


def _legacy_reduction(size_average: bool | None, reduce: bool | None) -> str:
    """PyTorch's translation of the deprecated size_average / reduce into a reduction."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = ("mean" if size_average else "sum") if reduce else "none"
    warnings.warn(
        f"size_average and reduce args will be deprecated, please use "
        f"reduction='{reduction}' instead.",
        UserWarning,
        stacklevel=4,
    )
    return reduction


class _Loss(Module):
    """Base of the losses: holds ``reduction`` ("none", "mean" or "sum")."""

    reduction: str

    def __init__(
        self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean"
    ) -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            reduction = _legacy_reduction(size_average, reduce)
        self.reduction = reduction


class _WeightedLoss(_Loss):
    """Base of the losses with a per-class ``weight`` buffer (None when not given)."""

    weight: Tensor | None

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    """Mean squared error: mean((input - target)^2). (*), (*) -> () or (*) for "none".

    >>> import scratchgrad as sg
    >>> MSELoss()(sg.tensor([1.0, 2.0]), sg.tensor([1.0, 0.0]))
    tensor(2.)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The loss of predictions ``input`` (*) against ``target`` (*)."""
        return L.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error: mean(|input - target|). (*), (*) -> () or (*) for "none"."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The loss of predictions ``input`` (*) against ``target`` (*)."""
        return L.l1_loss(input, target, reduction=self.reduction)


class HuberLoss(_Loss):
    """Huber loss: 0.5 d^2 for |d| < delta, else delta (|d| - delta / 2). (*), (*) -> loss.

    Args:
        reduction: "none", "mean" or "sum".
        delta: where the quadratic becomes linear, > 0.
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The loss of predictions ``input`` (*) against ``target`` (*)."""
        return L.huber_loss(input, target, self.reduction, self.delta)


class SmoothL1Loss(_Loss):
    """Smooth L1: 0.5 d^2 / beta for |d| < beta, else |d| - beta / 2. (*), (*) -> loss.

    Args:
        size_average: deprecated, use reduction.
        reduce: deprecated, use reduction.
        reduction: "none", "mean" or "sum".
        beta: where the quadratic becomes linear, >= 0 (0 is the L1 loss).
    """

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        beta: float = 1.0,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The loss of predictions ``input`` (*) against ``target`` (*)."""
        return L.smooth_l1_loss(input, target, self.reduction, self.beta)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities in [0, 1]. (*), (*) -> loss.

    Args:
        weight: rescales each element's loss; broadcasts to the input's shape.
        size_average: deprecated, use reduction.
        reduce: deprecated, use reduction.
        reduction: "none", "mean" or "sum".
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The loss of probabilities ``input`` (*) against labels ``target`` (*)."""
        return L.binary_cross_entropy(input, target, self.weight, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy from logits, stable; multi-label for (N, L). (*), (*) -> loss.

    Args:
        weight: rescales each element's loss; broadcasts to the input's shape.
        size_average: deprecated, use reduction.
        reduce: deprecated, use reduction.
        reduction: "none", "mean" or "sum".
        pos_weight: weight of positive examples per class, shape (L,) (broadcast over the
            last dim).
    """

    weight: Tensor | None
    pos_weight: Tensor | None

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        pos_weight: Tensor | None = None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The loss of logits ``input`` (*) against labels ``target`` (*)."""
        return L.binary_cross_entropy_with_logits(
            input,
            target,
            self.weight,
            self.reduction,
            pos_weight=self.pos_weight,
        )


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy from logits (N, C[, d...]) and class indices or probabilities.

    Args:
        weight: a weight per class, shape (C,).
        size_average: deprecated, use reduction.
        ignore_index: class-index targets equal to this add nothing, nor count in the mean.
        reduce: deprecated, use reduction.
        reduction: "none", "mean" or "sum".
        label_smoothing: eps in [0, 1]: targets become (1 - eps) * target + eps / C.

    >>> import scratchgrad as sg
    >>> CrossEntropyLoss()(sg.zeros(2, 4), sg.tensor([0, 3])).item()  # log 4
    1.3862943649291992
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The loss of logits ``input`` (N, C, ...) against ``target`` (N, ...) or (N, C, ...)."""
        return L.cross_entropy(
            input,
            target,
            self.weight,
            self.ignore_index,
            self.reduction,
            self.label_smoothing,
        )


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of class indices given log-probabilities (N, C[, d...]).

    Args:
        weight: a weight per class, shape (C,).
        size_average: deprecated, use reduction.
        ignore_index: targets equal to this add nothing and don't count in the mean.
        reduce: deprecated, use reduction.
        reduction: "none", "mean" or "sum".
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The loss of log-probabilities ``input`` (N, C, ...) against ``target`` (N, ...)."""
        return L.nll_loss(input, target, self.weight, self.ignore_index, self.reduction)


class MultiMarginLoss(_WeightedLoss):
    """Multi-class hinge loss (SVM-style). (N, C), (N,) -> loss.

    Args:
        p: 1 (hinge) or 2 (squared hinge).
        margin: the gap the true class's score should keep over the others'.
        weight: a weight per class, shape (C,).
        size_average: deprecated, use reduction.
        reduce: deprecated, use reduction.
        reduction: "none", "mean" or "sum".

    Raises:
        ValueError: for p not 1 or 2, or a weight that is not 1-D.
    """

    def __init__(
        self,
        p: int = 1,
        margin: float = 1.0,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        if p not in (1, 2):
            raise ValueError(f"MultiMarginLoss: only p == 1 and p == 2 are supported, got p={p}")
        if weight is not None and weight.ndim != 1:
            raise ValueError(
                f"MultiMarginLoss: expected weight to be None or 1D tensor, got {weight.ndim}D"
            )
        self.p = p
        self.margin = margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The loss of scores ``input`` (N, C) against class indices ``target`` (N,)."""
        return L.multi_margin_loss(
            input,
            target,
            self.p,
            self.margin,
            self.weight,
            self.reduction,
        )


class KLDivLoss(_Loss):
    """KL divergence of ``target`` from exp(``input``): input holds log-probabilities.

    Args:
        size_average: deprecated, use reduction.
        reduce: deprecated, use reduction.
        reduction: "none", "mean", "batchmean" (the KL divergence per sample) or "sum".
        log_target: the target holds log-probabilities too.
    """

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        log_target: bool = False,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The loss of log-probabilities ``input`` (*) against ``target`` (*)."""
        return L.kl_div(input, target, self.reduction, self.log_target)


__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HuberLoss",
    "KLDivLoss",
    "L1Loss",
    "MSELoss",
    "MultiMarginLoss",
    "NLLLoss",
    "SmoothL1Loss",
]
