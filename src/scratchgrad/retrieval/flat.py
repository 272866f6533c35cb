"""Exact search, FAISS's ``IndexFlatL2`` and ``IndexFlatIP``: every stored vector is scored.

Queries are scored in blocks by one matrix product each (BLAS), and the best k of each
row are picked by ``argpartition`` in linear time. Squared L2 distances are computed as
``||x||^2 - 2 q.x + ||q||^2`` with the stored norms kept, and clipped at 0.

>>> import numpy as np
>>> index = IndexFlatL2(2)
>>> index.add(np.array([[0, 0], [3, 4], [1, 0]], dtype=np.float32))
>>> index.search(np.array([[0, 0]], dtype=np.float32), 2)
(array([[0., 1.]], dtype=float32), array([[0, 2]]))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scratchgrad.retrieval.index import (
    METRIC_INNER_PRODUCT,
    METRIC_L2,
    Ids,
    Index,
    Vectors,
    empty_result,
    smallest_k,
)

BLOCK_ELEMENTS = 1 << 22  # scores computed at once: 16 MiB of float32


class IndexFlat(Index):
    """Exact search under a metric; every vector is kept as given.

    Unlike FAISS's flat indexes (which need an ``IndexIDMap`` around them for it), this
    one also takes ``add_with_ids``.

    Args:
        d: the dimension.
        metric: METRIC_L2 or METRIC_INNER_PRODUCT.
    """

    def __init__(self, d: int, metric: int = METRIC_L2) -> None:
        super().__init__(d, metric)
        self._xb: Vectors = np.empty((0, self.d), np.float32)
        self._norms: Vectors = np.empty(0, np.float32)  # squared, for L2
        self._ids: Ids = np.empty(0, np.int64)

    def add_with_ids(self, x: Any, ids: Any) -> None:
        """Add vectors (n, d) with their int64 ids (n,)."""
        xs, ids = self._check_add(x, ids)
        n = self.ntotal + xs.shape[0]
        if n > self._xb.shape[0]:  # grow by doubling: adding in pieces stays linear
            cap = max(n, 2 * self._xb.shape[0])
            self._xb = _grown(self._xb, cap, self.ntotal)
            self._norms = _grown(self._norms, cap, self.ntotal)
            self._ids = _grown(self._ids, cap, self.ntotal)
        self._xb[self.ntotal : n] = xs
        self._norms[self.ntotal : n] = np.einsum("ij,ij->i", xs, xs)
        self._ids[self.ntotal : n] = ids
        self.ntotal = n

    def reconstruct_n(self, i0: int = 0, n: int | None = None) -> Vectors:
        """The stored vectors i0 .. i0 + n - 1 (in the order added), (n, d)."""
        end = self.ntotal if n is None else min(self.ntotal, i0 + n)
        return self._xb[i0:end].copy()

    @property
    def ids(self) -> Ids:
        """The stored ids, in the order added, (ntotal,)."""
        return self._ids[: self.ntotal]

    def reset(self) -> None:
        """Remove every vector."""
        IndexFlat.__init__(self, self.d, self.metric_type)

    def search(self, x: Any, k: int) -> tuple[Vectors, Ids]:
        """The k nearest of each query (nq, d): (D, I), both (nq, k), best first.

        Returns:
            D: squared L2 distances ascending (IndexFlatL2) or inner products descending
                (IndexFlatIP); I: the ids; -1 (and -+FLT_MAX) where fewer than k exist.
        """
        q = self._check_search(x, k)
        dist, labels = empty_result(q.shape[0], k, self.metric_type)
        if self.ntotal == 0:
            return dist, labels
        block = max(1, BLOCK_ELEMENTS // self.ntotal)
        for s in range(0, q.shape[0], block):
            d_b, i_b = self._search_block(q[s : s + block], k)
            dist[s : s + block, : d_b.shape[1]] = d_b
            labels[s : s + block, : i_b.shape[1]] = i_b
        return dist, labels

    def _search_block(self, q: Vectors, k: int) -> tuple[Vectors, Ids]:
        """Keys (smaller is better) by one product: -q.x, or ||x||^2 - 2 q.x for L2."""
        xb = self._xb[: self.ntotal]
        ip = self.metric_type == METRIC_INNER_PRODUCT
        keys = np.asarray((q * np.float32(-1.0 if ip else -2.0)) @ xb.T, np.float32)  # (nq, n)
        if not ip:
            keys += self._norms[: self.ntotal]
        cols = smallest_k(keys, k)
        best = np.take_along_axis(keys, cols, axis=1)
        if ip:
            np.negative(best, out=best)
            best += 0.0  # -0.0 -> 0.0
        else:
            best += np.einsum("ij,ij->i", q, q)[:, None]
            np.maximum(best, 0.0, out=best)
        return best, self._ids[cols]


def _grown(a: Any, capacity: int, used: int) -> Any:
    out = np.empty((capacity, *a.shape[1:]), a.dtype)
    out[:used] = a[:used]
    return out


class IndexFlatL2(IndexFlat):
    """Exact search by squared Euclidean distance (FAISS's name).

    Args:
        d: the dimension.
    """

    def __init__(self, d: int) -> None:
        super().__init__(d, METRIC_L2)


class IndexFlatIP(IndexFlat):
    """Exact search by inner product, largest first (cosine on L2-normalised vectors).

    Args:
        d: the dimension.
    """

    def __init__(self, d: int) -> None:
        super().__init__(d, METRIC_INNER_PRODUCT)


__all__ = ["IndexFlat", "IndexFlatIP", "IndexFlatL2"]
