"""Breadth-first CART growth: all nodes of one depth are split in one vectorised pass.

Layout: ``S`` (d, N) holds, for each feature f, the active samples sorted by feature f within
each node's contiguous segment ``start[j]:start[j + 1]`` (the same offsets in every row). It is
sorted once at the root; children inherit the order through a stable partition (one radix
``argsort`` of child ids per row), so no node re-sorts. A node's candidate features are its
first ``max_features`` non-constant features in a random order drawn per node (level by level,
nodes left to right). The score arrays, shape (k, N), hold one feature per row: with
``max_features < d`` row r holds each node's r-th candidate, else row f is feature f. Ties
between equally good splits go to the candidate earlier in the node's order, then to the lower
threshold.

The split proxies themselves are computed in :mod:`scratchgrad.ml._criteria`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scratchgrad import kernels
from scratchgrad.backend import Array
from scratchgrad.kernels import tree as tree_kernels
from scratchgrad.ml._criteria import _BIG, _Data, _group_stats, _run_proxy, _scores, _Stats
from scratchgrad.ml._tree_arrays import _LEAF, _Params, _Tree

_FEATURE_THRESHOLD = 1e-7  # values closer than this are treated as equal (as scikit-learn)
_EPS = float(np.finfo(np.float64).eps)


@dataclass
class _Level:
    """The nodes of one depth still to be searched, in breadth-first order."""

    S: NDArray[np.intp]  # (d, N) samples sorted per feature within each node's segment
    start: NDArray[np.intp]  # (n_seg + 1,) segment offsets
    node: NDArray[np.intp]  # (n_seg,) node ids
    st: _Stats


def _candidates(data: _Data, lvl: _Level, k: int, rng: np.random.RandomState) -> NDArray[np.intp]:
    """Per node, all features in a random order, non-constant ones first, shape (n_seg, d).

    With ``k == d`` every feature is a candidate and a constant one has no valid split, so
    the plain random order gives the same splits and the constant test is skipped.
    """
    d, n_seg = lvl.S.shape[0], lvl.node.size
    if k >= d:
        out_all: NDArray[np.intp] = np.argsort(rng.random_sample((n_seg, d)), axis=1)
        return out_all
    rows = np.arange(d)[:, None]
    lo = data.Xt[rows, lvl.S[:, lvl.start[:-1]]]  # (d, n_seg)
    hi = data.Xt[rows, lvl.S[:, lvl.start[1:] - 1]]
    perm = np.argsort(rng.random_sample((n_seg, d)), axis=1)  # (n_seg, d)
    r = np.arange(n_seg)[:, None]
    const = (hi - lo <= _FEATURE_THRESHOLD).T[r, perm]
    out: NDArray[np.intp] = perm[r, np.argsort(const, 1, kind="stable")]
    return out


def _search(
    data: _Data, lvl: _Level, params: _Params, rng: np.random.RandomState
) -> tuple[NDArray[np.bool_], NDArray[np.intp], NDArray[np.float64], Array]:
    """Best split of every node of a level.

    Rows of the score arrays are the features in natural order when every feature is a
    candidate, else each node's k candidates in order (row r: the r-th candidate).

    Returns:
        ``ok`` (n_seg,) whether a valid split exists; for those nodes the feature and threshold
        (n_ok,); and per position the sample id on the chosen feature's row and whether it
        goes left, shape (2, N) (ids, flags).
    """
    S, start = lvl.S, lvl.start
    lens = start[1:] - start[:-1]
    (d, N), n_seg = S.shape, lens.size
    seg = np.repeat(np.arange(n_seg), lens)  # (N,)
    cand = _candidates(data, lvl, params.max_features, rng)  # (n_seg, d)
    cols = np.arange(N)
    if params.max_features < d:
        cand = cand[:, : params.max_features]
        rows = cand.T[:, seg]  # (k, N): feature of each row at each position
        samp = np.take(S, rows * N + cols)  # flat indices: cheaper than 2-D indexing
        xs = np.take(data.Xt, rows * data.Xt.shape[1] + samp)
        rank = np.broadcast_to(np.arange(cand.shape[1])[:, None], cand.T.shape)  # row by rank
    else:
        xs = np.take(data.Xt, S + np.arange(d)[:, None] * data.Xt.shape[1])
        samp, rank = S, cand.T  # rank r: row cand[j, r]
    n_left = cols - start[seg] + 1  # samples left of a split after each position, (N,)
    fits = seg[1:] == seg[:-1]  # (N-1,)
    if params.min_leaf > 1:
        fits &= n_left[:-1] >= params.min_leaf
        fits &= lens[seg[:-1]] - n_left[:-1] >= params.min_leaf
    brk = xs[:, 1:] > xs[:, :-1] + _FEATURE_THRESHOLD  # distinct values on either side
    valid = brk & fits
    P = None
    if data.criterion != "squared_error":
        ends = np.ones(samp.shape, dtype=bool)  # last position of each run of equal values
        ends[:, :-1] = brk | ~fits[None, :] if params.min_leaf == 1 else brk | (seg[1:] != seg[:-1])
        n_runs = int(np.count_nonzero(ends))
        if n_runs * data.m <= ends.size:
            P = _run_proxy(data, samp, seg, ends, n_runs, valid, lvl.st)
    if P is None:
        P = _scores(data, samp, seg, start, n_left, lvl.st)[:, :-1] + (~valid) * _BIG
    seg_min = np.minimum.reduceat(P, start[:-1], axis=1)  # (k, n_seg)
    ar = np.arange(n_seg)
    by_rank = seg_min[rank, ar]  # (k, n_seg) rows in candidate order
    r_first = np.argmin(by_rank, axis=0)  # the earliest candidate wins ties
    best = by_rank[r_first, ar]
    r_best = rank[r_first, ar]  # the row holding it
    ok = best < _BIG / 2
    on_best = P[r_best[seg[:-1]], cols[:-1]] == best[seg[:-1]]
    hits = np.flatnonzero(on_best & ok[seg[:-1]])
    pos = hits[np.searchsorted(hits, start[:-1][ok])]  # lowest threshold of the best
    r_ok = r_best[ok]
    lo, hi = xs[r_ok, pos], xs[r_ok, pos + 1]
    thr = (lo + hi) / 2.0
    thr = np.where((thr >= hi) | np.isinf(thr), lo, thr)
    last = np.full(n_seg, -1)
    last[ok] = pos
    chosen = samp[r_best[seg], cols]  # (N,) sample ids along each node's chosen row
    goes_left = cols <= last[seg]
    return ok, cand[ok, r_first[ok]], thr, np.stack([chosen, goes_left])


class _Nodes:
    """Node records, appended a level at a time in breadth-first id order."""

    def __init__(self) -> None:
        self.stats: list[_Stats] = []
        self.splits: list[tuple[Array, Array, Array, Array]] = []  # (ids, left, feat, thr)
        self.n = 0

    def add(self, st: _Stats) -> NDArray[np.intp]:
        """Record new nodes; return their ids."""
        self.stats.append(st)
        ids = np.arange(self.n, self.n + st.count.size)
        self.n += st.count.size
        return ids

    def freeze(self, max_depth: int) -> _Tree:
        """Convert to a :class:`_Tree`."""
        left = np.full(self.n, _LEAF, dtype=np.intp)
        right, feature = left.copy(), left.copy()
        threshold = np.full(self.n, -2.0)
        for ids, first, feat, thr in self.splits:
            left[ids], right[ids], feature[ids], threshold[ids] = first, first + 1, feat, thr
        cat = [
            np.concatenate([getattr(s, a) for s in self.stats])
            for a in ("value", "impurity", "weight", "count")
        ]
        return _Tree(
            left,
            right,
            feature,
            threshold,
            cat[0],
            cat[1],
            cat[2],
            cat[3].astype(np.intp),
            max_depth,
        )


def _searchable(st: _Stats, depth: int, params: _Params) -> NDArray[np.bool_]:
    """Stopping rules checked before searching a split, per node."""
    out: NDArray[np.bool_] = (
        (depth < params.max_depth)
        & (st.count >= params.min_split)
        & (st.count >= 2 * params.min_leaf)
        & (st.impurity > _EPS)
    )
    return out


def _next_level(
    data: _Data, lvl: _Level, nodes: _Nodes, found: tuple[Any, ...], depth: int, params: _Params
) -> _Level:
    """Record the children of the split nodes and partition ``S`` into the searchable ones."""
    ok, feat, thr, (chosen, goes_left) = found
    lens = lvl.start[1:] - lvl.start[:-1]
    rank = np.cumsum(ok) - 1  # index of each split node among the split ones
    seg = np.repeat(np.arange(lens.size), lens)
    active = ok[seg]
    child = 2 * rank[seg[active]] + 1 - goes_left[active]  # left 2r, right 2r + 1
    st = _group_stats(data, chosen[active], child, 2 * int(ok.sum()))
    ids = nodes.add(st)
    nodes.splits.append((lvl.node[ok], ids[0::2], feat, thr))
    keep = _searchable(st, depth + 1, params)
    n_keep = int(keep.sum())
    new_id = np.where(keep, np.cumsum(keep) - 1, n_keep)  # dropped children sort last
    child_of = np.full(data.Xt.shape[1], n_keep)
    child_of[chosen[active]] = new_id[child]
    small = np.uint16 if n_keep < (1 << 16) - 1 else np.intp
    key = child_of.astype(small)[lvl.S]
    N_new = int(st.count[keep].sum())
    order = np.argsort(key, axis=1, kind="stable")[:, :N_new]
    S = np.take(lvl.S, order + np.arange(order.shape[0])[:, None] * lvl.S.shape[1])
    start = np.concatenate([[0], np.cumsum(st.count[keep])])
    return _Level(S, start, ids[keep], st.take(keep))


def presort(X: Array) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """X (n, d) transposed to float64 (d, n), and each feature's stable row order (d, n)."""
    Xt = X.T.astype(np.float64)
    return Xt, np.argsort(Xt, axis=1, kind="stable")


