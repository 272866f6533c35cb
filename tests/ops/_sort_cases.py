"""Input makers shared by the sorting and scan tests: distinct values, ties, NaN, zeros."""

from collections.abc import Callable

import numpy as np

Maker = Callable[[np.random.Generator, str], list[np.ndarray]]
INTS = ("int32", "int64")
SMALL_INTS = ("uint8", "int8", "int16", "int32", "int64")


def distinct(*shapes: tuple[int, ...]) -> Maker:
    """Values that are all different, at least 0.4 apart: no ties, stable under gradcheck."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        out = []
        for shape in shapes:
            n = int(np.prod(shape))
            a = rng.permutation(n).reshape(shape) - n // 2
            if np.dtype(dtype).kind == "f":
                a = a * 0.5 + rng.uniform(0.0, 0.1, shape)
            elif np.dtype(dtype).kind == "u":
                a = a + n // 2
            out.append(np.asarray(a).astype(dtype))
        return out

    return make


def ties(shape: tuple[int, ...], low: int = -2, high: int = 2) -> Maker:
    """Small integers (as the dtype): every lane has repeated values."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        if np.dtype(dtype).kind == "b":
            return [rng.integers(0, 2, shape).astype(bool)]
        lo = 0 if np.dtype(dtype).kind == "u" else low
        return [rng.integers(lo, high + 1, shape).astype(dtype)]

    return make


def with_nan(shape: tuple[int, ...], most: int = 2) -> Maker:
    """Distinct values with NaN in some lanes: one in lane 0, ``most`` in lane 1."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        (a,) = distinct(shape)(rng, dtype)
        a[0, 1] = np.nan
        a[1, 0] = np.nan
        if most > 1:
            a[1, -1] = np.nan
        return [a]

    return make


def zeros(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Lane 0 has one zero, lane 1 two zeros, lane 2 none, lane 3 only zeros; (4, 5)."""
    a = rng.choice([-1.0, 1.0], (4, 5)) * rng.uniform(0.5, 1.5, (4, 5))
    a[0, 2] = 0.0
    a[1, [0, 3]] = 0.0
    a[3] = 0.0
    return [a.astype(dtype)]


def sorted_and_values(seq: tuple[int, ...], values: tuple[int, ...], ints: bool = False) -> Maker:
    """A sequence sorted along its last dim (with repeats) and values to look up."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        s = np.sort(rng.integers(-5, 6, seq), axis=-1)
        v = rng.integers(-6, 7, values) if ints else rng.uniform(-6, 6, values)
        v.flat[:2] = s.flat[:2]  # some values equal an entry: left and right differ there
        return [s.astype(dtype), v.astype(dtype)]

    return make
