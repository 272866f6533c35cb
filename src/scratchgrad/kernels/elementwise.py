"""Elementwise kernels: one pass over memory where NumPy makes several.

Each reads its inputs once and writes one output. The op that uses a kernel keeps the
NumPy expression it replaces as the reference.
"""

from __future__ import annotations

import numpy as np

from scratchgrad.kernels.jit import jit


@jit()
def relu(x: np.ndarray) -> np.ndarray:
    """``max(x, 0)`` (NaN stays NaN), x C-contiguous of any shape -> the same shape."""
    flat = x.reshape(-1)
    out = np.empty_like(flat)
    zero = flat.dtype.type(0)
    for i in range(flat.size):
        v = flat[i]
        out[i] = v if (v > zero) | (v != v) else zero
    return out.reshape(x.shape)


@jit()
def relu_backward(grad: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``grad * ~(out <= 0)`` in one pass: ReLU's gradient, ``grad`` and ``out`` any shape.

    Args:
        grad: upstream gradient, C-contiguous, shape S.
        out: ReLU's output, C-contiguous, shape S, same dtype.

    Returns:
        The input's gradient, shape S.
    """
    g, o = grad.reshape(-1), out.reshape(-1)
    res = np.empty_like(g)
    zero = g.dtype.type(0)
    for i in range(g.size):
        res[i] = zero if o[i] <= zero else g[i]  # NaN passes its gradient, as torch
    return res.reshape(grad.shape)


__all__ = ["relu", "relu_backward"]
