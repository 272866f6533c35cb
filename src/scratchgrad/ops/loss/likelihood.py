"""Negative log-likelihood losses of distributions: ``poisson_nll_loss``, ``gaussian_nll_loss``.

Composed of primitive ops as PyTorch computes them; input, target and the Gaussian's
variance all get gradients.
"""

from __future__ import annotations

import math

from scratchgrad.ops.elementwise.select import clamp_min, where
from scratchgrad.ops.loss._common import check_reduction, reduce
from scratchgrad.tensor import Tensor


def _stirling(target: Tensor) -> Tensor:
    """Stirling's approximation of log(target!) where target > 1, else 0."""
    big = target > 1
    t = where(big, target, 2.0)  # logs of 2, not of 0, where masked: finite gradients
    return where(big, t * t.log() - t + 0.5 * (2 * math.pi * t).log(), 0.0)


def poisson_nll_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    log_input: bool = True,
    full: bool = False,
    eps: float = 1e-8,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of counts ``target`` under Poisson(rate), up to a constant.

    exp(input) - target * input with ``log_input`` (input = log rate), else
    input - target * log(input + eps).

    Args:
        input: log rates (or rates), float, shape (*).
        target: counts, broadcasting with input.
        log_input: input holds log rates.
        full: add Stirling's approximation of log(target!) (where target > 1).
        eps: keeps log(input) finite when input holds rates.
        reduction: "none" (the broadcast shape), "mean" or "sum".

    Raises:
        ValueError: for an unknown reduction.

    >>> import scratchgrad as sg
    >>> poisson_nll_loss(sg.tensor([0.0]), sg.tensor([2.0])).item()
    1.0
    """
    check_reduction("poisson_nll_loss", reduction)
    loss = input.exp() - target * input if log_input else input - target * (input + eps).log()
    if full:
        loss = loss + _stirling(target)
    return reduce(loss, reduction)


def _gaussian_var(input: Tensor, var: Tensor | float) -> Tensor:
    """var as a tensor broadcasting with input: (*), (*, 1) or input's shape less one dim."""
    if not isinstance(var, Tensor):
        if var < 0:
            raise ValueError("gaussian_nll_loss: var has negative entry/entries")
        return input.detach() * 0.0 + float(var)
    if bool((var < 0).any()):
        raise ValueError("gaussian_nll_loss: var has negative entry/entries")
    if var.shape == input.shape:
        return var
    if input.shape[:-1] == var.shape:  # one variance per sample, for every feature
        return var.unsqueeze(-1)
    differ = [v for x, v in zip(input.shape, var.shape, strict=False) if x != v]
    if input.ndim == var.ndim and sum(differ) == 1:  # one dim of size 1: broadcast
        return var
    raise ValueError(
        f"gaussian_nll_loss: var is of incorrect size {var.shape} for input {input.shape}"
    )


def gaussian_nll_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    var: Tensor | float,
    full: bool = False,
    eps: float = 1e-6,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of ``target`` under Normal(input, var), up to a constant.

    0.5 * (log(var) + (input - target)^2 / var), the variance raised to eps (its gradient
    unchanged, as PyTorch's clamp under no_grad).

    Args:
        input: means, shape (*).
        target: values, shape (*).
        var: variances, >= 0: shape (*), (*) with one dim of size 1, (*) less its last dim,
            or a number.
        full: add the constant 0.5 * log(2 pi).
        eps: the smallest variance used.
        reduction: "none" (shape (*)), "mean" or "sum".

    Raises:
        ValueError: for a negative variance, var of a shape that does not fit, or an
            unknown reduction.

    >>> import scratchgrad as sg
    >>> gaussian_nll_loss(sg.tensor([1.0]), sg.tensor([3.0]), sg.tensor([2.0])).item() > 0
    True
    """
    v = _gaussian_var(input, var)
    check_reduction("gaussian_nll_loss", reduction)
    v = v + (clamp_min(v.detach(), eps) - v.detach())  # clamped value, identity gradient
    d = input - target
    loss = 0.5 * (v.log() + d * d / v)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return reduce(loss, reduction)


__all__ = ["gaussian_nll_loss", "poisson_nll_loss"]
