"""Elementwise losses composed of primitive ops: mse, l1, huber, smooth L1, KL divergence.

They need no backward of their own: the primitives' give their gradients, to the target
too (a regression target or a distribution may require grad).
"""

from __future__ import annotations

import warnings

from scratchgrad.errors import ShapeError
from scratchgrad.ops.elementwise.select import where
from scratchgrad.ops.loss._common import check_pair, check_reduction, reduce
from scratchgrad.tensor import Tensor


def _weighted_reduce(
    op: str,
    loss: Tensor,
    weight: Tensor | None,
    reduction: str,
    shape: tuple[int, ...],
    normalize: bool = True,
) -> Tensor:
    """Reduce elementwise losses times a weight of the input's shape, when one is given.

    "mean" is sum(w * loss) / sum(w) when ``normalize``, else mean(w * loss) (PyTorch's
    huber_loss).
    """
    if weight is None:
        return reduce(loss, reduction)
    if weight.shape != shape:
        raise ShapeError(f"{op}: weight shape must equal the input's: {weight.shape} != {shape}")
    loss = loss * weight
    if reduction == "mean" and normalize:
        return loss.sum() / weight.sum()
    return reduce(loss, reduction)


def mse_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Squared error (input - target)^2, reduced: the mean squared error by default.

    Args:
        input: predictions, float, shape (*).
        target: values, shape (*) (the input's; no broadcasting, unlike PyTorch).
        reduction: "none" (shape (*)), "mean" or "sum".
        weight: a weight per element, shape (*); "mean" then is sum(w * e) / sum(w).

    Returns:
        The loss, a scalar or shape (*).

    Raises:
        ShapeError: if target's (or weight's) shape is not input's.
        TypeError: for a non-float input.
        ValueError: for an unknown reduction.

    >>> import scratchgrad as sg
    >>> mse_loss(sg.tensor([1.0, 2.0]), sg.tensor([0.0, 0.0]))
    tensor(2.5000)
    """
    check_pair("mse_loss", input, target, reduction)
    d = input - target
    return _weighted_reduce("mse_loss", d * d, weight, reduction, input.shape)


def l1_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Absolute error |input - target|, reduced: the mean absolute error by default.

    Args:
        input: predictions, float, shape (*).
        target: values, shape (*) (the input's).
        reduction: "none" (shape (*)), "mean" or "sum".
        weight: a weight per element, shape (*); "mean" then is sum(w * e) / sum(w).

    Returns:
        The loss, a scalar or shape (*). Its gradient at input == target is 0.

    Raises:
        ShapeError, TypeError, ValueError: as :func:`mse_loss`.

    >>> import scratchgrad as sg
    >>> l1_loss(sg.tensor([1.0, -3.0]), sg.tensor([0.0, 0.0]))
    tensor(2.)
    """
    check_pair("l1_loss", input, target, reduction)
    return _weighted_reduce("l1_loss", (input - target).abs(), weight, reduction, input.shape)


def _huber(d: Tensor, width: float, slope: float) -> Tensor:
    """Quadratic for |d| < width, then linear with ``slope``: continuous with its derivative.

    0.5 * slope / width * d^2 where |d| < width, else slope * (|d| - width / 2).
    """
    a = d.abs()
    return where(a < width, (0.5 * slope / width) * d * d, slope * (a - 0.5 * width))


def huber_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    """Huber loss: squared error near 0, absolute error (times delta) beyond delta.

    With d = input - target: 0.5 d^2 where |d| < delta, else delta (|d| - delta / 2).

    Args:
        input: predictions, float, shape (*).
        target: values, shape (*) (the input's).
        reduction: "none" (shape (*)), "mean" or "sum".
        delta: where the quadratic becomes linear, > 0.
        weight: a weight per element, shape (*); "mean" then is mean(w * e), unlike
            mse_loss and l1_loss (PyTorch's choice).

    Returns:
        The loss, a scalar or shape (*).

    Raises:
        ShapeError, TypeError: as :func:`mse_loss`.
        ValueError: for delta <= 0 or an unknown reduction.

    >>> import scratchgrad as sg
    >>> huber_loss(sg.tensor([0.5, 3.0]), sg.tensor([0.0, 0.0]), reduction="none")
    tensor([0.1250, 2.5000])
    """
    check_pair("huber_loss", input, target, reduction)
    if not delta > 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    loss = _huber(input - target, delta, delta)
    return _weighted_reduce("huber_loss", loss, weight, reduction, input.shape, normalize=False)


def smooth_l1_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """Smooth L1: 0.5 d^2 / beta where |d| < beta, else |d| - beta / 2 (d = input - target).

    Equals ``huber_loss(..., delta=beta) / beta``; beta = 0 gives :func:`l1_loss`.

    Args:
        input: predictions, float, shape (*).
        target: values, shape (*) (the input's).
        reduction: "none" (shape (*)), "mean" or "sum".
        beta: where the quadratic becomes linear, >= 0.

    Returns:
        The loss, a scalar or shape (*).

    Raises:
        ShapeError, TypeError: as :func:`mse_loss`.
        ValueError: for beta < 0 or an unknown reduction.

    >>> import scratchgrad as sg
    >>> smooth_l1_loss(sg.tensor([0.5, 3.0]), sg.tensor([0.0, 0.0]), reduction="none")
    tensor([0.1250, 2.5000])
    """
    check_pair("smooth_l1_loss", input, target, reduction)
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be >= 0, got {beta}")
    if beta == 0:
        return l1_loss(input, target, reduction)
    return reduce(_huber(input - target, beta, 1.0), reduction)


def kl_div(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """Kullback-Leibler divergence KL(target || q), with input = log q.

    Pointwise target * (log target - input), 0 where target is 0; with ``log_target``,
    exp(target) * (target - input). Input and target broadcast, as in PyTorch.

    Args:
        input: log-probabilities log q, float, shape (*).
        target: probabilities p (or log p with ``log_target``), float, broadcasting with (*).
        reduction: "none", "mean" (over every element; PyTorch warns, and so do we),
            "batchmean" (sum / N: the true KL divergence per sample) or "sum".
        log_target: the target holds log-probabilities.

    Returns:
        The loss, a scalar or the broadcast shape for "none".

    Raises:
        TypeError: for non-float input or target.
        ValueError: for an unknown reduction.

    >>> import scratchgrad as sg
    >>> p = sg.tensor([[0.5, 0.5]])
    >>> kl_div(p.log(), p, reduction="batchmean").item()
    0.0
    """
    check_reduction("kl_div", reduction, ("none", "mean", "batchmean", "sum"))
    for name, t in (("input", input), ("target", target)):
        if t.dtype.kind != "f":
            raise TypeError(f"kl_div: expected a floating point {name}, got {t.dtype}")
    if log_target:
        loss = target.exp() * (target - input)
    else:  # x log x -> 0 at x = 0, with a finite gradient: log of 1 there, not of 0
        loss = target * where(target == 0, 1.0, target).log() - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.ndim else loss.sum()
    if reduction == "mean":
        warnings.warn(
            "kl_div: reduction='mean' divides the total loss by both the batch size and the "
            "support size; 'batchmean' divides only by the batch size, as the KL divergence's "
            "definition does",
            UserWarning,
            stacklevel=2,
        )
    return reduce(loss, reduction)


__all__ = ["huber_loss", "kl_div", "l1_loss", "mse_loss", "smooth_l1_loss"]
