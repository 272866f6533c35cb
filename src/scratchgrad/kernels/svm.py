"""SMO for one binary C-SVC dual, compiled: LIBSVM's solver with shrinking and a row cache.

Solves ``min 0.5 a'Qa - e'a`` s.t. ``0 <= a <= C``, ``y'a = 0``, ``Q = yy' * K`` as
LIBSVM's ``Solver`` does (Fan, Chen and Lin 2005, JMLR 6; Chang and Lin 2011):

- second-order working-set selection (WSS-2): i is the maximal violator, j maximises the
  decrease of the objective ``(G_max - y_j G_j)^2 / (K_ii + K_jj - 2 K_ij)``;
- shrinking: every ``min(n, 1000)`` steps the variables at a bound that no longer violate
  the KKT conditions leave the active set; near the end (gap < 10 tol) and at the end the
  gradient of the removed ones is rebuilt and they come back, so the result is exact;
- kernel rows are computed on demand (over the active set) into a least-recently-used
  cache of float32 rows, LIBSVM's ``Cache``; when every row fits it is the full Gram
  matrix.

The NumPy reference (all one-vs-one problems at once, no shrinking, the full kernel
matrix) is :func:`scratchgrad.ml._smo.smo_batch`; ``SVC`` names this kernel next to it.
"""

# ruff: noqa: N803, N806  (LIBSVM's and the papers' names: X, C, G, K_i, QD)
from __future__ import annotations

from typing import Any

import numpy as np

from scratchgrad.backend import Array
from scratchgrad.kernels import _svm_rows as rows
from scratchgrad.kernels.jit import jit


@jit()
def _max_violator(a: Array, G: Array, y: Array, C: float, act: Array, m: int) -> tuple[int, float]:
    """i = argmax of -y_t G_t over I_up (the last one, as LIBSVM's ``>=`` scan), and G_max."""
    g_max, i = -np.inf, -1
    for k in range(m):
        t = act[k]
        v = -y[t] * G[t]
        up = a[t] < C if y[t] > 0 else a[t] > 0
        if up and v >= g_max:
            g_max, i = v, t
    return i, g_max


@jit()
def _second(
    i: int,
    g_max: float,
    Ki: Array,
    a: Array,
    G: Array,
    y: Array,
    QD: Array,
    C: float,
    act: Array,
    m: int,
) -> tuple[int, float]:
    """j over I_low by the largest second-order gain with i, and G_max2 (max of y_t G_t)."""
    g_max2, j, best = -np.inf, -1, np.inf
    for k in range(m):
        t = act[k]
        low = a[t] > 0 if y[t] > 0 else a[t] < C
        if not low:
            continue
        yg = y[t] * G[t]
        g_max2 = max(g_max2, yg)
        diff = g_max + yg
        if diff > 0:
            quad = QD[i] + QD[t] - 2.0 * Ki[t]
            obj = -(diff * diff) / (quad if quad > 0 else rows.TAU)
            if obj <= best:
                j, best = t, obj
    return j, g_max2


@jit()
def _clip(ai: float, aj: float, delta: float, same: bool, C: float) -> tuple[float, float]:
    """New (a_i, a_j) after the unconstrained step ``delta``, projected on the box."""
    if not same:  # a_i - a_j is conserved
        diff = ai - aj
        ai, aj = ai + delta, aj + delta
        if diff > 0 and aj < 0:
            ai, aj = diff, 0.0
        elif diff <= 0 and ai < 0:
            ai, aj = 0.0, -diff
        if diff > 0 and ai > C:
            ai, aj = C, C - diff
        elif diff <= 0 and aj > C:
            ai, aj = C + diff, C
        return ai, aj
    total = ai + aj  # a_i + a_j is conserved
    ai, aj = ai - delta, aj + delta
    if total > C and ai > C:
        ai, aj = C, total - C
    elif total <= C and aj < 0:
        ai, aj = total, 0.0
    if total > C and aj > C:
        ai, aj = total - C, C
    elif total <= C and ai < 0:
        ai, aj = 0.0, total
    return ai, aj


@jit()
def _step(
    i: int,
    j: int,
    Ki: Array,
    Kj: Array,
    a: Array,
    G: Array,
    y: Array,
    QD: Array,
    C: float,
    act: Array,
    m: int,
) -> None:
    """Minimise over (a_i, a_j) analytically and update G on the active set."""
    quad = max(QD[i] + QD[j] - 2.0 * Ki[j], rows.TAU)
    same = y[i] == y[j]
    delta = (G[i] - G[j]) / quad if same else (-G[i] - G[j]) / quad
    ai, aj = _clip(a[i], a[j], delta, same, C)
    di, dj = (ai - a[i]) * y[i], (aj - a[j]) * y[j]
    a[i], a[j] = ai, aj
    for k in range(m):
        t = act[k]
        G[t] += y[t] * (Ki[t] * di + Kj[t] * dj)


@jit()
def _bound_gaps(a: Array, G: Array, y: Array, C: float, act: Array, m: int) -> tuple[float, float]:
    """(max of -y G over I_up, max of y G over I_low) on the active set."""
    g1, g2 = -np.inf, -np.inf
    for k in range(m):
        t = act[k]
        if a[t] < C if y[t] > 0 else a[t] > 0:
            g1 = max(g1, -y[t] * G[t])
        if a[t] > 0 if y[t] > 0 else a[t] < C:
            g2 = max(g2, y[t] * G[t])
    return g1, g2


