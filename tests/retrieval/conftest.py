"""Shared data for the retrieval tests: small clustered vectors, and FAISS when installed."""

import numpy as np
import pytest


@pytest.fixture
def vectors() -> tuple[np.ndarray, np.ndarray]:
    """(database (600, 16), queries (25, 16)), float32, drawn around 12 centres."""
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((12, 16))
    xb = centres[rng.integers(0, 12, 600)] + 0.4 * rng.standard_normal((600, 16))
    xq = centres[rng.integers(0, 12, 25)] + 0.4 * rng.standard_normal((25, 16))
    return xb.astype(np.float32), xq.astype(np.float32)


def brute_force(xb: np.ndarray, xq: np.ndarray, k: int, ip: bool) -> tuple[np.ndarray, np.ndarray]:
    """The exact answer in float64 NumPy: (D, I), best first."""
    xb64, xq64 = xb.astype(np.float64), xq.astype(np.float64)
    if ip:
        scores = xq64 @ xb64.T
        ids = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    else:
        scores = ((xq64[:, None, :] - xb64[None]) ** 2).sum(-1)
        ids = np.argsort(scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(scores, ids, axis=1), ids
