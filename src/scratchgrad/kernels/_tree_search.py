"""CART split search for :mod:`scratchgrad.kernels.tree`: the best split of every node.

Per node and candidate feature, :func:`_search` sweeps the samples (sorted by that feature
within the node's segment of ``S`` (d, N)) updating running statistics, and scores a split
wherever two neighbouring values differ, with the reference's proxies
(:mod:`scratchgrad.ml._criteria`): gini ``-(q_L / w_L + q_R / w_R)``, ``q = sum_c n_c**2``
(``q_L += w (2 n_c,L + w)`` as a sample of weight w and class c moves left); entropy
``g(w_L) - sum_c g(n_c,L) + (the same on the right)``, ``g(x) = x log2 x``; squared error
``-s**2 (1 / w_L + 1 / w_R)``, ``s`` the left sum of weighted targets centred on the node mean.
Class weights are integers held in float64, so gini is exact; the squared-error sums run along
a level's row across nodes, as the reference's cumulative sums do: both paths score alike.
"""

# ruff: noqa: N803, N806 - the maths' names: Xt, S (sorted samples), W, wL, cL, T
from __future__ import annotations

import numpy as np

from scratchgrad.kernels.jit import jit

GINI, ENTROPY, SQUARED_ERROR = 0, 1, 2
_CLOSE = 1e-7  # values closer than this are treated as equal (as the reference)
_WEIGHT = 2  # column of the node weight in the float64 node array


@jit()
def _xlogx(a: float) -> float:
    """``a log2 a``, 0 at 0."""
    return a * np.log2(a) if a > 0 else 0.0


@jit()
def _fits(n_left: int, n: int, min_leaf: int) -> bool:
    """Whether ``n_left`` of a node's ``n`` samples on the left leave both children enough."""
    return n_left >= min_leaf and n - n_left >= min_leaf


@jit()
def _take(ends: np.ndarray, perm: np.ndarray, out: np.ndarray, n: int, constant: bool) -> int:
    """Append to ``out`` (k,) the constant (or varying) features of ``perm``; return the count.

    A feature is constant in the node when its lowest and highest values ``ends`` (d, 2) are
    within ``_CLOSE``; ``out`` fills up to its size.
    """
    for f in perm:
        if n == out.size:
            break
        if (ends[f, 1] - ends[f, 0] <= _CLOSE) == constant:
            out[n] = f
            n += 1
    return n