def grow(
    Xt: NDArray[np.float64],
    y: Array,
    w: Array | None,
    criterion: str,
    n_classes: int,
    params: _Params,
    rng: np.random.RandomState,
    order: NDArray[np.intp],
) -> _Tree:
    """Grow a tree breadth first.

    Args:
        Xt: samples transposed, shape (d, n), float64.
        y: class indices or targets, shape (n,).
        w: positive sample weights, shape (n,), or None for ones.
        criterion: "gini", "entropy" or "squared_error".
        n_classes: number of classes (0 for regression).
        params: resolved parameters.
        rng: generator for the per-node feature orders.
        order: the samples sorted by each feature, shape (d, n); from :func:`presort`.
            Samples of zero weight are left out of the tree.

    Returns:
        The fitted :class:`_Tree`.
    """
    if kernels.enabled():  # the same tree, grown by scratchgrad.kernels.tree.level
        return _grow_compiled(Xt, y, w, criterion, n_classes, params, rng, order)
    if w is not None:
        kept = (w > 0)[order]  # (d, n), the same rows kept in every feature's order
        order = order[kept].reshape(order.shape[0], -1)
    if w is not None and criterion != "squared_error" and np.array_equal(w, np.round(w)):
        w = w.astype(np.int64)  # bootstrap counts: the class statistics stay integers
    data = _Data(Xt, y, w, criterion, n_classes)
    n = order.shape[1]
    nodes = _Nodes()
    st = _group_stats(data, order[0], np.zeros(n, dtype=np.intp), 1)
    root = nodes.add(st)
    lvl = _Level(order, np.array([0, n]), root, st)
    depth = 0
    keep = _searchable(st, 0, params)
    if not keep[0]:
        return nodes.freeze(0)
    while lvl.node.size:
        found = _search(data, lvl, params, rng)
        if not found[0].any():
            break
        lvl = _next_level(data, lvl, nodes, found, depth, params)
        depth += 1
    return nodes.freeze(depth)


