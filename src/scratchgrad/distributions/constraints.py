"""Constraints on parameters and values, with torch.distributions.constraints' names.

``check(value)`` returns a bool tensor: per element, or per event for constraints on
vectors and matrices (``simplex``, ``real_vector``, ``lower_cholesky``, ...). The reprs are
torch's, since they appear in the validation errors.

>>> import scratchgrad as sg
>>> positive.check(sg.tensor([1.0, -1.0])).tolist()
[True, False]
>>> positive
GreaterThan(lower_bound=0.0)
"""

from __future__ import annotations

from typing import Any

from scratchgrad.backend import Array, xp
from scratchgrad.tensor import Tensor, wrap


def _data(x: Any) -> Any:
    return x.array if isinstance(x, Tensor) else x


class Constraint:
    """A region of values; subclasses define ``_check`` on arrays.

    Attributes:
        is_discrete: whether the region is a discrete set.
        event_dim: how many rightmost dims make one event.
    """

    is_discrete = False
    event_dim = 0

    def check(self, value: Tensor) -> Tensor:
        """Bool tensor: where ``value`` lies in the region, shape (*) less event dims."""
        return wrap(xp.asarray(self._check(value.array)))

    def _check(self, value: Array) -> Array:
        raise NotImplementedError

    def __repr__(self) -> str:
        """torch's name: the class name without its leading underscore."""
        return type(self).__name__.lstrip("_") + "()"


class _Dependent(Constraint):
    """A constraint that depends on other parameters: never checked."""

    def _check(self, value: Array) -> Array:
        raise ValueError("Cannot determine validity of dependent constraint")


def is_dependent(constraint: Any) -> bool:
    """Whether ``constraint`` is a dependent placeholder (skipped by validation)."""
    return isinstance(constraint, _Dependent)


class _Real(Constraint):
    def _check(self, value: Array) -> Array:
        return xp.asarray(value == value)  # False for NaN


class _Boolean(Constraint):
    is_discrete = True

    def _check(self, value: Array) -> Array:
        return xp.asarray((value == 0) | (value == 1))


class _Bounded(Constraint):
    """Shared repr for the interval constraints."""

    def __init__(self, lower_bound: Any = None, upper_bound: Any = None) -> None:
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound

    def __repr__(self) -> str:
        """torch's: ``GreaterThan(lower_bound=0.0)``."""
        args = [
            f"{name}={v}"
            for name, v in (("lower_bound", self.lower_bound), ("upper_bound", self.upper_bound))
            if v is not None
        ]
        return f"{type(self).__name__.lstrip('_')}({', '.join(args)})"


class _GreaterThan(_Bounded):
    def _check(self, value: Array) -> Array:
        return _data(self.lower_bound) < value  # type: ignore[no-any-return]


class _LessThan(_Bounded):
    def _check(self, value: Array) -> Array:
        return value < _data(self.upper_bound)  # type: ignore[no-any-return]


class _Interval(_Bounded):
    def _check(self, value: Array) -> Array:
        return (_data(self.lower_bound) <= value) & (value <= _data(self.upper_bound))  # type: ignore[no-any-return]


class _IntegerInterval(_Bounded):
    is_discrete = True

    def _check(self, value: Array) -> Array:
        lo, hi = self.lower_bound, self.upper_bound
        return xp.asarray((value % 1 == 0) & (lo <= value) & (value <= hi))


class _Simplex(Constraint):
    event_dim = 1

    def _check(self, value: Array) -> Array:
        return xp.asarray(xp.all(value >= 0, axis=-1) & (xp.abs(value.sum(-1) - 1) < 1e-6))


class _IndependentConstraint(Constraint):
    def __init__(self, base: Constraint, reinterpreted_batch_ndims: int) -> None:
        self.base_constraint = base
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims
        self.event_dim = base.event_dim + reinterpreted_batch_ndims

    def _check(self, value: Array) -> Array:
        result = self.base_constraint._check(value)
        n = self.reinterpreted_batch_ndims
        return xp.asarray(result.reshape(*result.shape[: result.ndim - n], -1).all(-1))

    def __repr__(self) -> str:
        """torch's: ``IndependentConstraint(Real(), 1)``."""
        return f"IndependentConstraint({self.base_constraint!r}, {self.reinterpreted_batch_ndims})"


class _LowerCholesky(Constraint):
    event_dim = 2

    def _check(self, value: Array) -> Array:
        lower = (xp.tril(value) == value).reshape(*value.shape[:-2], -1).all(-1)
        positive = (xp.diagonal(value, axis1=-2, axis2=-1) > 0).all(-1)
        return xp.asarray(lower & positive)


class _PositiveDefinite(Constraint):
    event_dim = 2

    def _check(self, value: Array) -> Array:
        if value.shape[-1] != value.shape[-2]:
            return xp.zeros(value.shape[:-2], dtype=bool)
        symmetric = xp.isclose(value, xp.swapaxes(value, -1, -2), atol=1e-6).all((-2, -1))
        if not symmetric.all():
            return xp.asarray(symmetric)
        return xp.asarray(xp.linalg.eigvalsh(value).min(-1) > 0)


dependent = _Dependent()
real = _Real()
boolean = _Boolean()
positive = _GreaterThan(0.0)
unit_interval = _Interval(0.0, 1.0)
simplex = _Simplex()
real_vector = _IndependentConstraint(real, 1)
lower_cholesky = _LowerCholesky()
positive_definite = _PositiveDefinite()


def greater_than(lower_bound: Any) -> Constraint:
    """Values above ``lower_bound`` (a number or a tensor that broadcasts)."""
    return _GreaterThan(lower_bound)


def less_than(upper_bound: Any) -> Constraint:
    """Values below ``upper_bound``."""
    return _LessThan(upper_bound=upper_bound)


def interval(lower_bound: Any, upper_bound: Any) -> Constraint:
    """Values in [lower_bound, upper_bound]."""
    return _Interval(lower_bound, upper_bound)


def integer_interval(lower_bound: int, upper_bound: int) -> Constraint:
    """Integers in [lower_bound, upper_bound]."""
    return _IntegerInterval(lower_bound, upper_bound)


__all__ = [
    "Constraint",
    "boolean",
    "dependent",
    "greater_than",
    "integer_interval",
    "interval",
    "is_dependent",
    "less_than",
    "lower_cholesky",
    "positive",
    "positive_definite",
    "real",
    "real_vector",
    "simplex",
    "unit_interval",
]
