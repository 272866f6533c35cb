"""Nearest-neighbour selection: the k smallest squared distances of each query, in one pass.

The NumPy reference (:func:`scratchgrad.ml.neighbors._k_smallest`) forms the whole block of
squared distances, partitions it and sorts the k; this kernel reads a tile of dot products
once (a tile of training points at a time, so it stays in cache), turns each into a
squared distance and inserts it among the k best seen so far (ties go to the smaller
training index, as the reference and scikit-learn).
"""

# ruff: noqa: N803  (X-style matrix names)
from __future__ import annotations

from scratchgrad.backend import Array
from scratchgrad.kernels.jit import jit


@jit()
def k_smallest_update(
    D: Array, q_sq: Array, f_sq: Array, start: int, best: Array, where: Array
) -> None:
    """Merge a tile of training points into each query's k nearest so far, in place.

    Args:
        D: dot products of c queries and a tile of t training points, shape (c, t).
        q_sq: squared norms of the queries, shape (c,).
        f_sq: squared norms of the tile's points, shape (t,).
        start: index of the tile's first training point.
        best: squared distances of the k nearest so far, ascending, shape (c, k); +inf
            where none yet.
        where: their training indices, shape (c, k).
    """
    c, t = D.shape
    k = best.shape[1]
    for r in range(c):
        row_best, row_where = best[r], where[r]
        for j in range(t):
            v = max(q_sq[r] - 2.0 * D[r, j] + f_sq[j], 0.0)
            if not v < row_best[k - 1]:
                continue
            pos = k - 1
            while pos > 0 and v < row_best[pos - 1]:  # strict: an equal earlier index stays
                row_best[pos], row_where[pos] = row_best[pos - 1], row_where[pos - 1]
                pos -= 1
            row_best[pos], row_where[pos] = v, start + j


__all__ = ["k_smallest_update"]
