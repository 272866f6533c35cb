"""Layer-norm kernels: each row's statistics, normalisation and affine map in one visit.

The reference (``ops/neural/norm.py``) makes about eight passes over the (M, D) input
forward and ten backward. Here each row is read while it sits in the L1 cache; sums run
in float64, so the statistics are as accurate as the data allow.
"""

from __future__ import annotations

import numpy as np

from scratchgrad.kernels.jit import jit


@jit(reassociate=True)
def layer_norm(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``xhat = (x - mean) * rstd`` per row, and ``out = xhat * w + b``.

    Args:
        x: (M, D), C-contiguous.
        w: (D,) scale (ones for none).
        b: (D,) shift (zeros for none).
        eps: added to the (biased) variance.

    Returns:
        out (M, D), xhat (M, D) and rstd (M, 1), of x's dtype.
    """
    m, d = x.shape
    out, xhat = np.empty_like(x), np.empty_like(x)
    rstd = np.empty((m, 1), x.dtype)
    for i in range(m):
        row = x[i]
        total = 0.0
        for j in range(d):
            total += row[j]
        mean = total / d
        sq = 0.0
        for j in range(d):
            c = row[j] - mean
            sq += c * c
        r = 1.0 / np.sqrt(sq / d + eps)
        rstd[i, 0] = r
        for j in range(d):
            h = x.dtype.type((row[j] - mean) * r)
            xhat[i, j] = h
            out[i, j] = h * w[j] + b[j]
    return out, xhat, rstd


@jit(reassociate=True)
def layer_norm_backward(
    grad: np.ndarray, xhat: np.ndarray, rstd: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``dx = rstd (gh - mean(gh) - xhat mean(gh xhat))`` with ``gh = grad * w``.

    Args:
        grad: the output's gradient, (M, D), C-contiguous.
        xhat: :func:`layer_norm`'s normalised input, (M, D).
        rstd: its (M, 1) reciprocal standard deviations.
        w: (D,) scale (ones for none).

    Returns:
        dx (M, D), dw = sum of grad * xhat over rows (D,), db = sum of grad (D,).
    """
    m, d = grad.shape
    dx = np.empty_like(grad)
    dw, db = np.zeros(d), np.zeros(d)  # float64 sums over the rows
    for i in range(m):
        g, h = grad[i], xhat[i]
        sum_gh, sum_ghx = 0.0, 0.0
        for j in range(d):
            gh = g[j] * w[j]
            sum_gh += gh
            sum_ghx += gh * h[j]
            dw[j] += g[j] * h[j]
            db[j] += g[j]
        mean_gh, mean_ghx, r = sum_gh / d, sum_ghx / d, rstd[i, 0]
        for j in range(d):
            dx[i, j] = r * (g[j] * w[j] - mean_gh - h[j] * mean_ghx)
    return dx, dw.astype(grad.dtype), db.astype(grad.dtype)


__all__ = ["layer_norm", "layer_norm_backward"]
