"""Decision-tree kernels: one tree level's split search and partition, and tree traversal.

The NumPy reference (:mod:`scratchgrad.ml._splitter`, :mod:`scratchgrad.ml._criteria`) splits
every node of a level in vectorised passes over (k, N) score arrays; :func:`level` does the
same work with loops and no temporaries. Per node and candidate feature it sweeps the samples,
kept sorted by that feature within the node's segment of ``S`` (d, N), updating running
statistics and scoring a split wherever two neighbouring values differ:

- gini: ``-(q_L / w_L + q_R / w_R)``, ``q = sum_c n_c**2``, updated as a sample of weight w and
  class c enters the left side: ``q_L += w (2 n_c,L + w)``;
- entropy: ``g(w_L) - sum_c g(n_c,L) + (the same on the right)``, ``g(x) = x log2 x``;
- squared error: ``-s**2 (1 / w_L + 1 / w_R)``, ``s`` the left sum of weighted targets
  centred on the node mean.

Each score is computed with the same operations, in the same order, as the reference (class
weights are integers held in float64, so gini is exact; the squared-error sums run along a
level's row across nodes as the reference's cumulative sums do), so both paths choose the same
splits and grow the same trees. The chosen split partitions every feature's row stably, so the
children's segments stay sorted. The driver (:func:`scratchgrad.ml._splitter.grow`) calls
:func:`level` once per depth with the level's random feature orders.

Node arrays (row = node id, breadth-first): ``ints`` (cap, 4) int64 holds left child, right
child, feature (-1 at leaves) and sample count; ``floats`` (cap, 3) float64 holds threshold,
impurity and total weight; ``value`` (cap, m) holds class fractions or the mean (m = 1);
``tot`` (cap, m) holds class weights (unused for regression).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import numpy as np

from scratchgrad.kernels.jit import jit

P = ParamSpec("P")
R = TypeVar("R")

GINI, ENTROPY, SQUARED_ERROR = 0, 1, 2
"""Criterion codes :func:`level` takes."""

LEFT, RIGHT, FEATURE, COUNT = 0, 1, 2, 3
"""Columns of the int64 node array."""

THRESHOLD, IMPURITY, WEIGHT = 0, 1, 2
"""Columns of the float64 node array."""

_CLOSE = 1e-7  # values closer than this are treated as equal (as the reference)
_EPS = float(np.finfo(np.float64).eps)
_HELPERS: list[str] = []
_bound = False
_bind_lock = threading.Lock()


def _helper(fn: Callable[P, R]) -> Callable[P, R]:
    """Mark a loop function the kernels call; :func:`bind` compiles it with them."""
    _HELPERS.append(fn.__name__)
    return fn


def bind() -> None:
    """Compile the helpers (once, lazily) so the kernels can call them; call before a kernel."""
    global _bound
    with _bind_lock:
        if _bound:
            return
        numba: Any = importlib.import_module("numba")
        space = globals()
        for name in _HELPERS:
            space[name] = numba.njit(cache=True, nogil=True, error_model="numpy")(space[name])
        _bound = True


@_helper
def _xlogx(a: float) -> float:
    """``a log2 a``, 0 at 0."""
    return a * np.log2(a) if a > 0 else 0.0


@_helper
def _valid(x: np.ndarray, row: np.ndarray, i: int, n_left: int, n: int, min_leaf: int) -> bool:
    """Whether a split after position ``i`` of ``row`` separates distinct values and fits."""
    if n_left < min_leaf or n - n_left < min_leaf:
        return False
    return bool(x[row[i + 1]] > x[row[i]] + _CLOSE)


@_helper
def _take(ends: np.ndarray, perm: np.ndarray, out: np.ndarray, n: int, constant: bool) -> int:
    """Append to ``out`` (k,) the features of ``perm`` that are constant (or vary) in the node,
    given their lowest and highest values ``ends`` (d, 2), until full; return the count."""
    for f in perm:
        if n == out.size:
            break
        if (ends[f, 1] - ends[f, 0] <= _CLOSE) == constant:
            out[n] = f
            n += 1
    return n


@_helper
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


@_helper
def _sweep_mse(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, row: np.ndarray, lo: int, hi: int,
    mean: float, W: float, min_leaf: int, carry: np.ndarray,
) -> tuple[float, int]:  # fmt: skip
    """Best squared-error proxy and position of one node along one row (-1: none).

    Args:
        x: the row's feature values by sample id, shape (n,).
        y, w: targets and weights by sample id, shape (n,).
        row: sample ids of the level's row; the node owns ``lo:hi``.
        mean, W: the node's mean target and total weight.
        min_leaf: fewest samples a child may hold.
        carry: running sums (weight, centred target) along the row so far, shape (2,);
            updated in place, as the reference's cumulative sums run across nodes.
    """
    base_w, base_s = carry[0], carry[1]
    best, pos = np.inf, -1
    for i in range(lo, hi):
        s = row[i]
        carry[0] += w[s]
        carry[1] += w[s] * (y[s] - mean)
        if i + 1 < hi and _valid(x, row, i, i - lo + 1, hi - lo, min_leaf):
            wL, ss = carry[0] - base_w, carry[1] - base_s
            wR = W - wL
            wR = wR + (wR == 0)
            p = -ss * ss * (1.0 / wL + 1.0 / wR)
            if p < best:
                best, pos = p, i
    return best, pos


@_helper
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
    best, pos = np.inf, -1
    for i in range(lo, hi - 1):
        s = row[i]
        c, ws, before = int(y[s]), w[s], cL[int(y[s])]
        q += ws * (2.0 * before + ws)
        TL += ws * T[c]
        wL += ws
        cL[c] = before + ws
        if crit == ENTROPY:
            gL += _xlogx(before + ws) - _xlogx(before)
            gR += _xlogx(max(T[c] - before - ws, 0.0)) - _xlogx(max(T[c] - before, 0.0))
        if _valid(x, row, i, i - lo + 1, hi - lo, min_leaf):
            wR = W - wL
            if crit == ENTROPY:
                p = _xlogx(wL) - gL + _xlogx(wR) - (g_all + gR)
            else:
                p = -(q / wL + (q_all - 2.0 * TL + q) / wR)
            if p < best:
                best, pos = p, i
    return best, pos


@_helper
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
                mean, W = value[nd, 0], floats[nd, WEIGHT]
                p, i = _sweep_mse(Xt[f], y, w, S[f], lo, hi, mean, W, min_leaf, carry)
            else:
                p, i = _sweep_class(Xt[f], y, w, S[f], lo, hi, tot[nd], min_leaf, crit, cL)
            if i >= 0 and (p < best[j] or (p == best[j] and rank[j, r] < brank[j])):
                best[j], brank[j], bfeat[j], bpos[j] = p, rank[j, r], f, i
    return bfeat, bpos


@_helper
def _node_stats(
    y: np.ndarray, w: np.ndarray, row: np.ndarray, lo: int, hi: int, nd: int, crit: int,
    ints: np.ndarray, floats: np.ndarray, value: np.ndarray, tot: np.ndarray,
) -> None:  # fmt: skip
    """Record node ``nd`` as a leaf holding the samples ``row[lo:hi]``, with its statistics."""
    ints[nd, LEFT], ints[nd, RIGHT], ints[nd, FEATURE] = -1, -1, -1
    ints[nd, COUNT] = hi - lo
    floats[nd, THRESHOLD] = -2.0
    W, acc = 0.0, 0.0
    tot[nd, :] = 0.0
    for i in range(lo, hi):
        s = row[i]
        W += w[s]
        if crit == SQUARED_ERROR:
            acc += w[s] * y[s]
        else:
            tot[nd, int(y[s])] += w[s]
    if crit == SQUARED_ERROR:
        mean, imp = acc / W, 0.0
        for i in range(lo, hi):
            imp += w[row[i]] * (y[row[i]] - mean) ** 2
        value[nd, 0], floats[nd, IMPURITY] = mean, imp / W
    else:
        W, q, g = 0.0, 0.0, 0.0
        for c in range(tot.shape[1]):
            W, q, g = W + tot[nd, c], q + tot[nd, c] * tot[nd, c], g + _xlogx(tot[nd, c])
        value[nd, :] = tot[nd, :] / W
        floats[nd, IMPURITY] = (W - q / W) / W if crit == GINI else (_xlogx(W) - g) / W
    floats[nd, WEIGHT] = W


@_helper
def _searchable(ints: np.ndarray, floats: np.ndarray, nd: int, depth: int, params: np.ndarray) -> bool:
    """Stopping rules checked before searching node ``nd`` at ``depth``."""
    n = ints[nd, COUNT]
    ok = depth < params[0] and n >= params[2] and n >= 2 * params[3]
    return bool(ok and floats[nd, IMPURITY] > _EPS)


@_helper
def _record(
    Xt: np.ndarray, y: np.ndarray, w: np.ndarray, S: np.ndarray, start: np.ndarray,
    node: np.ndarray, bfeat: np.ndarray, bpos: np.ndarray, crit: int, ints: np.ndarray,
    floats: np.ndarray, value: np.ndarray, tot: np.ndarray, n_nodes: int,
) -> int:  # fmt: skip
    """Split the nodes that found a split: threshold, children ids and the children's
    statistics (left child ``2 r``, right ``2 r + 1`` after ``n_nodes``, r counting splits).
    Returns the new node count."""
    for j in range(node.size):
        f, p = bfeat[j], bpos[j]
        if f < 0:
            continue
        nd, row = node[j], S[f]
        lo, hi = Xt[f, row[p]], Xt[f, row[p + 1]]
        thr = (lo + hi) / 2.0
        if thr >= hi or np.isinf(thr):
            thr = lo
        _node_stats(y, w, row, start[j], p + 1, n_nodes, crit, ints, floats, value, tot)
        _node_stats(y, w, row, p + 1, start[j + 1], n_nodes + 1, crit, ints, floats, value, tot)
        ints[nd, LEFT], ints[nd, RIGHT], ints[nd, FEATURE] = n_nodes, n_nodes + 1, f
        floats[nd, THRESHOLD] = thr
        n_nodes += 2
    return n_nodes


@_helper
def _targets(
    S: np.ndarray, start: np.ndarray, node: np.ndarray, bfeat: np.ndarray, bpos: np.ndarray,
    keep: np.ndarray, ints: np.ndarray, side: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Where each segment's left and right samples go in the next level's ``S``.

    Marks ``side[s]`` (n,) 1 for samples going left. Returns the offsets (n_seg, 2) of the
    left and right child's new segment (-1: the child is not searched further) and the new
    level's node ids.
    """
    dest = np.full((node.size, 2), -1, np.int64)
    new_nodes = np.empty(2 * node.size, np.int64)
    n_new, at = 0, 0
    for j in range(node.size):
        if bfeat[j] < 0:
            continue
        row = S[bfeat[j]]
        for i in range(start[j], start[j + 1]):
            side[row[i]] = i <= bpos[j]
        for c in range(2):
            child = ints[node[j], LEFT + c]
            if keep[child]:
                dest[j, c], at = at, at + ints[child, COUNT]
                new_nodes[n_new], n_new = child, n_new + 1
    return dest, new_nodes[:n_new]


