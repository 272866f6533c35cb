"""SVC's probabilities: Platt's sigmoid per class pair, then pairwise coupling, as LIBSVM.

Platt's sigmoid is fitted by Newton's method with backtracking (Lin, Lin and Weng 2007);
the pairwise probabilities are coupled by Wu, Lin and Weng's (2004) method 2.
"""

import numpy as np

from scratchgrad.backend import Array


def _sigmoid_loss(dec: Array, t: Array, A: float, B: float) -> float:
    """Cross-entropy of targets `t` under P = 1 / (1 + exp(A dec + B))."""
    f = dec * A + B
    return float(np.sum(np.where(f >= 0, t * f, (t - 1) * f) + np.log1p(np.exp(-np.abs(f)))))


def sigmoid_train(dec: Array, pos: Array) -> tuple[float, float]:
    """Platt's sigmoid fitted by Newton with backtracking (Lin, Lin and Weng 2007).

    Args:
        dec: decision values, shape (n,).
        pos: True for the positive class, shape (n,).

    Returns:
        (A, B) with P(pos | f) = 1 / (1 + exp(A f + B)).
    """
    n1, n0 = int(pos.sum()), int((~pos).sum())
    t = np.where(pos, (n1 + 1.0) / (n1 + 2.0), 1.0 / (n0 + 2.0))
    A, B = 0.0, float(np.log((n0 + 1.0) / (n1 + 1.0)))
    fval = _sigmoid_loss(dec, t, A, B)
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(np.clip(dec * A + B, -500, 500)))
        d2, d1 = p * (1.0 - p), t - p
        h11, h22, h21 = (dec * dec * d2).sum() + 1e-12, d2.sum() + 1e-12, (dec * d2).sum()
        g1, g2 = (dec * d1).sum(), d1.sum()
        if abs(g1) < 1e-5 and abs(g2) < 1e-5:
            break
        det = h11 * h22 - h21 * h21
        dA, dB = -(h22 * g1 - h21 * g2) / det, -(-h21 * g1 + h11 * g2) / det
        step = 1.0
        while step >= 1e-10:
            new = _sigmoid_loss(dec, t, A + step * dA, B + step * dB)
            if new < fval + 1e-4 * step * (g1 * dA + g2 * dB):
                A, B, fval = A + step * dA, B + step * dB, new
                break
            step /= 2.0
        if step < 1e-10:
            break
    return A, B


def pairwise_coupling(r: Array) -> Array:
    """Class probabilities from pairwise ones (Wu, Lin and Weng 2004, LIBSVM's method 2).

    Args:
        r: r[i, j] = P(class i | i or j), shape (k, k).

    Returns:
        p, shape (k,), summing to 1.
    """
    k = r.shape[0]
    Q = -r.T * r
    np.fill_diagonal(Q, 0.0)
    np.fill_diagonal(Q, (r.T**2).sum(1) - np.diag(r) ** 2)
    p = np.full(k, 1.0 / k)
    for _ in range(max(100, k)):
        Qp = Q @ p
        pQp = float(p @ Qp)
        if np.max(np.abs(Qp - pQp)) < 0.005 / k:
            break
        for t in range(k):
            diff = (-Qp[t] + pQp) / Q[t, t]
            p[t] += diff
            pQp = (pQp + diff * (diff * Q[t, t] + 2 * Qp[t])) / (1 + diff) ** 2
            Qp = (Qp + diff * Q[t]) / (1 + diff)
            p /= 1 + diff
    return p
