"""Elementwise kernels: one pass over memory where NumPy makes several.

Each reads its inputs once and writes one output, on all cores (``prange`` over blocks).
The op that uses a kernel keeps the NumPy expression it replaces as the reference.
"""

from __future__ import annotations

import numpy as np

from scratchgrad.kernels.jit import jit, prange

BLOCK = 1 << 14
"""Elements one thread handles at a time (a block and its output stay in the L1/L2 cache)."""


@jit(parallel=True)
def relu_backward(grad: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``grad * (out > 0)`` in one pass: ReLU's gradient, ``grad`` and ``out`` any shape.

    Args:
        grad: upstream gradient, C-contiguous, shape S.
        out: ReLU's output, shape S, same dtype.

    Returns:
        The input's gradient, shape S.
    """
    g, o = grad.reshape(-1), out.reshape(-1)
    res = np.empty_like(g)
    n = g.size
    for b in prange((n + BLOCK - 1) // BLOCK):
        for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
            res[i] = g[i] if o[i] > 0 else 0.0
    return res.reshape(grad.shape)


__all__ = ["BLOCK", "relu_backward"]
