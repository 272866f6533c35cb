"""What every index shares, FAISS's way: dimension, metric, ids, and top-k selection.

Conventions are FAISS's: vectors are float32 rows (n, d); ``search(xq, k)`` returns
``(D, I)``, both (nq, k), best first, where D holds *squared* L2 distances (ascending)
or inner products (descending) and I the ids (int64). When fewer than k vectors can be
returned, the rest of a row is id -1 with distance +FLT_MAX (L2) or -FLT_MAX (IP).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

METRIC_INNER_PRODUCT = 0
METRIC_L2 = 1
_FLT_MAX = float(np.finfo(np.float32).max)

Vectors = NDArray[np.float32]
Ids = NDArray[np.int64]


def as_vectors(x: Any, d: int, what: str) -> Vectors:
    """``x`` as a C-contiguous float32 (n, d) array.

    Raises:
        ValueError: if it is not 2-D with d columns.
    """
    a = np.ascontiguousarray(x, dtype=np.float32)
    if a.ndim != 2 or a.shape[1] != d:
        raise ValueError(f"{what}: vectors must be (n, d={d}), got shape {a.shape}")
    return a


def as_ids(ids: Any, n: int) -> Ids:
    """``ids`` as an int64 (n,) array.

    Raises:
        ValueError: if it does not hold one id per vector.
    """
    a = np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)
    if a.shape[0] != n:
        raise ValueError(f"add_with_ids: {a.shape[0]} ids for {n} vectors")
    return a


def empty_result(nq: int, k: int, metric: int) -> tuple[Vectors, Ids]:
    """(D, I) of shape (nq, k) filled with FAISS's "nothing here": -1 and -+FLT_MAX."""
    fill = _FLT_MAX if metric == METRIC_L2 else -_FLT_MAX
    return np.full((nq, k), fill, np.float32), np.full((nq, k), -1, np.int64)


def smallest_k(keys: NDArray[np.float32], k: int) -> NDArray[np.intp]:
    """Columns of the k smallest entries of each row, smallest first, (nq, min(k, n)).

    ``argpartition`` picks them in linear time and only those k are sorted; ties go to
    the lower column. For "largest", pass the negated scores.

    Args:
        keys: (nq, n) distances (or negated similarities).
        k: how many to keep.
    """
    n = keys.shape[1]
    if k < n:
        cols = np.argpartition(keys, k - 1, axis=1)[:, :k]
        picked = np.take_along_axis(keys, cols, axis=1)
    else:
        cols, picked = np.broadcast_to(np.arange(n), keys.shape), keys
    order = np.lexsort((cols, picked), axis=1)  # by key, then column
    out: NDArray[np.intp] = np.take_along_axis(cols, order, axis=1)
    return out


class Index:
    """The base of every index: dimension, metric, count, and argument checks.

    Args:
        d: the vectors' dimension.
        metric: METRIC_L2 (squared Euclidean distance) or METRIC_INNER_PRODUCT.

    Attributes:
        d: the dimension.
        metric_type: the metric.
        ntotal: how many vectors the index holds.
        is_trained: whether ``add`` and ``search`` may be called (exact indexes: always).
    """

    def __init__(self, d: int, metric: int = METRIC_L2) -> None:
        if isinstance(d, bool) or not isinstance(d, int | np.integer) or d < 1:
            raise ValueError(f"{type(self).__name__}: d must be an integer >= 1, got {d!r}")
        if metric not in (METRIC_L2, METRIC_INNER_PRODUCT):
            raise ValueError(f"{type(self).__name__}: unknown metric {metric!r}")
        self.d = int(d)
        self.metric_type = metric
        self.ntotal = 0
        self.is_trained = True

    def train(self, x: Any) -> None:
        """Learn what the index needs from sample vectors (n, d); exact indexes need nothing."""
        as_vectors(x, self.d, "train")

    def add(self, x: Any) -> None:
        """Add vectors (n, d); their ids are ntotal, ntotal + 1, ..."""
        n = np.shape(x)[0] if np.ndim(x) else 0
        self.add_with_ids(x, np.arange(self.ntotal, self.ntotal + n))

    def add_with_ids(self, x: Any, ids: Any) -> None:
        """Add vectors (n, d) with their own int64 ids (n,)."""
        raise NotImplementedError

    def search(self, x: Any, k: int) -> tuple[Vectors, Ids]:
        """The k nearest stored vectors of each query (nq, d): (D, I), both (nq, k)."""
        raise NotImplementedError

    def reset(self) -> None:
        """Remove every vector (a trained index stays trained)."""
        raise NotImplementedError

    def _check_search(self, x: Any, k: int) -> Vectors:
        if not self.is_trained:
            raise RuntimeError(f"{type(self).__name__}: train the index before search")
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
            raise ValueError(f"search: k must be an integer >= 1, got {k!r}")
        return as_vectors(x, self.d, "search")

    def _check_add(self, x: Any, ids: Any) -> tuple[Vectors, Ids]:
        if not self.is_trained:
            raise RuntimeError(f"{type(self).__name__}: train the index before add")
        xs = as_vectors(x, self.d, "add")
        return xs, as_ids(ids, xs.shape[0])


__all__ = [
    "METRIC_INNER_PRODUCT",
    "METRIC_L2",
    "Index",
    "as_ids",
    "as_vectors",
    "empty_result",
    "smallest_k",
]
