"""Train / validation / test splits: seeded, optionally stratified by class (curriculum A2).

Fit a model on the train split, tune its hyperparameters on the validation split, and
judge it once, at the end, on the test split. A split is decided by index arrays, so the
same split applies to every array of a data set (inputs, labels, weights ...).

Sizes come from fractions by the largest-remainder rule: each split gets
``floor(n * fraction)`` samples and the samples left over go to the splits with the
largest fractional parts, so the three sizes always add up to ``n``.

A stratified split keeps each class's share in every split: class ``c`` with ``n_c``
samples puts ``floor`` or ``ceil`` of ``n_c * size / n`` samples into a split of ``size``
samples (within one sample of its exact share), and at least one sample into every split.
The split sizes are those of the unstratified split whenever the classes allow it (a
maximum flow finds the rounding); only when several tiny classes make that impossible
does a split get a sample or two more, and another fewer.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any, TypeVar, overload

import numpy as np
from numpy.typing import NDArray

from scratchgrad.data import hygiene
from scratchgrad.random import Generator
from scratchgrad.tensor import Tensor

Indices = NDArray[np.int64]
Counts = NDArray[np.int64]
SplitIndices = tuple[Indices, Indices, Indices]
DEFAULT_FRACTIONS = (0.7, 0.15, 0.15)
SPLIT_NAMES = ("train", "val", "test")

A = TypeVar("A", Tensor, NDArray[Any])
B = TypeVar("B", Tensor, NDArray[Any])


# ------------------------------------------------------------------------------- sizes
def _sizes_from_fractions(n: int, fractions: Sequence[float]) -> list[int]:
    """Largest remainder: floors first, then one more for the largest fractional parts."""
    f = np.asarray(fractions, dtype=np.float64)
    if f.shape != (3,) or not np.all(np.isfinite(f)) or np.any(f < 0):
        raise ValueError(
            f"split: fractions must be three numbers >= 0 (train, val, test), got {fractions}"
        )
    if abs(f.sum() - 1.0) > 1e-6:
        raise ValueError(f"split: fractions {tuple(fractions)} sum to {f.sum():g}, not 1")
    exact = n * f / f.sum()
    sizes = np.floor(exact).astype(np.int64)
    by_remainder = np.argsort(-(exact - sizes), kind="stable")
    sizes[by_remainder[: n - int(sizes.sum())]] += 1
    return [int(s) for s in sizes]


def _check_sizes(n: int, sizes: Sequence[int]) -> list[int]:
    if len(sizes) != 3 or not all(isinstance(s, int | np.integer) for s in sizes):
        raise ValueError(f"split: sizes must be three ints (train, val, test), got {sizes}")
    if sum(sizes) != n:
        raise ValueError(f"split: sizes {tuple(sizes)} sum to {sum(sizes)}, not {n} samples")
    return [int(s) for s in sizes]


def split_sizes(
    n: int, fractions: Sequence[float] | None = None, sizes: Sequence[int] | None = None
) -> tuple[int, int, int]:
    """The number of samples in each of train, val and test.

    Args:
        n: samples in all.
        fractions: shares of train, val and test, summing to 1 (default 0.7, 0.15, 0.15).
        sizes: the three sizes themselves, summing to ``n`` (instead of ``fractions``).

    Returns:
        (n_train, n_val, n_test), adding up to ``n``.

    Raises:
        ValueError: for both or malformed ``fractions``/``sizes``, fractions that do not sum
            to 1, sizes that do not sum to ``n``, or a split that would be empty.

    >>> split_sizes(10)
    (7, 2, 1)
    >>> split_sizes(100, sizes=(80, 10, 10))
    (80, 10, 10)
    """
    if fractions is not None and sizes is not None:
        raise ValueError("split: give fractions or sizes, not both")
    if sizes is not None:
        out = _check_sizes(n, sizes)
    else:
        out = _sizes_from_fractions(n, DEFAULT_FRACTIONS if fractions is None else fractions)
    for name, size in zip(SPLIT_NAMES, out, strict=True):
        if size <= 0:
            raise ValueError(
                f"split: the {name} split would be empty: sizes {tuple(out)} of {n} samples"
            )
    return out[0], out[1], out[2]


# ------------------------------------------------------------------- stratification
def _lower_bounds(
    n_c: Counts, sizes: Sequence[int], names: Sequence[Any]
) -> tuple[Counts, Counts, Counts]:
    """Per class and split: floor of the exact share, but at least 1. -> ((K, 3), (K, 3))."""
    share = np.outer(n_c, sizes)  # (K, 3); the exact share is share / n
    n = int(sum(sizes))
    lo = np.maximum(share // n, 1)
    hi = np.maximum(-(-share // n), 1)
    too_small = np.flatnonzero(lo.sum(axis=1) > n_c)
    if too_small.size:
        c = int(too_small[0])
        raise ValueError(
            f"stratify: class {names[c]!r} has {n_c[c]} samples, too few to appear in every "
            f"split of sizes {tuple(sizes)} while keeping its share"
        )
    col_left = np.asarray(sizes) - lo.sum(axis=0)
    short = np.flatnonzero(col_left < 0)
    if short.size:
        s = int(short[0])
        raise ValueError(
            f"stratify: the {SPLIT_NAMES[s]} split has {sizes[s]} samples, too few to hold "
            f"every one of the {len(n_c)} classes in its share"
        )
    return lo, hi - lo, col_left


def _augment(start: int, extra: Counts, cap: Counts, col_left: Counts, slack: int) -> bool:
    """Give row ``start`` one more sample, moving others along a path of rows (BFS).

    A column may take ``slack`` samples beyond its size (0: sizes stay exact).
    """
    parent: dict[int, tuple[int, int]] = {}  # row -> (row it came from, column between)
    queue, seen_rows, seen_cols = deque([start]), {start}, set()
    while queue:
        r = queue.popleft()
        for s in np.flatnonzero(extra[r] < cap[r]).tolist():
            if s in seen_cols:
                continue
            seen_cols.add(s)
            if col_left[s] > -slack:
                _apply_path(start, r, s, parent, extra, col_left)
                return True
            for r2 in np.flatnonzero(extra[:, s] > 0).tolist():
                if r2 not in seen_rows:
                    seen_rows.add(r2)
                    parent[r2] = (r, s)
                    queue.append(r2)
    return False


def _apply_path(
    start: int, r: int, s: int, parent: dict[int, tuple[int, int]], extra: Counts, col_left: Counts
) -> None:
    extra[r, s] += 1
    col_left[s] -= 1
    while r != start:
        prev, s_prev = parent[r]
        extra[r, s_prev] -= 1  # r gives up its place in column s_prev ...
        extra[prev, s_prev] += 1  # ... to the row it was reached from
        r = prev


def _class_split_counts(
    n_c: NDArray[np.int64], sizes: Sequence[int], names: Sequence[Any]
) -> NDArray[np.int64]:
    """Samples of each class in each split: rows sum to n_c, columns to sizes. -> (K, 3)."""
    lo, cap, col_left = _lower_bounds(n_c, sizes, names)
    extra = np.zeros_like(lo)
    for c in range(len(n_c)):
        for _ in range(int(n_c[c] - lo[c].sum())):
            slack = 0  # exact sizes if at all possible (then no path needs slack) ...
            while not _augment(c, extra, cap, col_left, slack):
                slack += 1  # ... else the fewest extra samples in a split
    counts: NDArray[np.int64] = (lo + extra).astype(np.int64)
    return counts


def stratified_indices(
    labels: Tensor | NDArray[Any],
    sizes: Sequence[int],
    *,
    seed: int | None = 0,
    shuffle: bool = True,
) -> SplitIndices:
    """Train, val and test indices that keep every class's share in every split.

    Args:
        labels: class labels, shape (N,), any comparable dtype.
        sizes: samples per split, (n_train, n_val, n_test) summing to N.
        seed: seeds the shuffle; None draws fresh randomness.
        shuffle: pick each class's samples at random (else in order, each split sorted).

    Returns:
        Three int64 index arrays, disjoint, together covering range(N).

    Raises:
        ValueError: if a class is too small to appear in every split (the message names
            it), or a split is too small to hold every class.

    >>> y = np.array([0] * 8 + [1] * 4)
    >>> tr, va, te = stratified_indices(y, (6, 3, 3))
    >>> [np.bincount(y[i]).tolist() for i in (tr, va, te)]
    [[4, 2], [2, 1], [2, 1]]
    """
    y = labels.array if isinstance(labels, Tensor) else np.asarray(labels)
    names, codes = np.unique(y, return_inverse=True)
    counts = _class_split_counts(np.bincount(codes).astype(np.int64), sizes, names.tolist())
    rng = Generator(seed).numpy
    parts: list[list[Indices]] = [[], [], []]
    for c in range(len(names)):
        members = np.flatnonzero(codes == c).astype(np.int64)
        if shuffle:
            members = rng.permutation(members)
        bounds = np.cumsum([0, *counts[c]])
        for s in range(3):
            parts[s].append(members[bounds[s] : bounds[s + 1]])
    out = [np.concatenate(p) for p in parts]
    out = [rng.permutation(i) if shuffle else np.sort(i) for i in out]
    return out[0], out[1], out[2]


# ------------------------------------------------------------------------ the split
def _check_labels(stratify: Tensor | NDArray[Any], n: int) -> NDArray[Any]:
    y = stratify.array if isinstance(stratify, Tensor) else np.asarray(stratify)
    if y.ndim != 1 or len(y) != n:
        raise ValueError(
            f"stratify: labels must have shape ({n},), one class per sample, got {y.shape}"
        )
    return y


def split_indices(
    n: int,
    *,
    fractions: Sequence[float] | None = None,
    sizes: Sequence[int] | None = None,
    stratify: Tensor | NDArray[Any] | None = None,
    seed: int | None = 0,
    shuffle: bool = True,
) -> SplitIndices:
    """Index arrays of a train / val / test split of ``n`` samples.

    Args:
        n: samples in all.
        fractions: shares of train, val and test (default 0.7, 0.15, 0.15).
        sizes: the three sizes, summing to ``n`` (instead of ``fractions``).
        stratify: class labels, shape (n,): keep each class's share in every split.
        seed: seeds the shuffle; None draws fresh randomness.
        shuffle: a random split; else train is the first block, then val, then test.

    Returns:
        (train, val, test) int64 index arrays, disjoint, together covering range(n).

    >>> [i.tolist() for i in split_indices(5, sizes=(3, 1, 1), shuffle=False)]
    [[0, 1, 2], [3], [4]]
    """
    n_split = split_sizes(n, fractions, sizes)
    if stratify is not None:
        return stratified_indices(_check_labels(stratify, n), n_split, seed=seed, shuffle=shuffle)
    order = Generator(seed).numpy.permutation(n) if shuffle else np.arange(n)
    tr, va = n_split[0], n_split[0] + n_split[1]
    order = order.astype(np.int64)
    return order[:tr], order[tr:va], order[va:]


def _take(x: Any, idx: Indices) -> Any:
    return Tensor(x.array[idx]) if isinstance(x, Tensor) else x[idx]


@overload
def train_val_test_split(
    a: A,
    /,
    *,
    fractions: Sequence[float] | None = None,
    sizes: Sequence[int] | None = None,
    stratify: Tensor | NDArray[Any] | None = None,
    seed: int | None = 0,
    shuffle: bool = True,
) -> tuple[tuple[A, A, A]]: ...


@overload
def train_val_test_split(
    a: A,
    b: B,
    /,
    *,
    fractions: Sequence[float] | None = None,
    sizes: Sequence[int] | None = None,
    stratify: Tensor | NDArray[Any] | None = None,
    seed: int | None = 0,
    shuffle: bool = True,
) -> tuple[tuple[A, A, A], tuple[B, B, B]]: ...


@overload
def train_val_test_split(
    *arrays: Tensor | NDArray[Any],
    fractions: Sequence[float] | None = None,
    sizes: Sequence[int] | None = None,
    stratify: Tensor | NDArray[Any] | None = None,
    seed: int | None = 0,
    shuffle: bool = True,
) -> tuple[tuple[Any, Any, Any], ...]: ...


def train_val_test_split(
    *arrays: Tensor | NDArray[Any],
    fractions: Sequence[float] | None = None,
    sizes: Sequence[int] | None = None,
    stratify: Tensor | NDArray[Any] | None = None,
    seed: int | None = 0,
    shuffle: bool = True,
) -> tuple[tuple[Any, Any, Any], ...]:
    """Split arrays into train, validation and test parts, the same rows for each array.

    Args:
        *arrays: NumPy arrays or Tensors of shape (N, ...), all with the same N; each
            part keeps its array's kind.
        fractions: shares of train, val and test, summing to 1 (default 0.7, 0.15, 0.15).
        sizes: the three sizes, summing to N (instead of ``fractions``).
        stratify: class labels, shape (N,): every class keeps its share in every split
            (within one sample) and appears in each.
        seed: seeds the shuffle, so a seed always gives the same split; None draws fresh
            randomness.
        shuffle: a random split; else the first rows train, the next val, the last test.

    Returns:
        One (train, val, test) triple per array, in the order given.

    Raises:
        ValueError: for no arrays or different first dims, and as ``split_sizes`` and
            ``stratified_indices`` do.

    >>> x, y = np.arange(20).reshape(10, 2), np.arange(10)
    >>> (x_tr, x_va, x_te), (y_tr, y_va, y_te) = train_val_test_split(x, y)
    >>> x_tr.shape, y_va.shape, y_te.shape
    ((7, 2), (2,), (1,))
    """
    if not arrays:
        raise ValueError("train_val_test_split: no arrays to split")
    data = [a if isinstance(a, Tensor) else np.asarray(a) for a in arrays]
    lengths = [a.shape[0] if a.ndim else 0 for a in data]
    if len(set(lengths)) != 1:
        shapes = [a.shape for a in data]
        raise ValueError(f"train_val_test_split: arrays differ in first dim: shapes {shapes}")
    idx = split_indices(
        lengths[0], fractions=fractions, sizes=sizes, stratify=stratify, seed=seed, shuffle=shuffle
    )
    parts = tuple((_take(a, idx[0]), _take(a, idx[1]), _take(a, idx[2])) for a in data)
    inputs = dict(zip(SPLIT_NAMES, parts[0], strict=True))  # the first array: the inputs
    hygiene.warn_findings(hygiene.duplicate_samples(inputs))
    return parts


__all__ = [
    "DEFAULT_FRACTIONS",
    "split_indices",
    "split_sizes",
    "stratified_indices",
    "train_val_test_split",
]
