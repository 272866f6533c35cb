"""Decision-tree kernels: one tree level's split search and partition, and tree traversal.

The NumPy reference (:mod:`scratchgrad.ml._splitter`, :mod:`scratchgrad.ml._criteria`) splits
every node of a level in vectorised passes over (k, N) score arrays; :func:`level` does the
same work in loops, without temporaries: the split search
(:mod:`scratchgrad.kernels._tree_search`) scores each split with the reference's operations in
its order, so both paths grow the same trees. The chosen split partitions every feature's row
of ``S`` stably, so the children's segments stay sorted. :func:`grow` calls :func:`level`
once per depth with the level's random feature orders (drawn as the reference draws them).

Node arrays (row = node id, breadth-first): ``ints`` (cap, 4) int64 holds left child, right
child, feature (-1 at leaves) and sample count; ``floats`` (cap, 3) float64 holds threshold,
impurity and total weight; ``value`` (cap, m) holds class fractions or the mean (m = 1);
``tot`` (cap, m) holds class weights (unused for regression).
"""

# ruff: noqa: N803, N806 - the maths' names: X, Xt, S (sorted samples), W
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scratchgrad.kernels import _tree_search
from scratchgrad.kernels._tree_search import ENTROPY, GINI, SQUARED_ERROR
from scratchgrad.kernels.jit import jit

LEFT, RIGHT, FEATURE, COUNT = 0, 1, 2, 3
"""Columns of the int64 node array."""

THRESHOLD, IMPURITY, WEIGHT = 0, 1, 2
"""Columns of the float64 node array."""

_EPS = float(np.finfo(np.float64).eps)


@jit()
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
        xlogx = _tree_search._xlogx
        W, q, g = 0.0, 0.0, 0.0
        for t in tot[nd]:
            W, q, g = W + t, q + t * t, g + xlogx(t)
        value[nd, :] = tot[nd, :] / W
        floats[nd, IMPURITY] = (W - q / W) / W if crit == GINI else (xlogx(W) - g) / W
    floats[nd, WEIGHT] = W


@jit()
def _searchable(
    ints: np.ndarray, floats: np.ndarray, nd: int, depth: int, params: np.ndarray
) -> bool:
    """Stopping rules checked before searching node ``nd`` at ``depth``."""
    n = ints[nd, COUNT]
    ok = depth < params[0] and n >= params[2] and n >= 2 * params[3]
    return bool(ok and floats[nd, IMPURITY] > _EPS)


@jit()
def _record(
    Xt: np.ndarray, y: np.ndarray, w: np.ndarray, S: np.ndarray, start: np.ndarray,
    node: np.ndarray, bfeat: np.ndarray, bpos: np.ndarray, crit: int, ints: np.ndarray,
    floats: np.ndarray, value: np.ndarray, tot: np.ndarray, n_nodes: int,
) -> int:  # fmt: skip
    """Split the nodes that found one; return the new node count.

    Records each split's threshold and children ids (left ``n_nodes + 2 r``, right the next,
    r counting the splits) and the children's statistics.
    """
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


