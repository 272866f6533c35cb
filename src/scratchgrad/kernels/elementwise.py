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


@jit()
def _horner(z: np.float32, coefs: tuple[np.float32, ...]) -> np.float32:
    """c0 z^(n-1) + ... + c(n-1) in coefs' dtype, in the reference ``_horner``'s order."""
    p = z * coefs[0]
    for k in range(1, len(coefs) - 1):  # a constant count: unrolled
        p = (p + coefs[k]) * z
    return p + coefs[len(coefs) - 1]


@jit()
def gelu_erf32(
    x: np.ndarray, scale: np.float32, num: tuple[np.float32, ...], den: tuple[np.float32, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Exact GELU in float32, ``x (1 + erf(x / sqrt 2)) / 2``, erf as a rational function.

    The same float32 operations as the reference (``Gelu.forward`` with
    ``special._erf32_block_``), element by element: the same bits, in one pass.

    Args:
        x: float32, C-contiguous, any shape S.
        scale: 1 / sqrt 2 as a NumPy float32.
        num: the numerator's coefficients (NumPy float32s), highest power first.
        den: the denominator's coefficients (NumPy float32s), highest power first.

    Returns:
        (out, cdf2), both shape S: cdf2 = 1 + erf(x / sqrt 2), which the backward reuses.
    """
    flat = x.reshape(-1)
    out, cdf2 = np.empty_like(flat), np.empty_like(flat)
    one, half, four = np.float32(1), np.float32(0.5), np.float32(4)
    for i in range(flat.size):
        v = flat[i]
        u = v * scale
        u = -four if u < -four else (four if u > four else u)  # NaN stays NaN
        z = u * u
        c = (_horner(z, num) * u) / _horner(z, den) + one
        cdf2[i] = c
        out[i] = (c * v) * half
    return out.reshape(x.shape), cdf2.reshape(x.shape)


__all__ = ["gelu_erf32", "relu", "relu_backward"]
