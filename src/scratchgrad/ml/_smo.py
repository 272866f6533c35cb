"""SMO with LIBSVM's WSS-2 working-set selection, run on many binary C-SVC duals at once.

Each problem solves ``min 0.5 a'Qa - e'a`` s.t. ``0 <= a <= C``, ``y'a = 0`` with
``Q = yy' * K`` (Fan, Chen and Lin 2005, JMLR 6, as in LIBSVM, without shrinking). The P
problems (one-vs-one pairs) are stacked as rows of (P, n_max) arrays, padded; every iteration
takes one SMO step in every unfinished problem with whole-array operations, so the Python cost
is paid once per step of the slowest problem instead of once per step of every problem. The
kernel rows of the two chosen variables are gathered from the shared training kernel. Each
problem's arithmetic is exactly that of the one-problem algorithm.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray
from sklearn.exceptions import ConvergenceWarning

from scratchgrad.backend import Array
from scratchgrad.kernels import svm as svm_kernels

_TAU = 1e-12  # LIBSVM's floor for a non-positive curvature
_OFF = -1e300  # added to excluded entries before an argmax (cheaper than np.where with inf)


def _last_argmax(v: Array) -> NDArray[np.intp]:
    """Per row, the index of the last maximum, as LIBSVM's `>=` scan picks it; (P, n) -> (P,)."""
    out: NDArray[np.intp] = v.shape[1] - 1 - np.argmax(v[:, ::-1], axis=1)
    return out


def _clip_opposite(ai: Array, aj: Array, C: float) -> tuple[Array, Array]:
    """Project (ai, aj) back on the box when y_i != y_j (ai - aj is conserved), per problem."""
    diff = ai - aj
    c = (diff > 0) & (aj < 0)
    ai, aj = np.where(c, diff, ai), np.where(c, 0.0, aj)
    c = (diff <= 0) & (ai < 0)
    ai, aj = np.where(c, 0.0, ai), np.where(c, -diff, aj)
    c = (diff > 0) & (ai > C)
    ai, aj = np.where(c, C, ai), np.where(c, C - diff, aj)
    c = (diff <= 0) & (aj > C)
    return np.where(c, C + diff, ai), np.where(c, C, aj)


def _clip_same(ai: Array, aj: Array, C: float) -> tuple[Array, Array]:
    """Project (ai, aj) back on the box when y_i == y_j (ai + aj is conserved), per problem."""
    total = ai + aj
    c = (total > C) & (ai > C)
    ai, aj = np.where(c, C, ai), np.where(c, total - C, aj)
    c = (total <= C) & (aj < 0)
    ai, aj = np.where(c, total, ai), np.where(c, 0.0, aj)
    c = (total > C) & (aj > C)
    ai, aj = np.where(c, total - C, ai), np.where(c, C, aj)
    c = (total <= C) & (ai < 0)
    return np.where(c, 0.0, ai), np.where(c, total, aj)


def compute_rho(y: Array, a: Array, G: Array, C: float) -> float:
    """Bias (rho, the decision is f(x) - rho) from free variables, else the bound midpoint.

    Args:
        y: labels in {-1, +1}, shape (n,).
        a: dual variables, shape (n,).
        G: gradient of the dual objective, shape (n,).
        C: box bound.
    """
    yG = y * G
    free = (a > 0) & (a < C)
    if free.any():
        return float(yG[free].mean())
    at_ub = (a >= C) & (y < 0) | (a <= 0) & (y > 0)  # constrain rho from above
    ub = float(yG[at_ub].min()) if at_ub.any() else np.inf
    lb = float(yG[~at_ub].max()) if (~at_ub).any() else -np.inf
    return (ub + lb) / 2.0