@jit()
def _candidates(
    Xt: np.ndarray, S: np.ndarray, start: np.ndarray, perm: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Feature and rank of each row at each node, shapes (n_seg, K), K = min(k, d).

    With ``k >= d`` row r holds feature r and its rank is its place in the node's random
    order ``perm`` (n_seg, d); else row r holds the node's r-th candidate (varying features
    first, in random order).
    """
    n_seg, d = perm.shape
    K = min(k, d)
    feat = np.empty((n_seg, K), np.int64)
    rank = np.empty((n_seg, K), np.int64)
    ends = np.empty((d, 2))
    for j in range(n_seg):
        for i in range(K):
            feat[j, i], rank[j, i] = i, i
        if k >= d:
            for i in range(d):
                rank[j, perm[j, i]] = i
            continue
        for f in range(d):
            ends[f, 0], ends[f, 1] = Xt[f, S[f, start[j]]], Xt[f, S[f, start[j + 1] - 1]]
        n = _take(ends, perm[j], feat[j], 0, False)
        _take(ends, perm[j], feat[j], n, True)
    return feat, rank


@jit()
def _sweep_mse(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, row: np.ndarray, lo: int, hi: int,
    mean: float, W: float, min_leaf: int, carry: np.ndarray,
) -> tuple[float, int]:  # fmt: skip
    """Best squared-error proxy and position of one node along one row (-1: none).

    Args:
        x: the row's feature values by sample id, shape (n,).
        y: targets by sample id, shape (n,).
        w: weights by sample id, shape (n,).
        row: sample ids of the level's row, shape (N,).
        lo: the node's first position in ``row``.
        hi: one past its last position.
        mean: the node's mean target.
        W: the node's total weight.
        min_leaf: fewest samples a child may hold.
        carry: running sums (weight, centred target) along the row so far, shape (2,);
            updated in place, as the reference's cumulative sums run across nodes.
    """
    cw, cs = carry[0], carry[1]
    base_w, base_s = cw, cs
    best, pos, x_next = np.inf, -1, x[row[lo]]
    for i in range(lo, hi):
        s = row[i]
        cw += w[s]
        cs += w[s] * (y[s] - mean)
        if i + 1 == hi:
            break
        x_cur, x_next = x_next, x[row[i + 1]]
        if x_next > x_cur + _CLOSE and _fits(i - lo + 1, hi - lo, min_leaf):
            wL, ss = cw - base_w, cs - base_s
            wR = W - wL
            wR = wR + (wR == 0)
            p = -ss * ss * (1.0 / wL + 1.0 / wR)
            if p < best:
                best, pos = p, i
    carry[0], carry[1] = cw, cs
    return best, pos


@jit()
def _sweep_class(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, row: np.ndarray, lo: int, hi: int,
    T: np.ndarray, min_leaf: int, crit: int, cL: np.ndarray,
) -> tuple[float, int]:  # fmt: skip
    """Best gini or entropy proxy and position of one node along one row (-1: none).

    ``T`` (m,) holds the node's class weights (integers); ``cL`` (m,) is scratch space.
    Other arguments as :func:`_sweep_mse`.
    """
    cL[:] = 0.0
    W, q, TL, gL, gR, wL = T.sum(), 0.0, 0.0, 0.0, 0.0, 0.0
    q_all, g_all = 0.0, 0.0
    for c in range(T.size):
        q_all += T[c] * T[c]
        g_all += _xlogx(T[c])
    best, pos, x_next = np.inf, -1, x[row[lo]]
    for i in range(lo, hi - 1):
        x_cur, x_next = x_next, x[row[i + 1]]
        s = row[i]
        c, ws, before = int(y[s]), w[s], cL[int(y[s])]
        q += ws * (2.0 * before + ws)
        TL += ws * T[c]
        wL += ws
        cL[c] = before + ws
        if crit == ENTROPY:
            gL += _xlogx(before + ws) - _xlogx(before)
            gR += _xlogx(max(T[c] - before - ws, 0.0)) - _xlogx(max(T[c] - before, 0.0))
        if x_next > x_cur + _CLOSE and _fits(i - lo + 1, hi - lo, min_leaf):
            wR = W - wL
            if crit == ENTROPY:
                p = _xlogx(wL) - gL + _xlogx(wR) - (g_all + gR)
            else:
                p = -(q / wL + (q_all - 2.0 * TL + q) / wR)
            if p < best:
                best, pos = p, i
    return best, pos


@jit()
def _search(
    Xt: np.ndarray, y: np.ndarray, w: np.ndarray, S: np.ndarray, start: np.ndarray,
    node: np.ndarray, feat: np.ndarray, rank: np.ndarray, value: np.ndarray,
    floats: np.ndarray, tot: np.ndarray, min_leaf: int, crit: int,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Best split of each node of a level: its feature (-1: none) and last left position.

    Ties go to the candidate earlier in the node's random order, then to the lower
    threshold, as in the reference. Shapes: ``feat``, ``rank`` (n_seg, K); returns (n_seg,).
    """
    n_seg, K = feat.shape
    best = np.full(n_seg, np.inf)
    brank = np.zeros(n_seg, np.int64)
    bfeat = np.full(n_seg, -1, np.int64)
    bpos = np.full(n_seg, -1, np.int64)
    carry, cL = np.zeros(2), np.zeros(tot.shape[1])
    for r in range(K):
        carry[:] = 0.0
        for j in range(n_seg):
            f, nd, lo, hi = feat[j, r], node[j], start[j], start[j + 1]
            if crit != SQUARED_ERROR and Xt[f, S[f, hi - 1]] - Xt[f, S[f, lo]] <= _CLOSE:
                continue  # constant in the node: no split (no running sums to carry)
            if crit == SQUARED_ERROR:
                mean, W = value[nd, 0], floats[nd, _WEIGHT]
                p, i = _sweep_mse(Xt[f], y, w, S[f], lo, hi, mean, W, min_leaf, carry)
            else:
                p, i = _sweep_class(Xt[f], y, w, S[f], lo, hi, tot[nd], min_leaf, crit, cL)
            if i >= 0 and (p < best[j] or (p == best[j] and rank[j, r] < brank[j])):
                best[j], brank[j], bfeat[j], bpos[j] = p, rank[j, r], f, i
    return bfeat, bpos
