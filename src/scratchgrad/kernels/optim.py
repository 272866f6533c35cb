"""Optimizer kernels: a whole Adam step in one pass over the parameter and its state.

The reference (``optim/adam.py``) makes about ten passes over memory per parameter, one
per in-place NumPy operation. Here each element is read once and written once, with the
same float operations in the same order, so the results are the same bits.
"""

from __future__ import annotations

import numpy as np

from scratchgrad.kernels.jit import jit


@jit()
def adam(
    p: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    scalars: np.ndarray,
) -> None:
    """One Adam step in place: p, m and v updated from g, all C-contiguous, one shape.

    Per element, in the reference's order and dtype: ``m = lerp(m, g, w)`` (torch's
    two-sided formula), ``v = v * beta2 + (g * (1 - beta2)) * g``, then
    ``p += (m * -step_size) / (sqrt(v) / bias_correction2_sqrt + eps)``.

    Args:
        p: the parameter, any shape S; updated in place.
        g: its gradient, shape S.
        m: the first moment (exp_avg), shape S; updated in place.
        v: the second moment (exp_avg_sq), shape S; updated in place.
        scalars: (7,) of p's dtype: w = 1 - beta1, 1 - w, beta2, 1 - beta2,
            bias_correction2_sqrt, eps, -step_size.
    """
    w, rest, beta2, w2, bc2, eps, step = (
        scalars[0],
        scalars[1],
        scalars[2],
        scalars[3],
        scalars[4],
        scalars[5],
        scalars[6],
    )
    small = abs(w) < 0.5
    pf, gf, mf, vf = p.reshape(-1), g.reshape(-1), m.reshape(-1), v.reshape(-1)
    for i in range(pf.size):
        gi, mi = gf[i], mf[i]
        d = gi - mi
        mi = mi + d * w if small else gi - d * rest
        vi = vf[i] * beta2 + (gi * w2) * gi
        mf[i], vf[i] = mi, vi
        pf[i] += (mi * step) / (np.sqrt(vi) / bc2 + eps)


@jit()
def sgd_momentum(p: np.ndarray, d: np.ndarray, buf: np.ndarray, scalars: np.ndarray) -> None:
    """One SGD step with momentum in place: ``buf = buf * momentum + a * d; p += -lr * buf``.

    ``a * d`` is ``d`` itself when a (1 - dampening) is 1, as the reference's ``axpy_``.

    Args:
        p: the parameter, any shape S, C-contiguous; updated in place.
        d: the step direction (the gradient, with weight decay), shape S.
        buf: the momentum buffer, shape S; updated in place.
        scalars: (3,) of p's dtype: momentum, 1 - dampening, -lr.
    """
    momentum, a, neg_lr = scalars[0], scalars[1], scalars[2]
    plain = a == 1
    pf, df, bf = p.reshape(-1), d.reshape(-1), buf.reshape(-1)
    for i in range(pf.size):
        b = bf[i] * momentum
        b = b + df[i] if plain else b + a * df[i]
        bf[i] = b
        pf[i] += neg_lr * b


__all__ = ["adam", "sgd_momentum"]