class _Batch:
    """State of the unfinished problems, one per row; padding columns are never selected.

    ``yG = -y * G`` is kept instead of the gradient G (exactly: y is +-1), and so are the
    penalties that exclude the points outside the sets I_up and I_low from an argmax.
    """

    def __init__(self, K: Array, idx: list[Array], ys: list[Array], C: float) -> None:
        P, n_max = len(idx), max(i.size for i in idx)
        self.C, self.Kf, self.n = C, K.ravel(), K.shape[0]
        self.pid = np.arange(P)  # original problem of each row
        self.gidx = np.zeros((P, n_max), dtype=np.intp)  # rows of K; padding points at 0
        self.y = np.zeros((P, n_max))  # 0 marks padding
        for p, (ix, yb) in enumerate(zip(idx, ys, strict=True)):
            self.gidx[p, : ix.size], self.y[p, : ix.size] = ix, yb
        self.Kd = np.diag(K)[self.gidx]  # (P, n_max)
        self.a, self.yG = np.zeros((P, n_max)), self.y.copy()  # G = -1 at a = 0
        self.it = np.zeros(P, dtype=np.int64)
        self.up_off, self.low_off = self._offsets(self.y, self.a)

    def _offsets(self, y: Array, a: Array) -> tuple[Array, Array]:
        """0 for points in I_up (resp. I_low), _OFF elsewhere and at padding."""
        pos, neg, above, below = y > 0, y < 0, a > 0, a < self.C
        up = (pos & below) | (neg & above)
        low = (pos & above) | (neg & below)
        return (~up) * _OFF, (~low) * _OFF

    def set_pair(self, i: Array, j: Array, ai: Array, aj: Array) -> None:
        """Store new a_i, a_j per row and refresh their set memberships."""
        rows = np.arange(i.size)
        for k, ak in ((i, ai), (j, aj)):
            self.a[rows, k] = ak
            self.up_off[rows, k], self.low_off[rows, k] = self._offsets(self.y[rows, k], ak)

    def keep(self, rows: Array) -> None:
        """Drop the finished rows."""
        for name in ("pid", "gidx", "y", "Kd", "a", "yG", "it", "up_off", "low_off"):
            setattr(self, name, getattr(self, name)[rows])

    def k_rows(self, k: Array) -> Array:
        """Kernel values between point k (P,) of each row and all its points, (P, n_max)."""
        rows = np.arange(k.size)
        out: Array = self.Kf[(self.gidx[rows, k] * self.n)[:, None] + self.gidx]
        return out


def _select(b: _Batch, tol: float) -> tuple[Array, Array, Array, Array]:
    """WSS-2 per row: the maximal violating i, then j by the second-order gain.

    Returns:
        (i, j, K rows of i (P, n_max), done mask (P,)); rows marked done are optimal.
    """
    rows = np.arange(b.yG.shape[0])
    i = _last_argmax(b.yG + b.up_off)
    g_max = b.yG[rows, i]
    g_max2 = np.max(b.low_off - b.yG, axis=1)
    done = (g_max + g_max2 < tol) | (b.up_off[rows, i] < 0) | (g_max2 < _OFF / 2)
    diff = np.maximum(g_max[:, None] - b.yG, 0.0)  # grad_diff, 0 where j cannot go with i
    Ki = b.k_rows(i)  # (P, n_max)
    quad = b.Kd[rows, i][:, None] + b.Kd - 2.0 * Ki
    np.putmask(quad, quad <= 0, _TAU)  # the mask is almost all False: cheaper than np.where
    gain = diff * diff / quad + b.low_off  # -obj_diff; > 0 exactly where I_low and diff > 0
    j = _last_argmax(gain)
    done |= ~(gain[rows, j] > 0)
    return i, j, Ki, done


def _step(b: _Batch, i: Array, j: Array, Ki: Array) -> None:
    """Analytic minimisation over (a_i, a_j) in every row, clipped to the box; updates yG."""
    rows = np.arange(i.size)
    yi, yj = b.y[rows, i], b.y[rows, j]
    Gi, Gj = -yi * b.yG[rows, i], -yj * b.yG[rows, j]
    ai, aj = b.a[rows, i], b.a[rows, j]
    quad = np.maximum(b.Kd[rows, i] + b.Kd[rows, j] - 2.0 * Ki[rows, j], _TAU)
    opp = yi != yj
    delta = np.where(opp, -Gi - Gj, Gi - Gj) / quad
    oi, oj = _clip_opposite(ai + delta, aj + delta, b.C)
    si, sj = _clip_same(ai - delta, aj + delta, b.C)
    new_i, new_j = np.where(opp, oi, si), np.where(opp, oj, sj)
    di, dj = new_i - ai, new_j - aj
    b.set_pair(i, j, new_i, new_j)
    step = Ki * (yi * di)[:, None]
    step += b.k_rows(j) * (yj * dj)[:, None]
    b.yG -= step  # G += y * step, i.e. yG -= step, with the same rounding
    b.it += 1