_CRITERIA = {
    "gini": tree_kernels.GINI,
    "entropy": tree_kernels.ENTROPY,
    "squared_error": tree_kernels.SQUARED_ERROR,
}


def _grow_compiled(
    Xt: NDArray[np.float64],
    y: Array,
    w: Array | None,
    criterion: str,
    n_classes: int,
    params: _Params,
    rng: np.random.RandomState,
    order: NDArray[np.intp],
) -> _Tree:
    """:func:`grow` by the compiled kernels (same arguments, same random draws, same tree)."""
    d = Xt.shape[0]
    settings = (params.max_depth, params.max_features, params.min_split, params.min_leaf)
    ints, floats, value, _, depth = tree_kernels.grow(
        Xt,
        np.asarray(y, dtype=np.float64),
        np.ones(Xt.shape[1]) if w is None else np.asarray(w, dtype=np.float64),
        order,
        np.array([*settings, _CRITERIA[criterion]], dtype=np.int64),
        max(n_classes, 1),
        lambda n_seg: np.argsort(rng.random_sample((n_seg, d)), axis=1),
    )
    k = tree_kernels
    left, right, feature, count = (
        ints[:, c].astype(np.intp) for c in (k.LEFT, k.RIGHT, k.FEATURE, k.COUNT)
    )
    thr, imp, weight = (
        np.ascontiguousarray(floats[:, c]) for c in (k.THRESHOLD, k.IMPURITY, k.WEIGHT)
    )
    return _Tree(left, right, feature, thr, value.copy(), imp, weight, count, depth)
