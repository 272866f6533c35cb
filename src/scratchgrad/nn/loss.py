"""Loss modules, as torch.nn: each stores its settings and calls its function in ops.loss.

Constructors take PyTorch's arguments in PyTorch's order. Every loss takes ``reduction``
("none", "mean" or "sum"; KLDivLoss also "batchmean"), and all but HuberLoss the
deprecated ``size_average`` and ``reduce`` (translated to ``reduction`` with a warning,
as PyTorch does). Class weights and ``pos_weight`` are buffers: saved in the
state_dict, not trained. Like PyTorch's, the modules print no settings:
``CrossEntropyLoss()``.

``forward(input, target)`` is shared: it calls the module's loss function with the
input, the target and the settings the module names in ``_settings``: attributes named
as the function's parameters after input and target, in their order, read at each call.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from operator import attrgetter
from typing import Any, ClassVar

from scratchgrad.nn.module import Module
from scratchgrad.ops import loss as L  # noqa: N812
from scratchgrad.ops.loss.bce import binary_cross_entropy_with_logits
from scratchgrad.ops.loss.regression import kl_div
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


def _reader(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function reading the attributes ``names`` of an object, as a tuple.

    ``operator.attrgetter``, as fast as reading them by hand (a loss is called every step),
    made to return a tuple for one name too.
    """
    get = attrgetter(*names)
    return get if len(names) > 1 else lambda obj: (get(obj),)


class _Loss(Module):
    """Base of the losses: holds ``reduction``; forward calls ``_function`` with settings.

    Args:
        size_average: deprecated, use reduction.
        reduce: deprecated, use reduction.
        reduction: "none", "mean" or "sum".
    """

    reduction: str
    _function: ClassVar[Callable[..., Tensor]]
    """The loss function of ops.loss: ``_function(input, target, **settings)``."""
    _settings: ClassVar[tuple[str, ...]] = ("reduction",)
    """The attributes passed to ``_function`` after input and target, in its order."""
    _read_settings: ClassVar[Callable[[Any], tuple[Any, ...]]] = _reader(_settings)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._read_settings = _reader(cls._settings)

    def __init__(
        self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean"
    ) -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            reduction = _legacy_reduction(size_average, reduce)
        self.reduction = reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The loss of ``input`` against ``target``, shaped as the class docstring says."""
        cls = type(self)
        return cls._function(input, target, *cls._read_settings(self))


class _WeightedLoss(_Loss):
    """Base of the losses with a per-class ``weight`` buffer (None when not given).

    Args:
        weight: the buffer; its shape is the subclass's to say.
        size_average: deprecated, use reduction.
        reduce: deprecated, use reduction.
        reduction: "none", "mean" or "sum".
    """

    weight: Tensor | None
    _settings: ClassVar[tuple[str, ...]] = ("weight", "reduction")

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

    _function = L.mse_loss


class L1Loss(_Loss):
    """Mean absolute error: mean(|input - target|). (*), (*) -> () or (*) for "none"."""

    _function = L.l1_loss


class HuberLoss(_Loss):
    """Huber loss: 0.5 d^2 for |d| < delta, else delta (|d| - delta / 2). (*), (*) -> loss.

    Args:
        reduction: "none", "mean" or "sum".
        delta: where the quadratic becomes linear, > 0.
    """

    _function = L.huber_loss
    _settings = ("reduction", "delta")

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta


class SmoothL1Loss(_Loss):
    """Smooth L1: 0.5 d^2 / beta for |d| < beta, else |d| - beta / 2. (*), (*) -> loss.

    Args:
        size_average, reduce, reduction: as every loss (see the module docstring).
        beta: where the quadratic becomes linear, >= 0 (0 is the L1 loss).
    """

    _function = L.smooth_l1_loss
    _settings = ("reduction", "beta")

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        beta: float = 1.0,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities ``input`` in [0, 1] and labels. (*), (*) -> loss.

    Args:
        weight: rescales each element's loss; broadcasts to the input's shape.
        size_average, reduce, reduction: as every loss (see the module docstring).
    """

    _function = L.binary_cross_entropy


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy from logits, stable; multi-label for (N, L). (*), (*) -> loss.

    Args:
        weight: rescales each element's loss; broadcasts to the input's shape.
        size_average, reduce, reduction: as every loss (see the module docstring).
        pos_weight: weight of positive examples per class, shape (L,) (broadcast over the
            last dim).
    """

    weight: Tensor | None
    pos_weight: Tensor | None
    _function = binary_cross_entropy_with_logits
    _settings = ("weight", "reduction", "pos_weight")

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


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy from logits (N, C[, d...]) and class indices (N[, d...]) or probabilities.

    Args:
        weight: a weight per class, shape (C,).
        size_average: deprecated, use reduction.
        ignore_index: class-index targets equal to this add nothing, nor count in the mean.
        reduce, reduction: as every loss (see the module docstring).
        label_smoothing: eps in [0, 1]: targets become (1 - eps) * target + eps / C.

    >>> import scratchgrad as sg
    >>> CrossEntropyLoss()(sg.zeros(2, 4), sg.tensor([0, 3])).item()  # log 4
    1.3862943649291992
    """

    _function = L.cross_entropy
    _settings = ("weight", "ignore_index", "reduction", "label_smoothing")

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


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of class indices (N[, d...]) given log-probabilities (N, C[, d...]).

    Args:
        weight: a weight per class, shape (C,).
        size_average: deprecated, use reduction.
        ignore_index: targets equal to this add nothing and don't count in the mean.
        reduce, reduction: as every loss (see the module docstring).
    """

    _function = L.nll_loss
    _settings = ("weight", "ignore_index", "reduction")

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


class MultiMarginLoss(_WeightedLoss):
    """Multi-class hinge loss (SVM-style) of scores (N, C) and class indices (N,) -> loss.

    Args:
        p: 1 (hinge) or 2 (squared hinge).
        margin: the gap the true class's score should keep over the others'.
        weight: a weight per class, shape (C,).
        size_average, reduce, reduction: as every loss (see the module docstring).

    Raises:
        ValueError: for p not 1 or 2, or a weight that is not 1-D.
    """

    _function = L.multi_margin_loss
    _settings = ("p", "margin", "weight", "reduction")

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


class KLDivLoss(_Loss):
    """KL divergence of ``target`` (*) from exp(``input``) (*): input holds log-probabilities.

    Args:
        size_average, reduce: as every loss (see the module docstring).
        reduction: "none", "mean", "batchmean" (the KL divergence per sample) or "sum".
        log_target: the target holds log-probabilities too.
    """

    _function = kl_div
    _settings = ("reduction", "log_target")

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        log_target: bool = False,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target


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
