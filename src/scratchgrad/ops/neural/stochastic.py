"""Ops that draw random numbers: ``rrelu``, ``alpha_dropout`` (and per feature), ``gumbel_softmax``.

Each multiplies or shifts its input by constants drawn once per call (from the global
generator, as PyTorch's), so the gradients come from the primitives:

- rrelu: x * a for x < 0 with a ~ U(lower, upper) per element in training, and the fixed
  slope (lower + upper) / 2 in evaluation (a leaky ReLU).
- alpha_dropout: drops to SELU's negative saturation and rescales so that inputs of mean
  0 and variance 1 keep them: x * m * a + b, m ~ Bernoulli(1 - p); feature_alpha_dropout
  draws m once per channel of each sample.
- gumbel_softmax: softmax((logits + g) / tau) with g ~ Gumbel(0, 1); ``hard`` returns
  the one-hot argmax, with the soft sample's gradient (straight-through).
"""

from __future__ import annotations

import math

from scratchgrad.backend import xp
from scratchgrad.ops.elementwise._dispatch import _as_float
from scratchgrad.ops.elementwise.select import where
from scratchgrad.ops.neural.piecewise import leaky_relu
from scratchgrad.ops.neural.softmax import softmax
from scratchgrad.random import numpy_generator
from scratchgrad.tensor import Tensor

SELU_SATURATION = 1.7580993408473766  # scale * alpha of SELU: minus its limit at -inf


def _noise(like: Tensor, draw: str, *args: float) -> Tensor:
    """A constant tensor of ``like``'s shape and dtype, from the global generator's ``draw``."""
    values = getattr(numpy_generator(None), draw)(*args, size=like.shape)
    return Tensor(xp.asarray(values, dtype=like.array.dtype))


def rrelu(
    input: Tensor,  # noqa: A002 - PyTorch's name
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    inplace: bool = False,
) -> Tensor:
    """Randomized leaky ReLU: x for x >= 0, x * a for x < 0. (*) -> (*).

    Args:
        input: shape (*).
        lower: lowest slope a.
        upper: highest slope a.
        training: draw a ~ U(lower, upper) per element; else a = (lower + upper) / 2.
        inplace: accepted for PyTorch's signature; the result is a new tensor.

    >>> import scratchgrad as sg
    >>> rrelu(sg.tensor([-3.0, 2.0]), 0.25, 0.75).tolist()
    [-1.5, 2.0]
    """
    x = _as_float(input)
    if not training:
        return leaky_relu(x, (lower + upper) / 2)
    slope = where(x.detach() >= 0, 1.0, _noise(x, "uniform", lower, upper))
    return x * slope


def alpha_dropout(
    input: Tensor,  # noqa: A002 - PyTorch's name
    p: float = 0.5,
    training: bool = False,
    inplace: bool = False,
) -> Tensor:
    """Dropout that keeps a zero mean and unit variance (for SELU networks). (*) -> (*).

    Dropped elements become SELU's saturation value; then all are scaled and shifted by
    the constants that restore the mean and variance.

    Args:
        input: shape (*).
        p: probability to drop each element, in [0, 1].
        training: drop; in evaluation the input is returned.
        inplace: accepted for PyTorch's signature; the result is a new tensor.

    Raises:
        ValueError: if p is not in [0, 1].
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"alpha_dropout: probability has to be between 0 and 1, but got {p}")
    if p == 0.0 or not training or input.numel() == 0:
        return input
    if p == 1.0:
        return input * 0.0
    return _alpha_dropped(input, p, input.shape)


def _alpha_dropped(x: Tensor, p: float, mask_shape: tuple[int, ...]) -> Tensor:
    """x * m * a + b with m ~ Bernoulli(1 - p) of ``mask_shape`` (broadcast against x)."""
    draws = numpy_generator(None).binomial(1, 1.0 - p, size=mask_shape)
    keep = Tensor(xp.asarray(draws, dtype=x.array.dtype))  # 1 kept, 0 dropped
    a = 1.0 / math.sqrt((SELU_SATURATION**2 * p + 1) * (1 - p))
    shift = (keep - 1.0) * (SELU_SATURATION * a) + SELU_SATURATION * a * p
    return x * (keep * a) + shift


def feature_alpha_dropout(
    input: Tensor,  # noqa: A002 - PyTorch's name
    p: float = 0.5,
    training: bool = False,
    inplace: bool = False,
) -> Tensor:
    """Alpha dropout of whole channels: one draw per (sample, channel). (N, C, *) -> same.

    Args:
        input: shape (N, C, *) (or (C, *) read as one sample).
        p: probability to drop each channel, in [0, 1].
        training: drop; in evaluation the input is returned.
        inplace: accepted for PyTorch's signature; the result is a new tensor.

    Raises:
        ValueError: if p is not in [0, 1].
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(
            f"feature_alpha_dropout: probability has to be between 0 and 1, but got {p}"
        )
    if p == 0.0 or not training or input.numel() == 0:
        return input
    if p == 1.0:
        return input * 0.0
    return _alpha_dropped(input, p, (*input.shape[:2], *(1,) * (input.ndim - 2)))


def gumbel_softmax(
    logits: Tensor, tau: float = 1.0, hard: bool = False, eps: float = 1e-10, dim: int = -1
) -> Tensor:
    """A sample of the Gumbel-softmax (concrete) distribution over ``dim``. (*) -> (*).

    Args:
        logits: unnormalised log-probabilities, shape (*).
        tau: temperature (> 0); lower is closer to one-hot.
        hard: return one-hot vectors, with the soft sample's gradient.
        eps: unused (deprecated in PyTorch too).
        dim: the dim of the categories.

    Returns:
        Shape (*): probabilities summing to 1 over ``dim`` (one-hot when hard).
    """
    x = _as_float(logits)
    gumbels = -_noise(x, "exponential", 1.0).log()
    y_soft = softmax((x + gumbels) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.detach().argmax(dim, keepdim=True)
    one_hot = Tensor(xp.zeros(x.shape, dtype=x.array.dtype)).scatter(dim, index, 1.0)
    return one_hot - y_soft.detach() + y_soft


__all__ = ["alpha_dropout", "feature_alpha_dropout", "gumbel_softmax", "rrelu"]
