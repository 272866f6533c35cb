"""Split proxies of CART criteria for every position of every node of a level at once.

Scores are split proxies (lower is better; they differ from the children's summed weighted
impurity by a per-node constant), built from segmented prefix sums along each row:

- squared error: ``-s**2 (1/w_L + 1/w_R)``, ``s`` the left sum of weighted targets centred on
  the node mean;
- gini: ``-(q_L/w_L + q_R/w_R)``, ``q = sum_c n_c**2``; a sample of weight w adds
  ``w (2 p + w)`` to ``q_L``, p being the weight of earlier samples of its class in the node
  (read off a stable sort of (node, class) keys); with integer weights this is exact;
- entropy: ``g(w_L) - sum_c g(n_c, L) + (the same on the right)``, ``g(x) = x log2 x``,
  accumulated the same way.

Classification levels whose features have few distinct values (runs of equal values, between
which alone a split can fall, number at most N / n_classes) take a cheaper route: class counts
per run (one ``bincount``), accumulated over each node's runs (:func:`_run_proxy`); with integer
weights its gini proxies equal the per-position ones bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scratchgrad.backend import Array

_BIG = 1e300  # added to the proxy of invalid positions (cheaper than np.where with inf)


@dataclass
class _Data:
    """Training data in the builder's layout.

    Attributes:
        Xt: feature values, shape (d, n), float64.
        y: class indices (intp) or targets (float64), shape (n,).
        w: sample weights, shape (n,), or None when all are 1.
        criterion: "gini", "entropy" or "squared_error".
        m: number of classes (0 for regression).
    """

    Xt: NDArray[np.float64]
    y: Array
    w: Array | None
    criterion: str
    m: int


@dataclass
class _Stats:
    """Per-node statistics of a group of nodes (n_g of them).

    Attributes:
        count: samples per node, shape (n_g,).
        totals: class weights (n_g, m), or (W, mean) per node (n_g, 2) for regression.
        counts: class sample counts (n_g, m); equal to totals when unweighted (unused for
            regression).
        value: class fractions (n_g, m) or means (n_g, 1).
        impurity: shape (n_g,).
        weight: total weight, shape (n_g,).
    """

    count: Array
    totals: Array
    counts: Array
    value: Array
    impurity: Array
    weight: Array

    def take(self, keep: NDArray[np.bool_]) -> _Stats:
        """The nodes where ``keep`` (n_g,) is True."""
        c, t, n, v, i, w = (
            self.count,
            self.totals,
            self.counts,
            self.value,
            self.impurity,
            self.weight,
        )
        return _Stats(c[keep], t[keep], n[keep], v[keep], i[keep], w[keep])


def _xlogx(a: Array) -> Array:
    """Elementwise ``a * log2(a)`` with ``0 log 0 = 0``."""
    safe = np.where(a > 0, a, 1.0)
    out: Array = np.where(a > 0, a * np.log2(safe), 0.0)
    return out


def _group_stats(data: _Data, samp: NDArray[np.intp], g: NDArray[np.intp], n_g: int) -> _Stats:
    """Statistics of ``n_g`` nodes from their samples ``samp`` (M,) and node index ``g`` (M,)."""
    count = np.bincount(g, minlength=n_g)
    w = None if data.w is None else data.w[samp]
    if data.criterion == "squared_error":
        y = data.y[samp]
        W = count.astype(np.float64) if w is None else np.bincount(g, w, n_g)
        mean = np.bincount(g, y if w is None else w * y, n_g) / W
        dev = (y - mean[g]) ** 2  # two passes for an accurate variance
        imp = np.bincount(g, dev if w is None else w * dev, n_g) / W
        return _Stats(count, np.stack([W, mean], 1), W[:, None], mean[:, None], imp, W)
    m = data.m
    key = g * m + data.y[samp]
    C = np.bincount(key, minlength=n_g * m).reshape(n_g, m).astype(np.float64)
    T = C if w is None else np.bincount(key, w, n_g * m).reshape(n_g, m)
    W = T.sum(1)
    if data.criterion == "gini":
        imp = (W - np.sum(T * T, axis=1) / W) / W
    else:
        imp = (_xlogx(W) - _xlogx(T).sum(axis=1)) / W
    return _Stats(count, T, C, T / W[:, None], imp, W)


def _seg_cumsum(a: Array, start: NDArray[np.intp], lens: NDArray[np.intp]) -> Array:
    """Inclusive prefix sums of ``a`` (k, N) restarting at every segment start."""
    cs = np.cumsum(a, axis=1)
    base = np.zeros((a.shape[0], start.size - 1), dtype=cs.dtype)
    base[:, 1:] = cs[:, start[1:-1] - 1]
    cs -= np.repeat(base, lens, axis=1)
    return cs


def _prev_same_class(key: NDArray[np.intp], ws: Array | None, totals: Array) -> Array:
    """Weight of earlier samples of the same (node, class) in each row, shape (k, N)."""
    small = key.dtype if totals.size >= 1 << 16 else np.uint16
    order = np.argsort(key.astype(small), axis=1, kind="stable")  # radix sort when uint16
    k, n = key.shape
    r = np.arange(k)[:, None]
    prev = np.empty((k, n), dtype=totals.dtype)
    if ws is None:
        np.put(prev, order + r * n, np.broadcast_to(np.arange(n), (k, n)))
    else:
        flat = order + r * n  # flat indices: 1-D gathers are much cheaper than 2-D ones
        sw = np.take(ws, flat)
        np.put(prev, flat, np.cumsum(sw, axis=1) - sw)
    flat = totals.ravel()
    prev -= (np.cumsum(flat) - flat)[key]  # minus the weight before the group in sorted order
    return prev


def _nonzero(a: Array) -> Array:
    """``a`` with zeros replaced by ones (the segment ends, masked later): no inf, no warning."""
    out: Array = a + (a == 0)
    return out


def _scores(
    data: _Data,
    samp: NDArray[np.intp],
    seg: NDArray[np.intp],
    start: NDArray[np.intp],
    n_left: NDArray[np.intp],
    st: _Stats,
) -> Array:
    """Split proxies after each position, shape (k, N); garbage at segment ends.

    Args:
        data: the training data.
        samp: sample ids per row and position, shape (k, N).
        seg: node segment of each position, shape (N,).
        start: segment offsets, shape (n_seg + 1,).
        n_left: samples up to each position in its segment, shape (N,).
        st: statistics of the level's nodes.
    """
    lens = start[1:] - start[:-1]
    ws = None if data.w is None else data.w[samp]
    if ws is None:
        wL: Array = n_left
    else:
        wL = _seg_cumsum(ws, start, lens)
    wR = _nonzero(st.weight.astype(wL.dtype)[seg] - wL)
    if data.criterion == "squared_error":
        yc = data.y[samp] - st.totals[seg, 1]
        s = _seg_cumsum(yc if ws is None else ws * yc, start, lens)
        out: Array = -s * s * (1.0 / wL + 1.0 / wR)
        return out
    exact = ws is None or ws.dtype.kind == "i"  # integer weights: exact integer arithmetic
    totals = st.totals.astype(np.int64) if exact else st.totals
    key = seg * data.m + data.y[samp]  # (k, N)
    prev = _prev_same_class(key, ws, totals)
    Tc = totals.ravel()[key]  # this sample's class total in its node
    w: Any = 1 if ws is None else ws
    if data.criterion == "gini":
        prev *= 2
        prev += w
        if ws is not None:
            prev *= ws
            Tc *= ws
        qL = _seg_cumsum(prev, start, lens)  # sum over the left of w (2 p + w)
        qR = _seg_cumsum(Tc, start, lens)
        qR *= -2
        qR += qL
        qR += np.sum(totals * totals, axis=1)[seg]
        out = qL / wL
        out += qR / wR
        return np.negative(out, out=out)
    gL = _seg_cumsum(_xlogx(prev + w) - _xlogx(prev), start, lens)
    after = np.maximum(Tc - prev - w, 0.0)
    gR = _xlogx(totals).sum(axis=1)[seg] + _seg_cumsum(
        _xlogx(after) - _xlogx(np.maximum(Tc - prev, 0.0)), start, lens
    )
    out = _xlogx(wL) - gL + _xlogx(wR) - gR
    return out


def _run_proxy(
    data: _Data,
    samp: Array,
    seg: Array,
    ends: Array,
    n_runs: int,
    valid: Array,
    st: _Stats,
) -> Array:
    """Classification proxies from class counts per run of equal values, shape (k, N-1).

    Splits fall only between runs, so when there are few runs (few distinct values) the left
    class counts are summed per run (one ``bincount``) and accumulated over the runs of each
    node, instead of per position. With integer weights the gini proxies equal those of
    :func:`_scores` bit for bit. Invalid positions get ``_BIG``.

    Args:
        data: the training data.
        samp: sample ids per row and position, shape (k, N).
        seg: node segment of each position, shape (N,).
        ends: True at the last position of each run, shape (k, N).
        n_runs: number of runs (``ends.sum()``).
        valid: whether a split after each position is allowed, shape (k, N-1).
        st: statistics of the level's nodes.
    """
    k, N = ends.shape
    m = data.m
    flat = ends.ravel()
    rid = np.cumsum(flat) - flat  # run of every position, row-major, (k*N,)
    cls = rid * m + data.y[samp].ravel()
    w = None if data.w is None else data.w[samp].ravel()
    cnt = np.bincount(cls, w, n_runs * m).reshape(n_runs, m)  # class weights per run
    if data.w is None or data.w.dtype.kind == "i":
        cnt = cnt.astype(np.int64)
    at = np.flatnonzero(flat)  # flat position of each run's end
    row, col = np.divmod(at, N)
    group = row * st.count.size + seg[col]  # (row, node) of each run
    first = np.ones(n_runs, dtype=bool)
    first[1:] = group[1:] != group[:-1]
    cum = np.cumsum(cnt, axis=0)
    excl = cum - cnt
    cL = cum - excl[np.maximum.accumulate(np.where(first, np.arange(n_runs), 0))]
    T = st.totals[seg[col]]
    if cL.dtype.kind == "i":
        T = T.astype(np.int64)
    cR = T - cL
    wL, wR = _nonzero(cL.sum(1)), _nonzero(cR.sum(1))
    if data.criterion == "gini":
        proxy = np.sum(cL * cL, axis=1) / wL
        proxy += np.sum(cR * cR, axis=1) / wR
        proxy = -proxy
    else:
        proxy = _xlogx(wL) - _xlogx(cL).sum(1) + _xlogx(wR) - _xlogx(cR).sum(1)
    P = np.full((k, N - 1), _BIG)
    inner = col < N - 1
    row, col, proxy = row[inner], col[inner], proxy[inner]
    ok = valid[row, col]
    P[row[ok], col[ok]] = proxy[ok]
    return P
