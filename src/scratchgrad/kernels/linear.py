"""Sample-by-sample linear-model loops: the perceptron's epoch.

The NumPy reference (:func:`scratchgrad.ml.perceptron._perceptron_epoch`) finds the next
mistake with blocks of matrix-vector products; the kernel visits the rows one by one, as
the rule is written, with no Python cost per mistake.
"""

# ruff: noqa: N803  (X-style matrix names)
from __future__ import annotations

from scratchgrad.backend import Array
from scratchgrad.kernels.jit import jit


@jit()
def perceptron_epoch(
    X: Array, t: Array, order: Array, w: Array, b: float, eta: float, with_b: bool
) -> tuple[float, float]:
    """One pass of the perceptron rule over the rows ``X[order]``; updates w in place.

    On a mistake, ``t_i (x_i.w + b) <= 0``: ``w += eta t_i x_i``, ``b += eta t_i``.

    Args:
        X: rows, shape (n, d).
        t: targets in {-1, +1}, shape (n,).
        order: visiting order, shape (n,).
        w: weights, shape (d,), updated in place.
        b: intercept.
        eta: step size.
        with_b: update the intercept.

    Returns:
        (new intercept, summed perceptron loss max(0, -margin) at the visits).
    """
    total = 0.0
    for i in order:
        s = b
        for j in range(w.size):
            s += X[i, j] * w[j]
        margin = t[i] * s
        if margin <= 0:
            total -= margin
            step = eta * t[i]
            for j in range(w.size):
                w[j] += step * X[i, j]
            if with_b:
                b += step
    return b, total


__all__ = ["perceptron_epoch"]