@jit()
def _targets(
    S: np.ndarray, start: np.ndarray, node: np.ndarray, bfeat: np.ndarray, bpos: np.ndarray,
    keep: np.ndarray, ints: np.ndarray, side: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Where each segment's left and right samples go in the next level's ``S``.

    Sets ``side[s]`` (n,) for the samples of split nodes: 0 to the left child's segment, 1 to
    the right one's, 2 nowhere (a child not searched further). Returns the offsets (n_seg, 2)
    of each node's left and right child's new segment (-1: none) and the new level's node ids.
    """
    dest = np.full((node.size, 2), -1, np.int64)
    new_nodes = np.empty(2 * node.size, np.int64)
    n_new, at = 0, 0
    for j in range(node.size):
        if bfeat[j] < 0:
            continue
        for c in range(2):
            child = ints[node[j], LEFT + c]
            if keep[child]:
                dest[j, c], at = at, at + ints[child, COUNT]
                new_nodes[n_new], n_new = child, n_new + 1
        row, to_left, to_right = (
            S[bfeat[j]],
            0 if dest[j, 0] >= 0 else 2,
            1 if dest[j, 1] >= 0 else 2,
        )
        for i in range(start[j], start[j + 1]):
            side[row[i]] = to_left if i <= bpos[j] else to_right
    return dest, new_nodes[:n_new]


@jit()
def _partition(
    S: np.ndarray, start: np.ndarray, dest: np.ndarray, side: np.ndarray, n_new: int
) -> np.ndarray:
    """Each row of ``S`` (d, N) split stably into the children's segments, shape (d, n_new + 1).

    Branch-free: every sample is written, those going nowhere to the spare last column.
    """
    out = np.empty((S.shape[0], n_new + 1), np.int64)
    for f in range(S.shape[0]):
        row, o = S[f], out[f]
        for j in range(dest.shape[0]):
            left, right = dest[j, 0], dest[j, 1]
            if left < 0 and right < 0:
                continue
            for i in range(start[j], start[j + 1]):
                s = row[i]
                c = side[s]
                o[left if c == 0 else (right if c == 1 else n_new)] = s
                left += c == 0
                right += c == 1
    return out


@jit()
def level(
    Xt: np.ndarray, y: np.ndarray, w: np.ndarray, S: np.ndarray, start: np.ndarray,
    node: np.ndarray, perm: np.ndarray, params: np.ndarray, depth: int, ints: np.ndarray,
    floats: np.ndarray, value: np.ndarray, tot: np.ndarray, n_nodes: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:  # fmt: skip
    """Split every node of one level and lay out the next level (:func:`grow` prepares its helpers).

    Args:
        Xt: feature values, shape (d, n), float64.
        y: class indices or targets, shape (n,), float64.
        w: sample weights, shape (n,), float64.
        S: per feature, the level's samples sorted within each node's segment, (d, N).
        start: segment offsets, shape (n_seg + 1,).
        node: the segments' node ids, shape (n_seg,).
        perm: each node's random feature order, shape (n_seg, d).
        params: int64 (max_depth, max_features, min_samples_split, min_samples_leaf, crit).
        depth: the level's depth.
        ints: int64 node array (cap, 4), written in place (module docstring).
        floats: float64 node array (cap, 3), written in place.
        value: node values (cap, m), written in place.
        tot: class weights per node (cap, m), written in place.
        n_nodes: nodes recorded so far.

    Returns:
        The next level's ``S`` (d, N'), ``start``, ``node`` and the new node count (equal to
        ``n_nodes`` when no node split).
    """
    feat, rank = _tree_search._candidates(Xt, S, start, perm, params[1])
    crit, min_leaf = params[4], params[3]
    args = (node, feat, rank, value, floats, tot, min_leaf, crit)
    bfeat, bpos = _tree_search._search(Xt, y, w, S, start, *args)
    n_new = _record(Xt, y, w, S, start, node, bfeat, bpos, crit, ints, floats, value, tot, n_nodes)
    keep = np.zeros(n_new, np.bool_)
    for nd in range(n_nodes, n_new):
        keep[nd] = _searchable(ints, floats, nd, depth + 1, params)
    side = np.full(y.size, 2, np.int8)
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
    """Record the root's statistics from its samples ``row`` (N,); return whether to search it.

    Arguments as :func:`level`; call it through :func:`grow`.
    """
    _node_stats(y, w, row, 0, row.size, 0, params[4], ints, floats, value, tot)
    return _searchable(ints, floats, 0, 0, params)


@jit()
def apply(
    X: np.ndarray, left: np.ndarray, feature: np.ndarray, threshold: np.ndarray
) -> np.ndarray:
    """Leaf reached by each row of ``X`` (n, d), shape (n,) int64.

    Node arrays have shape (n_nodes,); a right child's id is its left sibling's plus one (as
    both builders number them), so a step needs no branch: ``left + (x > threshold)``. Eight
    rows descend together, so the core overlaps their chains of dependent loads.
    """
    n = X.shape[0]
    out = np.zeros(n, np.int64)
    for b in range(0, n, 8):
        moving = True
        while moving:
            moving = False
            for i in range(b, min(b + 8, n)):
                nd = out[i]
                if left[nd] >= 0:
                    out[i] = left[nd] + (X[i, feature[nd]] > threshold[nd])
                    moving = True
    return out


@jit()
def weighted_rows(order: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The rows of ``order`` (d, n) without the samples of zero weight ``w`` (n,), (d, N)."""
    n_kept = 0
    for s in range(w.size):
        n_kept += w[s] > 0
    d = order.shape[0]
    flat = np.empty(d * n_kept + 1, np.int64)  # branch-free: a dropped sample is overwritten
    for f in range(d):
        at = f * n_kept
        for s in order[f]:
            flat[at] = s
            at += w[s] > 0
    return flat[: d * n_kept].reshape(d, n_kept)


def grow(
    Xt: np.ndarray, y: np.ndarray, w: np.ndarray, order: np.ndarray, params: np.ndarray,
    n_values: int, draw: Callable[[int], np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:  # fmt: skip
    """Grow a tree level by level with :func:`level`; the driver of the kernels.

    Args:
        Xt: feature values, shape (d, n), float64.
        y: class indices or targets, shape (n,), float64.
        w: sample weights, shape (n,), float64.
        order: the samples sorted by each feature, shape (d, n); those of zero weight are
            left out.
        params: int64 (max_depth, max_features, min_samples_split, min_samples_leaf, crit).
        n_values: classes (1 for regression).
        draw: gives each of a level's n_seg nodes a random feature order, (n_seg, d).

    Returns:
        ``ints`` (n_nodes, 4), ``floats`` (n_nodes, 3), ``value`` (n_nodes, n_values),
        ``tot`` and the depth (module docstring).
    """
    order = weighted_rows(order, w)
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
    "THRESHOLD", "WEIGHT", "apply", "grow", "level", "root", "weighted_rows",
]  # fmt: skip
