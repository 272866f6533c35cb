"""Channel-wise dropout: zero whole channels (feature maps), as ``dropout1d/2d/3d``.

Composite: a random (N, C, 1, ...) mask times the input, so the multiplication's backward
gives the gradient, ``grad * mask / (1 - p)``. The input-rank rules, warnings and errors
are torch's: ``dropout1d`` refuses a rank other than 2 or 3, ``dropout2d`` and
``dropout3d`` warn and go on.
"""

from __future__ import annotations

import warnings

from scratchgrad.backend import xp
from scratchgrad.random import Generator, numpy_generator
from scratchgrad.tensor import Tensor


def feature_dropout(
    x: Tensor, p: float = 0.5, training: bool = True, generator: Generator | None = None
) -> Tensor:
    """Zero each channel ``x[n, c]`` with probability p, scale the rest by 1 / (1 - p).

    Args:
        x: input, shape (N, C, *); every element of a channel shares one draw.
        p: probability of a channel being zeroed, in [0, 1].
        training: apply dropout; False returns ``x`` itself.
        generator: random source (default: the global generator).

    Returns:
        Shape (N, C, *), same dtype.

    Raises:
        ValueError: if p is not in [0, 1].
        RuntimeError: if ``x`` has fewer than 2 dimensions (when dropout applies).

    >>> import scratchgrad as sg
    >>> y = feature_dropout(sg.ones(2, 3, 4), 0.5, generator=sg.Generator().manual_seed(0))
    >>> sorted(set(y.sum(-1).flatten().tolist()))  # each channel all 0 or all 2
    [0.0, 8.0]
    """
    _check_p(p)
    if not training or p == 0.0 or x.array.size == 0:
        return x
    if p == 1.0:
        return x * 0.0
    if x.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    shape = x.shape[:2] + (1,) * (x.ndim - 2)  # (N, C, 1, ...)
    keep = numpy_generator(generator).random(shape, dtype=xp.float32) >= p
    scale = keep.astype(x.array.dtype) * x.array.dtype.type(1.0 / (1.0 - p))
    return x * Tensor(scale)


def dropout1d(x: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel-wise dropout of 1-d feature maps, as ``torch.nn.functional.dropout1d``.

    Args:
        x: (N, C, L) or unbatched (C, L).
        p: probability of a channel being zeroed, in [0, 1].
        training: apply dropout; False returns ``x`` itself.
        inplace: accepted for PyTorch compatibility; the result is a new tensor.

    Returns:
        Same shape as ``x``.

    Raises:
        ValueError: if p is not in [0, 1].
        RuntimeError: for an input that is not 2-D or 3-D.
    """
    _check_p(p)
    if x.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {x.ndim}D input. "
            "Note that dropout1d exists to provide channel-wise dropout on inputs with 1 "
            "spatial dimension, a channel dimension, and an optional batch dimension "
            "(i.e. 2D or 3D inputs)."
        )
    if x.ndim == 3 or not training:
        return feature_dropout(x, p, training)
    return feature_dropout(x.unsqueeze(0), p, training).squeeze(0)


def dropout2d(x: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel-wise dropout of 2-d feature maps, as ``torch.nn.functional.dropout2d``.

    Like torch, a 3-D input is taken as (N, C, L) (1-d behaviour), with a warning.

    Args:
        x: (N, C, H, W).
        p: probability of a channel being zeroed, in [0, 1].
        training: apply dropout; False returns ``x`` itself.
        inplace: accepted for PyTorch compatibility; the result is a new tensor.

    Returns:
        Same shape as ``x``.

    Raises:
        ValueError: if p is not in [0, 1].
        RuntimeError: for an input with fewer than 2 dimensions.
    """
    _check_p(p)
    if x.ndim not in (3, 4):
        _warn_rank("dropout2d", x.ndim, 2, "3D or 4D")
    if x.ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
            "1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C "
            "is the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2,
        )
    return feature_dropout(x, p, training)


def dropout3d(x: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel-wise dropout of 3-d feature maps, as ``torch.nn.functional.dropout3d``.

    Args:
        x: (N, C, D, H, W) or unbatched (C, D, H, W).
        p: probability of a channel being zeroed, in [0, 1].
        training: apply dropout; False returns ``x`` itself.
        inplace: accepted for PyTorch compatibility; the result is a new tensor.

    Returns:
        Same shape as ``x``.

    Raises:
        ValueError: if p is not in [0, 1].
    """
    _check_p(p)
    if x.ndim not in (4, 5):
        _warn_rank("dropout3d", x.ndim, 3, "4D or 5D")
    if x.ndim == 5 or not training:
        return feature_dropout(x, p, training)
    return feature_dropout(x.unsqueeze(0), p, training).squeeze(0)


def _check_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _warn_rank(name: str, ndim: int, spatial: int, expected: str) -> None:
    """torch's deprecation warning for an input of the wrong rank."""
    warnings.warn(
        f"{name}: Received a {ndim}-D input to {name}, which is deprecated "
        "and will result in an error in a future release. To retain the behavior "
        f"and silence this warning, please use dropout instead. Note that {name} "
        f"exists to provide channel-wise dropout on inputs with {spatial} spatial dimensions, "
        f"a channel dimension, and an optional batch dimension (i.e. {expected} inputs).",
        stacklevel=3,
    )


__all__ = ["dropout1d", "dropout2d", "dropout3d", "feature_dropout"]
