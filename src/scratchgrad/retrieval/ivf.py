"""Approximate search, FAISS's ``IndexIVFFlat``: k-means cells, search only the nearest few.

``train`` runs k-means on sample vectors; the ``nlist`` centroids go into the coarse
quantiser (an exact flat index). ``add`` files each vector in the inverted list of its
nearest centroid. ``search`` asks the quantiser for each query's ``nprobe`` nearest
lists and scores only their vectors, so it scans about ``nprobe / nlist`` of the data;
recall grows with ``nprobe`` (``nprobe = nlist`` is exact).

The lists are stored packed, sorted by list, with offsets. A search batch is scored list
by list: one matrix product per probed list for all the queries that probe it, written
into each query's row of candidates, then ``argpartition`` picks the k best per row.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scratchgrad.ml.cluster import kmeans_plusplus
from scratchgrad.retrieval.flat import BLOCK_ELEMENTS, IndexFlat, IndexFlatL2
from scratchgrad.retrieval.index import (
    METRIC_INNER_PRODUCT,
    METRIC_L2,
    Ids,
    Index,
    Vectors,
    as_vectors,
    empty_result,
    smallest_k,
)


def kmeans(
    x: Vectors, k: int, niter: int = 20, seed: int = 1234, max_points_per_centroid: int = 256
) -> Vectors:
    """Lloyd's k-means as FAISS trains its coarse quantisers: centroids (k, d).

    Seeds with ``scratchgrad.ml``'s greedy k-means++ on a random subsample of 16 k points,
    then runs ``niter`` Lloyd iterations on at most ``max_points_per_centroid * k`` points
    (a random subsample, as FAISS). The assignment step is an exact flat-index search
    (blocked matrix products), so memory stays O(n d), unlike ``scratchgrad.ml.KMeans``
    whose update builds a (k, n) membership matrix. An emptied cluster restarts at a
    random point.

    Raises:
        ValueError: if there are fewer points than clusters.
    """
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    if n < k:
        raise ValueError(f"kmeans: {n} training points for {k} centroids; need at least {k}")
    if n > max_points_per_centroid * k:
        x = x[rng.choice(n, max_points_per_centroid * k, replace=False)]
    seeds = x[rng.choice(x.shape[0], min(x.shape[0], 16 * k), replace=False)]
    weights = np.ones(seeds.shape[0])
    centroids = kmeans_plusplus(seeds, k, weights, np.random.RandomState(seed)).astype(np.float32)
    for _ in range(niter):
        index = IndexFlatL2(x.shape[1])
        index.add(centroids)
        labels = index.search(x, 1)[1][:, 0]
        order = np.argsort(labels, kind="stable")
        counts = np.bincount(labels, minlength=k)
        full = counts > 0
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])[full]
        sums = np.add.reduceat(x[order].astype(np.float64), starts, axis=0)
        centroids[full] = (sums / counts[full, None]).astype(np.float32)
        empty = np.flatnonzero(~full)
        centroids[empty] = x[rng.choice(x.shape[0], empty.size, replace=False)]
    return centroids


class IndexIVFFlat(Index):
    """Inverted-file index with exact vectors in each list (FAISS's name and arguments).

    Args:
        quantizer: a flat index of the same dimension and metric; ``train`` fills it
            with the centroids (if it already holds ``nlist`` vectors, the index counts
            as trained).
        d: the dimension.
        nlist: the number of lists (k-means cells).
        metric: METRIC_L2 or METRIC_INNER_PRODUCT.

    Attributes:
        nprobe: lists searched per query (default 1, as FAISS).
        niter: k-means iterations in ``train``.
    """

    def __init__(self, quantizer: IndexFlat, d: int, nlist: int, metric: int = METRIC_L2):
        super().__init__(d, metric)
        if quantizer.d != d:
            raise ValueError(f"IndexIVFFlat: quantizer has d={quantizer.d}, index d={d}")
        if isinstance(nlist, bool) or not isinstance(nlist, int | np.integer) or nlist < 1:
            raise ValueError(f"IndexIVFFlat: nlist must be an integer >= 1, got {nlist!r}")
        self.quantizer, self.nlist = quantizer, int(nlist)
        self.nprobe, self.niter = 1, 20
        self.is_trained = quantizer.ntotal == self.nlist
        self.reset()

    def reset(self) -> None:
        """Remove every vector; the centroids stay."""
        self.ntotal = 0
        self.codes: Vectors = np.empty((0, self.d), np.float32)  # packed by list
        self.list_ids: Ids = np.empty(0, np.int64)
        self.offsets = np.zeros(self.nlist + 1, np.int64)  # list l: offsets[l]:offsets[l+1]
        self._norms: Vectors = np.empty(0, np.float32)
        self._sizes: Ids = np.zeros(self.nlist, np.int64)

    def train(self, x: Any) -> None:
        """Run k-means on x (n >= nlist, d) and put the centroids in the quantiser."""
        xs = as_vectors(x, self.d, "train")
        centroids = kmeans(xs, self.nlist, self.niter)
        self.quantizer.reset()
        self.quantizer.add(centroids)
        self.is_trained = True

    def add_with_ids(self, x: Any, ids: Any) -> None:
        """File vectors (n, d) with their ids (n,) into their nearest centroid's list."""
        xs, new_ids = self._check_add(x, ids)
        lists = self.quantizer.search(xs, 1)[1][:, 0]
        old = np.repeat(np.arange(self.nlist), np.diff(self.offsets))
        self._pack(
            np.concatenate([self.codes, xs]),
            np.concatenate([self.list_ids, new_ids]),
            np.concatenate([old, lists]),
        )

    def _pack(self, codes: Vectors, ids: Ids, lists: Any) -> None:
        order = np.argsort(lists, kind="stable")
        self.codes, self.list_ids = np.ascontiguousarray(codes[order]), ids[order]
        self.offsets = np.concatenate([[0], np.cumsum(np.bincount(lists, minlength=self.nlist))])
        self._norms = np.einsum("ij,ij->i", self.codes, self.codes)
        self._sizes = np.diff(self.offsets)
        self.ntotal = self.codes.shape[0]

    def search(self, x: Any, k: int) -> tuple[Vectors, Ids]:
        """The k nearest of each query (nq, d) among its ``nprobe`` nearest lists: (D, I)."""
        q = self._check_search(x, k)
        dist, labels = empty_result(q.shape[0], k, self.metric_type)
        nprobe = max(1, min(self.nprobe, self.nlist))
        probes = self.quantizer.search(q, nprobe)[1]  # (nq, nprobe) list numbers
        per_query = max(1, int(self._sizes[probes].sum(axis=1).max()))
        block = max(1, BLOCK_ELEMENTS // per_query)
        for s in range(0, q.shape[0], block):
            d_b, i_b = self._search_block(q[s : s + block], probes[s : s + block], k)
            dist[s : s + block, : d_b.shape[1]] = d_b
            labels[s : s + block, : i_b.shape[1]] = i_b
        return dist, labels

    def _candidates(self, q: Vectors, probes: Ids, starts: Ids) -> Vectors:
        """Each query's keys (smaller is better), (nq, width), inf where it has fewer.

        Query i's probed list j fills columns ``starts[i, j]`` onwards.
        """
        width = max(1, int((starts[:, -1] + self._sizes[probes[:, -1]]).max()))
        keys = np.full(q.shape[0] * width, np.inf, np.float32)
        flat = probes.ravel()
        order = np.argsort(flat, kind="stable")
        bounds = np.flatnonzero(np.diff(flat[order])) + 1
        scale = np.float32(-1.0 if self.metric_type == METRIC_INNER_PRODUCT else -2.0)
        for group in np.split(order, bounds):
            lst = int(flat[group[0]])
            lo, hi = self.offsets[lst], self.offsets[lst + 1]
            if hi == lo:
                continue
            rows = group // probes.shape[1]
            part = (q[rows] * scale) @ self.codes[lo:hi].T  # (queries of this list, size)
            if self.metric_type == METRIC_L2:
                part += self._norms[lo:hi]
            at = (rows * width + starts.ravel()[group])[:, None] + np.arange(hi - lo)
            keys[at] = part
        return keys.reshape(q.shape[0], width)

    def _search_block(self, q: Vectors, probes: Ids, k: int) -> tuple[Vectors, Ids]:
        sizes = self._sizes[probes]  # (nq, nprobe)
        starts = np.cumsum(sizes, axis=1) - sizes
        keys = self._candidates(q, probes, starts)
        cols = smallest_k(keys, k)
        best = np.take_along_axis(keys, cols, axis=1)
        found = np.isfinite(best)
        # column -> (probe slot, place in that list) -> packed position
        slot = (starts[:, None, :] <= cols[:, :, None]).sum(axis=2) - 1
        first = np.take_along_axis(starts, slot, axis=1)
        where = self.offsets[np.take_along_axis(probes, slot, axis=1)] + cols - first
        ids = np.where(found, self.list_ids[np.where(found, where, 0)], -1)
        if self.metric_type == METRIC_L2:
            best = np.maximum(best + np.einsum("ij,ij->i", q, q)[:, None], 0.0)
        else:
            best = 0.0 - best  # no -0.0
        fill = empty_result(1, 1, self.metric_type)[0][0, 0]
        return np.where(found, best, fill).astype(np.float32), ids


__all__ = ["IndexIVFFlat", "kmeans"]