@_helper
def _partition(S: np.ndarray, start: np.ndarray, dest: np.ndarray, side: np.ndarray, n_new: int) -> np.ndarray:
    """Each row of ``S`` (d, N) split stably into the children's segments, shape (d, n_new)."""
    out = np.empty((S.shape[0], n_new), np.int64)
    for f in range(S.shape[0]):
        row, o = S[f], out[f]
        for j in range(dest.shape[0]):
            left, right = dest[j, 0], dest[j, 1]
            if left < 0 and right < 0:
                continue
            for i in range(start[j], start[j + 1]):
                s = row[i]
                if side[s]:
                    if left >= 0:
                        o[left], left = s, left + 1
                elif right >= 0:
                    o[right], right = s, right + 1
    return out


@jit()
def level(
    Xt: np.ndarray, y: np.ndarray, w: np.ndarray, S: np.ndarray, start: np.ndarray,
    node: np.ndarray, perm: np.ndarray, params: np.ndarray, depth: int, ints: np.ndarray,
    floats: np.ndarray, value: np.ndarray, tot: np.ndarray, n_nodes: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:  # fmt: skip
    """Split every node of one level and lay out the next level (call :func:`bind` first).

    Args:
        Xt: feature values, shape (d, n), float64.
        y: class indices or targets, shape (n,), float64; w: sample weights, shape (n,).
        S: per feature, the level's samples sorted within each node's segment, (d, N).
        start: segment offsets, shape (n_seg + 1,); node: the segments' node ids (n_seg,).
        perm: each node's random feature order, shape (n_seg, d).
        params: int64 (max_depth, max_features, min_samples_split, min_samples_leaf, crit).
        depth: the level's depth.
        ints, floats, value, tot: node arrays (module docstring), written in place.
        n_nodes: nodes recorded so far.

    Returns:
        The next level's ``S`` (d, N'), ``start``, ``node`` and the new node count (equal to
        ``n_nodes`` when no node split).
    """
    feat, rank = _candidates(Xt, S, start, perm, params[1])
    crit = params[4]
    bfeat, bpos = _search(Xt, y, w, S, start, node, feat, rank, value, floats, tot, params[3], crit)
    n_new = _record(Xt, y, w, S, start, node, bfeat, bpos, crit, ints, floats, value, tot, n_nodes)
    keep = np.zeros(n_new, np.bool_)
    for nd in range(n_nodes, n_new):
        keep[nd] = _searchable(ints, floats, nd, depth + 1, params)
    side = np.zeros(y.size, np.bool_)
    dest, new_nodes = _targets(S, start, node, bfeat, bpos, keep, ints, side)
    new_start = np.zeros(new_nodes.size + 1, np.int64)
    for i in range(new_nodes.size):
        new_start[i + 1] = new_start[i] + ints[new_nodes[i], COUNT]
    return _partition(S, start, dest, side, new_start[-1]), new_start, new_nodes, n_new


@jit()
def root(
    y: np.ndarray, w: np.ndarray, row: np.ndarray, params: np.ndarray, ints: np.ndarray,
    floats: np.ndarray, value: np.ndarray, tot: np.ndarray,
) -> bool:  # fmt: skip
    """Record the root's statistics from its samples ``row`` (N,); return whether to search
    it (arguments as :func:`level`; call :func:`bind` first)."""
    _node_stats(y, w, row, 0, row.size, 0, params[4], ints, floats, value, tot)
    return _searchable(ints, floats, 0, 0, params)


@jit()
def apply(
    X: np.ndarray, left: np.ndarray, right: np.ndarray, feature: np.ndarray, threshold: np.ndarray
) -> np.ndarray:
    """Leaf reached by each row of ``X`` (n, d); node arrays of shape (n_nodes,); (n,) int64."""
    out = np.empty(X.shape[0], np.int64)
    for i in range(X.shape[0]):
        nd = 0
        while left[nd] >= 0:
            nd = left[nd] if X[i, feature[nd]] <= threshold[nd] else right[nd]
        out[i] = nd
    return out


@jit()
def add_leaf_values(
    X: np.ndarray, left: np.ndarray, right: np.ndarray, feature: np.ndarray,
    threshold: np.ndarray, value: np.ndarray, total: np.ndarray,
) -> None:  # fmt: skip
    """Add to ``total`` (n, m) the ``value`` (n_nodes, m) of the leaf each row of ``X`` reaches."""
    for i in range(X.shape[0]):
        nd = 0
        while left[nd] >= 0:
            nd = left[nd] if X[i, feature[nd]] <= threshold[nd] else right[nd]
        for c in range(value.shape[1]):
            total[i, c] += value[nd, c]


def grow(
    Xt: np.ndarray, y: np.ndarray, w: np.ndarray, order: np.ndarray, params: np.ndarray,
    n_values: int, draw: Callable[[int], np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:  # fmt: skip
    """Grow a tree level by level with :func:`level`; the driver of the kernels.

    Args:
        Xt: feature values, shape (d, n), float64.
        y: class indices or targets, shape (n,), float64; w: weights (n,), float64.
        order: the samples to fit on, sorted by each feature, shape (d, N).
        params: int64 (max_depth, max_features, min_samples_split, min_samples_leaf, crit).
        n_values: classes (1 for regression).
        draw: gives each of a level's n_seg nodes a random feature order, (n_seg, d).

    Returns:
        ``ints`` (n_nodes, 4), ``floats`` (n_nodes, 3), ``value`` (n_nodes, n_values),
        ``tot`` and the depth (module docstring).
    """
    bind()
    cap = 2 * order.shape[1] + 1
    ints = np.empty((cap, 4), np.int64)
    floats = np.empty((cap, 3))
    value, tot = np.empty((cap, n_values)), np.empty((cap, n_values))
    n_nodes, depth = 1, 0
    searched = root(y, w, order[0], params, ints, floats, value, tot)
    S, start, node = order, np.array([0, order.shape[1]]), np.zeros(int(searched), np.int64)
    while node.size:
        args = (params, depth, ints, floats, value, tot, n_nodes)
        S, start, node, n_new = level(Xt, y, w, S, start, node, draw(node.size), *args)
        if n_new == n_nodes:
            break
        n_nodes, depth = n_new, depth + 1
    return ints[:n_nodes], floats[:n_nodes], value[:n_nodes], tot[:n_nodes], depth


__all__ = [
    "COUNT", "ENTROPY", "FEATURE", "GINI", "IMPURITY", "LEFT", "RIGHT", "SQUARED_ERROR",
    "THRESHOLD", "WEIGHT", "add_leaf_values", "apply", "bind", "grow", "level", "root",
]  # fmt: skip
