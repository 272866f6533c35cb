"""Line searches for LBFGS: cubic interpolation and the strong Wolfe conditions.

Ports of minFunc's ``polyinterp`` and ``WolfeLineSearch`` in the form
``torch.optim.lbfgs`` uses (``_cubic_interpolate``, ``_strong_wolfe``), step for step, so
LBFGS visits the same points and calls the closure as often as PyTorch's.

Scalars (step sizes, losses, directional derivatives) stay NumPy scalars of the
parameters' dtype where PyTorch keeps 0-d tensors, so float32 runs round as PyTorch's do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scratchgrad.backend import Array, xp

ObjFunc = Callable[[Any, Any, Array], tuple[float, Array]]
"""``obj_func(x, t, d) -> (loss, flat gradient)`` at the point ``x + t * d``."""


def cubic_interpolate(
    x1: Any, f1: Any, g1: Any, x2: Any, f2: Any, g2: Any, bounds: tuple[Any, Any] | None = None
) -> Any:
    """The minimizer of the cubic through two points with values and slopes, clamped.

    Args:
        x1: first point.
        f1: value at ``x1``.
        g1: derivative at ``x1``.
        x2: second point.
        f2: value at ``x2``.
        g2: derivative at ``x2``.
        bounds: ``(low, high)`` to clamp the result to; default the interval between the
            two points.

    Returns:
        The clamped minimizer, or the middle of the bounds when the cubic has none.

    >>> float(cubic_interpolate(0.0, 1.0, -1.0, 2.0, 1.0, 1.0))  # f = (x - 1)**2
    1.0
    """
    low, high = bounds if bounds is not None else ((x1, x2) if x1 <= x2 else (x2, x1))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square < 0:
        return (low + high) / 2.0
    d2 = xp.sqrt(d2_square)
    if x1 <= x2:
        min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(min_pos, low), high)


@dataclass
class _Bracket:
    """Two step sizes (or one, when the first trial already satisfies Wolfe) with data."""

    t: list[Any]
    f: list[Any]
    g: list[Array]
    gtd: list[Any] = field(default_factory=list)

    def low_high(self) -> tuple[int, int]:
        """Indices of the lower and the higher function value."""
        return (0, 1) if self.f[0] <= self.f[-1] else (1, 0)

    def set(self, i: int, t: Any, f: Any, g: Array, gtd: Any) -> None:
        """Replace end ``i``."""
        self.t[i], self.f[i], self.g[i], self.gtd[i] = t, f, g, gtd


@dataclass
class _Search:
    """What the two phases share: the start point, direction and constants."""

    obj_func: ObjFunc
    x: Any
    d: Array
    f: Any
    gtd: Any
    c1: float
    c2: float
    max_ls: int
    evals: int = 0

    def evaluate(self, t: Any) -> tuple[Any, Array, Any]:
        """Loss, gradient and directional derivative at step ``t``."""
        f_new, g_new = self.obj_func(self.x, t, self.d)
        self.evals += 1
        return f_new, g_new, g_new.dot(self.d)

    def armijo_fails(self, t: Any, f_new: Any) -> bool:
        """Too little decrease: ``f_new > f + c1 * t * gtd``."""
        return bool(f_new > (self.f + self.c1 * t * self.gtd))

    def curvature_holds(self, gtd_new: Any) -> bool:
        """The strong Wolfe curvature condition ``|gtd_new| <= -c2 * gtd``."""
        return bool(abs(gtd_new) <= -self.c2 * self.gtd)


def strong_wolfe(
    obj_func: ObjFunc,
    x: Any,
    t: Any,
    d: Array,
    f: Any,
    g: Array,
    gtd: Any,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
) -> tuple[Any, Array, Any, int]:
    """A step size along ``d`` that satisfies the strong Wolfe conditions, as PyTorch's.

    First brackets an interval that holds such a step (growing ``t`` by cubic
    extrapolation), then zooms in on it by cubic interpolation.

    Args:
        obj_func: ``(x, t, d) -> (loss, flat gradient)`` at ``x + t * d``.
        x: the start point, passed through to ``obj_func``.
        t: the first trial step size.
        d: the search direction, shape (n,).
        f: the loss at ``x``.
        g: the flat gradient at ``x``, shape (n,).
        gtd: the directional derivative ``g @ d`` (negative for a descent direction).
        c1: sufficient-decrease constant.
        c2: curvature constant.
        tolerance_change: stop zooming when the bracket is this small (times max |d|).
        max_ls: the most evaluations of ``obj_func``.

    Returns:
        ``(loss, flat gradient, step size, number of evaluations)`` of the step chosen.

    >>> obj = lambda x, t, d: (float((x + t * d[0] - 3.0) ** 2), 2 * (x + t * d - 3.0))
    >>> g0 = xp.array([-6.0])
    >>> f, g, t, evals = strong_wolfe(obj, 0.0, 1.0, -g0, 9.0, g0, g0 @ -g0)
    >>> round(float(t), 6), evals
    (0.5, 2)
    """
    s = _Search(obj_func, x, d, f, gtd, c1, c2, max_ls)
    f_new, g_new, gtd_new = s.evaluate(t)
    bracket, done = _bracket_phase(s, t, g.copy(), f_new, g_new, gtd_new)
    low = bracket.low_high()[0]
    if not done:
        low = _zoom_phase(s, bracket, xp.abs(d).max(), tolerance_change)
    return bracket.f[low], bracket.g[low], bracket.t[low], s.evals


def _bracket_phase(
    s: _Search, t: Any, g: Array, f_new: Any, g_new: Array, gtd_new: Any
) -> tuple[_Bracket, bool]:
    """Grow the step until an interval holds a Wolfe point; ``done`` if ``t`` is one."""
    t_prev, f_prev, g_prev, gtd_prev = 0, s.f, g, s.gtd
    ls_iter = 0
    while ls_iter < s.max_ls:
        if s.armijo_fails(t, f_new) or (ls_iter > 1 and f_new >= f_prev):
            break
        if s.curvature_holds(gtd_new):
            return _Bracket([t], [f_new], [g_new]), True
        if gtd_new >= 0:
            break
        step = cubic_interpolate(
            t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(t + 0.01 * (t - t_prev), t * 10)
        )
        t_prev, f_prev, g_prev, gtd_prev = t, f_new, g_new.copy(), gtd_new
        t = step
        f_new, g_new, gtd_new = s.evaluate(t)
        ls_iter += 1
    else:  # out of evaluations: from the start to the last trial
        return _Bracket([0, t], [s.f, f_new], [g, g_new], [s.gtd, gtd_new]), False
    return _Bracket(
        [t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()], [gtd_prev, gtd_new]
    ), False


def _zoom_phase(s: _Search, b: _Bracket, d_norm: Any, tolerance_change: float) -> int:
    """Shrink the bracket by cubic interpolation to a Wolfe point; the index of the low end."""
    insuf_progress = False
    low, high = b.low_high()
    while s.evals - 1 < s.max_ls:
        if abs(b.t[1] - b.t[0]) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(b.t[0], b.f[0], b.gtd[0], b.t[1], b.f[1], b.gtd[1])
        t, insuf_progress = _away_from_ends(t, b.t, insuf_progress)
        f_new, g_new, gtd_new = s.evaluate(t)
        if s.armijo_fails(t, f_new) or f_new >= b.f[low]:
            b.set(high, t, f_new, g_new.copy(), gtd_new)
            low, high = b.low_high()
            continue
        done = s.curvature_holds(gtd_new)
        if not done and gtd_new * (b.t[high] - b.t[low]) >= 0:
            b.set(high, b.t[low], b.f[low], b.g[low], b.gtd[low])  # the old low is the new high
        b.set(low, t, f_new, g_new.copy(), gtd_new)
        if done:
            break
    return low


def _away_from_ends(t: Any, ends: list[Any], insuf_progress: bool) -> tuple[Any, bool]:
    """Move ``t`` to 10% of the bracket from its nearer end when progress stalls there.

    Returns:
        The step to try and whether this one made insufficient progress.
    """
    lo, hi = min(ends), max(ends)
    eps = 0.1 * (hi - lo)
    if min(hi - t, t - lo) >= eps:
        return t, False
    if not (insuf_progress or t >= hi or t <= lo):
        return t, True
    return (hi - eps if abs(t - hi) < abs(t - lo) else lo + eps), False


__all__ = ["cubic_interpolate", "strong_wolfe"]
