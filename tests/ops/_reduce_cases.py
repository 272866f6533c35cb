"""Shared by the reduction tests: shapes, dtypes and an input maker."""

import math

import numpy as np

X3 = ((2, 3, 4),)
INTS = ("int32", "int64")
INF = math.inf


def _zeros(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Row 0 has one zero, row 1 two zeros, row 2 none, row 3 only zeros."""
    a = rng.choice([-1.0, 1.0], (4, 4)) * rng.uniform(0.5, 2.0, (4, 4))
    a[0, 2] = 0.0
    a[1, [0, 3]] = 0.0
    a[3] = 0.0
    return [a.astype(dtype)]
