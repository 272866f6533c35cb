"""Kernel rows for the compiled SMO: values, an LRU row cache, the gradient rebuild.

The kernels of :mod:`scratchgrad.kernels.svm` call these (as ``rows.name``); the dot
product may reorder its sum (``reassociate``: SIMD partial sums).
"""

# ruff: noqa: N803, N806  (LIBSVM's and the papers' names: X, C, G, K_i, QD)
from __future__ import annotations

from typing import Any

import numpy as np

from scratchgrad.backend import Array
from scratchgrad.kernels.jit import jit

TAU = 1e-12
"""LIBSVM's floor for a non-positive curvature ``K_ii + K_jj - 2 K_ij``."""

KINDS = {"linear": 0.0, "poly": 1.0, "rbf": 2.0}
"""The kernel code in ``params[0]``."""


@jit()
def kval(dot: float | np.floating[Any], sq_i: float, sq_j: float, params: Array) -> float:
    """One kernel value from a dot product and the squared norms.

    ``params`` is (kind code, gamma, coef0, degree).
    """
    if params[0] == 0.0:
        return float(dot)
    if params[0] == 1.0:
        return float((params[1] * dot + params[2]) ** params[3])
    return float(np.exp(-params[1] * max(sq_i + sq_j - 2.0 * dot, 0.0)))


@jit(reassociate=True)
def dot(X: Array, i: int, j: int) -> np.float32:
    """Dot product of rows i and j of X (n, d), float32; reassociated (SIMD sums)."""
    s = np.float32(0.0)
    for t in range(X.shape[1]):
        s += X[i, t] * X[j, t]
    return s


@jit()
def exp_neg(x: Array, m: int) -> None:
    """x[:m] = exp(-x[:m]) for x >= 0, in place, in arithmetic the compiler vectorises.

    ``exp(-x) = exp(-x / 1024) ** 1024``: a degree-6 Taylor polynomial on [-0.086, 0] and
    ten squarings; relative error < 1e-8 (below the float32 cache's rounding). Beyond
    x = 88 the result is float32's underflow, 0.
    """
    for k in range(m):
        z = -min(x[k], 88.0) * (1.0 / 1024.0)
        p = 1.0 + z * (1.0 + z * (0.5 + z * (1 / 6 + z * (1 / 24 + z * (1 / 120 + z / 720)))))
        for _ in range(10):
            p *= p
        x[k] = p if x[k] < 88.0 else 0.0


@jit()
def fill_row(
    X: Array, sq: Array, i: int, act: Array, m: int, params: Array, buf: Array, out: Array
) -> None:
    """out[act[k]] = K(x_i, x_act[k]) for the m active points; out is a float32 row (n,).

    RBF rows take three passes: scaled squared distances into ``buf`` (float64, (n,)),
    their exponentials in one vectorised pass, then the scatter into ``out``.
    """
    if params[0] != 2.0:
        for k in range(m):
            j = act[k]
            out[j] = kval(dot(X, i, j), sq[i], sq[j], params)
        return
    for k in range(m):
        j = act[k]
        buf[k] = params[1] * max(sq[i] + sq[j] - 2.0 * dot(X, i, j), 0.0)
    exp_neg(buf, m)
    for k in range(m):
        out[act[k]] = buf[k]


@jit()
def get_row(i: int, X: Array, sq: Array, act: Array, m: int, params: Array, cache: Any) -> Array:
    """Row i of K (float32, valid on the active set), from the cache or computed into it.

    ``cache`` is (rows (slots, n) float32, slot_of (n,), row_of (slots,), stamp (slots,),
    counters [clock, used], float64 scratch (n,)); the least recently used slot is evicted.
    """
    data, slot_of, row_of, stamp, ctr, buf = cache
    ctr[0] += 1
    s = slot_of[i]
    if s < 0:
        if ctr[1] < row_of.size:
            s = ctr[1]
            ctr[1] += 1
        else:
            s = np.argmin(stamp)
            slot_of[row_of[s]] = -1
        slot_of[i], row_of[s] = s, i
        fill_row(X, sq, i, act, m, params, buf, data[s])
    stamp[s] = ctr[0]
    row: Array = data[s]
    return row


@jit()
def flush(cache: Any) -> None:
    """Forget every cached row (after the active set grows, rows lack the new entries)."""
    cache[1][:] = -1
    cache[2][:] = -1
    cache[4][1] = 0


@jit()
def block_kernel(D: Array, sq_r: Array, sq_c: Array, params: Array) -> Array:
    """Kernel values (float64, (r, c)) from a block of dot products D (r, c) and norms."""
    out = np.empty((D.shape[0], D.shape[1]))
    if params[0] != 2.0:
        for r in range(D.shape[0]):
            for c in range(D.shape[1]):
                out[r, c] = kval(D[r, c], sq_r[r], sq_c[c], params)
        return out
    for r in range(D.shape[0]):
        for c in range(D.shape[1]):
            out[r, c] = params[1] * max(sq_r[r] + sq_c[c] - 2.0 * D[r, c], 0.0)
    exp_neg(out.reshape(-1), out.size)
    return out


@jit()
def reconstruct(
    X: Array, sq: Array, y: Array, a: Array, G: Array, act: Array, m: int, params: Array
) -> None:
    """G of the inactive points, from scratch: ``-1 + y_t sum_s a_s y_s K_ts`` (BLAS blocks)."""
    sv = np.flatnonzero(a > 0)
    coef = a[sv] * y[sv]
    XsT = np.ascontiguousarray(X[sv].T)  # (d, n_SV)
    rest = act[m:]
    for c0 in range(0, rest.size, 256):
        rows = rest[c0 : c0 + 256]
        Kb = block_kernel(np.dot(X[rows], XsT), sq[rows], sq[sv], params)  # (c, n_SV)
        G[rows] = -1.0 + y[rows] * np.dot(Kb, coef)