@jit()
def _compact(
    a: Array, G: Array, y: Array, C: float, act: Array, m: int, g1: float, g2: float
) -> int:
    """Move the variables that LIBSVM's ``be_shrunk`` drops behind the active ones; new m."""
    keep = np.empty(m, dtype=act.dtype)
    drop = np.empty(m, dtype=act.dtype)
    nk = nd = 0
    for k in range(m):
        t = act[k]
        if a[t] >= C:
            out = -G[t] > (g1 if y[t] > 0 else g2)
        elif a[t] <= 0:
            out = G[t] > (g2 if y[t] > 0 else g1)
        else:
            out = False
        if out:
            drop[nd], nd = t, nd + 1
        else:
            keep[nk], nk = t, nk + 1
    act[:nk], act[nk:m] = keep[:nk], drop[:nd]
    return nk


@jit()
def _unshrink(
    X: Array, sq: Array, y: Array, a: Array, G: Array, act: Array, m: int, params: Array, cache: Any
) -> int:
    """Bring every variable back: rebuild the removed gradients, drop the partial rows; n."""
    if m < act.size:
        rows.reconstruct(X, sq, y, a, G, act, m, params)
        rows.flush(cache)
    return act.size


@jit()
def _shrink(
    X: Array,
    sq: Array,
    y: Array,
    a: Array,
    G: Array,
    act: Array,
    m: int,
    params: Array,
    cache: Any,
    C: float,
    tol: float,
    unshrunk: bool,
) -> tuple[int, bool]:
    """LIBSVM's ``do_shrinking``: unshrink once when the gap is < 10 tol, then drop; (m, flag)."""
    g1, g2 = _bound_gaps(a, G, y, C, act, m)
    if not unshrunk and g1 + g2 <= 10.0 * tol:
        unshrunk = True
        m = _unshrink(X, sq, y, a, G, act, m, params, cache)
    return _compact(a, G, y, C, act, m, g1, g2), unshrunk


@jit()
def _select(
    X: Array,
    sq: Array,
    y: Array,
    a: Array,
    G: Array,
    QD: Array,
    act: Array,
    m: int,
    params: Array,
    cache: Any,
    C: float,
    tol: float,
) -> tuple[int, int]:
    """WSS-2 on the active set: (i, j), or (-1, -1) when the gap is below tol."""
    i, g_max = _max_violator(a, G, y, C, act, m)
    if i < 0:
        return -1, -1
    Ki = rows.get_row(i, X, sq, act, m, params, cache)
    j, g_max2 = _second(i, g_max, Ki, a, G, y, QD, C, act, m)
    if j < 0 or g_max + g_max2 < tol:
        return -1, -1
    return i, j


@jit()
def _solve(
    X: Array, y: Array, C: float, tol: float, limit: int, params: Array, slots: int, shrinking: bool
) -> tuple[Array, Array, int]:
    """The SMO loop of LIBSVM's ``Solver::Solve``; see :func:`smo` for the arguments."""
    n = y.size
    sq = np.empty(n)
    QD = np.empty(n)
    for t in range(n):
        sq[t] = float(rows.dot(X, t, t))
        QD[t] = rows.kval(sq[t], sq[t], sq[t], params)
    cache = (
        np.empty((slots, n), dtype=np.float32),
        np.full(n, -1),
        np.full(slots, -1),
        np.zeros(slots, np.int64),
        np.zeros(2, np.int64),
        np.empty(n),
    )
    a, G, act = np.zeros(n), np.full(n, -1.0), np.arange(n)
    m, it, counter, unshrunk, every = n, 0, min(n, 1000) + 1, False, min(n, 1000)
    while it < limit:
        counter -= 1
        if shrinking and counter == 0:
            counter = every
            m, unshrunk = _shrink(X, sq, y, a, G, act, m, params, cache, C, tol, unshrunk)
        i, j = _select(X, sq, y, a, G, QD, act, m, params, cache, C, tol)
        if i < 0:
            if m == n:
                break
            m, counter = _unshrink(X, sq, y, a, G, act, m, params, cache), 1
            i, j = _select(X, sq, y, a, G, QD, act, m, params, cache, C, tol)
            if i < 0:
                break
        Ki = rows.get_row(i, X, sq, act, m, params, cache)
        Kj = rows.get_row(j, X, sq, act, m, params, cache)
        _step(i, j, Ki, Kj, a, G, y, QD, C, act, m)
        it += 1
    _unshrink(X, sq, y, a, G, act, m, params, cache)
    return a, G, it


def smo(
    X: Array,
    y: Array,
    C: float,
    tol: float,
    max_iter: int,
    kernel: tuple[str, float, float, int],
    cache_mb: float = 200.0,
    shrinking: bool = True,
) -> tuple[Array, Array, int]:
    """Solve one binary C-SVC dual (LIBSVM's algorithm, compiled).

    Args:
        X: training points, shape (n, d).
        y: labels in {-1, +1}, shape (n,).
        C: box bound, > 0.
        tol: stopping tolerance on the maximal violation (LIBSVM's eps).
        max_iter: iteration cap, -1 for LIBSVM's ``max(10^7, 100 n)``.
        kernel: (name: "linear", "poly" or "rbf", gamma, coef0, degree).
        cache_mb: memory for cached kernel rows, in MB (float32 rows of n values).
        shrinking: use LIBSVM's shrinking heuristic.

    Returns:
        (alpha, shape (n,); gradient of the dual objective, shape (n,); iterations).
    """
    n = int(y.size)
    name, gamma, coef0, degree = kernel
    params = np.array([rows.KINDS[name], gamma, coef0, float(degree)])
    slots = int(min(n, max(2, cache_mb * 2**20 // (4 * n))))
    limit = max_iter if max_iter >= 0 else max(10_000_000, 100 * n)
    Xc = np.ascontiguousarray(X, dtype=np.float32)  # half the memory traffic per kernel row
    yc = np.ascontiguousarray(y, dtype=np.float64)
    return _solve(Xc, yc, float(C), float(tol), int(limit), params, slots, bool(shrinking))


__all__ = ["smo"]
