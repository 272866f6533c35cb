"""``Uniform(low, high)``: constant density on [low, high), reparameterisable."""

from __future__ import annotations

import math

from scratchgrad.creation import rand
from scratchgrad.distributions import constraints
from scratchgrad.distributions.distribution import Distribution, Shape, broadcast_all
from scratchgrad.tensor import Tensor


class Uniform(Distribution):
    """U[low, high), elementwise over the broadcast shape of low and high.

    Args:
        low: lower bounds (inclusive), a tensor (*) or a number.
        high: upper bounds (exclusive), above low.
        validate_args: check low < high (and values given to log_prob).

    >>> import scratchgrad as sg
    >>> Uniform(0.0, 4.0).log_prob(sg.tensor(1.0)).exp().item()
    0.25
    """

    arg_constraints = {"low": constraints.dependent, "high": constraints.dependent}  # noqa: RUF012
    has_rsample = True

    def __init__(
        self, low: Tensor | float, high: Tensor | float, validate_args: bool | None = None
    ) -> None:
        self.low, self.high = broadcast_all(low, high)
        numbers = not isinstance(low, Tensor) and not isinstance(high, Tensor)
        super().__init__(() if numbers else tuple(self.low.shape), validate_args=validate_args)

    def _constraints(self) -> dict[str, constraints.Constraint]:
        return {"low": constraints.less_than(self.high), "high": constraints.greater_than(self.low)}

    @property
    def support(self) -> constraints.Constraint:
        """[low, high]."""
        return constraints.interval(self.low, self.high)

    @property
    def mean(self) -> Tensor:
        """(high + low) / 2, shape batch_shape."""
        return (self.high + self.low) / 2

    @property
    def mode(self) -> Tensor:
        """NaN: every point of the interval is a mode."""
        return math.nan * self.high

    @property
    def stddev(self) -> Tensor:
        """(high - low) / sqrt(12), shape batch_shape."""
        return (self.high - self.low) / 12**0.5

    @property
    def variance(self) -> Tensor:
        """(high - low)^2 / 12, shape batch_shape."""
        return (self.high - self.low).pow(2) / 12

    def rsample(self, sample_shape: Shape = ()) -> Tensor:
        """low + u * (high - low) with u ~ U[0, 1): shape sample_shape + batch_shape."""
        u = rand(self._extended_shape(sample_shape), dtype=self.low.dtype)
        return self.low + u * (self.high - self.low)

    def log_prob(self, value: Tensor) -> Tensor:
        """-log(high - low) inside [low, high), -inf outside; broadcast shape."""
        if self._validate_args:
            self._validate_sample(value)
        lb = self.low.le(value).type_as(self.low)
        ub = self.high.gt(value).type_as(self.low)
        return lb.mul(ub).log() - (self.high - self.low).log()

    def cdf(self, value: Tensor) -> Tensor:
        """(value - low) / (high - low), clamped to [0, 1]."""
        if self._validate_args:
            self._validate_sample(value)
        return ((value - self.low) / (self.high - self.low)).clamp(min=0, max=1)

    def icdf(self, value: Tensor) -> Tensor:
        """value * (high - low) + low."""
        return value * (self.high - self.low) + self.low

    def entropy(self) -> Tensor:
        """log(high - low), shape batch_shape."""
        return (self.high - self.low).log()


__all__ = ["Uniform"]