def _warn_limit(max_iter: int) -> None:
    warnings.warn(f"SVC: solver stopped after max_iter={max_iter}", ConvergenceWarning, 4)


def smo_batch(
    K: Array, idx: list[Array], ys: list[Array], C: float, tol: float, max_iter: int
) -> list[tuple[Array, float, int]]:
    """Solve P binary duals that share a kernel matrix.

    Args:
        K: kernel matrix over all points, shape (n, n), symmetric.
        idx: per problem, the indices of its points into K, shapes (n_p,).
        ys: per problem, labels in {-1, +1}, shapes (n_p,).
        C: box bound.
        tol: stopping tolerance on the maximal violation (LIBSVM's eps).
        max_iter: iteration cap per problem, -1 for none.

    Returns:
        Per problem: (alpha * y, shape (n_p,); rho; number of iterations).
    """
    if not idx:
        return []
    b = _Batch(K, idx, ys, C)
    n_max = b.y.shape[1]
    limit = max_iter if max_iter >= 0 else max(10_000_000, 100 * n_max)
    out: list[tuple[Array, float, int]] = [(np.zeros(0), 0.0, 0)] * len(idx)
    hit_limit = False
    while b.pid.size:
        i, j, Ki, done = _select(b, tol)
        capped = b.it >= limit
        hit_limit |= bool(np.any(capped & ~done))
        done |= capped
        for r in np.flatnonzero(done):
            n_p = idx[b.pid[r]].size
            y, a = b.y[r, :n_p], b.a[r, :n_p]
            out[b.pid[r]] = (a * y, compute_rho(y, a, -y * b.yG[r, :n_p], C), int(b.it[r]))
        if done.any():
            live = np.flatnonzero(~done)
            b.keep(live)
            i, j, Ki = i[live], j[live], Ki[live]
        if b.pid.size:
            _step(b, i, j, Ki)
    if hit_limit:
        _warn_limit(max_iter)
    return out


def smo_compiled(
    X: Array,
    idx: list[Array],
    ys: list[Array],
    C: float,
    tol: float,
    max_iter: int,
    kernel: tuple[str, float, float, int],
    cache_mb: float = 200.0,
    shrinking: bool = True,
) -> list[tuple[Array, float, int]]:
    """What :func:`smo_batch` returns, by the compiled solver, one problem at a time.

    Each problem runs :func:`scratchgrad.kernels.svm.smo` (LIBSVM's solver with shrinking
    and a kernel-row cache) on its own points, computing kernel rows as it needs them.

    Args:
        X: all points, shape (n, d).
        idx: per problem, the indices of its points into X, shapes (n_p,).
        ys: per problem, labels in {-1, +1}, shapes (n_p,).
        C: box bound.
        tol: stopping tolerance on the maximal violation.
        max_iter: iteration cap per problem, -1 for LIBSVM's.
        kernel: (name, gamma, coef0, degree).
        cache_mb: memory for cached kernel rows per problem, in MB.
        shrinking: use LIBSVM's shrinking heuristic.
    """
    out: list[tuple[Array, float, int]] = []
    for ix, y in zip(idx, ys, strict=True):
        a, G, it = svm_kernels.smo(X[ix], y, C, tol, max_iter, kernel, cache_mb, shrinking)
        out.append((a * y, compute_rho(y, a, G, C), it))
    if max_iter >= 0 and any(it >= max_iter for _, _, it in out):
        _warn_limit(max_iter)
    return out
